// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "safetensors/internal/filesystem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "safetensors/status.h"
#include "safetensors/testing/fault_fs.h"
#include "safetensors/testing/status_matchers.h"
#include "safetensors/testing/temp_file.h"

namespace safetensors {
namespace internal {
namespace {

using ::safetensors::test::FailingFileSystem;
using ::safetensors::test::IsOk;
using ::safetensors::test::ListDir;
using ::safetensors::test::ReadWholeFile;
using ::safetensors::test::StatusIs;
using ::safetensors::test::TempPath;
using ::safetensors::test::WriteWholeFile;

TEST(DirectoryOf, EveryShape) {
  EXPECT_EQ(DirectoryOf(""), ".");
  EXPECT_EQ(DirectoryOf("a"), ".");
  EXPECT_EQ(DirectoryOf("/a"), "/");
  EXPECT_EQ(DirectoryOf("a/b"), "a");
  EXPECT_EQ(DirectoryOf("a/b/"), "a/b");  // the text before the last '/'
  EXPECT_EQ(DirectoryOf("/"), "/");
  EXPECT_EQ(DirectoryOf("/x/y/z.json"), "/x/y");
}

TEST(BaseName, EveryShape) {
  EXPECT_EQ(BaseName(""), "");
  EXPECT_EQ(BaseName("a"), "a");
  EXPECT_EQ(BaseName("/a"), "a");
  EXPECT_EQ(BaseName("a/b"), "b");
  EXPECT_EQ(BaseName("a/b/"), "");  // the text after the last '/'
  EXPECT_EQ(BaseName("/"), "");
  EXPECT_EQ(BaseName("/x/y/z.json"), "z.json");
}

TEST(WithoutTrailingSlashes, EveryShape) {
  EXPECT_EQ(WithoutTrailingSlashes(""), "");
  EXPECT_EQ(WithoutTrailingSlashes("/"), "/");
  EXPECT_EQ(WithoutTrailingSlashes("//"), "/");
  EXPECT_EQ(WithoutTrailingSlashes("a"), "a");
  EXPECT_EQ(WithoutTrailingSlashes("a/b//"), "a/b");
  EXPECT_EQ(WithoutTrailingSlashes("/x/"), "/x");
}

// Whether `fd` is an open descriptor.
bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(ScopedFd, ClosesReleasesAndResets) {
  const std::string path = WriteWholeFile(TempPath("scoped_fd"), "x");
  int raw = -1;
  {
    ScopedFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    raw = fd.get();
    ASSERT_GE(raw, 0);
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));  // closed at the end of the scope

  ScopedFd a(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  raw = a.get();
  ScopedFd b(std::move(a));  // moves ownership
  EXPECT_EQ(a.get(), -1);
  EXPECT_EQ(b.get(), raw);
  const int released = b.release();
  EXPECT_EQ(b.get(), -1);
  EXPECT_TRUE(IsOpen(released));
  b.reset(released);
  b.reset();
  EXPECT_FALSE(IsOpen(released));
  ScopedFd none;  // holds nothing; closing nothing is fine
  EXPECT_EQ(none.get(), -1);
}

// An empty directory under the test's temporary directory.
std::string FreshDir(const std::string& name) {
  const std::string dir = TempPath(name);
  mkdir(dir.c_str(), 0755);
  for (const std::string& f : ListDir(dir)) unlink((dir + "/" + f).c_str());
  return dir;
}

TEST(WriteFileAtomically, WritesReplacesAndKeepsTheMode) {
  const std::string dir = FreshDir("atomic_text");
  const std::string path = dir + "/f.json";
  const mode_t old_umask = umask(022);
  ASSERT_THAT(WriteFileAtomically(FileSystem::Default(), path, "one", false),
              IsOk());
  umask(old_umask);
  EXPECT_EQ(ReadWholeFile(path), "one");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);  // 0666 less the umask
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  ASSERT_THAT(WriteFileAtomically(FileSystem::Default(), path, "two", true),
              IsOk());
  EXPECT_EQ(ReadWholeFile(path), "two");
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"f.json"});
}

TEST(WriteFileAtomically, MissingDirectoryIsIoError) {
  const std::string path = TempPath("no/such/dir/f.json");
  const absl::Status status =
      WriteFileAtomically(FileSystem::Default(), path, "x", false);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kNotFound, ErrorKind::kIoError));
  // The message names what the caller gave, not the temporary.
  EXPECT_EQ(status.message(), "cannot write \"" + path + "\": directory " +
                                  TempPath("no/such/dir") + " does not exist");
}

