# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""safetensors for NumPy: save, save_file, load, load_file.

Arrays are written as their logical values (non-contiguous ones are packed,
big-endian ones written little-endian). load_file returns writable views of
a private, copy-on-write mapping of the file (backend="mmap", the default;
python/README.md, "Memory"), or arrays that own their memory
(backend="pread", or copy=True). NumPy has no bfloat16 or float8: reading
those needs `ml_dtypes` (used when installed), else raises SafetensorError
naming the dtype.
"""

import numpy as np

from safetensors import (SafetensorError, _can_view, _core, _load_bytes,
                         _load_path, _no_type_error, _path)

__all__ = ["load", "load_file", "save", "save_file"]

_DTYPES = {
    "BOOL": np.dtype(np.bool_),
    "U8": np.dtype(np.uint8),
    "I8": np.dtype(np.int8),
    "I16": np.dtype(np.int16),
    "U16": np.dtype(np.uint16),
    "F16": np.dtype(np.float16),
    "I32": np.dtype(np.int32),
    "U32": np.dtype(np.uint32),
    "F32": np.dtype(np.float32),
    "C64": np.dtype(np.complex64),
    "F64": np.dtype(np.float64),
    "I64": np.dtype(np.int64),
    "U64": np.dtype(np.uint64),
}

try:  # bfloat16 and float8 arrays, where ml_dtypes is installed
    import ml_dtypes as _ml

    for _name, _attr in [("BF16", "bfloat16"), ("F8_E4M3", "float8_e4m3fn"),
                         ("F8_E5M2", "float8_e5m2"),
                         ("F8_E4M3FNUZ", "float8_e4m3fnuz"),
                         ("F8_E5M2FNUZ", "float8_e5m2fnuz"),
                         ("F8_E8M0", "float8_e8m0fnu")]:
        if hasattr(_ml, _attr):
            _DTYPES[_name] = np.dtype(getattr(_ml, _attr))
except ImportError:
    pass

_NAMES = {dtype: name for name, dtype in _DTYPES.items()}


def _check_dtype(dtype):
    if dtype not in _DTYPES:
        raise _no_type_error(
            dtype, "NumPy", 'NumPy {} has none; read it with framework="pt", '
            "or install ml_dtypes for BF16 and F8".format(np.__version__))


def _tensor(reader, name, dtype, shape, offset, nbytes, copy=False):
    """Array `name` of `reader` (dtype, shape, file offset and byte size as
    reader.entry gives them): a writable view of the file's private mapping
    where safetensors._can_view allows and `copy` is false; else a copy into
    memory from NumPy's allocator, in host byte order."""
    _check_dtype(dtype)
    np_dtype = _DTYPES[dtype]
    count = nbytes // np_dtype.itemsize
    if not copy and _can_view(reader, offset, nbytes, np_dtype.itemsize):
        return np.frombuffer(reader, dtype=np_dtype, count=count,
                             offset=offset).reshape(shape)
    out = np.empty(count, dtype=np_dtype)
    if nbytes:
        reader.read_into(name, out)
    return out.reshape(shape)


def _to_tensor(data, dtype, shape, device):
    """An array of `data` (a slice's bytes, in host order)."""
    _check_dtype(dtype)
    return np.frombuffer(data, dtype=_DTYPES[dtype]).reshape(shape)


def _entries(tensors):
    if not isinstance(tensors, dict):
        raise TypeError(
            "expected a dict of {{name: numpy.ndarray}}, got {}".format(
                type(tensors).__name__))
    entries = []
    for name, array in tensors.items():
        if not isinstance(name, str):
            raise TypeError("tensor names must be str, got {!r}".format(name))
        if not isinstance(array, np.ndarray):
            raise ValueError(
                "Key `{}` is invalid, expected np.ndarray but received "
                "{}".format(name, type(array)))
        dtype = array.dtype
        if dtype.newbyteorder("=") not in _NAMES:
            raise SafetensorError(
                "Error while serializing: tensor {!r} has dtype {}, which "
                "safetensors cannot store".format(name, dtype))
        # Host order, packed: big-endian arrays swapped, views copied.
        if not dtype.isnative:
            array = array.astype(dtype.newbyteorder("="))
        shape = list(array.shape)  # ascontiguousarray makes 0-d arrays 1-d
        if not array.flags.c_contiguous:
            array = np.ascontiguousarray(array)
        entries.append((name, _NAMES[array.dtype], shape, array, True))
    return entries


def save(tensor_dict, metadata=None):
    """The bytes of a safetensors file holding `tensor_dict`."""
    return _core.serialize(_entries(tensor_dict), metadata)


def save_file(tensor_dict, filename, metadata=None):
    """Writes `tensor_dict` to `filename` atomically."""
    _core.serialize(_entries(tensor_dict), metadata, _path(filename))


def load(data):
    """{name: array} of a safetensors file's bytes."""
    return _load_bytes(data, "np")


def load_file(filename, *, backend="mmap", profile="strict", copy=False):
    """{name: array} of the file `filename`, in file order.

    backend="mmap" (the default): writable views of one private,
    copy-on-write mapping of the file, which lives as long as any of them;
    a write never reaches the file. backend="pread", or copy=True: arrays
    that own their memory."""
    return _load_path(filename, "np", "cpu", profile, backend, copy=copy)
