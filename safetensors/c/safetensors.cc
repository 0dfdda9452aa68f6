// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The C API (safetensors/c/safetensors.h) over the C++ library. Every entry
// point checks its arguments, calls the C++ library inside Guard (which turns
// a C++ exception into a status code, so that none crosses the C boundary),
// and maps an absl::Status to a code by its ErrorKind.

#include "safetensors/c/safetensors.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

#include "safetensors/convert.h"
#include "safetensors/dtype.h"
#include "safetensors/file.h"
#include "safetensors/header.h"
#include "safetensors/host_order.h"
#include "safetensors/index.h"
#include "safetensors/reader.h"
#include "safetensors/slice.h"
#include "safetensors/status.h"
#include "safetensors/version.h"
#include "safetensors/writer.h"

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define ST_HAVE_EXCEPTIONS 1
#else
#define ST_HAVE_EXCEPTIONS 0
#endif

static_assert(ST_VERSION_MAJOR == SAFETENSORS_VERSION_MAJOR &&
                  ST_VERSION_MINOR == SAFETENSORS_VERSION_MINOR &&
                  ST_VERSION_PATCH == SAFETENSORS_VERSION_PATCH,
              "safetensors/c/safetensors.h's version is version.h's");
static_assert(ST_VERSION == safetensors::kVersionNumber, "one version number");
static_assert(ST_DTYPE_COUNT == safetensors::kNumDtypes, "22 dtypes");
static_assert(ST_DTYPE_U64 == static_cast<int>(safetensors::Dtype::kU64),
              "dtype values are safetensors::Dtype's");
static_assert(ST_ERR_INVALID_SLICE_RANGE ==
                  static_cast<int>(safetensors::ErrorKind::kInvalidSliceRange) +
                      1,
              "kind codes are ErrorKind + 1");
static_assert(safetensors::kNumErrorKinds == 16, "16 kinds");

struct st_error {
  st_status code;
  std::string message;
};

struct st_tensor {
  explicit st_tensor(const safetensors::TensorView& v) : view(v) {}
  safetensors::TensorView view;
};

struct st_reader {
  // Exactly one of these holds the parsed model.
  std::optional<safetensors::SafeTensors> parsed;     // st_parse
  std::optional<safetensors::Checkpoint> checkpoint;  // st_open
  std::vector<st_tensor> tensors;                     // file order
  absl::flat_hash_map<const safetensors::TensorInfo*, size_t> by_info;
  std::optional<safetensors::MetadataMap> owned_metadata;  // a checkpoint's
  std::vector<const safetensors::MetadataMap::value_type*> metadata;
};

namespace {

using safetensors::Dtype;
using safetensors::ErrorKind;

constexpr const char* kUsageNames[] = {
    "NullArgument", "InvalidArgument", "BufferTooSmall",
    "OutOfMemory",  "Internal",
};

// Sets *error (when error is not NULL) to a new error and returns code.
st_status Fail(st_error** error, st_status code, absl::string_view message) {
  if (error != nullptr) {
    *error = new (std::nothrow) st_error;
    if (*error != nullptr) {
      (*error)->code = code;
#if ST_HAVE_EXCEPTIONS
      try {
        (*error)->message = std::string(message);
      } catch (...) {
      }
#else
      (*error)->message = std::string(message);
#endif
    }
  }
  return code;
}

st_status Ok(st_error** error) {
  if (error != nullptr) *error = nullptr;
  return ST_OK;
}

st_status CodeOf(const absl::Status& status) {
  if (status.ok()) return ST_OK;
  if (std::optional<ErrorKind> kind = safetensors::ErrorKindOf(status)) {
    return static_cast<st_status>(*kind) + 1;
  }
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return ST_ERR_INVALID_ARGUMENT;
    case absl::StatusCode::kResourceExhausted:
      return ST_ERR_OUT_OF_MEMORY;
    default:
      return ST_ERR_INTERNAL;
  }
}

st_status FromStatus(st_error** error, const absl::Status& status) {
  if (status.ok()) return Ok(error);
  return Fail(error, CodeOf(status), status.message());
}

// Runs fn (returning st_status) and turns an exception into a status.
template <typename Fn>
st_status Guard(st_error** error, Fn&& fn) {
  if (error != nullptr) *error = nullptr;
#if ST_HAVE_EXCEPTIONS
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return Fail(error, ST_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return Fail(error, ST_ERR_INTERNAL, e.what());
  } catch (...) {
    return Fail(error, ST_ERR_INTERNAL, "unknown C++ exception");
  }
#else
  return fn();
#endif
}

