#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A reader adapter around gen.py's Python model of the two read profiles, for
runner_test.py (docs/conformance.md, "Writing an adapter").

  model_adapter.py [--profile=strict|reference] FILE

Exit 0 with the canonical dump, or exit 1 with `reject<TAB>Kind`. It passes
every vector but is slow on the 100 MB ones; the tests skip those."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import gen  # noqa: E402  (the model; imported only, never changed here)


def read(path, profile):
    """(exit status, stdout bytes) for one file."""
    with open(path, "rb") as f:
        blob = f.read()
    try:
        return 0, gen.read(blob, profile)
    except gen.Reject as e:
        return 1, ("reject\t%s\n" % e.kind).encode("utf-8")


def main(argv):
    profile = "strict"
    args = []
    for arg in argv[1:]:
        if arg.startswith("--profile="):
            profile = arg.split("=", 1)[1]
        else:
            args.append(arg)
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    status, out = read(args[0], profile)
    sys.stdout.buffer.write(out)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
