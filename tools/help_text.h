// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The tool's help text, as printed: for each command a one-line summary
// (for the command list) and its usage (the text of `safetensors help
// COMMAND` before the options, whose help is in args.cc). Raw
// strings, so that the source wraps where the printed text does. Constants
// only.

#ifndef SAFETENSORS_TOOLS_HELP_TEXT_H_
#define SAFETENSORS_TOOLS_HELP_TEXT_H_

namespace safetensors {
namespace tool {

// `safetensors help`, before the list of commands.
inline constexpr char kMainHelpHead[] =
    R"(Usage: safetensors COMMAND [OPTIONS] [ARGS]

Reads, checks, compares and rewrites safetensors files and sharded
checkpoints (model.safetensors.index.json). Commands:
)";

// `safetensors help`, after the list of commands.
inline constexpr char kMainHelpTail[] = R"(
Exit status: 0 success; 1 the input is invalid (or, for diff, the
inputs differ); 2 usage or I/O error.
)";

// The help command's own line in the list, and its help.
inline constexpr char kHelpSummary[] =
    "print this help, or a command's: safetensors help COMMAND";
inline constexpr char kHelpUsage[] = R"(Usage: safetensors help [COMMAND]

Prints the list of commands, or COMMAND's usage and options (as
'safetensors COMMAND --help' does).

Exit status: 0 printed, 2 unknown COMMAND or I/O error.
)";

inline constexpr char kInspectSummary[] =
    "a table of a file's or index's tensors, totals, metadata";
inline constexpr char kInspectUsage[] =
    R"(Usage: safetensors inspect [--json] [--select=REGEX]...
                           [--exclude=REGEX]... FILE|INDEX

Prints a summary of FILE, or of the sharded checkpoint INDEX (a
model.safetensors.index.json; every shard is opened and checked):
one row per tensor (name, dtype, shape, size in bytes, offset in
its file's data section, and the shard), the totals per dtype, and
the metadata. Rows are in file order, shard by shard.

Exit status: 0 printed, 1 the input is invalid or --select/--exclude
keep no tensor, 2 usage or I/O error (a bad REGEX is a usage error).
)";

inline constexpr char kHeaderSummary[] =
    "a file's raw JSON header, pretty-printed";
inline constexpr char kHeaderUsage[] = R"(Usage: safetensors header FILE

Prints the N header bytes of FILE as they are, indented: escapes,
numbers and member order untouched. Only the length rules and the
JSON grammar are checked, so this shows the header of a file that
validate rejects for its offsets or dtypes. A model directory holding
one safetensors file (model.safetensors, or a single *.safetensors)
stands for that file; a sharded one is refused: give one of its shards.

Exit status: 0 printed, 1 the header is not UTF-8 JSON or its length
is invalid, 2 usage or I/O error.
)";

inline constexpr char kDumpSummary[] =
    "print a file's canonical dump (docs/specification.md §15)";
inline constexpr char kDumpUsage[] =
    R"(Usage: safetensors dump [--profile=strict|reference] FILE

Prints the canonical dump of FILE on standard output: one line per
fact, TAB-separated (header_len, data_len, ntensors, metadata, meta
lines, then one tensor line per tensor sorted by name, with its dtype,
shape, data offsets and the FNV-1a 64 of its bytes). A file that is
not valid prints 'reject<TAB>Kind' instead, Kind being the error kind
(e.g. InvalidHeaderDeserialization), with the reason on standard error.
A model directory holding one safetensors file stands for that file; a
sharded one is refused: give one of its shards.

Exit status: 0 dumped, 1 rejected, 2 usage or I/O error.
)";

inline constexpr char kValidateSummary[] =
    "check files or indexes; one line each";
inline constexpr char kValidateUsage[] =
    R"(Usage: safetensors validate [--profile=strict|reference] FILE|INDEX...

Validates each FILE, or each INDEX and every shard it names, and
prints one line for it: 'PATH<TAB>ok', or 'PATH<TAB>Kind<TAB>message'
when it is rejected (Kind is the error kind, e.g. HeaderTooSmall) or
cannot be read (Kind IoError). For a valid INDEX, each *.safetensors
file in its directory that it does not name gets a warning on standard
error (a loader that reads every such file would load it too), and so
do an empty weight_map and a metadata.total_size other than the sum of
the tensors' bytes.

