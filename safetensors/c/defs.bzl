"""The C API's shared library, built against shared Abseil.

c_shared_library copies the .so out under its soname's file name stem
(libsafetensors_c.so); bazel/shared_absl.bzl says why Abseil is shared here.
"""

load("//bazel:shared_absl.bzl", "shared_absl_object")

c_shared_library = shared_absl_object
