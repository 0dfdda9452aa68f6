// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/index.h"

#include <errno.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <deque>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/name_index.h"
#include "safetensors/internal/sniff.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/internal/utf8.h"
#include "safetensors/internal/weight_map_scan.h"
#include "safetensors/status.h"

namespace safetensors {

namespace {

using internal::json::Quoted;

// OpenAll opens shards on two threads from this many shards on.
constexpr size_t kParallelOpenMinShards = 4;

absl::Status IndexError(absl::string_view index_path,
                        absl::string_view message) {
  return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                   absl::StrCat("index ", index_path, ": ", message));
}

// Why `name` may not be used as a shard's file name, or "" when it may: it
// must be relative and stay inside the index's directory.
std::string UnsafeShardName(absl::string_view name) {
  if (name.empty()) return "is empty";
  if (name.find('\0') != absl::string_view::npos) return "contains NUL";
  if (name[0] == '/') return "is an absolute path";
  for (absl::string_view part : absl::StrSplit(name, '/')) {
    if (part == "..") return "has a '..' component";
  }
  return "";
}

// The distinct shard files of `members` sorted by their bytes, and each
// member's position in them. With `check`, nullopt when a file name is
// unsafe (the caller then reads the map on the general path, which reports
// it for the first member that names it).
struct Shards {
  std::vector<absl::string_view> names;  // sorted
  std::vector<uint32_t> of;              // per member
};
std::optional<Shards> AssignShards(
    const std::vector<internal::WeightMapMember>& members, bool check) {
  Shards out;
  std::map<absl::string_view, uint32_t> ids;  // to first-seen order
  std::vector<absl::string_view> seen;
  out.of.resize(members.size());
  absl::string_view last;
  uint32_t last_id = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    const absl::string_view file = members[i].file;
    if (i == 0 || file != last) {
      auto [it, inserted] =
          ids.emplace(file, static_cast<uint32_t>(seen.size()));
      if (inserted) {
        if (check && !UnsafeShardName(file).empty()) return std::nullopt;
        seen.push_back(file);
      }
      last = file;
      last_id = it->second;
    }
    out.of[i] = last_id;
  }
  std::vector<uint32_t> order(seen.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return seen[x] < seen[y]; });
  std::vector<uint32_t> rank(seen.size());
  for (uint32_t r = 0; r < order.size(); ++r) {
    rank[order[r]] = r;
    out.names.push_back(seen[order[r]]);
  }
  for (uint32_t& id : out.of) id = rank[id];
  return out;
}

// The parsed content of an index: names and shard file names are views into
// the index text or into `decoded` (for those that had escapes).
struct ParsedIndex {
  IndexMetadata metadata;
  std::deque<std::string> decoded;
  std::vector<internal::WeightMapMember> weight_map;  // in index order
  // Set when the weight_map took the fast path, which has then assigned the
  // shards and built the name index already.
  std::optional<Shards> shards;
  internal::NameIndex index;
};

