/* Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
 *
 * The C API of safetensors-cpp: reading and writing safetensors files and
 * sharded checkpoints through a small, stable C99 ABI, for C and for every
 * language with a C foreign-function interface. No C++ or Abseil type
 * appears here; the C++ library (safetensors/safetensors.h) is linked in
 * behind it. docs/c-api.md is the guide.
 *
 * ABI PROMISE. ST_ABI_VERSION names the ABI; the shared library's soname is
 * libsafetensors_c.so.<ST_ABI_VERSION>. Within one ABI version:
 *   - no function is removed, renamed, or changes its signature or meaning;
 *   - no numeric value of ST_OK, an ST_ERR_* code, an ST_DTYPE_*, ST_PROFILE_*,
 *     ST_BACKEND_*, ST_BYTE_ORDER_* or ST_ORDER_* constant ever changes;
 *   - no layout of a struct declared here (st_range, st_tensor_desc,
 *     st_metadata_entry, st_write_options) changes, except that
 *     st_write_options may grow at its end: its struct_size field says which
 *     version the caller was compiled against, and the library reads only
 *     the fields that version has;
 *   - opaque handles stay opaque: their contents are never part of the ABI.
 * A minor version (ST_VERSION_MINOR) may add functions, status codes and
 * constants; callers must treat any status code they do not know as an error.
 * Anything else is a new ABI version with a new soname.
 *
 * CONVENTIONS.
 *   - Every call that can fail returns an st_status: ST_OK (0), or an error
 *     code. Codes 1 to 16 are the format's error kinds (the reference
 *     implementation's names, st_status_name); codes from 100 are usage errors
 *     of this API. Output parameters are written only on ST_OK.
 *   - `st_error** error` is optional (NULL: no message wanted). On failure
 *     *error is set to a new error object (or NULL if even that could not be
 *     allocated), which the caller frees with st_error_free; on success it is
 *     set to NULL. There is no global error state.
 *   - Byte strings are a pointer and a length, never NUL-terminated only:
 *     tensor names and metadata may contain NUL. Such a pointer may be NULL
 *     only when its length is 0.
 *   - A NULL handle or NULL output pointer is ST_ERR_NULL_ARGUMENT, never a
 *     crash; an out-of-range enum value or index is ST_ERR_INVALID_ARGUMENT.
 *     No call aborts on bad input or bad arguments. (Dangling or wrongly
 *     sized pointers cannot be detected and are undefined behaviour.)
 *   - Tensor bytes are little-endian in files and behind st_tensor_data; the
 *     st_tensor_copy* calls give host byte order.
 *
 * THREADS. An st_reader and its st_tensor handles are immutable after
 * st_open / st_parse returns: any number of threads may call any function
 * on them at once. st_reader_free must not race with other uses of the same
 * reader. An st_error belongs to one thread at a time. The write calls share
 * no state and may run concurrently on different outputs.
 */

#ifndef SAFETENSORS_C_SAFETENSORS_H_
#define SAFETENSORS_C_SAFETENSORS_H_

#include <stddef.h>
#include <stdint.h>

#if defined(ST_BUILDING_LIBRARY) && defined(__GNUC__)
#define ST_API __attribute__((visibility("default")))
#else
#define ST_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ---------------------------------------------------------- */

/* The library's version, as in safetensors/version.h. */
#define ST_VERSION_MAJOR 0
#define ST_VERSION_MINOR 1
#define ST_VERSION_PATCH 0
/* MAJOR * 10000 + MINOR * 100 + PATCH, as st_version() returns it. */
#define ST_VERSION \
  (ST_VERSION_MAJOR * 10000 + ST_VERSION_MINOR * 100 + ST_VERSION_PATCH)
/* The C ABI's version (see the ABI promise above). */
#define ST_ABI_VERSION 1

/* The version of the library linked at run time (compare with ST_VERSION). */
ST_API uint32_t st_version(void);
/* The same as "MAJOR.MINOR.PATCH"; static storage. */
ST_API const char* st_version_string(void);
/* The ABI version of the library linked at run time. */
ST_API uint32_t st_abi_version(void);

