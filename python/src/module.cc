// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// safetensors._core: the C++ library under the Python package. It knows
// bytes, dtype names and shapes only; the package's Python code turns them
// into NumPy arrays and PyTorch tensors (python/safetensors/*.py).
//
//   Reader.open(path, profile, backend)   File::Open (mmap or pread)
//   Reader.parse(data, profile)           SafeTensors::Parse over a bytes
//                                         object the Reader keeps alive
//   reader.sorted_names(), .offset_names(), .metadata(), .info(name),
//   .entry(name) / .entries() (dtype, shape, file offset, byte size),
//   .read(name) / .read_slice(name, items) -> bytearray in host order,
//   .read_into(name, buffer) into a caller's writable buffer,
//   .writable, and the buffer protocol (the whole file; writable for
//   backend "mmap", a private copy-on-write mapping) for zero-copy views,
//   which keep the Reader and its mapping alive.
//   serialize(entries, metadata, path=None, alignment=8)
//                                         Serialize / WriteFile; an entry is
//                                         (name, dtype, shape, data[, host]),
//                                         data a bytes-like object or an
//                                         (address, length) pair, host true
//                                         when it is in host byte order.
//
// Errors: IoError becomes the OSError subclass of its code (FileNotFoundError,
// PermissionError, IsADirectoryError, else OSError) with errno and the file
// name; every other kind becomes SafetensorError, "<prefix><Kind>: <message>"
// (the prefix as the Python library's, e.g. "Error while deserializing
// header: "). Parsing, file I/O and copies run without the GIL.

#include <Python.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

#include "pybind11/pybind11.h"
#include "pybind11/stl.h"
#include "safetensors/safetensors.h"

namespace py = pybind11;

