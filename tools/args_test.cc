// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/args.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace tool {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

const std::vector<OptionSpec>& AllOptions() {
  static const std::vector<OptionSpec>* options =
      new std::vector<OptionSpec>{kProfile,      kSelect, kExclude, kMetadata,
                                  kDropMetadata, kJson,   kMaxSize, kPrefix};
  return *options;
}

TEST(ParseArgs, DefaultsWhenNothingIsGiven) {
  Args args;
  EXPECT_EQ(ParseArgs({"a", "b"}, AllOptions(), &args), "");
  EXPECT_THAT(args.files, ElementsAre("a", "b"));
  EXPECT_EQ(args.profile, Profile::kStrict);
  EXPECT_FALSE(args.json);
  EXPECT_FALSE(args.drop_metadata);
  EXPECT_EQ(args.max_size.bytes, 0u);
  EXPECT_THAT(args.set, IsEmpty());
  EXPECT_FALSE(args.Has("json"));
}

TEST(ParseArgs, ValuesAttachedOrSeparateAndUnderscores) {
  Args args;
  EXPECT_EQ(ParseArgs({"--profile", "reference", "--select=a.*", "--max_size",
                       "2KiB", "--drop_metadata", "--json", "f"},
                      AllOptions(), &args),
            "");
  EXPECT_EQ(args.profile, Profile::kReference);
  EXPECT_THAT(args.select, ElementsAre("a.*"));
  EXPECT_EQ(args.max_size.bytes, 2048u);
  EXPECT_TRUE(args.drop_metadata);
  EXPECT_TRUE(args.json);
  EXPECT_THAT(args.files, ElementsAre("f"));
  EXPECT_THAT(args.set, ElementsAre("profile", "select", "max-size",
                                    "drop-metadata", "json"));
  EXPECT_TRUE(args.Has("max-size"));
}

TEST(ParseArgs, BooleanValues) {
  for (const char* yes : {"true", "T", "yes", "Y", "1"}) {
    Args args;
    EXPECT_EQ(ParseArgs({std::string("--json=") + yes}, AllOptions(), &args),
              "");
    EXPECT_TRUE(args.json) << yes;
  }
  for (const char* no : {"false", "F", "No", "n", "0"}) {
    Args args;
    args.json = true;
    EXPECT_EQ(ParseArgs({std::string("--json=") + no}, AllOptions(), &args),
              "");
    EXPECT_FALSE(args.json) << no;
  }
  Args args;
  EXPECT_EQ(ParseArgs({"--json=maybe"}, AllOptions(), &args),
            "bad value 'maybe' for --json: use true or false");
  // A flag without '=' takes no value: the next argument is a file.
  Args next;
  EXPECT_EQ(ParseArgs({"--json", "false"}, AllOptions(), &next), "");
  EXPECT_TRUE(next.json);
  EXPECT_THAT(next.files, ElementsAre("false"));
}

TEST(ParseArgs, MetadataRepeats) {
  Args args;
  EXPECT_EQ(ParseArgs({"--metadata=a=1", "--metadata", "b==2", "--metadata=c="},
                      AllOptions(), &args),
            "");
  EXPECT_THAT(args.metadata,
              ElementsAre(Pair("a", "1"), Pair("b", "=2"), Pair("c", "")));
  Args bad;
  EXPECT_EQ(ParseArgs({"--metadata=novalue"}, AllOptions(), &bad),
            "bad value 'novalue' for --metadata: use KEY=VALUE");
}

TEST(ParseArgs, DoubleDashEndsOptionsAndHelpIsSeen) {
  Args args;
  EXPECT_EQ(ParseArgs({"-h", "--", "--json", "-"}, AllOptions(), &args), "");
  EXPECT_TRUE(args.help);
  EXPECT_FALSE(args.json);
  EXPECT_THAT(args.files, ElementsAre("--json", "-"));
}

TEST(ParseArgs, Errors) {
  const std::vector<OptionSpec> profile_only = {kProfile};
  struct Case {
    std::vector<std::string> argv;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {{"--json"}, "unknown option '--json'"},
           {{"-x"}, "unknown option '-x'"},
           {{"--nope=1"}, "unknown option '--nope=1'"},
           {{"--profile"}, "--profile needs a value"},
           {{"--profile=lax"},
            "bad value 'lax' for --profile: use strict or reference"},
           {{"--profile=strict", "--profile=strict"}, "--profile given twice"},
       }) {
    Args args;
    EXPECT_EQ(ParseArgs(c.argv, profile_only, &args), c.error);
  }
}

TEST(ParseByteSize, UnitsAndLimits) {
  struct Case {
    const char* text;
    uint64_t bytes;
  };
  for (const Case& c : std::vector<Case>{{"40", 40},
                                         {"40B", 40},
                                         {"5kb", 5000},
                                         {"5MB", 5000000},
                                         {"2GB", 2000000000},
                                         {"1TB", 1000000000000},
                                         {"3KiB", 3072},
                                         {"1mib", 1 << 20},
                                         {"2GiB", uint64_t{2} << 30},
                                         {"1TiB", uint64_t{1} << 40}}) {
    ByteSize size;
    EXPECT_EQ(ParseByteSize(c.text, &size), "") << c.text;
    EXPECT_EQ(size.bytes, c.bytes) << c.text;
  }
  ByteSize size;
  EXPECT_EQ(ParseByteSize("0", &size), "must be at least 1 byte");
  for (const char* bad : {"GB", "99999999999999999999", "1.", ".5GB",
                          "1.1234567890123456789GB", "-1", ""}) {
    EXPECT_EQ(ParseByteSize(bad, &size),
              "expected a number of bytes, e.g. 40, 500MB, 1.5GB or 2GiB")
        << bad;
  }
  EXPECT_EQ(ParseByteSize("17179869184GiB", &size), "too large");
  EXPECT_EQ(ParseByteSize("18446744073709551615.9", &size), "");
  EXPECT_EQ(size.bytes, UINT64_MAX);  // the fraction rounds down
  EXPECT_EQ(ParseByteSize("16777216TiB", &size), "too large");  // 2^64
  // 18446744073709551000 + 999 bytes: the fraction's share overflows.
  EXPECT_EQ(ParseByteSize("18446744073709551.999KB", &size), "too large");
  EXPECT_EQ(ParseByteSize("0.1B", &size), "must be at least 1 byte");
  EXPECT_EQ(ParseByteSize("12XB", &size),
            "unknown unit 'XB' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, "
            "or K, M, G, T for KiB, MiB, GiB, TiB)");
  EXPECT_EQ(size.bytes, UINT64_MAX);  // unchanged by the errors
}

