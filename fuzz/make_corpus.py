#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Writes one fuzz target's seed corpus into a directory, from the conformance
# vectors (so the seeds follow the vectors, never copied by hand) or, for the
# targets whose input is not a file, generated in the encoding the target
# reads (fuzz/fuzz_util.h ByteReader). Each seed is named by its SHA-1, as
# libFuzzer names corpus files. Deterministic.
#
#   make_corpus.py --kind=file|headers|json|slice|byteswap|writer --out=DIR
#                  [INPUT...]
#
#   file      every vector (*.safetensors) up to --max-size bytes, as it is
#   headers   as file, and files in the writers' compact form with the
#             variations the header parser's fast path must decline or read
#             as the general path does (numbers at the limits, escapes,
#             other forms, every truncation of one header)
#   json      the header text of each vector (the N bytes after the prefix)
#   slice     dtypes x shapes x slice specs (+ big values after 0xF0 tags)
#   byteswap  lengths around every vector width x misalignments
#   writer    writer specs (fuzz/writer_spec_fuzzer.cc): every dtype in
#             several shapes and options, and each writer error
# Other INPUT files (regression cases) are copied in as they are.

import argparse
import hashlib
import os
import struct
import sys


def big(v):
    return bytes([0xF0]) + struct.pack('<Q', v)


def small(v):
    assert v < 0xF0
    return bytes([v])


def slice_seeds():
    shapes = [[], [4], [2, 3], [3, 4, 2], [0, 3], [2, 1, 3, 2], [1], [7, 5]]
    # Indexers: (kind, fields) in the target's encoding.
    idx = lambda i: bytes([0]) + small(i)
    rng = lambda a, b, s=1: bytes([1]) + small(a) + small(b) + small(s)
    frm = lambda a, s=1: bytes([2]) + small(a) + small(s)
    everything = bytes([3])
    specs = [[], [everything], [idx(1)], [rng(1, 3)], [frm(1, 2)],
             [everything, rng(0, 2, 2)], [idx(0), frm(1)], [rng(2, 1)],
             [rng(0, 0)], [frm(0, 0)], [idx(8)], [everything, everything, idx(1)]]
    out = []
    for dtype in range(22):
        for si, shape in enumerate(shapes):
            for spec in specs[: 4 if dtype % 5 else len(specs)]:
                if len(spec) > len(shape) + 1:
                    continue
                b = bytes([dtype, len(shape)]) + b''.join(small(d) for d in shape)
                b += bytes([len(spec)]) + b''.join(spec)
                b += bytes([dtype & 1]) + bytes(range(si, si + 5))
                out.append(b)
    # Huge dimensions and positions: overflow, out of range.
    out.append(bytes([17, 2]) + big(1 << 62) + small(8) + bytes([0]))
    out.append(bytes([4, 2]) + big(1 << 40) + small(0) + bytes([1, 0]) + big(2**64 - 1))
    out.append(bytes([1, 1]) + small(5) + bytes([1, 1]) + small(1) + small(3) + small(1))
    out.append(bytes([4, 1]) + big(2**64 - 1) + bytes([1, 2]) + big(2**64 - 2) + small(1))
    return out


def byteswap_seeds():
    out = []
    for length in [0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                   127, 128, 129, 255, 256, 257, 512 + 24]:
        for sa, da in [(0, 0), (1, 3), (7, 63), (32, 5)]:
            if length > 64 and (sa, da) not in [(0, 0), (1, 3)]:
                continue
            out.append(bytes([sa, da]) + bytes((i * 37 + 11) & 0xFF
                                               for i in range(length)))
    return out


def compact_file(header, data_size=0, pad=True):
    """A file: N, the header (padded to 8 like a writer), zeroed data."""
    h = header.encode('utf-8') if isinstance(header, str) else header
    if pad:
        h += b' ' * (-(8 + len(h)) % 8)
    return struct.pack('<Q', len(h)) + h + bytes(data_size)


