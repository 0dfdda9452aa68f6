/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The C API from C99: every call of safetensors/c/safetensors.h, and every
 * status code that a call can produce, each checked exactly. Files are
 * written with the C writer and read back; invalid files are crafted byte by
 * byte. Host-order results are compared with host values, so the same checks
 * hold on a big-endian host (s390x under qemu). ST_ERR_OUT_OF_MEMORY and
 * ST_ERR_INTERNAL cannot be provoked from here (an allocation failure, a
 * bug); their names are checked. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors/c/safetensors.h"

static int failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

/* Checks that `call` returns `code`; with an error object, that it carries
 * the code and a message. */
#define EXPECT_CODE(code, call)                                         \
  do {                                                                  \
    st_status got_ = (call);                                            \
    if (got_ != (code)) {                                               \
      fprintf(stderr, "%s:%d: %s returned %d (%s), expected %s (%s)\n", \
              __FILE__, __LINE__, #call, (int)got_,                     \
              st_status_name(got_) ? st_status_name(got_) : "?", #code, \
              st_status_name(code));                                    \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

/* Calls `call`, whose last argument is &err, and checks code and error. */
#define EXPECT_ERR(code, call)                                         \
  do {                                                                 \
    st_error* err = NULL;                                              \
    st_status got_ = (call);                                           \
    if (got_ != (code)) {                                              \
      fprintf(stderr, "%s:%d: %s returned %d (%s: %s), expected %s\n", \
              __FILE__, __LINE__, #call, (int)got_,                    \
              st_status_name(got_) ? st_status_name(got_) : "?",       \
              st_error_message(err), #code);                           \
      ++failures;                                                      \
    } else if ((code) != ST_OK) {                                      \
      CHECK(err != NULL);                                              \
      CHECK(st_error_code(err) == (code));                             \
      CHECK(strlen(st_error_message(err)) > 0);                        \
    } else {                                                           \
      CHECK(err == NULL);                                              \
    }                                                                  \
    st_error_free(err);                                                \
  } while (0)

static char tmpdir[4096];

static void path_in_tmp(char* out, size_t size, const char* name) {
  snprintf(out, size, "%s/%s", tmpdir, name);
}

static void write_bytes(const char* path, const void* data, size_t size) {
  FILE* f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f == NULL) return;
  CHECK(fwrite(data, 1, size, f) == size);
  fclose(f);
}

/* A file in memory: 8-byte little-endian N, the header, then `data_size`
 * zero bytes. Returns its size; `out` must hold it. */
static size_t craft(uint8_t* out, const char* header, size_t data_size) {
  size_t n = strlen(header);
  int i;
  for (i = 0; i < 8; ++i) out[i] = (uint8_t)((uint64_t)n >> (8 * i));
  memcpy(out + 8, header, n);
  memset(out + 8 + n, 0, data_size);
  return 8 + n + data_size;
}

/* st_parse of a crafted file, expecting `code` in the strict profile. */
static void expect_parse(st_status code, const char* header, size_t data_size,
                         int line) {
  static uint8_t buffer[4096];
  size_t size = craft(buffer, header, data_size);
  st_reader* reader = NULL;
  st_error* err = NULL;
  st_status got = st_parse(buffer, size, ST_PROFILE_STRICT, &reader, &err);
  if (got != code) {
    fprintf(stderr, "line %d: parsing %s gave %s (%s), expected %s\n", line,
            header, st_status_name(got), st_error_message(err),
            st_status_name(code));
    ++failures;
  }
  if (code != ST_OK) {
    CHECK(reader == NULL);
    CHECK(st_error_code(err) == code);
  }
  st_error_free(err);
  st_reader_free(reader);
}

static void test_versions(void) {
  CHECK(st_version() == ST_VERSION);
  CHECK(st_abi_version() == ST_ABI_VERSION);
  {
    char expected[32];
    snprintf(expected, sizeof(expected), "%d.%d.%d", ST_VERSION_MAJOR,
             ST_VERSION_MINOR, ST_VERSION_PATCH);
    CHECK(strcmp(st_version_string(), expected) == 0);
  }
}

static void test_status_names(void) {
  st_status s;
  CHECK(strcmp(st_status_name(ST_OK), "OK") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_HEADER_TOO_SMALL), "HeaderTooSmall") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_INVALID_HEADER_DESERIALIZATION),
               "InvalidHeaderDeserialization") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_IO_ERROR), "IoError") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_INVALID_SLICE_RANGE),
               "InvalidSliceRange") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_NULL_ARGUMENT), "NullArgument") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_INVALID_ARGUMENT), "InvalidArgument") ==
        0);
  CHECK(strcmp(st_status_name(ST_ERR_BUFFER_TOO_SMALL), "BufferTooSmall") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_OUT_OF_MEMORY), "OutOfMemory") == 0);
  CHECK(strcmp(st_status_name(ST_ERR_INTERNAL), "Internal") == 0);
  {
    /* Every kind, in code order: the reference's variant names. */
    static const char* const kinds[17] = {"OK",
                                          "HeaderTooSmall",
                                          "HeaderTooLarge",
                                          "InvalidHeaderLength",
                                          "InvalidHeader",
                                          "InvalidHeaderDeserialization",
                                          "InvalidOffset",
                                          "TensorInvalidInfo",
                                          "ValidationOverflow",
                                          "MisalignedSlice",
                                          "MetadataIncompleteBuffer",
                                          "TensorNotFound",
                                          "InvalidTensorView",
                                          "IoError",
                                          "TooManySlices",
                                          "SliceOutOfRange",
                                          "InvalidSliceRange"};
    for (s = 0; s <= 16; ++s) {
      CHECK(st_status_name(s) != NULL &&
            strcmp(st_status_name(s), kinds[s]) == 0);
    }
  }
  CHECK(st_status_name(-1) == NULL);
  CHECK(st_status_name(17) == NULL);
  CHECK(st_status_name(99) == NULL);
  CHECK(st_status_name(105) == NULL);
  /* A NULL error object. */
  CHECK(st_error_code(NULL) == ST_ERR_NULL_ARGUMENT);
  CHECK(strcmp(st_error_message(NULL), "") == 0);
  st_error_free(NULL);
}