st_status NullArgument(st_error** error, const char* what) {
  return Fail(error, ST_ERR_NULL_ARGUMENT, absl::StrCat(what, " is NULL"));
}

// A pointer and a length: NULL only when the length is 0.
bool BadBytes(const void* p, size_t len) { return p == nullptr && len != 0; }

absl::string_view Bytes(const char* p, size_t len) {
  return len == 0 ? absl::string_view() : absl::string_view(p, len);
}

bool ValidDtype(st_dtype d) { return d >= 0 && d < ST_DTYPE_COUNT; }

st_status ReadOptionsOf(st_profile profile, safetensors::ReadOptions* out,
                        st_error** error) {
  switch (profile) {
    case ST_PROFILE_STRICT:
      out->profile = safetensors::Profile::kStrict;
      return ST_OK;
    case ST_PROFILE_REFERENCE:
      out->profile = safetensors::Profile::kReference;
      return ST_OK;
    default:
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("unknown profile ", profile));
  }
}

// Fills reader->tensors, by_info and metadata from the views given.
void Index(st_reader* reader, std::vector<safetensors::TensorView> views,
           const safetensors::MetadataMap* metadata) {
  reader->tensors.reserve(views.size());
  for (const safetensors::TensorView& v : views) {
    reader->by_info.emplace(&v.info(), reader->tensors.size());
    reader->tensors.emplace_back(v);
  }
  if (metadata != nullptr) {
    reader->metadata.reserve(metadata->size());
    for (const auto& entry : *metadata) reader->metadata.push_back(&entry);
  }
}

st_status Found(const st_reader* reader,
                const absl::StatusOr<safetensors::TensorView>& view,
                const st_tensor** tensor, st_error** error) {
  if (!view.ok()) return FromStatus(error, view.status());
  auto it = reader->by_info.find(&view->info());
  if (it == reader->by_info.end()) {
    return Fail(error, ST_ERR_INTERNAL, "a found tensor is not indexed");
  }
  *tensor = &reader->tensors[it->second];
  return Ok(error);
}

std::vector<safetensors::SliceIndexer> Indexers(const st_range* ranges,
                                                size_t n) {
  std::vector<safetensors::SliceIndexer> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const st_range& r = ranges[i];
    out.push_back(r.stop == ST_RANGE_END
                      ? safetensors::RangeFrom(r.start, r.step)
                      : safetensors::Range(r.start, r.stop, r.step));
  }
  return out;
}

