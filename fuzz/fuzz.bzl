# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# fuzz_corpus: a seed corpus directory written at build time by
# make_corpus.py. safetensors_fuzz_test: one fuzz target as a cc_test that
# replays its corpus with any compiler (replay_main.cc), or, with
# --define=fuzzing_engine=libfuzzer (--config=fuzz), links libFuzzer and
# fuzzes for $FUZZ_SECONDS (libfuzzer_test_main.cc), starting from the same
# corpus and the target's regression cases. The corpus: seeds from the
# conformance vectors (or generated, for slice and byteswap), the campaign's
# minimized corpus in corpus/<target>/ and regressions/<target>/.

def _fuzz_corpus_impl(ctx):
    out = ctx.actions.declare_directory(ctx.label.name)
    args = ctx.actions.args()
    args.add(ctx.file._tool.path)
    args.add("--kind=" + ctx.attr.kind)
    args.add("--out=" + out.path)
    args.add_all(ctx.files.srcs)
    ctx.actions.run_shell(
        command = "python3 \"$@\"",
        arguments = [args],
        inputs = ctx.files.srcs + [ctx.file._tool],
        outputs = [out],
        mnemonic = "FuzzCorpus",
        progress_message = "Writing seed corpus %s" % ctx.label,
    )
    return [DefaultInfo(
        files = depset([out]),
        runfiles = ctx.runfiles(files = [out]),
    )]

fuzz_corpus = rule(
    implementation = _fuzz_corpus_impl,
    attrs = {
        "kind": attr.string(mandatory = True),
        "srcs": attr.label_list(allow_files = True),
        "_tool": attr.label(
            default = ":make_corpus.py",
            allow_single_file = True,
        ),
    },
)

def safetensors_fuzz_test(name, kind, deps, vectors = True, dictionary = True, size = "medium", testonly = False, src = None, copts = []):
    """The target `name` from `name`.cc, its corpus and its test.

    Creates :<name>_lib (the target, for other drivers), :<name>_corpus and
    the test :<name>, tagged "fuzz". testonly: for a target that uses the
    library's test-only hooks (e.g. //safetensors/internal:header_for_testing).
    src: the target's source when it is not `name`.cc (a `.c` file is
    compiled as C); copts: its compiler options.
    """
    native.cc_library(
        name = name + "_lib",
        testonly = testonly,
        srcs = [src if src else name + ".cc"],
        copts = copts,
        deps = deps,
        alwayslink = True,
    )
    regressions = native.glob(["regressions/%s/*" % name])
    fuzz_corpus(
        name = name + "_corpus",
        kind = kind,
        srcs = (["//conformance:vectors"] if vectors else []) +
               native.glob(["corpus/%s/*" % name]) + regressions,
    )
    native.cc_test(
        name = name,
        size = size,
        args = (["-dict=$(rootpath :safetensors.dict)"] if dictionary else []) +
               ["$(rootpath :%s_corpus)" % name] +
               ["$(rootpath %s)" % r for r in regressions],
        data = [
            ":safetensors.dict",
            ":%s_corpus" % name,
        ] + regressions,
        # The drivers call LLVMFuzzerTestOneInput: one static binary, not a
        # driver .so with an undefined symbol (which the s390x linker rejects).
        linkstatic = True,
        linkopts = select({
            ":libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        tags = ["fuzz"],
        deps = [":" + name + "_lib"] + select({
            ":libfuzzer": [":libfuzzer_test_main"],
            "//conditions:default": [":replay_main"],
        }),
    )
