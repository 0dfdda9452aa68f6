// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/format.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include "safetensors/dtype.h"
#include "safetensors/header.h"
#include "safetensors/internal/json.h"
#include "safetensors/internal/json_escape.h"
#include "safetensors/internal/utf8.h"
#include "safetensors/status.h"
#include "tools/human_bytes.h"

namespace safetensors {
namespace tool {

namespace {

using internal::json::Quoted;

// `s` as it is, or as a JSON string when it holds a control character, is
// empty, or starts or ends with a space (so that a table cell is never
// ambiguous).
std::string Cell(absl::string_view s) {
  bool plain = !s.empty() && s.front() != ' ' && s.back() != ' ';
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) plain = false;
  }
  return plain ? std::string(s) : Quoted(s);
}

// Display width: code points, not bytes.
size_t Width(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Rows of cells as aligned columns, two spaces apart; columns whose flag in
// `right` is set are right-aligned. No trailing spaces.
std::string Table(const std::vector<std::vector<std::string>>& rows,
                  const std::vector<bool>& right) {
  std::vector<size_t> widths(right.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - Width(row[i]), ' ');
      if (i > 0) line += "  ";
      if (right[i]) {
        line += pad + row[i];
      } else {
        line += row[i];
        if (i + 1 < row.size()) line += pad;
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Plural(uint64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

}  // namespace

std::string FormatInspectionTable(const Inspection& in) {
  std::string out;
  const std::string count =
      in.tensors.size() == in.tensor_count
          ? Plural(in.tensor_count, "tensor", "tensors")
          : absl::StrCat(in.tensors.size(), " of ", in.tensor_count,
                         " tensors selected");
  if (in.is_index) {
    absl::StrAppend(&out, "index: ", in.path, "\n",
                    Plural(in.shards.size(), "shard", "shards"), ", ", count,
                    ", ", in.data_size, " bytes of data (",
                    HumanBytes(in.data_size), ")\n");
  } else {
    absl::StrAppend(&out, "file: ", in.path, "\n", count, ", header ",
                    in.header_size, " bytes, data ", in.data_size, " bytes (",
                    HumanBytes(in.data_size), ")\n");
  }
  if (!in.tensors.empty()) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"name", "dtype", "shape", "size",
                                     "offset"};
    std::vector<bool> right = {false, false, false, true, true};
    if (in.is_index) {
      head.push_back("shard");
      right.push_back(false);
    }
    rows.push_back(head);
    for (const InspectedTensor& t : in.tensors) {
      std::vector<std::string> row = {
          Cell(t.name), std::string(DtypeName(t.dtype)), FormatShape(t.shape),
          absl::StrCat(t.size), absl::StrCat(t.offset)};
      if (in.is_index) row.push_back(Cell(t.shard));
      rows.push_back(std::move(row));
    }
    out += "\n" + Table(rows, right);

    rows.clear();
    rows.push_back({"dtype", "tensors", "elements", "bytes"});
    for (const DtypeTotal& t : in.totals) {
      rows.push_back({std::string(DtypeName(t.dtype)), absl::StrCat(t.tensors),
                      absl::StrCat(t.elements), absl::StrCat(t.bytes)});
    }
    rows.push_back({"total", absl::StrCat(in.tensors.size()),
                    absl::StrCat(in.selected_elements),
                    absl::StrCat(in.selected_bytes)});
    out += "\n" + Table(rows, {false, true, true, true});
  }
  if (in.is_index && !in.index_metadata.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : in.index_metadata) {
      rows.push_back({"  " + Cell(key), Cell(value)});
    }
    out += "\nindex metadata:\n" + Table(rows, {false, false});
  }
  if (!in.metadata.has_value()) {
    out += "\nmetadata: none\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : *in.metadata) {
      rows.push_back({"  " + Cell(key), Cell(value)});
    }
    out +=
        absl::StrCat("\nmetadata: ", Plural(in.metadata->size(), "key", "keys"),
                     "\n", Table(rows, {false, false}));
  }
  return out;
}

