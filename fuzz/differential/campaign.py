#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Differential campaign: this project's reference profile against any adapter.

  bazel run //fuzz/differential:campaign -- --theirs=CMD [options]

Every mutant (mutate.py: structural edits of the conformance vectors and of
files laid out as the reference writes them, a pure function of --seed and
its index) is read by three adapters of the conformance contract
(docs/conformance.md): OURS (default: this project in process, reference
profile), THEIRS (any implementation; the reference crate's dump is the one
that matters) and STRICT (default: this project, strict profile). OURS and
THEIRS must print the same answer; STRICT accepting means THEIRS accepts
with the same dump (the subset check). A disagreement is classified
(KNOWN_CLASSES), saved under --out with both outputs, and counted; the
summary is printed and written to OUT/summary.json.

An adapter COMMAND is split like a shell command line; the path is appended,
or put where {file} appears. An adapter named in --batch supports the batch
extension (fuzz/README.md): started once with `--batch` in the path's place,
it reads one path per line on stdin and answers each with its per-file
output followed by the line `end<TAB>EXIT`.

Options:
  --theirs=CMD         the adapter under test (required)
  --ours=CMD           default: batch_dump --profile=reference (batch)
  --strict=CMD         default: batch_dump --profile=strict (batch);
                       --strict=none skips the subset check
  --batch=NAMES        comma list among ours,theirs,strict whose COMMAND
                       supports the batch extension (the defaults of
                       --ours and --strict always do)
  --seed=N             default 1
  --count=N            mutants (default 10000)
  --first=N            first index (default 0)
  --strict-every=K     the strict check on every K-th mutant (default 1)
  --workers=N          parallel workers, each with its own adapters (1)
  --timeout=SECONDS    per answer (default 5)
  --out=DIR            where disagreements and summary.json go
  --save-limit=N       files saved per class (default 50; all are counted)
  --reruns=N           per-file reruns of THEIRS to classify (default 32)
  --vectors=DIR        seed files (default conformance/vectors)
  --write=SEED:INDEX:PATH  only write that mutant to PATH and exit