// Parses index text with the strict tokenizer: an object with an optional
// "metadata" object and a "weight_map" object of strings; other top-level
// members are skipped; duplicate keys anywhere are errors. The weight_map
// takes the fast path (internal/weight_map_scan.h) when it can; any member
// it cannot read or any rule it breaks sends the whole object to the general
// path, which gives the error.
absl::StatusOr<ParsedIndex> ParseIndexText(absl::string_view text,
                                           absl::string_view index_path) {
  // Rejected, as Python's json.load rejects it (and so Hugging Face's
  // loader), but by name: the file is otherwise often fine.
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) {
    return IndexError(index_path,
                      "the file starts with a UTF-8 byte order mark (EF BB "
                      "BF), which JSON does not allow and Python's json.load "
                      "rejects; save the index as UTF-8 without a BOM");
  }
  const size_t bad_utf8 = internal::ValidateUtf8(text);
  if (bad_utf8 != text.size()) {
    return IndexError(index_path,
                      absl::StrCat("not valid UTF-8 at byte ", bad_utf8));
  }
  internal::json::Tokenizer tokenizer(text,
                                      internal::json::Tokenizer::kMaxDepth);
  internal::json::Token token;
  auto syntax_error = [&]() {
    return IndexError(
        index_path,
        absl::StrCat("invalid JSON at byte ", tokenizer.error_offset(), ": ",
                     internal::json::ErrorName(tokenizer.error())));
  };
  auto next = [&](internal::json::Token* t) { return tokenizer.Next(t); };
  auto decode = [](const internal::json::Token& t) {
    if (!t.has_escapes) return std::string(t.text);
    std::string out;
    internal::json::UnescapeString(t.text, &out);
    return out;
  };

  ParsedIndex parsed;
  // A view of the decoded string token `t` that lives as long as `parsed`.
  auto keep = [&](const internal::json::Token& t) -> absl::string_view {
    if (!t.has_escapes) return t.text;
    std::string& out = parsed.decoded.emplace_back();
    internal::json::UnescapeString(t.text, &out);
    return out;
  };
  const bool fast_path = internal::WeightMapFastPathAllowed();
  // An index that is not JSON at all: say what it is when it is a known
  // format (a web page saved by a failed download, a Git LFS pointer, ...).
  const auto not_json = [&](const absl::Status& status) {
    const absl::Span<const uint8_t> first(
        reinterpret_cast<const uint8_t*>(text.data()),
        std::min(text.size(), internal::kSniffBytes));
    if (internal::SniffForeignFormat(first, text.size()) ==
        internal::ForeignFormat::kJson) {
      return status;  // JSON, just not an index's
    }
    return internal::WithForeignFileDiagnosis(status, first, text.size());
  };
  if (!next(&token)) return not_json(syntax_error());
  if (token.type != internal::json::TokenType::kBeginObject) {
    return not_json(
        IndexError(index_path, "the top level is not a JSON object"));
  }
  std::set<std::string, std::less<>> top_keys;
  bool have_weight_map = false;
  while (true) {
    if (!next(&token)) return syntax_error();
    if (token.type == internal::json::TokenType::kEndObject) break;
    const std::string key = decode(token);
    const size_t key_offset = token.offset;
    if (!top_keys.insert(key).second) {
      return IndexError(index_path, absl::StrCat("duplicate key ", Quoted(key),
                                                 " at byte ", key_offset));
    }
    size_t fast_end = 0;
    // The rules the scan does not apply are checked at once, before any
    // error past the map: safe shard names, no repeated tensor. When one is
    // broken (or the scan gives up), the general path reads the map and
    // reports it.
    if (key == "weight_map" && fast_path &&
        internal::ScanWeightMap(text, tokenizer.position(), &parsed.weight_map,
                                &fast_end) &&
        (parsed.shards = AssignShards(parsed.weight_map, /*check=*/true))
            .has_value() &&
        parsed.index.Build(
            parsed.weight_map.size(),
            [&](size_t i) { return parsed.weight_map[i].name; },
            [](uint32_t, uint32_t) {}) == 0 &&
        tokenizer.SkipValidatedValue(fast_end, 1)) {
      have_weight_map = true;
      continue;
    }
    if (key == "weight_map") {  // read on the general path
      parsed.shards.reset();
      parsed.weight_map.clear();
    }
    if (!next(&token)) return syntax_error();
    if (key == "metadata" && token.type == internal::json::TokenType::kNull) {
      continue;  // as no metadata: Hugging Face's loader ignores the field
    }
    if (key == "metadata" || key == "weight_map") {
      if (token.type != internal::json::TokenType::kBeginObject) {
        return IndexError(index_path,
                          absl::StrCat("\"", key, "\" is not an object (byte ",
                                       token.offset, ")"));
      }
      const bool is_map = key == "weight_map";
      have_weight_map |= is_map;
      std::set<std::string, std::less<>> keys;
      while (true) {
        if (!next(&token)) return syntax_error();
        if (token.type == internal::json::TokenType::kEndObject) break;
        std::string member = decode(token);
        const size_t member_offset = token.offset;
        if (!keys.insert(member).second) {
          return IndexError(
              index_path,
              absl::StrCat("duplicate key ", Quoted(member), " in \"", key,
                           "\" at byte ", member_offset));
        }
        const internal::json::Token key_token = token;
        internal::json::Token value;
        if (!next(&value)) return syntax_error();
        if (is_map) {
          if (value.type != internal::json::TokenType::kString) {
            return IndexError(
                index_path,
                absl::StrCat("the weight_map value of tensor ", Quoted(member),
                             " is not a string (byte ", value.offset, ")"));
          }
          const absl::string_view file = keep(value);
          const std::string why = UnsafeShardName(file);
          if (!why.empty()) {
            return IndexError(
                index_path,
                absl::StrCat("the shard file name ", Quoted(file),
                             " of tensor ", Quoted(member), " ", why,
                             "; shard names must be relative paths inside "
                             "the index's directory"));
          }
          parsed.weight_map.push_back({keep(key_token), file});
        } else {
          if (!tokenizer.SkipValue(value)) return syntax_error();
          parsed.metadata.emplace(
              std::move(member),
              std::string(text.substr(value.offset,
                                      tokenizer.position() - value.offset)));
        }
      }
    } else if (!tokenizer.SkipValue(token)) {
      return syntax_error();
    }
  }
  if (!next(&token)) return syntax_error();  // only whitespace may follow
  if (!have_weight_map) {
    return IndexError(index_path, "no \"weight_map\" object");
  }
  return parsed;
}

}  // namespace