static void test_dtypes(void) {
  static const char* const names[ST_DTYPE_COUNT] = {
      "BOOL",    "F4",      "F6_E2M3", "F6_E3M2",     "U8",          "I8",
      "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "I16",
      "U16",     "F16",     "BF16",    "I32",         "U32",         "F32",
      "C64",     "F64",     "I64",     "U64"};
  static const int bits[ST_DTYPE_COUNT] = {8,  4,  6,  6,  8,  8,  8,  8,
                                           8,  8,  8,  16, 16, 16, 16, 32,
                                           32, 32, 64, 64, 64, 64};
  st_dtype d;
  for (d = 0; d < ST_DTYPE_COUNT; ++d) {
    st_dtype back = -1;
    CHECK(st_dtype_name(d) != NULL && strcmp(st_dtype_name(d), names[d]) == 0);
    CHECK(st_dtype_bits(d) == bits[d]);
    EXPECT_ERR(ST_OK,
               st_dtype_from_name(names[d], strlen(names[d]), &back, &err));
    CHECK(back == d);
  }
  CHECK(st_dtype_name(-1) == NULL);
  CHECK(st_dtype_name(ST_DTYPE_COUNT) == NULL);
  CHECK(st_dtype_bits(ST_DTYPE_COUNT) == 0);
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_dtype_from_name("f32", 3, &d, &err));
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_dtype_from_name("F32\0", 4, &d, &err));
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_dtype_from_name(NULL, 0, &d, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_dtype_from_name(NULL, 3, &d, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_dtype_from_name("F32", 3, NULL, &err));
  /* Without an error object. */
  EXPECT_CODE(ST_ERR_INVALID_ARGUMENT, st_dtype_from_name("x", 1, &d, NULL));
}

