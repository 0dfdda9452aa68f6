// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The commands that write: extract, shard, merge, convert, create. Each
// copies tensor bytes straight from the input's mapping to the writer,
// streaming (convert through a chunk-sized conversion buffer; create from
// its spec's bytes, or a fill pattern a chunk at a time).

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

#include "safetensors/dtype.h"
#include "safetensors/dump.h"
#include "safetensors/header.h"
#include "safetensors/index.h"
#include "safetensors/internal/cleanup.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/shard_writer.h"
#include "safetensors/status.h"
#include "safetensors/writer.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/create_spec.h"
#include "tools/output.h"
#include "tools/progress.h"
#include "tools/tensor_convert.h"

namespace safetensors {
namespace tool {
namespace {

// Every tensor of `checkpoint` that `filter` keeps (all without one), as
// writer input with its bytes straight from the mapping (little-endian as
// stored).
struct Selection {
  std::vector<TensorRef> refs;
  uint64_t bytes = 0;
};
Selection Select(const std::vector<ShardTensor>& tensors,
                 const NameFilter* filter) {
  Selection s;
  for (const ShardTensor& t : tensors) {
    if (filter != nullptr && !filter->Keeps(t.view.name())) continue;
    s.refs.push_back(
        {t.view.name(), t.view.dtype(), t.view.shape(), t.view.data()});
    s.bytes += t.view.byte_size();
  }
  return s;
}

// Reports a failed write of `out`. The writer's own I/O errors already say
// "cannot write \"<path>\": why"; others (a plan that fails its checks) get
// `what` in front.
int WriteFailed(absl::string_view command, absl::string_view what,
                const absl::Status& status) {
  if (absl::StartsWith(status.message(), "cannot write \"")) {
    Error(command, status.message());
  } else {
    Error(command, absl::StrCat(what, ": ", status.message()));
  }
  return kExitUsage;
}

WriteOptions CopyWriteOptions() {
  WriteOptions o;
  o.data_order = ByteOrder::kLittleEndian;  // bytes copied from a file
  return o;
}

// How long a dead process's temporary must have been left alone before it
// is removed: a writer on another machine sharing the directory (whose
// process ID means nothing here) keeps touching its temporary.
constexpr int kStaleSeconds = 10;

// Before a command writes into `dir`: removes the temporaries of this
// library's writers ('.NAME.tmp-PID-N-N-N', filesystem.cc) that a run killed
// without a chance to clean up (SIGKILL, a crash, power loss) left there,
// saying so on stderr. One is stale when its process is gone and it has not
// changed for kStaleSeconds; a recent one is only reported.
void RemoveStaleTemporaries(absl::string_view command, const std::string& dir) {
  static const LazyRE2 kTemporary = {
      R"(\..+\.tmp-([0-9]+)-[0-9]+-[0-9]+-[0-9]+)"};
  absl::StatusOr<std::vector<std::string>> names = internal::ListNames(dir);
  if (!names.ok()) return;
  const time_t now = time(nullptr);
  for (const std::string& name : *names) {
    long pid = 0;
    if (!RE2::FullMatch(name, *kTemporary, &pid) || pid <= 0 ||
        pid == getpid()) {
      continue;
    }
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    const std::string path = absl::StrCat(dir, "/", name);
    // As the user would write it: no "./" for the current directory.
    const std::string shown = dir == "." ? name : path;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (now - st.st_mtime < kStaleSeconds) {
      Error(command,
            absl::StrCat("note: ", shown, " looks left by process ", pid,
                         ", which is gone; it changed less "
                         "than ",
                         kStaleSeconds, " s ago, so it is kept"));
      continue;
    }
    if (unlink(path.c_str()) == 0) {
      Error(command,
            absl::StrCat("removed ", shown, ": a temporary of process ", pid,
                         ", which ended without removing it"));
    }
  }
}

// The names in `dir` of checkpoint files (*.safetensors, and indexes:
// *.json named like one, e.g. model.safetensors.index.json) other than those
// `layout` with `prefix` writes; sorted. None when `dir` does not exist.
std::vector<std::string> OtherCheckpointFiles(const std::string& dir,
                                              const ShardLayout& layout,
                                              const std::string& prefix) {
  std::vector<std::string> others;
  absl::StatusOr<std::vector<std::string>> names = internal::ListNames(dir);
  if (!names.ok()) return others;
  const std::string index = prefix + ".safetensors.index.json";
  for (const std::string& name : *names) {
    if (name[0] == '.') continue;  // temporaries
    const bool checkpoint = absl::EndsWith(name, ".safetensors") ||
                            absl::EndsWith(name, ".safetensors.index.json");
    if (!checkpoint || name == index) continue;
    if (std::find(layout.shard_names.begin(), layout.shard_names.end(), name) !=
        layout.shard_names.end()) {
      continue;
    }
    struct stat st;
    const std::string path = absl::StrCat(dir, "/", name);
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
    others.push_back(name);
  }
  return others;
}

// Before a command writes OUT (a file, or with `is_directory` a directory):
// an interrupt (SIGINT, SIGTERM, SIGHUP) removes what this run has started
// and not finished, and stale temporaries of earlier runs go.
void PrepareToWrite(absl::string_view command, const std::string& out,
                    bool is_directory) {
  internal::InstallInterruptCleanup();
  RemoveStaleTemporaries(command,
                         is_directory ? out : internal::DirectoryOf(out));
}

// What a writing command reads: IN (a FILE or an INDEX), its tensors (views
// into the checkpoint's mappings) and its metadata.
struct Input {
  explicit Input(Checkpoint c) : checkpoint(std::move(c)) {}
  Checkpoint checkpoint;
  std::vector<ShardTensor> tensors;
  std::optional<MetadataMap> metadata;
};

// Opens args.files[0] into *input. Returns kExitOk, or the exit code of the
// failure, reported on stderr for `command`.
int OpenInput(absl::string_view command, const Args& args,
              std::optional<Input>* input) {
  absl::StatusOr<Checkpoint> in =
      Checkpoint::Open(ResolvePath(args.files[0]), ReadOptionsFromArgs(args));
  if (!in.ok()) return Failed(command, in.status());
  input->emplace(*std::move(in));
  absl::StatusOr<std::vector<ShardTensor>> tensors =
      (*input)->checkpoint.Tensors();
  if (!tensors.ok()) return Failed(command, tensors.status());
  (*input)->tensors = *std::move(tensors);
  absl::StatusOr<std::optional<MetadataMap>> metadata =
      (*input)->checkpoint.Metadata();
  if (!metadata.ok()) return Failed(command, metadata.status());
  (*input)->metadata = *std::move(metadata);
  return kExitOk;
}

// Releases the pages of `chunk`, bytes of one of `in`'s files, from resident
// memory (File::ReleasePages: nothing for the pread backend).
void ReleaseInputPages(const Input& in, absl::Span<const uint8_t> chunk) {
  for (size_t i = 0; i < in.checkpoint.shard_names().size(); ++i) {
    absl::StatusOr<const File*> file = in.checkpoint.Shard(i);
    if (!file.ok()) continue;
    const absl::Span<const uint8_t> bytes = (*file)->bytes();
    if (chunk.data() >= bytes.data() &&
        chunk.data() + chunk.size() <= bytes.data() + bytes.size()) {
      (*file)->ReleasePages(chunk);
      return;
    }
  }
}

}  // namespace

int RunExtract(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("extract", "expects IN and OUT");
  }
  NameFilter filter;
  const std::string bad_pattern = filter.Compile(args);
  if (!bad_pattern.empty()) return UsageError("extract", bad_pattern);
  std::optional<Input> in;
  if (const int failed = OpenInput("extract", args, &in); failed != kExitOk) {
    return failed;
  }
  const std::vector<ShardTensor>* const tensors = &in->tensors;
  std::optional<MetadataMap>* const metadata = &in->metadata;
  if (args.drop_metadata) metadata->reset();
  if (!args.metadata.empty()) {
    if (!metadata->has_value()) metadata->emplace();
    for (const auto& [key, value] : args.metadata) (**metadata)[key] = value;
  }
  const Selection s = Select(*tensors, &filter);
  if (filter.active() && s.refs.empty()) {
    std::vector<absl::string_view> names;
    for (const ShardTensor& t : *tensors) names.push_back(t.view.name());
    Error("extract", filter.NothingKept(names));
    return kExitInvalid;
  }
  PrepareToWrite("extract", ResolvePath(args.files[1]), false);
  ProgressBar bar = ProgressBar::ForStderr("extract", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); },
      [&](absl::Span<const uint8_t> chunk) { ReleaseInputPages(*in, chunk); });
  bar.Finish();
  if (!size.ok()) {
    return WriteFailed("extract",
                       absl::StrCat("cannot write \"", args.files[1], "\""),
                       size.status());
  }
  return PrintAll(absl::StrCat("wrote ", args.files[1], ": ", s.refs.size(),
                               " of ", tensors->size(), " tensors, ", *size,
                               " bytes\n"));
}

