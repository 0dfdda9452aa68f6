// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

#include "safetensors/internal/filesystem.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/status_macros.h"
#include "safetensors/internal/utf8.h"
#include "safetensors/status.h"

namespace safetensors {

namespace {

// Bytes of tensor data moved per StreamWriter::Append call.
constexpr size_t kChunk = size_t{64} << 20;

using internal::json::Quoted;

// `status` with `prefix` before its message; code and payloads (the kind)
// kept.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  absl::Status out(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload([&out](absl::string_view url, const absl::Cord& value) {
    out.SetPayload(url, value);
  });
  return out;
}

absl::Status IndexError(absl::string_view index_path,
                        absl::string_view message) {
  return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                   absl::StrCat("index ", index_path, ": ", message));
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
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

// Reads a whole small file. IoError, or HeaderTooLarge over `limit`.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          uint64_t limit) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoErrorFromErrno(errno, path);
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return IoErrorFromErrno(errno, absl::StrCat(path, ": fstat"));
  }
  if (S_ISDIR(st.st_mode)) return IoErrorFromErrno(EISDIR, path);
  std::string out;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoErrorFromErrno(errno, absl::StrCat(path, ": read"));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) {
      return MakeError(
          ErrorKind::kHeaderTooLarge,
          absl::StrCat("index ", path, ": larger than ", limit, " bytes"));
    }
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// The parsed content of an index.
struct ParsedIndex {
  IndexMetadata metadata;
  std::vector<std::pair<std::string, std::string>> weight_map;  // name, file
};