bool IsIndexPath(absl::string_view path) {
  return absl::EndsWith(path, ".json");
}

struct Checkpoint::Lazy {
  explicit Lazy(size_t n)
      : once(std::make_unique<std::once_flag[]>(n)), files(n), errors(n) {}
  // Each shard is opened once, under its own flag, so that shards first
  // touched by different threads open in parallel; files[i] and errors[i]
  // are written only inside their flag's call_once.
  std::unique_ptr<std::once_flag[]> once;
  std::vector<std::unique_ptr<File>> files;  // null until opened
  std::vector<absl::Status> errors;          // of a failed open
};

struct Checkpoint::Names {
  std::string text;                      // the index text the views point into
  std::deque<std::string> decoded;       // names that had escapes
  std::vector<absl::string_view> names;  // in index order
  std::vector<uint32_t> shards;          // each name's shard
  std::vector<size_t> per_shard;         // how many names each shard has
  internal::NameIndex index;             // name -> position in names
  // weight_map(), built on first use.
  std::once_flag map_once;
  std::map<std::string, size_t, std::less<>> map;
};

Checkpoint::Checkpoint() : names_(std::make_unique<Names>()) {}
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;
Checkpoint::~Checkpoint() = default;

absl::StatusOr<Checkpoint> Checkpoint::ParseIndex(absl::string_view text,
                                                  const std::string& index_path,
                                                  const OpenOptions& options) {
  return FromIndexText(std::string(text), index_path, options);
}

absl::StatusOr<Checkpoint> Checkpoint::FromIndexText(
    std::string text, const std::string& index_path,
    const OpenOptions& options) {
  Checkpoint c;
  Names& names = *c.names_;
  names.text = std::move(text);  // a heap object: views into it stay valid
  SAFETENSORS_ASSIGN_OR_RETURN(ParsedIndex parsed,
                               ParseIndexText(names.text, index_path));
  if (!parsed.shards.has_value()) {  // the general path read the map
    parsed.shards = AssignShards(parsed.weight_map, /*check=*/false);
    parsed.index.Build(
        parsed.weight_map.size(),
        [&](size_t i) { return parsed.weight_map[i].name; },
        [](uint32_t, uint32_t) {});
  }
  std::optional<Shards>& shards = parsed.shards;
  names.index = std::move(parsed.index);
  c.path_ = index_path;
  c.directory_ = internal::DirectoryOf(index_path);
  c.is_index_ = true;
  c.options_ = options;
  c.index_metadata_ = std::move(parsed.metadata);
  names.decoded = std::move(parsed.decoded);
  c.shard_names_.reserve(shards->names.size());
  for (absl::string_view file : shards->names)
    c.shard_names_.emplace_back(file);
  names.names.reserve(parsed.weight_map.size());
  for (const internal::WeightMapMember& m : parsed.weight_map) {
    names.names.push_back(m.name);
  }
  names.shards = std::move(shards->of);
  const size_t n = c.shard_names_.size();
  names.per_shard.assign(n, 0);
  for (uint32_t s : names.shards) ++names.per_shard[s];
  c.lazy_ = std::make_unique<Lazy>(n);
  return c;
}

absl::StatusOr<Checkpoint> Checkpoint::OpenIndex(const std::string& index_path,
                                                 const OpenOptions& options) {
  absl::StatusOr<std::string> text = ReadSmallFile(index_path, kMaxIndexSize);
  if (ErrorKindOf(text.status()) == ErrorKind::kHeaderTooLarge) {
    return WithPrefix(text.status(), "index ");
  }
  if (!text.ok()) return text.status();
  return FromIndexText(*std::move(text), index_path, options);
}