int RunShard(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("shard", "expects IN and OUTDIR");
  }
  if (!args.Has("max-size")) {
    return UsageError("shard", "--max-size=SIZE is required");
  }
  std::optional<Input> in;
  if (const int failed = OpenInput("shard", args, &in); failed != kExitOk) {
    return failed;
  }
  const std::vector<ShardTensor>* const tensors = &in->tensors;
  std::optional<MetadataMap>* const metadata = &in->metadata;
  const Selection s = Select(*tensors, nullptr);

  ShardWriteOptions options;
  options.max_shard_size = args.max_size.bytes;
  options.prefix = args.prefix;
  options.order = args.order;
  options.write = CopyWriteOptions();
  absl::StatusOr<ShardLayout> plan = PlanShards(Describe(s.refs), options);
  if (!plan.ok()) {
    return WriteFailed("shard",
                       absl::StrCat("cannot shard \"", args.files[0], "\""),
                       plan.status());
  }
  const std::string dir = ResolvePath(args.files[1]);
  // Checkpoint files the new index will not name: a loader that reads
  // every *.safetensors of the directory would load them too.
  const std::vector<std::string> others =
      OtherCheckpointFiles(dir, *plan, options.prefix);
  if (!others.empty() && !args.force) {
    Error("shard",
          absl::StrCat(args.files[1], " holds ", others.size(),
                       others.size() == 1 ? " file" : " files",
                       " of another checkpoint, which the new index would "
                       "not name (",
                       absl::StrJoin(others, ", "),
                       "); loaders that read every *.safetensors file of a "
                       "directory would load them too. Write into another "
                       "OUTDIR, or give --force to remove them once the new "
                       "index is written"));
    return kExitUsage;
  }
  PrepareToWrite("shard", dir, true);
  // A directory this run creates goes too, if it is interrupted.
  internal::UnfinishedFile created_dir;
  if (mkdir(dir.c_str(), 0777) == 0) {
    created_dir = internal::UnfinishedFile(dir);
  } else if (errno != EEXIST) {
    Error("shard", absl::StrCat("cannot create \"", args.files[1],
                                "\": ", std::strerror(errno)));
    return kExitUsage;
  }
  ProgressBar bar = ProgressBar::ForStderr("shard", s.bytes);
  options.progress = [&](uint64_t done, uint64_t) { bar.Update(done); };
  options.written = [&](absl::Span<const uint8_t> chunk) {
    ReleaseInputPages(*in, chunk);
  };
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(dir, s.refs, *metadata, options);
  bar.Finish();
  if (!layout.ok()) {
    return WriteFailed(
        "shard", absl::StrCat("cannot write into \"", args.files[1], "\""),
        layout.status());
  }
  std::string out = absl::StrCat(
      "wrote ", args.files[1], "/", options.prefix,
      ".safetensors.index.json: ", s.refs.size(),
      s.refs.size() == 1 ? " tensor, " : " tensors, ", layout->total_size,
      " bytes in ", layout->shard_names.size(),
      layout->shard_names.size() == 1 ? " shard" : " shards", ", filled in ",
      args.order == ShardOrder::kWriter    ? "writer order"
      : args.order == ShardOrder::kNatural ? "natural name order"
                                           : "input order",
      "\n");
  for (size_t i = 0; i < layout->shard_names.size(); ++i) {
    uint64_t bytes = 0;
    for (size_t t : layout->shard_tensors[i]) bytes += s.refs[t].data.size();
    absl::StrAppend(
        &out, "  ", layout->shard_names[i], "  ",
        layout->shard_tensors[i].size(),
        layout->shard_tensors[i].size() == 1 ? " tensor, " : " tensors, ",
        bytes, " bytes\n");
  }
  for (const std::string& name : others) {  // only with --force
    const std::string path = absl::StrCat(dir, "/", name);
    if (unlink(path.c_str()) == 0) {
      absl::StrAppend(&out, "removed ", args.files[1], "/", name, "\n");
    } else {
      Error("shard", absl::StrCat("cannot remove \"", args.files[1], "/", name,
                                  "\": ", std::strerror(errno)));
      PrintAll(out);
      return kExitUsage;
    }
  }
  return PrintAll(out);
}

