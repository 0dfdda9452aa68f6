# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The conformance vectors, described (docs/specification.md §15 and §16).

Every vector is one call below. gen.py turns this description into the bytes
under vectors/, the golden dumps and manifest.json; nothing else is hand-made.

Vocabulary
  F(header, data=b"", n=None)  a file: 8-byte little-endian N (default: the
                               header's length), the header (str as UTF-8, or
                               bytes), then the data section.
  E(dtype, shape, begin, end)  a compact tensor entry, JSON text.
  O(*members, meta=None)       a top-level object from ("key", value) pairs;
                               keys are raw JSON text (escapes kept as written).
  D(n)                         n data bytes of a fixed non-zero pattern.
  P8(header)                   the header (str as UTF-8, or bytes) followed by
                               spaces up to 8 bytes, the smallest header a
                               writer writes ({} and 6 spaces): the ID_padded
                               variants of short vectors (gen.py's length
                               rule).
  V, U                         F32[1] [0,4] and U8[4] [0,4] entries (as in
                               docs/specification.md §7 (schema parts: §5)).
  Y(id, description, file)            accepted by every implementation.
  N(id, description, file, kind)      rejected by every implementation; kind is
                                      one error kind, or {"strict": ...,
                                      "reference": ...} when they differ.
  I(id, description, file, strict=, reference=)
                                      the profiles differ (ACCEPT or a kind).
  GEN(n=, prefix=, pad=, header_len=, data=)
                                      a file too big to commit, written at test
                                      time: N, prefix, pad repeated up to
                                      header_len header bytes, data.
  W(id, description, tensors, metadata=None, expect=None, options=None)
                                      a writer input: (name, dtype, shape,
                                      data) tuples; expect is None (the bytes
                                      that gen.py's reference writer model
                                      computes), the header text to check that
                                      model against, or an error kind.

