// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The commands that read and print: inspect, header, dump, validate, diff.

#include <sys/stat.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

#include "safetensors/diff.h"
#include "safetensors/dump.h"
#include "safetensors/file.h"
#include "safetensors/index.h"
#include "safetensors/inspect.h"
#include "safetensors/internal/filesystem.h"
#include "safetensors/status.h"
#include "tools/args.h"
#include "tools/commands.h"
#include "tools/format.h"
#include "tools/output.h"
#include "tools/progress.h"

namespace safetensors {
namespace tool {

int RunInspect(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("inspect", "expects exactly one FILE or INDEX");
  }
  NameFilter filter;
  const std::string bad_pattern = filter.Compile(args);
  if (!bad_pattern.empty()) return UsageError("inspect", bad_pattern);
  const std::string given = ResolvePath(args.files[0]);
  absl::StatusOr<Checkpoint> c =
      Checkpoint::Open(given, ReadOptionsFromArgs(args));
  if (!c.ok()) return Failed("inspect", c.status());
  std::vector<absl::string_view> names;  // every name, kept or not
  absl::StatusOr<Inspection> inspection =
      Inspect(*c, [&](absl::string_view name) {
        names.push_back(name);
        return filter.Keeps(name);
      });
  if (!inspection.ok()) return Failed("inspect", inspection.status());
  if (filter.active() && inspection->tensors.empty()) {
    Error("inspect", filter.NothingKept(names));
    return kExitInvalid;
  }
  // As given, not as resolved; for a directory, with the file chosen in it.
  inspection->path = args.files[0];
  const absl::string_view dir = internal::WithoutTrailingSlashes(given);
  if (c->path() != given && absl::StartsWith(c->path(), dir)) {
    inspection->path =
        absl::StrCat(internal::WithoutTrailingSlashes(args.files[0]),
                     absl::string_view(c->path()).substr(dir.size()));
  }
  return PrintAll(args.json ? FormatInspectionJson(*inspection)
                            : FormatInspectionTable(*inspection));
}

namespace {

// The file `arg` names for a command that reads one safetensors FILE: the
// path itself, or for a model directory the file it resolves to
// (ResolveModelPath). nullopt, after the error is printed with *exit set,
// when the directory cannot be resolved or holds a sharded checkpoint.
std::optional<std::string> OneFile(absl::string_view command,
                                   const std::string& arg, int* exit) {
  const std::string path = ResolvePath(arg);
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return path;
  absl::StatusOr<std::string> model = ResolveModelPath(path);
  if (!model.ok()) {
    Error(command, model.status().message());
    *exit = kExitUsage;
    return std::nullopt;
  }
  if (IsIndexPath(*model)) {
    *exit =
        UsageError(command, absl::StrCat("reads one safetensors FILE, and ",
                                         arg, " is a sharded checkpoint (",
                                         *model, "): give one of its shards"));
    return std::nullopt;
  }
  return *model;
}

}  // namespace

int RunHeader(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("header", "expects exactly one FILE");
  }
  if (IsIndexPath(args.files[0])) {
    return UsageError("header",
                      "reads a safetensors FILE; an index is JSON already "
                      "(use inspect for what it holds)");
  }
  int exit = 0;
  const std::optional<std::string> path =
      OneFile("header", args.files[0], &exit);
  if (!path.has_value()) return exit;
  absl::StatusOr<std::string> raw =
      ReadRawHeader(*path, ReadOptionsFromArgs(args).read);
  if (!raw.ok()) return Failed("header", raw.status());
  absl::StatusOr<std::string> pretty = PrettyPrintJson(*raw);
  if (!pretty.ok()) {  // InvalidHeader or InvalidHeaderDeserialization
    Error("header", absl::StrCat(args.files[0],
                                 ": the header: ", pretty.status().message()));
    return ExitCodeFor(pretty.status());
  }
  return PrintAll(*pretty);
}

int RunDump(const Args& args) {
  if (args.files.size() != 1) {
    return UsageError("dump", "expects exactly one FILE");
  }
  int exit = 0;
  const std::optional<std::string> path = OneFile("dump", args.files[0], &exit);
  if (!path.has_value()) return exit;
  absl::StatusOr<File> file = File::Open(*path, ReadOptionsFromArgs(args));
  if (!file.ok()) {
    Error("dump", file.status().message());
    // Not ExitCodeFor: an I/O error says nothing about the file, but every
    // other failure (even one without an error kind) is a rejection, which
    // the dump prints.
    if (ErrorKindOf(file.status()) == ErrorKind::kIoError) return kExitUsage;
    return PrintAll(DumpRejection(file.status()), kExitInvalid);
  }
  absl::StatusOr<std::string> dump = DumpChecked(file->parsed());
  if (!dump.ok()) {
    Error("dump", absl::StrCat(args.files[0], ": ", dump.status().message()));
    return kExitUsage;
  }
  return PrintAll(*dump);
}

