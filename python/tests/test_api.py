"""The core API: safe_open, get_slice, _safe_open_handle, serialize/deserialize."""

import io
import json
import os
import pathlib
import re
import struct

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
from safetensors import SafetensorError, safe_open  # noqa: E402

import _stutil as U  # noqa: E402

NP_TO_ST = {np.dtype(v): k for k, v in U.NUMPY_DTYPES.items()}


def write_ref(path, tensors, metadata=None):
    """Writes numpy arrays with the independent Python reference writer."""
    blob = U.ref_serialize(
        [(k, NP_TO_ST[v.dtype], v.shape, U.np_raw(v)) for k, v in tensors.items()], metadata)
    pathlib.Path(path).write_bytes(blob)
    return str(path)


def sample_tensors():
    return {
        "b": np.arange(24, dtype=np.float32).reshape(2, 3, 4),
        "a": np.array([1, -2, 3, -4, 5], dtype=np.int32),
        "c": np.array(2.5, dtype=np.float64),
        "d": np.array([7, 8, 9], dtype=np.uint8),
    }


@pytest.fixture
def sample(tmp_path):
    return write_ref(tmp_path / "sample.safetensors", sample_tensors(),
                     {"framework": "np", "k": "v"})


# ------------------------------------------------------------------ module surface

def test_version_is_a_version_string():
    assert isinstance(safetensors.__version__, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+([.+-]?[0-9A-Za-z.]+)?", safetensors.__version__), \
        safetensors.__version__


def test_implementation_name():
    assert safetensors.__implementation__ == "safetensors-cpp"


def test_safetensor_error_is_an_exception_class():
    assert isinstance(SafetensorError, type)
    assert issubclass(SafetensorError, Exception)
    assert safetensors.SafetensorError is SafetensorError
    e = SafetensorError("boom")
    assert str(e) == "boom"


def test_public_names_exist():
    for name in ["safe_open", "serialize", "serialize_file", "deserialize", "SafetensorError",
                 "_safe_open_handle"]:
        assert hasattr(safetensors, name), name
    import safetensors.numpy as snp
    for name in ["save", "save_file", "load", "load_file"]:
        assert callable(getattr(snp, name)), name


# ------------------------------------------------------------------ safe_open basics

def test_keys_are_sorted(sample):
    with safe_open(sample, framework="np") as f:
        assert f.keys() == ["a", "b", "c", "d"]


def test_offset_keys_are_in_data_order(sample):
    # The reference layout puts F64 c first, then F32 b, I32 a, U8 d.
    with safe_open(sample, framework="np") as f:
        assert f.offset_keys() == ["c", "b", "a", "d"]


def test_offset_keys_follow_offsets_not_header_order(tmp_path):
    # header lists z first but its data is last
    hdr = {"z": {"dtype": "U8", "shape": [1], "data_offsets": [2, 3]},
           "m": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]},
           "a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}
    p = tmp_path / "x.safetensors"
    p.write_bytes(U.build_file(hdr, b"\x01\x02\x03"))
    with safe_open(str(p), framework="np") as f:
        assert f.offset_keys() == ["a", "m", "z"]
        assert f.keys() == ["a", "m", "z"]
        assert f.get_tensor("z").tolist() == [3]
        assert f.get_tensor("m").tolist() == [2]


def test_metadata(sample):
    with safe_open(sample, framework="np") as f:
        assert f.metadata() == {"framework": "np", "k": "v"}


def test_metadata_absent_is_none(tmp_path):
    p = write_ref(tmp_path / "m.safetensors", {"x": np.zeros(2, np.uint8)})
    with safe_open(p, framework="np") as f:
        assert f.metadata() is None


def test_metadata_empty_is_empty_dict(tmp_path):
    p = write_ref(tmp_path / "m.safetensors", {"x": np.zeros(2, np.uint8)}, metadata={})
    with safe_open(p, framework="np") as f:
        md = f.metadata()
        assert md == {} and isinstance(md, dict)