namespace safetensors {
namespace python {
namespace {}  // namespace

PyObject* g_safetensor_error = nullptr;

namespace {

// Raises the Python exception for `status` and throws error_already_set.
[[noreturn]] void Raise(const absl::Status& status, absl::string_view prefix,
                        const std::string& filename = "") {
  const std::optional<ErrorKind> kind = ErrorKindOf(status);
  if (kind == ErrorKind::kIoError) {
    PyObject* type = PyExc_OSError;
    int err = 0;
    switch (status.code()) {
      case absl::StatusCode::kNotFound:
        type = PyExc_FileNotFoundError;
        err = ENOENT;
        break;
      case absl::StatusCode::kPermissionDenied:
        type = PyExc_PermissionError;
        err = EACCES;
        break;
      case absl::StatusCode::kFailedPrecondition:
        if (absl::StrContains(status.message(), "directory")) {
          type = PyExc_IsADirectoryError;
          err = EISDIR;
        }
        break;
      default:
        break;
    }
    // A missing file reads as in the Python library: str() is exactly
    // "No such file or directory: NAME" (so errno and filename stay unset:
    // OSError's str() would show them). Other errors: errno, message and
    // file name, the usual OSError layout.
    const bool missing = type == PyExc_FileNotFoundError && !filename.empty();
    const std::string message = missing
                                    ? "No such file or directory: " + filename
                                    : std::string(status.message());
    py::object args = err != 0 && !filename.empty() && !missing
                          ? py::make_tuple(err, message, filename)
                          : py::make_tuple(message);
    py::object error = py::reinterpret_steal<py::object>(
        PyObject_Call(type, args.ptr(), nullptr));
    if (!error) throw py::error_already_set();
    PyErr_SetObject(type, error.ptr());
    throw py::error_already_set();
  }
  std::string message = absl::StrCat(prefix, FormatError(status));
  // The C++ library's hint for a file only the strict profile rejects names
  // the C++ and tool spellings; a Python user passes a keyword.
  absl::StrReplaceAll(
      {{"set ReadOptions::profile = Profile::kReference (the tool: "
        "--profile=reference)",
        "pass profile=\"reference\" (safe_open(..., profile=\"reference\"), "
        "load_file(..., profile=\"reference\"))"}},
      &message);
  PyErr_SetString(g_safetensor_error, message.c_str());
  throw py::error_already_set();
}

Profile ProfileFromName(const std::string& name) {
  if (name == "strict") return Profile::kStrict;
  if (name == "reference") return Profile::kReference;
  throw py::value_error("profile '" + name +
                        "' is invalid: use \"strict\" (the default) or "
                        "\"reference\"");
}

py::str Str(absl::string_view s) { return py::str(s.data(), s.size()); }

py::list ShapeList(absl::Span<const uint64_t> shape) {
  py::list out;
  for (uint64_t d : shape) out.append(py::int_(d));
  return out;
}

// An uninitialized bytearray of `size` bytes.
py::bytearray NewByteArray(uint64_t size) {
  if (size > static_cast<uint64_t>(PY_SSIZE_T_MAX)) throw std::bad_alloc();
  PyObject* raw =
      PyByteArray_FromStringAndSize(nullptr, static_cast<Py_ssize_t>(size));
  if (raw == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::bytearray>(raw);
}

absl::Span<uint8_t> Bytes(py::bytearray& b) {
  return absl::MakeSpan(
      reinterpret_cast<uint8_t*>(PyByteArray_AsString(b.ptr())),
      static_cast<size_t>(PyByteArray_Size(b.ptr())));
}

// The memory of a Python object for the duration of a call: a C-contiguous
// buffer (writable if `writable`), released on destruction, or a raw
// (address, length) pair (a PyTorch tensor's memory).
class HeldBuffer {
 public:
  HeldBuffer(py::handle data, bool writable) {
    if (py::isinstance<py::tuple>(data)) {
      const py::tuple t = py::reinterpret_borrow<py::tuple>(data);
      if (t.size() != 2) {
        throw py::type_error(
            "data must be bytes-like or an (address, length) pair");
      }
      span_ = absl::MakeSpan(reinterpret_cast<uint8_t*>(t[0].cast<uintptr_t>()),
                             t[1].cast<size_t>());
      return;
    }
    const int flags =
        PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : PyBUF_SIMPLE);
    if (PyObject_GetBuffer(data.ptr(), &view_, flags) != 0) {
      PyErr_Clear();
      throw py::type_error(
          std::string("tensor data must be a C-contiguous") +
          (writable ? " writable" : "") + " bytes-like object, got " +
          std::string(py::str(py::type::of(data).attr("__name__"))));
    }
    held_ = true;
    span_ = absl::MakeSpan(static_cast<uint8_t*>(view_.buf),
                           static_cast<size_t>(view_.len));
  }
  HeldBuffer(const HeldBuffer&) = delete;
  HeldBuffer& operator=(const HeldBuffer&) = delete;
  ~HeldBuffer() {
    if (held_) PyBuffer_Release(&view_);
  }
  absl::Span<uint8_t> span() const { return span_; }

 private:
  Py_buffer view_{};
  bool held_ = false;
  absl::Span<uint8_t> span_;
};

// One parsed file: mapped or read from a path, or over a bytes object.
class Reader {
 public:
  static std::unique_ptr<Reader> Open(const std::string& path,
                                      const std::string& profile,
                                      const std::string& backend) {
    OpenOptions options;
    options.read.profile = ProfileFromName(profile);
    // "mmap" hands tensors out as writable views of the file: a private,
    // copy-on-write mapping, as the Python library's storage of the file.
    if (backend == "mmap") {
      options.backend = Backend::kMmapCopyOnWrite;
    } else if (backend == "pread") {
      options.backend = Backend::kPread;
    } else {
      PyErr_SetString(g_safetensor_error,
                      ("backend \"" + backend +
                       "\" is invalid (expected one of: \"mmap\", \"pread\")")
                          .c_str());
      throw py::error_already_set();
    }
    auto reader = std::unique_ptr<Reader>(new Reader);
    if (options.backend == Backend::kPread) {
      // Only the header is read now; each tensor is read with pread straight
      // into the memory the framework allocated for it (one copy, no
      // mapping, and a file that shrinks meanwhile is an OSError, not
      // SIGBUS).
      absl::StatusOr<LazyFile> lazy = absl::UnknownError("");
      {
        py::gil_scoped_release release;
        lazy = LazyFile::Open(path, options.read);
      }
      if (!lazy.ok()) {
        Raise(lazy.status(), "Error while deserializing header: ", path);
      }
      reader->lazy_ = std::make_unique<LazyFile>(*std::move(lazy));
      reader->header_ = &reader->lazy_->header();
      return reader;
    }
    absl::StatusOr<File> file = absl::UnknownError("");
    {
      py::gil_scoped_release release;
      file = File::Open(path, options);
    }
    if (!file.ok()) {
      Raise(file.status(), "Error while deserializing header: ", path);
    }
    reader->file_ = std::make_unique<File>(*std::move(file));
    reader->parsed_ = &reader->file_->parsed();
    reader->header_ = &reader->parsed_->header();
    reader->bytes_ = reader->file_->bytes();
    reader->mutable_bytes_ = reader->file_->mutable_bytes();
    return reader;
  }

