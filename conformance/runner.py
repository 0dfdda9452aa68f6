#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Runs safetensors implementations over the conformance vectors.

  bazel run //conformance:runner -- [options] [NAME=COMMAND ...]
  python3 conformance/runner.py [options] [NAME=COMMAND ...]

Each NAME=COMMAND is an implementation adapter (docs/conformance.md, "Writing
an adapter"): COMMAND is split like a shell command line and run once per
vector with the vector's path appended (or put where {file} appears);
{profile} becomes strict or reference. With no adapter at all, this project's
own `safetensors dump --profile={profile}` runs.

An adapter must exit 0 and print the canonical dump (accepted), or exit 1
with `reject<TAB>Kind` (or `reject`) as its first line (rejected). Anything
else is a crash; more than --timeout seconds is a timeout.

Adapters:
  NAME=COMMAND                one process per vector (the default protocol)
  --batch NAME=COMMAND        one process for many vectors: it reads one path
                              per line on stdin and answers each with a line
                              `STATUS BYTE-COUNT` and then exactly BYTE-COUNT
                              bytes of what it would have printed (see
                              docs/conformance.md, "The batch protocol")
  --write                     judge the writer cases (manifest "writes")
                              instead of the reader vectors; every adapter
                              is then a writer, run as COMMAND SPEC.json
                              OUT.safetensors (or where {spec} and {out}
                              appear). With no adapter, this project's
                              `safetensors create {spec} {out}` runs.
  --writer NAME=COMMAND       the same as --write plus that writer adapter

Options:
  --profile=strict|reference  whose expectations to judge by (default strict)
  --pruned                    one matrix row per distinct result pattern
                              within each prefix and layer (y_len_, n_json_...)
  --verbose                   with --pruned, list the vectors of every row
  --failures                  only rows where some implementation failed
  --show=VECTOR               print that vector's whole exchange with every
                              adapter (command line, exit status, stdout,
                              stderr, expected, verdict) instead of the
                              matrix; repeatable
  --jobs=N                    parallel runs, and processes per batch adapter
                              (default: the number of CPUs)
  --timeout=SECONDS           per run (default 5, as docs/specification.md §15 says)
  --filter=REGEX              only vectors whose id matches (re.search)
  --flag=NAME[,NAME...]       only vectors with any of these flags; repeatable
  --skip-large                skip the vectors flagged "large" (100 MB)
  --ignore-kind               judge rejections by result only, not kind
  --max-output=BYTES          stop reading an adapter's output after this
                              many bytes (default 16 MiB)
  --progress                  report progress on stderr (the default when
                              stderr is a terminal); --no-progress: never
  --json=PATH, --tsv=PATH     also write every result, machine-readable, with
                              why each failure failed and the first 4 KiB of
                              the adapter's stdout and stderr
  --manifest=PATH             another manifest.json (default: the suite's)

Before anything runs, every committed vector and expected writer output is
checked against the manifest's size and sha256 (and every dump for raw CRs),
and every adapter is started once on the smallest valid vector: a mismatch,
or an adapter that cannot be executed at all, exits 2.

Results: pass, should-accept (a valid file was rejected), should-reject (an
invalid file was accepted), wrong-kind, wrong-dump, wrong-bytes (a writer's
file differs), crash, timeout. The summary scores each implementation twice:
"decision" (accepted or rejected rightly, kinds not judged) and "decision +
kind". Exit status 0 when every implementation passes every vector, 1
otherwise, 2 on a usage error, a damaged checkout or an adapter that cannot
start. Python 3 standard library only.
"""

import concurrent.futures
import hashlib
import json
import os
import queue
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
           "wrong-dump", "wrong-bytes", "crash", "timeout"]
SYMBOL = {"pass": ".", "should-accept": "A", "should-reject": "R",
          "wrong-kind": "K", "wrong-dump": "D", "wrong-bytes": "B",
          "crash": "C", "timeout": "T"}
LEGEND = {
    "read": ("legend: . pass  A should have accepted  R should have rejected  "
             "K wrong kind  D wrong dump  C crash  T timeout"),
    "write": ("legend: . pass  A should have accepted  R should have rejected"
              "  K wrong kind  B wrong bytes  C crash  T timeout"),
}
# Right decision, whatever the kind: the "decision" score.
DECISION_RIGHT = ("pass", "wrong-kind")
EXCERPT = 4096          # bytes of stdout and stderr kept in --json
STDERR_CAP = 1 << 20    # bytes of stderr kept per run (the rest is drained)
HERE = os.path.dirname(os.path.abspath(__file__))
DAMAGED_HINT = (
    "The checkout may be CRLF-mangled or truncated: the vectors are binary "
    "files. Check git's core.autocrlf (`git config --get core.autocrlf`; it "
    "should be unset or false here) and any .gitattributes, then check the "
    "files out again (`git checkout -- conformance/`) or clone afresh.")


class UsageError(Exception):
    pass


def usage(message):
    sys.stderr.write("runner: %s\n\n%s" % (message, __doc__))
    sys.exit(2)


def fatal(message):
    """Exit 2 for a damaged checkout or an adapter that cannot start."""
    sys.stderr.write("runner: %s\n" % message)
    sys.exit(2)


def user_path(path):
    """Paths on the command line are relative to where `bazel run` ran."""
    base = os.environ.get("BUILD_WORKING_DIRECTORY", os.getcwd())
    return os.path.join(base, path)


def adapter_spec(value, protocol):
    if "=" not in value or value.startswith("="):
        usage("expected NAME=COMMAND, got " + repr(value))
    name, command = value.split("=", 1)
    if not command.strip():
        usage("empty command for " + name)
    return {"name": name, "command": command, "protocol": protocol}


def parse_args(argv):
    opts = {"profile": "strict", "pruned": False, "verbose": False,
            "failures": False, "jobs": os.cpu_count() or 4, "timeout": 5.0,
            "filter": None, "flags": [], "skip_large": False,
            "ignore_kind": False, "max_output": 16 << 20, "json": None,
            "tsv": None, "show": [], "write": False, "progress": None,
            "manifest": os.path.join(HERE, "manifest.json"), "impls": []}
    argv = list(argv)
    while argv:
        arg = argv.pop(0)
        if arg.startswith("--"):
            key, eq, value = arg[2:].partition("=")
            key = key.replace("-", "_")
            if key in ("batch", "writer"):
                if not eq:
                    if not argv:
                        usage("--%s needs NAME=COMMAND" % key)
                    value = argv.pop(0)
                protocol = "batch" if key == "batch" else "writer"
                opts["impls"].append(adapter_spec(value, protocol))
                if key == "writer":
                    opts["write"] = True
            elif key in ("pruned", "failures", "skip_large", "ignore_kind",
                         "verbose", "write") and not eq:
                opts[key] = True
            elif key in ("progress", "no_progress") and not eq:
                opts["progress"] = key == "progress"
            elif key == "profile" and value in ("strict", "reference"):
                opts[key] = value
            elif key in ("jobs", "max_output") and value.isdigit():
                opts[key] = max(1, int(value))
            elif key == "timeout":
                try:
                    opts[key] = float(value)
                except ValueError:
                    usage("bad --timeout")
                if not opts[key] > 0:
                    usage("bad --timeout")
            elif key == "filter" and value:
                try:
                    opts[key] = re.compile(value)
                except re.error as e:
                    usage("bad --filter: %s" % e)
            elif key == "flag" and value:
                opts["flags"] += [f for f in value.split(",") if f]
            elif key == "show" and value:
                opts["show"].append(value)
            elif key in ("json", "tsv", "manifest") and value:
                opts[key] = user_path(value)
            elif key == "help":
                sys.stdout.write(__doc__)
                sys.exit(0)
            else:
                usage("bad option " + arg)
        else:
            opts["impls"].append(adapter_spec(arg, "process"))
    names = [impl["name"] for impl in opts["impls"]]
    if len(set(names)) != len(names):
        usage("implementation names must be distinct")
    if opts["write"]:
        if any(impl["protocol"] == "batch" for impl in opts["impls"]):
            usage("--batch is for reader adapters; writers run one process "
                  "per case")
        for impl in opts["impls"]:
            impl["protocol"] = "writer"
    return opts


def own_tool_argv():
    """This project's tool, from the runner's runfiles, as an argv prefix.
    Under --config=s390x it is an s390x binary: run it through qemu."""
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
            return prefix + [os.path.abspath(path)]
    usage("cannot find this project's tools/safetensors; give NAME=COMMAND")


def quote(argv):
    return " ".join(shlex.quote(a) for a in argv)


def own_tool_command():
    """The reader adapter `safetensors dump --profile={profile}`."""
    return quote(own_tool_argv()) + " dump --profile={profile}"


def own_writer_command():
    """The writer adapter `safetensors create {spec} {out}`."""
    return quote(own_tool_argv()) + " create {spec} {out}"


# --- The manifest and its files ----------------------------------------------

def sha256_file(path):
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                return size, digest.hexdigest()
            size += len(chunk)
            digest.update(chunk)


def check_file(base, rel, size, sha256):
    """Exits 2 unless base/rel has this size and sha256."""
    path = os.path.join(base, rel)
    try:
        got_size, got_sha = sha256_file(path)
    except OSError as e:
        fatal("%s: cannot read it (%s), but the manifest lists it.\n%s" % (
            path, e.strerror, DAMAGED_HINT))
    if (got_size, got_sha) != (size, sha256):
        fatal("%s: %d bytes with sha256 %s, but the manifest says %d bytes "
              "with sha256 %s.\n%s" % (path, got_size, got_sha, size, sha256,
                                       DAMAGED_HINT))


def load_manifest(opts):
    """The manifest, after checking every file it lists (exit 2 if any is
    damaged): vectors and expected writer outputs by size and sha256, dumps
    by their form (a canonical dump escapes every CR, ends with LF)."""
    try:
        with open(opts["manifest"], "rb") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fatal("cannot read the manifest %s: %s" % (opts["manifest"], e))
    base = os.path.dirname(opts["manifest"])
    for v in manifest["vectors"]:
        if v["file"]:
            check_file(base, v["file"], v["size"], v["sha256"])
        if v["dump"]:
            path = os.path.join(base, v["dump"])
            try:
                with open(path, "rb") as f:
                    text = f.read()
            except OSError as e:
                fatal("%s: cannot read it (%s), but the manifest lists it."
                      "\n%s" % (path, e.strerror, DAMAGED_HINT))
            if b"\r" in text or not text.endswith(b"\n"):
                fatal("%s: %s; a canonical dump escapes every CR and ends "
                      "with LF.\n%s" % (path, "it has a raw CR" if b"\r" in
                                        text else "it does not end with LF",
                                        DAMAGED_HINT))
            v["golden"] = text
    for w in manifest.get("writes", []):
        e = w["expected"]
        if e["result"] == "bytes":
            check_file(base, e["file"], e["size"], e["sha256"])
    manifest["base"] = base
    return manifest


def select(cases, opts):
    known = {c["id"] for c in cases}
    for vid in opts["show"]:
        if vid not in known:
            usage("--show: no %s %r in the manifest" % (
                "writer case" if opts["write"] else "vector", vid))
    selected = []
    for c in cases:
        if opts["show"] and c["id"] not in opts["show"]:
            continue
        if opts["filter"] and not opts["filter"].search(c["id"]):
            continue
        if opts["flags"] and not set(opts["flags"]) & set(c["flags"]):
            continue
        if opts["skip_large"] and "large" in c["flags"]:
            continue
        selected.append(dict(c))
    return selected


def materialize(vectors, base, tmpdir):
    """Sets each vector's path; writes the generated ones (flag "generated")
    into tmpdir."""
    for v in vectors:
        if v["file"]:
            v["path"] = os.path.abspath(os.path.join(base, v["file"]))
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
            fatal("generated %s does not match its sha256" % v["id"])
        v["path"] = path


def write_specs(cases, tmpdir):
    """Writes each writer case's input as tmpdir/specs/ID.json."""
    os.makedirs(os.path.join(tmpdir, "specs"), exist_ok=True)
    for c in cases:
        spec = {"tensors": c["tensors"], "metadata": c["metadata"],
                "options": c.get("options") or {}}
        c["spec"] = spec
        c["path"] = os.path.join(tmpdir, "specs", c["id"] + ".json")
        with open(c["path"], "w", encoding="ascii") as f:
            json.dump(spec, f, ensure_ascii=True)
            f.write("\n")


# --- Running adapters ----------------------------------------------------------

class Drain:
    """Reads a pipe to its end on a thread, keeping the first `cap` bytes."""

    def __init__(self, pipe, cap):
        self.pipe, self.cap = pipe, cap
        self.chunks, self.total = [], 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                chunk = getattr(self.pipe, "read1", self.pipe.read)(65536)
            except (OSError, ValueError):
                return
            if not chunk:
                return
            with self.lock:
                if self.total < self.cap:
                    self.chunks.append(chunk[:self.cap - self.total])
                self.total += len(chunk)   # keep draining: never block the child

    def take(self):
        """(bytes kept, total bytes) since the last take()."""
        with self.lock:
            out, total = b"".join(self.chunks), self.total
            self.chunks, self.total = [], 0
        return out, total


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # the adapter and its children
    except OSError:
        pass


def run_once(argv, timeout, max_output):
    """Runs one adapter process. Returns a record: argv, status (an exit
    code, "timeout", "signal N" or "cannot start: ..."), stdout, stdout_total,
    stderr, stderr_total, seconds."""
    start = time.monotonic()
    rec = {"argv": argv, "stdout": b"", "stdout_total": 0, "stderr": b"",
           "stderr_total": 0}
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
            cwd=os.environ.get("BUILD_WORKING_DIRECTORY") or None)
    except OSError as e:
        rec.update(status="cannot start: %s" % e, seconds=0.0, oserror=e)
        return rec
    out, err = Drain(proc.stdout, max_output), Drain(proc.stderr, STDERR_CAP)
    try:
        proc.wait(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        status = "timeout"
    if status == "timeout" or out.total > max_output:
        kill_group(proc)   # the adapter and the children it left behind
        proc.wait()
    for drain in (out, err):
        drain.thread.join(timeout=5)
        drain.pipe.close()
    if isinstance(status, int) and status < 0:
        status = "signal %d" % -status
    rec["stdout"], rec["stdout_total"] = out.take()
    rec["stderr"], rec["stderr_total"] = err.take()
    rec["status"], rec["seconds"] = status, time.monotonic() - start
    return rec


def reader_argv(command, path):
    argv = [a.replace("{file}", path) for a in command]
    if not any("{file}" in a for a in command):
        argv.append(path)
    return argv


def writer_argv(command, spec, out):
    if not any("{spec}" in a or "{out}" in a for a in command):
        return command + [spec, out]
    return [a.replace("{spec}", spec).replace("{out}", out) for a in command]


class BatchProcess:
    """One batch adapter process (docs/conformance.md, "The batch
    protocol"), restarted when it dies or times out."""

    HEADER = re.compile(rb"(-?[0-9]{1,9}) ([0-9]{1,15})")

    def __init__(self, argv, timeout, max_output):
        self.argv, self.timeout, self.max_output = argv, timeout, max_output
        self.proc = None
        self.starts = 0

    def start(self):
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, bufsize=0,
            cwd=os.environ.get("BUILD_WORKING_DIRECTORY") or None)
        self.starts += 1
        self.buf = bytearray()
        self.eof = False
        self.cond = threading.Condition()
        self.err = Drain(self.proc.stderr, STDERR_CAP)
        self.reader = threading.Thread(target=self.read_stdout,
                                       args=(self.proc,), daemon=True)
        self.reader.start()

    def read_stdout(self, proc):
        while True:
            try:
                chunk = proc.stdout.read(65536)   # unbuffered: what is there
            except (OSError, ValueError):
                chunk = b""
            with self.cond:
                if proc is not self.proc:
                    return
                if not chunk:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.buf += chunk
                self.cond.notify_all()

    def stop(self, kill=False):
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        try:
            proc.stdin.close()
        except OSError:
            pass
        if not kill:
            try:
                proc.wait(timeout=2)   # it should end at the end of stdin
            except subprocess.TimeoutExpired:
                pass
        kill_group(proc)   # its children too, so that the pipes close
        proc.wait()
        with self.cond:
            self.cond.notify_all()
        self.reader.join(timeout=5)
        self.err.thread.join(timeout=5)
        proc.stdout.close()
        proc.stderr.close()
        status = proc.returncode
        return "signal %d" % -status if status < 0 else status

    def wait_for(self, predicate, deadline):
        """Waits until predicate() holds; False on EOF or the deadline."""
        with self.cond:
            while not predicate():
                if self.eof:
                    return False
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.5))
            return True

    def exchange(self, path):
        """One vector. Returns a record like run_once's, plus "answered":
        whether any byte of an answer came back."""
        if self.proc is None or self.proc.poll() is not None or self.eof:
            self.stop(kill=True)
            self.start()   # OSError goes to the caller
        self.err.take()
        start = time.monotonic()
        deadline = start + self.timeout
        rec = {"argv": self.argv, "path": path, "stdout": b"",
               "stdout_total": 0, "answered": False}
        try:
            self.proc.stdin.write(path.encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except OSError:
            pass   # it died: EOF below says so
        line = None
        if self.wait_for(lambda: b"\n" in self.buf, deadline):
            with self.cond:
                line, _, rest = bytes(self.buf).partition(b"\n")
                self.buf = bytearray(rest)
        with self.cond:
            rec["answered"] = line is not None or bool(self.buf)
        problem = None
        if line is None:
            problem = "timeout" if not self.eof else "eof"
        else:
            m = self.HEADER.fullmatch(line)
            if not m:
                problem = "header"
                rec["stdout"] = line[:EXCERPT]
                rec["stdout_total"] = len(line)
            else:
                status, count = int(m.group(1)), int(m.group(2))
                kept, left = [], count
                while left > 0:
                    if not self.wait_for(lambda: len(self.buf) > 0, deadline):
                        problem = "timeout" if not self.eof else "short"
                        break
                    with self.cond:
                        piece = bytes(self.buf[:left])
                        del self.buf[:left]
                    left -= len(piece)
                    room = self.max_output - sum(len(k) for k in kept)
                    if room > 0:
                        kept.append(piece[:room])
                rec["stdout"] = b"".join(kept)
                rec["stdout_total"] = count - left
                if problem is None:
                    rec["status"] = status
        rec["seconds"] = time.monotonic() - start
        if problem is None:
            rec["stderr"], rec["stderr_total"] = self.err.take()
            return rec
        exit_status = self.stop(kill=problem in ("timeout", "header"))
        rec["stderr"], rec["stderr_total"] = self.err.take()
        if problem == "timeout":
            rec["status"] = "timeout"
        else:
            if problem == "eof":
                why = "the process ended before answering"
            elif problem == "short":
                why = "the process ended after %d of %d bytes" % (
                    rec["stdout_total"], count)
            else:
                why = "malformed result line %s" % short(line, 60)
            rec["status"] = "batch: %s (exit status %s)" % (why, exit_status)
        return rec


# --- Judging -------------------------------------------------------------------

def reject_kind(out):
    """The kind of a `reject<TAB>Kind` first line ("" for a bare `reject`),
    or None when the first line is not a reject line."""
    first = out.split(b"\n", 1)[0]
    if first == b"reject" or first.startswith(b"reject\t"):
        return first[7:].decode("utf-8", "replace")
    return None


def short(data, limit=80):
    text = json.dumps(data.decode("utf-8", "replace"), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 4] + '..."'


def first_line_difference(expected, got):
    """1-based line number, expected line, got line (None past the end)."""
    a, b = expected.split(b"\n"), got.split(b"\n")
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            return i + 1, x, y
    return None


def crash_reason(rec):
    status = rec["status"]
    if isinstance(status, int):
        why = "exit %d" % status
        if status == 1:
            first = rec["stdout"].split(b"\n", 1)[0]
            why += " without a reject line (first line %s)" % short(first, 60)
    elif status.startswith("signal "):
        number = int(status.split()[1])
        try:
            why = "%s (%s)" % (status, signal.Signals(number).name)
        except ValueError:
            why = status
    else:
        why = status
    err = rec["stderr"].strip().split(b"\n")[-1] if rec["stderr"].strip() \
        else b""
    if err:
        why += "; stderr: " + short(err, 100)
    return why


def judge_read(v, profile, rec):
    """(result, what the adapter said in one short line, why, diff)."""
    expected = v["expected"][profile]
    status, out = rec["status"], rec["stdout"]
    if status == "timeout":
        return "timeout", "timeout", "no answer within the timeout", None
    if status == 0:
        if expected["result"] == "reject":
            return "should-reject", "accept", "accepted (exit 0)", None
        if out == v["golden"] and rec["stdout_total"] == len(out):
            return "pass", "accept", "", None
        difference = first_line_difference(v["golden"], out)
        if difference is None:   # the same up to --max-output
            return "wrong-dump", "accept (dump differs)", (
                "%d bytes of output; the dump has %d" % (
                    rec["stdout_total"], len(v["golden"]))), None
        line, want, got = difference
        diff = {"line": line,
                "expected": None if want is None else want.decode(
                    "utf-8", "backslashreplace"),
                "got": None if got is None else got.decode(
                    "utf-8", "backslashreplace")}
        why = "dump line %d: expected %s, got %s" % (
            line, "end of dump" if want is None else short(want),
            "end of output" if got is None else short(got))
        return "wrong-dump", "accept (dump differs)", why, diff
    return judge_rejection(
        rec, None if expected["result"] == "accept" else expected["kind"])


def judge_rejection(rec, expected_kind):
    """judge_read's and judge_write's verdict on a run that did not succeed
    (exit status other than 0, no timeout): expected_kind is None where the
    case expects success."""
    status = rec["status"]
    kind = reject_kind(rec["stdout"]) if status == 1 else None
    if kind is None:
        return "crash", "exit %s" % status, crash_reason(rec), None
    said = "reject" + ("\t" + kind if kind else "")
    if expected_kind is None:
        return "should-accept", said, said.replace("\t", " "), None
    if kind == expected_kind:
        return "pass", said, "", None
    return "wrong-kind", said, "reject %s" % (kind or "without a kind"), None


def compare_files(expected_path, got_path):
    """None if equal, else (first differing offset, expected size, got
    size, expected byte or None, got byte or None)."""
    offset = 0
    with open(expected_path, "rb") as a, open(got_path, "rb") as b:
        while True:
            x, y = a.read(1 << 16), b.read(1 << 16)
            if x != y:
                n = min(len(x), len(y))
                i = next((k for k in range(n) if x[k] != y[k]), n)
                return (offset + i, os.path.getsize(expected_path),
                        os.path.getsize(got_path),
                        x[i] if i < len(x) else None,
                        y[i] if i < len(y) else None)
            if not x:
                return None
            offset += len(x)


def judge_write(c, base, rec, out_path):
    """Like judge_read, for a writer case."""
    expected = c["expected"]
    status = rec["status"]
    if status == "timeout":
        return "timeout", "timeout", "no answer within the timeout", None
    if status == 0:
        if not os.path.isfile(out_path):
            return "crash", "exit 0, no file", (
                "exit 0 without writing %s" % out_path), None
        if expected["result"] == "error":
            return "should-reject", "wrote a file", "wrote %d bytes" % (
                os.path.getsize(out_path)), None
        difference = compare_files(os.path.join(base, expected["file"]),
                                   out_path)
        if difference is None:
            return "pass", "wrote the file", "", None
        offset, want_size, got_size, want, got = difference
        diff = {"offset": offset, "expected_size": want_size,
                "got_size": got_size, "expected_byte": want, "got_byte": got}
        why = "first difference at byte %d (expected %s, got %s); %d bytes, " \
              "expected %d" % (offset,
                               "end of file" if want is None else
                               "0x%02x" % want,
                               "end of file" if got is None else
                               "0x%02x" % got, got_size, want_size)
        return "wrong-bytes", "wrote other bytes", why, diff
    return judge_rejection(
        rec, None if expected["result"] == "bytes" else expected["kind"])


def describe(case, profile):
    expected = case["expected"]
    if "result" not in expected:
        expected = expected[profile]
    if expected["result"] == "accept":
        return "accept"
    if expected["result"] == "bytes":
        return "bytes (%d)" % expected["size"]
    return "reject\t" + expected["kind"]


# --- The run ---------------------------------------------------------------------

class Progress:
    """"runner: DONE/TOTAL runs" on stderr about once a second."""

    def __init__(self, total, enabled):
        self.total, self.done, self.enabled = total, 0, enabled
        self.tty = sys.stderr.isatty()
        self.lock = threading.Lock()
        self.start = self.last = time.monotonic()

    def step(self):
        with self.lock:
            self.done += 1
            now = time.monotonic()
            if self.enabled and now - self.last >= 1.0:
                self.last = now
                self.report(now)

    def report(self, now, end=False):
        text = "runner: %d/%d runs (%d%%), %.0f s" % (
            self.done, self.total, 100 * self.done // max(1, self.total),
            now - self.start)
        if self.tty:
            sys.stderr.write("\r" + text + ("\n" if end else ""))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def finish(self):
        if self.enabled:
            self.report(time.monotonic(), end=True)


def prepare_impls(opts):
    if not opts["impls"]:
        if opts["write"]:
            opts["impls"] = [{"name": "safetensors-cpp", "protocol": "writer",
                              "command": own_writer_command()}]
        else:
            opts["impls"] = [{"name": "safetensors-cpp",
                              "protocol": "process",
                              "command": own_tool_command()}]
    for impl in opts["impls"]:
        try:
            argv = shlex.split(impl["command"])
        except ValueError as e:
            usage("cannot split the command of %s: %s" % (impl["name"], e))
        impl["argv"] = [a.replace("{profile}", opts["profile"]) for a in argv]
        if impl["protocol"] == "batch" and any("{file}" in a for a in argv):
            usage("a --batch command takes no {file}: paths come on stdin")
        impl["starts"] = 0
    return opts["impls"]


def probe(impls, manifest, opts, tmpdir):
    """Starts every adapter once on the smallest valid vector (or writer
    case); exits 2 if one cannot be executed at all. An adapter that starts
    and then fails is left to the run to score."""
    profile = opts["profile"]
    if opts["write"]:
        valid = [c for c in manifest.get("writes", [])
                 if c["expected"]["result"] == "bytes"]
        if not valid:
            return
        case = dict(min(valid, key=lambda c: c["expected"]["size"]))
        write_specs([case], os.path.join(tmpdir, "probe"))
    else:
        valid = [v for v in manifest["vectors"] if v["file"] and
                 v["expected"][profile]["result"] == "accept"] or \
            [v for v in manifest["vectors"] if v["file"]]
        if not valid:
            return
        case = dict(min(valid, key=lambda v: v["size"]))
        materialize([case], manifest["base"], tmpdir)

    def one(impl):
        if impl["protocol"] == "batch":
            batch = BatchProcess(impl["argv"], opts["timeout"], 1 << 16)
            try:
                batch.exchange(case["path"])
            except OSError as e:
                return impl, impl["argv"], e
            finally:
                batch.stop(kill=True)
            return impl, impl["argv"], None
        if impl["protocol"] == "writer":
            out = os.path.join(tmpdir, "probe", "out.safetensors")
            argv = writer_argv(impl["argv"], case["path"], out)
        else:
            argv = reader_argv(impl["argv"], case["path"])
        rec = run_once(argv, opts["timeout"], 1 << 16)
        return impl, argv, rec.get("oserror")

    with concurrent.futures.ThreadPoolExecutor(len(impls)) as pool:
        for impl, argv, error in pool.map(one, impls):
            if error is not None:
                fatal("adapter %s cannot start: %s\n  command: %s\nNo "
                      "vector was run. Check the path, that the file is "
                      "executable, and its #! line." % (
                          impl["name"], error, quote(argv)))


def run_all(cases, impls, opts, tmpdir, progress):
    """{(case id, implementation name): (record, out path or None)}."""
    results = {}
    lock = threading.Lock()

    def keep(key, rec, out=None):
        with lock:
            results[key] = (rec, out)
        progress.step()

    def one_process(c, impl, index):
        if impl["protocol"] == "writer":
            outdir = os.path.join(tmpdir, "out", str(index))
            out = os.path.join(outdir, c["id"] + ".safetensors")
            argv = writer_argv(impl["argv"], c["path"], out)
        else:
            out, argv = None, reader_argv(impl["argv"], c["path"])
        keep((c["id"], impl["name"]),
             run_once(argv, opts["timeout"], opts["max_output"]), out)

    def batch_worker(impl, work):
        batch = BatchProcess(impl["argv"], opts["timeout"],
                             opts["max_output"])
        try:
            while True:
                try:
                    c = work.get_nowait()
                except queue.Empty:
                    return
                for attempt in (1, 2):
                    try:
                        rec = batch.exchange(c["path"])
                    except OSError as e:
                        rec = {"argv": impl["argv"], "stdout": b"",
                               "stdout_total": 0, "stderr": b"",
                               "stderr_total": 0, "seconds": 0.0,
                               "status": "cannot start: %s" % e,
                               "answered": False}
                        break
                    # A process that ended before saying anything may have
                    # died of the previous vector: try once more, afresh.
                    if rec["answered"] or rec["status"] == "timeout":
                        break
                keep((c["id"], impl["name"]), rec)
        finally:
            batch.stop()
            with lock:
                impl["starts"] += batch.starts

    with concurrent.futures.ThreadPoolExecutor(opts["jobs"]) as pool:
        futures = []
        for index, impl in enumerate(impls):
            if impl["protocol"] == "writer":
                os.makedirs(os.path.join(tmpdir, "out", str(index)),
                            exist_ok=True)
            if impl["protocol"] == "batch":
                work = queue.Queue()
                for c in cases:
                    work.put(c)
                for _ in range(min(opts["jobs"], len(cases))):
                    futures.append(pool.submit(batch_worker, impl, work))
            else:
                futures += [pool.submit(one_process, c, impl, index)
                            for c in cases]
        for future in futures:
            future.result()
    return results


def text(data):
    return data.decode("utf-8", "backslashreplace")


def make_cells(cases, impls, results, opts, base):
    rows = []
    for c in cases:
        cells = []
        for impl in impls:
            rec, out = results[(c["id"], impl["name"])]
            if opts["write"]:
                result, said, why, diff = judge_write(c, base, rec, out)
            else:
                result, said, why, diff = judge_read(c, opts["profile"], rec)
            cell = {"result": result, "judged": result, "got": said,
                    "exit": rec["status"],
                    "seconds": round(rec["seconds"], 3),
                    "decision": result in DECISION_RIGHT}
            if opts["ignore_kind"] and result == "wrong-kind":
                cell["result"] = "pass"
            cell["why"] = why
            if diff:
                cell["diff"] = diff
            cell["stdout"] = text(rec["stdout"][:EXCERPT])
            cell["stdout_bytes"] = rec["stdout_total"]
            cell["stderr"] = text(rec["stderr"][:EXCERPT])
            cell["stderr_bytes"] = rec["stderr_total"]
            cell["record"] = rec
            if out:
                cell["out_size"] = os.path.getsize(out) \
                    if os.path.isfile(out) else None
                if opts["show"] and os.path.isfile(out):
                    with open(out, "rb") as f:
                        cell["out_head"] = f.read(EXCERPT)
                try:
                    os.remove(out)   # a writer's file can be 100 MB
                except OSError:
                    pass
            cells.append(cell)
        rows.append((c, cells))
    return rows


def main(argv):
    opts = parse_args(argv[1:])
    manifest = load_manifest(opts)
    impls = prepare_impls(opts)
    mode = "write" if opts["write"] else "read"
    all_cases = manifest.get("writes", []) if opts["write"] \
        else manifest["vectors"]
    known_flags = set(manifest.get("flags", {}))
    for flag in opts["flags"]:
        if flag not in known_flags:
            usage("--flag: unknown flag %r (the manifest's flags: %s)" % (
                flag, ", ".join(sorted(known_flags))))
    cases = select(all_cases, opts)
    if not cases:
        usage("no vectors selected")
    show_progress = opts["progress"]
    if show_progress is None:
        show_progress = sys.stderr.isatty()
    with tempfile.TemporaryDirectory(prefix="st-conformance-") as tmpdir:
        probe(impls, manifest, opts, tmpdir)
        if opts["write"]:
            write_specs(cases, tmpdir)
        else:
            materialize(cases, manifest["base"], tmpdir)
        progress = Progress(len(cases) * len(impls), show_progress)
        results = run_all(cases, impls, opts, tmpdir, progress)
        progress.finish()
        rows = make_cells(cases, impls, results, opts, manifest["base"])

    if opts["show"]:
        print_exchanges(rows, impls, opts, mode)
    else:
        print_matrix(rows, impls, opts, mode)
        print_summary(rows, impls, opts, mode)
    write_machine_readable(rows, impls, opts, mode)
    everything_passed = all(c["result"] == "pass" for _, cells in rows
                            for c in cells)
    return 0 if everything_passed else 1


# --- Output ------------------------------------------------------------------------

def group_key(case):
    """The prefix and layer of an id: y_len_smallest_file -> ("y", "len")."""
    parts = case["id"].split("_")
    return parts[0], parts[1] if len(parts) > 1 else ""


def label(impl):
    return impl["name"] + (" (batch)" if impl["protocol"] == "batch" else "")


def print_matrix(rows, impls, opts, mode):
    shown = rows
    if opts["failures"]:
        shown = [r for r in rows if any(c["result"] != "pass" for c in r[1])]
    members = {}
    if opts["pruned"]:
        kept, seen = [], {}
        for c, cells in shown:
            pattern = group_key(c) + (describe(c, opts["profile"]).split(
                "\t")[0].split(" ")[0], tuple(x["result"] for x in cells))
            if pattern not in seen:
                seen[pattern] = c["id"]
                kept.append((c, cells))
            members.setdefault(seen[pattern], []).append(c["id"])
        shown = kept
    width = max([len(c["id"]) for c, _ in shown] + [6])
    if mode == "write":
        print("writer cases: %d, %d implementation(s)" % (len(rows),
                                                         len(impls)))
    else:
        print("profile: %s, %d vectors, %d implementation(s)" % (
            opts["profile"], len(rows), len(impls)))
    print(LEGEND[mode])
    for i, impl in enumerate(impls):
        print("column %d: %s" % (i + 1, label(impl)))
    print("%-*s  %s" % (width, "vector" if mode == "read" else "case",
                        " ".join(str((i + 1) % 10) for i in
                                 range(len(impls)))))
    for c, cells in shown:
        line = "%-*s  %s" % (width, c["id"],
                             " ".join(SYMBOL[x["result"]] for x in cells))
        if opts["pruned"]:
            n = len(members[c["id"]])
            line += "   (%d %s like this)" % (
                n, ("vector" if mode == "read" else "case") +
                ("" if n == 1 else "s"))
        else:
            wrong = [(i, x) for i, x in enumerate(cells)
                     if x["result"] != "pass"]
            if wrong:
                line += "   expected %s" % describe(
                    c, opts["profile"]).replace("\t", " ")
                for i, x in wrong:
                    why = x["why"] if len(x["why"]) <= 120 else \
                        x["why"][:117] + "..."
                    line += "; %d: %s" % (i + 1, why)
        print(line)
        if opts["pruned"] and opts["verbose"]:
            print(wrap(members[c["id"]], "    "))


def wrap(words, indent, width=100):
    lines, line = [], indent
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += w + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def percent(part, whole):
    return "%d/%d (%.1f%%)" % (part, whole, 100.0 * part / whole)


def print_summary(rows, impls, opts, mode):
    print("\nsummary (%s):" % ("%s profile" % opts["profile"]
                               if mode == "read" else "writer cases"))
    results = [r for r in RESULTS
               if r != ("wrong-bytes" if mode == "read" else "wrong-dump")]
    for i, impl in enumerate(impls):
        counts = {r: 0 for r in RESULTS}
        by_prefix = {}
        decision = kind = 0
        for c, cells in rows:
            cell = cells[i]
            counts[cell["result"]] += 1
            decision += cell["judged"] in DECISION_RIGHT
            kind += cell["judged"] == "pass"
            prefix = c["id"].split("_")[0] + "_"
            total, passed = by_prefix.get(prefix, (0, 0))
            by_prefix[prefix] = (total + 1, passed + (cell["result"] ==
                                                      "pass"))
        total = len(rows)
        extra = ""
        if impl["protocol"] == "batch":
            extra = "; batch processes started: %d" % impl["starts"]
        print("  %s: %d/%d pass (%.1f%%); decision %s, decision + kind %s; "
              "%s; %s%s" % (
                  impl["name"], counts["pass"], total,
                  100.0 * counts["pass"] / total, percent(decision, total),
                  percent(kind, total),
                  ", ".join("%s %d" % (r, counts[r]) for r in results[1:]),
                  ", ".join("%s %d/%d" % (p, by_prefix[p][1], by_prefix[p][0])
                            for p in sorted(by_prefix)), extra))


def block(title, data, total):
    print("%s (%d bytes%s):" % (title, total, "" if total == len(data) else
                                ", %d shown" % len(data)))
    if data:
        body = text(data)
        for line in body.split("\n")[:-1] if body.endswith("\n") else \
                body.split("\n"):
            print("  | " + line)
        if not body.endswith("\n"):
            print("  (no newline at the end)")


def print_exchanges(rows, impls, opts, mode):
    for c, cells in rows:
        print("== %s (%s) ==" % (c["id"], "%s profile" % opts["profile"]
                                 if mode == "read" else "writer case"))
        print(c.get("description", ""))
        if mode == "write":
            spec = json.dumps(c["spec"], ensure_ascii=True)
            block("spec %s" % c["path"], spec.encode() + b"\n",
                  len(spec) + 1)
        expected = describe(c, opts["profile"])
        if mode == "read" and expected == "accept":
            block("expected: accept, with the dump", c["golden"],
                  len(c["golden"]))
        elif mode == "write" and c["expected"]["result"] == "bytes":
            print("expected: exit 0 and the %d bytes of %s (sha256 %s)" % (
                c["expected"]["size"], c["expected"]["file"],
                c["expected"]["sha256"]))
        else:
            print("expected: exit 1 and the first line %s" % expected.replace(
                "\t", "<TAB>"))
        for impl, cell in zip(impls, cells):
            rec = cell["record"]
            print("-- %s: %s%s" % (label(impl), cell["result"],
                                   ": " + cell["why"] if cell["why"] else ""))
            if impl["protocol"] == "batch":
                print("command: %s  (batch; stdin line: %s)" % (
                    quote(rec["argv"]), rec["path"]))
            else:
                print("command: %s" % quote(rec["argv"]))
            print("exit status: %s, %.3f s" % (rec["status"], rec["seconds"]))
            block("stdout", rec["stdout"], rec["stdout_total"])
            block("stderr", rec["stderr"], rec["stderr_total"])
            if mode == "write" and cell.get("out_size") is not None:
                head = cell.get("out_head", b"")
                print("file written: %d bytes; the first %d as hex:" % (
                    cell["out_size"], len(head[:256])))
                hexed = head[:256].hex()
                for k in range(0, len(hexed), 64):
                    print("  | " + hexed[k:k + 64])
        print()


def json_cell(cell):
    keys = ("result", "judged", "got", "exit", "seconds", "decision", "why", "diff",
            "stdout", "stdout_bytes", "stderr", "stderr_bytes", "out_size")
    return {k: cell[k] for k in keys if k in cell}


def write_machine_readable(rows, impls, opts, mode):
    names = [impl["name"] for impl in impls]
    if opts["json"]:
        doc = {"mode": mode, "profile": opts["profile"],
               "implementations": names,
               "adapters": {impl["name"]: {
                   "protocol": impl["protocol"], "command": impl["argv"],
                   "processes_started": impl["starts"]} for impl in impls},
               "results": [{"id": c["id"],
                            "expected": c["expected"] if mode == "write"
                            else c["expected"][opts["profile"]],
                            "implementations": dict(zip(names, [
                                json_cell(x) for x in cells]))}
                           for c, cells in rows]}
        with open(opts["json"], "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    if opts["tsv"]:
        with open(opts["tsv"], "w", encoding="utf-8") as f:
            f.write("vector\timplementation\tresult\texpected\tgot\texit\t"
                    "seconds\twhy\n")
            for c, cells in rows:
                for name, x in zip(names, cells):
                    f.write("\t".join(
                        s.replace("\t", " ").replace("\n", " ") for s in [
                            c["id"], name, x["result"],
                            describe(c, opts["profile"]), x["got"],
                            str(x["exit"]), str(x["seconds"]), x["why"]])
                        + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