Exit status: 0 all valid, 1 some input invalid, 2 usage or I/O error.
)";

inline constexpr char kDiffSummary[] =
    "compare two files or indexes tensor by tensor";
inline constexpr char kDiffUsage[] =
    R"(Usage: safetensors diff [--numeric] [--atol=X] [--rtol=X] [--json] A B

Compares A and B (each a FILE or an INDEX): tensors only in one
(only_a, only_b), dtype or shape differences, content differences
(the bytes compared exactly; the FNV-1a 64 of each side printed),
and metadata differences (meta), one TAB-separated line each, sorted
by name, then a summary line. With --numeric (or a tolerance), the
values of floating-point tensors that differ are compared too, so
that a dtype round trip or a re-shard can be checked. Memory stays
bounded (about 150 MB) however large the files.

Exit status: 0 the same (with --numeric: every tensor in both, of one
shape, identical or within the tolerance), 1 they differ or an input
is invalid, 2 usage or I/O error.
)";

inline constexpr char kExtractSummary[] =
    "write some tensors of a file or index to a new file";
inline constexpr char kExtractUsage[] =
    R"(Usage: safetensors extract [--select=REGEX]... [--exclude=REGEX]...
                           [--metadata=KEY=VALUE]... [--drop-metadata] IN OUT

Writes the tensors of IN (a FILE or an INDEX) that --select and
--exclude keep (all tensors by default) to OUT, byte for byte as the
reference writer lays them out, streaming from IN. OUT is replaced
atomically; IN and OUT may be the same file. IN's metadata is kept;
--metadata sets one key (repeatable), --drop-metadata starts from
none. Keeping no tensor is an error, and nothing is written.

Exit status: 0 written, 1 IN is invalid or no tensor is kept, 2 usage
error (a bad REGEX) or I/O error.
)";

inline constexpr char kConvertSummary[] =
    "write a file with some tensors in another dtype (F32 to BF16, ...)";
inline constexpr char kConvertUsage[] =
    R"(Usage: safetensors convert --to=DTYPE [--select=REGEX]... [--exclude=REGEX]...
                           [--allow-integers] [--record] IN OUT

Writes the tensors of IN (a FILE or an INDEX) to OUT, those that
--select and --exclude keep (all by default) converted to DTYPE and
the others copied as they are, with IN's metadata. As torch's
model.to(dtype) and Hugging Face's torch_dtype do, only floating-point
tensors convert (F64, F32, BF16, F16, the F8 types); integer and BOOL
tensors (token ids, position ids, masks) are copied unless
--allow-integers. C64, F4 and F6 tensors have no float value to
convert and are copied. Values round to nearest, ties to even, as
docs/conversion.md details; F64, I32 and I64 go through F32 first, as
in torch, except into F64, which is exact (but I64 and U64 above 2^53).
IN is read a chunk at a time, so memory stays small whatever its size;
OUT is replaced atomically, and IN and OUT may be the same file.
Interrupted (Ctrl-C, SIGTERM, SIGHUP), it removes what it wrote.

Prints 'wrote OUT: N tensors, M converted to DTYPE (FROM count, ...),
B bytes', then a line for each outcome that occurred: tensors converted
exactly; tensors with rounded values, and how many; values out of
DTYPE's range, now inf or NaN, and their tensors; tensors copied, and
why.

Exit status: 0 written, 1 IN is invalid or no tensor is kept, 2 usage
error (a bad REGEX or DTYPE) or I/O error.
)";

inline constexpr char kShardSummary[] =
    "split a file (or index) into shards of a maximum size";
inline constexpr char kShardUsage[] =
    R"(Usage: safetensors shard --max-size=SIZE [--prefix=NAME] [--order=ORDER]
                         [--force] IN OUTDIR

