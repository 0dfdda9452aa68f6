"""The C API's shared library, built against shared Abseil.

Debian's static Abseil archives are not position-independent, so, as for the
Python extension (python/defs.bzl), the shared object is linked in a
configuration where @system_libs//:absl_linkage is "shared": a transition on
this rule's one dependency. The rule copies the .so out under its soname's
file name stem (libsafetensors_c.so), beside this package's other outputs.
"""

def _shared_absl_impl(settings, attr):
    return {"@system_libs//:absl_linkage": "shared"}

_shared_absl = transition(
    implementation = _shared_absl_impl,
    inputs = [],
    outputs = ["@system_libs//:absl_linkage"],
)

def _c_shared_library_impl(ctx):
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
        mnemonic = "CopySharedLibrary",
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

c_shared_library = rule(
    implementation = _c_shared_library_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = _shared_absl),
        "out": attr.string(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
