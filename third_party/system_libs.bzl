"""A repository rule that wraps Debian's C++ libraries for Bazel, offline.

The headers are on the compiler's default include path already, so each
target carries only link flags. For Abseil, every `absl_*.pc` file that
pkg-config knows becomes one target, `@system_libs//:absl_<component>`, whose
flags are exactly what `pkg-config --libs absl_<component>` prints; using a
new Abseil component therefore never breaks the link. Bazel does not track
files under /usr: run `bazel clean --expunge` after a library upgrade.
"""

def _pkg_config(ctx, args):
    result = ctx.execute(["pkg-config"] + args)
    if result.return_code != 0:
        fail("pkg-config %s failed: %s" % (" ".join(args), result.stderr))
    return result.stdout.strip()

def _lib_target(name, linkopts):
    return """
cc_library(
    name = "{name}",
    linkopts = {linkopts},
)
""".format(name = name, linkopts = repr(linkopts))

def _system_libs_impl(ctx):
    components = [
        line.strip()
        for line in _pkg_config(ctx, ["--list-package-names"]).split("\n")
        if line.strip().startswith("absl_")
    ]
    if not components:
        fail("no absl_*.pc found by pkg-config: run ./setup.sh first")
    out = ['package(default_visibility = ["//visibility:public"])\n']
    for component in sorted(components):
        out.append(_lib_target(component, _pkg_config(ctx, ["--libs", component]).split(" ")))
    out.append(_lib_target("re2", _pkg_config(ctx, ["--libs", "re2"]).split(" ")))
    out.append(_lib_target("gtest", ["-lgtest", "-lpthread"]))
    out.append(_lib_target("gtest_main", ["-lgtest_main", "-lgtest", "-lpthread"]))
    out.append(_lib_target("gmock", ["-lgmock", "-lgtest", "-lpthread"]))
    out.append(_lib_target("gmock_main", ["-lgmock_main", "-lgmock", "-lgtest", "-lpthread"]))
    out.append(_lib_target("benchmark", ["-lbenchmark", "-lpthread"]))
    out.append(_lib_target("benchmark_main", ["-lbenchmark_main", "-lbenchmark", "-lpthread"]))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD.bazel", "".join(out))

system_libs = repository_rule(
    implementation = _system_libs_impl,
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