/* ---- Status codes and errors ------------------------------------------- */

typedef int32_t st_status;

enum {
  ST_OK = 0,
  /* The format's error kinds: safetensors::ErrorKind + 1. */
  ST_ERR_HEADER_TOO_SMALL = 1,
  ST_ERR_HEADER_TOO_LARGE = 2,
  ST_ERR_INVALID_HEADER_LENGTH = 3,
  ST_ERR_INVALID_HEADER = 4,
  ST_ERR_INVALID_HEADER_DESERIALIZATION = 5,
  ST_ERR_INVALID_OFFSET = 6,
  ST_ERR_TENSOR_INVALID_INFO = 7,
  ST_ERR_VALIDATION_OVERFLOW = 8,
  ST_ERR_MISALIGNED_SLICE = 9,
  ST_ERR_METADATA_INCOMPLETE_BUFFER = 10,
  ST_ERR_TENSOR_NOT_FOUND = 11,
  ST_ERR_INVALID_TENSOR_VIEW = 12,
  ST_ERR_IO_ERROR = 13, /* the operating system refused (open, read, rename) */
  ST_ERR_TOO_MANY_SLICES = 14,
  ST_ERR_SLICE_OUT_OF_RANGE = 15,
  ST_ERR_INVALID_SLICE_RANGE = 16,
  /* Usage errors of this API. */
  ST_ERR_NULL_ARGUMENT = 100,    /* a required pointer or handle is NULL */
  ST_ERR_INVALID_ARGUMENT = 101, /* bad enum value, index, option or name */
  ST_ERR_BUFFER_TOO_SMALL = 102, /* the caller's buffer cannot hold it */
  ST_ERR_OUT_OF_MEMORY = 103,    /* an allocation failed */
  ST_ERR_INTERNAL = 104          /* a bug: please report it */
};

/* The name of `status`: "OK", the error kind's reference name
 * ("HeaderTooSmall", ...) or the usage error's ("NullArgument",
 * "InvalidArgument", "BufferTooSmall", "OutOfMemory", "Internal"); NULL for
 * a value that is not a status. Static storage. */
ST_API const char* st_status_name(st_status status);

typedef struct st_error st_error;

/* The error's status code; ST_ERR_NULL_ARGUMENT for a NULL error. */
ST_API st_status st_error_code(const st_error* error);
/* The error's message, NUL-terminated, valid until st_error_free; "" for a
 * NULL error. */
ST_API const char* st_error_message(const st_error* error);
/* Frees an error; NULL is allowed. */
ST_API void st_error_free(st_error* error);

/* ---- Dtypes ------------------------------------------------------------ */

typedef int32_t st_dtype;

/* The 22 element types, in the format's rank order (safetensors::Dtype). */
enum {
  ST_DTYPE_BOOL = 0,
  ST_DTYPE_F4 = 1,
  ST_DTYPE_F6_E2M3 = 2,
  ST_DTYPE_F6_E3M2 = 3,
  ST_DTYPE_U8 = 4,
  ST_DTYPE_I8 = 5,
  ST_DTYPE_F8_E5M2 = 6,
  ST_DTYPE_F8_E4M3 = 7,
  ST_DTYPE_F8_E8M0 = 8,
  ST_DTYPE_F8_E4M3FNUZ = 9,
  ST_DTYPE_F8_E5M2FNUZ = 10,
  ST_DTYPE_I16 = 11,
  ST_DTYPE_U16 = 12,
  ST_DTYPE_F16 = 13,
  ST_DTYPE_BF16 = 14,
  ST_DTYPE_I32 = 15,
  ST_DTYPE_U32 = 16,
  ST_DTYPE_F32 = 17,
  ST_DTYPE_C64 = 18,
  ST_DTYPE_F64 = 19,
  ST_DTYPE_I64 = 20,
  ST_DTYPE_U64 = 21
};
#define ST_DTYPE_COUNT 22

