#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Checks of the repository as a whole, run by `bazel test //:hygiene_test`.

- Every reference to another file points inside the repository: nothing
  cites the design notes this project was started from (their names are
  spelled below in pieces so that this file does not match itself), and every
  `docs/NAME.md` that a file names exists.
- No public header (safetensors/*.h) includes an internal or testing header,
  so an installed copy of the public headers is complete.
- The licence line is whole: "SPDX-License-Identifier: Apache-2.0" on one
  line wherever it appears (licence scanners read it line by line).

The checkout is found through README.md's runfile (a symlink into it).
"""

import os
import re
import sys

OUTSIDE = re.compile("|".join([
    r"\bSPEC" + r"\.md\b",
    r"\bREFERENCE" + r"(-JSON)?\.md\b",
    r"\.\./" + r"shared\b",
    r"\b(SPEC|REFERENCE|REFERENCE-JSON) " + r"§",
    # The working notes this project was written from, by name or as an
    # upper-case word ("REFERENCE says", "REFERENCE-JSON 18.7").
    r"\b(STYLE|DESIGN|TOOLCHAIN)" + r"\.md\b",
    r"\bREFERENCE" + r"(?:-JSON)?(?!\w|-\w)",
]))
DOC_CITATION = re.compile(r"\bdocs/([A-Za-z0-9_-]+\.md)\b")
PRIVATE_INCLUDE = re.compile(
    r'^\s*#\s*include\s+"safetensors/(internal|testing)/', re.M)
SPDX = "SPDX-License-Identifier:"
TEXT_SUFFIXES = (".h", ".cc", ".c", ".py", ".md", ".bazel", ".bzl", ".sh",
                 ".txt", ".cmake", ".in", ".json", ".yaml", ".options",
                 ".dict", ".bazelrc", ".toml", ".cfg")
SKIP_DIRS = {".git", "vectors", "corpus", "regressions"}


def checkout_root():
    here = os.path.dirname(os.path.abspath(__file__))
    readme = os.path.join(here, "README.md")
    if not os.path.exists(readme):
        sys.exit("README.md not found beside %s" % __file__)
    return os.path.dirname(os.path.realpath(readme))


def text_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if d not in SKIP_DIRS and not d.startswith("bazel-")]
        for name in filenames:
            if (name.endswith(TEXT_SUFFIXES) or name in
                    ("BUILD", "WORKSPACE", "run", ".bazelrc", "LICENSE")):
                path = os.path.join(dirpath, name)
                yield os.path.relpath(path, root), path


def main():
    root = checkout_root()
    problems = []
    docs = set(os.listdir(os.path.join(root, "docs")))
    count = 0
    for rel, path in text_files(root):
        count += 1
        if rel == "hygiene_test.py":
            continue  # its own patterns
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        for n, line in enumerate(text.split("\n"), 1):
            if OUTSIDE.search(line):
                problems.append("%s:%d: cites a file outside the repository: "
                                "%s" % (rel, n, line.strip()[:100]))
            for doc in DOC_CITATION.findall(line):
                if doc not in docs:
                    problems.append("%s:%d: cites docs/%s, which does not "
                                    "exist" % (rel, n, doc))
            if SPDX in line and "Apache-2.0" not in line:
                problems.append("%s:%d: the SPDX licence line is split" %
                                (rel, n))
        if (rel.startswith("safetensors" + os.sep) and rel.count(os.sep) == 1
                and rel.endswith(".h")):
            for m in PRIVATE_INCLUDE.finditer(text):
                problems.append("%s: public header includes an %s header" %
                                (rel, m.group(1)))
    for p in problems:
        print(p)
    print("%d files checked, %d problems" % (count, len(problems)))
    if count < 50:
        print("too few files found: is %s the checkout?" % root)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