// Parses index text with the strict tokenizer: an object with an optional
// "metadata" object and a "weight_map" object of strings; other top-level
// members are skipped; duplicate keys anywhere are errors.
absl::StatusOr<ParsedIndex> ParseIndexText(absl::string_view text,
                                           absl::string_view index_path) {
  const size_t bad_utf8 = internal::ValidateUtf8(text);
  if (bad_utf8 != text.size()) {
    return IndexError(index_path,
                      absl::StrCat("not valid UTF-8 at byte ", bad_utf8));
  }
  internal::json::Tokenizer tokenizer(text,
                                      internal::json::Tokenizer::kMaxDepth);
  internal::json::Token token;
  auto syntax_error = [&]() {
    return IndexError(index_path,
                      absl::StrCat(internal::json::ErrorName(tokenizer.error()),
                                   " at byte ", tokenizer.error_offset()));
  };
  auto next = [&](internal::json::Token* t) { return tokenizer.Next(t); };
  auto decode = [](const internal::json::Token& t) {
    if (!t.has_escapes) return std::string(t.text);
    std::string out;
    internal::json::UnescapeString(t.text, &out);
    return out;
  };

  ParsedIndex parsed;
  if (!next(&token)) return syntax_error();
  if (token.type != internal::json::TokenType::kBeginObject) {
    return IndexError(index_path, "the top level is not a JSON object");
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
    if (!next(&token)) return syntax_error();
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
        internal::json::Token value;
        if (!next(&value)) return syntax_error();
        if (is_map) {
          if (value.type != internal::json::TokenType::kString) {
            return IndexError(
                index_path,
                absl::StrCat("the weight_map value of tensor ", Quoted(member),
                             " is not a string (byte ", value.offset, ")"));
          }
          std::string file = decode(value);
          const std::string why = UnsafeShardName(file);
          if (!why.empty()) {
            return IndexError(
                index_path,
                absl::StrCat("the shard file name ", Quoted(file),
                             " of tensor ", Quoted(member), " ", why,
                             "; shard names must be relative paths inside "
                             "the index's directory"));
          }
          parsed.weight_map.emplace_back(std::move(member), std::move(file));
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
  std::mutex mu;
  std::vector<std::unique_ptr<File>> files;  // null until opened
  std::vector<absl::Status> errors;          // of a failed open
  std::vector<bool> tried;
  // The tensors the index maps to each shard (views of shard_of_'s keys).
  std::vector<std::vector<absl::string_view>> mapped;
};

Checkpoint::Checkpoint() : lazy_(std::make_unique<Lazy>()) {}
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;
Checkpoint::~Checkpoint() = default;

absl::StatusOr<Checkpoint> Checkpoint::ParseIndex(absl::string_view text,
                                                  const std::string& index_path,
                                                  const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(ParsedIndex parsed,
                               ParseIndexText(text, index_path));
  Checkpoint c;
  c.path_ = index_path;
  c.directory_ = internal::DirectoryOf(index_path);
  c.is_index_ = true;
  c.options_ = options;
  c.index_metadata_ = std::move(parsed.metadata);
  std::set<std::string> files;
  for (const auto& [name, file] : parsed.weight_map) files.insert(file);
  c.shard_names_.assign(files.begin(), files.end());
  for (auto& [name, file] : parsed.weight_map) {
    const size_t shard =
        std::lower_bound(c.shard_names_.begin(), c.shard_names_.end(), file) -
        c.shard_names_.begin();
    c.shard_of_.emplace(std::move(name), shard);
  }
  const size_t n = c.shard_names_.size();
  c.lazy_->files.resize(n);
  c.lazy_->errors.resize(n);
  c.lazy_->tried.assign(n, false);
  c.lazy_->mapped.resize(n);
  for (const auto& [name, shard] : c.shard_of_) {
    c.lazy_->mapped[shard].push_back(name);
  }
  return c;
}

absl::StatusOr<Checkpoint> Checkpoint::OpenIndex(const std::string& index_path,
                                                 const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(std::string text,
                               ReadSmallFile(index_path, kMaxIndexSize));
  return ParseIndex(text, index_path, options);
}

absl::StatusOr<Checkpoint> Checkpoint::OpenFile(const std::string& path,
                                                const OpenOptions& options) {
  SAFETENSORS_ASSIGN_OR_RETURN(File file, File::Open(path, options));
  Checkpoint c;
  c.path_ = path;
  c.directory_ = internal::DirectoryOf(path);
  c.is_index_ = false;
  c.options_ = options;
  c.shard_names_ = {BaseName(path)};
  c.lazy_->mapped.resize(1);
  for (const TensorView& t : file.parsed().Tensors()) {
    auto it = c.shard_of_.emplace(std::string(t.name()), 0).first;
    c.lazy_->mapped[0].push_back(it->first);
  }
  c.lazy_->files.push_back(std::make_unique<File>(std::move(file)));
  c.lazy_->errors.resize(1);
  c.lazy_->tried.assign(1, true);
  return c;
}

absl::StatusOr<Checkpoint> Checkpoint::Open(const std::string& path,
                                            const OpenOptions& options) {
  return IsIndexPath(path) ? OpenIndex(path, options) : OpenFile(path, options);
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

absl::Status Checkpoint::CheckShard(size_t shard, const File& file) const {
  const std::string& name = shard_names_[shard];
  for (absl::string_view tensor : lazy_->mapped[shard]) {
    if (!file.parsed().Contains(tensor)) {
      return MakeError(
          ErrorKind::kTensorNotFound,
          absl::StrCat("index ", path_, ": shard ", name, " has no tensor ",
                       Quoted(tensor), ", which the index maps to it"));
    }
  }
  for (size_t i = 0; i < file.parsed().size(); ++i) {
    const absl::string_view tensor = file.parsed().at(i).name();
    auto it = shard_of_.find(tensor);
    if (it == shard_of_.end()) {
      return IndexError(
          path_, absl::StrCat("shard ", name, " holds tensor ", Quoted(tensor),
                              ", which the index does not list"));
    }
    if (it->second != shard) {
      return IndexError(
          path_, absl::StrCat("tensor ", Quoted(tensor), " is in shard ", name,
                              " but the index maps it to shard ",
                              shard_names_[it->second],
                              "; a tensor may be in one shard only"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<const File*> Checkpoint::Shard(size_t shard) const {
  assert(shard < shard_names_.size());
  std::lock_guard<std::mutex> lock(lazy_->mu);
  if (!lazy_->tried[shard]) {
    lazy_->tried[shard] = true;
    absl::StatusOr<File> file = File::Open(ShardPath(shard), options_);
    absl::Status status = file.status();
    if (!status.ok()) {
      status = Prefixed(status, absl::StrCat("index ", path_, ": shard ",
                                             shard_names_[shard], ": "));
    } else {
      status = CheckShard(shard, *file);
    }
    if (status.ok()) {
      lazy_->files[shard] = std::make_unique<File>(*std::move(file));
    } else {
      lazy_->errors[shard] = status;
    }
  }
  if (lazy_->files[shard] == nullptr) return lazy_->errors[shard];
  return lazy_->files[shard].get();
}

absl::StatusOr<TensorView> Checkpoint::Tensor(absl::string_view name) const {
  auto it = shard_of_.find(name);
  if (it == shard_of_.end()) {
    return MakeError(ErrorKind::kTensorNotFound,
                     absl::StrCat(is_index_ ? "index " : "", path_,
                                  ": no tensor named ", Quoted(name)));
  }
  SAFETENSORS_ASSIGN_OR_RETURN(const File* file, Shard(it->second));
  return file->parsed().Tensor(name);
}

absl::Status Checkpoint::OpenAll() const {
  for (size_t i = 0; i < shard_names_.size(); ++i) {
    SAFETENSORS_RETURN_IF_ERROR(Shard(i).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ShardTensor>> Checkpoint::Tensors() const {
  SAFETENSORS_RETURN_IF_ERROR(OpenAll());
  std::vector<ShardTensor> out;
  out.reserve(shard_of_.size());
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

// --- Writing ---------------------------------------------------------------

absl::StatusOr<ShardLayout> PlanShards(absl::Span<const TensorDesc> tensors,
                                       const ShardWriteOptions& options) {
  if (options.max_shard_size == 0) {
    return absl::InvalidArgumentError("the maximum shard size must be >= 1");
  }
  SAFETENSORS_ASSIGN_OR_RETURN(
      WritePlan plan, WritePlan::Create(tensors, std::nullopt, options.write));
  ShardLayout layout;
  uint64_t current = 0;
  for (const WritePlan::Entry& e : plan.entries()) {
    const uint64_t size = e.end - e.begin;
    // A new shard when the next tensor would take a non-empty one over the
    // maximum; written so that nothing wraps (current <= the data size,
    // which WritePlan checked, so the sum below cannot overflow).
    const uint64_t max = options.max_shard_size;
    if (layout.shard_tensors.empty() ||
        (current > 0 && (size > max || current > max - size))) {
      layout.shard_tensors.emplace_back();
      current = 0;
    }
    layout.shard_tensors.back().push_back(e.input_index);
    current += size;
    layout.total_size += size;  // WritePlan checked the sum
  }
  const size_t n = layout.shard_tensors.size();
  for (size_t i = 0; i < n; ++i) {
    layout.shard_names.push_back(absl::StrFormat("%s-%05d-of-%05d.safetensors",
                                                 options.prefix, i + 1, n));
  }
  return layout;
}

std::string FormatIndex(const ShardLayout& layout,
                        absl::Span<const TensorDesc> tensors) {
  std::map<absl::string_view, absl::string_view> map;  // sorted by bytes
  for (size_t s = 0; s < layout.shard_tensors.size(); ++s) {
    for (size_t i : layout.shard_tensors[s]) {
      map.emplace(tensors[i].name, layout.shard_names[s]);
    }
  }
  std::string out = absl::StrCat(
      "{\n  \"metadata\": {\n    \"total_size\": ", layout.total_size,
      "\n  },\n  \"weight_map\": ");
  if (map.empty()) {
    out += "{}\n}\n";
    return out;
  }
  out += "{\n";
  size_t i = 0;
  for (const auto& [name, file] : map) {
    out += "    ";
    internal::json::AppendQuoted(name, &out);
    out += ": ";
    internal::json::AppendQuoted(file, &out);
    out += ++i < map.size() ? ",\n" : "\n";
  }
  out += "  }\n}\n";
  return out;
}

namespace {

// Streams the bytes of every entry of `writer`'s plan from `data_of`
// (indexed by the plan's input_index) in bounded chunks, then finishes.
absl::Status StreamAll(
    StreamWriter& writer,
    const std::function<absl::Span<const uint8_t>(size_t)>& data_of,
    uint64_t* done, uint64_t total, const ProgressCallback& progress) {
  for (const WritePlan::Entry& e : writer.plan().entries()) {
    const absl::Span<const uint8_t> data = data_of(e.input_index);
    for (size_t at = 0; at < data.size(); at += kChunk) {
      const absl::Span<const uint8_t> chunk = data.subspan(at, kChunk);
      SAFETENSORS_RETURN_IF_ERROR(writer.Append(chunk));
      *done += chunk.size();
      if (progress) progress(*done, total);
    }
  }
  return writer.Finish();
}

// Checks each tensor's data length against its dtype and shape, as
// Serialize does, before anything is written.
absl::Status CheckLengths(absl::Span<const TensorRef> tensors) {
  for (const TensorRef& t : tensors) {
    SAFETENSORS_ASSIGN_OR_RETURN(uint64_t need,
                                 TensorByteSize(t.dtype, t.shape));
    if (need != t.data.size()) {
      return MakeError(
          ErrorKind::kTensorInvalidInfo,
          absl::StrCat("tensor ", Quoted(t.name), ": ", t.data.size(),
                       " bytes of data, but ", DtypeName(t.dtype),
                       " and its shape need ", need));
    }
  }
  return absl::OkStatus();
}

std::vector<TensorDesc> Descs(absl::Span<const TensorRef> tensors) {
  std::vector<TensorDesc> descs;
  descs.reserve(tensors.size());
  for (const TensorRef& t : tensors)
    descs.push_back({t.name, t.dtype, t.shape});
  return descs;
}

// Writes `text` to `path` atomically: a temporary beside it, then rename.
absl::Status WriteTextAtomically(const std::string& path,
                                 absl::string_view text, bool sync) {
  static std::atomic<uint64_t> counter{0};
  internal::FileSystem* fs = internal::FileSystem::Default();
  const std::string temp =
      absl::StrCat(internal::DirectoryOf(path), "/.", BaseName(path), ".tmp-",
                   getpid(), "-", counter.fetch_add(1));
  SAFETENSORS_ASSIGN_OR_RETURN(int fd, fs->CreateExclusive(temp));
  absl::Status status = fs->WriteAll(fd, text.data(), text.size(), temp);
  if (status.ok() && sync) status = fs->Sync(fd, temp);
  const absl::Status closed = fs->Close(fd, temp);
  if (status.ok()) status = closed;
  if (status.ok()) status = fs->Rename(temp, path);
  if (!status.ok()) {
    fs->Unlink(temp).IgnoreError();
    return status;
  }
  if (sync) return fs->SyncDirectory(internal::DirectoryOf(path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ShardLayout> WriteShardedCheckpoint(
    const std::string& directory, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata,
    const ShardWriteOptions& options) {
  const std::vector<TensorDesc> descs = Descs(tensors);
  SAFETENSORS_ASSIGN_OR_RETURN(ShardLayout layout, PlanShards(descs, options));
  SAFETENSORS_RETURN_IF_ERROR(CheckLengths(tensors));
  uint64_t done = 0;
  for (size_t s = 0; s < layout.shard_tensors.size(); ++s) {
    const std::vector<size_t>& members = layout.shard_tensors[s];
    std::vector<TensorDesc> shard_descs;
    shard_descs.reserve(members.size());
    for (size_t i : members) shard_descs.push_back(descs[i]);
    SAFETENSORS_ASSIGN_OR_RETURN(
        std::unique_ptr<StreamWriter> writer,
        StreamWriter::Open(absl::StrCat(directory, "/", layout.shard_names[s]),
                           shard_descs, metadata, options.write));
    SAFETENSORS_RETURN_IF_ERROR(StreamAll(
        *writer,
        [&](size_t input_index) { return tensors[members[input_index]].data; },
        &done, layout.total_size, options.progress));
  }
  SAFETENSORS_RETURN_IF_ERROR(WriteTextAtomically(
      absl::StrCat(directory, "/", options.prefix, ".safetensors.index.json"),
      FormatIndex(layout, descs), options.write.fsync));
  return layout;
}

absl::StatusOr<uint64_t> WriteFileStreaming(
    const std::string& path, absl::Span<const TensorRef> tensors,
    const std::optional<MetadataMap>& metadata, const WriteOptions& options,
    const ProgressCallback& progress) {
  const std::vector<TensorDesc> descs = Descs(tensors);
  SAFETENSORS_ASSIGN_OR_RETURN(WritePlan plan,
                               WritePlan::Create(descs, metadata, options));
  SAFETENSORS_RETURN_IF_ERROR(CheckLengths(tensors));
  SAFETENSORS_ASSIGN_OR_RETURN(
      std::unique_ptr<StreamWriter> writer,
      StreamWriter::Open(path, descs, metadata, options));
  uint64_t done = 0;
  const uint64_t total = plan.file_size() - plan.prefix().size();
  SAFETENSORS_RETURN_IF_ERROR(StreamAll(
      *writer, [&](size_t i) { return tensors[i].data; }, &done, total,
      progress));
  return plan.file_size();
}

}  // namespace safetensors