int RunMerge(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("merge", "expects INDEX and OUT");
  }
  std::optional<Input> in;
  if (const int failed = OpenInput("merge", args, &in); failed != kExitOk) {
    return failed;
  }
  const std::vector<ShardTensor>* const tensors = &in->tensors;
  std::optional<MetadataMap>* const metadata = &in->metadata;
  const Selection s = Select(*tensors, nullptr);
  PrepareToWrite("merge", ResolvePath(args.files[1]), false);
  ProgressBar bar = ProgressBar::ForStderr("merge", s.bytes);
  absl::StatusOr<uint64_t> size = WriteFileStreaming(
      ResolvePath(args.files[1]), s.refs, *metadata, CopyWriteOptions(),
      [&](uint64_t done, uint64_t) { bar.Update(done); },
      [&](absl::Span<const uint8_t> chunk) { ReleaseInputPages(*in, chunk); });
  bar.Finish();
  if (!size.ok()) {
    return WriteFailed("merge",
                       absl::StrCat("cannot write \"", args.files[1], "\""),
                       size.status());
  }
  const size_t shards = in->checkpoint.shard_names().size();
  return PrintAll(absl::StrCat(
      "wrote ", args.files[1], ": ", s.refs.size(), " tensors from ", shards,
      shards == 1 ? " shard, " : " shards, ", *size, " bytes\n"));
}

