# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The zero-copy read: with backend="mmap" (the default), tensors and arrays
are writable views of one private, copy-on-write mapping of the file per open
(found here in /proc/self/maps), which lives as long as any of them; a write
never reaches the file or another open, and replacing or deleting the file
changes nothing read. Where a view is impossible (an offset that is not a
multiple of the element size) the result is a copy; backend="pread" always
copies."""

import gc
import json
import os
import struct
import sys

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
import safetensors.numpy  # noqa: E402
from safetensors import safe_open  # noqa: E402

try:
    import torch
    import safetensors.torch as st_torch
except ImportError:  # the NumPy half of this file still runs
    torch = None
    st_torch = None

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs /proc/self/maps"),
    pytest.mark.skipif(sys.byteorder != "little", reason="views need a little-endian host"),
]

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
FRAMEWORKS = ["np", pytest.param("pt", marks=needs_torch)]


# ------------------------------------------------------------------ helpers

def mappings(path):
    """The mappings of the file `path` in /proc/self/maps (also once it is
    deleted or replaced), adjacent pieces of one mapping merged:
    [(start, end, perms)]."""
    real = os.path.realpath(str(path))
    names = (real, real + " (deleted)")
    pieces = []
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.rstrip("\n").split(None, 5)
            if len(fields) == 6 and fields[5] in names:
                lo, hi = (int(x, 16) for x in fields[0].split("-"))
                pieces.append([lo, hi, fields[1], int(fields[2], 16)])
    pieces.sort()
    merged = []
    for p in pieces:
        last = merged[-1] if merged else None
        if last and last[1] == p[0] and last[3] + (last[1] - last[0]) == p[3]:
            last[1] = p[1]
            last[2] = last[2] if last[2] == p[2] else last[2] + "|" + p[2]
        else:
            merged.append(list(p))
    return [(lo, hi, perms) for lo, hi, perms, _ in merged]


def mapped(path):
    return len(mappings(path)) > 0


def address_range(t):
    """(first byte, one past the last) of a tensor's or array's data."""
    if isinstance(t, np.ndarray):
        start = t.__array_interface__["data"][0]
        return start, start + t.nbytes
    start = t.data_ptr()
    return start, start + t.numel() * t.element_size()


def storage_address(t):
    """The address of the storage a PyTorch tensor views (torch 1.13 on)."""
    if hasattr(t, "untyped_storage"):
        return t.untyped_storage().data_ptr()
    if hasattr(t, "_storage"):
        return t._storage().data_ptr()
    return t.storage().data_ptr()


def which_mapping(t, maps):
    """The index in `maps` of the mapping holding t's data (and, for PyTorch,
    its storage's first byte), or None."""
    lo, hi = address_range(t)
    for i, (start, end, _) in enumerate(maps):
        if start <= lo and hi <= end:
            if isinstance(t, np.ndarray) or start <= storage_address(t) < end:
                return i
    return None


def to_numpy(t):
    """A copy of t as a NumPy array of the same bytes (bfloat16 as uint16)."""
    if isinstance(t, np.ndarray):
        return t.copy()
    t = t.detach().clone()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy()


def same_values(got, want):
    """got (tensor or array) has want's (a NumPy array's) dtype, shape and bytes."""
    g = to_numpy(got)
    if isinstance(got, np.ndarray) and g.dtype != want.dtype:
        return False
    return g.shape == want.shape and g.dtype.itemsize == want.dtype.itemsize and \
        g.tobytes() == want.tobytes()


def loaders(framework):
    """{name: function(path) -> {name: tensor}}: the ways to read a whole file."""
    def open_each(p):
        with safe_open(p, framework=framework) as f:
            return {k: f.get_tensor(k) for k in f.keys()}

    def open_all(p):
        with safe_open(p, framework=framework) as f:
            return f.get_tensors()

    load_file = safetensors.numpy.load_file if framework == "np" else st_torch.load_file
    return {"get_tensor": open_each, "get_tensors": open_all, "load_file": load_file}


LOADERS = ["get_tensor", "get_tensors", "load_file"]


def write_file(path, arrays, metadata=None):
    safetensors.numpy.save_file(arrays, str(path), metadata=metadata)
    return str(path)