/* The model every reading test starts from. */
static const float a_values[6] = {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
static const uint64_t a_dims[2] = {2, 3};
/* I16 [4] given as little-endian bytes: 1, 2, 3, -1. */
static const uint8_t b_le[8] = {1, 0, 2, 0, 3, 0, 0xff, 0xff};
static const uint64_t b_dims[1] = {4};
static const char b_name[3] = {'b', '\0', 'c'};
/* BF16 [2] given as host uint16 values: 1.0 and -2.0. */
static const uint16_t s_values[2] = {0x3f80, 0xc000};
static const uint64_t s_dims[1] = {2};
static const uint64_t e_dims[2] = {0, 3};
static const uint8_t flag = 1;

static void model(st_tensor_desc out[5]) {
  memset(out, 0, 5 * sizeof(st_tensor_desc));
  out[0].name = "a";
  out[0].name_len = 1;
  out[0].dtype = ST_DTYPE_F32;
  out[0].byte_order = ST_BYTE_ORDER_HOST;
  out[0].rank = 2;
  out[0].dims = a_dims;
  out[0].data = a_values;
  out[0].data_len = sizeof(a_values);
  out[1].name = b_name;
  out[1].name_len = sizeof(b_name);
  out[1].dtype = ST_DTYPE_I16;
  out[1].byte_order = ST_BYTE_ORDER_LITTLE_ENDIAN;
  out[1].rank = 1;
  out[1].dims = b_dims;
  out[1].data = b_le;
  out[1].data_len = sizeof(b_le);
  out[2].name = "s";
  out[2].name_len = 1;
  out[2].dtype = ST_DTYPE_BF16;
  out[2].rank = 1;
  out[2].dims = s_dims;
  out[2].data = s_values;
  out[2].data_len = sizeof(s_values);
  out[3].name = "empty";
  out[3].name_len = 5;
  out[3].dtype = ST_DTYPE_F64;
  out[3].rank = 2;
  out[3].dims = e_dims;
  out[3].data = NULL; /* zero bytes: NULL allowed */
  out[3].data_len = 0;
  out[4].name = "flag";
  out[4].name_len = 4;
  out[4].dtype = ST_DTYPE_BOOL;
  out[4].rank = 0; /* a scalar */
  out[4].dims = NULL;
  out[4].data = &flag;
  out[4].data_len = 1;
}

static const char meta_key2[4] = {'k', '\0', 'e', 'y'};
static void metadata(st_metadata_entry out[2]) {
  out[0].key = "format";
  out[0].key_len = 6;
  out[0].value = "pt";
  out[0].value_len = 2;
  out[1].key = meta_key2;
  out[1].key_len = sizeof(meta_key2);
  out[1].value = "v";
  out[1].value_len = 1;
}

static const st_tensor* find(const st_reader* r, const char* name, size_t len) {
  const st_tensor* t = NULL;
  EXPECT_ERR(ST_OK, st_reader_find(r, name, len, &t, &err));
  return t;
}

/* Everything a reader of model() must show. */
static void check_model(const st_reader* r, int declared_order) {
  size_t count = 0, i, rank = 0, len = 0, size = 0;
  const st_tensor* t = NULL;
  const char* name = NULL;
  const uint64_t* dims = NULL;
  const void* data = NULL;
  st_dtype dtype = -1;
  uint64_t elements = 0;
  float f[6];
  int16_t i16[4];
  uint16_t u16[2];
  const char* key;
  const char* value;
  size_t key_len, value_len;

  EXPECT_CODE(ST_OK, st_reader_tensor_count(r, &count));
  CHECK(count == 5);
  /* File order: the reference's (dtype rank descending, then name), or the
   * declared one. */
  {
    static const char* const reference[5] = {"empty", "a", "s", "b", "flag"};
    static const char* const declared[5] = {"a", "b", "s", "empty", "flag"};
    for (i = 0; i < 5 && i < count; ++i) {
      const char* want = declared_order ? declared[i] : reference[i];
      EXPECT_ERR(ST_OK, st_reader_tensor_at(r, i, &t, &err));
      EXPECT_CODE(ST_OK, st_tensor_name(t, &name, &len));
      CHECK(len >= 1 && memcmp(name, want, 1) == 0);
    }
  }
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_reader_tensor_at(r, 5, &t, &err));

  /* "a": F32 [2,3], host floats in, host floats out, little-endian inside. */
  t = find(r, "a", 1);
  CHECK(t != NULL);
  if (t == NULL) return;
  EXPECT_CODE(ST_OK, st_tensor_name(t, &name, &len));
  CHECK(len == 1 && name[0] == 'a');
  EXPECT_CODE(ST_OK, st_tensor_dtype(t, &dtype));
  CHECK(dtype == ST_DTYPE_F32);
  EXPECT_CODE(ST_OK, st_tensor_shape(t, &rank, &dims));
  CHECK(rank == 2 && dims != NULL && dims[0] == 2 && dims[1] == 3);
  EXPECT_CODE(ST_OK, st_tensor_element_count(t, &elements));
  CHECK(elements == 6);
  EXPECT_CODE(ST_OK, st_tensor_data(t, &data, &size));
  CHECK(size == 24);
  {
    /* 1.0f is 00 00 80 3f in the file, on every host. */
    static const uint8_t one_le[4] = {0x00, 0x00, 0x80, 0x3f};
    CHECK(memcmp((const uint8_t*)data + 4, one_le, 4) == 0);
  }
  EXPECT_ERR(ST_OK, st_tensor_copy(t, f, sizeof(f), &err));
  CHECK(memcmp(f, a_values, sizeof(f)) == 0);
  EXPECT_ERR(ST_ERR_BUFFER_TOO_SMALL, st_tensor_copy(t, f, 23, &err));
  memset(f, 0, sizeof(f));
  EXPECT_ERR(ST_OK, st_tensor_copy_float(t, NULL, 0, f, 6, &err));
  CHECK(memcmp(f, a_values, sizeof(f)) == 0);
  EXPECT_ERR(ST_ERR_BUFFER_TOO_SMALL,
             st_tensor_copy_float(t, NULL, 0, f, 5, &err));

  /* Slices of "a". */
  {
    st_range cols[2] = {{0, ST_RANGE_END, 1}, {1, 3, 1}}; /* a[:, 1:3] */
    st_range row1[1] = {{1, 2, 1}};                       /* a[1:2] */
    st_range step[2] = {{0, ST_RANGE_END, 1}, {0, 3, 2}}; /* a[:, ::2] */
    uint64_t n = 0, bytes = 0;
    const float want_cols[4] = {1.0f, 2.0f, 4.0f, 5.0f};
    const float want_row1[3] = {3.0f, 4.0f, 5.0f};
    const float want_step[4] = {0.0f, 2.0f, 3.0f, 5.0f};
    EXPECT_ERR(ST_OK, st_tensor_slice_size(t, cols, 2, &n, &bytes, &err));
    CHECK(n == 4 && bytes == 16);
    EXPECT_ERR(ST_OK, st_tensor_slice_size(t, NULL, 0, &n, &bytes, &err));
    CHECK(n == 6 && bytes == 24);
    memset(f, 0, sizeof(f));
    EXPECT_ERR(ST_OK, st_tensor_copy_slice(t, cols, 2, f, sizeof(f), &err));
    CHECK(memcmp(f, want_cols, sizeof(want_cols)) == 0);
    EXPECT_ERR(ST_OK, st_tensor_copy_slice(t, row1, 1, f, 12, &err));
    CHECK(memcmp(f, want_row1, sizeof(want_row1)) == 0);
    EXPECT_ERR(ST_OK, st_tensor_copy_float(t, step, 2, f, 4, &err));
    CHECK(memcmp(f, want_step, sizeof(want_step)) == 0);
    EXPECT_ERR(ST_ERR_BUFFER_TOO_SMALL,
               st_tensor_copy_slice(t, cols, 2, f, 15, &err));
    EXPECT_ERR(ST_ERR_BUFFER_TOO_SMALL,
               st_tensor_copy_float(t, cols, 2, f, 3, &err));
    {
      st_range three[3] = {{0, 1, 1}, {0, 1, 1}, {0, 1, 1}};
      st_range past[1] = {{5, 6, 1}};
      st_range backwards[2] = {{0, 2, 1}, {2, 1, 1}};
      st_range zero_step[1] = {{0, 2, 0}};
      EXPECT_ERR(ST_ERR_TOO_MANY_SLICES,
                 st_tensor_slice_size(t, three, 3, &n, &bytes, &err));
      EXPECT_ERR(ST_ERR_SLICE_OUT_OF_RANGE,
                 st_tensor_slice_size(t, past, 1, &n, &bytes, &err));
      EXPECT_ERR(ST_ERR_INVALID_SLICE_RANGE,
                 st_tensor_copy_slice(t, backwards, 2, f, sizeof(f), &err));
      EXPECT_ERR(ST_ERR_INVALID_SLICE_RANGE,
                 st_tensor_copy_float(t, zero_step, 1, f, 6, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_slice_size(t, NULL, 1, &n, &bytes, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_slice_size(t, cols, 2, NULL, &bytes, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_slice_size(NULL, cols, 2, &n, &bytes, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_slice(t, cols, 2, NULL, 16, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_slice(NULL, cols, 2, f, 16, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_slice(t, NULL, 2, f, 16, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_float(t, NULL, 1, f, 6, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_float(t, NULL, 0, NULL, 6, &err));
      EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
                 st_tensor_copy_float(NULL, NULL, 0, f, 6, &err));
    }
  }

  /* "b\0c": a name with NUL; little-endian bytes in, host int16 out. */
  EXPECT_ERR(ST_ERR_TENSOR_NOT_FOUND, st_reader_find(r, "b", 1, &t, &err));
  t = find(r, b_name, sizeof(b_name));
  CHECK(t != NULL);
  if (t == NULL) return;
  EXPECT_CODE(ST_OK, st_tensor_name(t, &name, &len));
  CHECK(len == 3 && memcmp(name, b_name, 3) == 0);
  EXPECT_CODE(ST_OK, st_tensor_data(t, &data, &size));
  CHECK(size == 8 && memcmp(data, b_le, 8) == 0);
  EXPECT_ERR(ST_OK, st_tensor_copy(t, i16, sizeof(i16), &err));
  CHECK(i16[0] == 1 && i16[1] == 2 && i16[2] == 3 && i16[3] == -1);
  EXPECT_ERR(ST_OK, st_tensor_copy_float(t, NULL, 0, f, 4, &err));
  CHECK(f[0] == 1.0f && f[1] == 2.0f && f[2] == 3.0f && f[3] == -1.0f);

  /* "s": BF16 from host values; raw bits back in host order, and floats. */
  t = find(r, "s", 1);
  CHECK(t != NULL);
  if (t == NULL) return;
  EXPECT_ERR(ST_OK, st_tensor_copy(t, u16, sizeof(u16), &err));
  CHECK(u16[0] == 0x3f80 && u16[1] == 0xc000);
  EXPECT_CODE(ST_OK, st_tensor_data(t, &data, &size));
  CHECK(size == 4 && ((const uint8_t*)data)[0] == 0x80 &&
        ((const uint8_t*)data)[1] == 0x3f);
  EXPECT_ERR(ST_OK, st_tensor_copy_float(t, NULL, 0, f, 2, &err));
  CHECK(f[0] == 1.0f && f[1] == -2.0f);

  /* "empty": F64 [0,3], no bytes. */
  t = find(r, "empty", 5);
  CHECK(t != NULL);
  if (t == NULL) return;
  EXPECT_CODE(ST_OK, st_tensor_element_count(t, &elements));
  CHECK(elements == 0);
  EXPECT_CODE(ST_OK, st_tensor_data(t, &data, &size));
  CHECK(size == 0);
  EXPECT_ERR(ST_OK, st_tensor_copy(t, NULL, 0, &err));
  EXPECT_ERR(ST_OK, st_tensor_copy_float(t, NULL, 0, NULL, 0, &err));

  /* "flag": a BOOL scalar. */
  t = find(r, "flag", 4);
  CHECK(t != NULL);
  if (t == NULL) return;
  EXPECT_CODE(ST_OK, st_tensor_shape(t, &rank, &dims));
  CHECK(rank == 0 && dims == NULL);
  EXPECT_CODE(ST_OK, st_tensor_element_count(t, &elements));
  CHECK(elements == 1);
  EXPECT_ERR(ST_OK, st_tensor_copy_float(t, NULL, 0, f, 1, &err));
  CHECK(f[0] == 1.0f);

  /* Metadata, ordered by key bytes: "format" < "k\0ey". */
  EXPECT_CODE(ST_OK, st_reader_metadata_count(r, &count));
  CHECK(count == 2);
  EXPECT_ERR(ST_OK, st_reader_metadata_at(r, 0, &key, &key_len, &value,
                                          &value_len, &err));
  CHECK(key_len == 6 && memcmp(key, "format", 6) == 0);
  CHECK(value_len == 2 && memcmp(value, "pt", 2) == 0);
  EXPECT_ERR(ST_OK, st_reader_metadata_at(r, 1, &key, &key_len, &value,
                                          &value_len, &err));
  CHECK(key_len == 4 && memcmp(key, meta_key2, 4) == 0);
  CHECK(value_len == 1 && value[0] == 'v');
  EXPECT_ERR(
      ST_ERR_INVALID_ARGUMENT,
      st_reader_metadata_at(r, 2, &key, &key_len, &value, &value_len, &err));
  EXPECT_ERR(
      ST_ERR_NULL_ARGUMENT,
      st_reader_metadata_at(r, 0, NULL, &key_len, &value, &value_len, &err));
  EXPECT_ERR(
      ST_ERR_NULL_ARGUMENT,
      st_reader_metadata_at(NULL, 0, &key, &key_len, &value, &value_len, &err));
  {
    int32_t present = -1;
    EXPECT_CODE(ST_OK, st_reader_has_metadata(r, &present));
    CHECK(present == 1);
  }

  /* data_offsets, in the file's order: the reference's or the declared. */
  {
    static const char* const names[5] = {"a", "b\0c", "s", "empty", "flag"};
    static const size_t lens[5] = {1, 3, 1, 5, 4};
    static const uint64_t reference[5][2] = {
        {0, 24}, {28, 36}, {24, 28}, {0, 0}, {36, 37}};
    static const uint64_t declared[5][2] = {
        {0, 24}, {24, 32}, {32, 36}, {36, 36}, {36, 37}};
    uint64_t begin = 1, end = 0, header_len = 0, data_len = 0;
    for (i = 0; i < 5; ++i) {
      const uint64_t* want = declared_order ? declared[i] : reference[i];
      t = find(r, names[i], lens[i]);
      if (t == NULL) continue;
      EXPECT_CODE(ST_OK, st_tensor_offsets(t, &begin, &end));
      CHECK(begin == want[0] && end == want[1]);
    }
    EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_offsets(t, NULL, &end));
    EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_offsets(t, &begin, NULL));
    EXPECT_ERR(ST_OK, st_reader_file_layout(r, &header_len, &data_len, &err));
    CHECK(data_len == 37);
    CHECK(header_len > 2 && (8 + header_len) % 8 == 0);
    EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
               st_reader_file_layout(r, NULL, &data_len, &err));
    EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
               st_reader_file_layout(r, &header_len, NULL, &err));
  }
}

/* "__metadata__" absent, and present but empty: has_metadata tells them
 * apart where the count cannot. */
static void test_metadata_presence(void) {
  st_tensor_desc tensors[5];
  st_metadata_entry none[1] = {{"", 0, "", 0}};
  int pass;
  model(tensors);
  for (pass = 0; pass < 2; ++pass) {
    void* buffer = NULL;
    size_t size = 0, count = 9;
    int32_t present = -1;
    st_reader* r = NULL;
    /* NULL metadata writes no "__metadata__"; a non-NULL empty array "{}". */
    EXPECT_ERR(ST_OK, st_serialize(tensors, 5, pass == 0 ? NULL : none, 0, NULL,
                                   &buffer, &size, &err));
    if (buffer == NULL) continue;
    EXPECT_ERR(ST_OK, st_parse(buffer, size, ST_PROFILE_STRICT, &r, &err));
    if (r != NULL) {
      EXPECT_CODE(ST_OK, st_reader_has_metadata(r, &present));
      CHECK(present == pass);
      EXPECT_CODE(ST_OK, st_reader_metadata_count(r, &count));
      CHECK(count == 0);
      EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_has_metadata(r, NULL));
    }
    st_reader_free(r);
    st_buffer_free(buffer);
  }
  {
    /* In the reference profile "__metadata__": null is no metadata. */
    static const char header[] =
        "{\"__metadata__\":null,\"x\":{\"dtype\":\"U8\",\"shape\":[1],"
        "\"data_offsets\":[0,1]}}";
    uint8_t file[128];
    const size_t size = craft(file, header, 1);
    st_reader* r = NULL;
    int32_t present = -1;
    EXPECT_ERR(ST_OK, st_parse(file, size, ST_PROFILE_REFERENCE, &r, &err));
    if (r != NULL) {
      EXPECT_CODE(ST_OK, st_reader_has_metadata(r, &present));
      CHECK(present == 0);
    }
    st_reader_free(r);
  }
}

static void test_null_handles(void) {
  const st_tensor* t = NULL;
  size_t n = 0;
  const char* name;
  const uint64_t* dims;
  const void* data;
  st_dtype dtype;
  uint64_t count;
  st_reader* reader = NULL;
  uint8_t byte = 0;
  int32_t present;
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_tensor_count(NULL, &n));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_reader_tensor_at(NULL, 0, &t, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_reader_find(NULL, "a", 1, &t, &err));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_metadata_count(NULL, &n));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_name(NULL, &name, &n));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_dtype(NULL, &dtype));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_shape(NULL, &n, &dims));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_element_count(NULL, &count));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_data(NULL, &data, &n));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_offsets(NULL, &count, &count));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_has_metadata(NULL, &present));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_reader_file_layout(NULL, &count, &count, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_tensor_copy(NULL, &byte, 1, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_open(NULL, 0, 0, &reader, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_open("x", 0, 0, NULL, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_parse(NULL, 8, 0, &reader, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_parse(&byte, 1, 0, NULL, &err));
  CHECK(reader == NULL);
  st_reader_free(NULL);
  st_buffer_free(NULL);
  st_write_options_init(NULL);
}

static void test_null_outputs(const st_reader* r) {
  const st_tensor* t = NULL;
  size_t n;
  const char* name;
  const uint64_t* dims;
  const void* data;
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_tensor_count(r, NULL));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_reader_metadata_count(r, NULL));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_reader_tensor_at(r, 0, NULL, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_reader_find(r, "a", 1, NULL, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_reader_find(r, NULL, 1, &t, &err));
  EXPECT_ERR(ST_OK, st_reader_tensor_at(r, 0, &t, &err));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_name(t, NULL, &n));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_name(t, &name, NULL));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_dtype(t, NULL));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_shape(t, NULL, &dims));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_shape(t, &n, NULL));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_element_count(t, NULL));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_data(t, NULL, &n));
  EXPECT_CODE(ST_ERR_NULL_ARGUMENT, st_tensor_data(t, &data, NULL));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_tensor_copy(t, NULL, 8, &err));
  /* An empty name is a valid lookup that finds nothing. */
  EXPECT_ERR(ST_ERR_TENSOR_NOT_FOUND, st_reader_find(r, NULL, 0, &t, &err));
}

