#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The C API from Python's ctypes, as docs/c-api.md "From other languages" shows it.

Usage: c_api_ctypes_test.py LIBSAFETENSORS_C_SO TINY_SAFETENSORS [C_API_MD]

Loads the shared library (libsafetensors_c.so.1) with ctypes, declares the
signatures it calls, opens examples/tiny.safetensors and checks every
tensor's name, dtype, shape and bytes (zero-copy and host-order copy) and the
metadata against the file itself, read here with struct and json alone; then
the error path: truncated copies of the file give the exact status code of
their kind, its name and a message, and a missing file gives IoError. With
C_API_MD (docs/c-api.md), every line of its ctypes example is a line of this
file, in the same order: the documented binding is the tested one.
"""

import ctypes
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import unittest

LIB_PATH = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "libsafetensors_c.so.1"
TINY = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "examples/tiny.safetensors"
DOC = sys.argv[3] if len(sys.argv) > 3 else None


def preload_sanitizers():
    """Under --config=asan the library carries ASan and UBSan, whose runtimes
    must be loaded before the interpreter starts: run again preloaded."""
    if os.environ.get("LD_PRELOAD"):
        return
    out = subprocess.run(["ldd", LIB_PATH], stdout=subprocess.PIPE,
                         universal_newlines=True, check=False).stdout
    libs = [line.split()[2] for line in out.splitlines()
            if re.search(r"lib(asan|ubsan)\.so", line) and "=>" in line]
    if libs:
        env = dict(os.environ, LD_PRELOAD=":".join(libs))
        # The interpreter's own allocations are not freed at exit by design.
        env["ASAN_OPTIONS"] = ":".join(
            filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=0"]))
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


preload_sanitizers()

# --- The binding: what docs/c-api.md shows -------------------------------

from ctypes import POINTER, byref, c_char, c_char_p, c_int32, c_size_t, c_uint64, c_void_p

lib = ctypes.CDLL(LIB_PATH)

ST_OK = 0
ST_ERR_HEADER_TOO_SMALL = 1
ST_ERR_INVALID_HEADER_LENGTH = 3
ST_ERR_IO_ERROR = 13
ST_PROFILE_STRICT = 0
ST_BACKEND_MMAP = 0

# st_status f(...): every call that can fail returns an int32_t status.
for name, args in {
    "st_open": [c_char_p, c_int32, c_int32, POINTER(c_void_p), POINTER(c_void_p)],
    "st_reader_tensor_count": [c_void_p, POINTER(c_size_t)],
    "st_reader_tensor_at": [c_void_p, c_size_t, POINTER(c_void_p), POINTER(c_void_p)],
    "st_reader_find": [c_void_p, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_void_p)],
    "st_reader_metadata_count": [c_void_p, POINTER(c_size_t)],
    "st_reader_metadata_at": [c_void_p, c_size_t, POINTER(POINTER(c_char)), POINTER(c_size_t),
                              POINTER(POINTER(c_char)), POINTER(c_size_t), POINTER(c_void_p)],
    "st_tensor_name": [c_void_p, POINTER(POINTER(c_char)), POINTER(c_size_t)],
    "st_tensor_dtype": [c_void_p, POINTER(c_int32)],
    "st_tensor_shape": [c_void_p, POINTER(c_size_t), POINTER(POINTER(c_uint64))],
    "st_tensor_data": [c_void_p, POINTER(c_void_p), POINTER(c_size_t)],
    "st_tensor_copy": [c_void_p, c_void_p, c_size_t, POINTER(c_void_p)],
    "st_error_code": [c_void_p],
}.items():
    getattr(lib, name).argtypes = args
    getattr(lib, name).restype = c_int32
lib.st_reader_free.argtypes = [c_void_p]
lib.st_reader_free.restype = None
lib.st_error_free.argtypes = [c_void_p]
lib.st_error_free.restype = None
lib.st_error_message.argtypes = [c_void_p]
lib.st_error_message.restype = c_char_p
lib.st_status_name.argtypes = [c_int32]
lib.st_status_name.restype = c_char_p
lib.st_dtype_name.argtypes = [c_int32]
lib.st_dtype_name.restype = c_char_p


class StError(Exception):
    def __init__(self, code, kind, message):
        super().__init__("%s: %s" % (kind, message))
        self.code, self.kind, self.message = code, kind, message


def check(status, error):
    """Raises StError for a failed call, freeing the st_error."""
    if status == ST_OK:
        return
    code = lib.st_error_code(error)
    kind = lib.st_status_name(code).decode()
    message = lib.st_error_message(error).decode("utf-8", "replace")
    lib.st_error_free(error)
    raise StError(code, kind, message)


def read_tensors(path):
    """{name: (dtype name, shape, little-endian bytes, host-order bytes)}."""
    reader, error = c_void_p(), c_void_p()
    check(lib.st_open(os.fsencode(path), ST_PROFILE_STRICT, ST_BACKEND_MMAP,
                      byref(reader), byref(error)), error)
    try:  # every pointer below lives as long as the reader: copy before freeing
        count = c_size_t()
        lib.st_reader_tensor_count(reader, byref(count))
        tensors = {}
        for i in range(count.value):
            tensor = c_void_p()
            check(lib.st_reader_tensor_at(reader, i, byref(tensor), byref(error)), error)
            name, name_len = POINTER(c_char)(), c_size_t()
            lib.st_tensor_name(tensor, byref(name), byref(name_len))
            dtype, rank, dims = c_int32(), c_size_t(), POINTER(c_uint64)()
            lib.st_tensor_dtype(tensor, byref(dtype))
            lib.st_tensor_shape(tensor, byref(rank), byref(dims))
            data, size = c_void_p(), c_size_t()
            lib.st_tensor_data(tensor, byref(data), byref(size))
            host = ctypes.create_string_buffer(size.value)
            check(lib.st_tensor_copy(tensor, host, size.value, byref(error)), error)
            tensors[ctypes.string_at(name, name_len.value).decode()] = (
                lib.st_dtype_name(dtype.value).decode(),
                [dims[k] for k in range(rank.value)],
                ctypes.string_at(data, size.value) if size.value else b"",
                host.raw)
        return tensors
    finally:
        lib.st_reader_free(reader)

# --- End of the binding ---------------------------------------------------


def parse_file(path):
    """The file's header and data section, read without the library."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    return header, blob[8 + n:], blob


