/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The C API (safetensors/c/safetensors.h), from C, on any bytes: st_parse in
 * both profiles and, for what parses, every reading call on every tensor,
 * checked against the file's own bytes and against the other profile, then
 * st_serialize and a strict re-parse. Invariants (FUZZ_CHECK aborts):
 *
 *   - every status is ST_OK or a documented code; every failure with an
 *     st_error** gives an error with that code and a non-empty message;
 *   - tensors: a known dtype, dims present iff rank > 0, the element count is
 *     the dims' product, the bytes lie inside the input and hold exactly
 *     element count x bits, in nondecreasing offset order; st_reader_find by
 *     the name gives the same handle; index == count is InvalidArgument;
 *   - st_tensor_copy gives st_tensor_data's bytes (little-endian hosts; on
 *     big-endian hosts one-byte dtypes, and ST_OK for the others), a buffer
 *     one byte short is BufferTooSmall;
 *   - st_tensor_copy_float: InvalidTensorView exactly for F4, F6_*, C64, else
 *     exact values for U8, I8, U16, I16, BOOL (0/1), F32 (bit for bit), BF16;
 *   - slices with ranges taken from the input's bytes: for whole-byte dtypes
 *     the exact status docs/specification.md §14 gives (TooManySlices, then
 *     per dimension from the last: SliceOutOfRange, InvalidSliceRange), sizes
 *     and copied bytes equal to a gather from the whole copy, and the float
 *     slice equal to a gather from the whole float copy; sub-byte dtypes a
 *     slice status and consistent sizes;
 *   - the layout: 8 + N + the data length is the input's size; each
 *     tensor's data_offsets span its bytes, which start at 8 + N + begin;
 *   - metadata keys strictly increasing by bytes; has_metadata when there
 *     are any;
 *   - docs/specification.md §6: what strict accepts, reference accepts, with
 *     the same tensors (names, dtypes, shapes, the same bytes) and metadata;
 *   - st_serialize of the tensors (ST_BYTE_ORDER_LITTLE_ENDIAN) and metadata
 *     (none, or the entries, an empty "__metadata__" kept as {})
 *     succeeds, st_serialize_into with capacity 0 reports the same size, the
 *     bytes parse strict to the same tensors and metadata, and serializing
 *     those gives identical bytes.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors/c/safetensors.h"

#define FUZZ_CHECK(cond)                                                    \
  do {                                                                      \
    if (!(cond)) {                                                          \
      fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, \
              #cond);                                                       \
      abort();                                                              \
    }                                                                       \
  } while (0)

/* The input's bytes, read from its end backwards and cycling: the tail is
 * the data section, which the mutator may change without breaking the
 * header, so slices follow the fuzzer's choices. */
typedef struct {
  const uint8_t* data;
  size_t size;
  size_t pos;
} byte_source;

static uint8_t next_byte(byte_source* s) {
  if (s->size == 0) return 0;
  uint8_t b = s->data[s->size - 1 - s->pos % s->size];
  s->pos++;
  return b;
}

static void* xmalloc(size_t n) {
  void* p = malloc(n == 0 ? 1 : n);
  FUZZ_CHECK(p != NULL);
  return p;
}

static int is_known_status(st_status s) {
  return (s >= 0 && s <= 16) || (s >= 100 && s <= 104);
}

/* A call's status and the error it left, freed here. */
static void check_error(st_status s, st_error* err) {
  FUZZ_CHECK(is_known_status(s));
  FUZZ_CHECK(st_status_name(s) != NULL);
  if (s == ST_OK) {
    FUZZ_CHECK(err == NULL);
    return;
  }
  FUZZ_CHECK(err != NULL);
  FUZZ_CHECK(st_error_code(err) == s);
  FUZZ_CHECK(st_error_message(err) != NULL);
  FUZZ_CHECK(st_error_message(err)[0] != '\0');
  st_error_free(err);
}

static int host_is_little_endian(void) {
  const uint16_t one = 1;
  return *(const uint8_t*)&one == 1;
}

static int float_convertible(st_dtype d) {
  return d != ST_DTYPE_F4 && d != ST_DTYPE_F6_E2M3 && d != ST_DTYPE_F6_E3M2 &&
         d != ST_DTYPE_C64;
}