namespace {

// Elements converted at a time: 1 MiB of F32, and buffers of a few MiB
// whatever the tensor's size.
constexpr size_t kConvertChunkElements = size_t{1} << 18;

// The key --record sets.
constexpr char kConvertKey[] = "safetensors.convert";

// "1 tensor", "2 tensors".
std::string Tensors(uint64_t n) {
  return absl::StrCat(n, n == 1 ? " tensor" : " tensors");
}

// "F64 1, F32 2": counts by dtype, widest (highest rank) first.
std::string ByDtype(const std::map<Dtype, uint64_t>& counts) {
  std::vector<std::string> parts;
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    parts.push_back(absl::StrCat(DtypeName(it->first), " ", it->second));
  }
  return absl::StrJoin(parts, ", ");
}

// The first few of `names`, quoted, then how many more.
std::string SomeNames(const std::vector<absl::string_view>& names) {
  constexpr size_t kShown = 5;
  std::vector<std::string> quoted;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    quoted.push_back(internal::json::Quoted(names[i]));
  }
  std::string out = absl::StrJoin(quoted, ", ");
  if (names.size() > kShown) {
    absl::StrAppend(&out, " and ", names.size() - kShown, " more");
  }
  return out;
}

// Streams the bytes of every tensor of `in` in `writer`'s plan: converted by
// a ChunkConverter where `convert[i]` says so (its value changes added to
// changes[i]), copied otherwise; then finishes. The input's pages are
// released behind each chunk, so resident memory stays bounded whatever the
// input's size.
absl::Status ConvertAll(StreamWriter& writer, const Input& in,
                        const std::vector<bool>& convert, Dtype to,
                        std::vector<ValueChanges>* changes, ProgressBar* bar) {
  uint64_t done = 0;
  for (const WritePlan::Entry& e : writer.plan().entries()) {
    const TensorView& view = in.tensors[e.input_index].view;
    const absl::Span<const uint8_t> data = view.data();
    std::optional<ChunkConverter> converter;
    if (convert[e.input_index]) converter.emplace(view.dtype(), to);
    const size_t step =
        converter ? kConvertChunkElements * (DtypeBits(view.dtype()) / 8)
                  : internal::kIoChunkBytes;
    for (size_t at = 0; at < data.size(); at += step) {
      const absl::Span<const uint8_t> part = data.subspan(at, step);
      absl::StatusOr<absl::Span<const uint8_t>> chunk = part;
      if (converter) {
        chunk = converter->Convert(e.name, part, &(*changes)[e.input_index]);
        if (!chunk.ok()) return chunk.status();
      }
      SAFETENSORS_RETURN_IF_ERROR(writer.Append(e.name, *chunk));
      ReleaseInputPages(in, part);
      done += chunk->size();
      bar->Update(done);
    }
  }
  return writer.Finish();
}

}  // namespace

