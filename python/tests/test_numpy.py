"""safetensors.numpy: save/save_file/load/load_file, dtypes, layout, byte identity."""

import os
import pathlib
import struct

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
from safetensors import SafetensorError, safe_open  # noqa: E402
from safetensors.numpy import load, load_file, save, save_file  # noqa: E402

import _stutil as U  # noqa: E402

NP_DTYPES = [("BOOL", np.bool_), ("U8", np.uint8), ("U16", np.uint16), ("U32", np.uint32),
             ("U64", np.uint64), ("I8", np.int8), ("I16", np.int16), ("I32", np.int32),
             ("I64", np.int64), ("F16", np.float16), ("F32", np.float32), ("F64", np.float64),
             ("C64", np.complex64)]
SHAPES = [(), (0,), (2, 0, 3), (7,), (3, 4), (2, 3, 1, 2)]


def rand_array(dt, shape, seed=0):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape, dtype=np.int64))
    if dt == np.bool_:
        a = rng.integers(0, 2, n).astype(np.bool_)
    elif np.issubdtype(dt, np.integer):
        info = np.iinfo(dt)
        a = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    elif dt == np.complex64:
        a = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    else:
        a = (rng.standard_normal(n) * 100).astype(dt)
    return a.reshape(shape)


def assert_same(got, want):
    assert isinstance(got, np.ndarray)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert U.np_raw(got) == U.np_raw(want)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("st_dtype,dt", NP_DTYPES, ids=[d[0] for d in NP_DTYPES])
def test_roundtrip_dtype(tmp_path, st_dtype, dt, shape):
    a = rand_array(dt, shape)
    p = str(tmp_path / "x.safetensors")
    save_file({"x": a}, p)
    blob = pathlib.Path(p).read_bytes()
    assert blob == U.ref_serialize([("x", st_dtype, shape, a.tobytes())])
    assert save({"x": a}) == blob
    assert_same(load_file(p)["x"], a)
    assert_same(load(blob)["x"], a)
    with safe_open(p, framework="np") as f:
        assert f.get_slice("x").get_dtype() == st_dtype
        assert f.get_slice("x").get_shape() == list(shape)
        assert_same(f.get_tensor("x"), a)


def test_roundtrip_all_dtypes_in_one_file(tmp_path):
    tensors = {"t_%s" % n: rand_array(dt, (3, 2), seed=i) for i, (n, dt) in enumerate(NP_DTYPES)}
    p = str(tmp_path / "all.safetensors")
    save_file(tensors, p, metadata={"format": "np"})
    assert pathlib.Path(p).read_bytes() == U.ref_serialize(
        [(k, k[2:], v.shape, v.tobytes()) for k, v in tensors.items()], {"format": "np"})
    back = load_file(p)
    assert sorted(back) == sorted(tensors)
    for k, v in tensors.items():
        assert_same(back[k], v)
    with safe_open(p, framework="np") as f:
        assert f.metadata() == {"format": "np"}


def test_special_float_values(tmp_path):
    a = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, np.finfo(np.float32).tiny / 2], np.float32)
    back = load(save({"a": a}))["a"]
    assert back.tobytes() == a.tobytes()


def test_load_returns_dict_of_all_tensors():
    t = {"a": np.ones(3, np.float32), "b": np.zeros((2, 2), np.int8)}
    back = load(save(t))
    assert isinstance(back, dict)
    assert sorted(back) == ["a", "b"]


# ------------------------------------------------------------------ exact bytes (HF compatibility)

def test_bytes_single_i32():
    out = save({"test": np.zeros((2, 2), np.int32)})
    hdr = b'{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}'
    hdr = hdr + b" " * (64 - len(hdr))
    assert out == struct.pack("<Q", 64) + hdr + b"\x00" * 16


@pytest.mark.parametrize("order", ["i32_first", "f16_first"])
def test_bytes_two_tensors(order):
    t1 = np.zeros((2, 2), np.int32)
    t2 = np.zeros((2, 2), np.float16)
    d = {"test1": t1, "test2": t2} if order == "i32_first" else {"test2": t2, "test1": t1}
    out = save(d)
    hdr = (b'{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},'
           b'"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}')
    assert len(hdr) <= 128
    hdr = hdr + b" " * (128 - len(hdr))
    assert out == struct.pack("<Q", 128) + hdr + b"\x00" * 24


def test_bytes_metadata():
    out = save({"test1": np.zeros((2, 2), np.int32)}, metadata={"framework": "pt"})
    hdr = (b'{"__metadata__":{"framework":"pt"},'
           b'"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}')
    hdr = hdr + b" " * (96 - len(hdr))
    assert out == struct.pack("<Q", 96) + hdr + b"\x00" * 16


