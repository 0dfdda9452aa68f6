// Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The consumer program that examples/consumers/{cmake,pkg-config,bazel} build,
// each the way its users build: it opens IN, prints its tensors, writes OUT
// with one new F32 tensor, and reads OUT back. CI runs it on
// examples/tiny.safetensors and compares its output with expected_output.txt.
//
// Usage: consumer IN OUT

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "safetensors/safetensors.h"

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "consumer: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer IN OUT\n");
    return 2;
  }
  absl::StatusOr<safetensors::File> in = safetensors::File::Open(argv[1]);
  if (!in.ok()) return Fail(in.status());
  for (const safetensors::TensorView& t : in->Tensors()) {
    std::string shape;
    for (uint64_t dim : t.shape()) {
      shape += (shape.empty() ? "" : ",") + std::to_string(dim);
    }
    std::printf("%s %s [%s] %llu bytes\n", std::string(t.name()).c_str(),
                std::string(safetensors::DtypeName(t.dtype())).c_str(),
                shape.c_str(), static_cast<unsigned long long>(t.byte_size()));
  }

  // Two host-order floats; the writer stores them little-endian.
  const std::vector<float> values = {1.5f, -2.0f};
  const std::vector<uint64_t> shape = {2};
  std::vector<safetensors::TensorRef> tensors = {
      {"consumer.bias", safetensors::Dtype::kF32, shape,
       absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(values.data()),
                           values.size() * sizeof(float))}};
  absl::Status written = safetensors::WriteFile(argv[2], tensors);
  if (!written.ok()) return Fail(written);

  absl::StatusOr<safetensors::File> out = safetensors::File::Open(argv[2]);
  if (!out.ok()) return Fail(out.status());
  absl::StatusOr<safetensors::TensorView> bias = out->Tensor("consumer.bias");
  if (!bias.ok()) return Fail(bias.status());
  absl::StatusOr<std::vector<float>> read = safetensors::ReadAs<float>(*bias);
  if (!read.ok()) return Fail(read.status());
  std::printf("wrote %s: consumer.bias = [%g, %g]\n", argv[2], (*read)[0],
              (*read)[1]);
  return 0;
}