def test_get_tensor_values(sample):
    expected = sample_tensors()
    with safe_open(sample, framework="np") as f:
        for name, want in expected.items():
            got = f.get_tensor(name)
            assert type(got) is np.ndarray
            assert got.dtype == want.dtype, name
            assert got.shape == want.shape, name
            assert np.array_equal(got, want), name


def test_get_tensor_is_writable_and_private(sample):
    # One open, one copy-on-write mapping: its tensors see each other's
    # writes; a new open, a pread open and the file do not.
    before = open(sample, "rb").read()
    with safe_open(sample, framework="np") as f:
        t1 = f.get_tensor("b")
        assert t1.flags.writeable
        t1[0, 0, 0] = 1234.5
        t2 = f.get_tensor("b")
        assert t2[0, 0, 0] == 1234.5
        assert np.shares_memory(t1, t2)
    for backend in ("mmap", "pread"):
        with safe_open(sample, framework="np", backend=backend) as f:
            t3 = f.get_tensor("b")
            assert t3[0, 0, 0] == 0.0
            assert not np.shares_memory(t1, t3)
    assert open(sample, "rb").read() == before


def test_get_tensor_survives_file_deletion(sample):
    with safe_open(sample, framework="np") as f:
        t = f.get_tensor("b")
        s = f.get_slice("b")[1]
    os.unlink(sample)
    assert np.array_equal(t, np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    assert np.array_equal(s, np.arange(12, 24, dtype=np.float32).reshape(3, 4))


def test_plain_object_without_with(sample):
    f = safe_open(sample, framework="np")
    assert f.keys() == ["a", "b", "c", "d"]
    assert f.get_tensor("a").tolist() == [1, -2, 3, -4, 5]
    assert f.metadata() == {"framework": "np", "k": "v"}


def test_enter_returns_usable_handle(sample):
    f = safe_open(sample, framework="np")
    with f as g:
        assert g.keys() == ["a", "b", "c", "d"]


def test_pathlike_filename(sample):
    with safe_open(pathlib.Path(sample), framework="np") as f:
        assert f.get_tensor("d").tolist() == [7, 8, 9]


def test_positional_arguments(sample):
    with safe_open(sample, "np", "cpu") as f:
        assert f.get_tensor("d").tolist() == [7, 8, 9]


def test_zero_size_tensor_read(tmp_path):
    p = write_ref(tmp_path / "z.safetensors",
                  {"e": np.zeros((0, 3), np.float32), "f": np.zeros((2, 0, 3), np.int64),
                   "g": np.array([1.5], np.float32)})
    with safe_open(p, framework="np") as f:
        e = f.get_tensor("e")
        assert e.shape == (0, 3) and e.dtype == np.float32
        g = f.get_tensor("f")
        assert g.shape == (2, 0, 3) and g.dtype == np.int64
        assert f.get_tensor("g").tolist() == [1.5]
        assert f.get_slice("e").get_shape() == [0, 3]


@pytest.mark.parametrize("framework", ["np", "numpy"])
def test_numpy_framework_names(sample, framework):
    with safe_open(sample, framework=framework) as f:
        t = f.get_tensor("a")
        assert type(t) is np.ndarray
        assert t.tolist() == [1, -2, 3, -4, 5]


@pytest.mark.parametrize("framework", ["pt", "torch", "pytorch"])
def test_torch_framework_names(sample, framework):
    torch = pytest.importorskip("torch")
    with safe_open(sample, framework=framework) as f:
        t = f.get_tensor("a")
        assert isinstance(t, torch.Tensor)
        assert t.dtype == torch.int32
        assert t.tolist() == [1, -2, 3, -4, 5]


def test_framework_is_required(sample):
    with pytest.raises(TypeError):
        safe_open(sample)


@pytest.mark.parametrize("framework", ["tf", "jax", "foo", "flax", "mlx", "paddle", ""])
def test_unsupported_framework(sample, framework):
    with pytest.raises(SafetensorError) as ei:
        safe_open(sample, framework=framework)
    msg = str(ei.value)
    assert "pt" in msg and "np" in msg, msg


@pytest.mark.parametrize("framework", ["np", "pt"])
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps", 0, "meta", "xpu"])
def test_unsupported_device(sample, framework, device):
    if framework == "pt":
        pytest.importorskip("torch")
    with pytest.raises(SafetensorError) as ei:
        safe_open(sample, framework=framework, device=device)
    assert str(device) in str(ei.value)


@pytest.mark.parametrize("framework", ["np", "pt"])
def test_cpu_device(sample, framework):
    if framework == "pt":
        pytest.importorskip("torch")
    with safe_open(sample, framework=framework, device="cpu") as f:
        assert f.get_tensor("d").tolist() == [7, 8, 9]


@pytest.mark.parametrize("method,args", [
    ("keys", ()), ("get_tensor", ("a",)), ("offset_keys", ()), ("metadata", ()),
    ("get_slice", ("a",))])
def test_closed_file(sample, method, args):
    with safe_open(sample, framework="np") as f:
        pass
    with pytest.raises(SafetensorError) as ei:
        getattr(f, method)(*args)
    assert "File is closed" in str(ei.value)


@pytest.mark.parametrize("method", ["get_tensor", "get_slice"])
@pytest.mark.parametrize("name", ["nope", "A", "a ", "", "é"])
def test_unknown_tensor_name(sample, method, name):
    with safe_open(sample, framework="np") as f:
        with pytest.raises(SafetensorError) as ei:
            getattr(f, method)(name)
    assert "File does not contain tensor %s" % name in str(ei.value)


# ------------------------------------------------------------------ get_slice

BIG = np.arange(5 * 6 * 7, dtype=np.int32).reshape(5, 6, 7)
E = Ellipsis
SLICES = [
    0, 1, 4, -1, -5,
    slice(None), slice(1, 3), slice(None, None, 2), slice(1, None, 3), slice(-3, None),
    slice(None, -1), slice(-100, 5), slice(None, 5), slice(3, 1), slice(4, 4),
    slice(2, 2), slice(-1, -3), slice(0, 5, 5), slice(0, 5, 100),
    E, (), (E,),
    (0, 1), (slice(1, 3), 2), (E, 1), (1, E), (slice(None), slice(None, None, 2), -1),
    (E, slice(1, None, 2)), (0, 1, 2), (-1, -1, -1), (slice(None), E, slice(0, 1)),
    (slice(None), slice(None), slice(None)), (slice(1, 4, 2), slice(-2, None), slice(None, None, 3)),
    (E, 0, slice(2, 5)), (slice(0, 5), slice(0, 6), slice(0, 7)), (4, slice(5, 6), 6),
    (slice(2, 3), slice(None), slice(6, None)),
]


def _ids(x):
    return repr(x).replace(" ", "")


@pytest.fixture
def big_file(tmp_path):
    return write_ref(tmp_path / "big.safetensors",
                     {"big": BIG, "f": np.linspace(0, 1, 12, dtype=np.float64).reshape(3, 4),
                      "s": np.array(3.25, dtype=np.float32)})


def test_slice_shape_and_dtype(big_file):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        assert sl.get_shape() == [5, 6, 7]
        assert all(type(d) is int for d in sl.get_shape())
        assert sl.get_dtype() == "I32"
        assert f.get_slice("f").get_dtype() == "F64"
        assert f.get_slice("f").get_shape() == [3, 4]
        assert f.get_slice("s").get_shape() == []
        assert f.get_slice("s").get_dtype() == "F32"


@pytest.mark.parametrize("index", SLICES, ids=_ids)
def test_slice_matches_numpy(big_file, index):
    with safe_open(big_file, framework="np") as f:
        got = f.get_slice("big")[index]
    want = BIG[index]
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.int32
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("index", [slice(None), 1, slice(1, None, 2), (E, 3), (slice(None), 0)],
                         ids=_ids)
def test_slice_torch_matches_torch_indexing(big_file, index):
    torch = pytest.importorskip("torch")
    with safe_open(big_file, framework="pt") as f:
        got = f.get_slice("big")[index]
        full = f.get_tensor("big")
    assert isinstance(got, torch.Tensor)
    want = full[index]
    assert got.dtype == torch.int32
    assert tuple(got.shape) == tuple(want.shape)
    assert torch.equal(got, want)
    assert np.array_equal(got.numpy(), BIG[index])


def test_slice_of_scalar(big_file):
    with safe_open(big_file, framework="np") as f:
        got = f.get_slice("s")[...]
    assert got.shape == () and got.dtype == np.float32 and float(got) == 3.25


def test_slice_result_is_writable_copy(big_file):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        a = sl[1:3]
        assert a.flags.writeable
        a[...] = -1
        assert np.array_equal(sl[1:3], BIG[1:3])


@pytest.mark.parametrize("index", [slice(None, None, -1), (slice(None), slice(3, 0, -1)),
                                   (E, slice(None, None, -2))], ids=_ids)
def test_slice_negative_step_is_error(big_file, index):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        with pytest.raises(SafetensorError):
            sl[index]


def test_slice_zero_step_is_error(big_file):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        with pytest.raises((SafetensorError, ValueError)):
            sl[::0]


@pytest.mark.parametrize("index", [-6, (0, -7), (-1, -1, -8)], ids=_ids)
def test_slice_negative_index_out_of_range(big_file, index):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        with pytest.raises(SafetensorError) as ei:
            sl[index]
    assert str(ei.value).startswith("Invalid index -")


# Past the end of a dimension, an index or a slice bound is an error, as in
# the Python library (NumPy would clamp a slice); the message shows the index
# as given, negative indices counted from the end.
PAST_END = [
    (5, "[5]", "index 5 out of bounds for tensor dimension #0 of size 5"),
    (100, "[100]", "index 100 out of bounds for tensor dimension #0 of size 5"),
    ((0, 6), "[0, 6]", "index 6 out of bounds for tensor dimension #1 of size 6"),
    ((-1, 0, 7), "[4, 0, 7]",
     "index 7 out of bounds for tensor dimension #2 of size 7"),
    ((E, 7), "[:, :, 7]", "index 7 out of bounds for tensor dimension #2 of size 7"),
    (slice(None, 20), "[:20]",
     "index 19 out of bounds for tensor dimension #0 of size 5"),
    (slice(-100, 100), "[-100:100]",
     "index 99 out of bounds for tensor dimension #0 of size 5"),
    (slice(5, 5), "[5:5]", "index 5 out of bounds for tensor dimension #0 of size 5"),
    ((slice(None), slice(7, 10, 2)), "[:, 7:10:2]",
     "index 7 out of bounds for tensor dimension #1 of size 6"),
    ((slice(0, 20), slice(0, 20), slice(0, 20)), "[0:20, 0:20, 0:20]",
     "index 19 out of bounds for tensor dimension #0 of size 5"),
]


@pytest.mark.parametrize("index,shown,reason", PAST_END, ids=_ids)
def test_slice_past_the_end(big_file, index, shown, reason):
    for framework in ("np", "pt"):
        if framework == "pt":
            pytest.importorskip("torch")
        with safe_open(big_file, framework=framework) as f:
            with pytest.raises(SafetensorError) as ei:
                f.get_slice("big")[index]
        assert str(ei.value) == "Error during slicing {} with shape [5, 6, 7]: {}".format(
            shown, reason)


@pytest.mark.parametrize("index", [[0], [0, 1], ([1], slice(None))], ids=_ids)
def test_slice_non_empty_list_is_not_implemented(big_file, index):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        with pytest.raises(SafetensorError) as ei:
            sl[index]
    assert "Non empty lists are not implemented" in str(ei.value)


def test_slice_empty_list(big_file):
    with safe_open(big_file, framework="np") as f:
        got = f.get_slice("big")[[]]
    assert got.shape == (0, 6, 7)
    assert got.dtype == np.int32


def test_slice_too_many_indices_is_error(big_file):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        with pytest.raises((SafetensorError, IndexError)):
            sl[0, 0, 0, 0]


def test_slice_survives_closed_file(big_file):
    with safe_open(big_file, framework="np") as f:
        sl = f.get_slice("big")
        first = sl[0]
    assert np.array_equal(first, BIG[0])


# ------------------------------------------------------------------ _safe_open_handle

def test_safe_open_handle_on_real_file(sample):
    with open(sample, "rb") as fh:
        with safetensors._safe_open_handle(fh, "np") as f:
            assert f.keys() == ["a", "b", "c", "d"]
            assert f.offset_keys() == ["c", "b", "a", "d"]
            assert f.metadata() == {"framework": "np", "k": "v"}
            assert np.array_equal(f.get_tensor("b"), sample_tensors()["b"])
            assert np.array_equal(f.get_slice("b")[:, 1], sample_tensors()["b"][:, 1])


def test_safe_open_handle_on_bytesio(sample):
    blob = pathlib.Path(sample).read_bytes()
    with safetensors._safe_open_handle(io.BytesIO(blob), "np", device="cpu") as f:
        assert f.keys() == ["a", "b", "c", "d"]
        for name, want in sample_tensors().items():
            got = f.get_tensor(name)
            assert got.dtype == want.dtype and np.array_equal(got, want)


def test_safe_open_handle_torch(sample):
    torch = pytest.importorskip("torch")
    blob = pathlib.Path(sample).read_bytes()
    with safetensors._safe_open_handle(io.BytesIO(blob), "pt") as f:
        t = f.get_tensor("a")
        assert isinstance(t, torch.Tensor) and t.tolist() == [1, -2, 3, -4, 5]


def test_safe_open_handle_rejects_bad_bytes():
    with pytest.raises(SafetensorError) as ei:
        safetensors._safe_open_handle(io.BytesIO(b"\x01\x00\x00"), "np")
    assert str(ei.value).startswith("Error while deserializing header: HeaderTooSmall")


# ------------------------------------------------------------------ profiles

UNKNOWN_FIELD = (b'{"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"extra":1}}', b"\x05\x06")
LEADING_WS = (b' \n\t{"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', b"\x05\x06")
METADATA_NULL = (b'{"__metadata__":null,"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}',
                 b"\x05\x06")


@pytest.mark.parametrize("case", [UNKNOWN_FIELD, LEADING_WS, METADATA_NULL],
                         ids=["unknown_field", "leading_ws", "metadata_null"])
def test_reference_profile_accepts_what_strict_rejects(tmp_path, case):
    hdr, data = case
    p = tmp_path / "r.safetensors"
    p.write_bytes(U.build_file(None, data, raw_header=hdr))
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="np")
    assert str(ei.value).startswith(
        "Error while deserializing header: InvalidHeaderDeserialization"), str(ei.value)
    with pytest.raises(SafetensorError):
        safe_open(str(p), framework="np", profile="strict")
    with safe_open(str(p), framework="np", profile="reference") as f:
        assert f.keys() == ["t"]
        assert f.get_tensor("t").tolist() == [5, 6]
        assert f.metadata() is None


