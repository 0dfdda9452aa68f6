"""Shared objects linked against shared Abseil.

Debian's static Abseil archives are not position-independent, so a shared
object (the Python extension, the C API's library) is linked in a
configuration where @system_libs//:absl_linkage is "shared": a transition on
the rule's one dependency, `binary` (a cc_binary with linkshared = 1). Every
other target keeps linking Abseil statically. The rule copies the .so out
under the name `out`, beside its package's other outputs.
"""

def _shared_absl_impl(settings, attr):
    return {"@system_libs//:absl_linkage": "shared"}

_shared_absl = transition(
    implementation = _shared_absl_impl,
    inputs = [],
    outputs = ["@system_libs//:absl_linkage"],
)

def _shared_absl_object_impl(ctx):
    src = ctx.attr.binary[0][DefaultInfo].files.to_list()
    so = [f for f in src if f.basename.endswith(".so")]
    if len(so) != 1:
        fail("expected one .so from %s, got %s" % (ctx.attr.binary, src))
    out = ctx.actions.declare_file(ctx.attr.out)
    ctx.actions.run_shell(
        inputs = so,
        outputs = [out],
        command = 'cp -f "$1" "$2"',
        arguments = [so[0].path, out.path],
        mnemonic = "CopySharedObject",
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

shared_absl_object = rule(
    implementation = _shared_absl_object_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = _shared_absl),
        "out": attr.string(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
