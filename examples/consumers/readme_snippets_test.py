#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Fails when README.md's snippets are not what CI builds and runs.

Usage: readme_snippets_test.py REPO_ROOT

Each snippet in README.md is a fenced block right after a line
`<!-- consumer: examples/consumers/PATH -->`. Its non-blank lines (stripped of
indentation) must appear in that consumer file in the same order, so the
lines the README tells a user to write are the ones CI compiles and runs.

The same holds for a block after `<!-- example: PATH -->` (an example
program, such as examples/c/read_tensors.c), where a line that is only a
comment starting with `/* ...` marks an elision and a line ending in a
`/* ... */` comment is compared without it. A text block after
`<!-- output: PATH -->` is exactly the contents of PATH, the output the
example's test expects. (Not a console block: //tools:safetensors_cli_test
runs every console block that starts with `$ ` as a `safetensors` command.)
"""

import os
import re
import sys
import unittest

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."

# Every consumer file the README must show, at least once each.
EXPECTED = {
    "examples/consumers/bazel/WORKSPACE",
    "examples/consumers/bazel/.bazelrc",
    "examples/consumers/bazel/BUILD.bazel",
    "examples/consumers/cmake/CMakeLists.txt",
    "examples/consumers/pkg-config/build.sh",
}

# Every example program and expected output the README must show.
EXPECTED_EXAMPLES = {"examples/c/read_tensors.c"}
EXPECTED_OUTPUTS = {"examples/c/read_tensors.expected"}

EXAMPLE = re.compile(r"^<!-- example: (\S+) -->\n```[a-z-]*\n(.*?)^```\n",
                     re.MULTILINE | re.DOTALL)
OUTPUT = re.compile(r"^<!-- output: (\S+) -->\n```text\n(.*?)^```\n",
                    re.MULTILINE | re.DOTALL)
ELISION = re.compile(r"^/\* \.\.\..*\*/$")
TRAILING_COMMENT = re.compile(r"\s*/\*.*\*/$")

MARKER = re.compile(r"^<!-- consumer: (\S+) -->\n```[a-z-]*\n(.*?)^```\n",
                    re.MULTILINE | re.DOTALL)


def significant(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def example_lines(code):
    lines = []
    for line in significant(code):
        if ELISION.match(line):
            continue
        lines.append(TRAILING_COMMENT.sub("", line))
    return lines


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


    def test_examples(self):
        with open(os.path.join(ROOT, "README.md")) as f:
            readme = f.read()
        examples = EXAMPLE.findall(readme)
        self.assertEqual({path for path, _ in examples}, EXPECTED_EXAMPLES)
        for path, code in examples:
            with open(os.path.join(ROOT, path)) as f:
                lines = significant(f.read())
            missing = in_order(example_lines(code), lines)
            self.assertIsNone(
                missing, "README.md's snippet of %s has a line that is not in "
                "that file (in this order): %r" % (path, missing))
        outputs = OUTPUT.findall(readme)
        self.assertEqual({path for path, _ in outputs}, EXPECTED_OUTPUTS)
        for path, shown in outputs:
            with open(os.path.join(ROOT, path)) as f:
                self.assertEqual(shown, f.read(),
                                 "README.md's output differs from " + path)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
