# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Tests of runner.py: this project's `safetensors dump` passes every vector
in both profiles; adapters that crash, hang, print garbage or huge output
are classified without taking the runner down, and every failure says why;
the batch protocol, the writer cases, the start check and the manifest's
integrity check. The adapters used are in testdata/."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "runner.py")
TMP = os.environ.get("TEST_TMPDIR") or tempfile.mkdtemp()
TESTDATA = os.path.join(HERE, "testdata")
SMALL = "^(y_len_smallest_file|y_dtype_f32|n_len_empty_file|n_offsets_hole)$"
PY = sys.executable

sys.path.insert(0, HERE)
import runner  # noqa: E402  (for own_tool_command)


def fixture(name, script, *args):
    """NAME=COMMAND for one of testdata/'s adapters."""
    return "%s=%s" % (name, " ".join(
        [PY, os.path.join(TESTDATA, script)] + list(args)))


def run_runner(*args, timeout=1800):
    env = dict(os.environ)
    env.pop("BUILD_WORKING_DIRECTORY", None)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, RUNNER] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, env=env)
    return proc, time.monotonic() - start


def adapter(name, body):
    """A Python adapter script; returns the NAME=COMMAND argument."""
    path = os.path.join(TMP, name + ".py")
    with open(path, "w") as f:
        f.write("import os, signal, sys, time\n" + textwrap.dedent(body))
    return "%s=%s %s" % (name, sys.executable, path)


def cells(json_path):
    """{(vector id, implementation): the --json cell}."""
    with open(json_path) as f:
        doc = json.load(f)
    return {(r["id"], impl): cell for r in doc["results"]
            for impl, cell in r["implementations"].items()}


def results(json_path):
    return {key: cell["result"] for key, cell in cells(json_path).items()}


class OwnImplementationTest(unittest.TestCase):

    def check_profile(self, profile):
        out = os.path.join(TMP, "own_%s.json" % profile)
        tsv = os.path.join(TMP, "own_%s.tsv" % profile)
        # Generous timeout: under --config=s390x the tool runs under qemu.
        proc, _ = run_runner("--profile=" + profile, "--timeout=300",
                             "--json=" + out, "--tsv=" + tsv)
        text = proc.stdout.decode()
        self.assertEqual(proc.returncode, 0, text + proc.stderr.decode())
        self.assertIn("(100.0%)", text)
        got = results(out)
        self.assertGreaterEqual(len(got), 200)
        self.assertEqual(set(got.values()), {"pass"})
        with open(tsv) as f:
            self.assertEqual(len(f.read().splitlines()), len(got) + 1)

    def test_strict(self):
        self.check_profile("strict")

    def test_reference(self):
        self.check_profile("reference")