TEST(WriteFileAtomically, UnwritableDirectoryNamesTheDirectory) {
  const std::string dir = FreshDir("atomic_readonly");
  const std::string path = dir + "/f.json";
  ASSERT_EQ(chmod(dir.c_str(), 0555), 0);
  const absl::Status status =
      WriteFileAtomically(FileSystem::Default(), path, "x", false);
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  if (status.ok()) GTEST_SKIP() << "running as root: permissions not enforced";
  EXPECT_THAT(status, StatusIs(ErrorKind::kIoError));
  EXPECT_EQ(status.message(), "cannot write \"" + path +
                                  "\": cannot create a file in " + dir +
                                  ": Permission denied");
}

// Each step's error names the target path; none names the temporary.
TEST(WriteFileAtomically, ErrorsNameTheTargetNotTheTemporary) {
  const std::string dir = FreshDir("atomic_names");
  const std::string path = dir + "/f.json";
  const std::vector<std::string> want = {
      "cannot write \"" + path + "\": cannot create a file in " + dir +
          ": Input/output error",
      "injected failure at \"" + path + "\": Input/output error",  // SetMode
      "cannot write \"" + path + "\": Input/output error",
      "cannot fsync \"" + path + "\": Input/output error",
      "cannot write \"" + path + "\" (close): Input/output error",
      "cannot put the new \"" + path +
          "\" in place; the previous file, if any, is unchanged: "
          "Input/output error",
  };
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    WriteWholeFile(path, "old");
    FailingFileSystem fs(static_cast<int>(i) + 1);
    const absl::Status status = WriteFileAtomically(&fs, path, "new", true);
    EXPECT_THAT(status, StatusIs(ErrorKind::kIoError));
    EXPECT_THAT(std::string(status.message()), ::testing::StartsWith(want[i]));
    EXPECT_THAT(std::string(status.message()),
                ::testing::Not(::testing::HasSubstr(".tmp-")));
  }
}

// A FileSystem whose first `collisions` creations fail as if the name were
// taken (EEXIST).
class CollidingFileSystem : public FailingFileSystem {
 public:
  explicit CollidingFileSystem(int collisions)
      : FailingFileSystem(0), collisions_(collisions) {}
  absl::StatusOr<int> CreateExclusive(const std::string& path) override {
    if (collisions_ > 0) {
      --collisions_;
      return IoErrorFromErrno(EEXIST, path);
    }
    return FailingFileSystem::CreateExclusive(path);
  }

 private:
  int collisions_;
};

TEST(AtomicFile, RetriesATakenTemporaryName) {
  const std::string dir = FreshDir("atomic_collide");
  const std::string path = dir + "/f.json";
  CollidingFileSystem fs(3);
  ASSERT_THAT(WriteFileAtomically(&fs, path, "text", false), IsOk());
  EXPECT_EQ(ReadWholeFile(path), "text");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"f.json"});
}

TEST(AtomicFile, DestroyedUncommittedRemovesItsTemporary) {
  const std::string dir = FreshDir("atomic_drop");
  const std::string path = WriteWholeFile(dir + "/f.json", "old");
  {
    absl::StatusOr<std::unique_ptr<AtomicFile>> file =
        AtomicFile::Create(FileSystem::Default(), path);
    ASSERT_THAT(file, IsOk());
    ASSERT_THAT((*file)->Write("new", 3), IsOk());
    EXPECT_EQ(ListDir(dir).size(), 2u);  // the file and the temporary
    EXPECT_FALSE((*file)->committed());
  }
  EXPECT_EQ(ReadWholeFile(path), "old");
  EXPECT_EQ(ListDir(dir), std::vector<std::string>{"f.json"});
}

// Every call fails in turn: the old file survives (or, when only the
// directory's fsync failed, the new one is in place) and no temporary stays.
TEST(WriteFileAtomically, AnyFailureLeavesTheOldFileAndNoTemporary) {
  const std::string dir = FreshDir("atomic_faults");
  const std::string path = dir + "/f.json";
  int failures = 0;
  for (int fail_at = 1; fail_at < 20; ++fail_at) {
    SCOPED_TRACE(fail_at);
    WriteWholeFile(path, "old");
    FailingFileSystem fs(fail_at);
    const absl::Status status = WriteFileAtomically(&fs, path, "new", true);
    if (fail_at > fs.calls()) {
      ASSERT_THAT(status, IsOk());
      EXPECT_EQ(ReadWholeFile(path), "new");
      break;
    }
    ++failures;
    EXPECT_THAT(status, StatusIs(ErrorKind::kIoError));
    const std::string now = ReadWholeFile(path);
    EXPECT_TRUE(now == "old" || (now == "new" && fail_at == fs.calls())) << now;
    EXPECT_EQ(ListDir(dir), std::vector<std::string>{"f.json"});
  }
  // Create, mode, write, fsync, close, rename, the directory's fsync.
  EXPECT_EQ(failures, 7);
}

}  // namespace
}  // namespace internal
}  // namespace safetensors
