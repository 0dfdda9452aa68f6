#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Tests of the differential campaign (fuzz/README.md).

- Self-consistency: a few hundred mutants with this project on both sides
  (batch_dump in batch mode as OURS, the CLI `safetensors dump` per file as
  THEIRS): no disagreement, no strict violation, and the mutants reach every
  layer (accepted files and several rejection kinds).
- The classifier against fake adapters (small scripts) that mimic the
  reference: serde_json 1.0.87's decimal-point bug, a hash-order kind, and a
  plain wrong answer, which must stay "unclassified" and fail the run.
- A mutant is a pure function of (seed, index).
"""

import io
import json
import os
import shlex
import struct
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import campaign  # noqa: E402
import mutate  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CLI = os.path.join(ROOT, "tools", "safetensors")
BATCH_DUMP = os.path.join(HERE, "batch_dump")
VECTORS = os.path.join(ROOT, "conformance", "vectors")
TMP = os.environ.get("TEST_TMPDIR") or tempfile.mkdtemp()


def file_of(header, data=b""):
    return struct.pack("<Q", len(header)) + header + data


def fake_adapter(name, body):
    """A Python adapter script: `body` sees `blob` and `path`, and may fall
    through to this project's CLI (the reference profile)."""
    path = os.path.join(TMP, name + ".py")
    # Under --config=s390x the CLI is an s390x binary: exec'd through qemu.
    cli = campaign._through_qemu([CLI, "dump", "--profile=reference"])
    with open(path, "w") as f:
        f.write("import os, sys\n"
                "path = sys.argv[-1]\n"
                "blob = open(path, 'rb').read()\n" + body +
                "\nos.execv(%r, %r + [path])\n" % (cli[0], cli))
    return "%s %s" % (shlex.quote(sys.executable), shlex.quote(path))


def ours():
    return campaign.Adapter(BATCH_DUMP + " --profile=reference", True, 5)


# serde_json 1.0.87 rejects 18446744073709551616.5 (a valid number) and
# accepts 18446744073709551616. (an invalid one); this fake does the same
# for these two spellings and is this project otherwise.
SERDE_FAKE = (
    "if b'18446744073709551616.5' in blob:\n"
    "    print('reject\\tInvalidHeaderDeserialization'); sys.exit(1)\n")


class SelfConsistency(unittest.TestCase):

    def test_no_disagreement_with_ourselves(self):
        out = os.path.join(TMP, "self")
        argv = ["--theirs=%s dump --profile=reference" % shlex.quote(CLI),
                "--ours=%s --profile=reference" % shlex.quote(BATCH_DUMP),
                "--strict=%s --profile=strict" % shlex.quote(BATCH_DUMP),
                "--batch=ours,strict", "--seed=3", "--count=300",
                "--vectors=" + VECTORS, "--out=" + out]
        with redirect_stdout(io.StringIO()) as printed:
            status = campaign.main(argv)
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        self.assertEqual(status, 0, printed.getvalue())
        self.assertEqual(s["mutants"], 300)
        self.assertEqual(s["agree"], 300)
        self.assertEqual(s["disagreements"], 0)
        self.assertEqual(s["strict_checked"], 300)
        self.assertEqual(s["strict_violations"], 0)
        self.assertEqual(s["strict_not_reference"], 0)
        answers = s["answers"]["ours"]
        self.assertGreater(answers.get("accept", 0), 30, answers)
        kinds = [k for k in answers if k.startswith("reject ")]
        self.assertGreaterEqual(len(kinds), 5, answers)
        self.assertNotIn("crash", s["answers"]["theirs"])
        self.assertIn("agree 300, disagree 0", printed.getvalue())

    def test_batch_and_per_file_answer_alike(self):
        a = ours()
        try:
            for name in sorted(os.listdir(VECTORS))[:60]:
                if not name.endswith(".safetensors"):
                    continue
                path = os.path.join(VECTORS, name)
                self.assertEqual(a.run(path), a.run_file(path), name)
        finally:
            a.close()


