/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The conformance adapter of the C API: prints the canonical dump
 * (docs/specification.md §15) of a file using only the calls of
 * safetensors/c/safetensors.h, so that the C API is held to the same vectors
 * as the C++ library and the tool.
 *
 *   c_adapter [--profile=strict|reference] [--backend=mmap|pread|parse] FILE
 *   c_adapter [--profile=...] [--backend=...] --batch
 *
 * With FILE: exit 0 and the dump on standard output, or exit 1 and
 * "reject<TAB>Kind" (usage errors: exit 2). With --batch: reads one path per
 * line on standard input and answers each with "STATUS BYTE-COUNT\n" and
 * that many bytes (docs/conformance.md, "The batch protocol").
 * --backend=parse reads the file into memory and calls st_parse on it;
 * mmap and pread are st_open's backends.
 */

#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors/c/safetensors.h"

/* A growing byte buffer; out of memory ends the process (exit 3, a crash to
 * the runner, never a wrong verdict). */
typedef struct {
  char* data;
  size_t len;
  size_t cap;
} Buffer;

static void Reserve(Buffer* b, size_t more) {
  size_t cap = b->cap == 0 ? 4096 : b->cap;
  char* grown;
  if (b->len + more <= b->cap) return;
  while (cap < b->len + more) cap *= 2;
  grown = (char*)realloc(b->data, cap);
  if (grown == NULL) {
    fputs("c_adapter: out of memory\n", stderr);
    exit(3);
  }
  b->data = grown;
  b->cap = cap;
}

static void Append(Buffer* b, const char* s, size_t n) {
  Reserve(b, n);
  if (n != 0) memcpy(b->data + b->len, s, n);
  b->len += n;
}

static void AppendText(Buffer* b, const char* s) { Append(b, s, strlen(s)); }

static void AppendU64(Buffer* b, uint64_t v) {
  char text[24];
  snprintf(text, sizeof text, "%" PRIu64, v);
  AppendText(b, text);
}

/* A JSON string as the writer escapes it (§13.2 item 4). */
static void AppendQuoted(Buffer* b, const char* s, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  size_t i;
  Append(b, "\"", 1);
  for (i = 0; i < n; ++i) {
    const unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"':
        Append(b, "\\\"", 2);
        break;
      case '\\':
        Append(b, "\\\\", 2);
        break;
      case '\b':
        Append(b, "\\b", 2);
        break;
      case '\f':
        Append(b, "\\f", 2);
        break;
      case '\n':
        Append(b, "\\n", 2);
        break;
      case '\r':
        Append(b, "\\r", 2);
        break;
      case '\t':
        Append(b, "\\t", 2);
        break;
      default:
        if (c < 0x20) {
          char esc[6] = {'\\', 'u', '0', '0', 0, 0};
          esc[4] = kHex[c >> 4];
          esc[5] = kHex[c & 15];
          Append(b, esc, 6);
        } else {
          Append(b, (const char*)&s[i], 1);
        }
    }
  }
  Append(b, "\"", 1);
}

