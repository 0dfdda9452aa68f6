#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The C API's conformance adapter (conformance/c_adapter.c) against the suite.

The runner drives the adapter in batch mode over every reader vector, in both
profiles, once per way of reading a file through the C API (st_open with the
mmap and pread backends, st_parse of the file's bytes) and once linked against
libsafetensors_c.so.1 alone. Every vector must pass, kinds included, so the C
API answers exactly as the C++ library and the tool do.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "runner.py")
ADAPTER = os.path.join(HERE, "c_adapter")
SHARED_ADAPTER = os.path.join(HERE, "c_adapter_shared")
EXAMPLES = os.path.join(HERE, "..", "examples")
TMP = os.environ.get("TEST_TMPDIR") or tempfile.mkdtemp()


def argv_of(path):
    """The binary as an argv prefix; through qemu when it is an s390x ELF
    (--config=s390x) on another machine."""
    with open(path, "rb") as f:
        head = f.read(20)
    if (head[:4] == b"\x7fELF" and head[5] == 2 and
            struct.unpack(">H", head[18:20])[0] == 22 and
            os.uname().machine != "s390x"):
        return ["/usr/bin/qemu-s390x-static", path]
    return [path]


def command(path, *args):
    return " ".join(argv_of(path) + list(args))


class SuiteTest(unittest.TestCase):

    def check_profile(self, profile):
        out = os.path.join(TMP, "c_%s.json" % profile)
        adapters = {
            "c_mmap": command(ADAPTER, "--backend=mmap"),
            "c_pread": command(ADAPTER, "--backend=pread"),
            "c_parse": command(ADAPTER, "--backend=parse"),
            "c_shared": command(SHARED_ADAPTER, "--backend=mmap"),
        }
        argv = [sys.executable, RUNNER, "--profile=" + profile,
                "--no-progress", "--pruned", "--timeout=300",
                "--json=" + out]
        for name, cmd in adapters.items():
            argv += ["--batch", "%s=%s --profile={profile} --batch" %
                     (name, cmd)]
        proc = subprocess.run(argv, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=3000)
        text = proc.stdout.decode() + proc.stderr.decode()
        self.assertEqual(proc.returncode, 0, text)
        with open(out) as f:
            doc = json.load(f)
        results = {}
        for row in doc["results"]:
            for impl, cell in row["implementations"].items():
                results[(row["id"], impl)] = cell["result"]
        ids = {vector for vector, _ in results}
        self.assertGreaterEqual(len(ids), 355)
        self.assertEqual({impl for _, impl in results}, set(adapters))
        failed = sorted(k for k, v in results.items() if v != "pass")
        self.assertEqual(failed, [], text)
        for name in adapters:
            self.assertRegex(text, name + r": \d+/\d+ pass \(100\.0%\)")

    def test_strict(self):
        self.check_profile("strict")

    def test_reference(self):
        self.check_profile("reference")


class OneFileTest(unittest.TestCase):

    def run_adapter(self, *args):
        return subprocess.run(argv_of(ADAPTER) + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=300)

    def test_dump_of_the_example_is_its_committed_dump(self):
        with open(os.path.join(EXAMPLES, "tiny.safetensors.dump"), "rb") as f:
            expected = f.read()
        for backend in ("mmap", "pread", "parse"):
            proc = self.run_adapter("--backend=" + backend,
                                    os.path.join(EXAMPLES, "tiny.safetensors"))
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stdout, expected, backend)

    def test_rejection_prints_the_kind_and_the_message(self):
        path = os.path.join(TMP, "short.safetensors")
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", 100) + b"{}")
        for backend in ("mmap", "pread", "parse"):
            proc = self.run_adapter("--backend=" + backend, path)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertEqual(proc.stdout, b"reject\tInvalidHeaderLength\n")
            self.assertNotEqual(proc.stderr.strip(), b"")

    def test_missing_file_is_an_io_error(self):
        proc = self.run_adapter(os.path.join(TMP, "absent.safetensors"))
        self.assertEqual((proc.returncode, proc.stdout),
                         (1, b"reject\tIoError\n"))

    def test_an_index_has_no_single_layout_and_is_no_verdict(self):
        # The canonical dump is of one file; an index is not a vector, and the
        # adapter says so with a status that the runner scores as a crash.
        index = os.path.join(EXAMPLES, "sharded",
                             "model.safetensors.index.json")
        proc = self.run_adapter(index)
        self.assertEqual(proc.returncode, 3)
        self.assertIn(b"InvalidArgument", proc.stderr)

    def test_usage(self):
        for args in ([], ["--batch", "x"], ["--profile=loose", "x"],
                     ["a", "b"]):
            proc = self.run_adapter(*args)
            self.assertEqual(proc.returncode, 2, args)
            self.assertIn(b"usage:", proc.stderr)


if __name__ == "__main__":
    unittest.main()