int RunConvert(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("convert", "expects IN and OUT");
  }
  if (!args.Has("to")) {
    return UsageError("convert", "--to=DTYPE is required");
  }
  NameFilter filter;
  const std::string bad_pattern = filter.Compile(args);
  if (!bad_pattern.empty()) return UsageError("convert", bad_pattern);
  std::optional<Input> in;
  if (const int failed = OpenInput("convert", args, &in); failed != kExitOk) {
    return failed;
  }
  const std::vector<ShardTensor>* const tensors = &in->tensors;
  std::optional<MetadataMap>* const metadata = &in->metadata;

  // What becomes of each tensor.
  const Dtype to = args.to;
  std::vector<TensorDesc> descs;
  std::vector<bool> convert;
  std::map<Dtype, uint64_t> converted_from, not_float, not_convertible;
  std::vector<absl::string_view> not_convertible_names;
  uint64_t selected = 0, already = 0;
  for (const ShardTensor& t : *tensors) {
    const Dtype from = t.view.dtype();
    const bool keep = filter.Keeps(t.view.name());
    const ConvertChoice choice =
        keep ? ChooseConversion(from, to, args.allow_integers)
             : ConvertChoice::kAlready;
    selected += keep ? 1 : 0;
    convert.push_back(choice == ConvertChoice::kConvert);
    descs.emplace_back(t.view.name(), convert.back() ? to : from,
                       t.view.shape(), ByteOrder::kLittleEndian);
    if (!keep) continue;
    switch (choice) {
      case ConvertChoice::kConvert:
        ++converted_from[from];
        break;
      case ConvertChoice::kAlready:
        ++already;
        break;
      case ConvertChoice::kInteger:
        ++not_float[from];
        break;
      case ConvertChoice::kNotConvertible:
        ++not_convertible[from];
        not_convertible_names.push_back(t.view.name());
        break;
    }
  }
  if (filter.active() && selected == 0) {
    std::vector<absl::string_view> names;
    for (const ShardTensor& t : *tensors) names.push_back(t.view.name());
    Error("convert", filter.NothingKept(names));
    return kExitInvalid;
  }
  if (args.record && !converted_from.empty()) {
    std::vector<std::string> sources;
    for (auto it = converted_from.rbegin(); it != converted_from.rend(); ++it) {
      sources.emplace_back(DtypeName(it->first));
    }
    const std::string record =
        absl::StrCat(absl::StrJoin(sources, ","), "->", DtypeName(to));
    if (!metadata->has_value()) metadata->emplace();
    std::string& value = (**metadata)[kConvertKey];
    value = value.empty() ? record : absl::StrCat(value, "; ", record);
  }

  const std::string out_path = ResolvePath(args.files[1]);
  const std::string cannot_write =
      absl::StrCat("cannot write \"", args.files[1], "\"");
  PrepareToWrite("convert", out_path, false);
  absl::StatusOr<std::unique_ptr<StreamWriter>> writer =
      StreamWriter::Open(out_path, descs, *metadata, CopyWriteOptions());
  if (!writer.ok())
    return WriteFailed("convert", cannot_write, writer.status());
  const WritePlan& plan = (*writer)->plan();
  ProgressBar bar = ProgressBar::ForStderr(
      "convert", plan.file_size() - plan.prefix().size());
  std::vector<ValueChanges> changes(tensors->size());
  const absl::Status written =
      ConvertAll(**writer, *in, convert, to, &changes, &bar);
  bar.Finish();
  if (!written.ok()) return WriteFailed("convert", cannot_write, written);

  uint64_t converted = 0;
  for (const auto& [dtype, n] : converted_from) converted += n;
  std::string report =
      absl::StrCat("wrote ", args.files[1], ": ", Tensors(tensors->size()),
                   ", ", converted, " converted to ", DtypeName(to));
  if (converted > 0)
    absl::StrAppend(&report, " (", ByDtype(converted_from), ")");
  absl::StrAppend(&report, ", ", plan.file_size(), " bytes\n");
  uint64_t exact = 0, rounded = 0, rounded_values = 0, rounded_of = 0,
           out_of_range = 0;
  std::vector<absl::string_view> out_of_range_names;
  for (size_t i = 0; i < tensors->size(); ++i) {
    if (!convert[i]) continue;
    if (changes[i].total() == 0) {
      ++exact;
      continue;
    }
    ++rounded;
    rounded_values += changes[i].total();
    rounded_of += (*tensors)[i].view.byte_size() /
                  (DtypeBits((*tensors)[i].view.dtype()) / 8);
    if (changes[i].out_of_range > 0) {
      out_of_range += changes[i].out_of_range;
      out_of_range_names.push_back((*tensors)[i].view.name());
    }
  }
  if (exact > 0) absl::StrAppend(&report, "  exact: ", Tensors(exact), "\n");
  if (rounded > 0) {
    absl::StrAppend(&report, "  rounded: ", Tensors(rounded), ", ",
                    rounded_values, " of ", rounded_of, " values\n");
  }
  if (out_of_range > 0) {
    absl::StrAppend(&report, "  out of range, now inf or NaN: ", out_of_range,
                    out_of_range == 1 ? " value in " : " values in ",
                    SomeNames(out_of_range_names), "\n");
  }
  if (already > 0) {
    absl::StrAppend(&report, "  already ", DtypeName(to),
                    ", copied: ", Tensors(already), "\n");
  }
  if (!not_float.empty()) {
    absl::StrAppend(&report,
                    "  not floating-point, copied: ", ByDtype(not_float),
                    " (--allow-integers converts them)\n");
  }
  if (!not_convertible.empty()) {
    absl::StrAppend(&report,
                    "  no float value, copied: ", ByDtype(not_convertible),
                    " (", SomeNames(not_convertible_names), ")\n");
  }
  if (selected < tensors->size()) {
    absl::StrAppend(&report, "  not selected, copied: ",
                    Tensors(tensors->size() - selected), "\n");
  }
  return PrintAll(report);
}