// The C descriptors as the C++ writer's, checking every field.
st_status Describe(const st_tensor_desc* tensors, size_t n_tensors,
                   const st_metadata_entry* metadata, size_t n_metadata,
                   const st_write_options* options,
                   std::vector<safetensors::TensorRef>* refs,
                   std::optional<safetensors::MetadataMap>* meta,
                   safetensors::WriteOptions* write_options, st_error** error) {
  if (BadBytes(tensors, n_tensors)) return NullArgument(error, "tensors");
  if (BadBytes(metadata, n_metadata)) return NullArgument(error, "metadata");
  if (options != nullptr) {
    if (options->struct_size != sizeof(st_write_options)) {
      return Fail(
          error, ST_ERR_INVALID_ARGUMENT,
          absl::StrCat("st_write_options.struct_size is ", options->struct_size,
                       ", not ", sizeof(st_write_options),
                       " (call st_write_options_init)"));
    }
    write_options->alignment = options->alignment;
    write_options->fsync = options->fsync != 0;
    switch (options->tensor_order) {
      case ST_ORDER_REFERENCE:
        write_options->tensor_order = safetensors::TensorOrder::kReference;
        break;
      case ST_ORDER_DECLARED:
        write_options->tensor_order = safetensors::TensorOrder::kDeclared;
        break;
      default:
        return Fail(
            error, ST_ERR_INVALID_ARGUMENT,
            absl::StrCat("unknown tensor order ", options->tensor_order));
    }
  }
  refs->reserve(n_tensors);
  for (size_t i = 0; i < n_tensors; ++i) {
    const st_tensor_desc& d = tensors[i];
    if (BadBytes(d.name, d.name_len)) {
      return NullArgument(error, absl::StrCat("tensors[", i, "].name").c_str());
    }
    if (BadBytes(d.dims, d.rank)) {
      return NullArgument(error, absl::StrCat("tensors[", i, "].dims").c_str());
    }
    if (BadBytes(d.data, d.data_len)) {
      return NullArgument(error, absl::StrCat("tensors[", i, "].data").c_str());
    }
    if (!ValidDtype(d.dtype)) {
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("tensors[", i, "]: unknown dtype ", d.dtype));
    }
    safetensors::ByteOrder order;
    switch (d.byte_order) {
      case ST_BYTE_ORDER_HOST:
        order = safetensors::ByteOrder::kHost;
        break;
      case ST_BYTE_ORDER_LITTLE_ENDIAN:
        order = safetensors::ByteOrder::kLittleEndian;
        break;
      default:
        return Fail(error, ST_ERR_INVALID_ARGUMENT,
                    absl::StrCat("tensors[", i, "]: unknown byte order ",
                                 d.byte_order));
    }
    refs->emplace_back(
        Bytes(d.name, d.name_len), static_cast<Dtype>(d.dtype),
        safetensors::Shape(
            absl::Span<const uint64_t>(d.rank == 0 ? nullptr : d.dims, d.rank)),
        absl::Span<const uint8_t>(
            d.data_len == 0 ? nullptr : static_cast<const uint8_t*>(d.data),
            d.data_len),
        order);
  }
  if (metadata != nullptr) {
    meta->emplace();
    for (size_t i = 0; i < n_metadata; ++i) {
      const st_metadata_entry& m = metadata[i];
      if (BadBytes(m.key, m.key_len)) {
        return NullArgument(error,
                            absl::StrCat("metadata[", i, "].key").c_str());
      }
      if (BadBytes(m.value, m.value_len)) {
        return NullArgument(error,
                            absl::StrCat("metadata[", i, "].value").c_str());
      }
      if (!(*meta)
               ->emplace(std::string(Bytes(m.key, m.key_len)),
                         std::string(Bytes(m.value, m.value_len)))
               .second) {
        return Fail(error, ST_ERR_INVALID_ARGUMENT,
                    absl::StrCat("metadata[", i, "]: a key given twice"));
      }
    }
  }
  return ST_OK;
}

// Serializes the descriptors into *bytes.
st_status SerializeTo(const st_tensor_desc* tensors, size_t n_tensors,
                      const st_metadata_entry* metadata, size_t n_metadata,
                      const st_write_options* options, std::string* bytes,
                      st_error** error) {
  std::vector<safetensors::TensorRef> refs;
  std::optional<safetensors::MetadataMap> meta;
  safetensors::WriteOptions write_options;
  st_status s = Describe(tensors, n_tensors, metadata, n_metadata, options,
                         &refs, &meta, &write_options, error);
  if (s != ST_OK) return s;
  absl::StatusOr<std::string> file =
      safetensors::Serialize(refs, meta, write_options);
  if (!file.ok()) return FromStatus(error, file.status());
  *bytes = std::move(*file);
  return ST_OK;
}

}  // namespace

extern "C" {

uint32_t st_version(void) { return safetensors::kVersionNumber; }

const char* st_version_string(void) { return safetensors::kVersionString; }

uint32_t st_abi_version(void) { return ST_ABI_VERSION; }

const char* st_status_name(st_status status) {
  if (status == ST_OK) return "OK";
  if (status >= ST_ERR_HEADER_TOO_SMALL &&
      status <= ST_ERR_INVALID_SLICE_RANGE) {
    // ErrorKindName's views are of string literals, so NUL-terminated.
    return safetensors::ErrorKindName(static_cast<ErrorKind>(status - 1))
        .data();
  }
  if (status >= ST_ERR_NULL_ARGUMENT && status <= ST_ERR_INTERNAL) {
    return kUsageNames[status - ST_ERR_NULL_ARGUMENT];
  }
  return nullptr;
}

st_status st_error_code(const st_error* error) {
  return error == nullptr ? ST_ERR_NULL_ARGUMENT : error->code;
}

const char* st_error_message(const st_error* error) {
  return error == nullptr ? "" : error->message.c_str();
}

void st_error_free(st_error* error) { delete error; }

const char* st_dtype_name(st_dtype dtype) {
  if (!ValidDtype(dtype)) return nullptr;
  // DtypeName's views are of string literals, so NUL-terminated.
  return safetensors::DtypeName(static_cast<Dtype>(dtype)).data();
}

int st_dtype_bits(st_dtype dtype) {
  if (!ValidDtype(dtype)) return 0;
  return safetensors::DtypeBits(static_cast<Dtype>(dtype));
}

st_status st_dtype_from_name(const char* name, size_t len, st_dtype* dtype,
                             st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (BadBytes(name, len)) return NullArgument(error, "name");
    if (dtype == nullptr) return NullArgument(error, "dtype");
    std::optional<Dtype> d = safetensors::DtypeFromName(Bytes(name, len));
    if (!d.has_value()) {
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("no dtype is named \"",
                               absl::CHexEscape(Bytes(name, len)), "\""));
    }
    *dtype = static_cast<st_dtype>(*d);
    return ST_OK;
  });
}

