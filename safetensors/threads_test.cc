// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The thread-safety promises of the headers, with real threads (run under
// ThreadSanitizer by --config=tsan, see .ci/run):
//  * a parsed File is immutable: lookups, iteration, slicing and copies from
//    many threads at once give the same results;
//  * a Checkpoint opens its shards lazily and safely: every shard first
//    touched from many threads at once is opened once, and every thread sees
//    the same File;
//  * WriteFile to distinct paths from many threads; to the same path, every
//    reader at any moment sees the old file or one complete new one;
//  * StreamWriters on different paths, one per thread.

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/file.h"
#include "safetensors/host_order.h"
#include "safetensors/index.h"
#include "safetensors/load.h"
#include "safetensors/shard_writer.h"
#include "safetensors/slice.h"
#include "safetensors/testing/temp_file.h"
#include "safetensors/writer.h"

namespace safetensors {
namespace {

constexpr int kThreads = 8;

// Runs fn(thread_index) on kThreads threads, all released at once.
template <typename Fn>
void OnThreads(Fn fn) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      fn(t);
    });
  }
  go.store(true, std::memory_order_release);
  for (std::thread& th : threads) th.join();
}

// Tensor i: F32 [4, 8], element k = i * 1000 + k.
std::vector<float> Values(int i) {
  std::vector<float> v(32);
  for (int k = 0; k < 32; ++k) v[k] = static_cast<float>(i * 1000 + k);
  return v;
}

absl::Span<const uint8_t> BytesOf(const std::vector<float>& v) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(v.data()),
                             v.size() * sizeof(float));
}

std::string WriteModel(const std::string& path, int tensors, int version) {
  std::vector<std::vector<float>> values;
  for (int i = 0; i < tensors; ++i) values.push_back(Values(i + version));
  std::vector<TensorRef> refs;
  for (int i = 0; i < tensors; ++i) {
    refs.emplace_back(absl::StrCat("layers.", i, ".w"), Dtype::kF32,
                      Shape{4, 8}, BytesOf(values[i]));
  }
  MetadataMap metadata = {{"version", absl::StrCat(version)}};
  EXPECT_TRUE(WriteFile(path, refs, metadata).ok());
  return path;
}

// A new directory `name` holding `tensors` tensors "layers.<i>.w" (Values(i))
// sharded `per_shard` to a shard (each tensor is 128 bytes).
ShardLayout WriteShards(absl::string_view name, int tensors, int per_shard,
                        std::string* dir) {
  *dir = test::TempPath(name);
  EXPECT_EQ(mkdir(dir->c_str(), 0755), 0);
  std::vector<std::vector<float>> values;
  for (int i = 0; i < tensors; ++i) values.push_back(Values(i));
  std::vector<TensorRef> refs;
  for (int i = 0; i < tensors; ++i) {
    refs.emplace_back(absl::StrCat("layers.", i, ".w"), Dtype::kF32,
                      Shape{4, 8}, BytesOf(values[i]));
  }
  ShardWriteOptions options;
  options.max_shard_size = per_shard * 128;
  absl::StatusOr<ShardLayout> layout =
      WriteShardedCheckpoint(*dir, refs, std::nullopt, options);
  EXPECT_TRUE(layout.ok()) << layout.status();
  EXPECT_EQ(layout->shard_names.size(),
            static_cast<size_t>((tensors + per_shard - 1) / per_shard));
  return *std::move(layout);
}

TEST(Threads, OneFileReadFromManyThreads) {
  const std::string path = WriteModel(test::TempPath("shared.safetensors"),
                                      /*tensors=*/64, /*version=*/0);
  absl::StatusOr<File> file = File::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  std::atomic<int> failures{0};
  OnThreads([&](int t) {
    for (int iter = 0; iter < 200; ++iter) {
      const int i = (t * 7 + iter) % 64;
      absl::StatusOr<TensorView> view =
          file->Tensor(absl::StrCat("layers.", i, ".w"));
      if (!view.ok()) {
        ++failures;
        continue;
      }
      std::vector<float> out(32);
      if (!CopyToHost(*view, absl::MakeSpan(
                                 reinterpret_cast<uint8_t*>(out.data()), 128))
               .ok() ||
          out != Values(i)) {
        ++failures;
      }
      // Row 2, columns 3..6.
      absl::StatusOr<std::vector<float>> row =
          ReadSliceAs<float>(*view, {Index(2), Range(3, 6)});
      if (!row.ok() || *row != std::vector<float>{Values(i)[19], Values(i)[20],
                                                  Values(i)[21]}) {
        ++failures;
      }
      if (iter % 50 == 0) {
        const std::vector<TensorView> all = file->Tensors();
        if (all.size() != 64) ++failures;
        if (file->metadata()->at("version") != "0") ++failures;
      }
    }
  });
  EXPECT_EQ(failures.load(), 0);
}

