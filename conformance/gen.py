#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes the conformance vectors from their description in cases.py.

  python3 conformance/gen.py           rewrites conformance/vectors/ and
                                       conformance/manifest.json
  python3 conformance/gen.py --check   exits 1 (and says which) when a
                                       committed file differs from what the
                                       generator would write, is missing, or
                                       is extra

Python 3 standard library only; deterministic on every host.

Besides writing bytes, the generator holds an independent model of both read
profiles (docs/specification.md §3-§9, the JSON layer in §7) and
of the writer (docs/specification.md §13). It computes every
golden dump and every expected writer output from that model, and it refuses
to write anything when the model disagrees with an expectation stated in
cases.py, so a typo in the description cannot become a wrong vector.
"""

import hashlib
import json
import math
import os
import re
import struct
import sys

import cases

HERE = os.path.dirname(os.path.abspath(__file__))
VECTOR_DIR = "vectors"
MANIFEST = "manifest.json"
MAX_HEADER = 100_000_000
U64_MAX = 2**64 - 1
DTYPE_BITS = dict(cases.DTYPES)
DTYPE_RANK = {name: rank for rank, (name, _) in enumerate(cases.DTYPES)}

FLAGS = {
    "generated": "too big to commit: the file is described by 'generate' and "
                 "written at test time (its sha256 is still given)",
    "large": "needs about 100 MB of memory or disk",
    "depth": "JSON nesting depth",
    "polyglot": "a file that could carry a second format or hidden bytes",
    "amplification": "claims far more than it holds (allocation or work "
                     "amplification)",
    "parser-differential": "JSON parsers that treat duplicates or forms "
                           "differently read different tensors",
    "bug-doubles": "published bug class: numbers read as IEEE doubles",
    "bug-nul": "published bug class: NUL-terminated (C string) parsing",
    "bug-trailing": "published bug class: content after the header's JSON "
                    "not checked",
    "bug-wrap": "published bug class: unchecked products or sums that wrap",
    "bug-endian": "published bug class: N read in native byte order",
    "bug-truncation": "published bug class: N truncated to 32 bits",
}


# --- JSON strings and the canonical dump (docs/specification.md §15) ----------------

SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f",
                 "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def json_string(s):
    """A JSON string escaped as serde_json (the reference writer) escapes
    (docs/specification.md §15): quote, backslash and \\b \\f \\n \\r \\t short, other
    bytes below 0x20 as \\u00xx with lowercase hex, everything else raw."""
    def escape(m):
        ch = m.group()
        return SHORT_ESCAPES.get(ch, "\\u%04x" % ord(ch))
    return '"' + re.sub(r'["\\\x00-\x1f]', escape, s) + '"'


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & U64_MAX
    return "%016x" % h


def utf8_key(s):
    return s.encode("utf-8")


def dump(n, data_len, tensors, metadata, data):
    lines = ["header_len\t%d" % n, "data_len\t%d" % data_len,
             "ntensors\t%d" % len(tensors)]
    if metadata is None:
        lines.append("metadata\tnone")
    else:
        lines.append("metadata\t%d" % len(metadata))
        for k in sorted(metadata, key=utf8_key):
            lines.append("meta\t%s\t%s" % (json_string(k),
                                           json_string(metadata[k])))
    for name in sorted(tensors, key=utf8_key):
        dtype, shape, begin, end = tensors[name]
        lines.append("tensor\t%s\t%s\t[%s]\t%d\t%d\t%s" % (
            json_string(name), dtype, ",".join(str(d) for d in shape), begin,
            end, fnv1a64(data[begin:end])))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- The reader model ---------------------------------------------------------

class Reject(Exception):
    def __init__(self, kind, why=""):
        super().__init__("%s (%s)" % (kind, why))
        self.kind = kind


def serde_out_of_range(tok):
    """docs/specification.md §7.3: the reference's approximate range test."""
    def ovf(acc, d, lim):
        return acc >= lim // 10 and (acc > lim // 10 or d > lim % 10)

    def digit(j):
        return j < len(tok) and tok[j].isdigit()

    i = 1 if tok.startswith("-") else 0
    sig, e = 0, 0
    if tok[i] == "0":
        i += 1
    else:
        long = False
        while digit(i):
            d = int(tok[i])
            if long or ovf(sig, d, U64_MAX):
                long, e = True, e + 1
            else:
                sig = sig * 10 + d
            i += 1
    if i < len(tok) and tok[i] == ".":
        i += 1
        stop = False
        while digit(i):
            d = int(tok[i])
            if not stop:
                if ovf(sig, d, U64_MAX):
                    stop = True
                else:
                    sig, e = sig * 10 + d, e - 1
            i += 1
    if i < len(tok) and tok[i] in "eE":
        i += 1
        pos = True
        if tok[i] in "+-":
            pos = tok[i] == "+"
            i += 1
        x = 0
        while digit(i):
            d = int(tok[i])
            if ovf(x, d, 2**31 - 1):
                return sig != 0 and pos
            x = x * 10 + d
            i += 1
        e = max(-2**31, min(2**31 - 1, e + x if pos else e - x))
    f = float(sig)
    while True:
        if abs(e) <= 308:
            return e >= 0 and math.isinf(f * float("1e%d" % e))
        if f == 0:
            return False
        if e > 0:
            return True
        f /= 1e308
        e += 308