std::string FormatInspectionJson(const Inspection& in) {
  std::string out = "{\n  \"path\": ";
  internal::json::AppendQuoted(in.path, &out);
  absl::StrAppend(&out, ",\n  \"format\": \"", in.is_index ? "index" : "file",
                  "\",\n");
  if (in.is_index) {
    out += "  \"shards\": [";
    for (size_t i = 0; i < in.shards.size(); ++i) {
      if (i > 0) out += ", ";
      internal::json::AppendQuoted(in.shards[i], &out);
    }
    out += "],\n";
  } else {
    absl::StrAppend(&out, "  \"header_size\": ", in.header_size, ",\n");
  }
  absl::StrAppend(&out, "  \"tensor_count\": ", in.tensor_count,
                  ",\n  \"data_size\": ", in.data_size, ",\n  \"metadata\": ");
  if (!in.metadata.has_value()) {
    out += "null";
  } else {
    out += "{";
    bool first = true;
    for (const auto& [key, value] : *in.metadata) {
      out += first ? "" : ", ";
      first = false;
      internal::json::AppendQuoted(key, &out);
      out += ": ";
      internal::json::AppendQuoted(value, &out);
    }
    out += "}";
  }
  out += ",\n";
  if (in.is_index) {
    out += "  \"index_metadata\": {";
    bool first = true;
    for (const auto& [key, value] : in.index_metadata) {
      out += first ? "" : ", ";
      first = false;
      internal::json::AppendQuoted(key, &out);
      absl::StrAppend(&out, ": ", value);  // already JSON
    }
    out += "},\n";
  }
  out += "  \"tensors\": [";
  for (size_t i = 0; i < in.tensors.size(); ++i) {
    const InspectedTensor& t = in.tensors[i];
    out += i == 0 ? "\n    {\"name\": " : ",\n    {\"name\": ";
    internal::json::AppendQuoted(t.name, &out);
    absl::StrAppend(&out, ", \"dtype\": \"", DtypeName(t.dtype),
                    "\", \"shape\": [", absl::StrJoin(t.shape, ", "),
                    "], \"elements\": ", t.elements, ", \"size\": ", t.size,
                    ", \"offset\": ", t.offset);
    if (in.is_index) {
      out += ", \"shard\": ";
      internal::json::AppendQuoted(t.shard, &out);
    }
    out += "}";
  }
  out += in.tensors.empty() ? "],\n" : "\n  ],\n";
  out += "  \"totals\": [";
  for (size_t i = 0; i < in.totals.size(); ++i) {
    const DtypeTotal& t = in.totals[i];
    absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "    {\"dtype\": \"",
                    DtypeName(t.dtype), "\", \"tensors\": ", t.tensors,
                    ", \"elements\": ", t.elements, ", \"bytes\": ", t.bytes,
                    "}");
  }
  out += in.totals.empty() ? "],\n" : "\n  ],\n";
  absl::StrAppend(&out, "  \"selected_elements\": ", in.selected_elements,
                  ",\n  \"selected_bytes\": ", in.selected_bytes, "\n}\n");
  return out;
}

namespace {

// A statistic: %.6g, or "inf" (quoted when `json`).
std::string Number(double v, bool json) {
  if (std::isinf(v)) return json ? "\"inf\"" : "inf";
  return absl::StrFormat("%.6g", v);
}

absl::string_view KindName(Difference::Kind kind) {
  switch (kind) {
    case Difference::Kind::kOnlyInA:
      return "only_a";
    case Difference::Kind::kOnlyInB:
      return "only_b";
    case Difference::Kind::kDtype:
      return "dtype";
    case Difference::Kind::kShape:
      return "shape";
    case Difference::Kind::kContent:
      return "content";
    case Difference::Kind::kMetadata:
      return "meta";
  }
  return "";
}

}  // namespace

std::string FormatDiff(const DiffResult& result, absl::string_view tolerance) {
  std::string out;
  uint64_t only_a = 0, only_b = 0, differ = 0, meta = 0;
  uint64_t compared = 0, outside = 0;
  for (const Difference& d : result.differences) {
    const std::string name = Quoted(d.name);
    absl::StrAppend(&out, KindName(d.kind), "\t", name);
    switch (d.kind) {
      case Difference::Kind::kOnlyInA:
        ++only_a;
        absl::StrAppend(&out, "\t", d.a);
        break;
      case Difference::Kind::kOnlyInB:
        ++only_b;
        absl::StrAppend(&out, "\t", d.b);
        break;
      case Difference::Kind::kDtype:
      case Difference::Kind::kShape:
      case Difference::Kind::kContent:
        ++differ;
        absl::StrAppend(&out, "\t", d.a, "\t", d.b);
        break;
      case Difference::Kind::kMetadata:
        ++meta;
        absl::StrAppend(&out, "\t", d.a, "\t", d.b);
        break;
    }
    if (d.numeric.has_value()) {
      const NumericStats& n = *d.numeric;
      ++compared;
      if (n.over_tolerance > 0) ++outside;
      absl::StrAppend(&out, "\tmax_abs=", Number(n.max_abs, false),
                      " max_rel=", Number(n.max_rel, false),
                      " over=", n.over_tolerance, "/", n.elements);
    }
    out += "\n";
  }
  absl::StrAppend(&out, "summary\t", result.tensors_a, " in A, ",
                  result.tensors_b, " in B: ", result.identical, " identical, ",
                  differ, " differ, ", only_a, " only in A, ", only_b,
                  " only in B");
  if (meta > 0) absl::StrAppend(&out, ", ", meta, " metadata keys differ");
  if (!tolerance.empty()) {
    absl::StrAppend(
        &out, "; values of ", compared, compared == 1 ? " tensor" : " tensors",
        " compared, ", outside, " outside ", tolerance, "; ",
        result.within_tolerance ? "within tolerance" : "not within tolerance");
  }
  out += "\n";
  return out;
}