def test_writer_order_is_dtype_rank_then_name():
    d = {"a": np.array([1], np.uint8), "b": np.array([1], np.float32),
         "c": np.array([1], np.float64), "d": np.array([1], np.float32),
         "e": np.array([True]), "f": np.array([1], np.int16)}
    blob = save(d)
    n, text, meta, tensors = U.parse_simple(blob)
    order = sorted(tensors, key=lambda k: tensors[k][2])
    assert order == ["c", "b", "d", "f", "a", "e"]
    assert list(tensors) == order  # the header lists them in data order too
    assert blob == U.ref_serialize([(k, U.parse_simple(blob)[3][k][0], v.shape, v.tobytes())
                                    for k, v in d.items()])


# ------------------------------------------------------------------ layouts

@pytest.mark.parametrize("dt", ["<i4", ">i4", ">f8", ">u2", ">c8", ">f2", "<f4", ">i8"])
def test_big_endian_written_little_endian(dt):
    values = np.array([[1, -2, 3], [400, 5, -6]]).astype(dt) if "u" not in dt else \
        np.array([[1, 2, 3], [400, 5, 60000]]).astype(dt)
    le = values.astype(np.dtype(dt).newbyteorder("<"))
    assert save({"x": values}) == save({"x": le})
    back = load(save({"x": values}))["x"]
    assert back.dtype.byteorder in ("<", "=", "|")
    assert back.dtype == le.dtype
    assert np.array_equal(back, le)


@pytest.mark.parametrize("view", ["stride", "transpose", "fortran", "negative_stride", "offset"])
def test_non_contiguous_saved_as_logical_values(view):
    base = np.arange(24, dtype=np.int32).reshape(4, 6)
    v = {"stride": base[:, ::2], "transpose": base.T, "fortran": np.asfortranarray(base),
         "negative_stride": base[::-1], "offset": base[1:3, 2:5]}[view]
    out = save({"x": v})
    assert out == save({"x": np.ascontiguousarray(v)})
    back = load(out)["x"]
    assert back.shape == v.shape
    assert np.array_equal(back, v)


UNREPRESENTABLE_NP = [("BF16", 4, [2]), ("F8_E4M3", 2, [2]), ("F8_E5M2", 2, [2]),
                      ("F8_E8M0", 2, [2]), ("F8_E4M3FNUZ", 2, [2]), ("F8_E5M2FNUZ", 2, [2]),
                      ("F4", 1, [2]), ("F6_E2M3", 3, [4]), ("F6_E3M2", 3, [4])]


def _unrepresentable_file(tmp_path, dtype, nbytes, shape):
    blob = safetensors.serialize({"t": {"dtype": dtype, "shape": shape, "data": b"\x01" * nbytes},
                                  "ok": {"dtype": "U8", "shape": [1], "data": b"\x07"}})
    p = tmp_path / ("%s.safetensors" % dtype)
    p.write_bytes(blob)
    return p, blob


@pytest.mark.parametrize("dtype,nbytes,shape", UNREPRESENTABLE_NP, ids=[u[0] for u in UNREPRESENTABLE_NP])
def test_unrepresentable_dtypes_raise(tmp_path, dtype, nbytes, shape):
    p, blob = _unrepresentable_file(tmp_path, dtype, nbytes, shape)
    with safe_open(str(p), framework="np") as f:
        assert f.get_tensor("ok").tolist() == [7]
        with pytest.raises(SafetensorError) as ei:
            f.get_tensor("t")
        assert U.message_names_dtype(str(ei.value), dtype), str(ei.value)
    with pytest.raises(SafetensorError) as ei:
        load_file(str(p))
    assert U.message_names_dtype(str(ei.value), dtype), str(ei.value)
    with pytest.raises(SafetensorError) as ei:
        load(blob)
    assert U.message_names_dtype(str(ei.value), dtype), str(ei.value)


@pytest.mark.parametrize("dtype,nbytes,shape", UNREPRESENTABLE_NP, ids=[u[0] for u in UNREPRESENTABLE_NP])
def test_unrepresentable_dtype_get_slice_metadata(tmp_path, dtype, nbytes, shape):
    """get_slice() describes any tensor (as the HF library does); only reading data fails."""
    p, _ = _unrepresentable_file(tmp_path, dtype, nbytes, shape)
    with safe_open(str(p), framework="np") as f:
        sl = f.get_slice("t")
        assert sl.get_dtype() == dtype
        assert sl.get_shape() == shape
        with pytest.raises(SafetensorError) as ei:
            sl[:]
        assert U.message_names_dtype(str(ei.value), dtype), str(ei.value)