/* The header name ("BOOL", "F8_E4M3", ...); NULL for an invalid dtype.
 * Static storage, NUL-terminated. */
ST_API const char* st_dtype_name(st_dtype dtype);
/* Bits per element (4, 6, 8, 16, 32 or 64); 0 for an invalid dtype. */
ST_API int st_dtype_bits(st_dtype dtype);
/* The dtype whose header name is exactly the `len` bytes at `name`
 * (case-sensitive). ST_ERR_INVALID_ARGUMENT when there is none. */
ST_API st_status st_dtype_from_name(const char* name, size_t len,
                                    st_dtype* dtype, st_error** error);

/* ---- Reading ----------------------------------------------------------- */

typedef int32_t st_profile;
enum {
  ST_PROFILE_STRICT = 0,   /* the default: the spec, hardened */
  ST_PROFILE_REFERENCE = 1 /* the reference reader's decisions, quirks too */
};

typedef int32_t st_backend;
enum {
  ST_BACKEND_MMAP = 0, /* map files read-only (zero-copy) */
  ST_BACKEND_PREAD = 1 /* read whole files into memory the reader owns */
};

/* A parsed file or checkpoint. Owns what it opened; see THREADS above. */
typedef struct st_reader st_reader;
/* One tensor of a reader; lives as long as the reader. */
typedef struct st_tensor st_tensor;

/* Opens a model by path: a .safetensors file; an index (a path ending in
 * ".json", e.g. model.safetensors.index.json) and every shard it names, which
 * are opened and checked now; or a model directory (resolved as
 * safetensors::ResolveModelPath does). Errors: ST_ERR_IO_ERROR, and every
 * format error kind the file, index or shards give. */
ST_API st_status st_open(const char* path, st_profile profile,
                         st_backend backend, st_reader** reader,
                         st_error** error);

/* Parses a whole file held in the caller's `size` bytes at `data`, which are
 * borrowed: never copied or freed, and they must outlive the reader. */
ST_API st_status st_parse(const void* data, size_t size, st_profile profile,
                          st_reader** reader, st_error** error);

/* Frees a reader and everything it owns; NULL is allowed. Every st_tensor
 * and every pointer obtained from it dies with it. */
ST_API void st_reader_free(st_reader* reader);

/* The number of tensors. */
ST_API st_status st_reader_tensor_count(const st_reader* reader, size_t* count);
/* Tensor `index` in file order (by data offset; for a checkpoint, shard by
 * shard in the order of the shards' names). ST_ERR_INVALID_ARGUMENT when
 * index >= count. */
ST_API st_status st_reader_tensor_at(const st_reader* reader, size_t index,
                                     const st_tensor** tensor,
                                     st_error** error);
/* The tensor named by the `len` bytes at `name`, or ST_ERR_TENSOR_NOT_FOUND. */
ST_API st_status st_reader_find(const st_reader* reader, const char* name,
                                size_t len, const st_tensor** tensor,
                                st_error** error);

/* Whether there is a "__metadata__" object: *present is 1 when the file has
 * one (even "{}", whose count is 0) and 0 when it has none (absent, or null
 * in the reference profile). For a checkpoint: whether any shard has one. */
ST_API st_status st_reader_has_metadata(const st_reader* reader,
                                        int32_t* present);

/* The layout of a reader over one file (st_parse, or st_open of a
 * .safetensors file): its length field N (the header's bytes, padding
 * included; the data section starts at byte 8 + N) and its data section's
 * length (file size - 8 - N). A sharded checkpoint has one layout per shard:
 * ST_ERR_INVALID_ARGUMENT. */
ST_API st_status st_reader_file_layout(const st_reader* reader,
                                       uint64_t* header_len, uint64_t* data_len,
                                       st_error** error);

/* The number of "__metadata__" entries (for a checkpoint, the union of the
 * shards'); 0 when there is none. */
ST_API st_status st_reader_metadata_count(const st_reader* reader,
                                          size_t* count);
