# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Structural mutants of safetensors files for the differential campaign.

A mutant is a pure function of (seed, index): mutant(seeds, seed, index)
picks a base file from the sorted seed list and applies one to five edits
with a random.Random seeded by the text "seed:index" (Python hashes a str
seed with SHA-512, the same on every platform and version), so a saved
disagreement is regenerated from its two numbers alone.

Edits work on a lenient token view of the header text (it need not be valid
JSON): numbers (decimals, exponents, huge, negative, the decimal-point forms
serde_json 1.0.87 misreads), keys (escapes, duplicates, __metadata__),
dtype names, shapes, data_offsets (ties, holes, overlaps), members added,
removed, duplicated and moved, array-form entries, nesting, whitespace and
padding, and raw bytes. Then the 8-byte length field is usually rewritten to
the new header size and the data section resized to the largest
data_offsets end (so the mutant reaches validation), and sometimes not.
Standard library only.
"""

import random
import re
import struct

# --- tokens ------------------------------------------------------------------

_TOKEN = re.compile(
    rb'(?P<str>"(?:[^"\\]|\\.)*"?)'
    rb"|(?P<num>[-0-9][-+0-9.eE]*)"
    rb"|(?P<lit>[A-Za-z_]+)"
    rb"|(?P<ws>[ \t\n\r]+)"
    rb"|(?P<punct>[{}\[\]:,])"
    rb"|(?P<other>.)",
    re.S,
)


class Tok:
    __slots__ = ("kind", "begin", "end", "text", "is_key", "value_end",
                 "parent", "key_of")

    def __init__(self, kind, begin, end, text):
        self.kind = kind
        self.begin = begin
        self.end = end
        self.text = text
        self.is_key = False
        self.value_end = end  # containers: one past the matching close
        self.parent = -1      # index of the enclosing container's token
        self.key_of = -1      # for a value: index of its key token


def tokens(header):
    """Lenient tokens of `header` (bytes) without whitespace, with roles."""
    out = []
    for m in _TOKEN.finditer(header):
        kind = m.lastgroup
        if kind == "ws":
            continue
        out.append(Tok(kind, m.start(), m.end(), m.group()))
    stack = []
    last_key = -1
    for i, t in enumerate(out):
        t.parent = stack[-1] if stack else -1
        if t.kind == "str" and i + 1 < len(out) and out[i + 1].text == b":":
            t.is_key = True
            last_key = i
            continue
        if t.text in (b"}", b"]"):
            if stack:
                out[stack[-1]].value_end = t.end
                stack.pop()
            t.parent = stack[-1] if stack else -1
            continue
        if t.kind in ("str", "num", "lit") or t.text in (b"{", b"["):
            if (last_key >= 0 and i >= 2 and out[i - 1].text == b":" and
                    out[i - 2] is out[last_key]):
                t.key_of = last_key
        if t.text in (b"{", b"["):
            stack.append(i)
    return out


def values(toks):
    """Indices of value tokens (scalars and container openers)."""
    return [i for i, t in enumerate(toks)
            if not t.is_key and (t.kind in ("str", "num", "lit") or
                                 t.text in (b"{", b"["))]


def members(toks):
    """(key index, value index) for every key followed by a value."""
    return [(t.key_of, i) for i, t in enumerate(toks) if t.key_of >= 0]


def number_spans(header):
    """(begin, end) of every number-like token outside strings."""
    return [(t.begin, t.end) for t in tokens(header) if t.kind == "num"]


# --- interesting values ------------------------------------------------------

DTYPES = [b"BOOL", b"F4", b"F6_E2M3", b"F6_E3M2", b"U8", b"I8", b"F8_E5M2",
          b"F8_E4M3", b"F8_E8M0", b"F8_E4M3FNUZ", b"F8_E5M2FNUZ", b"I16",
          b"U16", b"F16", b"BF16", b"I32", b"U32", b"F32", b"C64", b"F64",
          b"I64", b"U64"]
BAD_DTYPES = [b"F128", b"C128", b"F8_E4M3FN", b"I4", b"U4", b"FP4", b"F8",
              b"STR", b"bool", b"f32", b"BF16 ", b" F32", b"", b"F32\\u0000",
              b"\\u0046\\u0033\\u0032", b"F\\u0033\\u0032", b"U\\u0038",
              b"F\\/32", b"F6_E2M", b"F8_E8M0FNU", b"I32\\n", b"\xc3\xa9"]

# serde_json 1.0.87 misreads a '.' after an integer part that overflowed 64
# bits (docs/specification.md section 7.3): these are its triggers.
SERDE_DECIMAL = [b"18446744073709551616.", b"18446744073709551616.5",
                 b"99999999999999999999.e5", b"-18446744073709551619.3",
                 b"100000000000000000000.0", b"18446744073709551616.e1",
                 b"123456789012345678901234.5", b"-99999999999999999999.",
                 b"18446744073709551616.5e3", b"99999999999999999999.9E-2"]

NUMBERS = [b"0", b"1", b"2", b"3", b"4", b"7", b"8", b"16", b"-1", b"-0",
           b"1.0", b"0.0", b"1e2", b"1E+2", b"1e-2", b"0.5", b"-0.0", b"1e0",
           b"01", b"00", b"+1", b".1", b"1.", b"1e", b"1e+", b"--1", b"-",
           b"0x1", b"9007199254740993", b"18446744073709551615",
           b"18446744073709551616", b"18446744073709551617",
           b"4294967296", b"4294967297", b"2305843009213693952",
           b"9223372036854775808", b"36893488147419103232", b"1e400",
           b"-1e400", b"1e-400", b"1e308", b"1.7976931348623157e308",
           b"1.7976931348623158e308", b"17976931348623158e292",
           b"0e99999999999999999999", b"1e-99999999999999999999",
           b"1e2147483647", b"1e2147483648", b"0.1e309", b"1" + b"0" * 308,
           b"1" + b"0" * 309, b"123456789012345678901234567890",
           b"1.5", b"-2.25e-3", b"100000000", b"100000001"] + SERDE_DECIMAL

STRINGS = [b"", b"a", b"__metadata__", b"\\u0000", b"a\\u0000", b"\\\"",
           b"\\\\", b"\\/", b"\\b\\f\\n\\r\\t", b"\\ud800", b"\\udc00",
           b"\\ud83d\\ude00", b"\\uD83D\\uDE00", b"\\uFFFF", b"\\uFFFE",
           b"\\x41", b"\\u00e9", b"\xc3\xa9", b"\xe2\x80\xa8", b"\x7f",
           b"\x01", b"\t", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf",
           b"\\u", b"\\u12", b"\\", b"dtype", b"shape", b"data_offsets",
           b"x" * 40]

LITERALS = [b"null", b"true", b"false", b"nul", b"True", b"NaN",
            b"Infinity", b"-Infinity", b"nulll"]

WHITESPACE = [b" ", b"\t", b"\n", b"\r", b"\r\n", b"  \t\n", b"\x0c",
              b"\x0b", b"\x00", b"\xc2\xa0", b"\xef\xbb\xbf", b"\xe3\x80\x80"]


def _rand_number(rng):
    r = rng.random()
    if r < 0.55:
        return rng.choice(NUMBERS)
    if r < 0.7:
        return str(rng.randrange(0, 64)).encode()
    if r < 0.8:
        return str(rng.randrange(0, 1 << 64)).encode()
    if r < 0.9:
        intpart = str(rng.randrange(1, 10)) + "".join(
            rng.choice("0123456789") for _ in range(rng.randrange(0, 25)))
        s = intpart
        if rng.random() < 0.7:
            s += "." + "".join(rng.choice("0123456789")
                               for _ in range(rng.randrange(0, 4)))
        if rng.random() < 0.4:
            s += rng.choice(["e", "E", "e+", "e-", "E-"]) + str(
                rng.randrange(0, 400))
        if rng.random() < 0.3:
            s = "-" + s
        return s.encode()
    return rng.choice(SERDE_DECIMAL)


def _rand_string(rng, toks=None, header=b""):
    r = rng.random()
    if r < 0.3 and toks:
        strs = [t for t in toks if t.kind == "str"]
        if strs:
            return rng.choice(strs).text
    if r < 0.5:
        return b'"' + rng.choice(DTYPES + BAD_DTYPES) + b'"'
    if r < 0.9:
        return b'"' + rng.choice(STRINGS) + b'"'
    return b'"' + bytes(rng.choice(b"abcxyz_.0") for _ in
                        range(rng.randrange(0, 8))) + b'"'


def _nest(rng, inner, depth):
    opens, closes = [], []
    for _ in range(depth):
        if rng.random() < 0.5:
            opens.append(b"[")
            closes.append(b"]")
        else:
            opens.append(b'{"k":')
            closes.append(b"}")
    return b"".join(opens) + inner + b"".join(reversed(closes))


def _rand_value(rng, toks, header, depth=0):
    r = rng.random()
    if r < 0.3:
        return _rand_number(rng)
    if r < 0.5:
        return _rand_string(rng, toks, header)
    if r < 0.6:
        return rng.choice(LITERALS)
    if r < 0.7 and toks:
        vals = values(toks)
        if vals:
            t = toks[rng.choice(vals)]
            return header[t.begin:t.value_end]
    if r < 0.8:
        return _nest(rng, _rand_number(rng), rng.choice(
            [1, 2, 3, 60, 123, 124, 125, 126, 127, 128]))
    if r < 0.9 or depth > 2:
        n = rng.randrange(0, 4)
        return b"[" + b",".join(_rand_number(rng) for _ in range(n)) + b"]"
    n = rng.randrange(0, 3)
    return b"{" + b",".join(
        _rand_string(rng) + b":" + _rand_value(rng, toks, header, depth + 1)
        for _ in range(n)) + b"}"


def _splice(header, begin, end, new):
    return header[:begin] + new + header[end:]


# --- edits -------------------------------------------------------------------
# Each takes (rng, header, toks) and returns the new header, or None when it
# does not apply (the caller then tries another).


def _m_number(rng, h, toks):
    nums = [t for t in toks if t.kind == "num"]
    if not nums:
        return None
    t = rng.choice(nums)
    r = rng.random()
    if r < 0.5 and re.fullmatch(rb"[0-9]+", t.text):
        # Still an integer: gets past the JSON layer to validation.
        v = int(t.text)
        new = rng.choice([v + 1, max(v - 1, 0), v * 2, v // 2, v + 4, 0, 1,
                          2, 4, rng.randrange(0, 64), (1 << 64) - 1,
                          1 << 63, (1 << 64) - 1 - v])
        return _splice(h, t.begin, t.end, str(new).encode())
    r = rng.random()
    if r < 0.6:
        new = _rand_number(rng)
    else:
        txt = t.text
        new = rng.choice([txt + b".0", txt + b"e0", txt + b"E+0", b"0" + txt,
                          b"-" + txt, txt + b".", txt + b"0", txt[:-1] or b"0",
                          txt + b".5", txt + b"e1",
                          txt + b"00000000000000000000.",
                          txt + b"00000000000000000000.5"])
        if re.fullmatch(rb"[0-9]+", txt):
            v = int(txt)
            new = rng.choice([new, str(v + 1).encode(),
                              str(max(v - 1, 0)).encode(), str(v * 2).encode(),
                              str(v + (1 << 64)).encode()])
    return _splice(h, t.begin, t.end, new)


def _m_dtype(rng, h, toks):
    cands = [i for i, t in enumerate(toks)
             if t.kind == "str" and not t.is_key and t.key_of >= 0 and
             toks[t.key_of].text == b'"dtype"']
    if not cands:
        cands = [i for i, t in enumerate(toks) if t.kind == "str" and
                 not t.is_key]
    if not cands:
        return None
    t = toks[rng.choice(cands)]
    r = rng.random()
    if r < 0.6:
        new = b'"' + rng.choice(DTYPES) + b'"'
    elif r < 0.85:
        new = b'"' + rng.choice(BAD_DTYPES) + b'"'
    elif r < 0.95:
        new = b"{" + b'"' + rng.choice(DTYPES) + b'":' + rng.choice(
            [b"null", b"null", b"1", b"{}", b'"x"']) + b"}"
    else:
        new = rng.choice([b"null", b"17", b"[]", b'["F32"]'])
    return _splice(h, t.begin, t.end, new)


def _escape_some(rng, body):
    out = bytearray()
    for b in body:
        if 0x20 <= b < 0x7F and b not in b'"\\' and rng.random() < 0.4:
            out += (b"\\u%04x" if rng.random() < 0.5 else b"\\u%04X") % b
        else:
            out.append(b)
    return bytes(out)


def _m_key(rng, h, toks):
    keys = [t for t in toks if t.is_key]
    if not keys:
        return None
    t = rng.choice(keys)
    body = t.text[1:-1] if t.text.endswith(b'"') and len(t.text) > 1 else b""
    r = rng.random()
    if r < 0.25:
        new = rng.choice(keys).text            # a duplicate key
    elif r < 0.45:
        new = b'"' + _escape_some(rng, body) + b'"'  # same key, escaped
    elif r < 0.55:
        new = b'"__metadata__"'
    elif r < 0.65:
        new = rng.choice([b'"dtype"', b'"shape"', b'"data_offsets"',
                          b'"Dtype"', b'"data_offset"', b'"__metadata_"'])
    elif r < 0.8:
        new = b'"' + body + rng.choice(STRINGS) + b'"'
    else:
        new = _rand_string(rng)
    return _splice(h, t.begin, t.end, new)


def _m_string(rng, h, toks):
    strs = [t for t in toks if t.kind == "str"]
    if not strs:
        return None
    t = rng.choice(strs)
    body = t.text[1:-1] if t.text.endswith(b'"') and len(t.text) > 1 else b""
    pos = rng.randrange(0, len(body) + 1)
    new = b'"' + body[:pos] + rng.choice(STRINGS) + body[pos:] + b'"'
    if rng.random() < 0.3:
        new = b'"' + _escape_some(rng, body) + b'"'
    return _splice(h, t.begin, t.end, new)


def _member_span(toks, k, v):
    return toks[k].begin, toks[v].value_end


def _m_delete_member(rng, h, toks):
    ms = members(toks)
    if not ms:
        return None
    k, v = rng.choice(ms)
    b, e = _member_span(toks, k, v)
    # Take the comma after (or before) too, usually.
    if rng.random() < 0.9:
        m = re.match(rb"[ \t\n\r]*,", h[e:])
        if m:
            e += m.end()
        else:
            m = re.search(rb",[ \t\n\r]*$", h[:b])
            if m:
                b = m.start()
    return _splice(h, b, e, b"")


def _m_dup_member(rng, h, toks):
    ms = members(toks)
    if not ms:
        return None
    k, v = rng.choice(ms)
    b, e = _member_span(toks, k, v)
    text = h[b:e]
    if rng.random() < 0.5:
        return h[:e] + b"," + text + h[e:]
    return h[:b] + text + b"," + h[b:]


def _objects(toks):
    return [i for i, t in enumerate(toks) if t.text == b"{"]


def _m_insert_member(rng, h, toks):
    objs = _objects(toks)
    if not objs:
        return None
    o = toks[rng.choice(objs)]
    key = rng.choice([b'"x"', b'"__metadata__"', b'"dtype"', b'"shape"',
                      b'"data_offsets"', b'"extra"', b'"t"', b'""',
                      _rand_string(rng, toks, h)])
    member = key + b":" + _rand_value(rng, toks, h)
    empty = re.match(rb"\{[ \t\n\r]*\}", h[o.begin:o.value_end]) is not None
    if rng.random() < 0.5 or o.value_end <= o.begin + 1:
        sep = b"" if empty else b","
        return h[:o.begin + 1] + member + sep + h[o.begin + 1:]
    sep = b"" if empty else b","
    return h[:o.value_end - 1] + sep + member + h[o.value_end - 1:]


def _m_value(rng, h, toks):
    vals = values(toks)
    if not vals:
        return None
    t = toks[rng.choice(vals)]
    return _splice(h, t.begin, t.value_end, _rand_value(rng, toks, h))


def _entries(toks):
    """Value indices of top-level members whose value is an object."""
    return [v for k, v in members(toks)
            if toks[v].text == b"{" and toks[k].parent >= 0 and
            toks[toks[k].parent].parent == -1]


def _field(toks, entry, name):
    for k, v in members(toks):
        if toks[k].parent == entry and toks[k].text == name:
            return v
    return None


def _m_array_form(rng, h, toks):
    ents = _entries(toks)
    if not ents:
        return None
    e = rng.choice(ents)
    parts = []
    for name in (b'"dtype"', b'"shape"', b'"data_offsets"'):
        v = _field(toks, e, name)
        if v is None:
            continue
        parts.append(h[toks[v].begin:toks[v].value_end])
    if rng.random() < 0.2 and parts:
        parts = parts[:-1] if rng.random() < 0.5 else parts + [b"0"]
    if rng.random() < 0.2 and len(parts) > 1:
        parts[0], parts[1] = parts[1], parts[0]
    return _splice(h, toks[e].begin, toks[e].value_end,
                   b"[" + b",".join(parts) + b"]")


def _m_shape(rng, h, toks):
    shapes = [v for k, v in members(toks)
              if toks[k].text == b'"shape"' and toks[v].text == b"["]
    if not shapes:
        return None
    t = toks[rng.choice(shapes)]
    dims = re.findall(rb"[0-9]+", h[t.begin:t.value_end])
    r = rng.random()
    if r < 0.25 and dims:
        dims.pop(rng.randrange(len(dims)))
    elif r < 0.5:
        dims.insert(rng.randrange(len(dims) + 1),
                    rng.choice([b"0", b"1", b"2", b"3", b"4", b"8"]))
    elif r < 0.65:
        dims = [rng.choice([b"4294967296", b"2305843009213693952",
                            b"18446744073709551615", b"3037000500",
                            b"4611686018427387904"])
                for _ in range(rng.randrange(1, 4))]
    elif r < 0.8 and dims:
        i = rng.randrange(len(dims))
        dims[i] = str(int(dims[i]) * rng.choice([0, 2, 3]) +
                      rng.choice([0, 1])).encode()
    else:
        dims = [str(rng.randrange(0, 9)).encode()
                for _ in range(rng.randrange(0, 5))]
    return _splice(h, t.begin, t.value_end, b"[" + b",".join(dims) + b"]")


def _offsets(toks, h):
    """[(value index, (begin, end) or None)] of every data_offsets value."""
    out = []
    for k, v in members(toks):
        if toks[k].text == b'"data_offsets"' and toks[v].text == b"[":
            m = re.fullmatch(rb"\[[ \t\n\r]*([0-9]+)[ \t\n\r]*,[ \t\n\r]*"
                             rb"([0-9]+)[ \t\n\r]*\]",
                             h[toks[v].begin:toks[v].value_end])
            out.append((v, (int(m.group(1)), int(m.group(2))) if m else None))
    return out


def _m_offsets(rng, h, toks):
    offs = _offsets(toks, h)
    if not offs:
        return None
    v, pair = rng.choice(offs)
    others = [p for _, p in offs if p is not None]
    r = rng.random()
    if r < 0.3 and others:
        a, b = rng.choice(others)                     # tie with another
    elif r < 0.45 and pair:
        a, b = pair[1], pair[0]                      # reversed
    elif r < 0.7 and pair:
        d = rng.choice([-8, -4, -2, -1, 1, 2, 4, 8])
        a, b = pair
        if rng.random() < 0.5:
            a = max(a + d, 0)
        else:
            b = max(b + d, 0)
    elif r < 0.8:
        k = rng.randrange(0, 64)
        a, b = k, k                                  # zero-size anywhere
    elif r < 0.9:
        a, b = rng.choice([(0, 18446744073709551615),
                           (18446744073709551615, 18446744073709551615),
                           (18446744073709551608, 18446744073709551615),
                           (0, 100000000), (1, 0)])
    else:
        new = rng.choice([b"[0]", b"[0,4,8]", b"[]", b"[0,4.0]", b"[-0,4]",
                          b'["0","4"]', b"{}", b"null", b"[0,4e0]"])
        return _splice(h, toks[v].begin, toks[v].value_end, new)
    return _splice(h, toks[v].begin, toks[v].value_end,
                   b"[%d,%d]" % (a, b))


def _m_new_entry(rng, h, toks):
    objs = [i for i, t in enumerate(toks) if t.text == b"{" and t.parent == -1]
    if not objs:
        return None
    o = toks[objs[0]]
    ends = [p[1] for _, p in _offsets(toks, h) if p is not None]
    cursor = max(ends) if ends else 0
    dt = rng.choice(DTYPES)
    bits = {b"BOOL": 8, b"F4": 4, b"F6_E2M3": 6, b"F6_E3M2": 6, b"C64": 64,
            b"F64": 64, b"I64": 64, b"U64": 64, b"I32": 32, b"U32": 32,
            b"F32": 32, b"I16": 16, b"U16": 16, b"F16": 16,
            b"BF16": 16}.get(dt, 8)
    shape = [rng.randrange(0, 5) for _ in range(rng.randrange(0, 3))]
    n = 1
    for d in shape:
        n *= d
    size = n * bits // 8
    begin = cursor
    r = rng.random()
    if r < 0.15 and ends:
        begin = rng.choice(ends + [0])
    elif r < 0.25:
        begin = cursor + rng.choice([-1, 1, 2])
    end = begin + size + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
    name = rng.choice([b'"t%d"' % rng.randrange(100), b'"a"', b'"z"', b'""',
                       _rand_string(rng, toks, h)])
    entry = name + b':{"dtype":"%s","shape":[%s],"data_offsets":[%d,%d]}' % (
        dt, b",".join(b"%d" % d for d in shape), max(begin, 0), max(end, 0))
    empty = re.match(rb"\{[ \t\n\r]*\}", h[o.begin:o.value_end]) is not None
    sep = b"" if empty else b","
    if rng.random() < 0.5:
        return h[:o.begin + 1] + entry + sep + h[o.begin + 1:]
    close = o.value_end - 1 if o.value_end > o.begin + 1 else len(h)
    return h[:close] + sep + entry + h[close:]


def _m_metadata(rng, h, toks):
    metas = [(k, v) for k, v in members(toks)
             if toks[k].text == b'"__metadata__"']
    new = rng.choice([b"null", b"{}", b'{"a":"b"}', b'{"a":"b","a":"c"}',
                      b'{"a":1}', b'{"a":null}', b'{"a":["b"]}', b'[]',
                      b'"x"', b'{"k":"v","\\u006b":"w"}', b'{"":""}',
                      b'{"a":"\\u0000","b":"\\ud800"}',
                      b'{"__metadata__":"x"}'])
    if metas and rng.random() < 0.7:
        k, v = rng.choice(metas)
        return _splice(h, toks[v].begin, toks[v].value_end, new)
    objs = [i for i, t in enumerate(toks) if t.text == b"{" and t.parent == -1]
    if not objs:
        return None
    o = toks[objs[0]]
    empty = re.match(rb"\{[ \t\n\r]*\}", h[o.begin:o.value_end]) is not None
    member = b'"__metadata__":' + new
    return h[:o.begin + 1] + member + (b"" if empty else b",") + \
        h[o.begin + 1:]


def _m_whitespace(rng, h, toks):
    ws = rng.choice(WHITESPACE) * rng.choice([1, 1, 1, 2, 5])
    r = rng.random()
    if r < 0.2:
        return ws + h
    if r < 0.45:
        return h + ws
    if r < 0.55:
        return h.rstrip(b" ") + b" " * rng.randrange(0, 17)
    if not toks:
        return None
    t = rng.choice(toks)
    pos = t.begin if rng.random() < 0.5 else t.end
    return h[:pos] + ws + h[pos:]


def _m_trailing(rng, h, toks):
    return h + rng.choice([b"x", b"}", b"]", b",", b"{}", b"\x00",
                           b"\x00" * 8, b" \x00", b"//", b"null", b" {}",
                           b"\xff", b"\n"])


def _m_truncate(rng, h, toks):
    if not h:
        return None
    cut = rng.randrange(0, len(h))
    if rng.random() < 0.5:
        cut = max(len(h) - rng.randrange(1, 4), 0)
    return h[:cut]


def _m_nest(rng, h, toks):
    vals = values(toks)
    if not vals:
        return None
    t = toks[rng.choice(vals)]
    depth = rng.choice([1, 1, 2, 123, 124, 125, 126, 127])
    return _splice(h, t.begin, t.value_end,
                   _nest(rng, h[t.begin:t.value_end], depth))


def _m_bytes(rng, h, toks):
    if not h:
        return None
    b = bytearray(h)
    for _ in range(rng.randrange(1, 3)):
        if not b:
            break
        i = rng.randrange(len(b))
        r = rng.random()
        if r < 0.4:
            b[i] = rng.randrange(256)
        elif r < 0.6:
            b[i] = rng.choice(b'{}[]:,"\\0123456789.eE-+ ')
        elif r < 0.8:
            del b[i]
        else:
            b.insert(i, rng.choice([0x80, 0xC3, 0xFF, 0x00, 0x22, 0x5C]))
    return bytes(b)


def _m_move_member(rng, h, toks):
    ms = members(toks)
    if len(ms) < 2:
        return None
    (k1, v1), (k2, v2) = rng.sample(ms, 2)
    b1, e1 = _member_span(toks, k1, v1)
    b2, e2 = _member_span(toks, k2, v2)
    if not (e1 <= b2 or e2 <= b1):
        return None
    if b1 > b2:
        b1, e1, b2, e2 = b2, e2, b1, e1
    return h[:b1] + h[b2:e2] + h[e1:b2] + h[b1:e1] + h[e2:]


EDITS = [  # (weight, edit)
    (14, _m_number), (9, _m_dtype), (8, _m_key), (5, _m_string),
    (6, _m_delete_member), (6, _m_dup_member), (7, _m_insert_member),
    (5, _m_value), (3, _m_array_form), (8, _m_shape), (10, _m_offsets),
    (6, _m_new_entry), (5, _m_metadata), (5, _m_whitespace), (2, _m_trailing),
    (1, _m_truncate), (2, _m_nest), (2, _m_bytes), (2, _m_move_member),
]
_EDIT_TOTAL = sum(w for w, _ in EDITS)


def _pick_edit(rng):
    x = rng.random() * _EDIT_TOTAL
    for w, f in EDITS:
        x -= w
        if x < 0:
            return f
    return EDITS[-1][1]


# --- files -------------------------------------------------------------------


def split(blob):
    """(header, data) of a file; a file whose N does not fit is all header."""
    if len(blob) >= 8:
        n = struct.unpack("<Q", blob[:8])[0]
        if n <= len(blob) - 8:
            return blob[8:8 + n], blob[8 + n:]
        return blob[8:], b""
    return b"", b""


def data_end(header):
    """The largest data_offsets end in `header`, or 0."""
    ends = [p[1] for _, p in _offsets(tokens(header), header) if p]
    return max(ends) if ends else 0


def frame(rng, header, data):
    """The 8-byte length, the header and a data section, mostly consistent."""
    r = rng.random()
    if r < 0.85:
        pass                       # data from the base, resized below
    elif r < 0.9:
        data = data[:max(len(data) - rng.randrange(1, 9), 0)]
    elif r < 0.95:
        data = data + bytes(rng.randrange(1, 9))
    else:
        data = b""
    if r < 0.85 and rng.random() < 0.85:
        want = data_end(header)
        if want <= 1 << 20:
            fill = bytes(rng.randrange(256) for _ in range(min(want, 64)))
            data = (data + fill * (want // max(len(fill), 1) + 1))[:want] \
                if want > len(data) else data[:want]
    if data and rng.random() < 0.05:
        b = bytearray(data)
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        data = bytes(b)
    n = len(header)
    r = rng.random()
    if r < 0.9:
        length = struct.pack("<Q", n)
    elif r < 0.93:
        length = struct.pack("<Q", max(n + rng.choice(
            [-8, -2, -1, 1, 2, 8, len(data), len(data) + 1]), 0))
    elif r < 0.96:
        length = struct.pack("<Q", rng.choice(
            [0, 100000000, 100000001, 1 << 32, (1 << 32) + n, 1 << 63,
             (1 << 64) - 1, (1 << 64) - 8, 18446744073709551609]))
    elif r < 0.98:
        length = struct.pack(">Q", n)
    else:
        return (struct.pack("<Q", n) + header + data)[:rng.randrange(0, 9)]
    return length + header + data


_VALID = {}


def _valid_seeds(seeds):
    """The seeds every reader accepts (y_ vectors, written files): most
    mutants start from one, so that one edit usually gets to validation."""
    key = id(seeds)
    if key not in _VALID or _VALID[key][0] is not seeds:
        _VALID[key] = (seeds, [s for s in seeds
                               if s[0].startswith(("y_", "written_"))])
    return _VALID[key][1]


def mutant(seeds, seed, index):
    """The mutant (seed, index): (bytes, base name, edit names)."""
    rng = random.Random("%d:%d" % (seed, index))
    valid = _valid_seeds(seeds)
    if valid and rng.random() < 0.6:
        name, blob = valid[rng.randrange(len(valid))]
    else:
        name, blob = seeds[rng.randrange(len(seeds))]
    header, data = split(blob)
    r = rng.random()
    count = 1 if r < 0.5 else 2 if r < 0.8 else rng.randrange(3, 6)
    done = []
    for _ in range(count):
        for _attempt in range(4):
            edit = _pick_edit(rng)
            new = edit(rng, header, tokens(header))
            if new is not None:
                header = new
                done.append(edit.__name__[3:])
                break
    return frame(rng, header, data), name, done


# --- seeds written the way the reference writer writes -----------------------

_BITS = {b"BOOL": 8, b"U8": 8, b"I8": 8, b"F16": 16, b"BF16": 16, b"I16": 16,
         b"U16": 16, b"F32": 32, b"I32": 32, b"U32": 32, b"F64": 64,
         b"I64": 64, b"U64": 64, b"C64": 64, b"F8_E4M3": 8, b"F8_E5M2": 8,
         b"F4": 4}


def _json_str(s):
    out = bytearray(b'"')
    for b in s:
        if b in b'"\\':
            out += b"\\" + bytes([b])
        elif b < 0x20:
            out += {8: b"\\b", 12: b"\\f", 10: b"\\n", 13: b"\\r",
                    9: b"\\t"}.get(b, b"\\u%04x" % b)
        else:
            out.append(b)
    return bytes(out + b'"')


def written_seeds(count=64, seed=20260101):
    """Files laid out as the reference's serialize() lays them out.

    Tensors ordered by descending dtype size then name, offsets contiguous,
    `__metadata__` first, the header padded with spaces to a multiple of 8.
    """
    rng = random.Random("written:%d" % seed)
    out = []
    for i in range(count):
        tensors = []
        for j in range(rng.randrange(0, 5)):
            dt = rng.choice(sorted(_BITS))
            shape = [rng.randrange(0, 4) for _ in range(rng.randrange(0, 4))]
            n = 1
            for d in shape:
                n *= d
            if (n * _BITS[dt]) % 8:
                shape.append(2)
                n *= 2
            name = rng.choice([b"w%d" % j, b"layer.%d.weight" % j,
                               b"t\xc3\xa9%d" % j, b"n\\%d" % j,
                               b"q\"%d" % j, b"tab\t%d" % j])
            tensors.append((name, dt, shape, n * _BITS[dt] // 8))
        tensors.sort(key=lambda t: (-_BITS[t[1]], t[0]))
        members_ = []
        if rng.random() < 0.5:
            meta = [(_json_str(b"k%d" % k), _json_str(
                rng.choice([b"v", b"", b"\xe2\x9c\x93", b"line\nbreak"])))
                for k in range(rng.randrange(0, 3))]
            members_.append(b'"__metadata__":{' + b",".join(
                k + b":" + v for k, v in meta) + b"}")
        cursor = 0
        data = b""
        for name, dt, shape, size in tensors:
            members_.append(
                _json_str(name) + b':{"dtype":"' + dt + b'","shape":[' +
                b",".join(b"%d" % d for d in shape) +
                b'],"data_offsets":[%d,%d]}' % (cursor, cursor + size))
            data += bytes(rng.randrange(256) for _ in range(size))
            cursor += size
        header = b"{" + b",".join(members_) + b"}"
        header += b" " * (-len(header) % 8)
        out.append(("written_%02d" % i,
                    struct.pack("<Q", len(header)) + header + data))
    return out