class HostileAdapterTest(unittest.TestCase):

    def test_every_failure_is_classified(self):
        impls = [
            adapter("crash", "os.kill(os.getpid(), signal.SIGSEGV)\n"),
            adapter("hang", "time.sleep(1000)\n"),
            adapter("hang_child", """
                import subprocess
                subprocess.Popen([sys.executable, "-c",
                                  "import time; time.sleep(1000)"])
                time.sleep(1000)
                """),
            adapter("garbage", """
                sys.stdout.buffer.write(os.urandom(3000))
                sys.exit(0)
                """),
            adapter("huge", """
                block = b"x" * (1 << 20)
                for _ in range(200):
                    sys.stdout.buffer.write(block)
                """),
            adapter("bare_reject", "print('reject'); sys.exit(1)\n"),
            adapter("exit1_garbage", "print('nope'); sys.exit(1)\n"),
            adapter("exit3", "sys.exit(3)\n"),
        ]
        out = os.path.join(TMP, "hostile.json")
        proc, seconds = run_runner("--filter=" + SMALL, "--timeout=2",
                                   "--max-output=1048576", "--json=" + out,
                                   *impls, timeout=300)
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        self.assertLess(seconds, 120)
        got = results(out)
        y, n = "y_dtype_f32", "n_offsets_hole"
        self.assertEqual(got[(y, "crash")], "crash")
        self.assertEqual(got[(y, "hang")], "timeout")
        self.assertEqual(got[(y, "hang_child")], "timeout")
        self.assertEqual(got[(y, "garbage")], "wrong-dump")
        self.assertEqual(got[(n, "garbage")], "should-reject")
        self.assertEqual(got[(y, "huge")], "wrong-dump")
        self.assertEqual(got[(n, "huge")], "should-reject")
        self.assertEqual(got[(y, "bare_reject")], "should-accept")
        self.assertEqual(got[(n, "bare_reject")], "wrong-kind")
        self.assertEqual(got[(y, "exit1_garbage")], "crash")
        self.assertEqual(got[(n, "exit3")], "crash")
        text = proc.stdout.decode()
        self.assertIn("summary (strict profile)", text)
        for name in ("crash", "hang", "garbage", "huge"):
            self.assertIn("  %s: 0/4 pass" % name, text)

    def test_ignore_kind_and_pruned(self):
        impl = adapter("reject_all", "print('reject'); sys.exit(1)\n")
        out = os.path.join(TMP, "pruned.json")
        proc, _ = run_runner("--filter=^n_len_", "--ignore-kind", "--pruned",
                             "--json=" + out, impl)
        self.assertEqual(proc.returncode, 0, proc.stdout.decode())
        self.assertEqual(set(results(out).values()), {"pass"})
        matrix = [line for line in proc.stdout.decode().splitlines()
                  if line.startswith("n_len_")]
        self.assertEqual(len(matrix), 1)  # one row per distinct pattern
        self.assertIn("vectors like this", matrix[0])

    def test_usage_errors(self):
        for args in (["--profile=loose"], ["no-equals-sign"],
                     ["a=x", "a=y"], ["--filter=^nothing$"]):
            proc, _ = run_runner(*args)
            self.assertEqual(proc.returncode, 2, args)

    def test_pruned_rows_are_per_prefix_and_layer(self):
        # Everything passes: without the layer in the key, this would be one
        # row per expected result; with it, one per prefix and layer.
        impl = fixture("model", "model_adapter.py", "--profile={profile}")
        proc, _ = run_runner("--filter=^[yn]_(len|dtype)_", "--pruned",
                             "--verbose", impl)
        self.assertEqual(proc.returncode, 0, proc.stdout.decode())
        lines = proc.stdout.decode().splitlines()
        rows = [l.split()[0] for l in lines if "like this)" in l]
        self.assertEqual(sorted(r.split("_")[0] + "_" + r.split("_")[1]
                                for r in rows),
                         ["n_dtype", "n_len", "y_dtype", "y_len"])
        # --verbose lists the members under each row.
        members = [w for l in lines if l.startswith("    ")
                   for w in l.split()]
        self.assertIn("n_len_empty_file", members)
        self.assertEqual(len(members), len(set(members)))
        self.assertEqual(len(members), int(lines[0].split()[2]))

    def test_flag_selects_any_of(self):
        out = os.path.join(TMP, "flags.json")
        impl = fixture("model", "model_adapter.py", "--profile={profile}")
        proc, _ = run_runner("--flag=bug-endian", "--flag=bug-wrap,depth",
                             "--skip-large", "--json=" + out, impl)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        with open(os.path.join(HERE, "manifest.json")) as f:
            manifest = json.load(f)
        want = {v["id"] for v in manifest["vectors"]
                if {"bug-endian", "bug-wrap", "depth"} & set(v["flags"])
                and "large" not in v["flags"]}
        self.assertEqual({vid for vid, _ in results(out)}, want)
        self.assertEqual(run_runner("--flag=no-such-flag", impl)[0]
                         .returncode, 2)