Writes the tensors of IN (a FILE or an INDEX) as a sharded checkpoint
into OUTDIR (created if missing): model-00001-of-0000N.safetensors,
each with at most SIZE bytes of tensor data (filled greedily in the
--order given, by default the writer's: dtype rank descending, then
name) and IN's metadata,
then model.safetensors.index.json (NAME instead of model with
--prefix), whose metadata.total_size is the
sum of the tensors' bytes. Each file is replaced atomically; the index
is written last. IN with metadata but no tensors is refused (no shard
would carry the metadata): copy it with extract instead. An OUTDIR
holding other .safetensors files or indexes is refused (loaders that
read every *.safetensors file would load them too) unless --force,
which removes them once the new index is written. Interrupted (Ctrl-C,
SIGTERM, SIGHUP), it removes what it wrote.

Exit status: 0 written, 1 IN is invalid, 2 usage or I/O error (or IN
has metadata and no tensors, or OUTDIR holds another checkpoint).
)";

inline constexpr char kMergeSummary[] =
    "write the tensors of an index's shards into one file";
inline constexpr char kMergeUsage[] = R"(Usage: safetensors merge INDEX OUT

Writes every tensor of the sharded checkpoint INDEX into the single
file OUT (replaced atomically), with the shards' metadata (which must
agree where keys repeat), streaming from the shards.

Exit status: 0 written, 1 INDEX or a shard is invalid, 2 usage or I/O
error.
)";

inline constexpr char kCreateSummary[] =
    "write a file from a JSON description of its tensors and metadata";
inline constexpr char kCreateUsage[] = R"(Usage: safetensors create SPEC OUT

Writes the file that SPEC describes to OUT, byte for byte as the
library's writer lays it out (the reference writer's bytes): for test
files, and the writer adapter of the conformance suite. SPEC is a JSON
file ('-' reads standard input):

  {"tensors": [{"name": "w", "dtype": "F32", "shape": [2],
                "data_hex": "0000803f00000040"},
               {"name": "z", "dtype": "BF16", "shape": [4, 4],
                "fill": {"byte": 0}}],
   "metadata": {"format": "pt"},
   "options": {"alignment": 4096}}

"tensors" (required; [] for none) holds one object per tensor:
  "name"      a string, or {"repeat": "S", "count": N}: S repeated N
              times (at most 10^9 bytes), for a name too long to list
  "dtype"     the header's name: BOOL, U8, F32, BF16, F8_E4M3, ...
  "shape"     an array of unsigned integers; [] for a scalar
and the tensor's bytes as they stand in the file (little-endian, so
written as given on any host), in exactly one of:
  "data_hex"  two hex digits (either case) per byte
  "fill"      {"byte": B} (B from 0 to 255) or {"hex": "PATTERN"} (a
              non-empty pattern whose length divides the tensor's
              size), repeated over the tensor's size and streamed, so
              a fill may be larger than memory
"metadata" (optional; absent or null for none) is an object of
strings; {} writes an empty "__metadata__". "options" (optional) is
{"alignment": N}: the data section starts at a multiple of N, a power
of two from 8 to 65536 (default 8). Any other key, a key given twice,
or a value of another type is an error. The writer orders the
tensors (dtype rank descending, then name) and the metadata keys,
whatever their order in SPEC. OUT is replaced atomically, as extract
and convert replace it; interrupted (Ctrl-C, SIGTERM, SIGHUP), it
removes what it wrote.

Prints 'wrote OUT: N tensors, B bytes'. When the writer refuses the
tensors (a name "__metadata__" or given twice, data of the wrong
length for its dtype and shape, a shape whose size overflows, a
sub-byte tensor that is not whole bytes, a header over 100,000,000
bytes), it prints 'reject<TAB>Kind', Kind being the error kind (e.g.
TensorInvalidInfo), with the reason on standard error, and writes
nothing.

Exit status: 0 written, 1 rejected, 2 usage or I/O error, or SPEC is
not a valid spec (the message says where).
)";

inline constexpr char kVersionSummary[] = "print the tool's version";
inline constexpr char kVersionUsage[] = R"(Usage: safetensors version

Prints 'safetensors VERSION': the version of the library the tool was
built with. 'safetensors --version' does the same.

Exit status: 0 printed, 2 usage or I/O error.
)";

}  // namespace tool
}  // namespace safetensors

#endif  // SAFETENSORS_TOOLS_HELP_TEXT_H_