// Decimal fractions, and the single letters as GNU coreutils reads them.
TEST(ParseByteSize, FractionsAndLetters) {
  struct Case {
    const char* text;
    uint64_t bytes;
  };
  for (const Case& c : std::vector<Case>{
           {"1.5GB", 1500000000},
           {"1.5GiB", 1610612736},
           {"0.5K", 512},
           {"2g", uint64_t{2} << 30},
           {"2G", uint64_t{2} << 30},
           {"3m", 3 << 20},
           {"1t", uint64_t{1} << 40},
           {"1.0000001KB", 1000},  // 1000.0001 bytes, rounded down
           {"2.999B", 2},
           {"0.000000000001TB", 1}}) {
    ByteSize size;
    EXPECT_EQ(ParseByteSize(c.text, &size), "") << c.text;
    EXPECT_EQ(size.bytes, c.bytes) << c.text;
  }
}

TEST(ParseArgs, SelectAndExcludeRepeatPrefixIsAFileName) {
  Args args;
  EXPECT_EQ(ParseArgs({"--select=a.*", "--select", "b", "--exclude=a1",
                       "--exclude=a2", "--prefix=diffusion_pytorch_model"},
                      AllOptions(), &args),
            "");
  EXPECT_THAT(args.select, ElementsAre("a.*", "b"));
  EXPECT_THAT(args.exclude, ElementsAre("a1", "a2"));
  EXPECT_EQ(args.prefix, "diffusion_pytorch_model");
  for (const char* bad : {"", ".", "..", "a/b", "/abs"}) {
    Args a;
    EXPECT_EQ(ParseArgs({std::string("--prefix=") + bad}, AllOptions(), &a),
              absl::StrCat("bad value '", bad,
                           "' for --prefix: a prefix is a file name's start: "
                           "not empty, '.' or '..', and without '/'"));
    EXPECT_EQ(a.prefix, "model");
  }
}

TEST(NameFilter, SelectAnyExcludeAll) {
  Args args;
  ASSERT_EQ(ParseArgs({"--select=layers\\.0\\..*", "--select=lm_head\\..*",
                       "--exclude=.*\\.bias"},
                      AllOptions(), &args),
            "");
  NameFilter filter;
  ASSERT_EQ(filter.Compile(args), "");
  EXPECT_TRUE(filter.active());
  EXPECT_TRUE(filter.Keeps("layers.0.w"));
  EXPECT_TRUE(filter.Keeps("lm_head.weight"));
  EXPECT_FALSE(filter.Keeps("layers.0.bias"));
  EXPECT_FALSE(filter.Keeps("layers.1.w"));
  EXPECT_FALSE(filter.Keeps("x.layers.0.w"));  // whole names only
  NameFilter none;
  ASSERT_EQ(none.Compile(Args()), "");
  EXPECT_FALSE(none.active());
  EXPECT_TRUE(none.Keeps("anything"));
}

TEST(NameFilter, BadPatternsNameTheirOption) {
  Args args;
  args.exclude = {"("};
  NameFilter filter;
  EXPECT_EQ(filter.Compile(args), "bad --exclude pattern '(': missing ): (");
}

TEST(NameFilter, NothingKeptSaysWhatWouldMatch) {
  const std::vector<absl::string_view> names = {
      "model.layers.0.mlp.weight", "model.layers.0.attn.weight",
      "model.layers.1.mlp.weight", "lm_head.weight"};
  Args args;
  args.select = {"layers.0"};
  NameFilter filter;
  ASSERT_EQ(filter.Compile(args), "");
  EXPECT_EQ(filter.NothingKept(names),
            "no tensor is kept by --select='layers.0' (of 4 tensors); "
            "patterns match whole names: --select='.*layers\\.0.*' keeps 2");
  // A pattern with other special characters is wrapped as it is.
  args.select = {"mlp|attn"};
  args.exclude = {".*layers\\.1.*"};
  ASSERT_EQ(filter.Compile(args), "");
  EXPECT_EQ(filter.NothingKept(names),
            "no tensor is kept by --select='mlp|attn' "
            "--exclude='.*layers\\.1.*' (of 4 tensors); patterns match whole "
            "names: --select='.*(mlp|attn).*' keeps 2");
  // Nothing to suggest when matching inside names keeps nothing either.
  args.select = {"bias"};
  args.exclude = {};
  NameFilter bias;
  ASSERT_EQ(bias.Compile(args), "");
  EXPECT_EQ(bias.NothingKept(names),
            "no tensor is kept by --select='bias' (of 4 tensors)");
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
