#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A writer adapter around gen.py's Python model of the writer, for
runner_test.py (docs/conformance.md, "Writer adapters").

  writer_adapter.py SPEC.json OUT.safetensors

SPEC is {"tensors": [{"name", "dtype", "shape", "data_hex"}...], "metadata":
null or {key: value}, "options": {"alignment": N}}, a name possibly
{"repeat": s, "count": n}. Exit 0 having written OUT, or exit 1 printing
`reject<TAB>Kind`."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import gen  # noqa: E402  (the model; imported only, never changed here)


def build(spec):
    """The file's bytes, or raises gen.Reject."""
    tensors = [(gen.name_value(t["name"]), t["dtype"], t["shape"],
                bytes.fromhex(t["data_hex"])) for t in spec["tensors"]]
    alignment = (spec.get("options") or {}).get("alignment", 8)
    return gen.write(tensors, spec["metadata"], alignment)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    try:
        blob = build(spec)
    except gen.Reject as e:
        sys.stdout.write("reject\t%s\n" % e.kind)
        return 1
    with open(argv[2], "wb") as f:
        f.write(blob)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