def sample_arrays(sign=1):
    """A few hundred KB: each big tensor spans several pages."""
    return {
        "w": (np.arange(256 * 256, dtype=np.float32).reshape(256, 256) % 1000) * sign,
        "b": np.arange(1000, dtype=np.int64) * sign,
        "h": (np.arange(64 * 64, dtype=np.float16).reshape(64, 64) % 500) * sign,
        "u": (np.arange(4097) % 251).astype(np.uint8),
        "z": np.zeros((0, 5), dtype=np.float32),
    }


@pytest.fixture
def sample(tmp_path):
    arrays = sample_arrays()
    return write_file(tmp_path / "sample.safetensors", arrays), arrays


# ------------------------------------------------------------------ views of one private mapping

@pytest.mark.parametrize("how", LOADERS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_tensors_view_one_private_mapping(sample, framework, how):
    p, arrays = sample
    got = loaders(framework)[how](p)
    maps = mappings(p)
    assert len(maps) == 1, maps  # one mapping for the one open
    assert "p" in maps[0][2], maps  # private: copy-on-write
    for name, want in arrays.items():
        t = got[name]
        assert same_values(t, want), name
        if framework == "pt":
            assert t.is_contiguous(), name
        if not want.size:
            continue  # zero elements: a view or not, either is fine
        assert which_mapping(t, maps) == 0, name
        if framework == "np":
            assert t.flags.writeable and not t.flags.owndata, name


def test_numpy_views_do_not_overlap(sample):
    p, arrays = sample
    got = safetensors.numpy.load_file(p)
    names = [n for n in arrays if arrays[n].size]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not np.shares_memory(got[a], got[b]), (a, b)


TORCH_DTYPES = ["BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "BF16", "F32", "F64", "C64"]
# dtype code -> the torch attribute
TORCH_NAMES = {"BOOL": "bool", "U8": "uint8", "I8": "int8", "I16": "int16", "I32": "int32",
               "I64": "int64", "F16": "float16", "BF16": "bfloat16", "F32": "float32",
               "F64": "float64", "C64": "complex64"}


def typed_arrays(dtypes, shape=(3, 5)):
    """{dtype code: array of that type's bytes} (BF16 as uint16 bit patterns)."""
    rng = np.random.default_rng(7)
    out = {}
    n = int(np.prod(shape))
    for code in dtypes:
        if code == "BOOL":
            a = rng.integers(0, 2, n).astype(np.bool_)
        elif code == "BF16":
            a = (rng.standard_normal(n).astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
        elif code == "C64":
            a = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
        elif code[0] in "IU":
            dt = np.dtype(("i" if code[0] == "I" else "u") + str(int(code[1:]) // 8))
            a = rng.integers(np.iinfo(dt).min, np.iinfo(dt).max, n, dtype=dt, endpoint=True)
        else:
            a = (rng.standard_normal(n) * 100).astype("f%d" % (int(code[1:]) // 8))
        out[code] = a.reshape(shape)
    return out


def write_typed(path, arrays):
    blob = safetensors.serialize(
        {"t_" + code: {"dtype": code, "shape": list(a.shape), "data": a.tobytes()}
         for code, a in arrays.items()})
    with open(path, "wb") as f:
        f.write(blob)
    return str(path)


@needs_torch
@pytest.mark.parametrize("how", LOADERS)
def test_torch_every_dtype_is_a_view(tmp_path, how):
    arrays = typed_arrays(TORCH_DTYPES)
    p = write_typed(tmp_path / "typed.safetensors", arrays)
    got = loaders("pt")[how](p)
    maps = mappings(p)
    assert len(maps) == 1, maps
    assert sorted(got) == sorted("t_" + c for c in TORCH_DTYPES)
    for code, want in arrays.items():
        t = got["t_" + code]
        assert t.dtype == getattr(torch, TORCH_NAMES[code]), code
        assert list(t.shape) == [3, 5], code
        assert t.is_contiguous(), code
        assert same_values(t, want), code
        assert which_mapping(t, maps) == 0, code


NUMPY_DTYPES = ["BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F16", "F32",
                "F64", "C64"]


@pytest.mark.parametrize("how", LOADERS)
def test_numpy_every_dtype_is_a_view(tmp_path, how):
    arrays = typed_arrays(NUMPY_DTYPES)
    p = write_typed(tmp_path / "typed.safetensors", arrays)
    got = loaders("np")[how](p)
    maps = mappings(p)
    assert len(maps) == 1, maps
    for code, want in arrays.items():
        a = got["t_" + code]
        assert a.dtype == want.dtype and a.shape == (3, 5), code
        assert np.array_equal(a, want), code
        assert a.flags.writeable and not a.flags.owndata, code
        assert which_mapping(a, maps) == 0, code


# ------------------------------------------------------------------ writes stay private

def _write_into(t):
    """Writes into the first and last element of t (a float32 [256, 256])."""
    t[0, 0] = 12345.0
    t[-1, -1] = -1.0


@pytest.mark.parametrize("how", LOADERS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_writes_never_reach_the_file(sample, framework, how):
    p, arrays = sample
    before = open(p, "rb").read()
    got = loaders(framework)[how](p)
    _write_into(got["w"])
    got["b"][:] = 0
    assert float(got["w"][0, 0]) == 12345.0
    with open(p, "rb") as f:
        assert f.read() == before
    again = loaders(framework)[how](p)
    assert same_values(again["w"], arrays["w"])
    assert same_values(again["b"], arrays["b"])
    assert float(got["w"][0, 0]) == 12345.0  # and the written copy kept its value


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_one_open_shares_one_mapping(sample, framework):
    p, arrays = sample
    with safe_open(p, framework=framework) as f:
        a = f.get_tensor("w")
        b = f.get_tensor("w")
        c = f.get_tensors()["w"]
        _write_into(a)
        assert float(b[0, 0]) == 12345.0 and float(b[-1, -1]) == -1.0
        assert float(c[0, 0]) == 12345.0
        if framework == "np":
            assert np.shares_memory(a, b)
        with safe_open(p, framework=framework) as g:
            d = g.get_tensor("w")
            assert same_values(d, arrays["w"])  # another open does not see the write
            maps = mappings(p)
            assert len(maps) == 2, maps
            assert which_mapping(a, maps) == which_mapping(b, maps) == which_mapping(c, maps)
            assert which_mapping(d, maps) is not None
            assert which_mapping(d, maps) != which_mapping(a, maps)


# ------------------------------------------------------------------ the file changes afterwards

def _replace(p, how, framework, arrays):
    """Deletes or replaces the file `p` by another one with other values."""
    other = sample_arrays(sign=-1)
    if how == "unlink":
        os.unlink(p)
    elif how == "os_replace":
        tmp = p + ".new"
        write_file(tmp, other)
        os.replace(tmp, p)
    elif framework == "np":
        safetensors.numpy.save_file(other, p)
    else:
        st_torch.save_file({k: torch.from_numpy(v) for k, v in other.items()}, p)


@pytest.mark.parametrize("how", ["unlink", "os_replace", "save_file"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_file_deleted_or_replaced_after_loading(sample, framework, how):
    p, arrays = sample
    got = loaders(framework)["load_file"](p)  # pages not touched yet
    _replace(p, how, framework, arrays)
    assert mapped(p)  # the old file's mapping, now "(deleted)"
    for name, want in arrays.items():
        assert same_values(got[name], want), name
    if how != "unlink":
        again = loaders(framework)["load_file"](p)
        assert same_values(again["w"], -arrays["w"])


# ------------------------------------------------------------------ mapping lifetime

@pytest.mark.parametrize("how", LOADERS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_mapping_is_released_with_the_last_tensor(sample, framework, how):
    p, _ = sample
    got = loaders(framework)[how](p)
    assert mapped(p)
    del got
    gc.collect()
    assert not mapped(p), mappings(p)


def _keep(t, kind):
    if kind == "tensor":
        return t
    if kind == "slice":
        return t[10:20, 3:]
    if kind == "row":
        return t[255]
    return t.reshape(-1)  # a view too (contiguous)


@pytest.mark.parametrize("kind", ["tensor", "slice", "row", "reshape"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_any_live_tensor_or_view_keeps_the_mapping(sample, framework, kind):
    p, arrays = sample
    got = loaders(framework)["load_file"](p)
    kept = _keep(got["w"], kind)
    del got
    gc.collect()
    assert mapped(p)
    assert same_values(kept, _keep(arrays["w"], kind))
    del kept
    gc.collect()
    assert not mapped(p), mappings(p)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_closing_does_not_unmap_live_tensors(sample, framework):
    p, arrays = sample
    with safe_open(p, framework=framework) as f:
        t = f.get_tensor("w")
        h = f.get_tensor("h")
    assert mapped(p)
    assert same_values(t, arrays["w"]) and same_values(h, arrays["h"])
    _write_into(t)  # still writable
    assert float(t[0, 0]) == 12345.0
    del t
    gc.collect()
    assert mapped(p)  # h still views it
    del h
    gc.collect()
    assert not mapped(p), mappings(p)  # the closed safe_open holds nothing
    del f


@needs_torch
def test_load_model_keeps_no_mapping(tmp_path):
    m = torch.nn.Linear(64, 32)
    p = str(tmp_path / "model.safetensors")
    st_torch.save_model(m, p)
    m2 = torch.nn.Linear(64, 32)
    st_torch.load_model(m2, p)
    gc.collect()
    assert torch.equal(m2.weight, m.weight) and torch.equal(m2.bias, m.bias)
    assert not mapped(p), mappings(p)  # the parameters got copies


@needs_torch
def test_loaded_tensors_each_cover_their_storage(sample):
    """Each view has a storage of its own, exactly its bytes, so the
    shared-tensor checks see loaded tensors as the separate tensors they are."""
    p, arrays = sample
    got = st_torch.load_file(p)
    assert st_torch._find_shared_tensors(got) == [{name} for name in got if got[name].numel()]
    assert st_torch._remove_duplicate_names(got) == {}
    for name, t in got.items():
        if t.numel():
            assert st_torch._is_complete(t), name
            assert st_torch.storage_size(t) == t.numel() * t.element_size(), name


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_loaded_tensors_save_again(sample, tmp_path, framework):
    """load_file then save_file (elsewhere, and over the file the tensors
    view) writes the same bytes; the views keep their values."""
    p, arrays = sample
    before = open(p, "rb").read()
    module = safetensors.numpy if framework == "np" else st_torch
    got = module.load_file(p)
    other = str(tmp_path / "other.safetensors")
    module.save_file(got, other)
    assert open(other, "rb").read() == before
    module.save_file(got, p)
    assert open(p, "rb").read() == before
    for name, want in arrays.items():
        assert same_values(got[name], want), name
    if framework == "pt":
        m = torch.nn.Module()
        m.w = torch.nn.Parameter(got["w"])
        st_torch.save_model(m, other)
        assert same_values(st_torch.load_file(other)["w"], arrays["w"])


# ------------------------------------------------------------------ copies where no view can be

def _hand_file(path, entries, n_mod8):
    """A file of (name, dtype, array) entries laid out in that order, its
    header padded with spaces so that N % 8 == n_mod8 (the data section
    then starts at 8 + N)."""
    header, data = {}, b""
    for name, dtype, a in entries:
        raw = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape),
                        "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((n_mod8 - len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    return str(path), 8 + len(text)


MISALIGNED = [
    ("f32", "F32", np.array([1.5, -2.0, 3.25, 4.0], dtype="<f4")),
    ("f64", "F64", np.array([1.5, -2.5], dtype="<f8")),
    ("i32", "I32", np.array([7, -8, 9], dtype="<i4")),
    ("f16", "F16", np.array([1, 2, 3], dtype="<f2")),
    ("u8", "U8", np.array([5, 6], dtype=np.uint8)),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_misaligned_header_gives_copies(tmp_path, framework):
    p, start = _hand_file(tmp_path / "odd.safetensors", MISALIGNED, 2)
    assert start % 8 == 2  # F32, F64, I32 at offsets not a multiple of their size
    for how in LOADERS:
        got = loaders(framework)[how](p)
        maps = mappings(p)
        for name, _, want in MISALIGNED:
            t = got[name]
            assert same_values(t, want), (how, name)
            if name in ("f32", "f64", "i32"):
                assert which_mapping(t, maps) is None, (how, name)  # a copy
            else:
                assert which_mapping(t, maps) is not None, (how, name)  # still a view
        del got, t
        gc.collect()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_misaligned_offset_gives_a_copy(tmp_path, framework):
    entries = [("u", "U8", np.array([9], dtype=np.uint8)),
               ("f", "F32", np.array([0.5, -7.0], dtype="<f4")),
               ("g", "U8", np.array([1, 2, 3], dtype=np.uint8))]
    p, start = _hand_file(tmp_path / "off.safetensors", entries, 0)
    assert start % 8 == 0  # f at start + 1
    got = loaders(framework)["load_file"](p)
    maps = mappings(p)
    for name, _, want in entries:
        assert same_values(got[name], want), name
    assert which_mapping(got["f"], maps) is None
    assert which_mapping(got["u"], maps) is not None
    assert which_mapping(got["g"], maps) is not None
    if framework == "pt":
        assert got["f"].is_contiguous()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_zero_element_tensors(tmp_path, framework):
    arrays = {"z": np.zeros((0, 5), dtype=np.float32), "e": np.zeros((2, 0, 3), dtype=np.int64),
              "b": np.zeros((0,), dtype=np.bool_), "x": np.array([1.0, 2.0], dtype=np.float64)}
    p = write_file(tmp_path / "zero.safetensors", arrays)
    only = write_file(tmp_path / "only_zero.safetensors", {"z": arrays["z"]})
    for how in LOADERS:
        got = loaders(framework)[how](p)
        for name, want in arrays.items():
            assert same_values(got[name], want), (how, name)
            assert got[name].dtype == (want.dtype if framework == "np"
                                       else torch.from_numpy(want).dtype), (how, name)
        z = loaders(framework)[how](only)["z"]
        assert tuple(z.shape) == (0, 5)
        assert z.dtype == (np.float32 if framework == "np" else torch.float32)


# ------------------------------------------------------------------ backend="pread"

@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_pread_tensors_own_their_memory(sample, framework):
    p, arrays = sample
    before = open(p, "rb").read()
    if framework == "np":
        got = safetensors.numpy.load_file(p, backend="pread")
    else:
        got = st_torch.load_file(p, backend="pread")
    assert not mapped(p), mappings(p)
    for name, want in arrays.items():
        assert same_values(got[name], want), name
    _write_into(got["w"])
    assert open(p, "rb").read() == before
    with safe_open(p, framework=framework, backend="pread") as f:
        a = f.get_tensor("w")
        _write_into(a)
        assert same_values(f.get_tensor("w"), arrays["w"])  # each read is its own
        assert not mapped(p), mappings(p)
    os.unlink(p)
    want = arrays["w"].copy()
    _write_into(want)
    assert same_values(a, want)


# ------------------------------------------------------------------ every page

def _sum(t):
    """Exact sum of a tensor's or array's values, as a Python number."""
    if isinstance(t, np.ndarray):
        a = t
    else:
        a = t.numpy() if t.dtype != torch.bfloat16 else t.float().numpy()
    if a.dtype == np.bool_:
        return int(np.count_nonzero(a))
    if a.dtype.kind in "iu":
        return int(a.sum(dtype=np.int64))
    return float(a.sum(dtype=np.float64))


@pytest.mark.parametrize("backend", ["mmap", "pread"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sums_match_the_source(tmp_path, framework, backend):
    n = 1 << 18
    arrays = {
        "i64": np.arange(n, dtype=np.int64) * 3 - 5,  # 2 MiB
        "f32": (np.arange(n, dtype=np.float32) % 4096) - 2048,  # 1 MiB
        "f64": np.arange(n // 4, dtype=np.float64) * 0.5,
        "i16": (np.arange(n // 2) % 30000 - 15000).astype(np.int16),
        "u8": (np.arange(n // 2) % 256).astype(np.uint8),
        "bool": (np.arange(n // 8) % 3 == 0),
    }
    p = write_file(tmp_path / "sum.safetensors", arrays)
    if framework == "np":
        got = safetensors.numpy.load_file(p, backend=backend)
    else:
        got = st_torch.load_file(p, backend=backend)
    for name, want in arrays.items():
        assert _sum(got[name]) == _sum(want), name
