#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Runs safetensors implementations over the conformance vectors.

  bazel run //conformance:runner -- [options] [NAME=COMMAND ...]

Each NAME=COMMAND is an implementation adapter (docs/specification.md §15): COMMAND is
split like a shell command line and run with the vector's path appended (or
put where {file} appears); {profile} becomes strict or reference. With no
NAME=COMMAND, this project's own `safetensors dump --profile={profile}` runs.

An adapter must exit 0 and print the canonical dump (accepted), or exit 1
with `reject<TAB>Kind` (or `reject`) as its first line (rejected). Anything
else is a crash; more than --timeout seconds is a timeout.

Options:
  --profile=strict|reference  whose expectations to judge by (default strict)
  --pruned                    one matrix row per distinct result pattern
  --failures                  only rows where some implementation failed
  --jobs=N                    parallel runs (default: the number of CPUs)
  --timeout=SECONDS           per run (default 5, as docs/specification.md §15 says)
  --filter=REGEX              only vectors whose id matches (re.search)
  --skip-large                skip the vectors flagged "large" (100 MB)
  --ignore-kind               judge rejections by result only, not kind
  --max-output=BYTES          stop reading an adapter's output after this
                              many bytes (default 16 MiB)
  --json=PATH, --tsv=PATH     also write every result, machine-readable
  --manifest=PATH             another manifest.json (default: the suite's)

Results: pass, should-accept (a valid file was rejected), should-reject (an
invalid file was accepted), wrong-kind, wrong-dump, crash, timeout. Exit
status 0 when every implementation passes every vector, 1 otherwise, 2 on a
usage error. Python 3 standard library only.
"""

import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

RESULTS = ["pass", "should-accept", "should-reject", "wrong-kind",
           "wrong-dump", "crash", "timeout"]
SYMBOL = {"pass": ".", "should-accept": "A", "should-reject": "R",
          "wrong-kind": "K", "wrong-dump": "D", "crash": "C", "timeout": "T"}
LEGEND = ("legend: . pass  A should have accepted  R should have rejected  "
          "K wrong kind  D wrong dump  C crash  T timeout")
HERE = os.path.dirname(os.path.abspath(__file__))


def usage(message):
    sys.stderr.write("runner: %s\n\n%s" % (message, __doc__))
    sys.exit(2)


def user_path(path):
    """Paths on the command line are relative to where `bazel run` ran."""
    base = os.environ.get("BUILD_WORKING_DIRECTORY", os.getcwd())
    return os.path.join(base, path)


def parse_args(argv):
    opts = {"profile": "strict", "pruned": False, "failures": False,
            "jobs": os.cpu_count() or 4, "timeout": 5.0, "filter": None,
            "skip_large": False, "ignore_kind": False,
            "max_output": 16 << 20, "json": None, "tsv": None,
            "manifest": os.path.join(HERE, "manifest.json"), "impls": []}
    for arg in argv:
        if arg.startswith("--"):
            key, _, value = arg[2:].partition("=")
            key = key.replace("-", "_")
            if key in ("pruned", "failures", "skip_large", "ignore_kind"):
                opts[key] = True
            elif key == "profile" and value in ("strict", "reference"):
                opts[key] = value
            elif key in ("jobs", "max_output") and value.isdigit():
                opts[key] = max(1, int(value))
            elif key == "timeout":
                try:
                    opts[key] = float(value)
                except ValueError:
                    usage("bad --timeout")
            elif key == "filter" and value:
                opts[key] = re.compile(value)
            elif key in ("json", "tsv", "manifest") and value:
                opts[key] = user_path(value)
            elif key == "help":
                sys.stdout.write(__doc__)
                sys.exit(0)
            else:
                usage("bad option " + arg)
        elif "=" in arg and not arg.startswith("="):
            name, command = arg.split("=", 1)
            if not command.strip():
                usage("empty command for " + name)
            opts["impls"].append((name, command))
        else:
            usage("expected NAME=COMMAND, got " + repr(arg))
    names = [n for n, _ in opts["impls"]]
    if len(set(names)) != len(names):
        usage("implementation names must be distinct")
    return opts


def own_tool_command():
    """This project's `safetensors dump`, from the runner's runfiles. Under
    --config=s390x it is an s390x binary: run it through qemu."""
    candidates = [os.path.join(HERE, "..", "tools", "safetensors")]
    runfiles = os.environ.get("RUNFILES_DIR")
    if runfiles:
        candidates.insert(0, os.path.join(runfiles, "safetensors_cpp",
                                          "tools", "safetensors"))
    for path in candidates:
        if os.path.isfile(path):
            prefix = []
            with open(path, "rb") as f:
                head = f.read(20)
            # ELF e_machine 22 is S/390; e_data 2 is big-endian.
            if (head[:4] == b"\x7fELF" and head[5] == 2 and
                    struct.unpack(">H", head[18:20])[0] == 22 and
                    os.uname().machine != "s390x"):
                prefix = ["/usr/bin/qemu-s390x-static"]
            return " ".join(shlex.quote(p) for p in prefix + [
                os.path.abspath(path)]) + " dump --profile={profile}"
    usage("cannot find this project's tools/safetensors; give NAME=COMMAND")


def load_vectors(opts):
    with open(opts["manifest"], "rb") as f:
        manifest = json.load(f)
    base = os.path.dirname(opts["manifest"])
    vectors = []
    for v in manifest["vectors"]:
        if opts["filter"] and not opts["filter"].search(v["id"]):
            continue
        if opts["skip_large"] and "large" in v["flags"]:
            continue
        v = dict(v)
        if v["file"]:
            v["path"] = os.path.join(base, v["file"])
        if v["dump"]:
            with open(os.path.join(base, v["dump"]), "rb") as f:
                v["golden"] = f.read()
        vectors.append(v)
    return vectors


def materialize(vectors, tmpdir):
    """Writes the generated vectors (flag "generated") into tmpdir."""
    for v in vectors:
        if v["file"]:
            continue
        g = v["generate"]
        path = os.path.join(tmpdir, v["id"] + ".safetensors")
        prefix = g["header_prefix"].encode("utf-8")
        pad = g["pad"].encode("utf-8")
        count = g["header_bytes"] - len(prefix)
        digest = hashlib.sha256()
        with open(path, "wb") as f:
            for chunk in (struct.pack("<Q", g["length_field"]), prefix,
                          (pad * (count // len(pad) + 1))[:count],
                          bytes.fromhex(g["data_hex"])):
                f.write(chunk)
                digest.update(chunk)
        if digest.hexdigest() != v["sha256"]:
            raise SystemExit("runner: generated %s does not match its sha256"
                             % v["id"])
        v["path"] = path


def run_adapter(command, path, timeout, max_output):
    """Runs one adapter on one file. Returns (status, stdout, seconds) where
    status is an exit code, "timeout" or "signal N"."""
    argv = [a.replace("{file}", path) for a in command]
    if not any("{file}" in a for a in command):
        argv.append(path)
    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, start_new_session=True,
            cwd=os.environ.get("BUILD_WORKING_DIRECTORY") or None)
    except OSError as e:
        return "cannot start: %s" % e.strerror, b"", 0.0
    chunks, size = [], [0]

    def reader():
        while True:
            chunk = proc.stdout.read1(65536)
            if not chunk:
                return
            if size[0] < max_output:
                chunks.append(chunk[:max_output - size[0]])
            size[0] += len(chunk)   # keep draining so the child never blocks

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    status = None
    try:
        proc.wait(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        status = "timeout"
    if status == "timeout" or size[0] > max_output:
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # the adapter and its children
        except OSError:
            pass
        proc.wait()
    t.join(timeout=5)
    proc.stdout.close()
    seconds = time.monotonic() - start
    if isinstance(status, int) and status < 0:
        status = "signal %d" % -status
    out = b"".join(chunks)
    if size[0] > max_output:
        out += b"\n[output cut at %d bytes]" % max_output
    return status, out, seconds


def judge(v, profile, status, out, ignore_kind):
    """Returns (result, what the adapter said in one short line)."""
    expected = v["expected"][profile]
    if status == "timeout":
        return "timeout", "timeout"
    if status == 0:
        if expected["result"] == "reject":
            return "should-reject", "accept"
        if out == v["golden"]:
            return "pass", "accept"
        return "wrong-dump", "accept (dump differs)"
    if status == 1:
        first = out.split(b"\n", 1)[0]
        if first == b"reject" or first.startswith(b"reject\t"):
            kind = first[7:].decode("utf-8", "replace")
            said = "reject" + ("\t" + kind if kind else "")
            if expected["result"] == "accept":
                return "should-accept", said
            if ignore_kind or kind == expected["kind"]:
                return "pass", said
            return "wrong-kind", said
    return "crash", "exit %s" % status


def describe(expected):
    if expected["result"] == "accept":
        return "accept"
    return "reject\t" + expected["kind"]


def main(argv):
    opts = parse_args(argv[1:])
    if not opts["impls"]:
        opts["impls"] = [("safetensors-cpp", own_tool_command())]
    impls = [(name, [a.replace("{profile}", opts["profile"])
                     for a in shlex.split(command)])
             for name, command in opts["impls"]]
    vectors = load_vectors(opts)
    if not vectors:
        usage("no vectors selected")
    profile = opts["profile"]
    with tempfile.TemporaryDirectory(prefix="st-conformance-") as tmpdir:
        materialize(vectors, tmpdir)
        jobs = [(v, name, command) for v in vectors for name, command in impls]
        results = {}
        with concurrent.futures.ThreadPoolExecutor(opts["jobs"]) as pool:
            futures = {
                pool.submit(run_adapter, command, v["path"], opts["timeout"],
                            opts["max_output"]): (v["id"], name)
                for v, name, command in jobs}
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()

    names = [name for name, _ in impls]
    rows = []
    for v in vectors:
        cells = []
        for name in names:
            status, out, seconds = results[(v["id"], name)]
            result, said = judge(v, profile, status, out, opts["ignore_kind"])
            cells.append({"result": result, "got": said, "exit": status,
                          "seconds": round(seconds, 3)})
        rows.append((v, cells))

    print_matrix(rows, names, opts)
    print_summary(rows, names, profile)
    write_machine_readable(rows, names, opts)
    everything_passed = all(c["result"] == "pass" for _, cells in rows
                            for c in cells)
    return 0 if everything_passed else 1


def print_matrix(rows, names, opts):
    shown = rows
    if opts["failures"]:
        shown = [r for r in rows if any(c["result"] != "pass" for c in r[1])]
    counts = {}
    if opts["pruned"]:
        kept, seen = [], {}
        for v, cells in shown:
            pattern = (v["expected"][opts["profile"]]["result"],
                       tuple(c["result"] for c in cells))
            if pattern not in seen:
                seen[pattern] = v["id"]
                kept.append((v, cells))
            counts[seen[pattern]] = counts.get(seen[pattern], 0) + 1
        shown = kept
    width = max([len(v["id"]) for v, _ in shown] + [6])
    print("profile: %s, %d vectors, %d implementation(s)" % (
        opts["profile"], len(rows), len(names)))
    print(LEGEND)
    for i, name in enumerate(names):
        print("column %d: %s" % (i + 1, name))
    print("%-*s  %s" % (width, "vector", " ".join(
        str((i + 1) % 10) for i in range(len(names)))))
    for v, cells in shown:
        line = "%-*s  %s" % (width, v["id"],
                             " ".join(SYMBOL[c["result"]] for c in cells))
        if opts["pruned"]:
            line += "   (%d vector%s like this)" % (
                counts[v["id"]], "" if counts[v["id"]] == 1 else "s")
        else:
            wrong = [c for c in cells if c["result"] != "pass"]
            if wrong:
                line += "   expected %s" % describe(
                    v["expected"][opts["profile"]]).replace("\t", " ")
        print(line)


def print_summary(rows, names, profile):
    print("\nsummary (%s profile):" % profile)
    for i, name in enumerate(names):
        counts = {r: 0 for r in RESULTS}
        by_prefix = {}
        for v, cells in rows:
            result = cells[i]["result"]
            counts[result] += 1
            prefix = v["id"].split("_")[0] + "_"
            total, passed = by_prefix.get(prefix, (0, 0))
            by_prefix[prefix] = (total + 1, passed + (result == "pass"))
        total = len(rows)
        print("  %s: %d/%d pass (%.1f%%); %s; %s" % (
            name, counts["pass"], total, 100.0 * counts["pass"] / total,
            ", ".join("%s %d" % (r, counts[r]) for r in RESULTS[1:]),
            ", ".join("%s %d/%d" % (p, by_prefix[p][1], by_prefix[p][0])
                      for p in sorted(by_prefix))))


def write_machine_readable(rows, names, opts):
    if opts["json"]:
        doc = {"profile": opts["profile"], "implementations": names,
               "results": [{"id": v["id"],
                            "expected": v["expected"][opts["profile"]],
                            "implementations": dict(zip(names, [
                                {k: c[k] for k in ("result", "got",
                                                   "exit", "seconds")}
                                for c in cells]))}
                           for v, cells in rows]}
        with open(opts["json"], "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    if opts["tsv"]:
        with open(opts["tsv"], "w", encoding="utf-8") as f:
            f.write("vector\timplementation\tresult\texpected\tgot\texit\t"
                    "seconds\n")
            for v, cells in rows:
                for name, c in zip(names, cells):
                    f.write("\t".join([
                        v["id"], name, c["result"],
                        describe(v["expected"][opts["profile"]]).replace(
                            "\t", " "),
                        c["got"].replace("\t", " "), str(c["exit"]),
                        str(c["seconds"])]) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