absl::StatusOr<Checkpoint> Checkpoint::OpenFile(const std::string& path,
                                                const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(File file, File::Open(path, options));
  Checkpoint c;
  c.path_ = path;
  c.directory_ = internal::DirectoryOf(path);
  c.is_index_ = false;
  c.options_ = options;
  c.shard_names_ = {internal::BaseName(path)};
  // Lookups go to the file's own name index (ShardOf).
  c.lazy_ = std::make_unique<Lazy>(1);
  std::call_once(c.lazy_->once[0], [&] {
    c.lazy_->files[0] = std::make_unique<File>(std::move(file));
  });
  return c;
}

namespace {

// What stat() says of `path` (following links): 0 a regular file, 1 a
// directory, -1 neither or missing (errno set).
int Kind(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return -1;
  if (S_ISREG(st.st_mode)) return 0;
  if (S_ISDIR(st.st_mode)) return 1;
  errno = EINVAL;
  return -1;
}

// At most 20 names, quoted, for a message.
std::string NameList(const std::vector<std::string>& names) {
  std::vector<std::string> shown;
  for (size_t i = 0; i < names.size() && i < 20; ++i) {
    shown.push_back(Quoted(names[i]));
  }
  std::string out = absl::StrJoin(shown, ", ");
  if (names.size() > shown.size()) {
    absl::StrAppend(&out, " and ", names.size() - shown.size(), " more");
  }
  return out.empty() ? "nothing" : out;
}

// The regular files (links followed) of `names` in `dir` ending in `suffix`.
std::vector<std::string> FilesEndingIn(const std::string& dir,
                                       const std::vector<std::string>& names,
                                       absl::string_view suffix) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (absl::EndsWith(n, suffix) && Kind(absl::StrCat(dir, "/", n)) == 0) {
      out.push_back(n);
    }
  }
  return out;
}

// A Hugging Face cache entry: the snapshot directory to read, or nullopt
// when `dir` is not one.
absl::StatusOr<std::optional<std::string>> CacheSnapshot(
    const std::string& dir) {
  const std::string snapshots = dir + "/snapshots";
  if (Kind(snapshots) != 1) return std::optional<std::string>();
  absl::StatusOr<std::string> ref = ReadSmallFile(dir + "/refs/main", 4096);
  if (ref.ok()) {
    const std::string commit(absl::StripAsciiWhitespace(*ref));
    const std::string chosen = absl::StrCat(snapshots, "/", commit);
    if (!commit.empty() && commit.find('/') == std::string::npos &&
        Kind(chosen) == 1) {
      return std::optional<std::string>(chosen);
    }
  }
  SAFETENSORS_ASSIGN_OR_RETURN(std::vector<std::string> all,
                               internal::ListNames(snapshots));
  if (all.size() == 1) {
    return std::optional<std::string>(absl::StrCat(snapshots, "/", all[0]));
  }
  return MakeError(
      ErrorKind::kIoError,
      all.empty() ? absl::StatusCode::kNotFound
                  : absl::StatusCode::kFailedPrecondition,
      absl::StrCat(dir, ": a Hugging Face cache entry without refs/main, and ",
                   all.size(), " snapshots (", NameList(all),
                   "): give the snapshot directory to open"));
}

}  // namespace

absl::StatusOr<std::string> ResolveModelPath(const std::string& path) {
  const int kind = Kind(path);
  if (kind == -1 && errno == ENOENT) return IoErrorFromErrno(ENOENT, path);
  if (kind != 1) return path;  // a file, or something Open will explain
  std::string dir(internal::WithoutTrailingSlashes(path));
  SAFETENSORS_ASSIGN_OR_RETURN(std::optional<std::string> snapshot,
                               CacheSnapshot(dir));
  if (snapshot.has_value()) dir = *snapshot;
  const std::string index = absl::StrCat(dir, "/", kIndexFileName);
  if (Kind(index) == 0) return index;
  const std::string single = dir + "/model.safetensors";
  if (Kind(single) == 0) return single;
  SAFETENSORS_ASSIGN_OR_RETURN(const std::vector<std::string> names,
                               internal::ListNames(dir));
  for (absl::string_view suffix : {".safetensors.index.json", ".safetensors"}) {
    const std::vector<std::string> found = FilesEndingIn(dir, names, suffix);
    if (found.size() == 1) return absl::StrCat(dir, "/", found[0]);
    if (found.size() > 1) {
      return MakeError(ErrorKind::kIoError,
                       absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(dir, ": no ", kIndexFileName,
                                    " or model.safetensors, and ", found.size(),
                                    " *", suffix, " files (", NameList(found),
                                    "): give the path of the one to open"));
    }
  }
  return MakeError(ErrorKind::kIoError, absl::StatusCode::kNotFound,
                   absl::StrCat(dir, ": no safetensors model here (looked for ",
                                kIndexFileName,
                                ", model.safetensors, *.safetensors); the "
                                "directory holds ",
                                NameList(names)));
}

