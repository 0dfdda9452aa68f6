#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A deliberately broken writer adapter, for runner_test.py: writer_adapter.py
except that, by the spec file's name (the runner names it ID.json), it

  * y_write_one_i32: writes the right file with byte 20 changed (wrong bytes),
  * y_write_bf16: writes the file one byte short (wrong bytes, sizes differ),
  * y_write_c64: rejects it (should have accepted),
  * n_write_duplicate_names: writes a file anyway (should have rejected),
  * n_write_data_too_short: rejects with the kind NotAKind (wrong kind),
  * y_write_f4: aborts after a line on stderr (crash),
  * y_write_padding_7: exits 0 without writing anything (crash).

  broken_writer.py SPEC.json OUT.safetensors"""

import json
import os
import sys

import writer_adapter


def main(argv):
    spec_path, out_path = argv[1], argv[2]
    case = os.path.basename(spec_path).rsplit(".", 1)[0]
    if case == "y_write_c64":
        print("reject\tInvalidHeaderDeserialization")
        return 1
    if case == "n_write_data_too_short":
        print("reject\tNotAKind")
        return 1
    if case == "y_write_f4":
        sys.stderr.write("broken_writer: aborting on purpose on %s\n" % case)
        sys.stderr.flush()
        os.abort()
    if case == "y_write_padding_7":
        return 0
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    if case == "n_write_duplicate_names":
        spec["tensors"] = spec["tensors"][:1]
    status = writer_adapter.main([argv[0], spec_path, out_path]) \
        if case != "n_write_duplicate_names" else None
    if status is None:
        with open(out_path, "wb") as f:
            f.write(writer_adapter.build(spec))
        return 0
    if status == 0 and case in ("y_write_one_i32", "y_write_bf16"):
        with open(out_path, "rb") as f:
            blob = bytearray(f.read())
        if case == "y_write_one_i32":
            blob[20] ^= 0xFF
        else:
            del blob[-1]
        with open(out_path, "wb") as f:
            f.write(blob)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