Under `bazel run`, relative paths are relative to the directory it was run
from. Exit status: 0 when every disagreement is of a known class and the
strict check has no violation, 1 otherwise, 2 on a usage error.
"""

import json
import multiprocessing
import os
import re
import select
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import mutate  # noqa: E402  (beside this file, in the tree and in runfiles)

# --- known classes -----------------------------------------------------------
# A disagreement is put in the first class whose test confirms it; the rest
# are "unclassified" and must be investigated by hand (fuzz/README.md).

SERDE_LEXING = "reference: serde_json number lexing"
HASH_ORDER = "reference: hash-order kind"
UNCLASSIFIED = "unclassified"
STRICT_VIOLATION = "strict violation"

KNOWN_CLASSES = {
    SERDE_LEXING:
        "serde_json 1.0.87 misreads a '.' after an integer part that "
        "overflowed 64 bits (docs/specification.md section 7.3): it accepts "
        "18446744073709551616. and rejects 18446744073709551616.5. Fixed "
        "upstream in 1.0.89; this suite follows RFC 8259. Confirmed when the "
        "same file with those numbers spelled as same-length integers reads "
        "the same on both sides (or differs only by hash order, below).",
    HASH_ORDER:
        "Two entries claim the same byte range; the reference sorts the "
        "entries of a HashMap by offsets, so which tied entry it checks "
        "first, and so the error kind, varies from run to run "
        "(docs/specification.md section 9, ties). Confirmed when one of its "
        "answers over fresh runs equals ours, and its answers vary or two "
        "ranges in the header are equal.",
}

# serde_json 1.0.87's trigger: an integer part above 2^64-1, then a '.'.
_SERDE_TRIGGER = re.compile(rb"-?([0-9]+)\.[0-9]*(?:[eE][-+]?[0-9]*)?")


def usage(message):
    sys.stderr.write("campaign: %s\n\n%s" % (message, __doc__))
    sys.exit(2)


# --- adapters ----------------------------------------------------------------


def _through_qemu(argv):
    """argv, started through qemu-s390x-static when its program is an s390x
    ELF on another host (this project's binaries under --config=s390x)."""
    try:
        with open(argv[0], "rb") as f:
            head = f.read(20)
    except OSError:
        return argv
    # ELF e_data 2 is big-endian; e_machine 22 is S/390.
    if (len(head) == 20 and head[:4] == b"\x7fELF" and head[5] == 2 and
            struct.unpack(">H", head[18:20])[0] == 22 and
            os.uname().machine != "s390x"):
        return ["/usr/bin/qemu-s390x-static"] + argv
    return argv


def _argv(command, path):
    argv = _through_qemu(shlex.split(command))
    if any("{file}" in a for a in argv):
        return [a.replace("{file}", path) for a in argv]
    return argv + [path]


class Answer(tuple):
    """(result, detail): ("accept", dump), ("reject", kind), ("crash", why)."""

    @staticmethod
    def of(code, out):
        if code == 0:
            return Answer(("accept", out))
        if code == 1 and out.startswith(b"reject"):
            first = out.split(b"\n", 1)[0]
            if first == b"reject" or first.startswith(b"reject\t"):
                return Answer(("reject", first[7:]))
        return Answer(("crash", b"exit %r: %r" % (code, out[:200])))

    def text(self):
        return self[0] + " " + self[1].decode("utf-8", "replace")


class Adapter:
    """One adapter of the contract, per file or with the batch extension."""

    def __init__(self, command, batch, timeout):
        self.command = command
        self.batch = batch
        self.timeout = timeout
        self.proc = None
        self.buf = b""

    def run_file(self, path):
        try:
            proc = subprocess.Popen(
                _argv(self.command, path), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                start_new_session=True)
        except OSError as e:
            return Answer(("crash", str(e).encode()))
        try:
            out, _ = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return Answer(("crash", b"timeout"))
        return Answer.of(proc.returncode, out)

    def _start(self):
        self.proc = subprocess.Popen(
            _argv(self.command, "--batch"), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True, bufsize=0)
        self.buf = b""

    def close(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.proc = None

    def send(self, path):
        """Batch: hands `path` over; answer() collects the reply."""
        if self.proc is None:
            self._start()
        try:
            self.proc.stdin.write(path.encode() + b"\n")
        except OSError:
            self.close()
            self._start()
            self.proc.stdin.write(path.encode() + b"\n")

    _END = re.compile(rb"(?:^|\n)end\t(-?[0-9]+)\n")

    def answer(self):
        deadline = time.monotonic() + self.timeout
        fd = self.proc.stdout.fileno()
        while True:
            m = self._END.search(self.buf)
            if m:
                out = self.buf[:m.start() + (1 if m.group(0)[:1] == b"\n"
                                             else 0)]
                self.buf = self.buf[m.end():]
                return Answer.of(int(m.group(1)), out)
            left = deadline - time.monotonic()
            ready = select.select([fd], [], [], max(left, 0))[0] \
                if left > 0 else []
            chunk = os.read(fd, 1 << 16) if ready else b""
            if not chunk:
                self.close()
                return Answer(("crash", b"timeout" if not ready else
                               b"batch adapter exited"))
            self.buf += chunk

    def run(self, path):
        if not self.batch:
            return self.run_file(path)
        self.send(path)
        return self.answer()


def run_all(adapters, path):
    """Answers of every adapter (None entries skipped), batch ones at once."""
    for a in adapters:
        if a is not None and a.batch:
            a.send(path)
    return [None if a is None else a.answer() if a.batch else a.run_file(path)
            for a in adapters]


# --- classification ----------------------------------------------------------


def _header_span(blob):
    if len(blob) < 8:
        return None
    n = int.from_bytes(blob[:8], "little")
    return (8, 8 + n) if 8 + n <= len(blob) else None


def serde_spelled_as_integers(blob):
    """`blob` with every serde_json 1.0.87 trigger in its header overwritten
    by an integer of the same length (so N and the offsets stay), or None."""
    span = _header_span(blob)
    if span is None:
        return None
    header = blob[span[0]:span[1]]
    out = bytearray(header)
    changed = False
    for b, e in mutate.number_spans(header):
        m = _SERDE_TRIGGER.fullmatch(header[b:e])
        if m and int(m.group(1)) >= 1 << 64 and e - b <= 300:
            out[b:e] = b"1" + b"0" * (e - b - 1)
            changed = True
    if not changed:
        return None
    return blob[:span[0]] + bytes(out) + blob[span[1]:]


_PAIR = re.compile(rb"\[[ \t\n\r]*([0-9]+)[ \t\n\r]*,[ \t\n\r]*([0-9]+)"
                   rb"[ \t\n\r]*\]")


def has_tied_ranges(blob):
    """Whether two [begin,end] pairs of the header are equal (object or
    array-form entries alike; a crude test, used as evidence only)."""
    span = _header_span(blob)
    if span is None:
        return False
    pairs = _PAIR.findall(blob[span[0]:span[1]])
    return len(pairs) != len(set(pairs))


class Classifier:
    def __init__(self, ours, theirs, reruns, scratch):
        self.ours = ours
        self.theirs = theirs
        self.reruns = reruns
        self.scratch = scratch

    def _hash_order(self, path, blob, mine, evidence):
        """Whether fresh runs of THEIRS on `path` give `mine` among
        answers that vary or for a header with tied ranges."""
        seen = []
        tied = has_tied_ranges(blob)
        found = False
        for _ in range(self.reruns):
            b = self.theirs.run_file(path)
            if b.text() not in seen:
                seen.append(b.text())
            if b == mine and (len(seen) > 1 or tied):
                found = True
                break
        evidence["reruns"] = seen
        evidence["tied_ranges"] = tied
        return found

    def classify(self, blob, path, mine, theirs):
        """(class, evidence dict)."""
        evidence = {}
        fixed = serde_spelled_as_integers(blob)
        if fixed is not None:
            with open(self.scratch, "wb") as f:
                f.write(fixed)
            a, b = self.ours.run(self.scratch), self.theirs.run(self.scratch)
            evidence["as_integers"] = {"ours": a.text(), "theirs": b.text()}
            if a == b:
                return SERDE_LEXING, evidence
            # The numbers fixed, what is left may be a tie (both at once).
            then = {}
            if self._hash_order(self.scratch, fixed, a, then):
                evidence["as_integers"]["then_hash_order"] = then
                return SERDE_LEXING, evidence
        if self._hash_order(path, blob, mine, evidence):
            return HASH_ORDER, evidence
        return UNCLASSIFIED, evidence


# --- the campaign ------------------------------------------------------------


MAX_SEED_HEADER = 8192


def load_seeds(vectors):
    seeds = []
    for name in sorted(os.listdir(vectors)):
        if not name.endswith(".safetensors"):
            continue
        with open(os.path.join(vectors, name), "rb") as f:
            blob = f.read()
        # The depth bombs and the 1,000-tensor file (headers of 60 kB and
        # more) would make every edit of theirs cost a hundred others.
        if len(mutate.split(blob)[0]) <= MAX_SEED_HEADER:
            seeds.append((name[:-len(".safetensors")], blob))
    return seeds + mutate.written_seeds()


def _slug(cls):
    return re.sub(r"[^a-z0-9]+", "_", cls.lower()).strip("_")


def _kind_of(answer):
    if answer[0] == "reject":
        return "reject " + answer[1].decode("utf-8", "replace")
    return answer[0]


def _shape(mine, theirs):
    """What kind of difference: for the summary's raw tally."""
    if mine[0] != theirs[0]:
        return "ours %s, theirs %s" % (_kind_of(mine), _kind_of(theirs))
    if mine[0] == "reject":
        return "kind: ours %s, theirs %s" % (mine[1].decode(),
                                             theirs[1].decode())
    return "%s: different output" % mine[0]


def _save(out_dir, cls, seed, index, blob, record, counts, limit):
    counts[cls] = counts.get(cls, 0) + 1
    if not out_dir or counts[cls] > limit:
        return
    d = os.path.join(out_dir, _slug(cls))
    os.makedirs(d, exist_ok=True)
    stem = os.path.join(d, "%d-%d" % (seed, index))
    with open(stem + ".safetensors", "wb") as f:
        f.write(blob)
    for side in ("ours", "theirs", "strict"):
        if side in record:
            with open(stem + "." + side + ".txt", "w") as f:
                f.write(record[side] + "\n")
    with open(stem + ".json", "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)


def worker(cfg, w):
    """Runs the mutants first + w, first + w + W, ...; returns the tallies."""
    timeout = cfg["timeout"]
    ours = Adapter(cfg["ours"], "ours" in cfg["batch"], timeout)
    theirs = Adapter(cfg["theirs"], "theirs" in cfg["batch"], timeout)
    strict = None
    if cfg["strict"] != "none":
        strict = Adapter(cfg["strict"], "strict" in cfg["batch"], timeout)
    scratch_dir = tempfile.mkdtemp(prefix="campaign-%d-" % w,
                                   dir=cfg["scratch"])
    path = os.path.join(scratch_dir, "mutant.safetensors")
    classifier = Classifier(ours, theirs, cfg["reruns"],
                            os.path.join(scratch_dir, "fixed.safetensors"))
    seeds = load_seeds(cfg["vectors"])
    t = {"mutants": 0, "strict_checked": 0, "agree": 0, "ours": {},
         "theirs": {}, "strict": {}, "edits": {}, "classes": {}, "shapes": {},
         "saved": {}, "strict_violations": 0, "strict_internal": 0}
    stride = cfg["workers"]
    end = cfg["first"] + cfg["count"]
    last = time.monotonic()
    for index in range(cfg["first"] + w, end, stride):
        blob, base, edits = mutate.mutant(seeds, cfg["seed"], index)
        with open(path, "wb") as f:
            f.write(blob)
        check_strict = strict is not None and index % cfg["strict_every"] == 0
        mine, their, strict_answer = run_all(
            [ours, theirs, strict if check_strict else None], path)
        t["mutants"] += 1
        for e in edits:
            t["edits"][e] = t["edits"].get(e, 0) + 1
        for side, a in (("ours", mine), ("theirs", their),
                        ("strict", strict_answer)):
            if a is not None:
                k = _kind_of(a)
                t[side][k] = t[side].get(k, 0) + 1
        record = None
        if mine == their:
            t["agree"] += 1
        else:
            cls, evidence = classifier.classify(blob, path, mine, their)
            shape = _shape(mine, their)
            t["shapes"].setdefault(cls, {})
            t["shapes"][cls][shape] = t["shapes"][cls].get(shape, 0) + 1
            record = {"seed": cfg["seed"], "index": index, "base": base,
                      "edits": edits, "class": cls, "difference": shape,
                      "ours": mine.text(), "theirs": their.text(),
                      "evidence": evidence}
            _save(cfg["out"], cls, cfg["seed"], index, blob, record,
                  t["classes"], cfg["save_limit"])
        if check_strict:
            t["strict_checked"] += 1
            if strict_answer[0] == "accept":
                if their != strict_answer:
                    t["strict_violations"] += 1
                    rec = {"seed": cfg["seed"], "index": index, "base": base,
                           "edits": edits, "class": STRICT_VIOLATION,
                           "strict": strict_answer.text(),
                           "theirs": their.text(), "ours": mine.text()}
                    _save(cfg["out"], STRICT_VIOLATION, cfg["seed"], index,
                          blob, rec, t["saved"], cfg["save_limit"])
                if mine != strict_answer:
                    t["strict_internal"] += 1
        now = time.monotonic()
        if now - last > 30:
            last = now
            sys.stderr.write("campaign: worker %d at %d/%d (index %d)\n" % (
                w, t["mutants"], len(range(cfg["first"] + w, end, stride)),
                index))
            sys.stderr.flush()
    for a in (ours, theirs, strict):
        if a is not None:
            a.close()
    for name in os.listdir(scratch_dir):
        os.unlink(os.path.join(scratch_dir, name))
    os.rmdir(scratch_dir)
    return t


def _merge(into, t):
    for k, v in t.items():
        if isinstance(v, dict):
            d = into.setdefault(k, {})
            if k == "shapes":
                for cls, shapes in v.items():
                    dd = d.setdefault(cls, {})
                    for s, n in shapes.items():
                        dd[s] = dd.get(s, 0) + n
            else:
                for kk, n in v.items():
                    d[kk] = d.get(kk, 0) + n
        else:
            into[k] = into.get(k, 0) + v


def _default_dump(profile):
    for candidate in (os.path.join(HERE, "batch_dump"),
                      os.path.join(HERE, "..", "..", "bazel-bin", "fuzz",
                                   "differential", "batch_dump")):
        if os.path.exists(candidate):
            return "%s --profile=%s" % (shlex.quote(
                os.path.abspath(candidate)), profile)
    usage("batch_dump not found: build //fuzz/differential:batch_dump or "
          "give --ours and --strict")


def parse_args(argv):
    cfg = {"theirs": None, "ours": None, "strict": None, "batch": set(),
           "seed": 1, "count": 10000, "first": 0, "strict_every": 1,
           "workers": 1, "timeout": 5.0, "out": None, "save_limit": 50,
           "reruns": 32, "vectors": None, "write": None}
    ints = ("seed", "count", "first", "strict_every", "workers", "save_limit",
            "reruns")
    for arg in argv:
        if arg in ("-h", "--help"):
            sys.stdout.write(__doc__)
            sys.exit(0)
        if not arg.startswith("--") or "=" not in arg:
            usage("unexpected argument %r" % arg)
        key, value = arg[2:].split("=", 1)
        key = key.replace("-", "_")
        if key not in cfg:
            usage("unknown option --%s" % key)
        try:
            if key in ints:
                cfg[key] = int(value)
            elif key == "timeout":
                cfg[key] = float(value)
            elif key == "batch":
                cfg[key] = set(filter(None, value.split(",")))
            else:
                cfg[key] = value
        except ValueError:
            usage("bad value for --%s" % key)
    if cfg["write"] is not None:
        return cfg
    if not cfg["theirs"]:
        usage("--theirs=CMD is required")
    if not cfg["batch"] <= {"ours", "theirs", "strict"}:
        usage("--batch takes ours, theirs, strict")
    if cfg["ours"] is None:
        cfg["ours"] = _default_dump("reference")
        cfg["batch"].add("ours")
    if cfg["strict"] is None:
        cfg["strict"] = _default_dump("strict")
        cfg["batch"].add("strict")
    if cfg["workers"] < 1 or cfg["strict_every"] < 1 or cfg["count"] < 0:
        usage("--workers, --strict-every must be positive, --count >= 0")
    return cfg


def main(argv):
    # Under `bazel run`, relative paths are the caller's.
    if os.environ.get("BUILD_WORKING_DIRECTORY"):
        os.chdir(os.environ["BUILD_WORKING_DIRECTORY"])
    cfg = parse_args(argv)
    if cfg["vectors"] is None:
        cfg["vectors"] = os.path.join(HERE, "..", "..", "conformance",
                                      "vectors")
    if cfg["write"] is not None:
        seed, index, path = cfg["write"].split(":", 2)
        blob, base, edits = mutate.mutant(load_seeds(cfg["vectors"]),
                                          int(seed), int(index))
        with open(path, "wb") as f:
            f.write(blob)
        sys.stdout.write("%s: base %s, edits %s\n" % (path, base,
                                                      ",".join(edits)))
        return 0
    cfg["scratch"] = "/dev/shm" if os.path.isdir("/dev/shm") and os.access(
        "/dev/shm", os.W_OK) else None
    if cfg["out"]:
        os.makedirs(cfg["out"], exist_ok=True)
    start = time.time()
    cfg["batch"] = sorted(cfg["batch"])
    if cfg["workers"] == 1:
        parts = [worker(cfg, 0)]
    else:
        with multiprocessing.get_context("fork").Pool(cfg["workers"]) as pool:
            parts = pool.starmap(worker, [(cfg, w)
                                          for w in range(cfg["workers"])])
    total = {}
    for p in parts:
        _merge(total, p)
    summary = {
        "command": " ".join(shlex.quote(a) for a in sys.argv),
        "seed": cfg["seed"], "first": cfg["first"], "count": cfg["count"],
        "ours": cfg["ours"], "theirs": cfg["theirs"], "strict": cfg["strict"],
        "batch": cfg["batch"], "workers": cfg["workers"],
        "seconds": round(time.time() - start, 1),
        "mutants": total.get("mutants", 0),
        "agree": total.get("agree", 0),
        "disagreements": sum(total.get("classes", {}).values()),
        "by_class": total.get("classes", {}),
        "by_class_and_difference": total.get("shapes", {}),
        "class_reasons": KNOWN_CLASSES,
        "strict_checked": total.get("strict_checked", 0),
        "strict_violations": total.get("strict_violations", 0),
        "strict_not_reference": total.get("strict_internal", 0),
        "answers": {side: dict(sorted(total.get(side, {}).items()))
                    for side in ("ours", "theirs", "strict")},
        "edits": dict(sorted(total.get("edits", {}).items())),
    }
    text = json.dumps(summary, indent=1, sort_keys=True)
    if cfg["out"]:
        with open(os.path.join(cfg["out"], "summary.json"), "w") as f:
            f.write(text + "\n")
    sys.stdout.write(_report(summary))
    bad = (summary["by_class"].get(UNCLASSIFIED, 0) +
           summary["strict_violations"] + summary["strict_not_reference"])
    return 1 if bad else 0


def _report(s):
    lines = ["mutants %d (seed %d, indices %d..%d), %.1f s" % (
        s["mutants"], s["seed"], s["first"], s["first"] + s["count"] - 1,
        s["seconds"]),
             "agree %d, disagree %d" % (s["agree"], s["disagreements"])]
    for cls, n in sorted(s["by_class"].items(), key=lambda x: -x[1]):
        lines.append("  %-40s %d" % (cls, n))
        for shape, m in sorted(s["by_class_and_difference"].get(
                cls, {}).items(), key=lambda x: -x[1]):
            lines.append("      %-60s %d" % (shape, m))
    lines.append("strict checked %d, violations %d, strict accepts that "
                 "ours (reference) reads otherwise %d" % (
                     s["strict_checked"], s["strict_violations"],
                     s["strict_not_reference"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
