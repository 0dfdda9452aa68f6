# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Fails when the CMake build and the Bazel build disagree.

Usage: build_sync_test.py LIBRARY_LIST TOOL_LIST CMAKELISTS C_API_LIST

LIBRARY_LIST, TOOL_LIST and C_API_LIST are written by cmake/source_list.bzl
from the Bazel targets //safetensors, //tools:safetensors and
//safetensors/c:c_api ("file PATH" and "lib NAME" lines). CMAKELISTS is the root CMakeLists.txt, whose set(...)
lists must hold the same files and Abseil components.
"""

import os
import re
import sys
import unittest

_ARGS = sys.argv[1:5]


def read_list(path):
    files, libs = set(), set()
    with open(path) as f:
        for line in f:
            kind, _, value = line.strip().partition(" ")
            if kind == "file":
                files.add(value)
            elif kind == "lib":
                libs.add(value)
    return files, libs


def cmake_lists(path):
    """The set(NAME item...) and list(APPEND NAME item...) of a CMake file."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"#[^\n]*", "", text)
    lists = {}
    for m in re.finditer(r"\bset\(\s*(SAFETENSORS_[A-Z_]+)\s+([^)]*)\)", text):
        lists[m.group(1)] = m.group(2).split()
    for m in re.finditer(r"\blist\(\s*APPEND\s+(SAFETENSORS_[A-Z_]+)\s+([^)]*)\)",
                         text):
        lists.setdefault(m.group(1), []).extend(m.group(2).split())
    return lists


class BuildSyncTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.lib_files, cls.lib_libs = read_list(_ARGS[0])
        cls.tool_files, cls.tool_libs = read_list(_ARGS[1])
        cls.cmake = cmake_lists(_ARGS[2])
        cls.c_files, cls.c_libs = read_list(_ARGS[3])

    def cmake_set(self, name):
        self.assertIn(name, self.cmake, "CMakeLists.txt has no set(%s ...)" % name)
        items = self.cmake[name]
        self.assertEqual(len(items), len(set(items)), "%s lists a name twice" % name)
        return set(items)

    def assert_same(self, bazel, cmake, what, cmake_name):
        only_bazel = sorted(bazel - cmake)
        only_cmake = sorted(cmake - bazel)
        if only_bazel or only_cmake:
            self.fail("%s differ between the builds:\n"
                      "  in Bazel, missing from %s in CMakeLists.txt: %s\n"
                      "  in %s, not in the Bazel targets: %s"
                      % (what, cmake_name, only_bazel or "none", cmake_name,
                         only_cmake or "none"))

    def test_public_headers(self):
        public = {f for f in self.lib_files
                  if f.startswith("safetensors/") and f.count("/") == 1 and f.endswith(".h")}
        self.assert_same(public, self.cmake_set("SAFETENSORS_PUBLIC_HEADERS"),
                         "the public headers", "SAFETENSORS_PUBLIC_HEADERS")

    def test_internal_headers(self):
        internal = {f for f in self.lib_files
                    if f.startswith("safetensors/internal/") and f.endswith(".h")}
        self.assert_same(internal, self.cmake_set("SAFETENSORS_INTERNAL_HEADERS"),
                         "the internal headers", "SAFETENSORS_INTERNAL_HEADERS")

    def test_library_sources(self):
        sources = {f for f in self.lib_files if f.endswith(".cc")}
        self.assert_same(sources, self.cmake_set("SAFETENSORS_SOURCES"),
                         "the library's sources", "SAFETENSORS_SOURCES")

    def test_every_library_file_is_listed(self):
        listed = (self.cmake_set("SAFETENSORS_PUBLIC_HEADERS") |
                  self.cmake_set("SAFETENSORS_INTERNAL_HEADERS") |
                  self.cmake_set("SAFETENSORS_SOURCES"))
        self.assert_same(self.lib_files, listed, "the library's files",
                         "the three library lists")

    def test_tool_sources(self):
        self.assert_same(self.tool_files - self.lib_files,
                         self.cmake_set("SAFETENSORS_TOOL_SOURCES"),
                         "the tool's files", "SAFETENSORS_TOOL_SOURCES")

    def test_library_abseil_components(self):
        self.assertNotIn("re2", self.lib_libs, "the library must not need RE2")
        self.assert_same({l for l in self.lib_libs if l.startswith("absl_")},
                         {"absl_" + c for c in self.cmake_set("SAFETENSORS_ABSL_COMPONENTS")},
                         "the library's Abseil components", "SAFETENSORS_ABSL_COMPONENTS")
        self.assertEqual(self.lib_libs - {"absl_" + c for c in
                                          self.cmake_set("SAFETENSORS_ABSL_COMPONENTS")},
                         set(), "the library uses a system library CMake does not know")

    def test_tool_libraries(self):
        self.assertIn("re2", self.tool_libs)
        # CMake links the tool with the library's Abseil components only
        # (its options are its own code, not Abseil flags).
        tool_absl = {l for l in self.tool_libs - self.lib_libs if l.startswith("absl_")}
        self.assertEqual(tool_absl, set(),
                         "the tool uses Abseil components the library does not; "
                         "CMakeLists.txt links the tool with the library's only")

    def test_c_api_sources(self):
        # The C API's own files: what //safetensors/c:c_api adds to the
        # library's.
        own = self.c_files - self.lib_files
        self.assert_same({f for f in own if f.endswith(".h")},
                         self.cmake_set("SAFETENSORS_C_HEADERS"),
                         "the C API's headers", "SAFETENSORS_C_HEADERS")
        self.assert_same({f for f in own if not f.endswith(".h")},
                         self.cmake_set("SAFETENSORS_C_SOURCES"),
                         "the C API's sources", "SAFETENSORS_C_SOURCES")

    def test_c_api_abseil_components(self):
        lib = {"absl_" + c for c in self.cmake_set("SAFETENSORS_ABSL_COMPONENTS")}
        extra = {"absl_" + c for c in self.cmake_set("SAFETENSORS_C_ABSL_COMPONENTS")}
        self.assertEqual(lib & extra, set(),
                         "SAFETENSORS_C_ABSL_COMPONENTS repeats the library's")
        self.assert_same(self.c_libs - self.lib_libs, extra,
                         "the C API's own Abseil components",
                         "SAFETENSORS_C_ABSL_COMPONENTS")

    def test_unit_tests(self):
        # Every *_test.cc beside the library and the tool (the filegroups
        # //safetensors:cc_test_sources etc., in the runfiles) is a CTest test.
        found = set()
        for pkg in ("safetensors", "safetensors/internal", "tools"):
            for name in os.listdir(pkg):
                if name.endswith("_test.cc"):
                    found.add(pkg + "/" + name)
        self.assertTrue(found, "no test files in the runfiles")
        self.assert_same(found, self.cmake_set("SAFETENSORS_TESTS"),
                         "the C++ unit tests", "SAFETENSORS_TESTS")
        # The C API's tests, *.c compiled as C (//safetensors/c).
        found_c = {"safetensors/c/" + name for name in os.listdir("safetensors/c")
                   if name.endswith("_test.c")}
        self.assertTrue(found_c, "no C test files in the runfiles")
        self.assert_same(found_c, self.cmake_set("SAFETENSORS_C_TESTS"),
                         "the C API's tests", "SAFETENSORS_C_TESTS")
        found |= found_c
        # CMake names each test's target by its file name alone, in one
        # namespace: two packages' foo_test.cc would collide there.
        names = sorted(os.path.splitext(os.path.basename(f))[0] for f in found)
        self.assertEqual(sorted(set(names)), names,
                         "two *_test.cc files share a name, which CMake "
                         "cannot build as two targets")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
