// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The commands that write: extract, shard, merge. Each copies tensor bytes
// straight from the input's mapping to the writer, streaming.

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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

#include "safetensors/header.h"
#include "safetensors/index.h"
#include "safetensors/internal/cleanup.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/shard_writer.h"
#include "safetensors/writer.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/output.h"
#include "tools/progress.h"

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
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) names.emplace_back(e->d_name);
  closedir(d);
  const time_t now = time(nullptr);
  for (const std::string& name : names) {
    long pid = 0;
    if (!RE2::FullMatch(name, *kTemporary, &pid) || pid <= 0 ||
        pid == getpid()) {
      continue;
    }
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    const std::string path = absl::StrCat(dir, "/", name);
    struct stat st;
    if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (now - st.st_mtime < kStaleSeconds) {
      Error(command,
            absl::StrCat("note: ", path, " looks left by process ", pid,
                         ", which is gone; it changed less "
                         "than ",
                         kStaleSeconds, " s ago, so it is kept"));
      continue;
    }
    if (unlink(path.c_str()) == 0) {
      Error(command, absl::StrCat("removed ", path, ": a temporary of process ",
                                  pid, ", which ended without removing it"));
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
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return others;
  const std::string index = prefix + ".safetensors.index.json";
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name[0] == '.') continue;  // temporaries, ".", ".."
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
  closedir(d);
  std::sort(others.begin(), others.end());
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
      [&](uint64_t done, uint64_t) { bar.Update(done); });
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
      [&](uint64_t done, uint64_t) { bar.Update(done); });
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

}  // namespace tool
}  // namespace safetensors
