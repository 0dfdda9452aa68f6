/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * read_tensors FILE: prints each tensor of a safetensors file (or sharded
 * checkpoint, or model directory) with its dtype, its shape and its first
 * values as floats, through the C API (docs/c-api.md). Exit status: 0, 1 when
 * the file is invalid, 2 on a usage error. */

#include <stdio.h>

#include "safetensors/c/safetensors.h"

#define MAX_VALUES 4 /* values shown per tensor */
#define MAX_RANK 16  /* larger ranks are shown without values */

/* Prints "Kind: message" (the message names the file) and frees the error. */
static int report(st_error* error) {
  fprintf(stderr, "%s: %s\n", st_status_name(st_error_code(error)),
          st_error_message(error));
  st_error_free(error);
  return 1;
}

int main(int argc, char** argv) {
  st_reader* reader = NULL;
  st_error* error = NULL;
  size_t count = 0, i, k;
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  /* Open and validate the file; the reader owns everything below. */
  if (st_open(argv[1], ST_PROFILE_STRICT, ST_BACKEND_MMAP, &reader, &error) !=
      ST_OK) {
    return report(error);
  }
  st_reader_tensor_count(reader, &count);
  for (i = 0; i < count; ++i) {
    const st_tensor* tensor;
    const char* name; /* not NUL-terminated: print with its length */
    const uint64_t* dims;
    size_t name_len, rank;
    st_dtype dtype;
    st_range first[MAX_RANK]; /* the first row's first values */
    float values[MAX_VALUES];
    uint64_t elements, bytes, total;
    st_reader_tensor_at(reader, i, &tensor, NULL);
    st_tensor_name(tensor, &name, &name_len);
    st_tensor_dtype(tensor, &dtype);
    st_tensor_shape(tensor, &rank, &dims);
    printf("%.*s %s [", (int)name_len, name, st_dtype_name(dtype));
    for (k = 0; k < rank; ++k) {
      printf("%s%llu", k > 0 ? "," : "", (unsigned long long)dims[k]);
      if (k < MAX_RANK) { /* a count of 1, or MAX_VALUES on the last */
        const uint64_t want = k + 1 < rank ? 1 : MAX_VALUES;
        first[k].start = 0;
        first[k].stop = dims[k] < want ? dims[k] : want;
        first[k].step = 1;
      }
    }
    printf("]");
    /* The first values in row-major order, converted to floats. */
    if (rank <= MAX_RANK &&
        st_tensor_copy_float(tensor, first, rank, values, MAX_VALUES, &error) ==
            ST_OK &&
        st_tensor_slice_size(tensor, first, rank, &elements, &bytes, NULL) ==
            ST_OK) {
      for (k = 0; k < elements; ++k) printf(" %g", values[k]);
      st_tensor_element_count(tensor, &total);
      if (total > elements) printf(" ...");
    } else if (error != NULL) { /* F4, F6 and C64 have no float value */
      printf(" (%s)", st_status_name(st_error_code(error)));
      st_error_free(error);
      error = NULL;
    }
    printf("\n");
  }
  st_reader_free(reader);
  return 0;
}
