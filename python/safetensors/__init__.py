# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""safetensors on the safetensors-cpp core.

The API of the Hugging Face `safetensors` Python library 0.7.0 (`safe_open`,
`serialize`, `serialize_file`, `deserialize`, `SafetensorError`, and the
`safetensors.numpy` and `safetensors.torch` modules), implemented on this
project's C++ reader and writer: the strict profile by default
(`profile="reference"` reads what the Rust reference reads), files written
byte for byte as the reference writes them, atomically.

    from safetensors import safe_open
    with safe_open("model.safetensors", framework="pt", device="cpu") as f:
        for name in f.keys():
            tensor = f.get_tensor(name)
"""

import operator as _operator
import os as _os

from safetensors import _core
from safetensors._core import SafetensorError

__version__ = _core.version
# Which implementation is installed: this one, not the Rust-based library.
__implementation__ = "safetensors-cpp"

__all__ = [
    "SafetensorError",
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
    if not isinstance(name, str) or name not in _FRAMEWORKS:
        raise SafetensorError(
            "framework {} is invalid: this implementation supports {}".format(
                name, _SUPPORTED))
    framework = _FRAMEWORKS[name]
    try:
        if framework == "pt":
            import torch  # noqa: F401
        else:
            import numpy  # noqa: F401
    except ImportError as e:
        raise SafetensorError(
            "framework {} needs {}, which is not installed ({}); supported "
            "frameworks are {}".format(name, e.name, e, _SUPPORTED)) from None
    return framework


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
    if framework == "pt":
        from safetensors import torch as module
    else:
        from safetensors import numpy as module
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
                raise SafetensorError(
                    "Error during slicing {!r} with shape {}: {}".format(
                        index, self._shape,
                        str(e).replace("Error during slicing: ", "", 1))
                ) from None
        return self._handle._module._to_tensor(data, self._dtype, shape,
                                               self._handle._device)


def _indexers(index, shape):
    """Python's index into per-dimension (is_index, start, stop, step) items.

    Returns (items, None), or ([], shape) for an index that selects nothing
    (the empty list)."""
    if not isinstance(index, tuple):
        index = (index,)
    if sum(1 for i in index if i is Ellipsis) > 1:
        raise SafetensorError("an index can only have a single ellipsis ('...')")
    explicit = sum(1 for i in index if i is not Ellipsis)
    items = []
    for position, i in enumerate(index):
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
        if dim < len(shape):
            size = shape[dim]
            if value < -size or value >= size:
                raise SafetensorError(
                    "Invalid index {} for dimension {} of size {}".format(
                        value, dim, size))
        items.append((True, value, None, 1))
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

    `framework` is "pt" (PyTorch) or "np" (NumPy). The file is mapped; only
    the header is read until a tensor is asked for. Usable in a `with`
    statement (the file is closed at its end) or as a plain object.
    `profile="reference"` accepts what the Rust reference accepts, where the
    default strict profile rejects a few constructs it considers unsafe.

    If another process truncates the file while it is open, get_tensor on a
    mapped file touches pages that are gone and the process dies of SIGBUS,
    as with every mmap-based reader. `backend="pread"` reads the whole file
    into memory at open and is immune.
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
        self._module = _convert(self._framework)
        self._handle = self
        self._sorted = None
        self._r = None

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
        """The tensor `name`, copied into memory of its own."""
        dtype, shape, nbytes = self._info(name)
        self._module._check_dtype(dtype)
        data = self._module._new_buffer(nbytes, dtype)
        self._reader().read_into(name, self._module._destination(data))
        return self._module._to_tensor(data, dtype, shape, self._device)

    def get_tensors(self):
        """Every tensor, in file order, as a dict."""
        return {name: self.get_tensor(name) for name in self.offset_keys()}

    def get_slice(self, name):
        """A handle to read part of tensor `name` by indexing it."""
        # Shape and dtype of any tensor; reading needs a framework type
        # (checked when indexed).
        return PySafeSlice(self, name, self._info(name))

    def _view(self, name):
        """A read-only zero-copy NumPy view of `name` (little-endian hosts)."""
        dtype, shape, _ = self._info(name)
        return self._module._view(self._reader(), name, dtype, shape)


def _load_bytes(data, framework):
    """{name: tensor} of a file's bytes (numpy.load, torch.load)."""
    if not isinstance(data, bytes):
        data = bytes(data)
    reader = _core.Reader.parse(data, "strict", "Error while deserializing: ")
    f = safe_open._from_reader(reader, framework, "cpu")
    return {name: f.get_tensor(name) for name in f.offset_keys()}


def _load_path(filename, framework, device, profile, copy=True):
    """{name: tensor} of the file `filename`, in file order (load_file)."""
    with safe_open(filename, framework, device=device, profile=profile) as f:
        read = f.get_tensor if copy else f._view
        return {name: read(name) for name in f.offset_keys()}


def _no_type_error(dtype, framework, hint):
    return SafetensorError("dtype {} has no {} type: {}".format(
        dtype, framework, hint))


def _safe_open_handle(fileobj, framework, device="cpu", *, profile="strict"):
    """safe_open over an open binary file object (e.g. from fsspec).

    A file object with a real file name is mapped by that name; any other
    is read into memory."""
    name = getattr(fileobj, "name", None)
    if isinstance(name, (str, bytes, _os.PathLike)) and _os.path.isfile(name):
        return safe_open(name, framework, device, profile=profile)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    data = fileobj.read()
    if not isinstance(data, bytes):
        data = bytes(data)
    reader = _core.Reader.parse(data, profile,
                                "Error while deserializing header: ")
    return safe_open._from_reader(reader, framework, device)


def _entries(tensor_dict):
    if not isinstance(tensor_dict, dict):
        raise TypeError(
            "expected a dict of tensors ({{name: {{\"dtype\", \"shape\", "
            "\"data\"}}}}), got {}".format(type(tensor_dict).__name__))
    entries = []
    for name, spec in tensor_dict.items():
        if not isinstance(name, str):
            raise TypeError("tensor names must be str, got {!r}".format(name))
        if not isinstance(spec, dict):
            raise TypeError(
                "tensor {!r}: expected a dict with \"dtype\", \"shape\" and "
                "\"data\", got {}".format(name, type(spec).__name__))
        try:
            entries.append((name, spec["dtype"], list(spec["shape"]),
                            spec["data"]))
        except KeyError as e:
            raise SafetensorError(
                "Error while serializing: tensor {!r} has no {!r}".format(
                    name, e.args[0])) from None
    return entries


def serialize(tensor_dict, metadata=None):
    """The bytes of a safetensors file holding `tensor_dict`.

    tensor_dict: {name: {"dtype": "F32", "shape": [2, 3], "data": bytes}},
    the data little-endian. metadata: a dict of str to str, or None."""
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