  static std::unique_ptr<Reader> Parse(py::bytes data,
                                       const std::string& profile,
                                       const std::string& prefix) {
    ReadOptions options;
    options.profile = ProfileFromName(profile);
    auto reader = std::unique_ptr<Reader>(new Reader);
    reader->owner_ = data;
    char* ptr = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(data.ptr(), &ptr, &size) != 0) {
      throw py::error_already_set();
    }
    const absl::Span<const uint8_t> bytes(reinterpret_cast<uint8_t*>(ptr),
                                          static_cast<size_t>(size));
    absl::StatusOr<SafeTensors> parsed = absl::UnknownError("");
    {
      py::gil_scoped_release release;
      parsed = SafeTensors::Parse(bytes, options);
    }
    if (!parsed.ok()) Raise(parsed.status(), prefix);
    reader->owned_parsed_ = std::make_unique<SafeTensors>(*std::move(parsed));
    reader->parsed_ = reader->owned_parsed_.get();
    reader->header_ = &reader->parsed_->header();
    reader->bytes_ = bytes;
    return reader;
  }

  py::list SortedNames() const {
    py::list out;
    for (absl::string_view name : header_->SortedNames()) out.append(Str(name));
    return out;
  }

  py::list OffsetNames() const {
    py::list out;
    for (const TensorInfo& info : header_->tensors()) {
      out.append(Str(info.name));
    }
    return out;
  }

  py::object Metadata() const {
    const std::optional<MetadataMap>& metadata = header_->metadata();
    if (!metadata.has_value()) return py::none();
    py::dict out;
    for (const auto& [key, value] : *metadata) out[Str(key)] = Str(value);
    return std::move(out);
  }

  size_t size() const { return header_->tensors().size(); }

  // (dtype name, shape, byte size), or None for a name not in the file.
  py::object Info(const std::string& name) const {
    const TensorInfo* info = header_->Find(name);
    if (info == nullptr) return py::none();
    return py::make_tuple(Str(DtypeName(info->dtype)), ShapeList(info->shape),
                          py::int_(info->end - info->begin));
  }

  // (dtype name, shape, file offset of the first byte, byte size) of
  // `name`: what a zero-copy view of the buffer needs, in one call.
  py::tuple Entry(const std::string& name) const {
    const TensorInfo& info = Find(name);
    return py::make_tuple(Str(DtypeName(info.dtype)), ShapeList(info.shape),
                          FileOffset(info), info.end - info.begin);
  }

  // (name, dtype name, shape, file offset, byte size) of every tensor, in
  // the order of their data in the file.
  py::list Entries() const {
    py::list out;
    for (const TensorInfo& info : header_->tensors()) {
      out.append(py::make_tuple(Str(info.name), Str(DtypeName(info.dtype)),
                                ShapeList(info.shape), FileOffset(info),
                                info.end - info.begin));
    }
    return out;
  }

  // True when the buffer is a writable, copy-on-write mapping of the file
  // (Reader.open with backend "mmap"): tensors may then view it.
  bool writable() const { return !mutable_bytes_.empty(); }

  py::bytearray Read(const std::string& name) const {
    const TensorInfo& info = Find(name);
    py::bytearray out = NewByteArray(info.end - info.begin);
    const absl::Span<uint8_t> dst = Bytes(out);
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = ReadToHost(info, dst);
    }
    if (!status.ok()) Raise(status, "Error while reading: ");
    return out;
  }

  // Copies the tensor, in host order, into `out`: a writable C-contiguous
  // buffer of exactly its byte size, or an (address, length) pair (a
  // PyTorch tensor's memory). The caller allocates, so the memory is the
  // framework's own.
  void ReadInto(const std::string& name, const py::object& out) const {
    const TensorInfo& info = Find(name);
    const HeldBuffer dst(out, /*writable=*/true);
    absl::Status status;
    {
      py::gil_scoped_release release;
      status = ReadToHost(info, dst.span());
    }
    if (!status.ok()) Raise(status, "Error while reading: ");
  }