class Num:
    """A JSON number that is not an unsigned integer (a float in serde)."""

    def __init__(self, tok):
        self.tok = tok


def parse_number(tok):
    if serde_out_of_range(tok):
        raise Reject(cases.JSON, "number out of range")
    if tok.isdigit() and int(tok) <= U64_MAX:
        return int(tok)
    return Num(tok)


def reject_constant(name):
    raise Reject(cases.JSON, "not JSON: " + name)


def max_depth(text, stop=None):
    """The most containers open at once (strings skipped); it stops counting
    once `stop` containers are open (the depth bombs have millions)."""
    depth = best = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            best = max(best, depth)
            if stop is not None and best >= stop:
                break
        elif ch in "]}":
            depth -= 1
    return best


def check_strings(value):
    """Lone surrogates decode to U+D800..U+DFFF in Python; JSON rejects them."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if any(0xD800 <= ord(c) <= 0xDFFF for c in v):
                raise Reject(cases.JSON, "lone surrogate")
        elif isinstance(v, Pairs):
            for key, item in v:
                stack += [key, item]
        elif isinstance(v, list):
            stack.extend(v)


class Pairs(list):
    """A JSON object as its (key, value) pairs, duplicates kept."""


def is_uint(v):
    return isinstance(v, int) and not isinstance(v, bool)


def parse_json(text, profile):
    ws = " \t\n\r"
    start = len(text) - len(text.lstrip(ws))
    if profile == "strict" and not text.startswith("{"):
        raise Reject(cases.JSON, "strict: header must start with {")
    # Depth first (the reference limit; strict's schema is shallower anyway).
    if max_depth(text, stop=128) > 127:
        raise Reject(cases.JSON, "recursion limit")
    decoder = json.JSONDecoder(object_pairs_hook=Pairs, parse_int=parse_number,
                               parse_float=parse_number,
                               parse_constant=reject_constant)
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as e:
        raise Reject(cases.JSON, str(e))
    rest = text[end:]
    allowed = " " if profile == "strict" else ws
    if rest.strip(allowed):
        raise Reject(cases.JSON, "trailing characters")
    check_strings(value)
    return value


def convert_dtype(v, profile):
    if isinstance(v, str) and v in DTYPE_BITS:
        return v
    if (profile == "reference" and isinstance(v, Pairs) and len(v) == 1 and
            v[0][0] in DTYPE_BITS and v[0][1] is None):
        return v[0][0]
    raise Reject(cases.JSON, "bad dtype %r" % (v,))


def convert_shape(v):
    if (isinstance(v, list) and not isinstance(v, Pairs) and
            all(is_uint(d) for d in v)):
        return list(v)
    raise Reject(cases.JSON, "bad shape")


def convert_offsets(v):
    if (isinstance(v, list) and not isinstance(v, Pairs) and len(v) == 2 and
            all(is_uint(d) for d in v)):
        return tuple(v)
    raise Reject(cases.JSON, "bad data_offsets")


def convert_tensor(v, profile):
    if isinstance(v, Pairs):
        fields = {}
        for k, x in v:
            if k in ("dtype", "shape", "data_offsets"):
                if k in fields:
                    raise Reject(cases.JSON, "duplicate field " + k)
                fields[k] = x
            elif profile == "strict":
                raise Reject(cases.JSON, "strict: unknown field " + k)
        for k in ("dtype", "shape", "data_offsets"):
            if k not in fields:
                raise Reject(cases.JSON, "missing field " + k)
        parts = fields["dtype"], fields["shape"], fields["data_offsets"]
    elif isinstance(v, list) and profile == "reference":
        if len(v) < 3:
            raise Reject(cases.JSON, "short array form")
        parts = v[:3]
    else:
        raise Reject(cases.JSON, "tensor entry is not an object")
    dtype = convert_dtype(parts[0], profile)
    shape = convert_shape(parts[1])
    offsets = convert_offsets(parts[2])
    if len(v) > 3 and not isinstance(v, Pairs):
        raise Reject(cases.JSON, "long array form")
    return dtype, shape, offsets[0], offsets[1]


def read_header(text, profile):
    top = parse_json(text, profile)
    if not isinstance(top, Pairs):
        raise Reject(cases.JSON, "top level is not an object")
    metadata, seen_meta, tensors = None, False, {}
    for key, value in top:
        if key == "__metadata__":
            if seen_meta:
                raise Reject(cases.JSON, "duplicate __metadata__")
            seen_meta = True
            if value is None and profile == "reference":
                continue
            if not isinstance(value, Pairs):
                raise Reject(cases.JSON, "__metadata__ is not a map")
            metadata = {}
            for k, x in value:
                if not isinstance(x, str):
                    raise Reject(cases.JSON, "metadata value not a string")
                if k in metadata and profile == "strict":
                    raise Reject(cases.JSON, "strict: duplicate metadata key")
                metadata[k] = x
    for key, value in top:
        if key == "__metadata__":
            continue
        info = convert_tensor(value, profile)
        if key in tensors and profile == "strict":
            raise Reject(cases.JSON, "strict: duplicate tensor name")
        tensors.pop(key, None)
        tensors[key] = info
    return tensors, metadata


def byte_size(dtype, shape, name):
    """A tensor's byte size as docs/specification.md §9 computes it: elements left to
    right, then bits, each within u64 (OVERFLOW), then whole bytes
    (MISALIGNED)."""
    nelem = 1
    for d in shape:
        nelem *= d
        if nelem > U64_MAX:
            raise Reject(cases.OVERFLOW, name)
    nbits = nelem * DTYPE_BITS[dtype]
    if nbits > U64_MAX:
        raise Reject(cases.OVERFLOW, name)
    if nbits % 8:
        raise Reject(cases.MISALIGNED, name)
    return nbits // 8


def validate(tensors, n, file_len):
    cursor = 0
    # Ties keep text order here; the reference picks a tied name at random
    # (specification.md §9), and only the kind is compared.
    for name, (dtype, shape, begin, end) in sorted(
            tensors.items(), key=lambda kv: (kv[1][2], kv[1][3])):
        if begin != cursor or end < begin:
            raise Reject(cases.OFFSET, name)
        cursor = end
        if end - begin != byte_size(dtype, shape, name):
            raise Reject(cases.INFO, name)
    if cursor + 8 + n != file_len:
        raise Reject(cases.INCOMPLETE)


def read(blob, profile):
    """The dump of `blob` in `profile`, or raises Reject(kind)."""
    if len(blob) < 8:
        raise Reject(cases.SMALL)
    n = struct.unpack("<Q", blob[:8])[0]
    if n > MAX_HEADER:
        raise Reject(cases.LARGE)
    if 8 + n > len(blob):
        raise Reject(cases.LENGTH)
    try:
        text = blob[8:8 + n].decode("utf-8")
    except UnicodeDecodeError as e:
        raise Reject(cases.UTF8, str(e))
    tensors, metadata = read_header(text, profile)
    validate(tensors, n, len(blob))
    data = blob[8 + n:]
    return dump(n, len(data), tensors, metadata, data)


# --- The writer model -----------------------------------------------------------

def write(tensors, metadata, alignment=8):
    """The bytes the writer must produce, or raises Reject(kind)."""
    names = [t[0] for t in tensors]
    if "__metadata__" in names or len(set(names)) != len(names):
        raise Reject(cases.JSON, "reserved or duplicate name")
    sizes = {name: byte_size(dtype, shape, name)
             for name, dtype, shape, data in tensors}
    ordered = sorted(tensors, key=lambda t: (-DTYPE_RANK[t[1]], utf8_key(t[0])))
    entries = []
    if metadata is not None:
        entries.append('"__metadata__":{' + ",".join(
            json_string(k) + ":" + json_string(metadata[k])
            for k in sorted(metadata, key=utf8_key)) + "}")
    offset = 0
    for name, dtype, shape, data in ordered:
        size = sizes[name]
        entries.append('%s:{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}'
                       % (json_string(name), dtype,
                          ",".join(str(d) for d in shape), offset,
                          offset + size))
        offset += size
    header = ("{" + ",".join(entries) + "}").encode("utf-8")
    header += b" " * (-(8 + len(header)) % alignment)
    if len(header) > MAX_HEADER:
        raise Reject(cases.LARGE)
    for name, dtype, shape, data in tensors:
        if len(data) != sizes[name]:
            raise Reject(cases.INFO, name)
    return (struct.pack("<Q", len(header)) + header +
            b"".join(t[3] for t in ordered))


# --- From the description to files ------------------------------------------------

def generated_bytes(g):
    pad = g.pad * (g.header_len - len(g.prefix))
    return struct.pack("<Q", g.n) + g.prefix + pad[:g.header_len -
                                                    len(g.prefix)] + g.data


# The smallest header that a writer produces: {} padded with spaces to 8
# bytes (y_len_padded_to_8, a 16-byte file).
MIN_PADDED_HEADER = 8


def length_rule_offenders(vectors_and_bytes):
    """The ids of the vectors that a length precheck could reject for the
    wrong reason, with no variant that it cannot.

    The rule: every vector that some profile rejects, unless its defect is in
    the length layer (the second token of its id is len), must hold a whole
    header of at least MIN_PADDED_HEADER bytes: N >= 8 and 8 + N <= the file's
    size (so the file has at least 16 bytes). That is the smallest file a
    writer writes, so a reader that refuses anything shorter (a minimum file
    size of 16, a minimum N of 8, or N past the end) still has to find the
    vector's real defect. A shorter vector may stay (a reader must also get
    tiny files right) when a vector named ID_padded, the same defect padded
    with spaces, meets the rule."""
    short, ok = [], set()
    for v, blob in vectors_and_bytes:
        if v["strict"] == cases.ACCEPT and v["reference"] == cases.ACCEPT:
            continue
        if v["id"].split("_")[1] == "len":
            continue
        n = struct.unpack("<Q", blob[:8])[0] if len(blob) >= 8 else -1
        if n < MIN_PADDED_HEADER or 8 + n > len(blob):
            short.append("%s (%d bytes, N=%d)" % (v["id"], len(blob), n))
        else:
            ok.add(v["id"])
    return [s for s in short if s.split()[0] + "_padded" not in ok]


def expected_entry(value):
    if value == cases.ACCEPT:
        return {"result": "accept"}
    return {"result": "reject", "kind": value}


def name_value(name):
    if isinstance(name, dict):
        return name["repeat"] * name["count"]
    return name


def build():
    """Returns ({relative path: bytes}, manifest dict)."""
    files = {}
    vectors = []
    ids = set()
    measured = []
    for v in cases.VECTORS:
        vid = v["id"]
        if vid in ids:
            raise SystemExit("duplicate id " + vid)
        ids.add(vid)
        prefix = vid.split("_")[0]
        if prefix not in ("y", "n", "i"):
            raise SystemExit("bad prefix: " + vid)
        blob = v["file"]
        generated = isinstance(blob, cases.GEN)
        if generated:
            blob = generated_bytes(v["file"])
        measured.append((v, blob))
        results = {}
        for profile in ("strict", "reference"):
            try:
                results[profile] = read(blob, profile)
            except Reject as e:
                results[profile] = e
        for profile in ("strict", "reference"):
            want = v[profile]
            got = results[profile]
            got_kind = cases.ACCEPT if isinstance(got, bytes) else got.kind
            if got_kind != want:
                raise SystemExit("%s (%s): the description says %s, the model "
                                 "says %s: %s" % (vid, profile, want, got_kind,
                                                  got))
        accepted = [r for r in results.values() if isinstance(r, bytes)]
        if prefix == "y" and len(accepted) != 2:
            raise SystemExit(vid + ": a y_ vector must be accepted in both")
        if prefix == "n" and accepted:
            raise SystemExit(vid + ": an n_ vector must be rejected in both")
        if prefix == "i" and v["strict"] == v["reference"]:
            raise SystemExit(vid + ": an i_ vector needs different results")
        if len(accepted) == 2 and accepted[0] != accepted[1]:
            raise SystemExit(vid + ": the profiles read different dumps")
        if v["base"] is not None and v["base"] not in ids and not any(
                w["id"] == v["base"] for w in cases.VECTORS):
            raise SystemExit(vid + ": unknown base " + v["base"])
        entry = {"id": vid, "description": v["description"]}
        path = "%s/%s.safetensors" % (VECTOR_DIR, vid)
        if generated:
            g = v["file"]
            entry["file"] = None
            entry["generate"] = {
                "length_field": g.n, "header_prefix": g.prefix.decode("utf-8"),
                "pad": g.pad.decode("utf-8"), "header_bytes": g.header_len,
                "data_hex": g.data.hex()}
        else:
            entry["file"] = path
            files[path] = blob
        entry["size"] = len(blob)
        entry["sha256"] = hashlib.sha256(blob).hexdigest()
        entry["base"] = v["base"]
        entry["flags"] = v["flags"]
        entry["expected"] = {p: expected_entry(v[p])
                             for p in ("strict", "reference")}
        if accepted:
            dump_path = "%s/%s.dump" % (VECTOR_DIR, vid)
            files[dump_path] = accepted[0]
            entry["dump"] = dump_path
        else:
            entry["dump"] = None
        vectors.append(entry)

    offenders = length_rule_offenders(measured)
    if offenders:
        raise SystemExit(
            "these vectors are rejected for a reason outside the length "
            "layer but hold less than the smallest padded header (N >= %d, "
            "whole header present), and have no ID_padded variant that "
            "does: %s" % (MIN_PADDED_HEADER, ", ".join(offenders)))

    writes = []
    for w in cases.WRITES:
        wid = w["id"]
        if wid in ids or not (wid.startswith("y_write_") or
                              wid.startswith("n_write_")):
            raise SystemExit("bad or duplicate writer id " + wid)
        ids.add(wid)
        tensors = [(name_value(n), d, s, b) for n, d, s, b in w["tensors"]]
        alignment = (w["options"] or {}).get("alignment", 8)
        try:
            out = write(tensors, w["metadata"], alignment)
        except Reject as e:
            out = e
        entry = {"id": wid, "description": w["description"],
                 "flags": w["flags"],
                 "tensors": [{"name": n, "dtype": d, "shape": s,
                              "data_hex": b.hex()}
                             for n, d, s, b in w["tensors"]],
                 "metadata": w["metadata"]}
        if w["options"]:
            entry["options"] = w["options"]
        if wid.startswith("n_write_"):
            if not isinstance(out, Reject) or out.kind != w["expect"]:
                raise SystemExit("%s: expected %s, the model says %s" %
                                 (wid, w["expect"], out))
            entry["expected"] = {"result": "error", "kind": out.kind}
        else:
            if isinstance(out, Reject):
                raise SystemExit("%s: the model rejects it: %s" % (wid, out))
            if w["expect"] is not None:
                n = struct.unpack("<Q", out[:8])[0]
                if out[8:8 + n].rstrip(b" ") != w["expect"].encode("utf-8"):
                    raise SystemExit(
                        wid + ": header differs from the reference writer's")
            # What the writer writes, every reader reads back the same way.
            for profile in ("strict", "reference"):
                read(out, profile)
            path = "%s/%s.safetensors" % (VECTOR_DIR, wid)
            files[path] = out
            entry["expected"] = {"result": "bytes", "file": path,
                                 "size": len(out),
                                 "sha256": hashlib.sha256(out).hexdigest()}
        writes.append(entry)

    manifest = {
        "format": "safetensors-conformance",
        "version": 1,
        "spec": "docs/conformance.md; docs/specification.md §15 and §16",
        "profiles": ["strict", "reference"],
        "timeout_seconds": 5,
        "flags": FLAGS,
        "vectors": vectors,
        "writes": writes,
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    files[MANIFEST] = text.encode("utf-8")
    return files


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.stderr.write(__doc__)
        return 2
    files = build()
    on_disk = {os.path.join(VECTOR_DIR, f)
               for f in os.listdir(os.path.join(HERE, VECTOR_DIR))} \
        if os.path.isdir(os.path.join(HERE, VECTOR_DIR)) else set()
    if check:
        status = 0
        for rel, content in sorted(files.items()):
            try:
                with open(os.path.join(HERE, rel), "rb") as f:
                    same = f.read() == content
            except OSError:
                same = False
            if not same:
                sys.stderr.write("%s: differs from the generator (run "
                                 "python3 conformance/gen.py)\n" % rel)
                status = 1
        for rel in sorted(on_disk - set(files)):
            sys.stderr.write("%s: not written by the generator\n" % rel)
            status = 1
        if status == 0:
            print("OK: %d files match the generator" % len(files))
        return status
    os.makedirs(os.path.join(HERE, VECTOR_DIR), exist_ok=True)
    for rel in on_disk - set(files):
        os.remove(os.path.join(HERE, rel))
    for rel, content in files.items():
        with open(os.path.join(HERE, rel), "wb") as f:
            f.write(content)
    print("wrote %d files" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
