# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""safetensors on the safetensors-cpp core.

The API of the Hugging Face `safetensors` Python library 0.8 (`safe_open`,
`serialize`, `serialize_file`, `deserialize`, `TensorSpec`,
`SafetensorError`, and the `safetensors.numpy` and `safetensors.torch`
modules; 0.7's dict form of `serialize` too), implemented on this project's
C++ reader and writer: the strict profile by default (`profile="reference"`
reads what the Rust reference reads), files written byte for byte as the
reference writes them, atomically. Tensors read with the default
backend="mmap" are writable views of a private, copy-on-write mapping of
the file (no copy; see python/README.md, "Memory").

    from safetensors import safe_open
    with safe_open("model.safetensors", framework="pt", device="cpu") as f:
        for name in f.keys():
            tensor = f.get_tensor(name)
"""

import operator as _operator
import os as _os

from safetensors import _core
from safetensors._core import SafetensorError

# The API version this package implements, with this project's version as
# the local label (PEP 440): "0.8.0+cpp.0.1.0" satisfies `safetensors>=0.8`
# and says which implementation it is. python/README.md, "Distribution".
__api_version__ = "0.8.0"
__version__ = "{}+cpp.{}".format(__api_version__, _core.version)
# Which implementation is installed: this one, not the Rust-based library.
__implementation__ = "safetensors-cpp"

__all__ = [
    "SafetensorError",
    "TensorSpec",
    "deserialize",
    "safe_open",
    "serialize",
    "serialize_file",
]

_FRAMEWORKS = {
    "pt": "pt",
    "torch": "pt",
    "pytorch": "pt",
    "np": "np",
    "numpy": "np",
}

_SUPPORTED = '"pt" (or "torch", "pytorch") and "np" (or "numpy")'


def _framework(name):
    """The framework's short name ("pt" or "np"); nothing is imported yet."""
    if not isinstance(name, str) or name not in _FRAMEWORKS:
        raise SafetensorError(
            "framework {} is invalid: this implementation supports {}".format(
                name, _SUPPORTED))
    return _FRAMEWORKS[name]


def _check_device(device, framework):
    text = str(device)
    if text == "cpu" or text == "cpu:0":
        return
    if framework == "pt":
        raise SafetensorError(
            "device {} is invalid: this build reads to the CPU only (use "
            'device="cpu", then move the tensors with .to())'.format(text))
    raise SafetensorError(
        "Device {} is not supported for framework {}".format(text, framework))


def _path(filename):
    if isinstance(filename, bytes):
        return _os.fsdecode(filename)
    if isinstance(filename, (str, _os.PathLike)):
        return _os.fspath(filename)
    raise TypeError("filename must be a str or os.PathLike, got {}".format(
        type(filename).__name__))


def _convert(framework):
    """safetensors.torch or safetensors.numpy, imported when a tensor is
    first read: opening a file, keys() and metadata() need neither
    framework installed."""
    try:
        if framework == "pt":
            from safetensors import torch as module
        else:
            from safetensors import numpy as module
    except ImportError as e:
        if e.name not in ("torch", "numpy"):
            raise
        raise SafetensorError(
            "framework {} needs {}, which is not installed ({}); supported "
            "frameworks are {}".format(framework, e.name, e,
                                       _SUPPORTED)) from None
    return module


class PySafeSlice:
    """A tensor of an open file, to read part of: `f.get_slice(name)[0:2]`."""

    def __init__(self, handle, name, info):
        self._handle = handle
        self._name = name
        self._dtype, self._shape, _ = info

    def get_shape(self):
        return list(self._shape)

    def get_dtype(self):
        return self._dtype

    def __len__(self):
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __getitem__(self, index):
        items, shape = _indexers(index, self._shape)
        reader = self._handle._reader()
        if shape is not None:  # an empty list index selects nothing
            data = bytearray()
        else:
            try:
                shape, data = reader.read_slice(self._name, items)
            except SafetensorError as e:
                raise _slice_error(items, self._shape, str(e).replace(
                    "Error during slicing: ", "", 1)) from None
        return self._handle._module._to_tensor(data, self._dtype, shape,
                                               self._handle._device)


def _slice_error(items, shape, reason):
    """The Python library's error for a slice: "Error during slicing [2:, 20]
    with shape [10, 5]: <reason>", the index shown as it was given (indices
    made non-negative, slice bounds as written)."""
    shown = []
    for is_index, start, stop, step in items:
        if is_index:
            shown.append(str(start))
            continue
        text = "{}:{}".format("" if start is None else start,
                              "" if stop is None else stop)
        shown.append(text if step == 1 else "{}:{}".format(text, step))
    return SafetensorError("Error during slicing [{}] with shape {}: {}".format(
        ", ".join(shown), list(shape), reason))


def _out_of_bounds(items, shape, asked, dim):
    return _slice_error(
        items, shape, "index {} out of bounds for tensor dimension #{} of "
        "size {}".format(asked, dim, shape[dim]))


def _indexers(index, shape):
    """Python's index into per-dimension (is_index, start, stop, step) items.

    Returns (items, None), or ([], shape) for an index that selects nothing
    (the empty list). Bounds are the Python library's: an index or a slice
    bound past the end of its dimension is an error, not clamped; negative
    ones count from the end (an index past the start is an error, a slice
    bound is clamped, as in Python)."""
    if not isinstance(index, tuple):
        index = (index,)
    if sum(1 for i in index if i is Ellipsis) > 1:
        raise SafetensorError("an index can only have a single ellipsis ('...')")
    explicit = sum(1 for i in index if i is not Ellipsis)
    items = []
    for i in index:
        if i is Ellipsis:
            for _ in range(len(shape) - explicit):
                items.append((False, None, None, 1))
            continue
        if isinstance(i, list):
            if i:
                raise SafetensorError("Non empty lists are not implemented")
            if len(items) != 0:
                raise SafetensorError(
                    "an empty list index is supported as the first index only")
            return [], [0] + list(shape[1:])
        if isinstance(i, slice):
            step = 1 if i.step is None else _int(i.step)
            if step < 1:
                raise SafetensorError(
                    "slice step {} is not supported: steps must be positive "
                    "(a reversed slice is not a run of the file's bytes; "
                    "reverse the result instead)".format(step))
            start = None if i.start is None else _int(i.start)
            stop = None if i.stop is None else _int(i.stop)
            items.append((False, start, stop, step))
            continue
        value = _int(i)
        dim = len(items)
        if dim < len(shape) and value < 0:
            if value < -shape[dim]:
                raise SafetensorError(
                    "Invalid index {} for dimension {} of size {}".format(
                        value, dim, shape[dim]))
            value += shape[dim]
        items.append((True, value, None, 1))
    # Past the end: checked once every item is known, as the message shows
    # the whole index.
    for dim, (is_index, start, stop, _) in enumerate(items[:len(shape)]):
        size = shape[dim]
        if start is not None and start >= size and not (
                not is_index and start == 0 and size == 0):
            raise _out_of_bounds(items, shape, start, dim)
        if stop is not None and stop > size:
            raise _out_of_bounds(items, shape, stop - 1, dim)
    return items, None


def _int(value):
    try:
        return _operator.index(value)
    except TypeError:
        raise SafetensorError(
            "unsupported index {!r}: use ints, slices, ... or []".format(
                value)) from None


class safe_open:  # noqa: N801 (the Python library's name)
    """Opens a safetensors file to read tensors one at a time.

    safe_open(filename, framework, device="cpu", *, profile="strict",
              backend="mmap")

    `framework` is "pt" (PyTorch) or "np" (NumPy). Only the header is read
    at open. Usable in a `with` statement or as a plain object; tensors
    already read stay valid after the `with` ends.
    `profile="reference"` accepts what the Rust reference accepts, where the
    default strict profile rejects a few constructs it considers unsafe.

    backend="mmap" (the default) maps the file privately, copy-on-write:
    get_tensor returns a writable view of it, read from disk on first touch,
    and a write changes this process's copy only, never the file. The
    mapping lives as long as any tensor of it. If another process truncates
    the file in place meanwhile, touching a page that is gone kills the
    process with SIGBUS, as with every mmap-based reader (replacing the file
    by rename, as the writers here do, is safe). backend="pread" reads
    only the header at open, and each tensor, when asked for, with pread
    into memory of its own (a file truncated meanwhile is then an OSError).
    """

    def __init__(self, filename, framework, device="cpu", *,
                 profile="strict", backend="mmap"):
        self._setup(framework, device)
        self._r = _core.Reader.open(_path(filename), profile, backend)

    @classmethod
    def _from_reader(cls, reader, framework, device):
        self = cls.__new__(cls)
        self._setup(framework, device)
        self._r = reader
        return self

    def _setup(self, framework, device):
        self._framework = _framework(framework)
        _check_device(device, self._framework)
        self._device = device
        self._converter = None
        self._handle = self
        self._sorted = None
        self._r = None

    @property
    def _module(self):
        if self._converter is None:
            self._converter = _convert(self._framework)
        return self._converter

    def _reader(self):
        r = self._r
        if r is None:
            raise SafetensorError("File is closed")
        return r

    def __enter__(self):
        self._reader()
        return self

    def __exit__(self, *exc):
        self._r = None
        return False

    def keys(self):
        """The tensor names, sorted."""
        reader = self._reader()
        if self._sorted is None:
            self._sorted = reader.sorted_names()
        return list(self._sorted)

    def offset_keys(self):
        """The tensor names in the order of their data in the file."""
        return self._reader().offset_names()

    def metadata(self):
        """The `__metadata__` map (a dict of str), or None if absent."""
        return self._reader().metadata()

    def _info(self, name):
        info = self._reader().info(name)
        if info is None:
            raise SafetensorError("File does not contain tensor {}".format(name))
        return info

    def get_tensor(self, name):
        """The tensor `name`: a view of the mapped file (backend="mmap"),
        else memory of its own (python/README.md, "Memory")."""
        reader = self._reader()
        return self._module._tensor(reader, name, *reader.entry(name))

    def get_tensors(self):
        """Every tensor, in file order, as a dict."""
        return self._tensors(copy=False)

    def _tensors(self, copy):
        reader = self._reader()
        make = self._module._tensor
        return {entry[0]: make(reader, *entry, copy=copy)
                for entry in reader.entries()}

    def get_slice(self, name):
        """A handle to read part of tensor `name` by indexing it."""
        # Shape and dtype of any tensor; reading needs a framework type
        # (checked when indexed).
        return PySafeSlice(self, name, self._info(name))


def _load_bytes(data, framework):
    """{name: tensor} of a file's bytes (numpy.load, torch.load)."""
    if not isinstance(data, bytes):
        data = bytes(data)
    reader = _core.Reader.parse(data, "strict", "Error while deserializing: ")
    return safe_open._from_reader(reader, framework, "cpu")._tensors(copy=True)


def _load_path(filename, framework, device, profile, backend, copy=False):
    """{name: tensor} of the file `filename`, in file order (load_file)."""
    with safe_open(filename, framework, device=device, profile=profile,
                   backend=backend) as f:
        return f._tensors(copy=copy)


_LITTLE = _core.host_is_little_endian()


def _can_view(reader, offset, nbytes, itemsize):
    """Whether a tensor's bytes (at `offset` in the file) can be handed out
    as a view of the reader's mapping, for safetensors.torch and .numpy:
    the reader has a writable copy-on-write mapping (backend="mmap"), the
    host is little-endian as the file, the offset is a multiple of the
    element size, and there are bytes to view. Else they are copied."""
    return bool(nbytes and _LITTLE and reader.writable and
                offset % itemsize == 0)


def _no_type_error(dtype, framework, hint):
    return SafetensorError("dtype {} has no {} type: {}".format(
        dtype, framework, hint))


def _safe_open_handle(fileobj, framework, device="cpu", *, profile="strict",
                      backend="mmap"):
    """safe_open over an open binary file object (e.g. from fsspec).

    A file object with a real file name is opened by that name with
    `backend`; any other is read into memory."""
    name = getattr(fileobj, "name", None)
    if isinstance(name, (str, bytes, _os.PathLike)) and _os.path.isfile(name):
        return safe_open(name, framework, device, profile=profile,
                         backend=backend)
    if backend not in ("mmap", "pread"):
        raise SafetensorError(
            'backend "{}" is invalid (expected one of: "mmap", "pread")'.format(
                backend))
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read()
    if not isinstance(data, bytes):
        data = bytes(data)
    reader = _core.Reader.parse(data, profile,
                                "Error while deserializing header: ")
    return safe_open._from_reader(reader, framework, device)


# The dtype names serialize and TensorSpec take: the frameworks' names (what
# the Python library's helpers pass, `str(torch_dtype)` and NumPy's
# `dtype.name`), and the format's own codes ("F32"; an extension of this
# package). float4_e2m1fn_x2 is PyTorch's packed type, two F4 values a byte:
# its shape counts bytes, so the last dimension is doubled.
_FRAMEWORK_DTYPES = {
    "bool": "BOOL", "int8": "I8", "uint8": "U8", "int16": "I16",
    "uint16": "U16", "int32": "I32", "uint32": "U32", "int64": "I64",
    "uint64": "U64", "float16": "F16", "float32": "F32", "float64": "F64",
    "bfloat16": "BF16", "float8_e4m3fn": "F8_E4M3",
    "float8_e4m3fnuz": "F8_E4M3FNUZ", "float8_e5m2": "F8_E5M2",
    "float8_e5m2fnuz": "F8_E5M2FNUZ", "float8_e8m0fnu": "F8_E8M0",
    "float4_e2m1fn_x2": "F4", "complex64": "C64",
}
_PACKED = "float4_e2m1fn_x2"


def _dtype_code(dtype, name):
    """(format code, packed) of a dtype name, or SafetensorError."""
    if isinstance(dtype, str):
        if dtype in _FRAMEWORK_DTYPES:
            return _FRAMEWORK_DTYPES[dtype], dtype == _PACKED
        if _core.is_dtype_code(dtype):
            return dtype, False
    raise SafetensorError(
        "Error while serializing: tensor {!r}: unknown dtype {!r} (use a "
        "framework name such as \"float32\" or \"bfloat16\", or a format code "
        "such as \"F32\": {})".format(name, dtype, ", ".join(_FRAMEWORK_DTYPES)))


def _logical_shape(shape, packed, name):
    try:
        shape = [_operator.index(d) for d in shape]
    except TypeError:
        raise TypeError("tensor {!r}: shape must be a sequence of ints, got "
                        "{!r}".format(name, shape)) from None
    if any(d < 0 for d in shape):
        raise ValueError("tensor {!r}: negative dimension in shape {}".format(
            name, shape))
    if packed and shape:
        shape[-1] *= 2
    return shape


class TensorSpec:
    """One tensor for serialize / serialize_file, given by its memory (the
    0.8 API): TensorSpec(*, dtype, shape, data_ptr, data_len).

    dtype: a framework name ("float32", "bfloat16", "float8_e4m3fn", ...) or
    a format code ("F32"); an unknown one raises SafetensorError here.
    shape: the tensor's shape (for "float4_e2m1fn_x2", PyTorch's packed F4,
    the storage shape: the last dimension is doubled). data_ptr, data_len:
    the address and byte size of the tensor's little-endian bytes, C order.
    The memory is read, without a copy, during serialize; the caller keeps
    it alive until then. The properties are read-only; `dtype` is the
    format code."""

    __slots__ = ("_dtype", "_shape", "_data_ptr", "_data_len")

    def __init__(self, *, dtype, shape, data_ptr, data_len):
        code, packed = _dtype_code(dtype, "TensorSpec")
        shape = _logical_shape(shape, packed, "TensorSpec")
        data_ptr = _operator.index(data_ptr)
        data_len = _operator.index(data_len)
        if data_ptr < 0 or data_len < 0:
            raise ValueError("data_ptr and data_len must not be negative")
        object.__setattr__(self, "_dtype", code)
        object.__setattr__(self, "_shape", shape)
        object.__setattr__(self, "_data_ptr", data_ptr)
        object.__setattr__(self, "_data_len", data_len)

    def __setattr__(self, name, value):
        raise AttributeError("TensorSpec is immutable: cannot set {!r}".format(
            name))

    def __delattr__(self, name):
        raise AttributeError("TensorSpec is immutable: cannot delete "
                             "{!r}".format(name))

    @property
    def dtype(self):
        """The format code written in the header, e.g. "F32"."""
        return self._dtype

    @property
    def shape(self):
        """The shape written in the header (elements, not bytes)."""
        return list(self._shape)

    @property
    def data_ptr(self):
        return self._data_ptr

    @property
    def data_len(self):
        return self._data_len

    def __repr__(self):
        return "TensorSpec(dtype={!r}, shape={}, data_ptr={}, data_len={})".format(
            self._dtype, self._shape, self._data_ptr, self._data_len)


def _entries(tensor_dict):
    if not isinstance(tensor_dict, dict):
        raise TypeError(
            "expected a dict of {{name: TensorSpec}} (or 0.7's {{name: "
            "{{\"dtype\", \"shape\", \"data\"}}}}), got {}".format(
                type(tensor_dict).__name__))
    entries = []
    for name, spec in tensor_dict.items():
        if not isinstance(name, str):
            raise TypeError("tensor names must be str, got {!r}".format(name))
        if isinstance(spec, TensorSpec):
            data = (spec.data_ptr, spec.data_len) if spec.data_len else b""
            entries.append((name, spec.dtype, spec._shape, data))
            continue
        if not isinstance(spec, dict):
            raise TypeError(
                "tensor {!r}: expected a safetensors.TensorSpec (or a dict "
                "with \"dtype\", \"shape\" and \"data\"), got {}".format(
                    name, type(spec).__name__))
        if "data" not in spec and ("data_ptr" in spec or "data_len" in spec):
            raise TypeError(
                "tensor {!r}: a dict of data_ptr and data_len is not a "
                "tensor: pass safetensors.TensorSpec(dtype=..., shape=..., "
                "data_ptr=..., data_len=...) (0.7's dict form takes the bytes "
                "as \"data\")".format(name))
        for key in ("shape", "data", "dtype"):
            if key not in spec:
                raise SafetensorError(
                    "Error while serializing: tensor {!r} has no {!r}".format(
                        name, key))
        code, packed = _dtype_code(spec["dtype"], name)
        entries.append((name, code, _logical_shape(spec["shape"], packed, name),
                        spec["data"]))
    return entries


def serialize(tensor_dict, metadata=None):
    """The bytes of a safetensors file holding `tensor_dict`.

    tensor_dict: {name: TensorSpec(dtype=..., shape=..., data_ptr=...,
    data_len=...)}, or 0.7's {name: {"dtype": "float32", "shape": [2, 3],
    "data": bytes}}; the data little-endian. metadata: a dict of str to str,
    or None. The bytes are read without a copy, the GIL released."""
    return _core.serialize(_entries(tensor_dict), metadata)


def serialize_file(tensor_dict, filename, metadata=None):
    """Writes serialize(tensor_dict, metadata) to `filename`, atomically."""
    _core.serialize(_entries(tensor_dict), metadata, _path(filename))


def deserialize(data):
    """[(name, {"dtype", "shape", "data"})] of a file's bytes, in file order."""
    if not isinstance(data, bytes):
        data = bytes(data)
    reader = _core.Reader.parse(data, "strict", "Error while deserializing: ")
    out = []
    for name in reader.offset_names():
        dtype, shape, _ = reader.info(name)
        out.append((name, {"dtype": dtype, "shape": shape,
                           "data": reader.read(name)}))
    return out