namespace {

// Warns (on stderr) of each *.safetensors file in the directory of the index
// `c` that the index does not name: the index is valid, but a loader that
// reads every *.safetensors file of the directory would load those too
// (stale shards of an earlier checkpoint, typically).
void WarnOfUnnamedShards(const Checkpoint& c) {
  const std::string dir = internal::DirectoryOf(c.path());
  absl::StatusOr<std::vector<std::string>> names = internal::ListNames(dir);
  if (!names.ok()) return;
  const std::vector<std::string>& named = c.shard_names();
  for (const std::string& name : *names) {
    if (name[0] == '.' || !absl::EndsWith(name, ".safetensors") ||
        std::find(named.begin(), named.end(), name) != named.end()) {
      continue;
    }
    Error(
        "validate",
        absl::StrCat("warning: ", dir, "/", name, " is not named by ", c.path(),
                     "; a loader that reads every *.safetensors file of "
                     "the directory would load it too"));
  }
}

// Warns of an index whose weight_map is empty, or whose metadata.total_size
// is not the sum of its tensors' bytes (0 included), or not a number at
// all. Loaders use total_size to plan memory; none of these makes the
// checkpoint unreadable. An index without total_size gets no warning.
void WarnOfIndexTotals(const Checkpoint& c) {
  if (c.shard_names().empty()) {
    Error("validate",
          absl::StrCat("warning: ", c.path(),
                       " names no tensor (its weight_map is empty)"));
  }
  const auto given = c.index_metadata().find("total_size");
  if (given == c.index_metadata().end()) return;
  // A valid file's tensors cover its data section without gaps or overlaps,
  // so their bytes add up to its length.
  uint64_t sum = 0;
  for (size_t i = 0; i < c.shard_names().size(); ++i) {
    absl::StatusOr<const File*> shard = c.Shard(i);
    if (!shard.ok()) return;  // validate reports it
    sum += (*shard)->parsed().header().data_size();
  }
  const std::optional<uint64_t> total = c.total_size();
  if (!total.has_value()) {
    Error("validate",
          absl::StrCat("warning: ", c.path(), ": metadata.total_size is ",
                       given->second, ", not a byte count; the tensors hold ",
                       sum, " bytes"));
  } else if (*total != sum) {
    Error("validate",
          absl::StrCat("warning: ", c.path(), ": metadata.total_size is ",
                       *total, ", but the tensors hold ", sum, " bytes"));
  }
}

}  // namespace

int RunValidate(const Args& args) {
  if (args.files.empty()) {
    return UsageError("validate", "expects at least one FILE or INDEX");
  }
  int exit_code = kExitOk;
  for (const std::string& path : args.files) {
    absl::Status status;
    const std::string resolved = ResolvePath(path);
    absl::StatusOr<Checkpoint> c =
        Checkpoint::Open(resolved, ReadOptionsFromArgs(args));
    status = c.ok() ? c->Metadata().status() : c.status();  // every shard
    std::string line;
    if (status.ok()) {
      line = absl::StrCat(path, "\tok\n");
      if (IsIndexPath(c->path())) {
        WarnOfUnnamedShards(*c);
        WarnOfIndexTotals(*c);
      }
    } else {
      const std::optional<ErrorKind> kind = ErrorKindOf(status);
      // The line starts with the path: the message need not repeat it.
      absl::string_view message = status.message();
      for (const std::string& p : {resolved, path}) {
        if (absl::ConsumePrefix(&message, absl::StrCat(p, ": "))) break;
      }
      line = absl::StrCat(path, "\t", kind ? ErrorKindName(*kind) : "Unknown",
                          "\t", OneLine(message), "\n");
      exit_code = std::max(exit_code, ExitCodeFor(status));
    }
    if (!Print(line)) return kExitUsage;
  }
  if (!FlushStdout()) return kExitUsage;
  return exit_code;
}

int RunDiff(const Args& args) {
  if (args.files.size() != 2) {
    return UsageError("diff", "expects two FILEs or INDEXes, A and B");
  }
  const OpenOptions options = ReadOptionsFromArgs(args);
  absl::StatusOr<Checkpoint> a =
      Checkpoint::Open(ResolvePath(args.files[0]), options);
  if (!a.ok()) return Failed("diff", a.status());
  absl::StatusOr<Checkpoint> b =
      Checkpoint::Open(ResolvePath(args.files[1]), options);
  if (!b.ok()) return Failed("diff", b.status());
  std::optional<ProgressBar> bar;
  DiffOptions diff_options;
  diff_options.numeric = args.numeric;
  diff_options.atol = args.atol;
  diff_options.rtol = args.rtol;
  diff_options.progress = [&](uint64_t done, uint64_t total) {
    if (!bar) bar.emplace(ProgressBar::ForStderr("diff", total));
    bar->Update(done);
  };
  absl::StatusOr<DiffResult> d = Diff(*a, *b, diff_options);
  if (bar) bar->Finish();
  if (!d.ok()) return Failed("diff", d.status());
  const bool ok = args.numeric ? d->within_tolerance : d->same();
  if (args.json) {
    return PrintAll(
        FormatDiffJson(*d, args.files[0], args.files[1], args.numeric),
        ok ? kExitOk : kExitInvalid);
  }
  const std::string tolerance =
      args.numeric ? absl::StrFormat("atol=%g rtol=%g", args.atol, args.rtol)
                   : "";
  return PrintAll(absl::StrCat("--- ", args.files[0], "\n+++ ", args.files[1],
                               "\n", FormatDiff(*d, tolerance)),
                  ok ? kExitOk : kExitInvalid);
}

}  // namespace tool
}  // namespace safetensors
