#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes the example files in this directory, byte-exactly as the reference
writer would (REFERENCE.md section 9), with the Python standard library only.

  examples/tiny.safetensors       six small tensors of six dtypes, and metadata
  examples/tiny.safetensors.dump  its canonical dump (SPEC.md section 7)
  examples/sharded/               the same tensors as a sharded checkpoint
                                  (SPEC.md section 9): at most 40 bytes of
                                  data per shard, split greedily in the
                                  writer's order, the metadata in each shard,
                                  and model.safetensors.index.json

Usage: python3 examples/make_examples.py          (rewrites them all)
       python3 examples/make_examples.py --check  (exit 1 if they differ)

Everything is deterministic: the same bytes on every run and every host.
"""

import json
import os
import struct
import sys

# The reference's dtype ranks (its enum order); the writer sorts by rank
# descending, then by name bytes.
DTYPE_RANK = {
    name: rank
    for rank, name in enumerate([
        "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3",
        "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16",
        "I32", "U32", "F32", "C64", "F64", "I64", "U64"
    ])
}


def bf16(x):
    """The upper half of the float32 encoding (exact for the values used)."""
    return struct.pack("<f", x)[2:4]


# (name, dtype, shape, little-endian bytes)
TINY_TENSORS = [
    ("embed.weight", "F32", [2, 3],
     struct.pack("<6f", 0.0, 0.5, 1.0, 1.5, 2.0, 2.5)),
    ("positions", "I64", [3], struct.pack("<3q", -2, 0, 40000000000)),
    ("norm.scale", "BF16", [2, 2],
     b"".join(bf16(x) for x in (1.0, -1.0, 0.5, 2.25))),
    ("tokens", "U8", [4], bytes([0, 1, 127, 255])),
    ("mask", "BOOL", [3], bytes([1, 0, 1])),
    ("temperature", "F64", [], struct.pack("<d", 0.7)),
]
TINY_METADATA = {"format": "pt", "source": "safetensors-cpp example"}


def json_string(s):
    """A JSON string escaped as serde_json (the reference writer) escapes."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                        "\t": "\\t"}[ch])
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def serialize(tensors, metadata):
    """The bytes the reference writer produces (metadata keys sorted)."""
    ordered = writer_order(tensors)
    entries = []
    if metadata is not None:
        inner = ",".join(
            json_string(k) + ":" + json_string(metadata[k])
            for k in sorted(metadata, key=lambda k: k.encode("utf-8")))
        entries.append('"__metadata__":{' + inner + "}")
    offset = 0
    for name, dtype, shape, data in ordered:
        end = offset + len(data)
        entries.append(
            json_string(name) + ':{"dtype":"' + dtype + '","shape":[' +
            ",".join(str(d) for d in shape) + '],"data_offsets":[' +
            str(offset) + "," + str(end) + "]}")
        offset = end
    header = ("{" + ",".join(entries) + "}").encode("utf-8")
    header += b" " * (-len(header) % 8)
    return (struct.pack("<Q", len(header)) + header +
            b"".join(t[3] for t in ordered))


def writer_order(tensors):
    return sorted(tensors,
                  key=lambda t: (-DTYPE_RANK[t[1]], t[0].encode("utf-8")))


SHARD_MAX_SIZE = 40


def shard(tensors, metadata, max_size):
    """{file name: bytes} of a sharded checkpoint, as `safetensors shard`
    writes it: greedy in the writer's order, a new shard when the next tensor
    would take the current one over max_size bytes of data, and the index
    as Hugging Face writes it (json.dumps(indent=2, sort_keys=True))."""
    shards = []
    size = 0
    for t in writer_order(tensors):
        if not shards or (size > 0 and size + len(t[3]) > max_size):
            shards.append([])
            size = 0
        shards[-1].append(t)
        size += len(t[3])
    names = ["model-%05d-of-%05d.safetensors" % (i + 1, len(shards))
             for i in range(len(shards))]
    files = {}
    weight_map = {}
    for name, members in zip(names, shards):
        files[name] = serialize(members, metadata)
        for t in members:
            weight_map[t[0]] = name
    index = {"metadata": {"total_size": sum(len(t[3]) for t in tensors)},
             "weight_map": weight_map}
    files["model.safetensors.index.json"] = (json.dumps(
        index, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(
            "utf-8")
    return files


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def dump(blob):
    """The canonical dump (SPEC.md section 7) of a valid file."""
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", None)
    lines = ["header_len\t%d" % n, "data_len\t%d" % len(data),
             "ntensors\t%d" % len(header)]
    if metadata is None:
        lines.append("metadata\tnone")
    else:
        lines.append("metadata\t%d" % len(metadata))
        for k in sorted(metadata, key=lambda k: k.encode("utf-8")):
            lines.append("meta\t%s\t%s" % (json_string(k),
                                           json_string(metadata[k])))
    for name in sorted(header, key=lambda k: k.encode("utf-8")):
        info = header[name]
        begin, end = info["data_offsets"]
        lines.append("tensor\t%s\t%s\t[%s]\t%d\t%d\t%s" % (
            json_string(name), info["dtype"],
            ",".join(str(d) for d in info["shape"]), begin, end,
            fnv1a64(data[begin:end])))
    return ("\n".join(lines) + "\n").encode("utf-8")


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        sys.stderr.write(__doc__)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    blob = serialize(TINY_TENSORS, TINY_METADATA)
    outputs = {"tiny.safetensors": blob, "tiny.safetensors.dump": dump(blob)}
    for name, content in shard(TINY_TENSORS, TINY_METADATA,
                               SHARD_MAX_SIZE).items():
        outputs[os.path.join("sharded", name)] = content
    status = 0
    for name, content in sorted(outputs.items()):
        path = os.path.join(here, name)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == content
            except OSError:
                same = False
            if not same:
                sys.stderr.write("%s: differs from the generator\n" % path)
                status = 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
