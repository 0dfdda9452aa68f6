# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Tests of runner.py: this project's `safetensors dump` passes every vector
in both profiles, and adapters that crash, hang, print garbage or huge output
are classified without taking the runner down."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "runner.py")
TMP = os.environ.get("TEST_TMPDIR") or tempfile.mkdtemp()
SMALL = "^(y_len_smallest_file|y_dtype_f32|n_len_empty_file|n_offsets_hole)$"


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


def results(json_path):
    with open(json_path) as f:
        doc = json.load(f)
    return {(r["id"], impl): cell["result"] for r in doc["results"]
            for impl, cell in r["implementations"].items()}


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
            "missing=/nonexistent/adapter",
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
        self.assertEqual(got[(n, "missing")], "crash")
        text = proc.stdout.decode()
        self.assertIn("summary (strict profile)", text)
        for name in ("crash", "hang", "garbage", "huge", "missing"):
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


if __name__ == "__main__":
    unittest.main()
