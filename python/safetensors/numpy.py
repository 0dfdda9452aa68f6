# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""safetensors for NumPy: save, save_file, load, load_file.

Arrays are written as their logical values (non-contiguous ones are packed,
big-endian ones written little-endian) and read into arrays that own their
memory. NumPy has no bfloat16 or float8: reading those needs `ml_dtypes`
(used when installed), else raises SafetensorError naming the dtype.
"""

import numpy as np

from safetensors import (SafetensorError, _core, _load_bytes, _load_path,
                         _no_type_error, _path)

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


def _new_buffer(nbytes, dtype):
    """Memory for a tensor's bytes, from NumPy's allocator (which asks the
    kernel for huge pages for large arrays): an array of the tensor's type
    that _to_tensor reshapes, so the result owns it. `dtype` is checked."""
    return np.empty(nbytes // _DTYPES[dtype].itemsize, dtype=_DTYPES[dtype])


def _destination(buffer):
    return buffer


def _to_tensor(data, dtype, shape, device):
    _check_dtype(dtype)
    if isinstance(data, np.ndarray) and data.dtype == _DTYPES[dtype]:
        return data.reshape(shape)
    return np.frombuffer(data, dtype=_DTYPES[dtype]).reshape(shape)


def _view(reader, name, dtype, shape):
    _check_dtype(dtype)
    if not _core.host_is_little_endian():
        raise SafetensorError("zero-copy views need a little-endian host")
    count = 1
    for d in shape:
        count *= d
    array = np.frombuffer(reader, dtype=_DTYPES[dtype].newbyteorder("<"),
                          count=count, offset=reader.data_offset(name))
    return array.reshape(shape)


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


def load_file(filename, *, copy=True, profile="strict"):
    """{name: array} of the file `filename`.

    copy=False returns read-only arrays that view the mapped file (no copy;
    the mapping lives as long as any of them)."""
    return _load_path(filename, "np", "cpu", profile, copy=copy)