namespace {

// The whole of `path`, or of standard input for "-". Errors: a message.
absl::StatusOr<std::string> ReadSpecText(const std::string& path) {
  const bool stdin_spec = path == "-";
  const int fd =
      stdin_spec ? 0 : open(ResolvePath(path).c_str(), O_RDONLY | O_CLOEXEC);
  const std::string what =
      stdin_spec ? "standard input" : absl::StrCat("\"", path, "\"");
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read ", what, ": ", std::strerror(errno)));
  }
  std::string text;
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      if (!stdin_spec) close(fd);
      return absl::NotFoundError(
          absl::StrCat("cannot read ", what, ": ", std::strerror(error)));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  if (!stdin_spec) close(fd);
  return text;
}

// Read-only zero pages standing in for the bytes of the fill tensors while
// the writer checks the plan against the data lengths (it reads none of
// them): address space, not memory, whatever the tensors' sizes.
class ZeroPages {
 public:
  ZeroPages() = default;
  ZeroPages(const ZeroPages&) = delete;
  ZeroPages& operator=(const ZeroPages&) = delete;
  ~ZeroPages() {
    if (size_ > 0) munmap(data_, size_);
  }
  // At least `size` bytes; false when the system refuses.
  bool Reserve(uint64_t size) {
    if (size == 0) return true;
    void* p = mmap(nullptr, size, PROT_READ,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return false;
    data_ = p;
    size_ = size;
    return true;
  }
  absl::Span<const uint8_t> first(uint64_t n) const {
    return absl::MakeConstSpan(static_cast<const uint8_t*>(data_), n);
  }

 private:
  void* data_ = nullptr;
  uint64_t size_ = 0;
};

// Fill chunks are this size or just over (a whole number of patterns).
constexpr size_t kFillChunkBytes = size_t{1} << 20;

// Streams the bytes of every tensor of `writer`'s plan from `spec`: its
// data_hex bytes, or its fill pattern repeated; then finishes.
absl::Status WriteSpecData(StreamWriter& writer, const CreateSpec& spec,
                           ProgressBar* bar) {
  uint64_t done = 0;
  std::string chunk;
  for (const WritePlan::Entry& e : writer.plan().entries()) {
    const CreateSpec::Tensor& t = spec.tensors[e.input_index];
    if (!t.fill.has_value()) {
      const absl::Span<const uint8_t> data = absl::MakeConstSpan(
          reinterpret_cast<const uint8_t*>(t.data.data()), t.data.size());
      for (size_t at = 0; at < data.size(); at += internal::kIoChunkBytes) {
        const absl::Span<const uint8_t> part =
            data.subspan(at, internal::kIoChunkBytes);
        SAFETENSORS_RETURN_IF_ERROR(writer.Append(e.name, part));
        done += part.size();
        bar->Update(done);
      }
      continue;
    }
    // The tensor's size is a whole number of patterns (RunCreate checked),
    // and so is every chunk.
    chunk.clear();
    while (chunk.size() < kFillChunkBytes) chunk += *t.fill;
    for (uint64_t left = e.end - e.begin; left > 0;) {
      const size_t n =
          static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
      SAFETENSORS_RETURN_IF_ERROR(writer.Append(
          e.name, absl::MakeConstSpan(
                      reinterpret_cast<const uint8_t*>(chunk.data()), n)));
      left -= n;
      done += n;
      bar->Update(done);
    }
  }
  return writer.Finish();
}

}  // namespace