def test_strict_profile_explicit(sample):
    with safe_open(sample, framework="np", profile="strict") as f:
        assert f.keys() == ["a", "b", "c", "d"]


@pytest.mark.parametrize("profile", ["lenient", "STRICT", "", "ref"])
def test_invalid_profile(sample, profile):
    with pytest.raises(ValueError):
        safe_open(sample, framework="np", profile=profile)


# ------------------------------------------------------------------ serialize / deserialize

def test_serialize_matches_reference_writer():
    d = {"b": {"dtype": "F32", "shape": [2, 3], "data": bytes(range(24))},
         "a": {"dtype": "U8", "shape": [3], "data": bytearray(b"xyz")},
         "c": {"dtype": "I64", "shape": [], "data": memoryview(struct.pack("<q", -3))}}
    out = safetensors.serialize(d)
    assert isinstance(out, bytes)
    assert out == U.ref_serialize([("b", "F32", [2, 3], bytes(range(24))),
                                   ("a", "U8", [3], b"xyz"),
                                   ("c", "I64", [], struct.pack("<q", -3))])


def test_serialize_with_metadata():
    d = {"x": {"dtype": "U8", "shape": [1], "data": b"\x2a"}}
    md = {"zeta": "1", "alpha": "2", "é": "ü"}
    out = safetensors.serialize(d, metadata=md)
    assert out == U.ref_serialize([("x", "U8", [1], b"\x2a")], md)
    out2 = safetensors.serialize(d, md)
    assert out2 == out


