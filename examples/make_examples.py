#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes the example files in this directory, byte-exactly as the reference
writer would (docs/specification.md §13), with the Python standard library only.

  examples/tiny.safetensors       six small tensors of six dtypes, and metadata
  examples/tiny.safetensors.dump  its canonical dump (docs/specification.md §15)
  examples/sharded/               the same tensors as a sharded checkpoint
                                  (docs/specification.md §17): at most 40 bytes of
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

# The conformance generator's models of the writer, the reader and the
# canonical dump (one JSON escaper, one writer, one dump for both scripts).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "conformance"))
import gen  # noqa: E402

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


def serialize(tensors, metadata):
    """The bytes the reference writer produces (metadata keys sorted)."""
    return gen.write(tensors, metadata)


def writer_order(tensors):
    return sorted(tensors,
                  key=lambda t: (-gen.DTYPE_RANK[t[1]], gen.utf8_key(t[0])))


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


def dump(blob):
    """The canonical dump of a valid file, from the model reader."""
    return gen.read(blob, "strict")


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
    if check and status == 0:
        print("OK: %d example files match the generator" % len(outputs))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