static void test_write_and_read(void) {
  st_tensor_desc tensors[5];
  st_metadata_entry meta[2];
  void* buffer = NULL;
  size_t size = 0, size2 = 0;
  st_reader* r = NULL;
  char path[4200];
  model(tensors);
  metadata(meta);

  /* Serialize into a library buffer, parse it (borrowed). */
  EXPECT_ERR(ST_OK,
             st_serialize(tensors, 5, meta, 2, NULL, &buffer, &size, &err));
  CHECK(buffer != NULL && size > 8);
  if (buffer == NULL) return;
  EXPECT_ERR(ST_OK, st_parse(buffer, size, ST_PROFILE_STRICT, &r, &err));
  if (r != NULL) {
    check_model(r, 0);
    test_null_outputs(r);
  }
  st_reader_free(r);
  r = NULL;
  EXPECT_ERR(ST_OK, st_parse(buffer, size, ST_PROFILE_REFERENCE, &r, &err));
  if (r != NULL) check_model(r, 0);
  st_reader_free(r);
  r = NULL;
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_parse(buffer, size, 2, &r, &err));
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT, st_parse(buffer, size, -1, &r, &err));
  CHECK(r == NULL);

  /* Into the caller's buffer: sized by a first call. */
  EXPECT_ERR(
      ST_ERR_BUFFER_TOO_SMALL,
      st_serialize_into(tensors, 5, meta, 2, NULL, NULL, 0, &size2, &err));
  CHECK(size2 == size);
  {
    uint8_t* mine = (uint8_t*)malloc(size);
    CHECK(mine != NULL);
    if (mine != NULL) {
      EXPECT_ERR(ST_ERR_BUFFER_TOO_SMALL,
                 st_serialize_into(tensors, 5, meta, 2, NULL, mine, size - 1,
                                   &size2, &err));
      EXPECT_ERR(ST_OK, st_serialize_into(tensors, 5, meta, 2, NULL, mine, size,
                                          &size2, &err));
      CHECK(size2 == size && memcmp(mine, buffer, size) == 0);
      free(mine);
    }
  }
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_serialize_into(tensors, 5, meta, 2, NULL,
                                                     NULL, 8, &size2, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT, st_serialize_into(tensors, 5, meta, 2, NULL,
                                                     buffer, size, NULL, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_serialize(tensors, 5, meta, 2, NULL, NULL, &size, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_serialize(tensors, 5, meta, 2, NULL, &buffer, NULL, &err));

  /* To a path, then opened with each backend: the same bytes. */
  path_in_tmp(path, sizeof(path), "model.safetensors");
  EXPECT_ERR(ST_OK, st_write_file(path, tensors, 5, meta, 2, NULL, &err));
  {
    st_backend backend;
    for (backend = ST_BACKEND_MMAP; backend <= ST_BACKEND_PREAD; ++backend) {
      r = NULL;
      EXPECT_ERR(ST_OK, st_open(path, ST_PROFILE_STRICT, backend, &r, &err));
      if (r != NULL) check_model(r, 0);
      st_reader_free(r);
    }
  }
  r = NULL;
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
             st_open(path, 7, ST_BACKEND_MMAP, &r, &err));
  EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
             st_open(path, ST_PROFILE_STRICT, 2, &r, &err));
  CHECK(r == NULL);
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_write_file(NULL, tensors, 5, meta, 2, NULL, &err));
  {
    char missing[4300];
    snprintf(missing, sizeof(missing), "%s/no/such/dir/m.safetensors", tmpdir);
    EXPECT_ERR(ST_ERR_IO_ERROR,
               st_write_file(missing, tensors, 5, meta, 2, NULL, &err));
    EXPECT_ERR(ST_ERR_IO_ERROR,
               st_open(missing, ST_PROFILE_STRICT, ST_BACKEND_MMAP, &r, &err));
    EXPECT_ERR(ST_ERR_IO_ERROR,
               st_open(missing, ST_PROFILE_STRICT, ST_BACKEND_PREAD, &r, &err));
  }

  /* Options: alignment, declared order; struct_size and values checked. */
  {
    st_write_options opts;
    void* aligned = NULL;
    size_t aligned_size = 0;
    st_write_options_init(&opts);
    CHECK(opts.struct_size == sizeof(opts) && opts.alignment == 8 &&
          opts.fsync == 0 && opts.tensor_order == ST_ORDER_REFERENCE);
    opts.alignment = 64;
    opts.tensor_order = ST_ORDER_DECLARED;
    opts.fsync = 1;
    EXPECT_ERR(ST_OK, st_serialize(tensors, 5, meta, 2, &opts, &aligned,
                                   &aligned_size, &err));
    if (aligned != NULL) {
      const uint8_t* p = (const uint8_t*)aligned;
      uint64_t n = 0;
      int i;
      for (i = 7; i >= 0; --i) n = (n << 8) | p[i];
      CHECK((8 + n) % 64 == 0);
      r = NULL;
      EXPECT_ERR(ST_OK,
                 st_parse(aligned, aligned_size, ST_PROFILE_STRICT, &r, &err));
      if (r != NULL) check_model(r, 1);
      st_reader_free(r);
      st_buffer_free(aligned);
    }
    path_in_tmp(path, sizeof(path), "fsynced.safetensors");
    EXPECT_ERR(ST_OK, st_write_file(path, tensors, 5, meta, 2, &opts, &err));
    opts.alignment = 12;
    EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
               st_serialize(tensors, 5, meta, 2, &opts, &aligned, &aligned_size,
                            &err));
    opts.alignment = 8;
    opts.tensor_order = 2;
    EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
               st_serialize(tensors, 5, meta, 2, &opts, &aligned, &aligned_size,
                            &err));
    opts.tensor_order = ST_ORDER_REFERENCE;
    opts.struct_size = 8;
    EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
               st_write_file(path, tensors, 5, meta, 2, &opts, &err));
  }
  st_buffer_free(buffer);
}

