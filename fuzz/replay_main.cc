// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The replay driver: a main() for a fuzz target built without libFuzzer (any
// compiler, any platform). Every argument that is a file is one input, every
// directory is read recursively in name order; arguments starting with '-'
// are libFuzzer flags and are ignored, so one command line serves both
// builds. Each input goes once through LLVMFuzzerTestOneInput; a broken
// invariant aborts, which fails the test. Also the "fuzzing engine" of
// fuzz/coverage.sh and of fuzz/oss-fuzz/build.sh when it builds for replay.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc,
                                                          char*** argv);

// A custom mutator's fallback (fuzz/structured_fuzzer.cc) links against this
// when libFuzzer is absent; replay never mutates.
extern "C" size_t LLVMFuzzerMutate(uint8_t* /*data*/, size_t size,
                                   size_t /*max_size*/) {
  return size;
}

namespace {

void Collect(const std::string& path, std::vector<std::string>* files) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "replay: cannot stat %s\n", path.c_str());
    std::exit(2);
  }
  if (!S_ISDIR(st.st_mode)) {
    files->push_back(path);
    return;
  }
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    std::fprintf(stderr, "replay: cannot open %s\n", path.c_str());
    std::exit(2);
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) Collect(path + "/" + name, files);
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    Collect(argv[i], &files);
  }
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    // A copy of exactly the input's size, so ASan sees reads past its end.
    std::vector<uint8_t> buf(bytes.begin(), bytes.end());
    static uint8_t empty_input;
    uint8_t* data = buf.empty() ? &empty_input : buf.data();
    LLVMFuzzerTestOneInput(data, buf.size());
  }
  std::printf("replay: %zu inputs, no broken invariant\n", files.size());
  return files.empty() ? 1 : 0;
}
