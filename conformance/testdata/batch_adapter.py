#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A batch adapter (docs/conformance.md, "The batch protocol"), for
runner_test.py and as an example.

  batch_adapter.py [--profile=strict|reference]
      answers every path itself with gen.py's model (model_adapter.py)
  batch_adapter.py --exec COMMAND...
      runs a one-process-per-file adapter, COMMAND... FILE, for every path
      and relays its exit status and stdout: any adapter as a batch adapter

  batch_adapter.py [--profile=...] --die-on=ID[,ID]   (tests) exits 3 on
      reading the path of vector ID, before answering
  batch_adapter.py [--profile=...] --cut-on=ID        (tests) announces a
      whole result for ID, writes part of it, and exits 3
  batch_adapter.py [--profile=...] --hang-on=ID       (tests) sleeps forever
      on ID

It reads one path per line on stdin and answers each with the line
`STATUS BYTE-COUNT` and then exactly BYTE-COUNT bytes: the exit status and
the standard output of a one-process run on that file."""

import os
import subprocess
import sys
import time

import model_adapter


def main(argv):
    profile, command, die, cut, hang = "strict", None, set(), set(), set()
    args = argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "--exec":
            command, args = args, []
        elif arg.startswith("--profile="):
            profile = arg.split("=", 1)[1]
        elif arg.startswith("--die-on="):
            die |= set(arg.split("=", 1)[1].split(","))
        elif arg.startswith("--cut-on="):
            cut |= set(arg.split("=", 1)[1].split(","))
        elif arg.startswith("--hang-on="):
            hang |= set(arg.split("=", 1)[1].split(","))
        else:
            sys.stderr.write(__doc__)
            return 2
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        path = line.rstrip(b"\n").decode("utf-8")
        vid = os.path.basename(path).rsplit(".", 1)[0]
        if vid in die:
            sys.stderr.write("batch_adapter: dying on %s\n" % vid)
            sys.stderr.flush()
            os._exit(3)
        if vid in hang:
            time.sleep(1000)
        if command:
            proc = subprocess.run(command + [path], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE)
            status, result = proc.returncode, proc.stdout
        else:
            status, result = model_adapter.read(path, profile)
        out.write(b"%d %d\n" % (status, len(result)))
        if vid in cut:
            out.write(result[:len(result) // 2])
            out.flush()
            sys.stderr.write("batch_adapter: cut short on %s\n" % vid)
            sys.stderr.flush()
            os._exit(3)
        out.write(result)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