def header_seeds():
    entry = '{"dtype":"%s","shape":[%s],"data_offsets":[%s,%s]}'
    out = []
    one = '{"a":' + entry % ('F32', '2,3', 0, 24) + '}'
    out.append(compact_file(one, 24))
    # Every truncation of a compact header (N and data adjusted).
    for cut in range(1, len(one)):
        out.append(compact_file(one[:cut], 0, pad=False))
    # Numbers at and past the fast path's limits, in every numeric field.
    numbers = ['0', '1', '9999999999999999999', '10000000000000000000',
               '18446744073709551615', '18446744073709551616', '01', '00',
               '-1', '1.0', '1e2', '4294967296', '2305843009213693952']
    for n in numbers:
        out.append(compact_file('{"a":' + entry % ('U8', n, 0, n) + '}'))
        out.append(compact_file('{"a":' + entry % ('U8', '1', 0, n) + '}'))
        out.append(compact_file('{"a":' + entry % ('U8', '1', n, 1) + '}', 1))
        out.append(compact_file('{"a":' + entry % ('U8', n + ',' + n, 0, 0)
                                + '}'))
    # Dtypes: every name, escaped, unknown, near misses.
    for d, bits in DTYPES:
        size = (6 * bits) // 8
        out.append(compact_file('{"t":' + entry % (d, '2,3', 0, size) + '}',
                                size))
        out.append(compact_file('{"t":' + entry % (d, '', 0, 0) + '}'))
    for d in ['\\u0046\\u0033\\u0032', 'F33', 'F8_E4M3FN', 'f32', 'F32 ',
              '', 'F\\u00332', 'BOOL\\u0000']:
        out.append(compact_file('{"t":' + entry.replace('%s"', d + '"', 1)
                                % ('1', 0, 4) + '}', 4))
    # Names with escapes; several entries; metadata; other forms.
    names = ['a\\nb', '\\u00e9', 'q\\"', 's\\\\', 'x\\/y',
             '\\ud83d\\ude00', '\u00e9', '__metadata__', '', 'a\\u0000']
    for nm in names:
        out.append(compact_file('{"%s":' % nm + entry % ('I8', '3', 0, 3)
                                + '}', 3))
    many = ','.join('"t%d":' % i + entry % ('BF16', '2', 4 * i, 4 * i + 4)
                    for i in range(8))
    out.append(compact_file('{' + many + '}', 32))
    out.append(compact_file('{"__metadata__":{"k":"v"},' + many + '}', 32))
    out.append(compact_file('{' + many + ',"__metadata__":{}}', 32))
    variants = [
        '{"a": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        '{"a":{"dtype": "F32","shape":[1],"data_offsets":[0,4]}}',
        '{"a":{"shape":[1],"dtype":"F32","data_offsets":[0,4]}}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}',
        '{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}',
        '{"a":{"dtype":"F32","shape":[1 ],"data_offsets":[0,4]}}',
        '{"a":{"dtype":"F32","shape":1,"data_offsets":[0,4]}}',
        '{"a":["F32",[1],[0,4]]}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
        '"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        ' {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}\n',
    ]
    for v in variants:
        out.append(compact_file(v, 4))
        out.append(compact_file(v, 8))
    return out


# The 22 dtypes in rank order (docs/specification.md section 8) and bits.
DTYPES = [('BOOL', 8), ('F4', 4), ('F6_E2M3', 6), ('F6_E3M2', 6), ('U8', 8),
          ('I8', 8), ('F8_E5M2', 8), ('F8_E4M3', 8), ('F8_E8M0', 8),
          ('F8_E4M3FNUZ', 8), ('F8_E5M2FNUZ', 8), ('I16', 16), ('U16', 16),
          ('F16', 16), ('BF16', 16), ('I32', 32), ('U32', 32), ('F32', 32),
          ('C64', 64), ('F64', 64), ('I64', 64), ('U64', 64)]