def test_serialize_numpy_buffer_data():
    a = np.arange(6, dtype="<f4")
    out = safetensors.serialize({"a": {"dtype": "F32", "shape": [6], "data": a.tobytes()}})
    back = safetensors.deserialize(out)
    assert bytes(back[0][1]["data"]) == a.tobytes()


def test_serialize_empty():
    assert safetensors.serialize({}) == b"\x08" + b"\x00" * 7 + b"{}      "


def test_serialize_file(tmp_path):
    d = {"a": {"dtype": "I16", "shape": [2], "data": b"\x01\x00\xff\xff"},
         "b": {"dtype": "F64", "shape": [1], "data": struct.pack("<d", 1.5)}}
    p = tmp_path / "s.safetensors"
    assert safetensors.serialize_file(d, str(p)) is None
    assert p.read_bytes() == safetensors.serialize(d)
    p2 = tmp_path / "s2.safetensors"
    safetensors.serialize_file(d, p2, metadata={"m": "n"})
    assert p2.read_bytes() == safetensors.serialize(d, metadata={"m": "n"})
    assert sorted(os.listdir(tmp_path)) == ["s.safetensors", "s2.safetensors"]


def test_deserialize():
    d = {"b": {"dtype": "F32", "shape": [2], "data": struct.pack("<2f", 1, 2)},
         "a": {"dtype": "U8", "shape": [3], "data": b"xyz"},
         "c": {"dtype": "BF16", "shape": [1, 1], "data": b"\x80\x3f"}}
    out = safetensors.deserialize(safetensors.serialize(d, metadata={"k": "v"}))
    assert isinstance(out, list)
    # file order: F32 b, BF16 c, U8 a
    assert [n for n, _ in out] == ["b", "c", "a"]
    for name, info in out:
        assert info["dtype"] == d[name]["dtype"]
        assert list(info["shape"]) == d[name]["shape"]
        assert isinstance(info["data"], (bytes, bytearray))
        assert bytes(info["data"]) == d[name]["data"]