/* Metadata entry `index`, entries ordered by their keys' bytes. The pointers
 * live as long as the reader and are not NUL-terminated.
 * ST_ERR_INVALID_ARGUMENT when index >= count. */
ST_API st_status st_reader_metadata_at(const st_reader* reader, size_t index,
                                       const char** key, size_t* key_len,
                                       const char** value, size_t* value_len,
                                       st_error** error);

/* The tensor's name (UTF-8, may contain NUL, not NUL-terminated). */
ST_API st_status st_tensor_name(const st_tensor* tensor, const char** name,
                                size_t* len);
ST_API st_status st_tensor_dtype(const st_tensor* tensor, st_dtype* dtype);
/* The rank and the dimensions, outermost first (dims is NULL or points to
 * `rank` values living as long as the reader; rank 0 for a scalar). */
ST_API st_status st_tensor_shape(const st_tensor* tensor, size_t* rank,
                                 const uint64_t** dims);
/* The tensor's data_offsets: its bytes are [begin, end) of its file's data
 * section (for a checkpoint, of the shard that holds it). */
ST_API st_status st_tensor_offsets(const st_tensor* tensor, uint64_t* begin,
                                   uint64_t* end);
/* The product of the dimensions (1 for a scalar). */
ST_API st_status st_tensor_element_count(const st_tensor* tensor,
                                         uint64_t* count);
/* The tensor's bytes in the file's buffer: little-endian, packed, row-major,
 * zero-copy; they live as long as the reader. */
ST_API st_status st_tensor_data(const st_tensor* tensor, const void** data,
                                size_t* size);

/* A slice of one dimension: positions start, start + step, ... below stop.
 * stop = ST_RANGE_END means the dimension's size. */
typedef struct st_range {
  uint64_t start;
  uint64_t stop;
  uint64_t step; /* >= 1 */
} st_range;
#define ST_RANGE_END UINT64_MAX

/* Copies the whole tensor into `out` in host byte order. out_size must be at
 * least the tensor's byte size (else ST_ERR_BUFFER_TOO_SMALL); exactly that
 * many bytes are written. */
ST_API st_status st_tensor_copy(const st_tensor* tensor, void* out,
                                size_t out_size, st_error** error);

/* The element count and byte size of the slice `ranges[0..n)` (one range per
 * leading dimension; the dimensions past n are taken whole; n = 0 is the whole
 * tensor). Errors: ST_ERR_TOO_MANY_SLICES, ST_ERR_SLICE_OUT_OF_RANGE,
 * ST_ERR_INVALID_SLICE_RANGE (start > stop, or step 0),
 * ST_ERR_MISALIGNED_SLICE (sub-byte dtypes), ST_ERR_VALIDATION_OVERFLOW. */
ST_API st_status st_tensor_slice_size(const st_tensor* tensor,
                                      const st_range* ranges, size_t n,
                                      uint64_t* elements, uint64_t* bytes,
                                      st_error** error);
/* Copies the slice into `out` in host byte order, packed row-major. Errors:
 * those of st_tensor_slice_size, and ST_ERR_BUFFER_TOO_SMALL when out_size is
 * less than the slice's byte size. */
ST_API st_status st_tensor_copy_slice(const st_tensor* tensor,
                                      const st_range* ranges, size_t n,
                                      void* out, size_t out_size,
                                      st_error** error);
/* The tensor (n = 0) or its slice, converted to host floats: every dtype but
 * F4, F6_E2M3, F6_E3M2 and C64 (ST_ERR_INVALID_TENSOR_VIEW), BOOL as 0/1,
 * wide integers and F64 rounded to nearest (docs/conversion.md). out_count
 * (in floats) must be at least the element count (else
 * ST_ERR_BUFFER_TOO_SMALL). */
ST_API st_status st_tensor_copy_float(const st_tensor* tensor,
                                      const st_range* ranges, size_t n,
                                      float* out, size_t out_count,
                                      st_error** error);

/* ---- Writing ----------------------------------------------------------- */