def writer_seeds():
    # The encoding of fuzz/writer_spec_fuzzer.cc's Decode.
    def dim(v):
        return small(v) if v < 6 else big(v)

    def frags(*idx):  # names from fragments (indices into kFragments)
        return bytes([0, len(idx)]) + bytes(idx)

    def raw(b):
        return bytes([5, len(b)]) + b

    def tensor(name, dtype, shape, mode=0, order=0, seed=1):
        return (name + bytes([dtype, len(shape)]) + b''.join(dim(d) for d in shape)
                + bytes([order | (mode << 2), seed]))

    count = [0]

    def spec(tensors, align=0, le=False, declared=False, metadata=None,
             chunk=0xF0, bad_align=0):
        # Bits 6-7: the writers to a path, in turn (3: all of them).
        count[0] += 1
        flags = (align | (8 if le else 0) | (16 if declared else 0) |
                 (count[0] % 4) << 6)
        b = b''
        if align == 7:
            b += bytes([bad_align])
        b = bytes([flags | (32 if metadata is not None else 0)]) + b
        b += bytes([chunk])
        if metadata is not None:
            b += bytes([len(metadata)]) + b''.join(k + v for k, v in metadata)
        return b + bytes([len(tensors)]) + b''.join(tensors)

    out = [spec([]), spec([], metadata=[]), spec([], align=4, metadata=[])]
    shapes = [[], [0], [4], [2, 3], [3, 0, 5], [2, 2, 2, 2]]
    for dtype in range(22):
        for si, shape in enumerate(shapes):
            t = tensor(frags(0, dtype % 27), dtype, shape, seed=dtype + si)
            out.append(spec([t], align=si % 7, le=bool(dtype & 1),
                            declared=bool(si & 1), chunk=1 + dtype % 13))
        # With every other dtype: the reference order, and host order.
        mixed = [tensor(frags(3, 4 + i % 2, i % 3), (dtype + 5 * i) % 22, [2, 2],
                        order=i % 4, seed=i) for i in range(6)]
        out.append(spec(mixed, align=dtype % 7, chunk=dtype % 13,
                        metadata=[(frags(0), frags(1, 12))]))
        out.append(spec(mixed, declared=True, le=True))
    # Overflowing shapes, sub-byte remainders, wrong lengths.
    out.append(spec([tensor(frags(0), 4, [2**62, 8])]))
    out.append(spec([tensor(frags(0), 21, [2**61])]))
    out.append(spec([tensor(frags(0), 4, [2**61])]))
    out.append(spec([tensor(frags(0), 4, [2**63, 2**63, 0])]))
    out.append(spec([tensor(frags(0), 4, [0, 2**63, 2**63])]))
    out.append(spec([tensor(frags(0), 1, [3])]))
    out.append(spec([tensor(frags(0), 1, [])]))
    out.append(spec([tensor(frags(0), 2, [2])]))
    out.append(spec([tensor(frags(0), 3, [4, 1])]))
    out.append(spec([tensor(frags(0), 1, [0])]))
    for mode in [5, 6, 7]:
        out.append(spec([tensor(frags(0), 17, [2, 2], mode=mode)]))
        out.append(spec([tensor(frags(0), 17, [0], mode=mode)]))
        out.append(spec([tensor(frags(1), 17, [1]),
                         tensor(frags(0), 17, [2], mode=mode)], chunk=3))
    # Names: escapes, NUL, non-ASCII, long, "__metadata__", duplicates,
    # invalid UTF-8, raw bytes.
    for idx in [(7,), (8,), (10, 11, 12, 13, 14), (15,), (16, 17, 18),
                (20, 21, 22, 23, 24), (26,), (25,), (27,), (28,), (29,),
                (30,), (31,), (0, 15, 0), ()]:
        out.append(spec([tensor(frags(*idx), 4, [1])]))
    out.append(spec([tensor(bytes([7, 20, 40]), 4, [1])]))
    out.append(spec([tensor(raw(b'a\x00\xff"'), 4, [1])]))
    out.append(spec([tensor(frags(0), 4, [1]), tensor(bytes([6, 0]), 5, [1])]))
    out.append(spec([tensor(frags(0), 4, [1]), tensor(frags(25), 5, [1])]))
    out.append(spec([tensor(frags(27), 4, [1]), tensor(frags(0), 5, [1]),
                     tensor(bytes([6, 1]), 5, [1])]))
    # Metadata: empty, escapes, a repeated key, invalid UTF-8.
    out.append(spec([tensor(frags(0), 17, [1])], metadata=[]))
    out.append(spec([tensor(frags(0), 17, [1])],
                    metadata=[(frags(7, 8), frags(15, 21)),
                              (frags(1), frags(0)), (frags(1), frags(2))]))
    out.append(spec([], metadata=[(frags(27), frags(0))]))
    out.append(spec([], metadata=[(frags(0), frags(28))]))
    out.append(spec([], metadata=[(bytes([7, 0, 200]), frags(0))]))
    # Alignments that are not allowed.
    for bad in range(8):
        out.append(spec([tensor(frags(0), 4, [1])], align=7, bad_align=bad))
    return out


def header_text(data):
    if len(data) < 8:
        return None
    n = struct.unpack('<Q', data[:8])[0]
    return data[8:8 + min(n, len(data) - 8)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--kind', required=True,
                    choices=['file', 'headers', 'json', 'slice', 'byteswap',
                             'writer'])
    ap.add_argument('--out', required=True)
    ap.add_argument('--max-size', type=int, default=65536)
    ap.add_argument('inputs', nargs='*')
    args = ap.parse_args()

    seeds = []
    for path in sorted(args.inputs):
        with open(path, 'rb') as f:
            data = f.read()
        if path.endswith('.safetensors') and '/conformance/' in '/' + path:
            if args.kind in ('file', 'headers'):
                seeds.append(data)
            elif args.kind == 'json':
                text = header_text(data)
                if text is not None:
                    seeds.append(text)
        elif not path.endswith(('.dump', '.json', '.safetensors')):
            seeds.append(data)  # a regression case of this target
    if args.kind == 'slice':
        seeds += slice_seeds()
    elif args.kind == 'byteswap':
        seeds += byteswap_seeds()
    elif args.kind == 'headers':
        seeds += header_seeds()
    elif args.kind == 'writer':
        seeds += writer_seeds()

    os.makedirs(args.out, exist_ok=True)
    written = set()
    for s in seeds:
        if len(s) > args.max_size:
            continue
        name = hashlib.sha1(s).hexdigest()
        if name in written:
            continue
        written.add(name)
        with open(os.path.join(args.out, name), 'wb') as f:
            f.write(s)
    if not written:
        sys.exit('make_corpus: no seeds written')


if __name__ == '__main__':
    main()
