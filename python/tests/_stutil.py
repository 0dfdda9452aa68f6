"""Helpers shared by the safetensors Python test suite (no pytest fixtures here).

Everything in this module is an independent re-implementation (pure Python and
NumPy): the canonical dump of docs/specification.md section 15, a minimal
header parser for well-formed files, and dtype tables.  The tests compare the
package under test against these.
"""

import json
import os
import struct
import subprocess
import sys
import threading
import time

# ---------------------------------------------------------------- paths


def repo_root():
    """The repository root (runfiles dir with conformance/, tools/, ...)."""
    return os.environ.get("SAFETENSORS_REPO", "/work/main")


def tool_path():
    """The C++ command-line tool `safetensors`."""
    return os.environ.get("SAFETENSORS_TOOL", "/work/main/bazel-bin/tools/safetensors")


def load_manifest():
    with open(os.path.join(repo_root(), "conformance", "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- dtypes

# name -> bits per element
DTYPE_BITS = {
    "BOOL": 8, "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "U8": 8, "I8": 8,
    "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8,
    "I16": 16, "U16": 16, "F16": 16, "BF16": 16, "I32": 32, "U32": 32, "F32": 32,
    "C64": 64, "F64": 64, "I64": 64, "U64": 64,
}

# Dtypes NumPy 1.24 (without ml_dtypes) can represent: name -> numpy dtype str (little-endian).
NUMPY_DTYPES = {
    "BOOL": "|b1", "U8": "|u1", "I8": "|i1", "U16": "<u2", "I16": "<i2", "U32": "<u4",
    "I32": "<i4", "U64": "<u8", "I64": "<i8", "F16": "<f2", "F32": "<f4", "F64": "<f8",
    "C64": "<c8",
}

# Dtypes torch 1.13 can represent: name -> torch dtype attribute name.
TORCH_DTYPES = {
    "BOOL": "bool", "U8": "uint8", "I8": "int8", "I16": "int16", "I32": "int32",
    "I64": "int64", "F16": "float16", "BF16": "bfloat16", "F32": "float32",
    "F64": "float64", "C64": "complex64",
}

# Lower-case names a message may use for a dtype instead of the file's spelling.
DTYPE_ALIASES = {
    "BOOL": ["bool"], "U8": ["uint8"], "I8": ["int8"], "U16": ["uint16"], "I16": ["int16"],
    "U32": ["uint32"], "I32": ["int32"], "U64": ["uint64"], "I64": ["int64"],
    "F16": ["float16"], "BF16": ["bfloat16"], "F32": ["float32"], "F64": ["float64"],
    "C64": ["complex64"], "F8_E5M2": ["float8_e5m2"], "F8_E4M3": ["float8_e4m3fn", "float8_e4m3"],
    "F8_E8M0": ["float8_e8m0fnu", "float8_e8m0"], "F8_E4M3FNUZ": ["float8_e4m3fnuz"],
    "F8_E5M2FNUZ": ["float8_e5m2fnuz"], "F4": ["float4_e2m1fn_x2", "float4"],
    "F6_E2M3": ["float6_e2m3"], "F6_E3M2": ["float6_e3m2"],
}


def message_names_dtype(msg, dtype):
    """True when an error message names the safetensors dtype (or an alias)."""
    if dtype in msg:
        return True
    low = msg.lower()
    return any(a in low for a in DTYPE_ALIASES.get(dtype, []))


# ---------------------------------------------------------------- canonical dump (spec §15)

_ESC = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def q(s):
    out = []
    for ch in s:
        if ch in _ESC:
            out.append(_ESC[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in bytes(data):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def _bkey(s):
    return s.encode("utf-8", "surrogatepass")


def parse_simple(blob):
    """Parses a well-formed safetensors byte string (as written by a writer).

    Returns (n, header_text, metadata_or_None, tensors) where tensors maps a name
    to (dtype, shape, begin, end) in header order.  Not a validating parser.
    """
    blob = bytes(blob)
    (n,) = struct.unpack("<Q", blob[:8])
    text = blob[8:8 + n].decode("utf-8")
    hdr = json.loads(text)
    meta = hdr.pop("__metadata__", None)
    tensors = {}
    for name, e in hdr.items():
        assert set(e) == {"dtype", "shape", "data_offsets"}, e
        tensors[name] = (e["dtype"], list(e["shape"]), e["data_offsets"][0], e["data_offsets"][1])
    return n, text, meta, tensors


def canonical_dump(blob):
    """The canonical dump (spec §15) of a well-formed file, computed in Python."""
    blob = bytes(blob)
    n, _text, meta, tensors = parse_simple(blob)
    data = blob[8 + n:]
    lines = ["header_len\t%d" % n, "data_len\t%d" % len(data), "ntensors\t%d" % len(tensors)]
    if meta is None:
        lines.append("metadata\tnone")
    else:
        lines.append("metadata\t%d" % len(meta))
        for k in sorted(meta, key=_bkey):
            lines.append("meta\t%s\t%s" % (q(k), q(meta[k])))
    for name in sorted(tensors, key=_bkey):
        dt, shape, b, e = tensors[name]
        lines.append("tensor\t%s\t%s\t[%s]\t%d\t%d\t%s" % (
            q(name), dt, ",".join(map(str, shape)), b, e, fnv1a64(data[b:e])))
    return "\n".join(lines) + "\n"


def parse_dump(text):
    """Parses a canonical dump into a dict."""
    out = {"metadata": None, "meta": {}, "tensors": []}
    for line in text.split("\n"):
        if not line:
            continue
        f = line.split("\t")
        if f[0] in ("header_len", "data_len", "ntensors"):
            out[f[0]] = int(f[1])
        elif f[0] == "metadata":
            out["metadata"] = None if f[1] == "none" else int(f[1])
        elif f[0] == "meta":
            out["meta"][json.loads(f[1])] = json.loads(f[2])
        elif f[0] == "tensor":
            shape = [int(x) for x in f[3][1:-1].split(",")] if f[3] != "[]" else []
            out["tensors"].append({
                "name": json.loads(f[1]), "dtype": f[2], "shape": shape,
                "begin": int(f[4]), "end": int(f[5]), "fnv": f[6]})
        elif f[0] == "reject":
            out["reject"] = f[1] if len(f) > 1 else ""
        else:
            raise AssertionError("unknown dump line %r" % line)
    return out


# ---------------------------------------------------------------- file building

def build_file(header, data=b"", pad_to=8, raw_header=None):
    """Builds a safetensors byte string from a header dict (or raw header bytes)."""
    if raw_header is None:
        raw_header = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if pad_to:
        raw_header += b" " * ((-len(raw_header)) % pad_to)
    return struct.pack("<Q", len(raw_header)) + raw_header + bytes(data)


def expected_file_bytes(header_json, data):
    """HF writer layout for an already-ordered header JSON string."""
    hb = header_json.encode("utf-8")
    hb += b" " * ((-len(hb)) % 8)
    return struct.pack("<Q", len(hb)) + hb + bytes(data)


# ---------------------------------------------------------------- raw bytes of framework values

def np_raw(a):
    import numpy as np
    a = np.asarray(a)
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return np.ascontiguousarray(a).tobytes()


def torch_raw(t):
    import torch
    t = t.detach().cpu().contiguous()
    if t.numel() == 0:
        return b""  # (NumPy cannot hold every zero-size shape torch can)
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def bool_bytes_equal(raw_got, raw_expected):
    """BOOL data compares by truth value (a reader may or may not normalise bytes)."""
    return [b != 0 for b in raw_got] == [b != 0 for b in raw_expected]


# ---------------------------------------------------------------- subprocess

def package_pythonpath():
    """A PYTHONPATH for subprocesses that finds the same safetensors package."""
    import safetensors
    pkg_parent = os.path.dirname(os.path.dirname(os.path.abspath(safetensors.__file__)))
    parts = [pkg_parent] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return os.pathsep.join(parts)


def run_python(code, cwd, args=(), timeout=120):
    env = dict(os.environ)
    env["PYTHONPATH"] = package_pythonpath()
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, "-c", code] + [str(a) for a in args], cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=timeout)


# ---------------------------------------------------------------- reference writer (spec §13.2)

DTYPE_RANK = ["BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
              "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32",
              "C64", "F64", "I64", "U64"]


def ref_serialize(tensors, metadata=None):
    """The reference writer's bytes.  tensors: iterable of (name, dtype, shape, data)."""
    items = sorted(tensors, key=lambda t: (-DTYPE_RANK.index(t[1]), _bkey(t[0])))
    parts = []
    if metadata is not None:
        parts.append('"__metadata__":{' + ",".join(
            "%s:%s" % (q(k), q(metadata[k])) for k in sorted(metadata, key=_bkey)) + "}")
    off = 0
    data = []
    for name, dtype, shape, buf in items:
        buf = bytes(buf)
        parts.append('%s:{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}' % (
            q(name), dtype, ",".join(str(int(d)) for d in shape), off, off + len(buf)))
        off += len(buf)
        data.append(buf)
    return expected_file_bytes("{" + ",".join(parts) + "}", b"".join(data))


# ---------------------------------------------------------------- threads


def progress_during(call):
    """How many times this thread ran a Python loop while `call` ran in
    another thread (about zero if the call holds the GIL throughout)."""
    started, done = threading.Event(), threading.Event()
    error = []

    def worker():
        started.set()
        try:
            call()
        except BaseException as e:  # reported below
            error.append(e)
        done.set()

    t = threading.Thread(target=worker)
    t.start()
    started.wait()
    count = 0
    while not done.is_set():
        count += 1
        time.sleep(0)
    t.join()
    if error:
        raise error[0]
    return count