static int is_slice_status(st_status s) {
  return s == ST_OK || s == ST_ERR_TOO_MANY_SLICES ||
         s == ST_ERR_SLICE_OUT_OF_RANGE || s == ST_ERR_INVALID_SLICE_RANGE ||
         s == ST_ERR_MISALIGNED_SLICE || s == ST_ERR_VALIDATION_OVERFLOW;
}

static uint64_t pick_position(byte_source* src, uint64_t dim) {
  const uint8_t v = next_byte(src);
  if (dim <= 250) return v % (dim + 3);
  return (v & 1) ? dim - (uint64_t)((v >> 1) % 4) : v;
}

/* One range per leading dimension, from the input's bytes. */
static size_t make_ranges(byte_source* src, size_t rank, const uint64_t* dims,
                          st_range* ranges) {
  const size_t n = next_byte(src) % (rank + 2);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t dim = i < rank ? dims[i] : 1;
    const uint8_t mode = next_byte(src);
    st_range r = {0, ST_RANGE_END, 1};
    switch (mode % 8) {
      case 0: /* all */
        break;
      case 1: /* start: */
        r.start = pick_position(src, dim);
        r.step = 1 + next_byte(src) % 3;
        break;
      case 7: /* anything */
        r.start = pick_position(src, dim);
        r.stop = (mode & 8) ? ST_RANGE_END - 1 : pick_position(src, dim);
        r.step = next_byte(src) % 4;
        break;
      default: /* start:stop:step */
        r.start = pick_position(src, dim);
        r.stop = pick_position(src, dim);
        r.step = 1 + next_byte(src) % 3;
        break;
    }
    ranges[i] = r;
  }
  return n;
}

/* §14's status for a whole-byte dtype; *count_out the slice's elements
 * (with *overflow set when their product overflows). */
static st_status expected_slice_status(size_t rank, const uint64_t* dims,
                                       const st_range* ranges, size_t n,
                                       uint64_t* counts, int* overflow) {
  if (n > rank) return ST_ERR_TOO_MANY_SLICES;
  for (size_t k = n; k-- > 0;) {
    const uint64_t dim = dims[k];
    const st_range r = ranges[k];
    const uint64_t stop = r.stop == ST_RANGE_END ? dim : r.stop;
    if (stop > dim || (r.start >= dim && !(r.start == dim && stop == dim))) {
      return ST_ERR_SLICE_OUT_OF_RANGE;
    }
    if (r.start > stop || r.step == 0) return ST_ERR_INVALID_SLICE_RANGE;
  }
  *overflow = 0;
  for (size_t k = 0; k < rank; ++k) {
    if (k < n) {
      const uint64_t stop =
          ranges[k].stop == ST_RANGE_END ? dims[k] : ranges[k].stop;
      counts[k] =
          ranges[k].start >= stop
              ? 0
              : (stop - ranges[k].start + ranges[k].step - 1) / ranges[k].step;
    } else {
      counts[k] = dims[k];
    }
  }
  uint64_t total = 1;
  for (size_t k = 0; k < rank; ++k) {
    if (counts[k] != 0 && total > UINT64_MAX / counts[k]) *overflow = 1;
    total *= counts[k];
  }
  return ST_OK;
}

/* The slice gathered element by element from a packed row-major array of
 * `width`-byte elements. */
static void gather(const uint8_t* whole, size_t width, size_t rank,
                   const uint64_t* dims, const st_range* ranges, size_t n,
                   const uint64_t* counts, uint64_t total, uint8_t* out) {
  if (total == 0) return;
  uint64_t* idx = xmalloc(sizeof(uint64_t) * (rank + 1));
  uint64_t* stride = xmalloc(sizeof(uint64_t) * (rank + 1));
  memset(idx, 0, sizeof(uint64_t) * (rank + 1));
  uint64_t s = 1;
  for (size_t k = rank; k-- > 0;) {
    stride[k] = s;
    s *= dims[k];
  }
  for (uint64_t e = 0; e < total; ++e) {
    uint64_t src = 0;
    for (size_t k = 0; k < rank; ++k) {
      const uint64_t pos =
          k < n ? ranges[k].start + idx[k] * ranges[k].step : idx[k];
      src += pos * stride[k];
    }
    memcpy(out + e * width, whole + src * width, width);
    for (size_t k = rank; k-- > 0;) {
      if (++idx[k] < counts[k]) break;
      idx[k] = 0;
    }
  }
  free(idx);
  free(stride);
}