absl::StatusOr<Checkpoint> Checkpoint::Open(const std::string& path,
                                            const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(const std::string resolved,
                               ResolveModelPath(path));
  return IsIndexPath(resolved) ? OpenIndex(resolved, options)
                               : OpenFile(resolved, options);
}

std::string Checkpoint::ShardPath(size_t shard) const {
  assert(shard < shard_names_.size());
  if (!is_index_) return path_;
  return absl::StrCat(directory_, "/", shard_names_[shard]);
}

std::optional<uint64_t> Checkpoint::total_size() const {
  auto it = index_metadata_.find("total_size");
  uint64_t value = 0;
  if (it == index_metadata_.end() ||
      !internal::json::ParseUint64(it->second, &value)) {
    return std::nullopt;
  }
  return value;
}

size_t Checkpoint::size() const {
  if (!is_index_) return lazy_->files[0]->parsed().size();
  return names_->names.size();
}

int64_t Checkpoint::ShardOf(absl::string_view name) const {
  if (!is_index_) {
    // Set by OpenFile and never changed: no lock needed.
    return lazy_->files[0]->parsed().Contains(name) ? 0 : -1;
  }
  const Names& n = *names_;
  const int64_t i = n.index.Find(name, [&n](uint32_t i) { return n.names[i]; });
  return i < 0 ? int64_t{-1} : static_cast<int64_t>(n.shards[i]);
}

bool Checkpoint::Contains(absl::string_view name) const {
  return ShardOf(name) >= 0;
}

const std::map<std::string, size_t, std::less<>>& Checkpoint::weight_map()
    const {
  Names& n = *names_;
  std::call_once(n.map_once, [this, &n] {
    if (!is_index_) {
      for (const TensorInfo& t : lazy_->files[0]->parsed().header().tensors()) {
        n.map.emplace(std::string(t.name), 0);
      }
      return;
    }
    for (size_t i = 0; i < n.names.size(); ++i) {
      n.map.emplace(std::string(n.names[i]), n.shards[i]);
    }
  });
  return n.map;
}

// Every tensor of the shard is one the index maps to it, and the shard holds
// as many tensors as the index maps to it (its names are distinct), so the
// two sets are equal. Otherwise ShardMismatch finds the error.
absl::Status Checkpoint::CheckShard(size_t shard, const Header& header) const {
  const absl::Span<const TensorInfo> tensors = header.tensors();
  bool ok = tensors.size() == names_->per_shard[shard];
  for (size_t i = 0; ok && i < tensors.size(); ++i) {
    ok = ShardOf(tensors[i].name) == static_cast<int64_t>(shard);
  }
  return ok ? absl::OkStatus() : ShardMismatch(shard, header);
}

