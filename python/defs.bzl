"""The Python extension: a shared object linked against shared Abseil.

py_extension places the .so under the name Python imports it by, next to the
package's .py files; bazel/shared_absl.bzl says why Abseil is shared here.
"""

load("//bazel:shared_absl.bzl", "shared_absl_object")

py_extension = shared_absl_object