typedef int32_t st_byte_order;
enum {
  ST_BYTE_ORDER_HOST = 0,         /* swapped to little-endian if need be */
  ST_BYTE_ORDER_LITTLE_ENDIAN = 1 /* already the file's order: as given */
};

/* One tensor to write. Its bytes are read only during the call. */
typedef struct st_tensor_desc {
  const char* name; /* UTF-8, may contain NUL */
  size_t name_len;
  st_dtype dtype;
  st_byte_order byte_order; /* of `data` */
  size_t rank;
  const uint64_t* dims; /* `rank` values, outermost first */
  const void* data;     /* packed, row-major */
  size_t data_len;      /* must be the dtype and shape's byte size */
} st_tensor_desc;

/* One "__metadata__" entry (UTF-8 key and value, may contain NUL). */
typedef struct st_metadata_entry {
  const char* key;
  size_t key_len;
  const char* value;
  size_t value_len;
} st_metadata_entry;

typedef int32_t st_tensor_order;
enum {
  ST_ORDER_REFERENCE = 0, /* dtype rank descending, then name: the
                             reference writer's bytes exactly */
  ST_ORDER_DECLARED = 1   /* the order of the descriptor array */
};

/* The writer's options (safetensors::WriteOptions). Fill with
 * st_write_options_init, then change fields; NULL options are the defaults. */
typedef struct st_write_options {
  size_t struct_size;           /* sizeof(st_write_options); set by init */
  uint64_t alignment;           /* data section alignment: 8 (default) to
                                   65536, a power of two */
  int32_t fsync;                /* st_write_file: fsync file and directory */
  st_tensor_order tensor_order; /* default ST_ORDER_REFERENCE */
} st_write_options;

/* Sets `options` to the defaults; NULL is ignored. */
ST_API void st_write_options_init(st_write_options* options);

/* Writes a file at `path` atomically (a temporary in the same directory,
 * renamed over `path` when complete; on error `path` is untouched).
 * `metadata` NULL (with n_metadata 0) writes no "__metadata__". Errors:
 * ST_ERR_INVALID_HEADER_DESERIALIZATION (a name "__metadata__" or twice),
 * ST_ERR_TENSOR_INVALID_INFO (data_len wrong for dtype and shape),
 * ST_ERR_VALIDATION_OVERFLOW, ST_ERR_MISALIGNED_SLICE, ST_ERR_HEADER_TOO_LARGE,
 * ST_ERR_INVALID_ARGUMENT (invalid UTF-8, bad alignment, bad enum value, a
 * metadata key twice, bad struct_size), ST_ERR_IO_ERROR. */
ST_API st_status st_write_file(const char* path, const st_tensor_desc* tensors,
                               size_t n_tensors,
                               const st_metadata_entry* metadata,
                               size_t n_metadata,
                               const st_write_options* options,
                               st_error** error);

/* The same file's bytes in a new buffer that the caller frees with
 * st_buffer_free. Errors as st_write_file, less ST_ERR_IO_ERROR. */
ST_API st_status st_serialize(const st_tensor_desc* tensors, size_t n_tensors,
                              const st_metadata_entry* metadata,
                              size_t n_metadata,
                              const st_write_options* options, void** out,
                              size_t* out_size, st_error** error);

/* The same bytes into the caller's `capacity` bytes at `out`; *size is set to
 * the file's size on ST_OK and on ST_ERR_BUFFER_TOO_SMALL (then nothing is
 * written), so a first call with capacity 0 (out may be NULL) sizes it. */
ST_API st_status st_serialize_into(const st_tensor_desc* tensors,
                                   size_t n_tensors,
                                   const st_metadata_entry* metadata,
                                   size_t n_metadata,
                                   const st_write_options* options, void* out,
                                   size_t capacity, size_t* size,
                                   st_error** error);

/* Frees a buffer from st_serialize; NULL is allowed. */
ST_API void st_buffer_free(void* buffer);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SAFETENSORS_C_SAFETENSORS_H_ */