class Classifier(unittest.TestCase):

    def setUp(self):
        self.ours = ours()
        self.path = os.path.join(TMP, "mutant.safetensors")

    def tearDown(self):
        self.ours.close()

    def classify(self, theirs_command, blob):
        with open(self.path, "wb") as f:
            f.write(blob)
        theirs = campaign.Adapter(theirs_command, False, 5)
        c = campaign.Classifier(self.ours, theirs, 6,
                                os.path.join(TMP, "fixed.safetensors"))
        mine, their = self.ours.run(self.path), theirs.run(self.path)
        self.assertNotEqual(mine, their)
        return c.classify(blob, self.path, mine, their)[0]

    def test_serde_decimal_bug_is_the_reference(self):
        # Accepted here (an ignored field holds a valid number), rejected by
        # the fake as serde_json 1.0.87 rejects it.
        blob = file_of(b'{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1],'
                       b'"x":18446744073709551616.5}}', b"\x07")
        cls = self.classify(fake_adapter("serde", SERDE_FAKE), blob)
        self.assertEqual(cls, campaign.SERDE_LEXING)

    def test_same_spelling_is_not_a_number_bug(self):
        # The same number in a file the fake gets wrong for another reason:
        # rewriting the number does not make the two agree.
        blob = file_of(b'{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1],'
                       b'"x":18446744073709551616.5}}', b"\x07")
        wrong = fake_adapter("wrong", "print('reject\\tInvalidOffset'); "
                             "sys.exit(1)")
        self.assertEqual(self.classify(wrong, blob), campaign.UNCLASSIFIED)

    def test_hash_order(self):
        # Two entries on [0,4]: this project checks them in text order ("a"
        # passes, "b" is InvalidOffset); the fake answers TensorInvalidInfo
        # on its first run and InvalidOffset afterwards, as the reference's
        # HashMap order may.
        blob = file_of(b'{"a":{"dtype":"F32","shape":[1],'
                       b'"data_offsets":[0,4]},"b":{"dtype":"F32",'
                       b'"shape":[2],"data_offsets":[0,4]}}',
                       b"\0" * 4)
        counter = os.path.join(TMP, "runs")
        body = ("n = int(open(%r).read()) if os.path.exists(%r) else 0\n"
                "open(%r, 'w').write(str(n + 1))\n"
                "print('reject\\t' + ('TensorInvalidInfo' if n == 0 else "
                "'InvalidOffset')); sys.exit(1)\n") % (counter, counter,
                                                       counter)
        self.assertEqual(self.classify(fake_adapter("hash", body), blob),
                         campaign.HASH_ORDER)

    def test_serde_bug_then_hash_order(self):
        # Both at once: the number rewritten, what is left is a tie.
        blob = file_of(b'{"a":{"dtype":"F32","shape":[1],'
                       b'"data_offsets":[0,4]},"b":{"dtype":"F32",'
                       b'"shape":[2],"data_offsets":[0,4],'
                       b'"x":18446744073709551616.5}}', b"\0" * 4)
        counter = os.path.join(TMP, "runs2")
        body = SERDE_FAKE + (
            "n = int(open(%r).read()) if os.path.exists(%r) else 0\n"
            "open(%r, 'w').write(str(n + 1))\n"
            "print('reject\\t' + ('TensorInvalidInfo' if n == 0 else "
            "'InvalidOffset')); sys.exit(1)\n") % (counter, counter, counter)
        self.assertEqual(self.classify(fake_adapter("both", body), blob),
                         campaign.SERDE_LEXING)

    def test_campaign_fails_on_an_unclassified_disagreement(self):
        always = fake_adapter("always", "print('reject\\tInvalidOffset'); "
                              "sys.exit(1)")
        out = os.path.join(TMP, "always")
        with redirect_stdout(io.StringIO()):
            status = campaign.main(
                ["--theirs=" + always, "--count=5", "--reruns=1",
                 "--ours=%s --profile=reference" % BATCH_DUMP,
                 "--strict=none", "--vectors=" + VECTORS, "--out=" + out])
        self.assertEqual(status, 1)
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        self.assertGreater(s["by_class"].get(campaign.UNCLASSIFIED, 0), 0)
        saved = os.listdir(os.path.join(out, "unclassified"))
        self.assertTrue(any(n.endswith(".theirs.txt") for n in saved), saved)


class Examples(unittest.TestCase):
    """The saved disagreements in examples/: this project still answers as
    it did when they were found, and each is of the class it was saved in."""

    def test_examples(self):
        d = os.path.join(HERE, "examples")
        names = sorted(n[:-len(".json")] for n in os.listdir(d)
                       if n.endswith(".json"))
        self.assertGreaterEqual(len(names), 4)
        a = ours()
        try:
            for name in names:
                path = os.path.join(d, name + ".safetensors")
                with open(os.path.join(d, name + ".json")) as f:
                    record = json.load(f)
                self.assertEqual(a.run(path).text(), record["ours"], name)
                with open(os.path.join(d, name + ".ours.txt")) as f:
                    self.assertEqual(f.read(), record["ours"] + "\n")
                with open(path, "rb") as f:
                    blob = f.read()
                serde = campaign.serde_spelled_as_integers(blob) is not None
                self.assertEqual(serde,
                                 record["class"] == campaign.SERDE_LEXING,
                                 name)
                if record["class"] == campaign.HASH_ORDER:
                    self.assertTrue(campaign.has_tied_ranges(blob), name)
        finally:
            a.close()


class Mutants(unittest.TestCase):

    def test_seed_and_index_regenerate_a_mutant(self):
        seeds = campaign.load_seeds(VECTORS)
        again = campaign.load_seeds(VECTORS)
        for i in range(0, 400, 7):
            self.assertEqual(mutate.mutant(seeds, 11, i),
                             mutate.mutant(again, 11, i))
        distinct = {mutate.mutant(seeds, 11, i)[0] for i in range(200)}
        self.assertGreater(len(distinct), 190)

    def test_serde_triggers_are_rewritten_in_place(self):
        a, b = b"18446744073709551616.", b"-99999999999999999999.9e1"
        blob = file_of(b'{"x":[' + a + b",1.5," + b + b"]}")
        fixed = campaign.serde_spelled_as_integers(blob)
        self.assertEqual(len(fixed), len(blob))
        self.assertEqual(fixed[8:], b'{"x":[1' + b"0" * (len(a) - 1) +
                         b",1.5,1" + b"0" * (len(b) - 1) + b"]}")
        self.assertIsNone(campaign.serde_spelled_as_integers(
            file_of(b'{"x":1.5}')))


if __name__ == "__main__":
    unittest.main()