class CtypesTest(unittest.TestCase):

    def test_tensors_match_the_file(self):
        header, data, _ = parse_file(TINY)
        metadata = header.pop("__metadata__", {})
        tensors = read_tensors(TINY)
        self.assertEqual(sorted(tensors), sorted(header))
        self.assertEqual(len(tensors), 6)
        for name, entry in header.items():
            dtype, shape, le_bytes, host_bytes = tensors[name]
            begin, end = entry["data_offsets"]
            self.assertEqual(dtype, entry["dtype"], name)
            self.assertEqual(shape, entry["shape"], name)
            self.assertEqual(le_bytes, data[begin:end], name)
            if sys.byteorder == "little":
                self.assertEqual(host_bytes, le_bytes, name)
        # A few values, decoded from the copies.
        self.assertEqual(struct.unpack("=6f", tensors["embed.weight"][3])[:3], (0.0, 0.5, 1.0))
        self.assertEqual(tensors["tokens"][3], bytes([0, 1, 127, 255]))
        self.assertEqual(metadata, {"format": "pt", "source": "safetensors-cpp example"})

    def test_order_find_and_metadata(self):
        header, _, _ = parse_file(TINY)
        metadata = header.pop("__metadata__")
        reader, error = c_void_p(), c_void_p()
        check(lib.st_open(os.fsencode(TINY), ST_PROFILE_STRICT, ST_BACKEND_MMAP,
                          byref(reader), byref(error)), error)
        try:
            count = c_size_t()
            self.assertEqual(lib.st_reader_tensor_count(reader, byref(count)), ST_OK)
            by_offset = sorted(header, key=lambda k: header[k]["data_offsets"])
            for i, want in enumerate(by_offset):
                tensor, found = c_void_p(), c_void_p()
                check(lib.st_reader_tensor_at(reader, i, byref(tensor), None), None)
                name, name_len = POINTER(c_char)(), c_size_t()
                lib.st_tensor_name(tensor, byref(name), byref(name_len))
                self.assertEqual(ctypes.string_at(name, name_len.value), want.encode())
                key = want.encode()
                check(lib.st_reader_find(reader, key, len(key), byref(found), None), None)
                self.assertEqual(found.value, tensor.value)
            missing = c_void_p()
            self.assertEqual(lib.st_reader_find(reader, b"nope", 4, byref(missing), byref(error)),
                             11)  # ST_ERR_TENSOR_NOT_FOUND
            self.assertEqual(lib.st_error_code(error), 11)
            lib.st_error_free(error)
            m = c_size_t()
            lib.st_reader_metadata_count(reader, byref(m))
            got = {}
            for i in range(m.value):
                k, kl, v, vl = POINTER(c_char)(), c_size_t(), POINTER(c_char)(), c_size_t()
                check(lib.st_reader_metadata_at(reader, i, byref(k), byref(kl), byref(v),
                                                byref(vl), None), None)
                got[ctypes.string_at(k, kl.value).decode()] = ctypes.string_at(v, vl.value).decode()
            self.assertEqual(got, metadata)
        finally:
            lib.st_reader_free(reader)

    def test_truncated_files_give_their_kind(self):
        _, _, blob = parse_file(TINY)
        with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as tmp:
            for cut, code, kind, words in [
                    (100, ST_ERR_INVALID_HEADER_LENGTH, "InvalidHeaderLength",
                     "N = 448 but only 92 bytes follow the length field"),
                    (5, ST_ERR_HEADER_TOO_SMALL, "HeaderTooSmall", ""),
                    (None, ST_ERR_IO_ERROR, "IoError", "No such file or directory")]:
                path = os.path.join(tmp, "cut%s.safetensors" % cut)
                if cut is not None:
                    with open(path, "wb") as f:
                        f.write(blob[:cut])
                with self.assertRaises(StError) as caught:
                    read_tensors(path)
                self.assertEqual(caught.exception.code, code)
                self.assertEqual(caught.exception.kind, kind)
                self.assertIn(words, caught.exception.message)
                self.assertIn(path, caught.exception.message)


    @unittest.skipIf(DOC is None, "no docs/c-api.md given")
    def test_the_documented_binding_is_this_one(self):
        with open(DOC) as f:
            doc = f.read()
        section = doc[doc.index("### Python (ctypes)"):]
        code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
        with open(os.path.abspath(__file__)) as f:
            mine = [line.strip() for line in f if line.strip()]
        i = 0
        for line in (l.strip() for l in code.splitlines() if l.strip()):
            # A trailing comment may be the doc's own ("# ... or a path").
            bare = re.sub(r"\s+# .*$", "", line)
            while i < len(mine) and mine[i] not in (line, bare):
                i += 1
            self.assertLess(i, len(mine), "docs/c-api.md's ctypes line is not in "
                            "this test (in this order): %r" % line)
            i += 1


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
