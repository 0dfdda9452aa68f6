# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""safetensors for PyTorch: save, save_file, load, load_file, save_model,
load_model, and the shared-tensor helpers other libraries import from here
(storage_ptr, storage_size, _find_shared_tensors, _remove_duplicate_names).

load_file returns CPU tensors that view a private, copy-on-write mapping of
the file (backend="mmap", the default; python/README.md, "Memory"), or that
own their memory (backend="pread"). Tensors that share memory cannot be
saved with save_file (the file would hold the bytes twice and load them as
separate tensors): save_model drops the duplicates and records them in the
metadata, and load_model ties them again.
"""

import contextlib
import sys

import torch

from safetensors import (SafetensorError, _can_view, _core, _load_bytes,
                         _load_path, _no_type_error, _path)

__all__ = ["load", "load_file", "load_model", "save", "save_file",
           "save_model"]

_DTYPES = {
    "BOOL": torch.bool,
    "U8": torch.uint8,
    "I8": torch.int8,
    "I16": torch.int16,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I32": torch.int32,
    "F32": torch.float32,
    "C64": torch.complex64,
    "F64": torch.float64,
    "I64": torch.int64,
}
# Types newer PyTorch releases have (2.3 the unsigned ones, 2.1 float8).
for _name, _attr in [("U16", "uint16"), ("U32", "uint32"), ("U64", "uint64"),
                     ("F8_E4M3", "float8_e4m3fn"), ("F8_E5M2", "float8_e5m2"),
                     ("F8_E4M3FNUZ", "float8_e4m3fnuz"),
                     ("F8_E5M2FNUZ", "float8_e5m2fnuz"),
                     ("F8_E8M0", "float8_e8m0fnu")]:
    if hasattr(torch, _attr):
        _DTYPES[_name] = getattr(torch, _attr)

_NAMES = {dtype: name for name, dtype in _DTYPES.items()}
_SIZES = {name: torch.empty((), dtype=dtype).element_size()
          for name, dtype in _DTYPES.items()}


def _check_dtype(dtype):
    if dtype not in _DTYPES:
        raise _no_type_error(
            dtype, "PyTorch", 'torch {} has none; read it with framework="np", '
            "or with a PyTorch that has it".format(torch.__version__))


def _tensor(reader, name, dtype, shape, offset, nbytes, copy=False):
    """Tensor `name` of `reader` (dtype, shape, file offset and byte size as
    reader.entry gives them): a view of the file's private mapping where
    safetensors._can_view allows and `copy` is false; else a copy into
    memory from PyTorch's allocator, in host byte order."""
    _check_dtype(dtype)
    torch_dtype = _DTYPES[dtype]
    size = _SIZES[dtype]
    with _torch_shape(shape):
        if not copy and _can_view(reader, offset, nbytes, size):
            # One storage per tensor, starting at its first byte, holding a
            # reference to the reader: the mapping lives as long as any
            # tensor of it, and each tensor covers its whole storage (what
            # _remove_duplicate_names asks of a tensor to keep).
            return torch.frombuffer(reader, dtype=torch_dtype,
                                    count=nbytes // size,
                                    offset=offset).view(shape)
        out = torch.empty(nbytes // size, dtype=torch_dtype)
        if nbytes:
            reader.read_into(name, (out.data_ptr(), nbytes))
        return out.reshape(shape)


def _to_tensor(data, dtype, shape, device):
    """A tensor of `data` (a slice's bytes, in host order)."""
    _check_dtype(dtype)
    with _torch_shape(shape):
        if len(data) == 0:
            return torch.empty(shape, dtype=_DTYPES[dtype])
        return torch.frombuffer(data, dtype=_DTYPES[dtype]).reshape(shape)


@contextlib.contextmanager
def _torch_shape(shape):
    """Turns PyTorch's error for a shape it cannot hold (a dimension of 2**63
    or more, possible in an empty tensor) into a SafetensorError."""
    try:
        yield
    except (TypeError, RuntimeError, OverflowError):
        if any(d >= 2**63 for d in shape):
            raise SafetensorError(
                "shape {} cannot be a PyTorch tensor (torch sizes are signed "
                '64-bit): read it with framework="np"'.format(shape)) from None
        raise


# The untyped storage of a tensor: untyped_storage() from torch 2.0 on;
# torch 1.13 has the same object as _storage() (tensor.storage() there
# builds a TypedStorage per call, ten times slower).
if hasattr(torch.Tensor, "untyped_storage"):
    def _untyped(tensor):
        return tensor.untyped_storage()
elif hasattr(torch.Tensor, "_storage"):
    def _untyped(tensor):
        return tensor._storage()
else:
    def _untyped(tensor):
        return tensor.storage()


def storage_ptr(tensor):
    """The address of the storage `tensor` views (0 for none)."""
    try:
        return _untyped(tensor).data_ptr()
    except (NotImplementedError, RuntimeError):
        return 0  # meta and other storage-less tensors


def storage_size(tensor):
    """The byte size of the storage `tensor` views."""
    try:
        storage = _untyped(tensor)
    except (NotImplementedError, RuntimeError):
        return tensor.nelement() * tensor.element_size()
    if hasattr(storage, "nbytes"):
        return storage.nbytes()
    return storage.size() * tensor.element_size()


def _end_ptr(tensor):
    """One past the last byte `tensor` reaches (its data_ptr if empty)."""
    if tensor.nelement() == 0:
        return tensor.data_ptr()
    reach = sum((size - 1) * stride
                for size, stride in zip(tensor.shape, tensor.stride()))
    return tensor.data_ptr() + (reach + 1) * tensor.element_size()


def _overlap_groups(names, state_dict):
    """Splits names on one storage into groups whose byte ranges overlap."""
    spans = sorted((state_dict[n].data_ptr(), _end_ptr(state_dict[n]), n)
                   for n in names)
    groups = []
    current, current_end = set(), None
    for start, end, name in spans:
        if current and start < current_end:
            current.add(name)
            current_end = max(current_end, end)
        else:
            if current:
                groups.append(current)
            current, current_end = {name}, end
    if current:
        groups.append(current)
    return groups


def _find_shared_tensors(state_dict):
    """Sets of names whose tensors share memory (every name is in one set;
    a set of one shares nothing), in the order of the state dict. Tensors on
    one storage whose byte ranges do not overlap are not shared."""
    by_storage = {}  # first appearance first, as the Python library
    for name, tensor in state_dict.items():
        if (tensor.device.type != "meta" and storage_ptr(tensor) != 0 and
                storage_size(tensor) != 0):
            key = (tensor.device, storage_ptr(tensor), storage_size(tensor))
            by_storage.setdefault(key, set()).add(name)
    groups = []
    for names in by_storage.values():
        groups.extend(_overlap_groups(names, state_dict))
    return groups


def _is_complete(tensor):
    """True when `tensor` covers its whole storage, packed."""
    return (tensor.data_ptr() == storage_ptr(tensor) and
            tensor.nelement() * tensor.element_size() == storage_size(tensor))


def _remove_duplicate_names(state_dict, *, preferred_names=None,
                            discard_names=None):
    """For each group of shared tensors, the name to keep and the names to
    drop: {kept: [removed, ...]}. The kept tensor must cover the whole
    storage; among those, a preferred name, else one not to discard, else
    the first in sorted order. A tensor that shares nothing but covers only
    part of its storage is refused too (RuntimeError), as saving it would
    hide how much memory the model really holds."""
    preferred = set(preferred_names or [])
    discard = set(discard_names or [])
    to_remove = {}
    for shared in _find_shared_tensors(state_dict):
        complete = {n for n in shared if _is_complete(state_dict[n])}
        if not complete:
            raise RuntimeError(
                "Error while trying to find names to remove to save state "
                "dict, but found no suitable name to keep for saving amongst: "
                "{}. None is covering the entire storage. Refusing to save/"
                "load the model since you could be storing much more memory "
                "than needed. Save a copy of the tensors you need "
                "(.clone()) instead.".format(sorted(shared)))
        if len(shared) == 1:
            continue
        keep = sorted(complete)[0]
        if complete & preferred:
            keep = sorted(complete & preferred)[0]
        elif complete - discard:
            keep = sorted(complete - discard)[0]
        to_remove[keep] = sorted(n for n in shared if n != keep)
    return to_remove


def _flatten(tensors):
    if not isinstance(tensors, dict):
        raise ValueError(
            "Expected a dict of [str, torch.Tensor] but received {}".format(
                type(tensors)))
    invalid = {k for k, v in tensors.items() if not isinstance(v, torch.Tensor)}
    if invalid:
        raise ValueError(
            "Key `{}` is invalid, expected torch.Tensor but received "
            "{}".format(sorted(invalid)[0],
                        type(tensors[sorted(invalid)[0]])))
    sparse = [name for name, tensor in tensors.items()
              if tensor.layout != torch.strided]
    if sparse:
        raise ValueError(
            "You are trying to save a sparse tensors: `{}` which this library "
            "does not support. You can make it a dense tensor before saving "
            "with `.to_dense()` but be aware this might make a much larger "
            "file than needed."
            .format(sparse))
    for name, tensor in tensors.items():
        if not isinstance(name, str):
            raise ValueError("tensor names must be str, got {!r}".format(name))
        if tensor.device.type == "meta":
            raise RuntimeError(
                "Cannot copy out of meta tensor `{}`: it has no data".format(
                    name))
    shared = [s for s in _find_shared_tensors(tensors) if len(s) > 1]
    if shared:
        raise RuntimeError(
            "Some tensors share memory, which would store the bytes twice on "
            "disk and load them back as separate tensors: {}.\nTo save a "
            "model with tied weights, use `save_model` (it keeps one copy and "
            "load_model ties them again).".format(
                [sorted(s) for s in shared]))
    entries = []
    keep_alive = []
    for name, tensor in tensors.items():
        if not tensor.is_contiguous():
            raise ValueError(
                "You are trying to save a non contiguous tensor: `{}`, which "
                "is not allowed: safetensors stores packed row-major data. "
                "Call `.contiguous()` on it first (if it views another tensor "
                "you also save, save the full tensor and slice it after "
                "loading).".format(name))
        if tensor.dtype not in _NAMES:
            raise SafetensorError(
                "Error while serializing: tensor {!r} has dtype {}, which "
                "safetensors cannot store".format(name, tensor.dtype))
        if tensor.device.type != "cpu":
            tensor = tensor.to("cpu")
        keep_alive.append(tensor)
        nbytes = tensor.nelement() * tensor.element_size()
        data = (tensor.data_ptr(), nbytes) if nbytes else b""
        entries.append((name, _NAMES[tensor.dtype], list(tensor.shape), data,
                        True))
    return entries, keep_alive


def save(tensors, metadata=None):
    """The bytes of a safetensors file holding `tensors` (a dict)."""
    entries, keep_alive = _flatten(tensors)
    result = _core.serialize(entries, metadata)
    del keep_alive
    return result


def save_file(tensors, filename, metadata=None):
    """Writes `tensors` (a dict of contiguous tensors that share no memory)
    to `filename`, atomically."""
    entries, keep_alive = _flatten(tensors)
    _core.serialize(entries, metadata, _path(filename))
    del keep_alive


def load(data):
    """{name: tensor} of a safetensors file's bytes."""
    return _load_bytes(data, "pt")


def load_file(filename, device="cpu", *, backend="mmap", profile="strict"):
    """{name: tensor} of the file `filename`, in file order.

    backend="mmap" (the default): writable views of one private,
    copy-on-write mapping of the file, which lives as long as any of them;
    a write never reaches the file. backend="pread": tensors that own their
    memory."""
    return _load_path(filename, "pt", device, profile, backend)


def save_model(model, filename, metadata=None, force_contiguous=True):
    """Saves model.state_dict(), keeping one copy of tensors that share
    memory (tied weights) and recording each dropped name in the metadata
    as {dropped: kept}; force_contiguous (the default) packs non-contiguous
    tensors first."""
    state_dict = model.state_dict()
    for kept, removed in _remove_duplicate_names(state_dict).items():
        for name in removed:
            if metadata is None:
                metadata = {}
            metadata.setdefault(name, kept)
            del state_dict[name]
    if force_contiguous:
        state_dict = {k: v.contiguous() for k, v in state_dict.items()}
    try:
        save_file(state_dict, filename, metadata=metadata)
    except ValueError as e:
        raise ValueError(
            "{} Or use save_model(..., force_contiguous=True).".format(e)
        ) from None


def load_model(model, filename, strict=True, device="cpu", *,
               backend="mmap"):
    """Loads a file written by save_model into `model`, tying shared tensors
    again. Returns (missing, unexpected): the names of the model the file
    did not set, as a set, and the names of the file the model did not
    take, as a list (the Python library's types); with strict=True, raises
    RuntimeError if either is non-empty. `backend` as load_file's."""
    state_dict = load_file(filename, device=device, backend=backend)
    model_state = model.state_dict()
    to_remove = _remove_duplicate_names(model_state,
                                        preferred_names=state_dict.keys())
    missing, unexpected = model.load_state_dict(state_dict, strict=False)
    missing = set(missing)
    unexpected = list(unexpected)
    for removed in to_remove.values():
        for name in removed:
            if name in missing:
                missing.remove(name)
            else:
                unexpected.append(name)
    if strict and (missing or unexpected):
        error = "Error(s) in loading state_dict for {}:".format(
            model.__class__.__name__)
        if missing:
            error += "\n    Missing key(s) in state_dict: {}".format(
                ", ".join('"{}"'.format(k) for k in sorted(missing)))
        if unexpected:
            error += "\n    Unexpected key(s) in state_dict: {}".format(
                ", ".join('"{}"'.format(k) for k in sorted(unexpected)))
        raise RuntimeError(error)
    return missing, unexpected


del sys