st_status st_open(const char* path, st_profile profile, st_backend backend,
                  st_reader** reader, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (path == nullptr) return NullArgument(error, "path");
    if (reader == nullptr) return NullArgument(error, "reader");
    safetensors::OpenOptions options;
    st_status s = ReadOptionsOf(profile, &options.read, error);
    if (s != ST_OK) return s;
    switch (backend) {
      case ST_BACKEND_MMAP:
        options.backend = safetensors::Backend::kMmap;
        break;
      case ST_BACKEND_PREAD:
        options.backend = safetensors::Backend::kPread;
        break;
      default:
        return Fail(error, ST_ERR_INVALID_ARGUMENT,
                    absl::StrCat("unknown backend ", backend));
    }
    absl::StatusOr<safetensors::Checkpoint> checkpoint =
        safetensors::Checkpoint::Open(path, options);
    if (!checkpoint.ok()) return FromStatus(error, checkpoint.status());
    auto r = std::make_unique<st_reader>();
    r->checkpoint.emplace(*std::move(checkpoint));
    absl::StatusOr<std::vector<safetensors::ShardTensor>> all =
        r->checkpoint->Tensors();
    if (!all.ok()) return FromStatus(error, all.status());
    absl::StatusOr<std::optional<safetensors::MetadataMap>> metadata =
        r->checkpoint->Metadata();
    if (!metadata.ok()) return FromStatus(error, metadata.status());
    r->owned_metadata = *std::move(metadata);
    std::vector<safetensors::TensorView> views;
    views.reserve(all->size());
    for (const safetensors::ShardTensor& t : *all) views.push_back(t.view);
    Index(r.get(), std::move(views),
          r->owned_metadata ? &*r->owned_metadata : nullptr);
    *reader = r.release();
    return ST_OK;
  });
}

st_status st_parse(const void* data, size_t size, st_profile profile,
                   st_reader** reader, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (BadBytes(data, size)) return NullArgument(error, "data");
    if (reader == nullptr) return NullArgument(error, "reader");
    safetensors::ReadOptions options;
    st_status s = ReadOptionsOf(profile, &options, error);
    if (s != ST_OK) return s;
    absl::StatusOr<safetensors::SafeTensors> parsed =
        safetensors::SafeTensors::Parse(
            absl::Span<const uint8_t>(
                size == 0 ? nullptr : static_cast<const uint8_t*>(data), size),
            options);
    if (!parsed.ok()) return FromStatus(error, parsed.status());
    auto r = std::make_unique<st_reader>();
    r->parsed.emplace(*std::move(parsed));
    const std::optional<safetensors::MetadataMap>& metadata =
        r->parsed->metadata();
    Index(r.get(), r->parsed->Tensors(), metadata ? &*metadata : nullptr);
    *reader = r.release();
    return ST_OK;
  });
}

void st_reader_free(st_reader* reader) { delete reader; }

st_status st_reader_tensor_count(const st_reader* reader, size_t* count) {
  if (reader == nullptr || count == nullptr) return ST_ERR_NULL_ARGUMENT;
  *count = reader->tensors.size();
  return ST_OK;
}

st_status st_reader_tensor_at(const st_reader* reader, size_t index,
                              const st_tensor** tensor, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (reader == nullptr) return NullArgument(error, "reader");
    if (tensor == nullptr) return NullArgument(error, "tensor");
    if (index >= reader->tensors.size()) {
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("tensor index ", index, " of ",
                               reader->tensors.size(), " tensors"));
    }
    *tensor = &reader->tensors[index];
    return ST_OK;
  });
}