int RunCreate(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("create", "expects SPEC and OUT");
  }
  const std::string& spec_arg = args.files[0];
  const std::string spec_name = spec_arg == "-" ? "standard input" : spec_arg;
  absl::StatusOr<std::string> text = ReadSpecText(spec_arg);
  if (!text.ok()) {
    Error("create", text.status().message());
    return kExitUsage;
  }
  absl::StatusOr<CreateSpec> spec = ParseCreateSpec(*text);
  if (!spec.ok()) {
    Error("create", absl::StrCat(spec_name, ": ", spec.status().message(),
                                 " (safetensors help create describes the "
                                 "spec)"));
    return kExitUsage;
  }

  // The writer's input: each tensor's bytes as given, or, for a fill,
  // zero pages of its size (the plan checks lengths only; the pattern is
  // streamed below). A size the writer refuses gets no bytes: its error
  // comes first for that tensor.
  std::vector<uint64_t> fill_sizes(spec->tensors.size(), 0);
  uint64_t largest_fill = 0;
  for (size_t i = 0; i < spec->tensors.size(); ++i) {
    const CreateSpec::Tensor& t = spec->tensors[i];
    if (!t.fill.has_value()) continue;
    const absl::StatusOr<uint64_t> size = TensorByteSize(t.dtype, t.shape);
    if (!size.ok()) continue;
    if (*size % t.fill->size() != 0) {
      Error("create",
            absl::StrCat(spec_name, ": tensors[", i, "].fill: the tensor's ",
                         *size, " bytes are not a whole number of the ",
                         t.fill->size(), "-byte pattern"));
      return kExitUsage;
    }
    fill_sizes[i] = *size;
    largest_fill = std::max(largest_fill, *size);
  }
  ZeroPages zeros;
  if (!zeros.Reserve(largest_fill)) {
    Error("create", absl::StrCat("cannot reserve ", largest_fill,
                                 " bytes of address space for a fill: ",
                                 std::strerror(errno)));
    return kExitUsage;
  }
  std::vector<TensorRef> refs(spec->tensors.size());
  for (size_t i = 0; i < spec->tensors.size(); ++i) {
    CreateSpec::Tensor& t = spec->tensors[i];
    refs[i].name = std::move(t.name);  // one copy of a name of 100 MB
    refs[i].dtype = t.dtype;
    refs[i].shape = Shape(t.shape);
    refs[i].data = t.fill.has_value()
                       ? zeros.first(fill_sizes[i])
                       : absl::MakeConstSpan(
                             reinterpret_cast<const uint8_t*>(t.data.data()),
                             t.data.size());
  }
  // The bytes are the file's (little-endian), written as given on any host.
  WriteOptions options = CopyWriteOptions();
  options.alignment = spec->alignment;
  absl::StatusOr<WritePlan> plan =
      WritePlan::CreateForData(refs, spec->metadata, options);
  if (!plan.ok()) {
    Error("create", absl::StrCat(spec_name, ": ", plan.status().message()));
    // An error kind is the writer refusing these tensors, which the
    // conformance runner compares; without one (an alignment the writer
    // does not take) the spec is at fault.
    if (!ErrorKindOf(plan.status()).has_value()) return kExitUsage;
    return PrintAll(DumpRejection(plan.status()), kExitInvalid);
  }

  const std::string out_path = ResolvePath(args.files[1]);
  const std::string cannot_write =
      absl::StrCat("cannot write \"", args.files[1], "\"");
  PrepareToWrite("create", out_path, false);
  const uint64_t file_size = plan->file_size();
  const uint64_t data_size = file_size - plan->prefix().size();
  // The writer takes the plan made above: a 100 MB name is quoted once.
  absl::StatusOr<std::unique_ptr<StreamWriter>> writer =
      StreamWriter::Open(out_path, *std::move(plan), options);
  if (!writer.ok()) return WriteFailed("create", cannot_write, writer.status());
  ProgressBar bar = ProgressBar::ForStderr("create", data_size);
  const absl::Status written = WriteSpecData(**writer, *spec, &bar);
  bar.Finish();
  if (!written.ok()) return WriteFailed("create", cannot_write, written);
  return PrintAll(absl::StrCat("wrote ", args.files[1], ": ",
                               Tensors(refs.size()), ", ", file_size,
                               " bytes\n"));
}

}  // namespace tool
}  // namespace safetensors