# ------------------------------------------------------------------ scale and metadata

def test_ten_thousand_small_tensors(tmp_path):
    tensors = {"layer.%05d" % i: np.array([i, -i], dtype=np.int32) for i in range(10000)}
    p = str(tmp_path / "many.safetensors")
    save_file(tensors, p)
    back = load_file(p)
    assert len(back) == 10000
    for k, v in tensors.items():
        assert back[k].dtype == np.int32 and back[k].tolist() == v.tolist()
    with safe_open(p, framework="np") as f:
        keys = f.keys()
        assert keys == sorted(tensors)
        assert f.get_tensor("layer.09999").tolist() == [9999, -9999]


def test_unicode_metadata_and_names(tmp_path):
    md = {"ключ": "значение", "名前": "🤗 safetensors", "": "", "tab\tand\nnewline": "q\"uote\\",
          "emoji😀": "\u2028\u00e9\x7f", "nul\x00": "c\x01"}
    tensors = {"é": np.array([1], np.uint8), "日本.weight": np.array([2.0], np.float32),
               "e\u0301": np.array([3], np.uint8)}
    p = str(tmp_path / "u.safetensors")
    save_file(tensors, p, metadata=md)
    assert pathlib.Path(p).read_bytes() == U.ref_serialize(
        [(k, U.parse_simple(save(tensors))[3][k][0], v.shape, v.tobytes())
         for k, v in tensors.items()], md)
    with safe_open(p, framework="np") as f:
        assert f.metadata() == md
        assert f.keys() == sorted(tensors)
        assert f.get_tensor("e\u0301").tolist() == [3]
        assert f.get_tensor("é").tolist() == [1]
    assert sorted(load_file(p)) == sorted(tensors)


def test_save_metadata_none_and_empty():
    t = {"a": np.zeros(1, np.uint8)}
    assert b"__metadata__" not in save(t)
    assert b'"__metadata__":{}' in save(t, metadata={})
    assert load(save(t, metadata={}))["a"].tolist() == [0]


def test_empty_dict_roundtrip(tmp_path):
    p = str(tmp_path / "e.safetensors")
    save_file({}, p)
    assert pathlib.Path(p).read_bytes() == b"\x08" + b"\x00" * 7 + b"{}      "
    assert load_file(p) == {}


# ------------------------------------------------------------------ ownership

def test_load_file_owns_memory(tmp_path):
    a = np.arange(1000, dtype=np.float64)
    p = tmp_path / "o.safetensors"
    save_file({"a": a}, str(p))
    back = load_file(str(p))
    os.unlink(p)
    assert np.array_equal(back["a"], a)
    save_file({"a": -a}, str(p))  # a new file at the same path
    assert np.array_equal(back["a"], a)
    assert back["a"].flags.writeable
    back["a"][0] = 99
    assert load_file(str(p))["a"][0] == -0.0


def test_load_file_overwritten_in_place(tmp_path):
    # Memory of their own (pread, copy=True) is immune to a file written in
    # place; views of the mapping are not (python/README.md, "Memory").
    a = np.arange(256, dtype=np.uint8)
    p = tmp_path / "o.safetensors"
    save_file({"a": a}, str(p))
    back = load_file(str(p), copy=True)
    with safe_open(str(p), framework="np", backend="pread") as f:
        t = f.get_tensor("a")
        blob = bytearray(p.read_bytes())
        blob[-256:] = b"\xff" * 256
        with open(p, "r+b") as fh:  # overwrite the data bytes of the same inode
            fh.write(bytes(blob))
        assert np.array_equal(t, a)
    assert np.array_equal(back["a"], a)


def test_load_bytes_result_independent_of_input():
    a = np.arange(10, dtype=np.int16)
    buf = bytearray(save({"a": a}))
    back = load(bytes(buf))
    buf[-20:] = b"\x00" * 20
    assert np.array_equal(back["a"], a)
    assert back["a"].flags.writeable


# ------------------------------------------------------------------ argument errors

def test_save_file_requires_filename():
    with pytest.raises(TypeError):
        save_file({"a": np.zeros(1)})


@pytest.mark.parametrize("bad", [[np.zeros(1)], None, "x"])
def test_save_non_dict(bad, tmp_path):
    with pytest.raises((TypeError, ValueError)):
        save(bad)
    with pytest.raises((TypeError, ValueError)):
        save_file(bad, str(tmp_path / "x.safetensors"))
    assert os.listdir(tmp_path) == []


def test_load_file_accepts_pathlike(tmp_path):
    p = tmp_path / "p.safetensors"
    save_file({"a": np.arange(3, dtype=np.int8)}, p)
    assert load_file(p)["a"].tolist() == [0, 1, 2]
