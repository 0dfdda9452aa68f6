/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * write_tensors OUT: writes a small safetensors file through the C API
 * (docs/c-api.md): two F32 tensors and an I64 scalar from host-order arrays,
 * and one metadata entry, atomically (a temporary file renamed over OUT).
 * Exit status: 0, 1 when the write fails, 2 on a usage error. */

#include <stdio.h>

#include "safetensors/c/safetensors.h"

int main(int argc, char** argv) {
  /* The values, in the host's byte order (the writer makes them
   * little-endian). */
  static const float weight[2][3] = {{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}};
  static const float bias[3] = {0.5f, -0.5f, 0.25f};
  static const int64_t step = 1000;
  static const uint64_t weight_dims[2] = {2, 3};
  static const uint64_t bias_dims[1] = {3};
  /* Names and metadata are a pointer and a length. */
  const st_tensor_desc tensors[3] = {
      {"weight", 6, ST_DTYPE_F32, ST_BYTE_ORDER_HOST, 2, weight_dims, weight,
       sizeof weight},
      {"bias", 4, ST_DTYPE_F32, ST_BYTE_ORDER_HOST, 1, bias_dims, bias,
       sizeof bias},
      {"step", 4, ST_DTYPE_I64, ST_BYTE_ORDER_HOST, 0, NULL, &step,
       sizeof step},
  };
  const st_metadata_entry metadata[1] = {{"format", 6, "pt", 2}};
  st_write_options options;
  st_error* error = NULL;
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUT\n", argv[0]);
    return 2;
  }
  /* The defaults, then a change: the data section starts at a multiple of
   * 64 bytes in the file (the header is padded), for aligned mapped views.
   * Tensors go in the reference writer's order: dtype, then name. */
  st_write_options_init(&options);
  options.alignment = 64;
  if (st_write_file(argv[1], tensors, 3, metadata, 1, &options, &error) !=
      ST_OK) {
    fprintf(stderr, "%s: %s\n", st_status_name(st_error_code(error)),
            st_error_message(error));
    st_error_free(error);
    return 1;
  }
  printf("wrote %s\n", argv[1]);
  return 0;
}
