// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "tools/args.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace safetensors {
namespace tool {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

const std::vector<OptionSpec>& AllOptions() {
  static const std::vector<OptionSpec>* options = new std::vector<OptionSpec>{
      kProfile, kSelect, kMetadata, kDropMetadata, kJson, kMaxSize};
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
  EXPECT_EQ(args.select, "a.*");
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
  EXPECT_EQ(ParseByteSize("GB", &size),
            "expected a number of bytes, e.g. 40, 500MB or 2GiB");
  EXPECT_EQ(ParseByteSize("99999999999999999999", &size),
            "expected a number of bytes, e.g. 40, 500MB or 2GiB");
  EXPECT_EQ(ParseByteSize("17179869184GiB", &size), "too large");
  EXPECT_EQ(ParseByteSize("12XB", &size),
            "unknown unit 'XB' (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)");
  EXPECT_EQ(size.bytes, 0u);
}

}  // namespace
}  // namespace tool
}  // namespace safetensors