def test_deserialize_accepts_bytearray():
    blob = safetensors.serialize({"a": {"dtype": "U8", "shape": [2], "data": b"\x01\x02"}})
    out = safetensors.deserialize(bytearray(blob))
    assert [(n, i["dtype"], list(i["shape"]), bytes(i["data"])) for n, i in out] == \
        [("a", "U8", [2], b"\x01\x02")]


def test_deserialize_zero_size_and_scalar():
    d = {"z": {"dtype": "F32", "shape": [0, 3], "data": b""},
         "s": {"dtype": "F64", "shape": [], "data": struct.pack("<d", 1.5)}}
    blob = safetensors.serialize(d)
    assert blob == U.ref_serialize([("s", "F64", [], struct.pack("<d", 1.5)),
                                    ("z", "F32", [0, 3], b"")])
    out = dict(safetensors.deserialize(blob))
    assert list(out["s"]["shape"]) == [] and bytes(out["s"]["data"]) == struct.pack("<d", 1.5)
    assert list(out["z"]["shape"]) == [0, 3] and bytes(out["z"]["data"]) == b""


@pytest.mark.parametrize("tensors", [
    {"t": {"dtype": "F33", "shape": [1], "data": b"\x00" * 4}},
    {"t": {"dtype": "f32", "shape": [1], "data": b"\x00" * 4}},
    {"t": {"dtype": "F32", "shape": [2], "data": b"\x00" * 7}},
    {"t": {"dtype": "U8", "shape": [2], "data": b"\x00" * 3}},
    {"t": {"dtype": "F32", "shape": [], "data": b""}},
    {"__metadata__": {"dtype": "U8", "shape": [1], "data": b"\x00"}},
    {"t": {"dtype": "F4", "shape": [3], "data": b"\x00\x00"}},
    {"t": {"dtype": "U8", "shape": [2 ** 32, 2 ** 32], "data": b""}},
], ids=["bad_dtype", "lowercase_dtype", "data_short", "data_long", "scalar_no_data",
        "name_metadata", "f4_odd", "shape_overflow"])
