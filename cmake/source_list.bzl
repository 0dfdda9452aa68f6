"""Lists the files and system libraries of C++ targets, for build_sync_test.

`source_list(name, deps)` writes `<name>.txt`: one line per source or header
file of this repository in the transitive deps of `deps` ("file PATH"), and
one per `@system_libs` target they depend on directly ("lib NAME"), sorted. Test-only
targets (testonly = True) are left out, as they are not part of the library
or the tool.

`cc_test_sources()` declares, in the package that calls it, the filegroup of
its *_test.cc files (or of the files `patterns` matches: *_test.c for the C
API's tests) that build_sync_test compares with CMake's test list.
"""

SourceListInfo = provider(fields = ["files", "libs"])

def _source_list_aspect_impl(target, ctx):
    files = []
    label = target.label
    if label.workspace_name == "system_libs":
        # A library used directly; what it needs in turn is its own business.
        return [SourceListInfo(files = depset(), libs = depset([label.name]))]
    if label.workspace_name == "" and not getattr(ctx.rule.attr, "testonly", False):
        for attr in ["srcs", "hdrs", "textual_hdrs"]:
            for f in getattr(ctx.rule.files, attr, []):
                if f.is_source and f.owner.workspace_name == "":
                    files.append(f.short_path)
    deps = [d[SourceListInfo] for d in getattr(ctx.rule.attr, "deps", []) if SourceListInfo in d]
    return [SourceListInfo(
        files = depset(files, transitive = [d.files for d in deps]),
        libs = depset(transitive = [d.libs for d in deps]),
    )]

_source_list_aspect = aspect(
    implementation = _source_list_aspect_impl,
    attr_aspects = ["deps"],
)

def _source_list_impl(ctx):
    files = depset(transitive = [d[SourceListInfo].files for d in ctx.attr.deps]).to_list()
    libs = depset(transitive = [d[SourceListInfo].libs for d in ctx.attr.deps]).to_list()
    lines = ["file " + f for f in sorted(files)] + ["lib " + l for l in sorted(libs)]
    out = ctx.actions.declare_file(ctx.label.name + ".txt")
    ctx.actions.write(out, "\n".join(lines) + "\n")
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

source_list = rule(
    implementation = _source_list_impl,
    attrs = {"deps": attr.label_list(aspects = [_source_list_aspect])},
)

def cc_test_sources(name = "cc_test_sources", patterns = ["*_test.cc"]):
    native.filegroup(
        name = name,
        testonly = True,
        srcs = native.glob(patterns),
        visibility = ["//cmake:__pkg__"],
    )
