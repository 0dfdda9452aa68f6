"""A repository rule that wraps Debian's C++ libraries for Bazel, offline.

The headers are on the compiler's default include path already, so each
target carries only link flags. For Abseil, every `absl_*.pc` file that
pkg-config knows becomes one target, `@system_libs//:absl_<component>`; RE2
becomes `@system_libs//:re2`. These link the static archives (`libabsl_*.a`,
`libre2.a`), so binaries do not need Debian's shared Abseil at run time:

- a target's `linkopts` hold only its own archive, as `-l:lib<name>.a`, plus
  the plain flags of its `.pc` `Libs:` line (`-pthread`, `-latomic`, ...).
  No `-L`: the linker looks in its own search path, which is the right
  multiarch directory for the host and for the s390x cross compiler alike;
- its `deps` are the components its `.pc` names in `Requires:` and
  `Requires.private:`. Bazel emits linkopts in topological order, dependents
  first, which is the order static archives must appear in.

GoogleTest and Benchmark keep their plain `-l` flags. Bazel does not track
files under /usr: run `bazel clean --expunge` after a library upgrade.

Debian's static archives are not position-independent, so a shared object
(the Python extension) cannot take them. The build setting
`@system_libs//:absl_linkage` (default "static") switches every wrapped
package to its shared library (`-labsl_<name>`, as the `.pc` file says) when
set to "shared"; python/defs.bzl sets it for the extension alone, through a
transition, so everything else stays static.
"""

# Packages whose archives are linked statically; all of Abseil is added too.
_STATIC_PACKAGES = ["re2"]

_VERSION_OPERATORS = ["=", "!=", "<", "<=", ">", ">="]

def _words(text):
    # Bazel 4's Starlark split() needs a separator.
    return [w for w in text.replace("\t", " ").split(" ") if w]

def _pkg_config(ctx, args):
    result = ctx.execute(["pkg-config"] + args)
    if result.return_code != 0:
        fail("pkg-config %s failed: %s" % (" ".join(args), result.stderr))
    return result.stdout.strip()

def _search_path(ctx):
    """The directories pkg-config reads .pc files from, in its order."""
    dirs = []
    for var in [ctx.os.environ.get("PKG_CONFIG_PATH", ""), _pkg_config(ctx, ["--variable=pc_path", "pkg-config"])]:
        dirs.extend([d for d in var.split(":") if d])
    return dirs

def _find_pc(ctx, dirs, package):
    for d in dirs:
        path = ctx.path("%s/%s.pc" % (d, package))
        if path.exists:
            return path
    fail("pkg-config lists %s but no %s.pc is in %s" % (package, package, dirs))

def _expand(value, variables):
    # Substitutes ${name}; the loop is bounded because Starlark has no while.
    for _ in range(100):
        start = value.find("${")
        if start < 0:
            return value
        end = value.find("}", start)
        if end < 0:
            fail("unterminated ${ in %r" % value)
        name = value[start + 2:end]
        value = value[:start] + variables.get(name, "") + value[end + 1:]
    fail("too many nested variables in %r" % value)

def _parse_pc(text):
    """Returns the fields of a .pc file ("Libs", "Requires", ...), expanded."""
    variables = {}
    fields = {}
    for line in text.replace("\\\n", " ").split("\n"):
        line = line.split("#")[0].strip()
        colon = line.find(":")
        equals = line.find("=")
        if equals > 0 and (colon < 0 or equals < colon):
            variables[line[:equals].strip()] = _expand(line[equals + 1:].strip(), variables)
        elif colon > 0:
            fields[line[:colon].strip()] = _expand(line[colon + 1:].strip(), variables)
    return fields

def _package_names(requires):
    """The package names of a Requires: value, without version constraints."""
    names = []
    skip_next = False
    for token in _words(requires.replace(",", " ")):
        if skip_next:
            skip_next = False
        elif token in _VERSION_OPERATORS:
            skip_next = True
        else:
            names.append(token)
    return names

def _linkopts(libs, static_packages, static):
    """A Libs: value with -L dropped and, if `static`, our packages' -l made
    static."""
    out = []
    for flag in _words(libs):
        if flag.startswith("-L"):
            continue
        if static and flag.startswith("-l") and flag[2:] in static_packages:
            flag = "-l:lib%s.a" % flag[2:]
        out.append(flag)
    return out

def _lib_target(name, linkopts, deps = [], shared_linkopts = None):
    if shared_linkopts != None and shared_linkopts != linkopts:
        opts = 'select({":absl_shared": %s, "//conditions:default": %s})' % (repr(shared_linkopts), repr(linkopts))
    else:
        opts = repr(linkopts)
    return """
cc_library(
    name = "{name}",
    linkopts = {linkopts},
    deps = {deps},
)
""".format(name = name, linkopts = opts, deps = repr([":" + d for d in deps]))

_LINKAGE_BZL = """
def _linkage_impl(ctx):
    return []

linkage_setting = rule(
    implementation = _linkage_impl,
    build_setting = config.string(flag = True),
)
"""

_LINKAGE_BUILD = """
load(":linkage.bzl", "linkage_setting")

# "static" (default) or "shared"; see third_party/system_libs.bzl.
linkage_setting(
    name = "absl_linkage",
    build_setting_default = "static",
)

config_setting(
    name = "absl_shared",
    flag_values = {":absl_linkage": "shared"},
)
"""

def _system_libs_impl(ctx):
    components = [
        line.strip()
        for line in _pkg_config(ctx, ["--list-package-names"]).split("\n")
        if line.strip().startswith("absl_")
    ]
    if not components:
        fail("no absl_*.pc found by pkg-config: run ./setup.sh first")
    packages = sorted(components) + _STATIC_PACKAGES
    static_packages = {p: True for p in packages}
    dirs = _search_path(ctx)
    out = ['package(default_visibility = ["//visibility:public"])\n', _LINKAGE_BUILD]
    for package in packages:
        fields = _parse_pc(ctx.read(_find_pc(ctx, dirs, package)))
        deps = []
        for field in ["Requires", "Requires.private"]:
            for dep in _package_names(fields.get(field, "")):
                if dep not in static_packages:
                    fail("%s.pc requires %s, which is not wrapped here" % (package, dep))
                if dep not in deps:
                    deps.append(dep)
        libs = fields.get("Libs", "")
        out.append(_lib_target(
            package,
            _linkopts(libs, static_packages, static = True),
            deps,
            shared_linkopts = _linkopts(libs, static_packages, static = False),
        ))
    out.append(_lib_target("gtest", ["-lgtest", "-lpthread"]))
    out.append(_lib_target("gtest_main", ["-lgtest_main", "-lgtest", "-lpthread"]))
    out.append(_lib_target("gmock", ["-lgmock", "-lgtest", "-lpthread"]))
    out.append(_lib_target("gmock_main", ["-lgmock_main", "-lgmock", "-lgtest", "-lpthread"]))
    out.append(_lib_target("benchmark", ["-lbenchmark", "-lpthread"]))
    out.append(_lib_target("benchmark_main", ["-lbenchmark_main", "-lbenchmark", "-lpthread"]))
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("linkage.bzl", _LINKAGE_BZL)
    ctx.file("BUILD.bazel", "".join(out))

system_libs = repository_rule(
    implementation = _system_libs_impl,
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