st_status st_reader_find(const st_reader* reader, const char* name, size_t len,
                         const st_tensor** tensor, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (reader == nullptr) return NullArgument(error, "reader");
    if (BadBytes(name, len)) return NullArgument(error, "name");
    if (tensor == nullptr) return NullArgument(error, "tensor");
    const absl::string_view n = Bytes(name, len);
    if (reader->parsed) {
      return Found(reader, reader->parsed->Tensor(n), tensor, error);
    }
    return Found(reader, reader->checkpoint->Tensor(n), tensor, error);
  });
}

st_status st_reader_has_metadata(const st_reader* reader, int32_t* present) {
  if (reader == nullptr || present == nullptr) return ST_ERR_NULL_ARGUMENT;
  *present = (reader->parsed ? reader->parsed->metadata().has_value()
                             : reader->owned_metadata.has_value())
                 ? 1
                 : 0;
  return ST_OK;
}

st_status st_reader_file_layout(const st_reader* reader, uint64_t* header_len,
                                uint64_t* data_len, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (reader == nullptr) return NullArgument(error, "reader");
    if (header_len == nullptr || data_len == nullptr) {
      return NullArgument(error, "an output pointer");
    }
    if (reader->parsed) {
      *header_len = reader->parsed->header().header_size();
      *data_len = reader->parsed->data().size();
      return ST_OK;
    }
    if (reader->checkpoint->is_index()) {
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("a sharded checkpoint (",
                               reader->checkpoint->shard_names().size(),
                               " shards) has no single file layout"));
    }
    absl::StatusOr<const safetensors::File*> file =
        reader->checkpoint->Shard(0);
    if (!file.ok()) return FromStatus(error, file.status());
    *header_len = (*file)->parsed().header().header_size();
    *data_len = (*file)->parsed().data().size();
    return ST_OK;
  });
}

st_status st_reader_metadata_count(const st_reader* reader, size_t* count) {
  if (reader == nullptr || count == nullptr) return ST_ERR_NULL_ARGUMENT;
  *count = reader->metadata.size();
  return ST_OK;
}

st_status st_reader_metadata_at(const st_reader* reader, size_t index,
                                const char** key, size_t* key_len,
                                const char** value, size_t* value_len,
                                st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (reader == nullptr) return NullArgument(error, "reader");
    if (key == nullptr || key_len == nullptr || value == nullptr ||
        value_len == nullptr) {
      return NullArgument(error, "an output pointer");
    }
    if (index >= reader->metadata.size()) {
      return Fail(error, ST_ERR_INVALID_ARGUMENT,
                  absl::StrCat("metadata index ", index, " of ",
                               reader->metadata.size(), " entries"));
    }
    const auto& entry = *reader->metadata[index];
    *key = entry.first.data();
    *key_len = entry.first.size();
    *value = entry.second.data();
    *value_len = entry.second.size();
    return ST_OK;
  });
}

st_status st_tensor_name(const st_tensor* tensor, const char** name,
                         size_t* len) {
  if (tensor == nullptr || name == nullptr || len == nullptr) {
    return ST_ERR_NULL_ARGUMENT;
  }
  *name = tensor->view.name().data();
  *len = tensor->view.name().size();
  return ST_OK;
}

st_status st_tensor_dtype(const st_tensor* tensor, st_dtype* dtype) {
  if (tensor == nullptr || dtype == nullptr) return ST_ERR_NULL_ARGUMENT;
  *dtype = static_cast<st_dtype>(tensor->view.dtype());
  return ST_OK;
}

st_status st_tensor_shape(const st_tensor* tensor, size_t* rank,
                          const uint64_t** dims) {
  if (tensor == nullptr || rank == nullptr || dims == nullptr) {
    return ST_ERR_NULL_ARGUMENT;
  }
  *rank = tensor->view.shape().size();
  *dims = tensor->view.shape().empty() ? nullptr : tensor->view.shape().data();
  return ST_OK;
}

st_status st_tensor_offsets(const st_tensor* tensor, uint64_t* begin,
                            uint64_t* end) {
  if (tensor == nullptr || begin == nullptr || end == nullptr) {
    return ST_ERR_NULL_ARGUMENT;
  }
  *begin = tensor->view.begin();
  *end = tensor->view.end();
  return ST_OK;
}