static void test_write_errors(void) {
  st_tensor_desc t[5];
  st_metadata_entry meta[2];
  void* out = NULL;
  size_t size = 0;
  const uint64_t huge[2] = {UINT64_C(1) << 62, 8};
  const uint64_t three[1] = {3};
  const uint8_t two[2] = {0, 0};

#define SERIALIZE_FAILS(code, n_meta) \
  EXPECT_ERR(code, st_serialize(t, 5, meta, n_meta, NULL, &out, &size, &err))

  model(t);
  metadata(meta);
  t[0].name = "__metadata__";
  t[0].name_len = 12;
  SERIALIZE_FAILS(ST_ERR_INVALID_HEADER_DESERIALIZATION, 2);
  model(t);
  t[1].name = "a";
  t[1].name_len = 1;
  SERIALIZE_FAILS(ST_ERR_INVALID_HEADER_DESERIALIZATION, 2);
  model(t);
  t[0].data_len = 20;
  SERIALIZE_FAILS(ST_ERR_TENSOR_INVALID_INFO, 2);
  model(t);
  t[0].dims = huge;
  SERIALIZE_FAILS(ST_ERR_VALIDATION_OVERFLOW, 2);
  model(t);
  t[4].dtype = ST_DTYPE_F4; /* 3 x 4 bits: not whole bytes */
  t[4].rank = 1;
  t[4].dims = three;
  t[4].data = two;
  t[4].data_len = 2;
  SERIALIZE_FAILS(ST_ERR_MISALIGNED_SLICE, 2);
  model(t);
  t[0].dtype = ST_DTYPE_COUNT;
  SERIALIZE_FAILS(ST_ERR_INVALID_ARGUMENT, 2);
  model(t);
  t[0].byte_order = 2;
  SERIALIZE_FAILS(ST_ERR_INVALID_ARGUMENT, 2);
  model(t);
  t[0].name = "\xff";
  SERIALIZE_FAILS(ST_ERR_INVALID_ARGUMENT, 2);
  model(t);
  meta[1].key = "format";
  meta[1].key_len = 6;
  SERIALIZE_FAILS(ST_ERR_INVALID_ARGUMENT, 2);
  metadata(meta);
  t[0].name = NULL;
  SERIALIZE_FAILS(ST_ERR_NULL_ARGUMENT, 2);
  model(t);
  t[0].dims = NULL;
  SERIALIZE_FAILS(ST_ERR_NULL_ARGUMENT, 2);
  model(t);
  t[0].data = NULL;
  SERIALIZE_FAILS(ST_ERR_NULL_ARGUMENT, 2);
  model(t);
  meta[0].value = NULL;
  SERIALIZE_FAILS(ST_ERR_NULL_ARGUMENT, 2);
  metadata(meta);
  meta[0].key = NULL;
  SERIALIZE_FAILS(ST_ERR_NULL_ARGUMENT, 2);
  metadata(meta);
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_serialize(NULL, 1, NULL, 0, NULL, &out, &size, &err));
  EXPECT_ERR(ST_ERR_NULL_ARGUMENT,
             st_serialize(t, 5, NULL, 1, NULL, &out, &size, &err));
  CHECK(out == NULL);
  /* No tensors and no metadata is a valid (empty) file. */
  EXPECT_ERR(ST_OK, st_serialize(NULL, 0, NULL, 0, NULL, &out, &size, &err));
  if (out != NULL) {
    st_reader* r = NULL;
    size_t n = 1;
    EXPECT_ERR(ST_OK, st_parse(out, size, ST_PROFILE_STRICT, &r, &err));
    EXPECT_CODE(ST_OK, st_reader_tensor_count(r, &n));
    CHECK(n == 0);
    EXPECT_CODE(ST_OK, st_reader_metadata_count(r, &n));
    CHECK(n == 0);
    st_reader_free(r);
    st_buffer_free(out);
  }