  // items: one (is_index, start, stop, step) per dimension given, start and
  // stop None where Python left them out. Returns (shape, bytearray).
  py::tuple ReadSlice(const std::string& name, const py::list& items) const {
    const TensorInfo& info = Find(name);
    const absl::Span<const uint64_t> shape = info.shape;
    std::vector<PyIndexer> indexers;
    for (const py::handle item : items) {
      const py::tuple t = py::reinterpret_borrow<py::tuple>(item);
      auto bound = [](py::handle h) -> std::optional<int64_t> {
        if (h.is_none()) return std::nullopt;
        return h.cast<int64_t>();
      };
      if (t[0].cast<bool>()) {
        indexers.push_back(PyIndexer::Index(t[1].cast<int64_t>()));
      } else {
        indexers.push_back(
            PyIndexer::Slice(bound(t[1]), bound(t[2]), t[3].cast<int64_t>()));
      }
    }
    absl::StatusOr<std::vector<SliceIndexer>> resolved =
        ResolvePython(shape, indexers);
    if (!resolved.ok()) Raise(resolved.status(), "Error during slicing: ");
    absl::StatusOr<SlicePlan> plan = PlanSlice(info.dtype, shape, *resolved);
    if (!plan.ok()) Raise(plan.status(), "Error during slicing: ");
    py::bytearray out = NewByteArray(plan->byte_size());
    const absl::Span<uint8_t> dst = Bytes(out);
    absl::Status status;
    {
      py::gil_scoped_release release;
      if (lazy_ != nullptr) {
        // The whole tensor is read, then sliced: pread has no mapping to
        // take the rows from.
        std::vector<uint8_t> whole(info.end - info.begin);
        status = lazy_->ReadInto(info.name, absl::MakeSpan(whole));
        if (status.ok()) {
          status = CopySliceToHost(TensorView(info, whole), *resolved, dst);
        }
      } else {
        status = CopySliceToHost(View(info), *resolved, dst);
      }
    }
    if (!status.ok()) Raise(status, "Error during slicing: ");
    return py::make_tuple(ShapeList(plan->shape()), out);
  }

  absl::Span<const uint8_t> bytes() const { return bytes_; }

 private:
  Reader() = default;

  // The offset in the file of the tensor's first byte.
  uint64_t FileOffset(const TensorInfo& info) const {
    return 8 + header_->header_size() + info.begin;
  }

  const TensorInfo& Find(const std::string& name) const {
    const TensorInfo* info = header_->Find(name);
    if (info == nullptr) {
      PyErr_SetString(g_safetensor_error,
                      ("File does not contain tensor " + name).c_str());
      throw py::error_already_set();
    }
    return *info;
  }

  // The bytes of `info`, one of parsed_'s entries.
  TensorView View(const TensorInfo& info) const {
    return TensorView(
        info, parsed_->data().subspan(info.begin, info.end - info.begin));
  }

  // Copies the tensor `info` into `out` (its byte size) in host order:
  // from the bytes, or with pread. Called without the GIL.
  absl::Status ReadToHost(const TensorInfo& info,
                          absl::Span<uint8_t> out) const {
    if (lazy_ == nullptr) return CopyToHost(View(info), out);
    absl::Status status = lazy_->ReadInto(info.name, out);
    if (status.ok() && kHostIsBigEndian) {
      SwapInPlace(DtypeSwapUnit(info.dtype), out.data(), out.size());
    }
    return status;
  }