static void check_slices(const st_tensor* t, st_dtype dtype, size_t rank,
                         const uint64_t* dims, const uint8_t* host,
                         const float* floats, byte_source* src) {
  st_range ranges[66];
  if (rank > 64) return;
  const int bits = st_dtype_bits(dtype);
  const size_t n = make_ranges(src, rank, dims, ranges);
  st_error* err = NULL;
  uint64_t elements = 0, bytes = 0;
  const st_status s =
      st_tensor_slice_size(t, ranges, n, &elements, &bytes, &err);
  check_error(s, err);
  FUZZ_CHECK(is_slice_status(s));
  if (bits % 8 == 0) {
    uint64_t counts[64];
    int overflow = 0;
    const st_status want =
        expected_slice_status(rank, dims, ranges, n, counts, &overflow);
    if (want == ST_OK && overflow) {
      FUZZ_CHECK(s == ST_OK || s == ST_ERR_VALIDATION_OVERFLOW);
    } else {
      FUZZ_CHECK(s == want);
    }
    if (s != ST_OK) return;
    uint64_t total = 1;
    for (size_t k = 0; k < rank; ++k) total *= counts[k];
    FUZZ_CHECK(elements == total);
    FUZZ_CHECK(bytes == elements * (uint64_t)(bits / 8));
    uint8_t* got = xmalloc((size_t)bytes);
    uint8_t* want_bytes = xmalloc((size_t)bytes);
    err = NULL;
    const st_status c =
        st_tensor_copy_slice(t, ranges, n, got, (size_t)bytes, &err);
    check_error(c, err);
    FUZZ_CHECK(c == ST_OK);
    gather(host, (size_t)(bits / 8), rank, dims, ranges, n, counts, total,
           want_bytes);
    FUZZ_CHECK(memcmp(got, want_bytes, (size_t)bytes) == 0);
    if (bytes > 0) {
      err = NULL;
      const st_status small =
          st_tensor_copy_slice(t, ranges, n, got, (size_t)bytes - 1, &err);
      check_error(small, err);
      FUZZ_CHECK(small == ST_ERR_BUFFER_TOO_SMALL);
    }
    free(got);
    free(want_bytes);
    if (floats != NULL) {
      float* fgot = xmalloc(sizeof(float) * (size_t)elements);
      float* fwant = xmalloc(sizeof(float) * (size_t)elements);
      err = NULL;
      const st_status f =
          st_tensor_copy_float(t, ranges, n, fgot, (size_t)elements, &err);
      check_error(f, err);
      FUZZ_CHECK(f == ST_OK);
      gather((const uint8_t*)floats, sizeof(float), rank, dims, ranges, n,
             counts, total, (uint8_t*)fwant);
      FUZZ_CHECK(memcmp(fgot, fwant, sizeof(float) * (size_t)elements) == 0);
      free(fgot);
      free(fwant);
    }
    return;
  }
  /* Sub-byte dtypes: the alignment rule is not modelled here. */
  if (n > rank) FUZZ_CHECK(s == ST_ERR_TOO_MANY_SLICES);
  if (s != ST_OK) return;
  FUZZ_CHECK(bytes * 8 == elements * (uint64_t)bits);
  uint8_t* got = xmalloc((size_t)bytes);
  err = NULL;
  const st_status c =
      st_tensor_copy_slice(t, ranges, n, got, (size_t)bytes, &err);
  check_error(c, err);
  FUZZ_CHECK(c == ST_OK);
  free(got);
}