#undef SERIALIZE_FAILS
}

static void test_read_errors(void) {
  uint8_t small[4] = {0, 0, 0, 0};
  uint8_t large[16] = {0};
  st_reader* r = NULL;
  const st_tensor* t = NULL;
  /* Length rules. */
  EXPECT_ERR(ST_ERR_HEADER_TOO_SMALL,
             st_parse(small, sizeof(small), ST_PROFILE_STRICT, &r, &err));
  EXPECT_ERR(ST_ERR_HEADER_TOO_SMALL,
             st_parse(NULL, 0, ST_PROFILE_STRICT, &r, &err));
  large[3] = 0x40; /* N = 2^30 > 100 000 000 */
  EXPECT_ERR(ST_ERR_HEADER_TOO_LARGE,
             st_parse(large, sizeof(large), ST_PROFILE_STRICT, &r, &err));
  memset(large, 0, sizeof(large));
  large[0] = 100; /* N = 100, 8 bytes present */
  EXPECT_ERR(ST_ERR_INVALID_HEADER_LENGTH,
             st_parse(large, sizeof(large), ST_PROFILE_STRICT, &r, &err));
  CHECK(r == NULL);
  /* The header. */
  expect_parse(ST_ERR_INVALID_HEADER, "{\"\xff\":1}", 0, __LINE__);
  expect_parse(ST_ERR_INVALID_HEADER_DESERIALIZATION, "{x}    ", 0, __LINE__);
  expect_parse(ST_ERR_INVALID_HEADER_DESERIALIZATION,
               "{\"a\":{\"dtype\":\"X\",\"shape\":[],\"data_offsets\":[0,0]}}",
               0, __LINE__);
  expect_parse(
      ST_ERR_INVALID_OFFSET,
      "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2,
      __LINE__);
  expect_parse(
      ST_ERR_TENSOR_INVALID_INFO,
      "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1,
      __LINE__);
  expect_parse(ST_ERR_VALIDATION_OVERFLOW,
               "{\"a\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296,2],"
               "\"data_offsets\":[0,0]}}",
               0, __LINE__);
  expect_parse(
      ST_ERR_MISALIGNED_SLICE,
      "{\"a\":{\"dtype\":\"F4\",\"shape\":[1],\"data_offsets\":[0,0]}}", 0,
      __LINE__);
  expect_parse(
      ST_ERR_METADATA_INCOMPLETE_BUFFER,
      "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 2,
      __LINE__);
  expect_parse(
      ST_OK, "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
      1, __LINE__);
  /* The profile decides: leading whitespace is the reference's, not strict. */
  {
    uint8_t buffer[256];
    const char* header =
        " {\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    size_t size = craft(buffer, header, 1);
    EXPECT_ERR(ST_ERR_INVALID_HEADER_DESERIALIZATION,
               st_parse(buffer, size, ST_PROFILE_STRICT, &r, &err));
    EXPECT_ERR(ST_OK, st_parse(buffer, size, ST_PROFILE_REFERENCE, &r, &err));
    st_reader_free(r);
    r = NULL;
  }
  /* Tensors without a float value or with sub-byte elements. */
  {
    uint8_t buffer[256];
    const char* header =
        "{\"c\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]},"
        "\"f\":{\"dtype\":\"F4\",\"shape\":[4],\"data_offsets\":[8,10]}}";
    size_t size = craft(buffer, header, 10);
    float f[4];
    uint8_t out[8];
    st_range one[1] = {{1, 2, 1}};
    EXPECT_ERR(ST_OK, st_parse(buffer, size, ST_PROFILE_STRICT, &r, &err));
    if (r != NULL) {
      t = find(r, "c", 1);
      EXPECT_ERR(ST_ERR_INVALID_TENSOR_VIEW,
                 st_tensor_copy_float(t, NULL, 0, f, 2, &err));
      EXPECT_ERR(ST_OK, st_tensor_copy(t, out, sizeof(out), &err));
      t = find(r, "f", 1);
      EXPECT_ERR(ST_ERR_INVALID_TENSOR_VIEW,
                 st_tensor_copy_float(t, NULL, 0, f, 4, &err));
      EXPECT_ERR(ST_ERR_MISALIGNED_SLICE,
                 st_tensor_copy_slice(t, one, 1, out, sizeof(out), &err));
    }
    st_reader_free(r);
    r = NULL;
  }
}