base= names the y_ vector a vector is one mutation of; flags= are tags
explained in manifest.json ("flags") and docs/conformance.md.
"""

import struct

ACCEPT = "accept"
JSON = "InvalidHeaderDeserialization"
UTF8 = "InvalidHeader"
SMALL = "HeaderTooSmall"
LARGE = "HeaderTooLarge"
LENGTH = "InvalidHeaderLength"
OFFSET = "InvalidOffset"
INFO = "TensorInvalidInfo"
OVERFLOW = "ValidationOverflow"
MISALIGNED = "MisalignedSlice"
INCOMPLETE = "MetadataIncompleteBuffer"

U64_MAX = 2**64 - 1

DTYPES = [  # (name, bits), in the reference's rank order
    ("BOOL", 8), ("F4", 4), ("F6_E2M3", 6), ("F6_E3M2", 6), ("U8", 8),
    ("I8", 8), ("F8_E5M2", 8), ("F8_E4M3", 8), ("F8_E8M0", 8),
    ("F8_E4M3FNUZ", 8), ("F8_E5M2FNUZ", 8), ("I16", 16), ("U16", 16),
    ("F16", 16), ("BF16", 16), ("I32", 32), ("U32", 32), ("F32", 32),
    ("C64", 64), ("F64", 64), ("I64", 64), ("U64", 64),
]


# --- Vocabulary --------------------------------------------------------------

def F(header, data=b"", n=None):
    h = header.encode("utf-8") if isinstance(header, str) else header
    return struct.pack("<Q", len(h) if n is None else n) + h + data


def E(dtype, shape, begin, end):
    return '{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}' % (
        dtype, ",".join(str(d) for d in shape), begin, end)


def O(*members, meta=None):
    parts = []
    if meta is not None:
        parts.append('"__metadata__":' + meta)
    parts += ['"%s":%s' % (k, v) for k, v in members]
    return "{" + ",".join(parts) + "}"


def D(n):
    return bytes((i * 131 + 7) & 0xFF for i in range(n))


def P8(header):
    h = header.encode("utf-8") if isinstance(header, str) else header
    return h + b" " * max(0, 8 - len(h))


V = E("F32", [1], 0, 4)
U = E("U8", [4], 0, 4)


class GEN:
    """A vector generated at test time (too big to commit)."""

    def __init__(self, n, prefix, pad, header_len, data=b""):
        self.n, self.prefix, self.pad = n, prefix, pad
        self.header_len, self.data = header_len, data


VECTORS = []   # (prefix, id, description, file, expected, base, flags)
WRITES = []    # (id, description, tensors, metadata, options, expect)


def Y(id_, desc, blob, base=None, flags=()):
    VECTORS.append(dict(id=id_, description=desc, file=blob,
                        strict=ACCEPT, reference=ACCEPT, base=base,
                        flags=list(flags)))


def N(id_, desc, blob, kind, base=None, flags=()):
    kinds = kind if isinstance(kind, dict) else {"strict": kind,
                                                 "reference": kind}
    VECTORS.append(dict(id=id_, description=desc, file=blob,
                        strict=kinds["strict"], reference=kinds["reference"],
                        base=base, flags=list(flags)))


def I(id_, desc, blob, strict, reference, base=None, flags=()):
    VECTORS.append(dict(id=id_, description=desc, file=blob, strict=strict,
                        reference=reference, base=base, flags=list(flags)))


def W(id_, desc, tensors, metadata=None, expect=None, options=None,
      flags=()):
    WRITES.append(dict(id=id_, description=desc, tensors=tensors,
                       metadata=metadata, expect=expect, options=options,
                       flags=list(flags)))


# === y_: every implementation must accept ====================================

# --- len_ and limit_: the 8-byte N -------------------------------------------
Y("y_len_smallest_file", "the smallest valid file: N=2, header {} (10 bytes)",
  F("{}"))
Y("y_len_padded_to_8", "{} padded with 6 spaces, N=8 (the writer's form)",
  F("{}      "), base="y_len_smallest_file")
Y("y_len_n_not_multiple_of_8", "one tensor, header padded to N=57 (N need "
  "not be a multiple of 8)", F(O(("t", V)) + " ", D(4)))
Y("y_limit_header_100000000", "N = 100,000,000 exactly: {} and 99,999,998 "
  "spaces (generated at test time)",
  GEN(n=100_000_000, prefix=b"{}", pad=b" ", header_len=100_000_000),
  flags=["generated", "large"])

# --- dtype_: every dtype -----------------------------------------------------
for name, bits in DTYPES:
    Y("y_dtype_%s" % name.lower(), "%s shape [8] (%d bytes)" % (name, bits),
      F(O(("t", E(name, [8], 0, bits))), D(bits)))

# --- subbyte_: packing of F4 and F6 -------------------------------------------
Y("y_subbyte_f4_2", "F4 [2]: two values in one byte",
  F(O(("t", E("F4", [2], 0, 1))), D(1)))
Y("y_subbyte_f4_1x2", "F4 [1,2]: one byte", F(O(("t", E("F4", [1, 2], 0, 1))),
                                                 D(1)))
Y("y_subbyte_f4_3x2", "F4 [3,2]: odd dimension, even count, 3 bytes",
  F(O(("t", E("F4", [3, 2], 0, 3))), D(3)))
Y("y_subbyte_f4_0", "F4 [0]: zero elements", F(O(("t", E("F4", [0], 0, 0)))))
Y("y_subbyte_f6_e2m3_4", "F6_E2M3 [4]: four values in 3 bytes",
  F(O(("t", E("F6_E2M3", [4], 0, 3))), D(3)))
Y("y_subbyte_f6_e3m2_2x2", "F6_E3M2 [2,2]: 3 bytes",
  F(O(("t", E("F6_E3M2", [2, 2], 0, 3))), D(3)))
Y("y_subbyte_f6_e2m3_12", "F6_E2M3 [3,4]: 9 bytes",
  F(O(("t", E("F6_E2M3", [3, 4], 0, 9))), D(9)))
Y("y_subbyte_odd_offsets", "U8[1], F4[2], F6_E3M2[4], F4[6]: sub-byte "
  "tensors at odd byte offsets (no alignment on read)",
  F(O(("a", E("U8", [1], 0, 1)), ("b", E("F4", [2], 1, 2)),
      ("c", E("F6_E3M2", [4], 2, 5)), ("d", E("F4", [6], 5, 8))), D(8)))

# --- shape_: scalars, zero sizes, ranks, big dimensions -----------------------
Y("y_shape_scalar_f32", "F32 scalar: shape [] is one element",
  F(O(("s", E("F32", [], 0, 4))), D(4)))
Y("y_shape_scalar_c64", "C64 scalar, 8 bytes", F(O(("s", E("C64", [], 0, 8))),
                                                   D(8)))
Y("y_shape_scalar_bool", "BOOL scalar, 1 byte",
  F(O(("s", E("BOOL", [], 0, 1))), D(1)))
Y("y_shape_zero_size_first", "a zero-size tensor at [0,0] before a real one",
  F(O(("z", E("F32", [0], 0, 0)), ("t", V)), D(4)))
Y("y_shape_zero_size_middle", "U8[2] [0,2], F32[0] [2,2], U8[1] [2,3]",
  F(O(("a", E("U8", [2], 0, 2)), ("z", E("F32", [0], 2, 2)),
      ("b", E("U8", [1], 2, 3))), D(3)))
Y("y_shape_zero_size_last", "a zero-size tensor at the end [4,4]",
  F(O(("t", V), ("z", E("I64", [0, 5], 4, 4))), D(4)))
Y("y_shape_zero_size_only", "only a zero-size tensor, no data",
  F(O(("z", E("I32", [2, 0], 0, 0)))))
Y("y_shape_zero_size_two_same_offset", "two zero-size tensors at [0,0]",
  F(O(("y", E("U8", [0], 0, 0)), ("z", E("F64", [3, 0], 0, 0)))))
Y("y_shape_zero_size_many", "a real tensor with 9 zero-size tensors around it",
  F(O(*([("z%d" % i, E("U8", [0], 0, 0)) for i in range(4)] + [("t", V)] +
        [("w%d" % i, E("F16", [0, 7], 4, 4)) for i in range(5)])), D(4)))
Y("y_shape_zero_then_huge_dims", "U8 [0,2^64-1,2] [0,0]: the product is 0 "
  "before it could overflow (left to right)",
  F(O(("t", E("U8", [0, U64_MAX, 2], 0, 0)))))
Y("y_shape_u64_max_dim_after_zero", "U8 [0,18446744073709551615]: the "
  "largest integer, read exactly", F(O(("t", E("U8", [0, U64_MAX], 0, 0)))))
Y("y_shape_near_2_53", "U8 [0,9007199254740993]: 2^53+1 is not a double; "
  "the dump must print it exactly",
  F(O(("t", E("U8", [0, 2**53 + 1], 0, 0)))), flags=["bug-doubles"])
Y("y_shape_near_2_63", "U8 [9223372036854775807,0] and [9223372036854775809,0]",
  F(O(("a", E("U8", [2**63 - 1, 0], 0, 0)),
      ("b", E("U8", [2**63 + 1, 0], 0, 0)))), flags=["bug-doubles"])
Y("y_shape_no_double_rounding", "U8 [4611686018427387903,4,0]: exact "
  "product (2^62-1)*4 fits; rounded to a double (2^62) it would overflow",
  F(O(("t", E("U8", [2**62 - 1, 4, 0], 0, 0)))), flags=["bug-doubles"])
for rank in range(1, 17):
    shape = [2] + [1] * (rank - 1)
    Y("y_shape_rank_%02d" % rank, "U8 of rank %d, shape %s" % (rank, shape),
      F(O(("t", E("U8", shape, 0, 2))), D(2)))
RANK16 = [2, 3, 2, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1]
Y("y_shape_rank_16_mixed", "I16 rank 16 %s (48 elements)" % RANK16,
  F(O(("t", E("I16", RANK16, 0, 96))), D(96)))

# --- offsets_: order and layout ----------------------------------------------
Y("y_offsets_reverse_key_order", "three tensors listed in reverse offset "
  "order (keys need no order)",
  F(O(("c", E("U8", [1], 8, 9)), ("b", E("F32", [1], 4, 8)),
      ("a", E("F32", [1], 0, 4))), D(9)))
Y("y_offsets_unsorted_names", "names listed unsorted: zeta, alpha, Mid",
  F(O(("zeta", E("U8", [1], 1, 2)), ("alpha", E("U8", [1], 0, 1)),
      ("Mid", E("U8", [1], 2, 3))), D(3)))
Y("y_offsets_unaligned_f32", "U8[1] [0,1] then F32[1] [1,5]: no alignment on "
  "read", F(O(("a", E("U8", [1], 0, 1)), ("b", E("F32", [1], 1, 5))), D(5)))
Y("y_offsets_many_tensors", "1000 U8[1] tensors, keys in reverse order",
  F(O(*[("t%04d" % i, E("U8", [1], i, i + 1))
        for i in reversed(range(1000))]), D(1000)))

# --- schema_: metadata and names ----------------------------------------------
Y("y_schema_metadata_absent", "no __metadata__ key: metadata none",
  F(O(("t", V)), D(4)))
Y("y_schema_metadata_empty", "__metadata__ {} with a tensor: present, 0 keys",
  F(O(("t", V), meta="{}"), D(4)), base="y_schema_metadata_absent")
Y("y_schema_metadata_empty_only", "__metadata__ {} and no tensors",
  F(O(meta="{}")))
Y("y_schema_metadata_one", "__metadata__ {\"format\":\"pt\"}",
  F(O(("t", V), meta='{"format":"pt"}'), D(4)))
Y("y_schema_metadata_many_keys", "200 metadata keys in descending order",
  F(O(("t", V), meta="{" + ",".join('"k%03d":"v%d"' % (i, i)
                                    for i in reversed(range(200))) + "}"),
    D(4)))
Y("y_schema_metadata_escapes", "metadata key and values with every escape "
  "form: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u00e9 and a pair",
  F(O(("t", V), meta=r'{"k\"\\\/":"\b\f\n\r\t","nul":"a\u0000b",'
                     r'"u":"\u00e9\ud83d\ude00\u001f"}'), D(4)))
Y("y_schema_metadata_raw_utf8", "metadata with raw UTF-8, DEL and U+2028",
  F(O(("t", V), meta='{"clé":"日本\x7f\u2028😀"}'), D(4)))
Y("y_schema_metadata_empty_key_value", 'metadata {"":""}',
  F(O(("t", V), meta='{"":""}'), D(4)))
Y("y_schema_metadata_last", "__metadata__ after the tensors",
  F('{"t":%s,"__metadata__":{"k":"v"}}' % V, D(4)))
Y("y_schema_metadata_between", "__metadata__ between two tensors",
  F('{"a":%s,"__metadata__":{"k":"v"},"b":%s}' % (V, E("F32", [1], 4, 8)),
    D(8)))
Y("y_schema_metadata_escaped_key", r'"\u005f_metadata__" is the metadata key '
  "(keys compare after unescaping)",
  F(r'{"\u005f_metadata__":{"k":"v"},"t":%s}' % V, D(4)))
Y("y_schema_name_escapes", r'tensor name "\u00e9\n\"x\/\\" (escapes decoded)',
  F(O((r'\u00e9\n\"x\/\\', V)), D(4)))
Y("y_schema_name_control_escapes", r"names \u0001 .. \u001f escaped, one "
  "tensor each (dump escapes them back)",
  F(O(*[(r"c\u%04x" % c, E("U8", [0], 0, 0)) for c in range(1, 32)])))
Y("y_schema_name_raw_utf8", "raw UTF-8 names: é, 日本, 😀",
  F(O(("é", E("U8", [1], 0, 1)), ("日本", E("U8", [1], 1, 2)),
      ("😀", E("U8", [1], 2, 3))), D(3)))
Y("y_schema_name_embedded_nul", r'names "a\u0000b" and "a\u0000c": two '
  "tensors (a C-string reader sees one name twice)",
  F(O((r"a\u0000b", E("U8", [1], 0, 1)), (r"a\u0000c", E("U8", [1], 1, 2))),
    D(2)), flags=["bug-nul"])
Y("y_schema_name_only_nul", r'tensor name "\u0000"', F(O((r"\u0000", V)),
                                                       D(4)), flags=["bug-nul"])
Y("y_schema_name_underscore", 'tensor name "_"', F(O(("_", V)), D(4)))
Y("y_schema_name_empty", 'tensor name ""', F(O(("", V)), D(4)))
Y("y_schema_name_very_long", "a 65536-byte tensor name",
  F(O(("n" * 65536, V)), D(4)))
Y("y_schema_name_surrogate_pair", r'tensor name "\ud83d\ude00" (decodes to '
  "U+1F600)", F(O((r"\ud83d\ude00", V)), D(4)))
Y("y_schema_name_raw_del_u2028", "tensor name with raw DEL, U+2028, U+FEFF",
  F(O(("\x7f\u2028\ufeff", V)), D(4)))
Y("y_schema_name_nfc_nfd_distinct", r'"\u00e9" and "e\u0301" are two '
  "tensors (no normalisation)",
  F(O((r"\u00e9", U), (r"e\u0301", E("F32", [1], 4, 8))), D(8)))
Y("y_schema_name_metadata_prefix", 'tensor named "__metadata" (not the '
  "metadata key)", F(O(("__metadata", V)), D(4)))
Y("y_schema_name_metadata_upper", 'tensor named "__METADATA__" with a valid '
  "entry", F(O(("__METADATA__", V)), D(4)))

# --- json_: whitespace, escapes, field order ----------------------------------
Y("y_json_ws_between_tokens", "each of 20 09 0A 0D between every token",
  F('{\t"t" \n:\r{ "dtype"\t:\n"F32"\r, "shape" :[\t1\n]\r,\n"data_offsets"'
    '\t: [ 0 ,\t4\n]\r}\n} ', D(4)))
Y("y_json_ws_pretty_printed", "an indented, multi-line header (spaces "
  "after)", F('{\n  "t": {\n    "dtype": "F32",\n    "shape": [\n      1\n'
              '    ],\n    "data_offsets": [\n      0,\n      4\n    ]\n  }\n}'
              "   ", D(4)))
Y("y_json_ws_long_trailing_spaces", "{} followed by 4096 spaces",
  F("{}" + " " * 4096))
Y("y_json_field_order", "fields in the order data_offsets, shape, dtype",
  F('{"t":{"data_offsets":[0,4],"shape":[1],"dtype":"F32"}}', D(4)))
Y("y_json_escaped_dtype", r'dtype "F\u0033\u0032" (compared after '
  "unescaping)",
  F(r'{"t":{"dtype":"F\u0033\u0032","shape":[1],"data_offsets":[0,4]}}',
    D(4)))
Y("y_json_escaped_field_name", r'field name "\u0064type"',
  F(r'{"t":{"\u0064type":"F32","shape":[1],"data_offsets":[0,4]}}', D(4)))
Y("y_json_escape_uppercase_hex", r'tensor name "\u00E9" (uppercase hex)',
  F(O((r"\u00E9", V)), D(4)))

# --- data_: values are not checked --------------------------------------------
Y("y_data_bool_any_byte", "BOOL [4] holding 00 01 02 FF",
  F(O(("b", E("BOOL", [4], 0, 4))), bytes([0, 1, 2, 255])))
Y("y_data_f32_nan_inf", "F32 [3]: NaN, +Inf, -0.0",
  F(O(("f", E("F32", [3], 0, 12))), struct.pack("<3I", 0x7FC00001,
                                                 0x7F800000, 0x80000000)))
Y("y_data_c64_minus_one_plus_i", "C64 [1] = -1+1j (real first)",
  F(O(("c", E("C64", [1], 0, 8))), bytes.fromhex("000080bf0000803f")))
Y("y_data_64k", "U8 [65536] (the dump hashes every byte)",
  F(O(("t", E("U8", [65536], 0, 65536))), D(65536)))


# === n_: every implementation must reject ====================================

# --- len_ --------------------------------------------------------------------
N("n_len_empty_file", "a 0-byte file", b"", SMALL)
N("n_len_7_bytes", "7 bytes: too short for N", b"\x02\0\0\0\0\0\0", SMALL)
N("n_len_n_zero", "N=0: empty header (JSON: EOF)", F(""), JSON)
N("n_len_n_past_end", "N=60 in an 8-byte file", F(b"", n=60), LENGTH)
N("n_len_n_one_past_end", "N=3 with the 2-byte header {}", F("{}", n=3),
  LENGTH, base="y_len_smallest_file")
N("n_len_too_large_small_file", "N=100,000,001 in a 10-byte file: the limit "
  "is checked before the length", F("{}", n=100_000_001), LARGE,
  base="y_len_smallest_file")
N("n_len_limit_small_file", "N=100,000,000 in a 10-byte file",
  F("{}", n=100_000_000), LENGTH, base="y_len_smallest_file",
  flags=["amplification"])
N("n_len_u64_max", "N=2^64-1", F("{}", n=U64_MAX), LARGE,
  base="y_len_smallest_file")
N("n_len_2_63", "N=2^63 (negative as a signed integer)", F("{}", n=2**63),
  LARGE, base="y_len_smallest_file")
N("n_len_2_32_plus_2", "N=2^32+2: a reader truncating N to 32 bits reads 2",
  F("{}", n=2**32 + 2), LARGE, base="y_len_smallest_file",
  flags=["bug-truncation"])
N("n_len_2_32_plus_header_tensor", "N=2^32+%d before a %d-byte one-tensor "
  "header and its 4 data bytes: a reader that keeps N's low 32 bits (a cast "
  "to uint32_t, or reading only the first 32-bit word) reads a valid "
  "tensor, not just {}" % ((len(O(("t", V))),) * 2),
  F(O(("t", V)), D(4), n=2**32 + len(O(("t", V)))), LARGE,
  base="y_schema_metadata_absent", flags=["bug-truncation"])
N("n_len_big_endian", "N written big-endian (00..02): read as little-endian "
  "it is 2^57", b"\0\0\0\0\0\0\0\x02{}", LARGE, base="y_len_smallest_file",
  flags=["bug-endian"])
N("n_len_big_endian_tensor", "a one-tensor file with N written big-endian: "
  "a reader that reads N in host order on a big-endian host, or that retries "
  "N byte-swapped when it is too large, reads a whole valid tensor",
  struct.pack(">Q", len(O(("t", V)))) + O(("t", V)).encode() + D(4), LARGE,
  base="y_schema_metadata_absent", flags=["bug-endian"])
N("n_len_words_swapped", "N's two 32-bit words swapped (00 00 00 00 %02X 00 "
  "00 00, %d * 2^32): a reader that combines two 32-bit reads (as "
  "JavaScript readers do) with the words the wrong way round reads N=%d and "
  "a valid tensor" % ((len(O(("t", V))),) * 3),
  F(O(("t", V)), D(4), n=len(O(("t", V))) << 32), LARGE,
  base="y_schema_metadata_absent", flags=["bug-endian"])
N("n_len_n_short_by_2", "N two bytes short: the header is cut inside the "
  "object", F(O(("t", V)), D(4), n=len(O(("t", V))) - 2), JSON, base="y_schema_metadata_absent")
N("n_len_n_covers_data", "N 4 bytes too long: the data's 4 bytes become "
  "header (trailing characters)",
  F(O(("t", V)), bytes(4), n=len(O(("t", V))) + 4), JSON,
  base="y_schema_metadata_absent")
N("n_len_header_only_spaces", "a header of 8 spaces (no value)", F(" " * 8),
  JSON)
N("n_limit_header_100000001", "N = 100,000,001 with the whole header present "
  "({} and spaces; generated at test time)",
  GEN(n=100_000_001, prefix=b"{}", pad=b" ", header_len=100_000_001), LARGE,
  base="y_limit_header_100000000", flags=["generated", "large"])

# --- utf8_ -------------------------------------------------------------------
N("n_utf8_ff_in_padding", "{} then byte FF in the padding", F(b"{}\xff"),
  UTF8, base="y_len_smallest_file")
N("n_utf8_ff_in_padding_padded", "{} then byte FF, then spaces to N=8: the "
  "header must be UTF-8 in the padding too", F(P8(b"{}\xff")), UTF8,
  base="y_len_padded_to_8")
N("n_utf8_encoded_surrogate", "name bytes ED A0 80 (an encoded surrogate)",
  F(b'{"\xed\xa0\x80":' + V.encode() + b"}", D(4)), UTF8,
  base="y_schema_name_raw_utf8")
N("n_utf8_overlong_slash", "name bytes C0 AF (overlong '/')",
  F(b'{"\xc0\xaf":' + V.encode() + b"}", D(4)), UTF8)
N("n_utf8_overlong_nul", "name bytes C0 80 (overlong NUL, 'modified UTF-8')",
  F(b'{"a\xc0\x80":' + V.encode() + b"}", D(4)), UTF8, flags=["bug-nul"])
N("n_utf8_above_10ffff", "name bytes F4 90 80 80 (above U+10FFFF)",
  F(b'{"\xf4\x90\x80\x80":' + V.encode() + b"}", D(4)), UTF8)
N("n_utf8_truncated", "name ends with E6 97 (a truncated 3-byte sequence)",
  F(b'{"\xe6\x97":' + V.encode() + b"}", D(4)), UTF8)
N("n_utf8_lone_continuation", "name byte 80 (a lone continuation byte)",
  F(b'{"\x80":' + V.encode() + b"}", D(4)), UTF8)
N("n_utf8_latin1_a0", "raw byte A0 (Latin-1 NBSP) between tokens",
  F(b'{\xa0"t":' + V.encode() + b"}", D(4)), UTF8)
N("n_utf8_in_metadata_value", "metadata value with byte FE",
  F(b'{"__metadata__":{"k":"\xfe"},"t":' + V.encode() + b"}", D(4)), UTF8,
  base="y_schema_metadata_one")
N("n_utf8_after_json_error", "a bad dtype first, byte FF later: UTF-8 is "
  "checked before any JSON error",
  F(b'{"a":{"dtype":"F3","shape":[1],"data_offsets":[0,4]},"\xff":'
    + V.encode() + b"}", D(4)), UTF8)

# --- json_: grammar ----------------------------------------------------------
N("n_json_bom", "UTF-8 BOM before {", F("\ufeff{}"), JSON,
  base="y_len_smallest_file")
N("n_json_bom_padded", "UTF-8 BOM before {}, padded with spaces to N=8 (a "
  "BOM-skipping parser accepts it)", F(P8("\ufeff{}")), JSON,
  base="y_len_padded_to_8")
N("n_json_bom_before_tensor", "UTF-8 BOM before a one-tensor header: a "
  "parser that skips a BOM (as some JSON libraries do by default) reads the "
  "tensor", F("\ufeff" + O(("t", V)), D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_json_bom_after_brace", "UTF-8 BOM between { and the first name: a "
  "whitespace skipper that counts U+FEFF as space (as JavaScript's \\s "
  "does) accepts it; a reader that only strips a leading BOM does not reach "
  "it", F("{\ufeff" + O(("t", V))[1:], D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_json_bom_trailing", "a one-tensor header then a UTF-8 BOM: trailing "
  "U+FEFF is not whitespace (JavaScript's trim() strips it, and a reader "
  "that trims the header before parsing accepts it)",
  F(O(("t", V)) + "\ufeff", D(4)), JSON,
  base="y_schema_metadata_absent", flags=["bug-trailing"])
N("n_json_trailing_nul", "{} then 6 NUL bytes (NUL padding)",
  F(b"{}" + b"\0" * 6), JSON, base="y_len_padded_to_8", flags=["bug-nul"])
N("n_json_trailing_nul_after_tensor", "a tensor header then NUL padding",
  F(O(("t", V)).encode() + b"\0\0\0", D(4)), JSON,
  base="y_schema_metadata_absent", flags=["bug-nul"])
N("n_json_trailing_0c", "{} then form feed 0C", F("{}\x0c"), JSON,
  base="y_len_smallest_file")
N("n_json_trailing_0c_padded", "{} then form feed 0C, then spaces to N=8 "
  "(isspace() counts 0C)", F(P8("{}\x0c")), JSON, base="y_len_padded_to_8")
N("n_json_trailing_0b", "{} then vertical tab 0B", F("{}\x0b"), JSON,
  base="y_len_smallest_file")
N("n_json_trailing_0b_padded", "{} then vertical tab 0B, then spaces to N=8 "
  "(isspace() counts 0B)", F(P8("{}\x0b")), JSON, base="y_len_padded_to_8")
N("n_json_trailing_nbsp", "{} then U+00A0", F("{}\u00a0"), JSON,
  base="y_len_smallest_file")
N("n_json_trailing_nbsp_padded", "{} then U+00A0, then spaces to N=8 "
  "(Unicode-aware trimming counts U+00A0)", F(P8("{}\u00a0")), JSON,
  base="y_len_padded_to_8")
N("n_json_second_object", "{}{}: a second value", F("{}{}"), JSON,
  base="y_len_smallest_file", flags=["bug-trailing"])
N("n_json_second_object_padded", "{}{} then spaces to N=8: a parser that "
  "stops after the first value", F(P8("{}{}")), JSON,
  base="y_len_padded_to_8", flags=["bug-trailing"])
N("n_json_nul_between_tokens", "a NUL byte between the colon and the tensor "
  "entry: a whitespace skipper written as c <= ' ' accepts it (a C-string "
  "parser stops there instead)",
  F(b'{"t":\0' + V.encode() + b"}", D(4)), JSON,
  base="y_schema_metadata_absent", flags=["bug-nul"])
N("n_json_formfeed_between_tokens", "form feed 0C between { and the first "
  "name: isspace() skips it, JSON does not (the trailing 0C vectors test "
  "only the end)", F("{\x0c" + O(("t", V))[1:], D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_json_trailing_garbage", "a tensor header then ' x'",
  F(O(("t", V)) + " x", D(4)), JSON, base="y_schema_metadata_absent",
  flags=["bug-trailing"])
N("n_json_trailing_beats_offset", "offsets [4,8] (InvalidOffset) and "
  "trailing ' x': trailing characters win",
  F(O(("t", E("F32", [1], 4, 8))) + " x", D(8)), JSON, flags=["bug-trailing"])
N("n_json_trailing_comma_object", "a trailing comma in the top-level object",
  F(O(("t", V))[:-1] + ",}", D(4)), JSON, base="y_schema_metadata_absent")
N("n_json_trailing_comma_array", "shape [1,]",
  F('{"t":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_json_comment", "a /* comment */ before the object",
  F("/*c*/" + O(("t", V)), D(4)), JSON, base="y_schema_metadata_absent")
N("n_json_single_quotes", "a name in single quotes",
  F("{'t':" + V + "}", D(4)), JSON, base="y_schema_metadata_absent")
N("n_json_unquoted_key", "an unquoted name", F("{t:" + V + "}", D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_json_missing_colon", "no colon after the name",
  F('{"t" ' + V + "}", D(4)), JSON, base="y_schema_metadata_absent")
N("n_json_missing_comma", "no comma between two tensors",
  F('{"a":%s "b":%s}' % (V, E("F32", [1], 4, 8)), D(8)), JSON)
N("n_json_unterminated_string", 'the header ends inside a string: {"t',
  F('{"t'), JSON)
N("n_json_unterminated_string_padded", 'the header ends inside a string: '
  '{"t and 5 spaces (the spaces are part of the string)', F(P8('{"t')), JSON)
N("n_json_unterminated_after_spaces", '{"t": then 11 spaces and the end of '
  "the header: a whitespace skipper with no bound runs past the header",
  F('{"t":' + " " * 11), JSON)
N("n_json_unterminated_object", "the header ends before the final }",
  F(O(("t", V))[:-1], D(4)), JSON, base="y_schema_metadata_absent")
N("n_json_top_array", "top-level []", F("[]"), JSON)
N("n_json_top_null", "top-level null", F("null"), JSON)
N("n_json_top_string", 'top-level "x"', F('"x"'), JSON)
N("n_json_top_number", "top-level 0", F("0"), JSON)
for slug, top in [("array", "[]"), ("null", "null"), ("string", '"x"'),
                  ("number", "0")]:
    N("n_json_top_%s_padded" % slug, "top-level %s padded with spaces to "
      "N=8: the top level must be an object, whatever the file's size" % top,
      F(P8(top)), JSON, base="y_len_padded_to_8")
N("n_json_top_array_of_numbers", "top-level [1,2,3] and a space (N=8): a "
  "reader that indexes the top level without checking that it is an object",
  F("[1,2,3] "), JSON, base="y_len_padded_to_8")
N("n_json_literal_capital_true", "unknown literal True as a metadata value",
  F(O(("t", V), meta='{"k":True}'), D(4)), JSON)
N("n_json_number_leading_zero", "shape [01]",
  F(O(("t", E("U8", ["01"], 0, 1))), D(1)), JSON, base="y_dtype_u8")
N("n_json_number_plus", "shape [+1]", F(O(("t", E("U8", ["+1"], 0, 1))),
                                          D(1)), JSON)
N("n_json_number_float", "shape [1.0]: a float is not an integer",
  F(O(("t", E("U8", ["1.0"], 0, 1))), D(1)), JSON, flags=["bug-doubles"])
N("n_json_number_exponent", "shape [1e0]", F(O(("t", E("U8", ["1e0"], 0, 1))),
                                               D(1)), JSON,
  flags=["bug-doubles"])
N("n_json_number_negative_zero", "shape [-0]",
  F(O(("t", E("U8", ["-0"], 0, 0)))), JSON)
N("n_json_number_negative", "shape [-1]", F(O(("t", E("U8", ["-1"], 0, 0)))),
  JSON)
N("n_json_number_u64_max_plus_1", "shape [0,18446744073709551616]: one past "
  "u64",
  F(O(("t", E("U8", [0, "18446744073709551616"], 0, 0)))), JSON,
  base="y_shape_u64_max_dim_after_zero", flags=["bug-doubles"])
N("n_json_number_out_of_range", "shape [1e400]",
  F(O(("t", E("U8", ["1e400"], 0, 0)))), JSON)
N("n_json_number_nan", "shape [NaN]", F(O(("t", E("U8", ["NaN"], 0, 0)))),
  JSON)
N("n_json_number_infinity", "shape [Infinity]",
  F(O(("t", E("U8", ["Infinity"], 0, 0)))), JSON)
N("n_json_number_hex", "shape [0x1]", F(O(("t", E("U8", ["0x1"], 0, 1))),
                                          D(1)), JSON)
N("n_json_number_bare_dot", "shape [1.]", F(O(("t", E("U8", ["1."], 0, 1))),
                                              D(1)), JSON)
N("n_json_offsets_float", "data_offsets [0,4.0]",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}', D(4)), JSON,
  base="y_schema_metadata_absent", flags=["bug-doubles"])
N("n_json_offsets_exponent_2_53", "data_offsets [0,9.007199254740993e15]",
  F('{"t":{"dtype":"U8","shape":[0],"data_offsets":[0,9.007199254740993e15]}}'),
  JSON, flags=["bug-doubles"])
N("n_json_serde_decimal_bug_a", 'unknown field "x":18446744073709551616. '
  "(serde_json 1.0.87 accepted it; RFC 8259 and this profile do not)",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"x":18446744073709551616.}}', D(4)), JSON)
N("n_json_number_dbl_max_rounding", 'unknown field "x":1.7976931348623158e308:'
  " out of range for the reference's approximate number parser "
  "(specification.md §7.3)", F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
                  '"x":1.7976931348623158e308}}', D(4)), JSON)
N("n_json_escape_invalid", r'name "\x41"', F(O((r"\x41", V)), D(4)), JSON,
  base="y_schema_name_escapes")
N("n_json_escape_short_u", r'name "\u12"', F(O((r"\u12", V)), D(4)), JSON)
N("n_json_escape_upper_u", r'name "\U0041"', F(O((r"\U0041", V)), D(4)), JSON)
N("n_json_escape_lone_high", r'name "\ud800"', F(O((r"\ud800", V)), D(4)),
  JSON, base="y_schema_name_surrogate_pair")
N("n_json_escape_lone_low", r'name "\udc00"', F(O((r"\udc00", V)), D(4)),
  JSON, base="y_schema_name_surrogate_pair")
N("n_json_escape_reversed_pair", r'name "\ude00\ud83d"',
  F(O((r"\ude00\ud83d", V)), D(4)), JSON, base="y_schema_name_surrogate_pair")
N("n_json_escape_high_then_text", r'name "\ud83dx"', F(O((r"\ud83dx", V)),
                                                       D(4)), JSON)
N("n_json_escape_lone_in_metadata", r'metadata value "\udc00"',
  F(O(("t", V), meta=r'{"k":"\udc00"}'), D(4)), JSON)
N("n_json_raw_control_in_name", "raw 0x01 in a name",
  F(O(("a\x01", V)), D(4)), JSON)
N("n_json_raw_tab_in_name", "raw TAB in a name", F(O(("a\tb", V)), D(4)), JSON)
N("n_json_raw_lf_in_value", "raw LF in a metadata value",
  F(O(("t", V), meta='{"k":"a\nb"}'), D(4)), JSON)
N("n_json_raw_nul_in_name", "raw NUL byte in a name",
  F(O(("a\0b", V)), D(4)), JSON, flags=["bug-nul"])
N("n_json_depth_128_objects", "128 nested objects (the limit is 127 open "
  "containers)", F('{"a":' * 127 + "{}" + "}" * 127), JSON, flags=["depth"])
N("n_json_depth_unknown_field_126", "an unknown field of 126 nested arrays "
  "(128 open containers)",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":' + "[" * 126 +
    "]" * 126 + "}}", D(4)), JSON, flags=["depth"])
N("n_json_depth_bomb", "a tensor value of 100,000 nested arrays (a "
  "recursive parser overflows its stack)",
  F('{"t":' + "[" * 100000 + "]" * 100000 + "}"), JSON,
  flags=["depth", "amplification"])
N("n_json_depth_bomb_unclosed", "100,000 '[' that never close",
  F('{"t":' + "[" * 100000), JSON, flags=["depth", "amplification"])
N("n_json_depth_bomb_1m", "a tensor value of 1,000,000 '[' that never close "
  "(1 MB; generated at test time): a recursive parser overflows an 8 MB "
  "stack with frames of more than 8 bytes (100,000 levels need more than "
  "83)",
  GEN(n=1_000_005, prefix=b'{"t":', pad=b"[", header_len=1_000_005), JSON,
  flags=["generated", "large", "depth", "amplification"])
N("n_json_depth_bomb_10m", "a tensor value of 10,000,000 '[' that never "
  "close (10 MB; generated at test time): overflows a recursive parser even "
  "on a 64 MB stack, and costs hundreds of MB in one that keeps a record "
  "per open container",
  GEN(n=10_000_005, prefix=b'{"t":', pad=b"[", header_len=10_000_005), JSON,
  flags=["generated", "large", "depth", "amplification"])
N("n_json_depth_bomb_objects_1m", 'a tensor value of 1,000,000 nested '
  '{"a": that never close (5 MB; generated at test time): object nesting, '
  "for parsers that bound arrays but recurse on objects",
  GEN(n=5_000_005, prefix=b'{"t":', pad=b'{"a":', header_len=5_000_005),
  JSON, flags=["generated", "large", "depth", "amplification"])

# --- schema_ -----------------------------------------------------------------
N("n_schema_missing_dtype", "no dtype field",
  F('{"t":{"shape":[1],"data_offsets":[0,4]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_schema_missing_shape", "no shape field",
  F('{"t":{"dtype":"F32","data_offsets":[0,4]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_schema_missing_offsets", "no data_offsets field",
  F('{"t":{"dtype":"F32","shape":[1]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_schema_empty_entry", 'tensor entry {}', F('{"t":{}}'), JSON)
N("n_schema_dtype_twice", "dtype twice in one entry",
  F('{"t":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    D(4)), JSON, base="y_schema_metadata_absent")
N("n_schema_dtype_escaped_twice", r'"dtype" and "\u0064type" in one entry',
  F(r'{"t":{"dtype":"F32","\u0064type":"F32","shape":[1],'
    r'"data_offsets":[0,4]}}', D(4)), JSON, base="y_json_escaped_field_name")
N("n_schema_tensor_null", "tensor value null", F('{"t":null}'), JSON)
N("n_schema_tensor_string", 'tensor value "F32"', F('{"t":"F32"}'), JSON)
N("n_schema_tensor_number", "tensor value 1", F('{"t":1}'), JSON)
N("n_schema_tensor_number_padded", "tensor value 1, padded with a space to "
  "N=8", F(P8('{"t":1}')), JSON)
N("n_schema_tensor_short_array", 'tensor value ["F32",[1]]',
  F('{"t":["F32",[1]]}', D(4)), JSON)
N("n_schema_metadata_twice", "__metadata__ twice",
  F('{"__metadata__":{},"__metadata__":{},"t":%s}' % V, D(4)), JSON,
  base="y_schema_metadata_empty")
N("n_schema_metadata_twice_escaped", r'"__metadata__" and '
  r'"\u005f_metadata__"',
  F(r'{"__metadata__":{},"\u005f_metadata__":{},"t":%s}' % V, D(4)), JSON,
  base="y_schema_metadata_escaped_key")
N("n_schema_metadata_value_int", "metadata value 1 (not a string)",
  F(O(("t", V), meta='{"k":1}'), D(4)), JSON, base="y_schema_metadata_one")
N("n_schema_metadata_value_null", "metadata value null",
  F(O(("t", V), meta='{"k":null}'), D(4)), JSON, base="y_schema_metadata_one")
N("n_schema_metadata_value_object", 'metadata value {"b":"c"}',
  F(O(("t", V), meta='{"k":{"b":"c"}}'), D(4)), JSON,
  base="y_schema_metadata_one")
N("n_schema_metadata_value_array", 'metadata value ["x"]',
  F(O(("t", V), meta='{"k":["x"]}'), D(4)), JSON,
  base="y_schema_metadata_one")
N("n_schema_metadata_value_bool", "metadata value true",
  F(O(("t", V), meta='{"k":true}'), D(4)), JSON, base="y_schema_metadata_one")
N("n_schema_metadata_string", '__metadata__ "x"',
  F(O(("t", V), meta='"x"'), D(4)), JSON, base="y_schema_metadata_one")
N("n_schema_metadata_array", "__metadata__ []", F(O(("t", V), meta="[]"),
                                                  D(4)), JSON)
N("n_schema_metadata_pairs_array", '__metadata__ [["k","v"]]',
  F(O(("t", V), meta='[["k","v"]]'), D(4)), JSON)
N("n_schema_metadata_dup_key_int", '__metadata__ {"a":1,"a":"x"}: the '
  "overwritten value must be a string too",
  F(O(("t", V), meta='{"a":1,"a":"x"}'), D(4)), JSON)
N("n_schema_metadata_upper_as_tensor", '"__METADATA__":{"k":"v"} is a tensor '
  "entry without dtype", F(O(("t", V), ("__METADATA__", '{"k":"v"}')), D(4)),
  JSON, base="y_schema_name_metadata_upper")
N("n_schema_shape_string", 'shape "1"',
  F('{"t":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_schema_shape_null", "shape null",
  F('{"t":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_shape_object", 'shape {"0":1}',
  F('{"t":{"dtype":"F32","shape":{"0":1},"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_shape_nested", "shape [[1]]",
  F('{"t":{"dtype":"F32","shape":[[1]],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_shape_string_element", 'shape ["1"]',
  F('{"t":{"dtype":"F32","shape":["1"],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_shape_bool_element", "shape [true]",
  F('{"t":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_offsets_three", "data_offsets [0,4,4]",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}', D(4)), JSON,
  base="y_schema_metadata_absent")
N("n_schema_offsets_one", "data_offsets [4]",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[4]}}', D(4)), JSON)
N("n_schema_offsets_empty", "data_offsets []",
  F('{"t":{"dtype":"F32","shape":[0],"data_offsets":[]}}'), JSON)
N("n_schema_offsets_object", 'data_offsets {"0":0,"1":4}',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":{"0":0,"1":4}}}', D(4)),
  JSON)
N("n_schema_offsets_strings", 'data_offsets ["0","4"]',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":["0","4"]}}', D(4)), JSON)
N("n_schema_offsets_negative", "data_offsets [-1,3]",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[-1,3]}}', D(4)), JSON)
N("n_schema_dtype_map_value_one", 'dtype {"F32":1}',
  F('{"t":{"dtype":{"F32":1},"shape":[1],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_dtype_map_two_keys", 'dtype {"F32":null,"F16":null}',
  F('{"t":{"dtype":{"F32":null,"F16":null},"shape":[1],'
    '"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_dtype_integer", "dtype 17 (the variant index)",
  F('{"t":{"dtype":17,"shape":[1],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_dtype_array", 'dtype ["F32"]',
  F('{"t":{"dtype":["F32"],"shape":[1],"data_offsets":[0,4]}}', D(4)), JSON)
N("n_schema_dtype_map_f4_misaligned", 'dtype {"F4":null} with F4 [3] [0,2]: '
  "the map form is a JSON error in strict, MisalignedSlice in reference",
  F('{"t":{"dtype":{"F4":null},"shape":[3],"data_offsets":[0,2]}}', D(2)),
  {"strict": JSON, "reference": MISALIGNED})
N("n_schema_duplicate_name_hole", '"a" U8[1] [0,1] then "a" U8[1] [1,2]: last '
  "wins in reference (hole at 0); duplicate key in strict",
  F('{"a":%s,"a":%s}' % (E("U8", [1], 0, 1), E("U8", [1], 1, 2)), D(2)),
  {"strict": JSON, "reference": OFFSET}, flags=["parser-differential"])
N("n_schema_duplicate_escaped_hole", r'"a" U8[4] [0,4] then "\u0061" F32[1] '
  "[4,8]", F(r'{"a":%s,"\u0061":%s}' % (U, E("F32", [1], 4, 8)), D(8)),
  {"strict": JSON, "reference": OFFSET}, flags=["parser-differential"])
N("n_schema_duplicate_late_bad_offsets", '"a" valid, then "a" U8[1] [7,8]: '
  "the survivor is invalid",
  F('{"a":%s,"a":%s}' % (V, E("U8", [1], 7, 8)), D(4)),
  {"strict": JSON, "reference": OFFSET}, flags=["parser-differential"])
N("n_schema_duplicate_early_bad_dtype", '"a" with dtype "F3", then a valid '
  '"a": every occurrence must convert',
  F('{"a":%s,"a":%s}' % (E("F3", [1], 0, 4), V), D(4)), JSON,
  flags=["parser-differential"])
N("n_schema_metadata_error_beats_tensor", "a bad dtype, then __metadata__ "
  '{"a":1}: both JSON errors',
  F('{"t":%s,"__metadata__":{"a":1}}' % E("F3", [1], 0, 4), D(4)), JSON)

# --- dtype_ ------------------------------------------------------------------
for slug, bad, why in [
        ("f128", "F128", "not a dtype"), ("f32_lower", "f32", "lower case"),
        ("c128", "C128", "not a dtype"),
        ("f8_e4m3fn", "F8_E4M3FN", "the FN suffix is not accepted"),
        ("i4", "I4", "not a dtype"), ("u4", "U4", "not a dtype"),
        ("fp4", "FP4", "not a dtype"), ("bool_lower", "bool", "lower case"),
        ("bool_mixed", "Bool", "mixed case"),
        ("trailing_space", "BF16 ", "trailing space"),
        ("leading_space", " F32", "leading space"), ("empty", "", "empty"),
        ("nul_suffix", r"U8\u0000", "NUL after U8 (a C-string compare "
         "would match)"),
        ("prefix", "U", "a prefix of U8")]:
    N("n_dtype_" + slug, 'dtype "%s": %s' % (bad, why),
      F('{"t":{"dtype":"%s","shape":[4],"data_offsets":[0,4]}}' % bad, D(4)),
      JSON, base="y_dtype_u8", flags=["bug-nul"] if "u0000" in bad else [])

# --- shape_: sizes and overflow -----------------------------------------------
N("n_shape_scalar_no_bytes", "I32 scalar with [0,0]",
  F(O(("s", E("I32", [], 0, 0)))), INFO, base="y_shape_scalar_f32")
N("n_shape_size_too_small", "I32 [2,2] with [0,4]",
  F(O(("t", E("I32", [2, 2], 0, 4))), D(4)), INFO)
N("n_shape_size_too_large", "U8 [3] with [0,4]",
  F(O(("t", E("U8", [3], 0, 4))), D(4)), INFO, base="y_dtype_u8")
N("n_shape_zero_elements_nonempty", "F32 [0] with [0,4]",
  F(O(("t", E("F32", [0], 0, 4))), D(4)), INFO, base="y_shape_zero_size_only")
N("n_shape_product_overflow", "I32 [2,18446744073709551614]",
  F(O(("t", E("I32", [2, U64_MAX - 1], 0, 8))), D(8)), OVERFLOW)
N("n_shape_bits_overflow", "I32 [2,9223372036854775807]: the product fits, "
  "the bit count does not", F(O(("t", E("I32", [2, 2**63 - 1], 0, 8))), D(8)),
  OVERFLOW)
N("n_shape_u8_2_61_wraps_to_zero", "U8 [2^61] [0,0]: bits 2^64 wrap to 0 "
  "without overflow checks", F(O(("t", E("U8", [2**61], 0, 0)))), OVERFLOW,
  flags=["bug-wrap"])
N("n_shape_wrap_to_zero_2_32_squared", "U8 [2^32,2^32] [0,0]: the product "
  "wraps to 0", F(O(("t", E("U8", [2**32, 2**32], 0, 0)))), OVERFLOW,
  flags=["bug-wrap"])
N("n_shape_wrap_to_zero_2_63_times_2", "BOOL [2^63,2] [0,0]",
  F(O(("t", E("BOOL", [2**63, 2], 0, 0)))), OVERFLOW, flags=["bug-wrap"])
N("n_shape_f32_bits_wrap", "F32 [2^62] [0,0]: 2^62*32 bits wraps to 0",
  F(O(("t", E("F32", [2**62], 0, 0)))), OVERFLOW, flags=["bug-wrap"])
N("n_shape_left_to_right_overflow", "U8 [2^64-1,2,0]: overflows before the 0",
  F(O(("t", E("U8", [U64_MAX, 2, 0], 0, 0)))), OVERFLOW,
  base="y_shape_zero_then_huge_dims")
N("n_shape_double_rounding", "U8 [6148914691236517206,3,0]: exact product "
  "overflows; rounded to a double (...5400) it would not",
  F(O(("t", E("U8", [6148914691236517206, 3, 0], 0, 0)))), OVERFLOW,
  base="y_shape_no_double_rounding", flags=["bug-doubles"])
N("n_shape_dim_truncates_to_32_bits", "U8 [4294967300] (2^32+4) with [0,4] "
  "and 4 bytes: a reader that keeps dimensions in 32 bits (int32 or uint32 "
  "shapes) reads [4] and accepts",
  F(O(("t", E("U8", [2**32 + 4], 0, 4))), D(4)), INFO,
  flags=["amplification"])
N("n_shape_product_wraps_32_bits", "U8 [65536,65536] [0,0]: each dimension "
  "fits 32 bits, the product 2^32 does not; a 32-bit size_t (wasm32, 32-bit "
  "ARM) wraps it to 0", F(O(("t", E("U8", [65536, 65536], 0, 0)))), INFO,
  flags=["bug-wrap"])
N("n_shape_f4_bits_wrap", "F4 [2^62] [0,0]: 2^62*4 bits wraps to 0 (the "
  "sub-byte path; a reader that halves the count for bytes gets 2^61)",
  F(O(("t", E("F4", [2**62], 0, 0)))), OVERFLOW,
  flags=["bug-wrap"])
N("n_shape_rank_16_mismatch", "rank 16 U8 [2,1,...,1] with [0,3]",
  F(O(("t", E("U8", [2] + [1] * 15, 0, 3))), D(3)), INFO,
  base="y_shape_rank_16")

# --- offsets_ ----------------------------------------------------------------
TWO = lambda a, b: F(O(("a", E("U8", [1], *a)), ("b", E("U8", [1], *b))),
                     D(max(a[1], b[1], 0)))
N("n_offsets_hole", "U8[1] [0,1], U8[1] [2,3]: a hole at 1", TWO((0, 1),
                                                                 (2, 3)),
  OFFSET, flags=["polyglot"])
N("n_offsets_overlap", "U8 [0,2] and U8 [1,3]",
  F(O(("a", E("U8", [2], 0, 2)), ("b", E("U8", [2], 1, 3))), D(3)), OFFSET)
N("n_offsets_first_not_zero", "the only tensor at [1,2], D=2",
  F(O(("a", E("U8", [1], 1, 2))), D(2)), OFFSET)
N("n_offsets_end_before_begin", "a single tensor [4,0]",
  F(O(("a", E("U8", [4], 4, 0))), D(4)), OFFSET)
N("n_offsets_reversed_pair", "[0,1] then [1,0]",
  F(O(("a", E("U8", [1], 0, 1)), ("b", E("U8", [1], 1, 0))), D(1)), OFFSET)
N("n_offsets_identical_ranges", "two tensors both [0,4] (aliases)",
  F(O(("a", V), ("b", V)), D(4)), OFFSET, flags=["amplification"])
N("n_offsets_zero_size_beyond_cursor", "U8[2] [0,2] then F32[0] [5,5]",
  F(O(("a", E("U8", [2], 0, 2)), ("z", E("F32", [0], 5, 5))), D(2)), OFFSET,
  base="y_shape_zero_size_last")
N("n_offsets_zero_size_u64_max", "U8[0] at [2^64-1,2^64-1]",
  F(O(("t", E("U8", [0], U64_MAX, U64_MAX)))), OFFSET)
N("n_offsets_check_before_size", "U8[1] [0,1] then F4[3] [2,4]: the offset "
  "error comes first", F(O(("a", E("U8", [1], 0, 1)),
                          ("b", E("F4", [3], 2, 4))), D(4)), OFFSET)
N("n_offsets_first_sorted_fails", "I32[3] [0,4] then U8[1] [9,10]: the first "
  "tensor in offset order decides",
  F(O(("b", E("U8", [1], 9, 10)), ("a", E("I32", [3], 0, 4))), D(10)), INFO)
N("n_offsets_trailing_byte", "one byte after the last tensor",
  F(O(("t", V)), D(5)), INCOMPLETE, base="y_schema_metadata_absent",
  flags=["polyglot"])
N("n_offsets_truncated_data", "the data section one byte short",
  F(O(("t", V)), D(3)), INCOMPLETE, base="y_schema_metadata_absent")
N("n_offsets_no_data", "a tensor [0,4] and no data section", F(O(("t", V))),
  INCOMPLETE, base="y_schema_metadata_absent")
N("n_offsets_empty_header_with_data", "{} and one data byte",
  F("{}", b"\0"), INCOMPLETE, base="y_len_smallest_file")
N("n_offsets_empty_header_with_data_padded", "{} padded with spaces to N=8 "
  "and one data byte", F(P8("{}"), b"\0"), INCOMPLETE,
  base="y_len_padded_to_8")
N("n_offsets_near_2_53", "U8 [2^53+1] [0,2^53+1] in a small file",
  F(O(("t", E("U8", [2**53 + 1], 0, 2**53 + 1))), D(4)), INCOMPLETE,
  flags=["bug-doubles", "amplification"])
N("n_offsets_near_2_63", "5 U8 tensors tiling [0,2^63] in a small file",
  F(O(*[("t%d" % i, E("U8", [s], b, b + s)) for i, (b, s) in enumerate(
      [(k * (2**61 - 1), 2**61 - 1) for k in range(4)] + [(4 * (2**61 - 1),
                                                          4)])])),
  INCOMPLETE, flags=["amplification"])
N("n_offsets_tile_to_u64_max", "9 U8 tensors tiling [0,2^64-1]: end + 8 + N "
  "overflows (the reference's debug build panics)",
  F(O(*[("t%d" % i, E("U8", [s], b, b + s)) for i, (b, s) in enumerate(
      [(k * (2**61 - 1), 2**61 - 1) for k in range(8)] + [(8 * (2**61 - 1),
                                                          7)])])),
  INCOMPLETE, flags=["bug-wrap"])


def begin_wraps_to_file_start():
    """U8[4] at [B,B+4] with B = 2^64 - 8 - N: 8 + N + B wraps to 0."""
    n = 0
    while True:
        begin = 2**64 - 8 - n
        header = O(("t", E("U8", [4], begin, begin + 4)))
        if len(header) == n:
            return F(header, D(4))
        n = len(header)


N("n_offsets_begin_wraps_to_file_start", "U8[4] at [2^64-8-N, 2^64-4-N]: "
  "8+N+begin wraps to 0, so a reader that bounds 8+N+end in wrapping u64 "
  "(instead of checking the offsets) reads the file's first 4 bytes, N "
  "itself, as the tensor", begin_wraps_to_file_start(), OFFSET,
  flags=["bug-wrap"])
N("n_offsets_size_sum_wraps", "U8[4] [0,4] and two U8[2^63] at [0,2^63]: "
  "the byte sizes add up to 2^64+4, which wraps to the 4-byte data section "
  "for a reader that compares the total of the sizes (not the offsets)",
  F(O(("a", E("U8", [2**63], 0, 2**63)), ("b", E("U8", [2**63], 0, 2**63)),
      ("c", E("U8", [4], 0, 4))), D(4)), OFFSET,
  flags=["bug-wrap", "amplification"])
N("n_offsets_end_truncates_to_32_bits", "F32[1] with data_offsets "
  "[0,4294967300] (2^32+4) and 4 bytes: a reader that keeps offsets in 32 "
  "bits reads [0,4] and accepts",
  F(O(("t", E("F32", [1], 0, 2**32 + 4))), D(4)), INFO,
  base="y_schema_metadata_absent", flags=["amplification"])
N("n_offsets_claims_1gb", "U8 [1000000000] [0,1000000000] with 4 data bytes "
  "(do not allocate before checking)",
  F(O(("t", E("U8", [10**9], 0, 10**9))), D(4)), INCOMPLETE,
  flags=["amplification"])

# --- subbyte_ ----------------------------------------------------------------
N("n_subbyte_f4_odd", "F4 [3] with [0,2]", F(O(("t", E("F4", [3], 0, 2))),
                                               D(2)), MISALIGNED,
  base="y_subbyte_f4_2")
N("n_subbyte_f4_odd_short", "F4 [3] with [0,1]",
  F(O(("t", E("F4", [3], 0, 1))), D(1)), MISALIGNED, base="y_subbyte_f4_2")
N("n_subbyte_f4_scalar", "F4 scalar [] with [0,1]",
  F(O(("t", E("F4", [], 0, 1))), D(1)), MISALIGNED)
N("n_subbyte_f4_scalar_empty", "F4 scalar [] with [0,0]: bit check before "
  "size", F(O(("t", E("F4", [], 0, 0)))), MISALIGNED)
N("n_subbyte_f6_e2m3_2", "F6_E2M3 [2] with [0,2] (12 bits)",
  F(O(("t", E("F6_E2M3", [2], 0, 2))), D(2)), MISALIGNED,
  base="y_subbyte_f6_e2m3_4")
N("n_subbyte_f6_e3m2_6", "F6_E3M2 [6] with [0,5] (36 bits)",
  F(O(("t", E("F6_E3M2", [6], 0, 5))), D(5)), MISALIGNED)
N("n_subbyte_f6_e2m3_1x3", "F6_E2M3 [1,3] with [0,3] (18 bits)",
  F(O(("t", E("F6_E2M3", [1, 3], 0, 3))), D(3)), MISALIGNED)
N("n_subbyte_f4_size_mismatch", "F4 [4] with [0,4] (2 bytes needed)",
  F(O(("t", E("F4", [4], 0, 4))), D(4)), INFO)
N("n_subbyte_f6_size_mismatch", "F6_E3M2 [4] with [0,4] (3 bytes needed)",
  F(O(("t", E("F6_E3M2", [4], 0, 4))), D(4)), INFO)
N("n_subbyte_bytes_per_element", "F4 [2] with [0,2]: one byte per element "
  "is wrong", F(O(("t", E("F4", [2], 0, 2))), D(2)), INFO,
  base="y_subbyte_f4_2")

# --- data_: polyglots and amplification ---------------------------------------
N("n_data_zip_appended", "a valid file with a ZIP local header appended",
  F(O(("t", V)), D(4) + b"PK\x03\x04" + b"\0" * 26), INCOMPLETE,
  base="y_schema_metadata_absent", flags=["polyglot"])
N("n_data_hidden_in_hole", "a [0,4], b [8,12]: 4 hidden bytes between them",
  F(O(("a", V), ("b", E("F32", [1], 8, 12))), b"\0\0\0\0EVIL\0\0\0\0"), OFFSET,
  flags=["polyglot"])
N("n_data_payload_after_nul", "{} then NUL and an HTML payload inside N",
  F(b"{}\0<html><script>x</script></html>"), JSON, base="y_len_smallest_file",
  flags=["polyglot", "bug-nul"])
N("n_data_payload_after_spaces", "{} then spaces and a shell payload inside N",
  F("{}    #!/bin/sh\n"), JSON, base="y_len_padded_to_8",
  flags=["polyglot", "bug-trailing"])
N("n_data_many_aliases", "100 tensors all at [0,4] (one buffer read 100 "
  "times)", F(O(*[("t%02d" % i, V) for i in range(100)]), D(4)), OFFSET,
  flags=["amplification"])


# === i_: the profiles differ ==================================================

I("i_json_ws_leading_space", "a space before {", F(" {}"), JSON, ACCEPT,
  base="y_len_smallest_file")
I("i_json_ws_leading_space_padded", "a space before {}, then spaces to N=8",
  F(P8(" {}")), JSON, ACCEPT, base="y_len_padded_to_8")
I("i_json_ws_leading_mixed", "TAB LF CR SP before {", F("\t\n\r {}"), JSON,
  ACCEPT, base="y_len_smallest_file")
I("i_json_ws_leading_mixed_padded", "TAB LF CR SP before {}, then spaces to "
  "N=8", F(P8("\t\n\r {}")), JSON, ACCEPT, base="y_len_padded_to_8")
I("i_json_ws_leading_page_aligned", "leading spaces so the data starts at "
  "4096 (the #686 rationale)",
  F(" " * (4088 - len(O(("t", V)))) + O(("t", V)), D(4)), JSON, ACCEPT,
  base="y_schema_metadata_absent")
I("i_json_ws_trailing_tab", "{} then TAB", F("{}\t"), JSON, ACCEPT,
  base="y_len_smallest_file")
I("i_json_ws_trailing_tab_padded", "{} then TAB, then spaces to N=8",
  F(P8("{}\t")), JSON, ACCEPT, base="y_len_padded_to_8")
I("i_json_ws_trailing_lf", "{} then LF", F("{}\n"), JSON, ACCEPT,
  base="y_len_smallest_file")
I("i_json_ws_trailing_lf_padded", "{} then LF, then spaces to N=8",
  F(P8("{}\n")), JSON, ACCEPT, base="y_len_padded_to_8")
I("i_json_ws_trailing_mixed", "a tensor header, then CR SP TAB LF",
  F(O(("t", V)) + "\r \t\n", D(4)), JSON, ACCEPT,
  base="y_schema_metadata_absent")
I("i_schema_duplicate_last_wins", '"a" U8[4] [0,4] then "a" F32[1] [0,4]: '
  "reference keeps the last", F('{"a":%s,"a":%s}' % (U, V), D(4)), JSON,
  ACCEPT, flags=["parser-differential"])
I("i_schema_duplicate_escaped", r'"a" U8[4] then "\u0061" F32[1], same range',
  F(r'{"a":%s,"\u0061":%s}' % (U, V), D(4)), JSON, ACCEPT,
  flags=["parser-differential"])
I("i_schema_duplicate_zero_then_real", '"a" U8[0] [0,0] then "a" U8[2] [0,2]',
  F('{"a":%s,"a":%s}' % (E("U8", [0], 0, 0), E("U8", [2], 0, 2)), D(2)),
  JSON, ACCEPT, flags=["parser-differential"])
I("i_schema_duplicate_early_bad_offsets", '"a" U8[1] [7,8] then a valid "a": '
  "the dropped entry is never validated",
  F('{"a":%s,"a":%s}' % (E("U8", [1], 7, 8), V), D(4)), JSON, ACCEPT,
  flags=["parser-differential"])
I("i_schema_duplicate_intervening", '"a", "b", then "a" again',
  F('{"a":%s,"b":%s,"a":%s}' % (U, E("F32", [1], 4, 8), V), D(8)), JSON,
  ACCEPT, flags=["parser-differential"])
I("i_schema_duplicate_pair_vs_raw", r'raw U+1F600 then "\ud83d\ude00"',
  F(r'{"😀":%s,"\ud83d\ude00":%s}' % (U, V), D(4)), JSON, ACCEPT,
  flags=["parser-differential"])
I("i_schema_metadata_duplicate_key", '__metadata__ {"a":"1","a":"2"}',
  F(O(("t", V), meta='{"a":"1","a":"2"}'), D(4)), JSON, ACCEPT,
  base="y_schema_metadata_one", flags=["parser-differential"])
I("i_schema_metadata_duplicate_escaped_key", r'__metadata__ {"a":"1",'
  r'"\u0061":"2"}', F(O(("t", V), meta=r'{"a":"1","\u0061":"2"}'), D(4)),
  JSON, ACCEPT, flags=["parser-differential"])
I("i_schema_metadata_null", "__metadata__ null: absent in reference",
  F(O(("t", V), meta="null"), D(4)), JSON, ACCEPT,
  base="y_schema_metadata_absent")
I("i_schema_metadata_null_only", "__metadata__ null and no tensors",
  F(O(meta="null")), JSON, ACCEPT)
I("i_schema_unknown_field_null", 'an extra field "extra":null',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":null}}',
    D(4)), JSON, ACCEPT, base="y_schema_metadata_absent")
I("i_schema_unknown_field_object", 'an extra field "foo":{"x":[1,2]}',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"foo":{"x":[1,2]}}}', D(4)), JSON, ACCEPT)
I("i_schema_unknown_field_first", "an unknown field before dtype",
  F('{"t":{"x":1,"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', D(4)),
  JSON, ACCEPT)
I("i_schema_unknown_field_metadata", "__metadata__ inside a tensor entry is "
  "an unknown field",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"__metadata__":{"k":1}}}', D(4)), JSON, ACCEPT)
I("i_json_depth_unknown_field_125", "an unknown field of 125 nested arrays "
  "(127 open containers)",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":' + "[" * 125 +
    "]" * 125 + "}}", D(4)), JSON, ACCEPT, flags=["depth"],
  base="y_schema_metadata_absent")
I("i_json_number_unknown_field_float", 'unknown field "x":1.5e300',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1.5e300}}',
    D(4)), JSON, ACCEPT)
I("i_json_number_unknown_field_big_int", 'unknown field '
  '"x":18446744073709551616',
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"x":18446744073709551616}}', D(4)), JSON, ACCEPT)
I("i_json_serde_decimal_bug_b", 'unknown field "x":18446744073709551616.5 '
  "(valid RFC 8259; serde_json 1.0.87 rejected it, this profile accepts)",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"x":18446744073709551616.5}}', D(4)), JSON, ACCEPT)
I("i_json_number_dbl_max_81", 'unknown field "x":1.79769313486231581e308: '
  "accepted by the reference's number parser",
  F('{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4],'
    '"x":1.79769313486231581e308}}', D(4)), JSON, ACCEPT)
I("i_schema_array_form", 'tensor as ["F32",[1],[0,4]]',
  F('{"t":["F32",[1],[0,4]]}', D(4)), JSON, ACCEPT,
  flags=["parser-differential"])
I("i_schema_array_form_scalar", 'tensor as ["F32",[],[0,4]]',
  F('{"t":["F32",[],[0,4]]}', D(4)), JSON, ACCEPT)
I("i_schema_array_form_mixed", "one array-form and one object-form tensor",
  F('{"a":["U8",[4],[0,4]],"b":%s}' % E("F32", [1], 4, 8), D(8)), JSON,
  ACCEPT)
I("i_schema_dtype_map_form", 'dtype {"F32":null}',
  F('{"t":{"dtype":{"F32":null},"shape":[1],"data_offsets":[0,4]}}', D(4)),
  JSON, ACCEPT, flags=["parser-differential"])
I("i_schema_dtype_map_escaped", r'dtype {"\u0046\u0033\u0032":null}',
  F(r'{"t":{"dtype":{"\u0046\u0033\u0032":null},"shape":[1],'
    r'"data_offsets":[0,4]}}', D(4)), JSON, ACCEPT)
I("i_schema_array_form_map_dtype", 'tensor as [{"F32":null},[1],[0,4]]',
  F('{"t":[{"F32":null},[1],[0,4]]}', D(4)), JSON, ACCEPT)


# === write_: the writer =======================================================

Z = lambda n: bytes(n)
W("y_write_empty", "no tensors, no metadata (W1)", [], expect="{}")
W("y_write_metadata_only", "no tensors, metadata framework=pt (W2)", [],
  {"framework": "pt"}, expect='{"__metadata__":{"framework":"pt"}}')
W("y_write_one_i32", "test I32 [2,2] zeros (W3)",
  [("test", "I32", [2, 2], Z(16))],
  expect='{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}')
W("y_write_two_dtypes", "test1 I32 [2,2], test2 F16 [2,2] (W4)",
  [("test1", "I32", [2, 2], Z(16)), ("test2", "F16", [2, 2], Z(8))],
  expect='{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},'
         '"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}')
W("y_write_two_dtypes_reversed_input", "W4 with the inputs in reverse order",
  [("test2", "F16", [2, 2], Z(8)), ("test1", "I32", [2, 2], Z(16))],
  expect='{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},'
         '"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}')
W("y_write_metadata_and_tensor", "test1 I32 [2,2] and metadata (W5)",
  [("test1", "I32", [2, 2], Z(16))], {"framework": "pt"},
  expect='{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32",'
         '"shape":[2,2],"data_offsets":[0,16]}}')
W("y_write_no_padding", "attn.0 F32 [1,2,3] = 0..5: 64 bytes, no padding "
  "(W6)", [("attn.0", "F32", [1, 2, 3], struct.pack("<6f", 0, 1, 2, 3, 4, 5))])
W("y_write_padding_7", "attn0 F32 [1,1,2,3]: 65 bytes padded to 72 (W7)",
  [("attn0", "F32", [1, 1, 2, 3], struct.pack("<6f", 0, 1, 2, 3, 4, 5))])
W("y_write_f4", "attn.0 F4 [1,2], one byte (W8)",
  [("attn.0", "F4", [1, 2], b"\0")])
W("y_write_bf16", "test BF16 [[2.25,1],[1,1]] (W9)",
  [("test", "BF16", [2, 2], bytes.fromhex("1040803f803f803f"))])
W("y_write_c64", "test C64 [2,2] with [1][1] = -1+1j (W10)",
  [("test", "C64", [2, 2], Z(24) + bytes.fromhex("000080bf0000803f"))])
W("y_write_scalar_and_zero_size", "s F64 [] and z F32 [0,3] (W11)",
  [("s", "F64", [], struct.pack("<d", 1.5)), ("z", "F32", [0, 3], b"")],
  expect='{"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]},'
         '"z":{"dtype":"F32","shape":[0,3],"data_offsets":[8,8]}}')
W("y_write_empty_metadata_no_tensors", "no tensors, metadata {}: "
  '{"__metadata__":{}} and 5 spaces, N=24 (W12; the reference writes '
  "invalid JSON)", [], {}, expect='{"__metadata__":{}}')
W("y_write_empty_metadata_with_tensor", "metadata {} with one tensor",
  [("t", "U8", [1], b"\x2a")], {})
W("y_write_dtype_order", "all 22 dtypes (z78_U64 ... z99_BOOL) plus F32 "
  "a, B, b, é, a.10, a.9 (W13)",
  [("z%d_%s" % (99 - rank, name), name, [8], D(bits))
   for rank, (name, bits) in enumerate(DTYPES)] +
  [(n, "F32", [1], D(4)) for n in ["a", "B", "b", "é", "a.10", "a.9"]])
W("y_write_name_escapes", 'names with ", \\, 01, 1F, TAB, LF, 08, 0C, DEL, '
  "U+2028, an emoji, NUL (W14)",
  [(n, "U8", [1], bytes([i])) for i, n in enumerate(
      ['q"', "b\\", "c\x01", "d\x1f", "e\t", "f\n", "g\x08", "h\x0c",
       "i\x7f", "j\u2028", "k😀", "l\0"])])
for length in range(1, 9):
    W("y_write_name_length_%d" % length, "one U8[1] named with %d byte(s) "
      "(W15: padding %d)" % (length, (-(52 + length)) % 8),
      [("n" * length, "U8", [1], b"\x01")])
W("y_write_metadata_sorted", "metadata keys given unsorted are written "
  "sorted by their bytes",
  [("t", "U8", [1], b"\x01")],
  {"zeta": "1", "Alpha": "2", "é": "3", "a\nb": "4", "": "5", "alpha": "6"})
W("y_write_zero_size_tensors", "zero-size tensors of several dtypes between "
  "real ones", [("a", "U8", [0], b""), ("b", "F32", [2], D(8)),
                ("c", "F32", [0, 4], b""), ("d", "BOOL", [0], b""),
                ("e", "I64", [1], D(8))])
W("y_write_align_4096", "alignment option 4096: the data starts at 4096",
  [("t", "F32", [2], D(8))], options={"alignment": 4096})
W("n_write_name_metadata", 'a tensor named "__metadata__" (W16)',
  [("__metadata__", "U8", [1], b"\0")], expect=JSON)
W("n_write_duplicate_names", 'two tensors named "a"',
  [("a", "U8", [1], b"\0"), ("a", "F32", [1], Z(4))], expect=JSON)
W("n_write_data_too_short", "F32 [2] with 7 bytes (W18)",
  [("t", "F32", [2], Z(7))], expect=INFO)
W("n_write_data_too_long", "U8 [2] with 3 bytes", [("t", "U8", [2], Z(3))],
  expect=INFO)
W("n_write_f4_odd", "F4 [3] with 2 bytes (W18)", [("t", "F4", [3], Z(2))],
  expect=MISALIGNED)
W("n_write_f6_not_multiple_of_4", "F6_E2M3 [2] with 2 bytes",
  [("t", "F6_E2M3", [2], Z(2))], expect=MISALIGNED)
W("n_write_shape_overflow", "U8 [2^32,2^32] with no data",
  [("t", "U8", [2**32, 2**32], b"")], expect=OVERFLOW)
W("n_write_header_too_large", "a name of 99,999,949 bytes: the padded header "
  "is 100,000,008 bytes (W17; generated at test time)",
  [({"repeat": "a", "count": 100_000_000 - 51}, "U8", [1], b"\0")],
  expect=LARGE, flags=["generated", "large"])