/* Exact float values for the dtypes where they are obvious. */
static void check_float_values(st_dtype dtype, const uint8_t* host,
                               const float* f, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) {
    switch (dtype) {
      case ST_DTYPE_U8:
        FUZZ_CHECK(f[i] == (float)host[i]);
        break;
      case ST_DTYPE_I8:
        FUZZ_CHECK(f[i] == (float)(int8_t)host[i]);
        break;
      case ST_DTYPE_BOOL:
        FUZZ_CHECK(f[i] == 0.0f || f[i] == 1.0f);
        FUZZ_CHECK((f[i] != 0.0f) == (host[i] != 0));
        break;
      case ST_DTYPE_U16: {
        uint16_t v;
        memcpy(&v, host + 2 * i, 2);
        FUZZ_CHECK(f[i] == (float)v);
        break;
      }
      case ST_DTYPE_I16: {
        int16_t v;
        memcpy(&v, host + 2 * i, 2);
        FUZZ_CHECK(f[i] == (float)v);
        break;
      }
      case ST_DTYPE_F32: {
        float v;
        memcpy(&v, host + 4 * i, 4);
        FUZZ_CHECK(memcmp(&v, &f[i], 4) == 0 || (v != v && f[i] != f[i]));
        break;
      }
      case ST_DTYPE_BF16: {
        uint16_t v;
        memcpy(&v, host + 2 * i, 2);
        const uint32_t bits32 = (uint32_t)v << 16;
        float want;
        memcpy(&want, &bits32, 4);
        FUZZ_CHECK(memcmp(&want, &f[i], 4) == 0 ||
                   (want != want && f[i] != f[i]));
        break;
      }
      default:
        return;
    }
  }
}

static void check_tensor(const st_reader* r, const st_tensor* t,
                         const uint8_t* input, size_t input_size,
                         const uint8_t* data_section, uint64_t data_len,
                         const uint8_t** last_data, byte_source* src) {
  const char* name;
  size_t name_len;
  FUZZ_CHECK(st_tensor_name(t, &name, &name_len) == ST_OK);
  FUZZ_CHECK(name != NULL || name_len == 0);
  st_dtype dtype;
  FUZZ_CHECK(st_tensor_dtype(t, &dtype) == ST_OK);
  FUZZ_CHECK(dtype >= 0 && dtype < ST_DTYPE_COUNT);
  FUZZ_CHECK(st_dtype_name(dtype) != NULL);
  const int bits = st_dtype_bits(dtype);
  size_t rank;
  const uint64_t* dims;
  FUZZ_CHECK(st_tensor_shape(t, &rank, &dims) == ST_OK);
  FUZZ_CHECK((rank == 0) == (dims == NULL));
  uint64_t elements, product = 1;
  FUZZ_CHECK(st_tensor_element_count(t, &elements) == ST_OK);
  /* Wrapping is harmless: with a 0 the product is 0 either way, without
   * one it fits (the bytes are inside the input). */
  for (size_t k = 0; k < rank; ++k) product *= dims[k];
  FUZZ_CHECK(elements == product);
  const void* data;
  size_t size;
  FUZZ_CHECK(st_tensor_data(t, &data, &size) == ST_OK);
  FUZZ_CHECK(elements <= (uint64_t)input_size * 8);
  FUZZ_CHECK((uint64_t)size * 8 == elements * (uint64_t)bits);
  uint64_t begin, end;
  FUZZ_CHECK(st_tensor_offsets(t, &begin, &end) == ST_OK);
  FUZZ_CHECK(begin <= end && end <= data_len && end - begin == size);
  if (size > 0) {
    const uint8_t* p = data;
    FUZZ_CHECK(p == data_section + begin);
    FUZZ_CHECK(p >= input && p + size <= input + input_size);
    FUZZ_CHECK(*last_data == NULL || p >= *last_data);
    *last_data = p;
  }

  const st_tensor* found = NULL;
  st_error* err = NULL;
  st_status s = st_reader_find(r, name, name_len, &found, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_OK && found == t);

  uint8_t* host = xmalloc(size);
  err = NULL;
  s = st_tensor_copy(t, host, size, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_OK);
  if (host_is_little_endian() || bits <= 8) {
    FUZZ_CHECK(size == 0 || memcmp(host, data, size) == 0);
  }
  if (size > 0) {
    err = NULL;
    s = st_tensor_copy(t, host, size - 1, &err);
    check_error(s, err);
    FUZZ_CHECK(s == ST_ERR_BUFFER_TOO_SMALL);
  }

  float* floats = NULL;
  {
    float* f = xmalloc(sizeof(float) * (size_t)elements);
    err = NULL;
    s = st_tensor_copy_float(t, NULL, 0, f, (size_t)elements, &err);
    check_error(s, err);
    if (float_convertible(dtype)) {
      FUZZ_CHECK(s == ST_OK);
      check_float_values(dtype, host, f, elements);
      floats = f;
      if (elements > 0) {
        err = NULL;
        s = st_tensor_copy_float(t, NULL, 0, f, (size_t)elements - 1, &err);
        check_error(s, err);
        FUZZ_CHECK(s == ST_ERR_BUFFER_TOO_SMALL);
      }
    } else {
      FUZZ_CHECK(s == ST_ERR_INVALID_TENSOR_VIEW);
      free(f);
    }
  }

  for (int i = 0; i < 2; ++i) {
    check_slices(t, dtype, rank, dims, host, floats, src);
  }
  free(host);
  free(floats);
}

