#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Compares two builds of the Google Benchmark suites, for regression checks.

    bench/bench_compare.py rounds --base DIR --new DIR --out DIR [--rounds N]
        [--extra BENCH=ARGS ...] BENCH [BENCH...]
    bench/bench_compare.py table DIR [--time real_time|cpu_time]
    bench/bench_compare.py percall CALLGRIND_OUT FUNCTION [FUNCTION...]

`rounds` runs each BENCH binary (e.g. reader_bench) from the two directories
of built binaries in alternating order, base then new in odd rounds and new
then base in even ones, so that drift on a shared machine falls on both
alike. Each run has --benchmark_repetitions=3
--benchmark_report_aggregates_only=true --benchmark_format=json (plus a
BENCH's --extra arguments, e.g. convert_bench=--benchmark_min_time=0.1) and
is written to OUT/r<round>_<base|new>_<bench>.json.

`table` reads those files, takes each run's median (real_time by default),
then each benchmark's median over the rounds, and prints a markdown table:
benchmark | base | new | new/base | rounds | the range of the per-round
ratios (a wide range is noise: the machine's load changed between the two
runs of a round). Ratios outside 0.95-1.05 are marked **.

`percall` reads a callgrind output file written with --compress-strings=no
--compress-pos=no and prints, for each FUNCTION (a substring of the
demangled name, e.g. "safetensors::Header::Parse("), its calls, their
inclusive instruction count, and the count per call. Per call, because the
number of iterations a benchmark runs under valgrind depends on timing.
"""

import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict

UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def rounds(args):
    extra = dict(e.split("=", 1) for e in args.extra)
    os.makedirs(args.out, exist_ok=True)
    for r in range(1, args.rounds + 1):
        order = ("base", "new") if r % 2 else ("new", "base")
        for bench in args.benches:
            for side in order:
                where = args.base if side == "base" else args.new
                binary = os.path.join(where, bench)
                argv = [binary, "--benchmark_repetitions=3",
                        "--benchmark_report_aggregates_only=true",
                        "--benchmark_format=json"]
                argv += extra.get(bench, "").split()
                print("round %d %s %s" % (r, bench, side), file=sys.stderr)
                path = os.path.join(args.out,
                                    "r%d_%s_%s.json" % (r, side, bench))
                with open(path, "w") as out:
                    subprocess.run(argv, stdout=out, stderr=subprocess.DEVNULL,
                                   check=True)


def human(ns):
    for unit, f in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= f:
            return "%.3g %s" % (ns / f, unit)
    return "%.3g ns" % ns


def table(args):
    # "bench: name" -> "base" or "new" -> round -> nanoseconds
    times = defaultdict(lambda: defaultdict(dict))
    order = []
    for path in sorted(glob.glob(os.path.join(args.dir, "r*_*_*.json"))):
        m = re.match(r"r(\d+)_(base|new)_(\w+)\.json$", os.path.basename(path))
        if not m:
            continue
        r, side, bench = int(m.group(1)), m.group(2), m.group(3)
        try:
            with open(path) as f:
                data = json.load(f)
        except ValueError:
            continue  # a run still being written
        for b in data["benchmarks"]:
            if b.get("aggregate_name") != "median":
                continue
            key = "%s: %s" % (bench, b["run_name"])
            if key not in order:
                order.append(key)
            times[key][side][r] = b[args.time] * UNIT_NS[b["time_unit"]]
    print("| benchmark | base | new | new/base | rounds "
          "| per-round new/base |")
    print("|---|---|---|---|---|---|")
    for key in order:
        base, new = times[key]["base"], times[key]["new"]
        both = sorted(set(base) & set(new))
        if not both:
            continue
        mb = statistics.median(base[r] for r in both)
        mn = statistics.median(new[r] for r in both)
        ratios = [new[r] / base[r] for r in both]
        mark = "" if abs(mn / mb - 1) <= 0.05 else " **"
        print("| %s | %s | %s | %.3f%s | %d | %.2f–%.2f |" %
              (key, human(mb), human(mn), mn / mb, mark, len(both),
               min(ratios), max(ratios)))


def percall(args):
    calls = defaultdict(int)
    cost = defaultdict(int)
    callee = None
    pending = None  # (callee, count): the next line holds the call's cost
    with open(args.file, errors="replace") as f:
        for line in f:
            if pending is not None:
                ir = int(line.split()[1])
                for name in args.functions:
                    if name in pending[0]:
                        calls[name] += pending[1]
                        cost[name] += ir
                pending = None
            elif line.startswith("cfn="):
                callee = line[4:].strip()
            elif line.startswith("calls="):
                pending = (callee, int(line[6:].split()[0]))
    for name in args.functions:
        per = cost[name] / calls[name] if calls[name] else float("nan")
        print("%s\tcalls=%d\tIr=%d\tper_call=%.1f" %
              (name, calls[name], cost[name], per))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rounds")
    p.add_argument("--base", required=True)
    p.add_argument("--new", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--extra", action="append", default=[])
    p.add_argument("benches", nargs="+")
    p.set_defaults(run=rounds)
    p = sub.add_parser("table")
    p.add_argument("dir")
    p.add_argument("--time", choices=["real_time", "cpu_time"],
                   default="real_time")
    p.set_defaults(run=table)
    p = sub.add_parser("percall")
    p.add_argument("file")
    p.add_argument("functions", nargs="+")
    p.set_defaults(run=percall)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