def test_serialize_errors(tensors):
    with pytest.raises(SafetensorError) as ei:
        safetensors.serialize(tensors)
    assert str(ei.value).startswith("Error while serializing:"), str(ei.value)


def test_serialize_file_error_writes_nothing(tmp_path):
    p = tmp_path / "bad.safetensors"
    with pytest.raises(SafetensorError) as ei:
        safetensors.serialize_file({"t": {"dtype": "F32", "shape": [2], "data": b"\x00"}}, str(p))
    assert str(ei.value).startswith("Error while serializing:")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("bad", [[("a", {})], None, "abc", 3])
def test_serialize_non_dict(bad):
    with pytest.raises((TypeError, ValueError)):
        safetensors.serialize(bad)


@pytest.mark.parametrize("blob", [
    b"", b"\x00" * 7, struct.pack("<Q", 200_000_000) + b"{}",
    struct.pack("<Q", 100) + b"{}", struct.pack("<Q", 2) + b"{]",
    U.build_file({"t": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}}, b"\x00\x00"),
], ids=["empty", "seven", "too_large", "bad_length", "bad_json", "incomplete"])
def test_deserialize_errors(blob):
    with pytest.raises(SafetensorError) as ei:
        safetensors.deserialize(blob)
    assert str(ei.value).startswith("Error while deserializing:"), str(ei.value)


