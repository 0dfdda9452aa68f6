# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Checks an installed `safetensors` wheel from outside the checkout, on any
CPython from 3.9 on, with or without NumPy and PyTorch (python/wheels.py
runs it in a fresh virtualenv per interpreter). Prints one line:
`ok: Python X.Y.Z, safetensors V; numpy: checked|skipped (...); torch: ...`
and exits non-zero at the first failed check.
"""

import ctypes
import importlib.metadata
import os
import struct
import sys
import tempfile

import safetensors
from safetensors import (SafetensorError, TensorSpec, deserialize, safe_open,
                         serialize, serialize_file)


def check(condition, what):
    if not condition:
        sys.exit("FAILED: " + what)


def main():
    here = os.path.dirname(os.path.abspath(safetensors.__file__))
    check("site-packages" in here, "safetensors imported from " + here)
    version = importlib.metadata.version("safetensors")
    check(version == safetensors.__version__,
          "metadata version %s, __version__ %s" % (version,
                                                   safetensors.__version__))
    check(safetensors.__implementation__ == "safetensors-cpp",
          "__implementation__")

    # serialize / deserialize, 0.7's dict and 0.8's TensorSpec.
    data = struct.pack("<3f", 1.0, -2.5, 3.25)
    buf = bytearray(struct.pack("<2h", 7, -8))
    c_buf = (ctypes.c_char * len(buf)).from_buffer(buf)
    spec = TensorSpec(dtype="int16", shape=[2], data_ptr=ctypes.addressof(c_buf),
                      data_len=len(buf))
    blob = serialize({"f": {"dtype": "float32", "shape": [3], "data": data},
                      "i": spec}, metadata={"k": "v"})
    got = dict(deserialize(blob))
    check(got["f"]["dtype"] == "F32" and got["f"]["shape"] == [3] and
          bytes(got["f"]["data"]) == data, "deserialize F32")
    check(got["i"]["dtype"] == "I16" and bytes(got["i"]["data"]) == bytes(buf),
          "deserialize I16 from a TensorSpec")
    try:
        TensorSpec(dtype="float33", shape=[1], data_ptr=0, data_len=0)
        check(False, "unknown dtype accepted")
    except SafetensorError:
        pass

    # serialize_file, then safe_open's names and metadata (no framework).
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.safetensors")
        serialize_file({"f": {"dtype": "float32", "shape": [3], "data": data}},
                       path, metadata={"k": "v"})
        with open(path, "rb") as f:
            check(f.read() == serialize(
                {"f": {"dtype": "float32", "shape": [3], "data": data}},
                metadata={"k": "v"}), "serialize_file bytes")
        with safe_open(path, framework="np") as f:
            check(f.keys() == ["f"] and f.metadata() == {"k": "v"},
                  "safe_open keys and metadata")
        frameworks = [check_numpy(path), check_torch(path)]
    print("ok: Python %s, safetensors %s; numpy: %s; torch: %s" % (
        sys.version.split()[0], version, frameworks[0], frameworks[1]))


def check_numpy(path):
    try:
        import numpy  # noqa: F401 (is it installed?)
    except ImportError:
        return "skipped (not installed for this Python)"
    from safetensors.numpy import load_file
    a = load_file(path)["f"]
    check(a.tolist() == [1.0, -2.5, 3.25] and a.flags.writeable, "numpy load")
    return "checked"


def check_torch(path):
    try:
        import torch
    except ImportError:
        return "skipped (not installed for this Python)"
    from safetensors.torch import load_file
    t = load_file(path)["f"]
    check(t.tolist() == [1.0, -2.5, 3.25] and t.dtype == torch.float32,
          "torch load")
    return "checked"


if __name__ == "__main__":
    main()