TEST(Threads, CheckpointShardsFirstTouchedFromManyThreads) {
  std::string dir;
  WriteShards("sharded", 48, 3, &dir);  // 16 shards of 3 tensors

  for (int round = 0; round < 5; ++round) {
    absl::StatusOr<Checkpoint> ckpt = Checkpoint::Open(dir);
    ASSERT_TRUE(ckpt.ok()) << ckpt.status();
    std::vector<std::vector<const File*>> seen(kThreads);
    std::atomic<int> failures{0};
    OnThreads([&](int t) {
      for (int k = 0; k < 48; ++k) {
        const int i = (k + t * 5) % 48;
        absl::StatusOr<TensorView> view =
            ckpt->Tensor(absl::StrCat("layers.", i, ".w"));
        std::vector<float> out(32);
        if (!view.ok() ||
            !CopyToHost(*view, absl::MakeSpan(
                                   reinterpret_cast<uint8_t*>(out.data()), 128))
                 .ok() ||
            out != Values(i)) {
          ++failures;
        }
      }
      for (size_t s = 0; s < 16; ++s) {
        absl::StatusOr<const File*> shard = ckpt->Shard(s);
        seen[t].push_back(shard.ok() ? *shard : nullptr);
      }
    });
    EXPECT_EQ(failures.load(), 0);
    for (int t = 1; t < kThreads; ++t) {
      EXPECT_EQ(seen[t], seen[0]) << "thread " << t << " saw other Files";
    }
    EXPECT_THAT(seen[0], ::testing::Not(::testing::Contains(nullptr)));
  }
}

// The bulk loader with 8 threads over 16 shards, several rounds: every
// tensor's values, as one thread loads them (and under TSan, no race).
TEST(Threads, LoadFileWithManyThreads) {
  std::string dir;
  WriteShards("load_many_threads", 64, 4, &dir);  // 16 shards of 4 tensors
  for (int round = 0; round < 5; ++round) {
    for (std::optional<Dtype> convert :
         {std::optional<Dtype>(), std::optional<Dtype>(Dtype::kF64)}) {
      LoadOptions load;
      load.threads = kThreads;
      load.float_dtype = convert;
      absl::StatusOr<TensorMap> m = LoadFile(dir, load);
      ASSERT_TRUE(m.ok()) << m.status();
      ASSERT_EQ(m->size(), 64u);
      for (int i = 0; i < 64; ++i) {
        const LoadedTensor& t = m->at(absl::StrCat("layers.", i, ".w"));
        if (convert.has_value()) {
          absl::StatusOr<absl::Span<const double>> d = t.As<double>();
          ASSERT_TRUE(d.ok()) << d.status();
          EXPECT_EQ(std::vector<float>(d->begin(), d->end()), Values(i));
        } else {
          absl::StatusOr<absl::Span<const float>> f = t.As<float>();
          ASSERT_TRUE(f.ok()) << f.status();
          EXPECT_EQ(std::vector<float>(f->begin(), f->end()), Values(i));
        }
      }
    }
  }
}

// OpenAll opens shards on two threads: the result is the serial one (the
// first failing shard in index order wins, every time), however many
// threads call OpenAll, Tensor and Shard at once, and every thread sees the
// same File for each shard.
TEST(Threads, CheckpointParallelOpenAllIsDeterministic) {
  std::string dir;
  const ShardLayout layout =
      WriteShards("parallel_open", 48, 3, &dir);  // 16 shards of 3 tensors

  // All good: every shard opened, by whichever thread.
  for (int round = 0; round < 5; ++round) {
    absl::StatusOr<Checkpoint> ckpt = Checkpoint::Open(dir);
    ASSERT_TRUE(ckpt.ok()) << ckpt.status();
    std::vector<std::vector<const File*>> seen(kThreads);
    std::atomic<int> failures{0};
    OnThreads([&](int t) {
      if (!ckpt->OpenAll().ok()) ++failures;
      for (size_t s = 0; s < 16; ++s) {
        absl::StatusOr<const File*> shard = ckpt->Shard(s);
        seen[t].push_back(shard.ok() ? *shard : nullptr);
      }
    });
    EXPECT_EQ(failures.load(), 0);
    for (int t = 1; t < kThreads; ++t) EXPECT_EQ(seen[t], seen[0]);
    EXPECT_THAT(seen[0], ::testing::Not(::testing::Contains(nullptr)));
  }

  // Shards 5 and 11 broken (not safetensors files): shard 5's error always.
  for (size_t broken : {size_t{11}, size_t{5}}) {
    const std::string path = absl::StrCat(dir, "/", layout.shard_names[broken]);
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("not a safetensors file", f);
    std::fclose(f);
  }
  absl::Status serial;
  {
    absl::StatusOr<Checkpoint> ckpt = Checkpoint::Open(dir);
    ASSERT_TRUE(ckpt.ok()) << ckpt.status();
    for (size_t s = 0; s < 16 && serial.ok(); ++s) {
      serial = ckpt->Shard(s).status();
    }
  }
  ASSERT_FALSE(serial.ok());
  EXPECT_THAT(std::string(serial.message()),
              ::testing::HasSubstr(layout.shard_names[5]));
  for (int round = 0; round < 10; ++round) {
    absl::StatusOr<Checkpoint> ckpt = Checkpoint::Open(dir);
    ASSERT_TRUE(ckpt.ok()) << ckpt.status();
    std::vector<absl::Status> got(kThreads);
    OnThreads([&](int t) {
      if (t % 2 == 1) {
        // Touch shards from the end first, racing the workers.
        for (size_t s = 16; s-- > 0;) (void)ckpt->Shard(s);
      }
      got[t] = ckpt->OpenAll();
    });
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(got[t], serial) << t;
    EXPECT_EQ(ckpt->Metadata().status(), serial);
    EXPECT_EQ(ckpt->Shard(11).ok(), false);
    EXPECT_EQ(ckpt->Shard(4).ok(), true);
  }
}