// The first disagreement between a shard and the index: a tensor the index
// maps to the shard that it lacks (the first by its bytes), else the first
// tensor of the shard (in offset order) that the index does not map to it.
absl::Status Checkpoint::ShardMismatch(size_t shard,
                                       const Header& header) const {
  const std::string& name = shard_names_[shard];
  std::vector<absl::string_view> mapped;
  for (size_t i = 0; i < names_->names.size(); ++i) {
    if (names_->shards[i] == shard) mapped.push_back(names_->names[i]);
  }
  std::sort(mapped.begin(), mapped.end());
  for (absl::string_view tensor : mapped) {
    if (header.Find(tensor) == nullptr) {
      return MakeError(
          ErrorKind::kTensorNotFound,
          absl::StrCat("index ", path_, ": shard ", name, " has no tensor ",
                       Quoted(tensor), ", which the index maps to it"));
    }
  }
  for (const TensorInfo& info : header.tensors()) {
    const absl::string_view tensor = info.name;
    const int64_t mapped_to = ShardOf(tensor);
    if (mapped_to < 0) {
      return IndexError(
          path_, absl::StrCat("shard ", name, " holds tensor ", Quoted(tensor),
                              ", which the index does not list"));
    }
    if (static_cast<size_t>(mapped_to) != shard) {
      return IndexError(
          path_, absl::StrCat("tensor ", Quoted(tensor), " is in shard ", name,
                              " but the index maps it to shard ",
                              shard_names_[mapped_to],
                              "; a tensor may be in one shard only"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const File*> Checkpoint::Shard(size_t shard) const {
  assert(shard < shard_names_.size());
  std::call_once(lazy_->once[shard], [this, shard] {
    absl::StatusOr<File> file = File::Open(ShardPath(shard), options_);
    absl::Status status = file.status();
    if (!status.ok()) {
      status = WithPrefix(status, absl::StrCat("index ", path_, ": shard ",
                                               shard_names_[shard], ": "));
    } else {
      status = CheckShard(shard, file->parsed().header());
    }
    if (status.ok()) {
      lazy_->files[shard] = std::make_unique<File>(*std::move(file));
    } else {
      lazy_->errors[shard] = status;
    }
  });
  if (lazy_->files[shard] == nullptr) return lazy_->errors[shard];
  return lazy_->files[shard].get();
}

absl::StatusOr<TensorView> Checkpoint::Tensor(absl::string_view name) const {
  const int64_t shard = ShardOf(name);
  if (shard < 0) {
    return MakeError(ErrorKind::kTensorNotFound,
                     absl::StrCat(is_index_ ? "index " : "", path_,
                                  ": no tensor named ", Quoted(name)));
  }
  SAFETENSORS_ASSIGN_OR_RETURN(const File* file, Shard(shard));
  return file->parsed().Tensor(name);
}

absl::StatusOr<LazyFile> Checkpoint::OpenShardLazily(size_t shard) const {
  assert(shard < shard_names_.size());
  absl::StatusOr<LazyFile> file =
      LazyFile::Open(ShardPath(shard), options_.read);
  if (!is_index_) return file;
  if (!file.ok()) {
    return WithPrefix(file.status(), absl::StrCat("index ", path_, ": shard ",
                                                  shard_names_[shard], ": "));
  }
  SAFETENSORS_RETURN_IF_ERROR(CheckShard(shard, file->header()));
  return file;
}

absl::Status Checkpoint::OpenAll() const {
  const size_t n = shard_names_.size();
  if (n >= kParallelOpenMinShards) {
    // Two workers take shards in index order; after a failure neither takes
    // another. Every shard before the first failing one has then been taken
    // and finished, so the loop below returns the error the serial loop
    // would (the first failing shard in index order); shards are cached
    // either way.
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    auto work = [&] {
      while (!failed.load(std::memory_order_relaxed)) {
        const size_t i = next.fetch_add(1);
        if (i >= n) return;
        if (!Shard(i).ok()) failed.store(true, std::memory_order_relaxed);
      }
    };
    std::optional<std::thread> helper;
    try {
      helper.emplace(work);
    } catch (const std::system_error&) {
      // No thread to be had: the loop below opens every shard.
    }
    work();
    if (helper.has_value()) helper->join();
  }
  for (size_t i = 0; i < n; ++i) {
    SAFETENSORS_RETURN_IF_ERROR(Shard(i).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ShardTensor>> Checkpoint::Tensors() const {
  SAFETENSORS_RETURN_IF_ERROR(OpenAll());
  std::vector<ShardTensor> out;
  out.reserve(size());
  for (size_t i = 0; i < shard_names_.size(); ++i) {
    const SafeTensors& file = lazy_->files[i]->parsed();
    for (size_t j = 0; j < file.size(); ++j) out.push_back({i, file.at(j)});
  }
  return out;
}

absl::StatusOr<std::optional<MetadataMap>> Checkpoint::Metadata() const {
  SAFETENSORS_RETURN_IF_ERROR(OpenAll());
  std::optional<MetadataMap> out;
  std::map<std::string, size_t, std::less<>> from;  // key -> first shard
  for (size_t i = 0; i < shard_names_.size(); ++i) {
    const std::optional<MetadataMap>& m = lazy_->files[i]->parsed().metadata();
    if (!m.has_value()) continue;
    if (!out.has_value()) out.emplace();
    for (const auto& [key, value] : *m) {
      auto [it, inserted] = out->emplace(key, value);
      if (inserted) {
        from.emplace(key, i);
      } else if (it->second != value) {
        return IndexError(
            path_, absl::StrCat("metadata key ", Quoted(key), " is ",
                                Quoted(it->second), " in shard ",
                                shard_names_[from[key]], " but ", Quoted(value),
                                " in shard ", shard_names_[i]));
      }
    }
  }
  return out;
}

}  // namespace safetensors