static int bytes_less(const char* a, size_t an, const char* b, size_t bn) {
  const size_t n = an < bn ? an : bn;
  const int c = n == 0 ? 0 : memcmp(a, b, n);
  return c < 0 || (c == 0 && an < bn);
}

static void check_reader(const st_reader* r, const uint8_t* input,
                         size_t input_size, byte_source* src) {
  size_t count = 0;
  FUZZ_CHECK(st_reader_tensor_count(r, &count) == ST_OK);
  uint64_t header_len = 0, data_len = 0;
  st_error* err = NULL;
  st_status s = st_reader_file_layout(r, &header_len, &data_len, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_OK);
  FUZZ_CHECK(header_len <= input_size && 8 <= input_size - header_len &&
             8 + header_len + data_len == input_size);
  const uint8_t* last_data = NULL;
  for (size_t i = 0; i < count; ++i) {
    const st_tensor* t = NULL;
    err = NULL;
    s = st_reader_tensor_at(r, i, &t, &err);
    check_error(s, err);
    FUZZ_CHECK(s == ST_OK && t != NULL);
    check_tensor(r, t, input, input_size, input + 8 + header_len, data_len,
                 &last_data, src);
  }
  const st_tensor* t = NULL;
  err = NULL;
  s = st_reader_tensor_at(r, count, &t, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_ERR_INVALID_ARGUMENT);

  size_t m = 0;
  FUZZ_CHECK(st_reader_metadata_count(r, &m) == ST_OK);
  int32_t present = -1;
  FUZZ_CHECK(st_reader_has_metadata(r, &present) == ST_OK);
  FUZZ_CHECK(present == 0 || present == 1);
  FUZZ_CHECK(m == 0 || present == 1);
  const char* prev = NULL;
  size_t prev_len = 0;
  for (size_t i = 0; i < m; ++i) {
    const char *key, *value;
    size_t key_len, value_len;
    err = NULL;
    s = st_reader_metadata_at(r, i, &key, &key_len, &value, &value_len, &err);
    check_error(s, err);
    FUZZ_CHECK(s == ST_OK);
    FUZZ_CHECK(key != NULL || key_len == 0);
    FUZZ_CHECK(value != NULL || value_len == 0);
    if (i > 0) FUZZ_CHECK(bytes_less(prev, prev_len, key, key_len));
    prev = key;
    prev_len = key_len;
  }
  const char *key, *value;
  size_t key_len, value_len;
  err = NULL;
  s = st_reader_metadata_at(r, m, &key, &key_len, &value, &value_len, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_ERR_INVALID_ARGUMENT);
}