class ExplanationTest(unittest.TestCase):
    """testdata/broken_adapter.py: each failure says why, in the matrix,
    --json and --show, and the summary gives both scores."""

    ARGS = ("--filter=^(y_dtype_f32|y_len_smallest_file|n_offsets_hole|"
            "n_json_trailing_comma_object)$",)
    BROKEN = fixture("broken", "broken_adapter.py", "--profile={profile}")
    BARE = adapter("bare", "print('reject'); sys.exit(1)\n")

    def test_json_says_why(self):
        out = os.path.join(TMP, "why.json")
        proc, _ = run_runner(*self.ARGS, "--json=" + out, self.BROKEN)
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        got = cells(out)
        dump = got[("y_dtype_f32", "broken")]
        self.assertEqual(dump["result"], "wrong-dump")
        self.assertEqual(dump["diff"], {"line": 3, "expected": "ntensors\t1",
                                        "got": "ntensors\t7"})
        self.assertIn("ntensors\t7", dump["stdout"])
        crash = got[("n_json_trailing_comma_object", "broken")]
        self.assertEqual(crash["result"], "crash")
        self.assertIn("SIGABRT", crash["why"])
        self.assertIn("aborting on purpose", crash["stderr"])
        self.assertIn("aborting on purpose", crash["why"])
        kind = got[("n_offsets_hole", "broken")]
        self.assertEqual((kind["result"], kind["why"]),
                         ("wrong-kind", "reject NotAKind"))
        text = proc.stdout.decode()
        self.assertIn('dump line 3: expected "ntensors\\t1", got '
                      '"ntensors\\t7"', text)

    def test_excerpts_are_capped(self):
        out = os.path.join(TMP, "capped.json")
        loud = adapter("loud", """
            sys.stderr.write("e" * 100000)
            sys.stdout.write("o" * 100000)
            sys.exit(3)
            """)
        proc, _ = run_runner("--filter=^y_dtype_f32$", "--json=" + out, loud)
        cell = cells(out)[("y_dtype_f32", "loud")]
        self.assertEqual(len(cell["stdout"]), 4096)
        self.assertEqual(len(cell["stderr"]), 4096)
        self.assertEqual((cell["stdout_bytes"], cell["stderr_bytes"]),
                         (100000, 100000))

    def test_show(self):
        proc, _ = run_runner("--show=y_dtype_f32", self.BROKEN,
                             fixture("model", "model_adapter.py"))
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        text = proc.stdout.decode()
        self.assertIn("== y_dtype_f32 (strict profile) ==", text)
        self.assertIn("expected: accept, with the dump", text)
        self.assertIn("-- broken: wrong-dump: dump line 3", text)
        self.assertIn("-- model: pass", text)
        self.assertIn("broken_adapter.py --profile=strict ", text)
        self.assertIn("exit status: 0", text)
        self.assertIn("  | ntensors\t7", text)
        self.assertIn("stderr (0 bytes)", text)
        self.assertNotIn("summary", text)
        proc, _ = run_runner("--show=n_json_trailing_comma_object",
                             self.BROKEN)
        text = proc.stdout.decode()
        self.assertIn("exit status: signal 6", text)
        self.assertIn("  | broken_adapter: aborting on purpose", text)
        self.assertEqual(run_runner("--show=no_such_vector", self.BROKEN)[0]
                         .returncode, 2)

    def test_both_scores(self):
        proc, _ = run_runner(*self.ARGS, self.BROKEN, self.BARE)
        text = proc.stdout.decode()
        # broken: wrong dump, crash, wrong kind, one pass; decision right on
        # the wrong kind. bare rejects everything without a kind: decision
        # right on the two n_ vectors, never with the kind.
        self.assertIn("  broken: 1/4 pass (25.0%); decision 2/4 (50.0%), "
                      "decision + kind 1/4 (25.0%);", text)
        self.assertIn("  bare: 0/4 pass (0.0%); decision 2/4 (50.0%), "
                      "decision + kind 0/4 (0.0%);", text)
        proc, _ = run_runner(*self.ARGS, "--ignore-kind", self.BARE)
        self.assertIn("  bare: 2/4 pass (50.0%); decision 2/4 (50.0%), "
                      "decision + kind 0/4 (0.0%);", proc.stdout.decode())