std::string FormatDiffJson(const DiffResult& result, absl::string_view a,
                           absl::string_view b, bool numeric) {
  std::string out = "{\n  \"a\": ";
  internal::json::AppendQuoted(a, &out);
  out += ",\n  \"b\": ";
  internal::json::AppendQuoted(b, &out);
  absl::StrAppend(&out, ",\n  \"same\": ", result.same() ? "true" : "false");
  if (numeric) {
    absl::StrAppend(&out, ",\n  \"within_tolerance\": ",
                    result.within_tolerance ? "true" : "false");
  }
  absl::StrAppend(&out, ",\n  \"tensors_a\": ", result.tensors_a,
                  ",\n  \"tensors_b\": ", result.tensors_b,
                  ",\n  \"identical\": ", result.identical,
                  ",\n  \"differences\": [");
  for (size_t i = 0; i < result.differences.size(); ++i) {
    const Difference& d = result.differences[i];
    absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "    {\"kind\": \"",
                    KindName(d.kind), "\", \"name\": ");
    internal::json::AppendQuoted(d.name, &out);
    out += ", \"a\": ";
    internal::json::AppendQuoted(d.a, &out);
    out += ", \"b\": ";
    internal::json::AppendQuoted(d.b, &out);
    if (d.numeric.has_value()) {
      const NumericStats& n = *d.numeric;
      absl::StrAppend(&out, ", \"elements\": ", n.elements,
                      ", \"over_tolerance\": ", n.over_tolerance,
                      ", \"max_abs\": ", Number(n.max_abs, true),
                      ", \"max_rel\": ", Number(n.max_rel, true));
    }
    out += "}";
  }
  out += result.differences.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

absl::StatusOr<std::string> PrettyPrintJson(absl::string_view text) {
  const size_t bad = internal::ValidateUtf8(text);
  if (bad != text.size()) {
    return MakeError(ErrorKind::kInvalidHeader,
                     absl::StrCat("not valid UTF-8 at byte ", bad));
  }
  internal::json::Tokenizer tokenizer(text,
                                      internal::json::Tokenizer::kMaxDepth);
  auto fail = [&]() {
    return MakeError(ErrorKind::kInvalidHeaderDeserialization,
                     absl::StrCat(internal::json::ErrorName(tokenizer.error()),
                                  " at byte ", tokenizer.error_offset()));
  };
  auto raw = [](const internal::json::Token& t) {
    if (t.type == internal::json::TokenType::kString ||
        t.type == internal::json::TokenType::kKey) {
      return absl::StrCat("\"", t.text, "\"");
    }
    return std::string(t.text);
  };
  auto is_scalar = [](internal::json::TokenType type) {
    return type == internal::json::TokenType::kString ||
           type == internal::json::TokenType::kNumber ||
           type == internal::json::TokenType::kTrue ||
           type == internal::json::TokenType::kFalse ||
           type == internal::json::TokenType::kNull;
  };

  std::string out;
  // One entry per open container: does it have a member yet?
  std::vector<bool> has_member;
  auto newline = [&]() {
    out += '\n';
    out.append(2 * has_member.size(), ' ');
  };
  bool after_key = false;
  // Starts a value or key in the current container: the comma and newline.
  auto start_item = [&]() {
    if (has_member.empty()) return;
    if (has_member.back()) out += ',';
    has_member.back() = true;
    newline();
  };

  internal::json::Token token;
  std::deque<internal::json::Token> pending;  // tokens read ahead, to replay
  auto next = [&](internal::json::Token* t) {
    if (!pending.empty()) {
      *t = pending.front();
      pending.pop_front();
      return true;
    }
    return tokenizer.Next(t);
  };
  while (true) {
    if (!next(&token)) return fail();
    switch (token.type) {
      case internal::json::TokenType::kEnd:
        out += '\n';
        return out;
      case internal::json::TokenType::kKey:
        start_item();
        out += raw(token) + ": ";
        after_key = true;
        break;
      case internal::json::TokenType::kEndObject:
      case internal::json::TokenType::kEndArray: {
        const bool had = has_member.back();
        has_member.pop_back();
        if (had) newline();
        out += token.type == internal::json::TokenType::kEndObject ? '}' : ']';
        break;
      }
      case internal::json::TokenType::kBeginObject:
      case internal::json::TokenType::kBeginArray: {
        if (!after_key) start_item();
        after_key = false;
        if (token.type == internal::json::TokenType::kBeginArray) {
          // An array of scalars stays on one line.
          std::vector<internal::json::Token> items;
          internal::json::Token t;
          while (true) {
            if (!tokenizer.Next(&t)) return fail();
            if (!is_scalar(t.type)) break;
            items.push_back(t);
          }
          if (t.type == internal::json::TokenType::kEndArray) {
            out += '[';
            for (size_t i = 0; i < items.size(); ++i) {
              if (i > 0) out += ", ";
              out += raw(items[i]);
            }
            out += ']';
            break;
          }
          items.push_back(t);
          pending.insert(pending.end(), items.begin(), items.end());
        }
        out +=
            token.type == internal::json::TokenType::kBeginObject ? '{' : '[';
        has_member.push_back(false);
        break;
      }
      default:  // a scalar
        if (!after_key) start_item();
        after_key = false;
        out += raw(token);
        break;
    }
  }
}

}  // namespace tool
}  // namespace safetensors