TEST(Threads, WriteFileToDistinctPaths) {
  OnThreads([&](int t) {
    for (int iter = 0; iter < 20; ++iter) {
      const std::string path =
          test::TempPath(absl::StrCat("distinct_", t, "_", iter % 3, ".st"));
      WriteModel(path, /*tensors=*/4, /*version=*/t * 100 + iter);
      absl::StatusOr<File> file = File::Open(path);
      ASSERT_TRUE(file.ok()) << file.status();
      EXPECT_EQ(file->metadata()->at("version"), absl::StrCat(t * 100 + iter));
    }
  });
}

// Writers replace one path over and over while readers open it: every open
// succeeds and holds one complete version (its metadata and its data agree).
TEST(Threads, WriteFileToOnePathNeverShowsATornFile) {
  const std::string path = test::TempPath("contended.safetensors");
  WriteModel(path, /*tensors=*/16, /*version=*/0);
  std::atomic<int> writers_done{0};
  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  OnThreads([&](int t) {
    if (t < kThreads / 2) {
      for (int iter = 1; iter <= 30; ++iter) {
        WriteModel(path, /*tensors=*/16, /*version=*/t * 1000 + iter);
      }
      ++writers_done;
      return;
    }
    while (writers_done.load() < kThreads / 2) {
      absl::StatusOr<File> file = File::Open(path);
      if (!file.ok() || file->size() != 16) {
        ++failures;
        continue;
      }
      int version = 0;
      if (!absl::SimpleAtoi(file->metadata()->at("version"), &version)) {
        ++failures;
        continue;
      }
      for (int i = 0; i < 16; ++i) {
        absl::StatusOr<TensorView> view =
            file->Tensor(absl::StrCat("layers.", i, ".w"));
        absl::StatusOr<std::vector<float>> got =
            view.ok() ? ReadAs<float>(*view)
                      : absl::StatusOr<std::vector<float>>(view.status());
        if (!got.ok() || *got != Values(i + version)) ++failures;
      }
      ++reads;
    }
  });
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  // No temporary is left beside it.
  EXPECT_THAT(test::ListDir(test::TempPath("")),
              ::testing::Not(::testing::Contains(
                  ::testing::HasSubstr("contended.safetensors.tmp"))));
}

TEST(Threads, StreamWritersOnePerThread) {
  OnThreads([&](int t) {
    const std::string path = test::TempPath(absl::StrCat("stream_", t, ".st"));
    const std::vector<TensorDesc> descs = {{"a", Dtype::kF32, Shape{4, 8}},
                                           {"b", Dtype::kF32, Shape{4, 8}}};
    for (int iter = 0; iter < 10; ++iter) {
      absl::StatusOr<std::unique_ptr<StreamWriter>> writer =
          StreamWriter::Open(path, descs);
      ASSERT_TRUE(writer.ok()) << writer.status();
      const std::vector<float> a = Values(t), b = Values(t + 50);
      // Two appends per tensor, in the plan's order ("a" then "b").
      ASSERT_TRUE((*writer)->Append("a", BytesOf(a).subspan(0, 64)).ok());
      ASSERT_TRUE((*writer)->Append("a", BytesOf(a).subspan(64)).ok());
      ASSERT_TRUE((*writer)->Append("b", BytesOf(b)).ok());
      ASSERT_TRUE((*writer)->Finish().ok());
      absl::StatusOr<File> file = File::Open(path);
      ASSERT_TRUE(file.ok()) << file.status();
      EXPECT_EQ(*ReadAs<float>(*file->Tensor("a")), a);
      EXPECT_EQ(*ReadAs<float>(*file->Tensor("b")), b);
    }
  });
}

}  // namespace
}  // namespace safetensors
