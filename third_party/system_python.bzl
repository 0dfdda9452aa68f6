"""A repository rule for the Python the extension is built against, offline.

`@system_python//:headers` is the interpreter's C headers (Python.h), found
by asking the interpreter itself; pybind11's headers (Debian pybind11-dev)
are on the compiler's default include path already. The interpreter is
/usr/bin/python3 (Debian's, where python3-numpy and python3-torch install),
or the one named by SAFETENSORS_PYTHON. `@system_python//:defs.bzl` records
its path, version and extension suffix for the build and the tests.
"""

def _system_python_impl(ctx):
    python = ctx.os.environ.get("SAFETENSORS_PYTHON", "/usr/bin/python3")
    result = ctx.execute([python, "-c", "\n".join([
        "import sys, sysconfig",
        "print(sysconfig.get_paths()['include'])",
        "print(sysconfig.get_config_var('EXT_SUFFIX'))",
        "print('%d.%d' % sys.version_info[:2])",
        "print(sysconfig.get_platform().replace('-', '_').replace('.', '_'))",
    ])])
    if result.return_code != 0:
        fail("%s does not run (%s): install python3 or set SAFETENSORS_PYTHON" % (python, result.stderr))
    include, suffix, version, platform = result.stdout.strip().split("\n")
    if not ctx.path(include + "/Python.h").exists:
        fail("%s/Python.h is missing: run ./setup.sh (it installs python3-dev)" % include)
    ctx.symlink(include, "include")
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("defs.bzl", "\n".join([
        "PYTHON = %r" % python,
        "PYTHON_VERSION = %r" % version,
        "EXT_SUFFIX = %r" % suffix,
        "PLATFORM_TAG = %r" % platform,
        "",
    ]))
    ctx.file("BUILD.bazel", """package(default_visibility = ["//visibility:public"])

exports_files(["defs.bzl"])

cc_library(
    name = "headers",
    hdrs = glob(["include/**/*.h"]),
    includes = ["include"],
)
""")

system_python = repository_rule(
    implementation = _system_python_impl,
    local = True,
    environ = ["SAFETENSORS_PYTHON"],
)
