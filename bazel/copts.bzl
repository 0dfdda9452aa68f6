"""Compiler flags for every C++ target of the library's own build.

Bazel 4.2.3's auto-configured gcc toolchain compiles with -std=c++0x, and a
workspace that depends on this one has none of this repository's .bazelrc;
so the targets carry the language standard themselves. Copts do not reach a
dependent's own sources: a consumer's targets need -std=c++17 as well.
"""

SAFETENSORS_COPTS = ["-std=c++17"]

# For the C sources that use the C API (its test, its conformance adapter, the
# examples): plain C99, every warning an error, as a C user would compile.
SAFETENSORS_C99_COPTS = [
    "-std=c99",
    "-Wall",
    "-Wextra",
    "-pedantic",
    "-Werror",
]