class StartTest(unittest.TestCase):

    def test_adapter_that_cannot_start(self):
        plain = os.path.join(TMP, "not_executable")
        with open(plain, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(plain, 0o644)
        for impl in ("missing=/nonexistent/adapter", "notexec=" + plain,
                     "--batch=missing=/nonexistent/adapter"):
            proc, _ = run_runner("--filter=" + SMALL, fixture(
                "model", "model_adapter.py"), *impl.split(" "))
            err = proc.stderr.decode()
            self.assertEqual(proc.returncode, 2, impl + err)
            self.assertIn("cannot start", err)
            self.assertIn("command: ", err)
            self.assertEqual(proc.stdout, b"")   # nothing was run

    def test_adapter_that_fails_on_the_first_vector_still_runs(self):
        out = os.path.join(TMP, "fails_first.json")
        picky = adapter("picky", """
            if sys.argv[1].endswith("y_len_smallest_file.safetensors"):
                sys.exit(3)
            print("reject")
            sys.exit(1)
            """)
        proc, _ = run_runner("--filter=" + SMALL, "--json=" + out, picky)
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        got = results(out)
        self.assertEqual(got[("y_len_smallest_file", "picky")], "crash")
        self.assertEqual(got[("n_offsets_hole", "picky")], "wrong-kind")

    def test_progress_only_when_asked(self):
        impl = fixture("model", "model_adapter.py")
        proc, _ = run_runner("--filter=" + SMALL, impl)
        self.assertEqual(proc.stderr, b"")   # stderr is not a terminal
        proc, _ = run_runner("--filter=" + SMALL, "--progress", impl)
        self.assertIn("runner: 4/4 runs (100%)", proc.stderr.decode())


class BatchTest(unittest.TestCase):
    """The batch protocol, with testdata/batch_adapter.py."""

    def test_same_results_as_one_process_per_file(self):
        out = os.path.join(TMP, "batch_same.json")
        tool = runner.own_tool_command()
        proc, _ = run_runner(
            "--skip-large", "--timeout=300", "--json=" + out,
            "cpp=" + tool,
            "--batch", "cpp-wrapped=%s %s --exec %s" % (
                PY, os.path.join(TESTDATA, "batch_adapter.py"), tool),
            "--batch", "model=%s %s --profile={profile}" % (
                PY, os.path.join(TESTDATA, "batch_adapter.py")))
        self.assertEqual(proc.returncode, 0, proc.stdout.decode()[-3000:])
        got = cells(out)
        ids = {vid for vid, _ in got}
        self.assertGreater(len(ids), 300)
        for vid in ids:
            self.assertEqual(got[(vid, "cpp")]["result"], "pass", vid)
            for batch in ("cpp-wrapped", "model"):
                self.assertEqual(got[(vid, batch)]["result"], "pass")
                self.assertEqual(got[(vid, batch)]["stdout"],
                                 got[(vid, "cpp")]["stdout"], vid)
        self.assertIn("(batch)", proc.stdout.decode())

    def test_restart_after_death(self):
        out = os.path.join(TMP, "batch_dies.json")
        dies = "%s %s --die-on=n_offsets_hole --cut-on=y_dtype_f32" % (
            PY, os.path.join(TESTDATA, "batch_adapter.py"))
        proc, _ = run_runner("--filter=^[yn]_(len|offsets|dtype)_", "--jobs=1",
                             "--json=" + out, "--batch", "dies=" + dies)
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        got = cells(out)
        wrong = {vid: c for (vid, _), c in got.items() if c["result"] != "pass"}
        self.assertEqual(set(wrong), {"n_offsets_hole", "y_dtype_f32"})
        self.assertEqual({c["result"] for c in wrong.values()}, {"crash"})
        self.assertIn("ended before answering", wrong["n_offsets_hole"]["why"])
        self.assertIn("dying on n_offsets_hole",
                      wrong["n_offsets_hole"]["stderr"])
        self.assertIn("ended after 46 of 92 bytes", wrong["y_dtype_f32"]["why"])
        self.assertGreater(len(got), 40)   # the rest ran after each restart
        with open(out) as f:
            # one start, two for n_offsets_hole (retried), one after the cut
            self.assertEqual(json.load(f)["adapters"]["dies"]
                             ["processes_started"], 4)

    def test_timeout(self):
        out = os.path.join(TMP, "batch_hangs.json")
        hangs = "%s %s --hang-on=y_dtype_f32" % (
            PY, os.path.join(TESTDATA, "batch_adapter.py"))
        proc, seconds = run_runner("--filter=" + SMALL, "--jobs=1",
                                   "--timeout=2", "--json=" + out,
                                   "--batch=hangs=" + hangs)
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        got = results(out)
        self.assertEqual(got.pop(("y_dtype_f32", "hangs")), "timeout")
        self.assertEqual(set(got.values()), {"pass"})
        self.assertLess(seconds, 60)

    def test_malformed_answer(self):
        out = os.path.join(TMP, "batch_garbage.json")
        garbage = adapter("garbage_batch", """
            for line in sys.stdin:
                sys.stdout.write("hello\\n")
                sys.stdout.flush()
            """)
        proc, _ = run_runner("--filter=" + SMALL, "--json=" + out,
                             "--batch", garbage)
        got = cells(out)
        self.assertEqual({c["result"] for c in got.values()}, {"crash"})
        self.assertIn("malformed result line",
                      got[("n_offsets_hole", "garbage_batch")]["why"])


class WriterTest(unittest.TestCase):
    """The writer cases, with testdata/writer_adapter.py and
    broken_writer.py. The tool's own `safetensors create` is the default
    writer: its test is check_all_pass() with no adapter."""

    def check_all_pass(self, *impls, skip_large=False):
        out = os.path.join(TMP, "writers.json")
        args = ["--write", "--timeout=300", "--json=" + out]
        proc, _ = run_runner(*(args + (["--skip-large"] if skip_large else [])
                               + list(impls)))
        self.assertEqual(proc.returncode, 0, proc.stdout.decode())
        got = results(out)
        self.assertEqual(len(got), (34 if skip_large else 35) *
                         len({name for _, name in got}))
        self.assertEqual(set(got.values()), {"pass"})
        return proc

    def test_model_writer_passes(self):
        # The generated 100,000,000-byte case is honoured here.
        proc = self.check_all_pass(
            "--writer", "model=%s %s {spec} {out}" % (
                PY, os.path.join(TESTDATA, "writer_adapter.py")))
        self.assertIn("n_write_header_too_large", proc.stdout.decode())

    def test_own_create(self):
        # This project's writer, `safetensors create`, over every case
        # (the 100,000,000-byte one too): it must pass all of them.
        proc = self.check_all_pass()
        self.assertIn("safetensors-cpp: 35/35 pass", proc.stdout.decode())

    def test_skip_large(self):
        self.check_all_pass(fixture("model", "writer_adapter.py"),
                            skip_large=True)

    def test_broken_writer(self):
        out = os.path.join(TMP, "broken_writer.json")
        proc, _ = run_runner("--write", "--skip-large", "--json=" + out,
                             fixture("broken", "broken_writer.py"))
        self.assertEqual(proc.returncode, 1, proc.stderr.decode())
        got = cells(out)
        want = {"y_write_one_i32": "wrong-bytes",
                "y_write_bf16": "wrong-bytes",
                "y_write_c64": "should-accept",
                "n_write_duplicate_names": "should-reject",
                "n_write_data_too_short": "wrong-kind",
                "y_write_f4": "crash", "y_write_padding_7": "crash"}
        self.assertEqual({vid: c["result"] for (vid, _), c in got.items()
                          if c["result"] != "pass"}, want)
        one = got[("y_write_one_i32", "broken")]
        self.assertEqual((one["diff"]["offset"], one["diff"]["got_size"],
                          one["diff"]["expected_size"]), (20, 88, 88))
        self.assertIn("first difference at byte 20", one["why"])
        bf16 = got[("y_write_bf16", "broken")]["diff"]
        self.assertEqual((bf16["offset"], bf16["got_size"],
                          bf16["expected_size"], bf16["got_byte"]),
                         (79, 79, 80, None))
        self.assertIn("without writing",
                      got[("y_write_padding_7", "broken")]["why"])
        self.assertIn("aborting on purpose",
                      got[("y_write_f4", "broken")]["stderr"])
        self.assertIn("  broken: 27/34 pass (79.4%); decision 28/34 (82.4%)",
                      proc.stdout.decode())

    def test_show_and_default_writer(self):
        # With no adapter, --write runs `<tool> create {spec} {out}`.
        proc, _ = run_runner("--write", "--show=y_write_one_i32",
                             "--timeout=300")
        text = proc.stdout.decode()
        self.assertIn("== y_write_one_i32 (writer case) ==", text)
        self.assertRegex(text, r"command: .*tools/safetensors create "
                               r"\S*/specs/y_write_one_i32\.json "
                               r"\S*/y_write_one_i32\.safetensors")
        self.assertIn('"data_hex": "00000000000000000000000000000000"', text)
        self.assertIn("expected: exit 0 and the 88 bytes", text)


class IntegrityTest(unittest.TestCase):
    """A copy of the suite with one file damaged: exit 2 before any run."""

    def damaged_copy(self, name, damage):
        root = os.path.join(TMP, "damaged_" + name.replace(".", "_"))
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        shutil.copy(os.path.join(HERE, "manifest.json"), root)
        shutil.copytree(os.path.join(HERE, "vectors"),
                        os.path.join(root, "vectors"))
        path = os.path.join(root, "vectors", name)
        with open(path, "rb") as f:
            data = f.read()
        os.chmod(path, 0o644)
        with open(path, "wb") as f:
            f.write(damage(data))
        return os.path.join(root, "manifest.json")

    def check(self, name, damage, *extra):
        manifest = self.damaged_copy(name, damage)
        proc, _ = run_runner("--manifest=" + manifest, "--filter=^y_len_",
                             fixture("model", "model_adapter.py"), *extra)
        err = proc.stderr.decode()
        self.assertEqual(proc.returncode, 2, err)
        self.assertIn(name, err)
        self.assertIn("core.autocrlf", err)
        self.assertEqual(proc.stdout, b"")

    def test_crlf_vector(self):
        self.check("y_shape_scalar_f32.safetensors",
                   lambda d: d.replace(b"}", b"}\r\n"))

    def test_truncated_vector(self):
        self.check("n_offsets_hole.safetensors", lambda d: d[:-1])

    def test_crlf_dump(self):
        self.check("y_dtype_f32.dump", lambda d: d.replace(b"\n", b"\r\n"))

    def test_writer_output(self):
        self.check("y_write_one_i32.safetensors", lambda d: d[:-1])

    def test_undamaged_copy_runs(self):
        manifest = self.damaged_copy("y_dtype_f32.dump", lambda d: d)
        proc, _ = run_runner("--manifest=" + manifest, "--filter=^y_len_",
                             fixture("model", "model_adapter.py"))
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())


if __name__ == "__main__":
    unittest.main()