/* FNV-1a 64 of n bytes. */
static uint64_t Fnv1a(const void* data, size_t n) {
  const unsigned char* p = (const unsigned char*)data;
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  size_t i;
  for (i = 0; i < n; ++i) {
    h ^= p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

typedef struct {
  const st_tensor* tensor;
  const char* name;
  size_t len;
} Named;

static int ByNameBytes(const void* a, const void* b) {
  const Named* x = (const Named*)a;
  const Named* y = (const Named*)b;
  const size_t n = x->len < y->len ? x->len : y->len;
  const int c = n == 0 ? 0 : memcmp(x->name, y->name, n);
  if (c != 0) return c;
  return x->len < y->len ? -1 : (x->len > y->len ? 1 : 0);
}

/* The dump of an open reader into *out; a status other than ST_OK means a
 * call failed where it must not (the adapter then reports a crash). */
static st_status Dump(const st_reader* reader, Buffer* out) {
  uint64_t header_len = 0, data_len = 0;
  size_t count = 0, meta = 0, i;
  int32_t has_metadata = 0;
  Named* named;
  st_status s = st_reader_file_layout(reader, &header_len, &data_len, NULL);
  if (s == ST_OK) s = st_reader_tensor_count(reader, &count);
  if (s == ST_OK) s = st_reader_has_metadata(reader, &has_metadata);
  if (s == ST_OK) s = st_reader_metadata_count(reader, &meta);
  if (s != ST_OK) return s;
  AppendText(out, "header_len\t");
  AppendU64(out, header_len);
  AppendText(out, "\ndata_len\t");
  AppendU64(out, data_len);
  AppendText(out, "\nntensors\t");
  AppendU64(out, count);
  AppendText(out, "\nmetadata\t");
  if (has_metadata) {
    AppendU64(out, meta);
  } else {
    AppendText(out, "none");
  }
  AppendText(out, "\n");
  /* Metadata entries come ordered by their keys' bytes. */
  for (i = 0; i < meta; ++i) {
    const char *key, *value;
    size_t key_len, value_len;
    s = st_reader_metadata_at(reader, i, &key, &key_len, &value, &value_len,
                              NULL);
    if (s != ST_OK) return s;
    AppendText(out, "meta\t");
    AppendQuoted(out, key, key_len);
    AppendText(out, "\t");
    AppendQuoted(out, value, value_len);
    AppendText(out, "\n");
  }
  /* Tensors come in file order; the dump lists them by name bytes. */
  named = (Named*)malloc((count == 0 ? 1 : count) * sizeof *named);
  if (named == NULL) return ST_ERR_OUT_OF_MEMORY;
  for (i = 0; i < count && s == ST_OK; ++i) {
    s = st_reader_tensor_at(reader, i, &named[i].tensor, NULL);
    if (s == ST_OK)
      s = st_tensor_name(named[i].tensor, &named[i].name, &named[i].len);
  }
  if (s == ST_OK) qsort(named, count, sizeof *named, ByNameBytes);
  for (i = 0; i < count && s == ST_OK; ++i) {
    const st_tensor* t = named[i].tensor;
    st_dtype dtype;
    size_t rank, d, size;
    const uint64_t* dims;
    uint64_t begin, end;
    const void* data;
    char hash[17];
    s = st_tensor_dtype(t, &dtype);
    if (s == ST_OK) s = st_tensor_shape(t, &rank, &dims);
    if (s == ST_OK) s = st_tensor_offsets(t, &begin, &end);
    if (s == ST_OK) s = st_tensor_data(t, &data, &size);
    if (s != ST_OK) break;
    AppendText(out, "tensor\t");
    AppendQuoted(out, named[i].name, named[i].len);
    AppendText(out, "\t");
    AppendText(out, st_dtype_name(dtype));
    AppendText(out, "\t[");
    for (d = 0; d < rank; ++d) {
      if (d != 0) AppendText(out, ",");
      AppendU64(out, dims[d]);
    }
    AppendText(out, "]\t");
    AppendU64(out, begin);
    AppendText(out, "\t");
    AppendU64(out, end);
    snprintf(hash, sizeof hash, "%016" PRIx64, Fnv1a(data, size));
    AppendText(out, "\t");
    AppendText(out, hash);
    AppendText(out, "\n");
  }
  free(named);
  return s;
}

typedef enum { kMmap, kPread, kParse } Backend;

/* Reads the whole file at `path` into a new buffer (NULL on failure). */
static void* ReadWhole(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  Buffer b = {NULL, 0, 0};
  char chunk[65536];
  size_t n;
  if (f == NULL) return NULL;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) Append(&b, chunk, n);
  if (ferror(f)) {
    fclose(f);
    free(b.data);
    return NULL;
  }
  fclose(f);
  *size = b.len;
  return b.data != NULL ? b.data : malloc(1);
}

/* The answer for one file: its exit status (0 accepted, 1 rejected, 3 a
 * call failed that must not) and what goes to standard output into *out. */
static int Answer(const char* path, st_profile profile, Backend backend,
                  Buffer* out) {
  st_reader* reader = NULL;
  st_error* error = NULL;
  st_status s;
  void* bytes = NULL;
  size_t size = 0;
  if (backend == kParse) {
    bytes = ReadWhole(path, &size);
    s = bytes == NULL ? ST_ERR_IO_ERROR
                      : st_parse(bytes, size, profile, &reader, &error);
  } else {
    s = st_open(path, profile,
                backend == kMmap ? ST_BACKEND_MMAP : ST_BACKEND_PREAD, &reader,
                &error);
  }
  if (s != ST_OK) {
    /* Codes 1 to 16 are the format's kinds; any other failure has none. */
    AppendText(out, "reject");
    if (s >= ST_ERR_HEADER_TOO_SMALL && s <= ST_ERR_INVALID_SLICE_RANGE) {
      AppendText(out, "\t");
      AppendText(out, st_status_name(s));
    }
    AppendText(out, "\n");
    if (error != NULL) fprintf(stderr, "%s\n", st_error_message(error));
    st_error_free(error);
    free(bytes);
    return 1;
  }
  s = Dump(reader, out);
  st_reader_free(reader);
  free(bytes);
  if (s != ST_OK) {
    fprintf(stderr, "c_adapter: %s after a successful open\n",
            st_status_name(s));
    return 3;
  }
  return 0;
}

static int Usage(void) {
  fputs(
      "usage: c_adapter [--profile=strict|reference] "
      "[--backend=mmap|pread|parse] (FILE | --batch)\n",
      stderr);
  return 2;
}

int main(int argc, char** argv) {
  st_profile profile = ST_PROFILE_STRICT;
  Backend backend = kMmap;
  const char* file = NULL;
  int batch = 0, i;
  for (i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--profile=strict") == 0) {
      profile = ST_PROFILE_STRICT;
    } else if (strcmp(a, "--profile=reference") == 0) {
      profile = ST_PROFILE_REFERENCE;
    } else if (strcmp(a, "--backend=mmap") == 0) {
      backend = kMmap;
    } else if (strcmp(a, "--backend=pread") == 0) {
      backend = kPread;
    } else if (strcmp(a, "--backend=parse") == 0) {
      backend = kParse;
    } else if (strcmp(a, "--batch") == 0) {
      batch = 1;
    } else if (a[0] != '-' && file == NULL) {
      file = a;
    } else {
      return Usage();
    }
  }
  if (batch == (file != NULL)) return Usage();
  if (!batch) {
    Buffer out = {NULL, 0, 0};
    const int status = Answer(file, profile, backend, &out);
    if (out.len != 0) fwrite(out.data, 1, out.len, stdout);
    free(out.data);
    return status;
  } else {
    char* line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
      Buffer out = {NULL, 0, 0};
      int status;
      if (line[n - 1] == '\n') line[--n] = '\0';
      status = Answer(line, profile, backend, &out);
      if (status > 1) {
        free(out.data);
        free(line);
        return status; /* the runner scores this vector as a crash */
      }
      printf("%d %zu\n", status, out.len);
      if (out.len != 0) fwrite(out.data, 1, out.len, stdout);
      fflush(stdout);
      free(out.data);
    }
    free(line);
    return 0;
  }
}