st_status st_tensor_element_count(const st_tensor* tensor, uint64_t* count) {
  if (tensor == nullptr || count == nullptr) return ST_ERR_NULL_ARGUMENT;
  *count = tensor->view.element_count();
  return ST_OK;
}

st_status st_tensor_data(const st_tensor* tensor, const void** data,
                         size_t* size) {
  if (tensor == nullptr || data == nullptr || size == nullptr) {
    return ST_ERR_NULL_ARGUMENT;
  }
  *data = tensor->view.data().data();
  *size = tensor->view.data().size();
  return ST_OK;
}

st_status st_tensor_copy(const st_tensor* tensor, void* out, size_t out_size,
                         st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (tensor == nullptr) return NullArgument(error, "tensor");
    if (BadBytes(out, out_size)) return NullArgument(error, "out");
    const uint64_t need = tensor->view.byte_size();
    if (out_size < need) {
      return Fail(error, ST_ERR_BUFFER_TOO_SMALL,
                  absl::StrCat("the tensor has ", need, " bytes; the buffer ",
                               out_size));
    }
    return FromStatus(error, safetensors::CopyToHost(
                                 tensor->view, absl::Span<uint8_t>(
                                                   static_cast<uint8_t*>(out),
                                                   static_cast<size_t>(need))));
  });
}

st_status st_tensor_slice_size(const st_tensor* tensor, const st_range* ranges,
                               size_t n, uint64_t* elements, uint64_t* bytes,
                               st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (tensor == nullptr) return NullArgument(error, "tensor");
    if (BadBytes(ranges, n)) return NullArgument(error, "ranges");
    if (elements == nullptr || bytes == nullptr) {
      return NullArgument(error, "an output pointer");
    }
    const std::vector<safetensors::SliceIndexer> indexers = Indexers(ranges, n);
    absl::StatusOr<safetensors::SlicePlan> plan = safetensors::PlanSlice(
        tensor->view.dtype(), tensor->view.shape(), indexers);
    if (!plan.ok()) return FromStatus(error, plan.status());
    absl::StatusOr<uint64_t> count = safetensors::ElementCount(plan->shape());
    if (!count.ok()) return FromStatus(error, count.status());
    *elements = *count;
    *bytes = plan->byte_size();
    return ST_OK;
  });
}

st_status st_tensor_copy_slice(const st_tensor* tensor, const st_range* ranges,
                               size_t n, void* out, size_t out_size,
                               st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (tensor == nullptr) return NullArgument(error, "tensor");
    if (BadBytes(ranges, n)) return NullArgument(error, "ranges");
    if (BadBytes(out, out_size)) return NullArgument(error, "out");
    const std::vector<safetensors::SliceIndexer> indexers = Indexers(ranges, n);
    absl::StatusOr<safetensors::SlicePlan> plan = safetensors::PlanSlice(
        tensor->view.dtype(), tensor->view.shape(), indexers);
    if (!plan.ok()) return FromStatus(error, plan.status());
    if (out_size < plan->byte_size()) {
      return Fail(error, ST_ERR_BUFFER_TOO_SMALL,
                  absl::StrCat("the slice has ", plan->byte_size(),
                               " bytes; the buffer ", out_size));
    }
    return FromStatus(error, safetensors::CopySliceToHost(
                                 tensor->view, indexers,
                                 absl::Span<uint8_t>(
                                     static_cast<uint8_t*>(out),
                                     static_cast<size_t>(plan->byte_size()))));
  });
}