  // One of: a mapped File (backend "mmap"), a LazyFile (backend "pread"),
  // or a SafeTensors over a bytes object (parse).
  std::unique_ptr<File> file_;
  std::unique_ptr<LazyFile> lazy_;
  std::unique_ptr<SafeTensors> owned_parsed_;
  py::object owner_;  // the bytes object parsed_ views, if any
  const SafeTensors* parsed_ = nullptr;  // null for a LazyFile
  const Header* header_ = nullptr;       // names, dtypes, shapes, offsets
  absl::Span<const uint8_t> bytes_;
  absl::Span<uint8_t> mutable_bytes_;  // set for a copy-on-write mapping
};

// serialize(entries, metadata, path=None, alignment=8): bytes, or None after
// writing `path` atomically.
py::object SerializeEntries(const py::list& entries, const py::object& metadata,
                            const py::object& path, uint64_t alignment) {
  const char* prefix = "Error while serializing: ";
  std::vector<std::unique_ptr<HeldBuffer>> held;
  std::vector<TensorRef> refs;
  held.reserve(entries.size());
  refs.reserve(entries.size());
  for (const py::handle entry : entries) {
    const py::tuple t = py::reinterpret_borrow<py::tuple>(entry);
    const std::string name = t[0].cast<std::string>();
    const std::string dtype_name = t[1].cast<std::string>();
    const std::optional<Dtype> dtype = DtypeFromName(dtype_name);
    if (!dtype.has_value()) {
      Raise(MakeError(ErrorKind::kInvalidHeaderDeserialization,
                      absl::StrCat("tensor '", name, "': unknown dtype '",
                                   dtype_name, "'")),
            prefix);
    }
    std::vector<uint64_t> shape;
    for (const py::handle d : t[2]) {
      const int64_t v = d.cast<int64_t>();
      if (v < 0)
        throw py::value_error("tensor '" + name + "': negative dimension");
      shape.push_back(static_cast<uint64_t>(v));
    }
    held.push_back(std::make_unique<HeldBuffer>(t[3], /*writable=*/false));
    // A fifth element, true: the data is in host order (NumPy and PyTorch
    // memory), swapped on a big-endian host; else it is little-endian.
    const bool host_order = t.size() > 4 && t[4].cast<bool>();
    refs.emplace_back(name, *dtype, Shape(shape), held.back()->span(),
                      host_order ? ByteOrder::kHost : ByteOrder::kLittleEndian);
  }
  std::optional<MetadataMap> meta;
  if (!metadata.is_none()) {
    auto type_name = [](py::handle h) {
      return std::string(py::str(py::type::of(h).attr("__name__")));
    };
    if (!py::isinstance<py::dict>(metadata)) {
      throw py::type_error("metadata must be a dict of str to str, got " +
                           type_name(metadata));
    }
    meta.emplace();
    for (const auto& [key, value] :
         py::reinterpret_borrow<py::dict>(metadata)) {
      if (!py::isinstance<py::str>(key)) {
        throw py::type_error("metadata must be a dict of str to str: the key " +
                             std::string(py::repr(key)) + " is a " +
                             type_name(key));
      }
      if (!py::isinstance<py::str>(value)) {
        throw py::type_error(
            "metadata must be a dict of str to str: the value for " +
            std::string(py::repr(key)) + " is a " + type_name(value));
      }
      meta->emplace(key.cast<std::string>(), value.cast<std::string>());
    }
  }
  WriteOptions options;
  options.alignment = alignment;
  if (path.is_none()) {
    absl::StatusOr<std::string> bytes = absl::UnknownError("");
    {
      py::gil_scoped_release release;
      bytes = safetensors::Serialize(refs, meta, options);
    }
    if (!bytes.ok()) Raise(bytes.status(), prefix);
    return py::bytes(*bytes);
  }
  const std::string file = path.cast<std::string>();
  absl::Status status;
  {
    py::gil_scoped_release release;
    status = WriteFile(file, refs, meta, options);
  }
  if (!status.ok()) Raise(status, prefix, file);
  return py::none();
}

}  // namespace
}  // namespace python
}  // namespace safetensors

PYBIND11_MODULE(_core, m) {
  using namespace safetensors;          // NOLINT
  using namespace safetensors::python;  // NOLINT
  m.doc() = "The C++ core of the safetensors package (safetensors-cpp).";
  g_safetensor_error = PyErr_NewExceptionWithDoc(
      "safetensors.SafetensorError",
      "Raised for every invalid safetensors file and every failed write.",
      PyExc_Exception, nullptr);
  if (g_safetensor_error == nullptr) throw py::error_already_set();
  m.attr("SafetensorError") = py::handle(g_safetensor_error);
  m.attr("version") = SAFETENSORS_VERSION_STRING;

  py::class_<Reader>(m, "Reader", py::buffer_protocol())
      .def_static("open", &Reader::Open, py::arg("path"), py::arg("profile"),
                  py::arg("backend"))
      .def_static("parse", &Reader::Parse, py::arg("data"), py::arg("profile"),
                  py::arg("prefix"))
      .def("sorted_names", &Reader::SortedNames)
      .def("offset_names", &Reader::OffsetNames)
      .def("metadata", &Reader::Metadata)
      .def("info", &Reader::Info)
      .def("read", &Reader::Read)
      .def("read_into", &Reader::ReadInto)
      .def("read_slice", &Reader::ReadSlice)
      .def("entry", &Reader::Entry)
      .def("entries", &Reader::Entries)
      .def_property_readonly("writable", &Reader::writable)
      .def("__len__", &Reader::size)
      // The whole file: writable for a copy-on-write mapping (a write
      // changes this process's pages only), else read-only. NumPy arrays
      // and PyTorch tensors made over it keep the Reader, and so the
      // mapping, alive.
      .def_buffer([](Reader& r) {
        const absl::Span<const uint8_t> b = r.bytes();
        return py::buffer_info(const_cast<uint8_t*>(b.data()), 1,
                               py::format_descriptor<uint8_t>::format(), 1,
                               {static_cast<py::ssize_t>(b.size())}, {1},
                               /*readonly=*/!r.writable());
      });

  m.def("serialize", &SerializeEntries, py::arg("entries"), py::arg("metadata"),
        py::arg("path") = py::none(), py::arg("alignment") = 8);
  m.def("host_is_little_endian", [] { return !kHostIsBigEndian; });
  m.def("is_dtype_code", [](const std::string& name) {
    return DtypeFromName(name).has_value();
  });
}
