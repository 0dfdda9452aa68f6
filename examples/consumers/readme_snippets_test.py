#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Fails when README.md's "Use it from your project" snippets are not what CI builds.

Usage: readme_snippets_test.py REPO_ROOT

Each snippet in README.md is a fenced block right after a line
`<!-- consumer: examples/consumers/PATH -->`. Its non-blank lines (stripped of
indentation) must appear in that consumer file in the same order, so the
lines the README tells a user to write are the ones CI compiles and runs.
"""

import os
import re
import sys
import unittest

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."

# Every consumer file the README must show, at least once each.
EXPECTED = {
    "examples/consumers/bazel/WORKSPACE",
    "examples/consumers/bazel/BUILD.bazel",
    "examples/consumers/cmake/CMakeLists.txt",
    "examples/consumers/pkg-config/build.sh",
}

MARKER = re.compile(r"^<!-- consumer: (\S+) -->\n```[a-z-]*\n(.*?)^```\n",
                    re.MULTILINE | re.DOTALL)


def significant(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def in_order(needles, haystack):
    """The first needle not found in order in haystack, or None."""
    i = 0
    for needle in needles:
        while i < len(haystack) and haystack[i] != needle:
            i += 1
        if i == len(haystack):
            return needle
        i += 1
    return None


class ReadmeSnippetsTest(unittest.TestCase):

    def setUp(self):
        with open(os.path.join(ROOT, "README.md")) as f:
            self.snippets = MARKER.findall(f.read())

    def test_every_consumer_is_shown(self):
        self.assertEqual({path for path, _ in self.snippets}, EXPECTED)

    def test_snippets_are_in_the_consumer_files(self):
        for path, code in self.snippets:
            with open(os.path.join(ROOT, path)) as f:
                lines = significant(f.read())
            missing = in_order(significant(code), lines)
            self.assertIsNone(
                missing, "README.md's snippet for %s has a line that is not in "
                "that file (in this order): %r" % (path, missing))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
