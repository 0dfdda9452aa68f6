"""The external repositories this library's build needs, for any WORKSPACE.

This repository's own WORKSPACE calls safetensors_cpp_dependencies(), and so
does a workspace that depends on it:

    local_repository(name = "safetensors_cpp", path = "...")
    load("@safetensors_cpp//bazel:deps.bzl", "safetensors_cpp_dependencies")
    safetensors_cpp_dependencies()

Nothing is downloaded. Bazel 4.2.3's built-in WORKSPACE suffix asks for
rules_cc, rules_java and remote_coverage_tools; third_party/ holds a tiny
offline stand-in for each, and a repository rule links them in by a label of
this repository, so the macro works from any workspace (a local_repository
path would be resolved against the calling workspace). system_libs wraps
Debian's Abseil, RE2, GoogleTest and Benchmark (third_party/system_libs.bzl).
A repository the calling workspace has already declared is left as it is.
"""

load("//third_party:system_libs.bzl", "system_libs")

def _stand_in_impl(ctx):
    # The stand-in is the directory of the marker file; its entries become
    # the repository's, as symlinks, except the WORKSPACE, written anew.
    source = ctx.path(ctx.attr.marker).dirname
    for entry in source.readdir():
        if entry.basename != "WORKSPACE":
            ctx.symlink(entry, entry.basename)
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)

_stand_in = repository_rule(
    implementation = _stand_in_impl,
    attrs = {
        "marker": attr.label(
            mandatory = True,
            allow_single_file = True,
            doc = "A file at the top of the stand-in's directory.",
        ),
    },
    local = True,
)

def _maybe(repo_rule, name, **kwargs):
    if not native.existing_rule(name):
        repo_rule(name = name, **kwargs)

def safetensors_cpp_dependencies():
    """Declares the repositories the library needs, unless already declared."""
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        _maybe(
            _stand_in,
            name = name,
            marker = Label("//third_party/%s:BUILD" % name),
        )
    _maybe(system_libs, name = "system_libs")
