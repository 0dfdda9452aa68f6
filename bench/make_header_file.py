#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes a .safetensors file shaped like a transformer checkpoint's header.

    bench/make_header_file.py TENSORS OUT

TENSORS tensors named as a decoder-only model names them
(model.layers.N.self_attn.q_proj.weight, ..., nine per layer, then the
embedding, the final norm and the head), each BF16 of shape [4, 2], so 16
bytes of data: the file is almost all header, which is what a whole-process
`validate` of a real model's checkpoint spends its time on. 300 tensors give
a 29 KB header, 10,000 about 1 MB, 500,000 about 54 MB. The files of the
"Whole process" table in bench/README.md are made this way.
"""

import json
import struct
import sys

PER_LAYER = (
    "input_layernorm.weight",
    "self_attn.q_proj.weight",
    "self_attn.k_proj.weight",
    "self_attn.v_proj.weight",
    "self_attn.o_proj.weight",
    "post_attention_layernorm.weight",
    "mlp.gate_proj.weight",
    "mlp.up_proj.weight",
    "mlp.down_proj.weight",
)
TAIL = ("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight")


def names(count):
    layer = 0
    out = []
    while len(out) < count - len(TAIL):
        for suffix in PER_LAYER:
            out.append("model.layers.%d.%s" % (layer, suffix))
        layer += 1
    out = out[:max(0, count - len(TAIL))]
    out.extend(TAIL[:count - len(out)])
    return out


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit():
        sys.exit(__doc__)
    count = int(argv[1])
    header = {"__metadata__": {"format": "pt"}}
    for i, name in enumerate(names(count)):
        header[name] = {"dtype": "BF16", "shape": [4, 2],
                        "data_offsets": [16 * i, 16 * (i + 1)]}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(argv[2], "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        out.write(bytes(16 * count))


if __name__ == "__main__":
    main(sys.argv)
