#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Whole-process wall time of several commands, run alternately.

Each round runs every command once, in turn, so that a noisy neighbour slows
all of them alike; the median over the rounds is printed per command. Every
command must exit 0 (its output is discarded).

  bench/alternate.py --rounds=21 \
      'bazel-bin/tools/safetensors validate DIR/model.safetensors.index.json' \
      "python3 -c 'import json; json.load(open(\"DIR/model.safetensors.index.json\"))'"
"""

import argparse
import statistics
import subprocess
import sys
import time


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--rounds", type=int, default=21)
  parser.add_argument("commands", nargs="+", help="shell commands")
  args = parser.parse_args()
  times = [[] for _ in args.commands]
  for command in args.commands:  # warm the page cache and the binaries
    subprocess.run(command, shell=True, check=True, stdout=subprocess.DEVNULL)
  for _ in range(args.rounds):
    for i, command in enumerate(args.commands):
      start = time.perf_counter()
      subprocess.run(command, shell=True, check=True,
                     stdout=subprocess.DEVNULL)
      times[i].append(time.perf_counter() - start)
  for command, t in zip(args.commands, times):
    print(f"{statistics.median(t) * 1e3:8.1f} ms median "
          f"(min {min(t) * 1e3:.1f}, max {max(t) * 1e3:.1f}, "
          f"n={len(t)})  {command}")
  return 0


if __name__ == "__main__":
  sys.exit(main())