static int same_bytes(const void* a, size_t an, const void* b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* b has a's tensors (found by name) and metadata; `same_buffer`: the
 * same tensors in the same order, at the same addresses. */
static void check_same_contents(const st_reader* a, const st_reader* b,
                                int same_buffer) {
  size_t na, nb;
  FUZZ_CHECK(st_reader_tensor_count(a, &na) == ST_OK);
  FUZZ_CHECK(st_reader_tensor_count(b, &nb) == ST_OK);
  FUZZ_CHECK(na == nb);
  for (size_t i = 0; i < na; ++i) {
    const st_tensor *ta, *tb;
    FUZZ_CHECK(st_reader_tensor_at(a, i, &ta, NULL) == ST_OK);
    const char* name;
    size_t name_len;
    FUZZ_CHECK(st_tensor_name(ta, &name, &name_len) == ST_OK);
    if (same_buffer) {
      FUZZ_CHECK(st_reader_tensor_at(b, i, &tb, NULL) == ST_OK);
      const char* name_b;
      size_t name_b_len;
      FUZZ_CHECK(st_tensor_name(tb, &name_b, &name_b_len) == ST_OK);
      FUZZ_CHECK(same_bytes(name, name_len, name_b, name_b_len));
    } else {
      FUZZ_CHECK(st_reader_find(b, name, name_len, &tb, NULL) == ST_OK);
    }
    st_dtype da, db;
    FUZZ_CHECK(st_tensor_dtype(ta, &da) == ST_OK);
    FUZZ_CHECK(st_tensor_dtype(tb, &db) == ST_OK);
    FUZZ_CHECK(da == db);
    size_t ra, rb;
    const uint64_t *dims_a, *dims_b;
    FUZZ_CHECK(st_tensor_shape(ta, &ra, &dims_a) == ST_OK);
    FUZZ_CHECK(st_tensor_shape(tb, &rb, &dims_b) == ST_OK);
    FUZZ_CHECK(same_bytes(dims_a, ra * sizeof(uint64_t), dims_b,
                          rb * sizeof(uint64_t)));
    const void *pa, *pb;
    size_t sa, sb;
    FUZZ_CHECK(st_tensor_data(ta, &pa, &sa) == ST_OK);
    FUZZ_CHECK(st_tensor_data(tb, &pb, &sb) == ST_OK);
    FUZZ_CHECK(same_bytes(pa, sa, pb, sb));
    if (same_buffer && sa > 0) FUZZ_CHECK(pa == pb);
    if (same_buffer) {
      uint64_t ba, ea, bb, eb;
      FUZZ_CHECK(st_tensor_offsets(ta, &ba, &ea) == ST_OK);
      FUZZ_CHECK(st_tensor_offsets(tb, &bb, &eb) == ST_OK);
      FUZZ_CHECK(ba == bb && ea == eb);
    }
  }
  int32_t present_a, present_b;
  FUZZ_CHECK(st_reader_has_metadata(a, &present_a) == ST_OK);
  FUZZ_CHECK(st_reader_has_metadata(b, &present_b) == ST_OK);
  FUZZ_CHECK(present_a == present_b);
  size_t ma, mb;
  FUZZ_CHECK(st_reader_metadata_count(a, &ma) == ST_OK);
  FUZZ_CHECK(st_reader_metadata_count(b, &mb) == ST_OK);
  FUZZ_CHECK(ma == mb);
  for (size_t i = 0; i < ma; ++i) {
    const char *ka, *va, *kb, *vb;
    size_t kal, val, kbl, vbl;
    FUZZ_CHECK(st_reader_metadata_at(a, i, &ka, &kal, &va, &val, NULL) ==
               ST_OK);
    FUZZ_CHECK(st_reader_metadata_at(b, i, &kb, &kbl, &vb, &vbl, NULL) ==
               ST_OK);
    FUZZ_CHECK(same_bytes(ka, kal, kb, kbl));
    FUZZ_CHECK(same_bytes(va, val, vb, vbl));
  }
}

/* st_serialize of everything `r` holds; the caller frees *out. */
static void serialize(const st_reader* r, void** out, size_t* out_size) {
  size_t n, m;
  int32_t present;
  FUZZ_CHECK(st_reader_tensor_count(r, &n) == ST_OK);
  FUZZ_CHECK(st_reader_metadata_count(r, &m) == ST_OK);
  FUZZ_CHECK(st_reader_has_metadata(r, &present) == ST_OK);
  st_tensor_desc* descs = xmalloc(sizeof(st_tensor_desc) * n);
  st_metadata_entry* meta = xmalloc(sizeof(st_metadata_entry) * m);
  for (size_t i = 0; i < n; ++i) {
    const st_tensor* t;
    FUZZ_CHECK(st_reader_tensor_at(r, i, &t, NULL) == ST_OK);
    st_tensor_desc* d = &descs[i];
    FUZZ_CHECK(st_tensor_name(t, &d->name, &d->name_len) == ST_OK);
    FUZZ_CHECK(st_tensor_dtype(t, &d->dtype) == ST_OK);
    d->byte_order = ST_BYTE_ORDER_LITTLE_ENDIAN;
    FUZZ_CHECK(st_tensor_shape(t, &d->rank, &d->dims) == ST_OK);
    FUZZ_CHECK(st_tensor_data(t, &d->data, &d->data_len) == ST_OK);
  }
  for (size_t i = 0; i < m; ++i) {
    st_metadata_entry* e = &meta[i];
    FUZZ_CHECK(st_reader_metadata_at(r, i, &e->key, &e->key_len, &e->value,
                                     &e->value_len, NULL) == ST_OK);
  }
  st_error* err = NULL;
  st_status s = st_serialize(descs, n, present ? meta : NULL, m, NULL, out,
                             out_size, &err);
  if (s != ST_OK) {
    fprintf(stderr, "st_serialize: %s: %s\n", st_status_name(s),
            st_error_message(err));
  }
  check_error(s, err);
  FUZZ_CHECK(s == ST_OK);
  size_t needed = 0;
  err = NULL;
  s = st_serialize_into(descs, n, present ? meta : NULL, m, NULL, NULL, 0,
                        &needed, &err);
  check_error(s, err);
  FUZZ_CHECK(s == ST_ERR_BUFFER_TOO_SMALL && needed == *out_size);
  free(descs);
  free(meta);
}

static void check_roundtrip(const st_reader* r) {
  void* bytes = NULL;
  size_t size = 0;
  serialize(r, &bytes, &size);
  st_reader* again = NULL;
  st_error* err = NULL;
  const st_status s = st_parse(bytes, size, ST_PROFILE_STRICT, &again, &err);
  if (s != ST_OK) {
    fprintf(stderr, "re-parse: %s: %s\n", st_status_name(s),
            st_error_message(err));
  }
  check_error(s, err);
  FUZZ_CHECK(s == ST_OK);
  check_same_contents(r, again, 0);
  void* bytes2 = NULL;
  size_t size2 = 0;
  serialize(again, &bytes2, &size2);
  FUZZ_CHECK(same_bytes(bytes, size, bytes2, size2));
  st_buffer_free(bytes2);
  st_reader_free(again);
  st_buffer_free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  /* A NULL pointer is allowed only for 0 bytes. */
  static const uint8_t empty = 0;
  if (size == 0) data = &empty;
  byte_source src = {data, size, 0};
  st_reader* readers[2] = {NULL, NULL};
  const st_profile profiles[2] = {ST_PROFILE_STRICT, ST_PROFILE_REFERENCE};
  st_status status[2];
  for (int p = 0; p < 2; ++p) {
    st_error* err = NULL;
    status[p] = st_parse(data, size, profiles[p], &readers[p], &err);
    check_error(status[p], err);
    FUZZ_CHECK(status[p] == ST_OK || (status[p] >= 1 && status[p] <= 16 &&
                                      status[p] != ST_ERR_TENSOR_NOT_FOUND &&
                                      status[p] != ST_ERR_IO_ERROR));
    FUZZ_CHECK((status[p] == ST_OK) == (readers[p] != NULL));
    if (status[p] == ST_OK) check_reader(readers[p], data, size, &src);
  }
  /* docs/specification.md §6: strict accepts a subset of what reference
   * accepts, and both read the same tensors. */
  if (status[0] == ST_OK) {
    FUZZ_CHECK(status[1] == ST_OK);
    check_same_contents(readers[0], readers[1], 1);
  }
  for (int p = 0; p < 2; ++p) {
    if (readers[p] != NULL) check_roundtrip(readers[p]);
    st_reader_free(readers[p]);
  }
  return 0;
}