# ------------------------------------------------------------------ conformance writer cases

def _writes():
    out = []
    for w in U.load_manifest()["writes"]:
        if "generated" in w["flags"] or "large" in w["flags"]:
            continue
        if w.get("options"):
            continue  # alignment is not part of the HF API
        names = [t["name"] for t in w["tensors"]]
        if len(set(names)) != len(names):
            continue  # duplicate names cannot be expressed as a dict
        out.append(pytest.param(w, id=w["id"]))
    return out


@pytest.mark.parametrize("case", _writes())
def test_conformance_writer_case(repo, case):
    tensors = {t["name"]: {"dtype": t["dtype"], "shape": t["shape"],
                           "data": bytes.fromhex(t["data_hex"])} for t in case["tensors"]}
    exp = case["expected"]
    if exp["result"] == "bytes":
        want = pathlib.Path(repo, "conformance", exp["file"]).read_bytes()
        assert safetensors.serialize(tensors, metadata=case["metadata"]) == want
    else:
        with pytest.raises(SafetensorError) as ei:
            safetensors.serialize(tensors, metadata=case["metadata"])
        assert str(ei.value).startswith("Error while serializing:"), str(ei.value)


@pytest.mark.parametrize("framework,module", [("np", "numpy"), ("pt", "torch")])
def test_framework_is_imported_when_a_tensor_is_read(tmp_path, framework, module):
    # Without the framework installed (its import blocked), a file still
    # opens and lists its names and metadata; reading a tensor is the error
    # that names what to install. As on a Python for which neither NumPy nor
    # PyTorch exists.
    path = write_ref(tmp_path / "f.safetensors", {"w": np.arange(3, dtype=np.int32)},
                     metadata={"k": "v"})
    code = "\n".join([
        "import sys",
        "sys.modules[{!r}] = None".format(module),
        "from safetensors import safe_open, SafetensorError",
        "f = safe_open(sys.argv[1], framework={!r})".format(framework),
        "print(f.keys(), f.metadata(), f.get_slice('w').get_shape())",
        "try:",
        "    f.get_tensor('w')",
        "except SafetensorError as e:",
        "    print(e)",
    ])
    run = U.run_python(code, tmp_path, [path])
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "['w'] {'k': 'v'} [3]"
    assert lines[1].startswith("framework {} needs {}, which is not installed".format(
        framework, module)), lines