static void test_sharded(void) {
  char dir[4200], path[4300];
  const uint64_t dims[1] = {2};
  const uint8_t x_bytes[2] = {7, 8};
  const int32_t y_values[2] = {-5, 6};
  st_tensor_desc d;
  st_metadata_entry meta;
  st_reader* r = NULL;
  const char* index =
      "{\"metadata\": {\"total_size\": 10},\n"
      " \"weight_map\": {\"x\": \"model-00001-of-00002.safetensors\",\n"
      "                \"y\": \"model-00002-of-00002.safetensors\"}}\n";

  snprintf(dir, sizeof(dir), "%s/sharded", tmpdir);
  /* The writer needs the directory: make it through an index-less file
   * write failing first would be an IoError, so create it with a shard. */
  {
    char cmd[4400];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
    CHECK(system(cmd) == 0);
  }
  memset(&d, 0, sizeof(d));
  d.name = "x";
  d.name_len = 1;
  d.dtype = ST_DTYPE_U8;
  d.rank = 1;
  d.dims = dims;
  d.data = x_bytes;
  d.data_len = 2;
  meta.key = "format";
  meta.key_len = 6;
  meta.value = "pt";
  meta.value_len = 2;
  snprintf(path, sizeof(path), "%s/model-00001-of-00002.safetensors", dir);
  EXPECT_ERR(ST_OK, st_write_file(path, &d, 1, &meta, 1, NULL, &err));
  d.name = "y";
  d.dtype = ST_DTYPE_I32;
  d.data = y_values;
  d.data_len = sizeof(y_values);
  snprintf(path, sizeof(path), "%s/model-00002-of-00002.safetensors", dir);
  EXPECT_ERR(ST_OK, st_write_file(path, &d, 1, &meta, 1, NULL, &err));
  snprintf(path, sizeof(path), "%s/model.safetensors.index.json", dir);
  write_bytes(path, index, strlen(index));

  {
    int pass;
    for (pass = 0; pass < 2; ++pass) {
      size_t count = 0;
      const st_tensor* t = NULL;
      int32_t y[2];
      uint8_t x[2];
      const char *key, *value;
      size_t key_len, value_len;
      r = NULL;
      /* The index by path, then the model directory. */
      EXPECT_ERR(ST_OK, st_open(pass == 0 ? path : dir, ST_PROFILE_STRICT,
                                ST_BACKEND_MMAP, &r, &err));
      if (r == NULL) continue;
      EXPECT_CODE(ST_OK, st_reader_tensor_count(r, &count));
      CHECK(count == 2);
      EXPECT_ERR(ST_OK, st_reader_tensor_at(r, 1, &t, &err));
      {
        const char* name;
        size_t len;
        EXPECT_CODE(ST_OK, st_tensor_name(t, &name, &len));
        CHECK(len == 1 && name[0] == 'y');
      }
      t = find(r, "y", 1);
      EXPECT_ERR(ST_OK, st_tensor_copy(t, y, sizeof(y), &err));
      CHECK(y[0] == -5 && y[1] == 6);
      t = find(r, "x", 1);
      EXPECT_ERR(ST_OK, st_tensor_copy(t, x, sizeof(x), &err));
      CHECK(x[0] == 7 && x[1] == 8);
      EXPECT_ERR(ST_ERR_TENSOR_NOT_FOUND, st_reader_find(r, "z", 1, &t, &err));
      EXPECT_CODE(ST_OK, st_reader_metadata_count(r, &count));
      CHECK(count == 1);
      EXPECT_ERR(ST_OK, st_reader_metadata_at(r, 0, &key, &key_len, &value,
                                              &value_len, &err));
      CHECK(key_len == 6 && value_len == 2 && memcmp(value, "pt", 2) == 0);
      {
        /* Offsets are the shard's; a checkpoint has no single layout. */
        uint64_t begin = 9, end = 9, header_len = 0, data_len = 0;
        int32_t present = 0;
        t = find(r, "y", 1);
        EXPECT_CODE(ST_OK, st_tensor_offsets(t, &begin, &end));
        CHECK(begin == 0 && end == 8);
        EXPECT_ERR(ST_ERR_INVALID_ARGUMENT,
                   st_reader_file_layout(r, &header_len, &data_len, &err));
        EXPECT_CODE(ST_OK, st_reader_has_metadata(r, &present));
        CHECK(present == 1);
      }
      st_reader_free(r);
      r = NULL;
    }
  }
  /* A broken index, and one naming a shard outside its directory. */
  snprintf(path, sizeof(path), "%s/broken.index.json", dir);
  write_bytes(path, "{\"weight_map\": [}", 17); /* truncated JSON */
  EXPECT_ERR(ST_ERR_INVALID_HEADER_DESERIALIZATION,
             st_open(path, ST_PROFILE_STRICT, ST_BACKEND_MMAP, &r, &err));
  snprintf(path, sizeof(path), "%s/escape.index.json", dir);
  {
    const char* escape = "{\"weight_map\": {\"x\": \"../x.safetensors\"}}";
    write_bytes(path, escape, strlen(escape));
  }
  EXPECT_ERR(ST_ERR_INVALID_HEADER_DESERIALIZATION,
             st_open(path, ST_PROFILE_STRICT, ST_BACKEND_MMAP, &r, &err));
  /* An index naming a tensor its shard lacks. */
  snprintf(path, sizeof(path), "%s/lacking.index.json", dir);
  {
    const char* lacking =
        "{\"weight_map\": {\"q\": \"model-00001-of-00002.safetensors\"}}";
    write_bytes(path, lacking, strlen(lacking));
  }
  EXPECT_ERR(ST_ERR_TENSOR_NOT_FOUND,
             st_open(path, ST_PROFILE_STRICT, ST_BACKEND_MMAP, &r, &err));
  CHECK(r == NULL);
}

int main(void) {
  const char* t = getenv("TEST_TMPDIR");
  snprintf(tmpdir, sizeof(tmpdir), "%s", t != NULL && *t ? t : "/tmp");
  test_versions();
  test_status_names();
  test_dtypes();
  test_null_handles();
  test_write_and_read();
  test_metadata_presence();
  test_write_errors();
  test_read_errors();
  test_sharded();
  if (failures != 0) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("PASS: every C API call and status code checked\n");
  return 0;
}