st_status st_tensor_copy_float(const st_tensor* tensor, const st_range* ranges,
                               size_t n, float* out, size_t out_count,
                               st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (tensor == nullptr) return NullArgument(error, "tensor");
    if (BadBytes(ranges, n)) return NullArgument(error, "ranges");
    if (BadBytes(out, out_count)) return NullArgument(error, "out");
    const Dtype dtype = tensor->view.dtype();
    if (!safetensors::CanConvertToFloat(dtype)) {
      return Fail(
          error, ST_ERR_INVALID_TENSOR_VIEW,
          absl::StrCat("tensor \"", absl::CHexEscape(tensor->view.name()),
                       "\" is ", safetensors::DtypeName(dtype),
                       ", which has no float value"));
    }
    absl::Span<const uint8_t> le = tensor->view.data();
    std::vector<uint8_t> slice;
    uint64_t count = tensor->view.element_count();
    if (n > 0) {
      const std::vector<safetensors::SliceIndexer> indexers =
          Indexers(ranges, n);
      absl::StatusOr<safetensors::SlicePlan> plan =
          safetensors::PlanSlice(dtype, tensor->view.shape(), indexers);
      if (!plan.ok()) return FromStatus(error, plan.status());
      absl::StatusOr<uint64_t> c = safetensors::ElementCount(plan->shape());
      if (!c.ok()) return FromStatus(error, c.status());
      count = *c;
      if (out_count < count) {
        return Fail(error, ST_ERR_BUFFER_TOO_SMALL,
                    absl::StrCat("the slice has ", count,
                                 " elements; the buffer ", out_count));
      }
      slice.resize(plan->byte_size());
      absl::Status s = safetensors::CopySlice(*plan, le, absl::MakeSpan(slice));
      if (!s.ok()) return FromStatus(error, s);
      le = slice;
    } else if (out_count < count) {
      return Fail(error, ST_ERR_BUFFER_TOO_SMALL,
                  absl::StrCat("the tensor has ", count,
                               " elements; the buffer ", out_count));
    }
    return FromStatus(
        error,
        safetensors::ConvertToFloat(
            dtype, le, absl::Span<float>(out, static_cast<size_t>(count))));
  });
}

void st_write_options_init(st_write_options* options) {
  if (options == nullptr) return;
  std::memset(options, 0, sizeof(*options));
  options->struct_size = sizeof(st_write_options);
  options->alignment = safetensors::WriteOptions().alignment;
  options->fsync = 0;
  options->tensor_order = ST_ORDER_REFERENCE;
}

st_status st_write_file(const char* path, const st_tensor_desc* tensors,
                        size_t n_tensors, const st_metadata_entry* metadata,
                        size_t n_metadata, const st_write_options* options,
                        st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (path == nullptr) return NullArgument(error, "path");
    std::vector<safetensors::TensorRef> refs;
    std::optional<safetensors::MetadataMap> meta;
    safetensors::WriteOptions write_options;
    st_status s = Describe(tensors, n_tensors, metadata, n_metadata, options,
                           &refs, &meta, &write_options, error);
    if (s != ST_OK) return s;
    return FromStatus(error,
                      safetensors::WriteFile(path, refs, meta, write_options));
  });
}

st_status st_serialize(const st_tensor_desc* tensors, size_t n_tensors,
                       const st_metadata_entry* metadata, size_t n_metadata,
                       const st_write_options* options, void** out,
                       size_t* out_size, st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (out == nullptr || out_size == nullptr) {
      return NullArgument(error, "an output pointer");
    }
    std::string bytes;
    st_status s = SerializeTo(tensors, n_tensors, metadata, n_metadata, options,
                              &bytes, error);
    if (s != ST_OK) return s;
    // malloc(0) may return NULL; a buffer is always returned.
    void* buffer = std::malloc(bytes.empty() ? 1 : bytes.size());
    if (buffer == nullptr) {
      return Fail(error, ST_ERR_OUT_OF_MEMORY, "out of memory");
    }
    std::memcpy(buffer, bytes.data(), bytes.size());
    *out = buffer;
    *out_size = bytes.size();
    return ST_OK;
  });
}

st_status st_serialize_into(const st_tensor_desc* tensors, size_t n_tensors,
                            const st_metadata_entry* metadata,
                            size_t n_metadata, const st_write_options* options,
                            void* out, size_t capacity, size_t* size,
                            st_error** error) {
  return Guard(error, [&]() -> st_status {
    if (BadBytes(out, capacity)) return NullArgument(error, "out");
    if (size == nullptr) return NullArgument(error, "size");
    std::string bytes;
    st_status s = SerializeTo(tensors, n_tensors, metadata, n_metadata, options,
                              &bytes, error);
    if (s != ST_OK) return s;
    *size = bytes.size();
    if (capacity < bytes.size()) {
      return Fail(error, ST_ERR_BUFFER_TOO_SMALL,
                  absl::StrCat("the file has ", bytes.size(),
                               " bytes; the buffer ", capacity));
    }
    if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
    return ST_OK;
  });
}

void st_buffer_free(void* buffer) { std::free(buffer); }

}  // extern "C"
