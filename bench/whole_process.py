#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Times whole commands the way users run them, side by side.

    bench/whole_process.py [--runs N] [--warmup N] [--markdown] CMD [CMD...]

Each CMD is one shell-quoted string, e.g. 'bazel-bin/tools/safetensors
validate m.safetensors' or '/path/to/refvalidate m.safetensors'. The commands
run in alternating order (A B C, then C B A, ...) so that drift on a shared
machine falls on all of them alike. Each is started with posix_spawn, its
standard output and error sent to /dev/null, and timed from spawn to exit.
A command that exits non-zero stops the run (a benchmark of a failure
measures nothing).

Printed per command: the median wall time, the 10th and 90th percentiles,
the median CPU time (user + system, from wait4: steadier than wall time on a
loaded machine), and the ratio of the first command's median to its own
(above 1: this command is faster than the first).
"""

import argparse
import os
import shlex
import statistics
import sys
import time


def run_once(argv, devnull):
    """Returns (wall seconds, cpu seconds) of one run of argv."""
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1),
               (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("%s exited %d" % (shlex.join(argv), code))
    return wall, usage.ru_utime + usage.ru_stime


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fmt(seconds):
    if seconds >= 1:
        return "%.2f s" % seconds
    return "%.2f ms" % (seconds * 1e3)


def main(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30,
                        help="timed runs of each command (default 30)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="untimed runs of each first (default 3)")
    parser.add_argument("--markdown", action="store_true",
                        help="print a Markdown table")
    parser.add_argument("commands", nargs="+", metavar="CMD")
    args = parser.parse_args(argv)
    commands = [shlex.split(c) for c in args.commands]
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    with open(os.devnull, "wb") as null:
        devnull = null.fileno()
        for _ in range(args.warmup):
            for argv_ in commands:
                run_once(argv_, devnull)
        for r in range(args.runs):
            order = range(len(commands))
            if r % 2 == 1:
                order = reversed(order)
            for i in order:
                wall, cpu = run_once(commands[i], devnull)
                walls[i].append(wall)
                cpus[i].append(cpu)
    medians = [statistics.median(w) for w in walls]
    rows = []
    for i, c in enumerate(args.commands):
        rows.append((c, fmt(medians[i]), fmt(percentile(walls[i], 0.1)),
                     fmt(percentile(walls[i], 0.9)),
                     fmt(statistics.median(cpus[i])),
                     "%.2fx" % (medians[0] / medians[i])))
    header = ("command", "median wall", "p10", "p90", "median CPU",
              "first / this")
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| `%s` | " % row[0] + " | ".join(row[1:]) + " |")
    else:
        for row in rows:
            print("%s\n  wall %s (p10 %s, p90 %s), CPU %s, first/this %s"
                  % row)
    print("%d runs each, alternating; %d warm-up" % (args.runs, args.warmup))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
