# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Drop-in compatibility with the Hugging Face `safetensors` library, 0.7.0 and
the 0.8 line: the behaviours its own test suites pin (exact values, exception
types and messages), the 0.8 API (`TensorSpec`, `backend=`), and the installed
distribution's version."""

import importlib
import importlib.metadata
import os
import pathlib
import re
import struct

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
import safetensors.numpy  # noqa: E402
from safetensors import SafetensorError, safe_open  # noqa: E402

import _stutil as U  # noqa: E402

try:
    import torch
    import safetensors.torch as st_torch
except ImportError:  # the NumPy half of this file still runs
    torch = None
    st_torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

FRAMEWORKS = ["np", pytest.param("pt", marks=needs_torch)]


# ------------------------------------------------------------------ models

def linear_pair(tied, n=4):
    """A module with submodules a and b (state_dict: a.weight, a.bias,
    b.weight, b.bias); with tied=True, b is a (every tensor shared)."""
    m = torch.nn.Module()
    m.a = torch.nn.Linear(n, n)
    m.b = m.a if tied else torch.nn.Linear(n, n)
    return m


def ones_pair():
    """linear_pair(tied=True) with every value 1.0."""
    m = linear_pair(tied=True)
    m.a.weight = torch.nn.Parameter(torch.ones((4, 4)))
    m.a.bias = torch.nn.Parameter(torch.ones((4,)))
    return m


def transposed_linear():
    """A Linear(4, 3) whose weight is a transposed (non-contiguous) tensor."""
    m = torch.nn.Module()
    m.a = torch.nn.Linear(4, 3)
    m.a.weight = torch.nn.Parameter(torch.randn(4, 3).t())
    assert not m.a.weight.is_contiguous()
    return m


def assert_state_dicts_equal(got, want):
    assert list(got) == list(want)
    for k in want:
        assert got[k].dtype == want[k].dtype, k
        assert torch.equal(got[k], want[k]), k


# ------------------------------------------------------------------ save_file refusals

@needs_torch
def test_sparse_tensor_names_are_listed(tmp_path):
    p = tmp_path / "sparse.safetensors"
    with pytest.raises(ValueError) as ei:
        st_torch.save_file({"test": torch.sparse_coo_tensor(size=(2, 3))}, str(p))
    assert "You are trying to save a sparse tensors: `['test']`" in str(ei.value)
    tensors = {"dense": torch.zeros(2), "s1": torch.sparse_coo_tensor(size=(2, 3)),
               "s2": torch.sparse_coo_tensor(size=(4,))}
    with pytest.raises(ValueError) as ei:
        st_torch.save_file(tensors, str(p))
    assert "You are trying to save a sparse tensors: `['s1', 's2']`" in str(ei.value)
    with pytest.raises(ValueError) as ei:
        st_torch.save(tensors)
    assert "You are trying to save a sparse tensors: `['s1', 's2']`" in str(ei.value)
    assert os.listdir(tmp_path) == []


@needs_torch
def test_save_file_bogus_values_exact_messages(tmp_path):
    p = str(tmp_path / "bogus.safetensors")
    with pytest.raises(ValueError) as ei:
        st_torch.save_file({"test": {"some": "thing"}}, p)
    assert str(ei.value) == ("Key `test` is invalid, expected torch.Tensor but received "
                             "<class 'dict'>")
    with pytest.raises(ValueError) as ei:
        st_torch.save_file("notadict", p)
    assert str(ei.value) == "Expected a dict of [str, torch.Tensor] but received <class 'str'>"


@needs_torch
def test_save_file_meta_tensor(tmp_path):
    with pytest.raises(RuntimeError) as ei:
        st_torch.save_file({"test": torch.zeros((10, 10), device="meta")},
                           str(tmp_path / "meta.safetensors"))
    assert "Cannot copy out of meta tensor" in str(ei.value)


# ------------------------------------------------------------------ shared-tensor helpers

@needs_torch
def test_find_shared_tensors_in_order_of_first_appearance():
    f = st_torch._find_shared_tensors
    assert f(linear_pair(tied=True).state_dict()) == [{"a.weight", "b.weight"},
                                                      {"a.bias", "b.bias"}]
    assert f(linear_pair(tied=False).state_dict()) == [{"a.weight"}, {"a.bias"}, {"b.weight"},
                                                       {"b.bias"}]
    x, y, z = torch.zeros(2), torch.zeros(3), torch.zeros(4)
    assert f({"z": x, "a": y, "m": z}) == [{"z"}, {"a"}, {"m"}]
    assert f({"m": z, "a": y, "z": x, "zz": x}) == [{"m"}, {"a"}, {"z", "zz"}]


@needs_torch
def test_find_shared_tensors_views():
    f = st_torch._find_shared_tensors
    A = torch.zeros((3, 3))
    B = A[:1, :]
    assert f({"A": A, "B": B}) == [{"A", "B"}]
    assert f({"A": A}) == [{"A"}]
    assert f({"B": B}) == [{"B"}]


@needs_torch
def test_find_shared_tensors_disjoint_ranges_of_one_storage():
    f = st_torch._find_shared_tensors
    A = torch.zeros((4,))
    assert f({"B": A[:2], "C": A[2:]}) == [{"B"}, {"C"}]
    assert f({"C": A[2:], "B": A[:2]}) == [{"B"}, {"C"}]  # by address within one storage
    assert f({"B": A[:2], "C": A[1:]}) == [{"B", "C"}]
    assert f({"B": A[:2], "C": A[2:], "D": A[:1]}) == [{"B", "D"}, {"C"}]


def _storage_prefix(t, nbytes):
    """The first nbytes of t's storage, as a storage of its own."""
    if hasattr(t, "untyped_storage"):
        return t.untyped_storage()[:nbytes]
    s = t.storage()
    return (s.untyped() if hasattr(s, "untyped") else s._untyped())[:nbytes]


@needs_torch
def test_find_shared_tensors_same_address_different_storage_size():
    m = torch.randn(10)
    n = torch.empty([], dtype=m.dtype)
    n.set_(source=_storage_prefix(m, 16))
    assert st_torch.storage_ptr(n) == st_torch.storage_ptr(m)
    assert st_torch.storage_size(n) == 16 and st_torch.storage_size(m) == 40
    assert st_torch._find_shared_tensors({"m": m, "n": n}) == [{"m"}, {"n"}]


@needs_torch
def test_find_shared_tensors_ignores_meta_tensors():
    f = st_torch._find_shared_tensors
    C = torch.zeros((2, 2), device="meta")
    D = C[:1]
    assert f({"C": C, "D": D}) == []
    assert f({"C": C}) == []
    assert f({"D": D}) == []


@needs_torch
def test_is_complete():
    A = torch.zeros((3, 3))
    assert st_torch._is_complete(A)
    assert not st_torch._is_complete(A[:1, :])
    assert not st_torch._is_complete(A[::2, :])
    assert st_torch._is_complete(torch.zeros((2, 2), device="meta"))


@needs_torch
@pytest.mark.parametrize("dtype,size", [(torch.float32, 4), (torch.float16, 2)] if torch else [],
                         ids=["f32", "f16"])
def test_end_ptr(dtype, size):
    A = torch.zeros((4,), dtype=dtype)
    assert st_torch._end_ptr(A) - A.data_ptr() == 4 * size
    B = torch.zeros((16,), dtype=dtype)[::4]
    assert st_torch._end_ptr(B) - B.data_ptr() == 3 * 4 * size + size
    E = torch.zeros((0,), dtype=dtype)
    assert st_torch._end_ptr(E) == E.data_ptr()


@needs_torch
def test_remove_duplicate_names():
    r = st_torch._remove_duplicate_names
    A = torch.zeros((3, 3))
    B = A[:1, :]
    assert r({"A": A, "B": B}) == {"A": ["B"]}
    assert r({"A": A, "B": B, "C": A}) == {"A": ["B", "C"]}
    with pytest.raises(RuntimeError):
        r({"B": B})  # B covers a third of its storage: no name to keep


# ------------------------------------------------------------------ save_model / load_model

@needs_torch
def test_save_model_tied_metadata_and_bytes(tmp_path):
    m = ones_pair()
    p = str(tmp_path / "ones.safetensors")
    st_torch.save_model(m, p)
    with safe_open(p, framework="pt") as f:
        assert f.metadata() == {"b.bias": "a.bias", "b.weight": "a.weight"}
        assert f.keys() == ["a.bias", "a.weight"]
    blob = pathlib.Path(p).read_bytes()
    n = struct.unpack("<Q", blob[:8])[0]
    assert blob[8 + n:] == struct.pack("<20f", *([1.0] * 20))
    m2 = linear_pair(tied=True)
    missing, unexpected = st_torch.load_model(m2, p)
    assert list(missing) == [] and list(unexpected) == []
    assert_state_dicts_equal(m2.state_dict(), m.state_dict())
    assert m2.b.weight is m2.a.weight


@needs_torch
def test_load_model_with_other_kept_names(tmp_path):
    """A file that kept b.* (not a.*) of tied tensors loads into the tied model."""
    m = linear_pair(tied=True)
    sd = m.state_dict()
    del sd["a.weight"], sd["a.bias"]
    p = str(tmp_path / "b_only.safetensors")
    st_torch.save_file(sd, p)
    m2 = linear_pair(tied=True)
    st_torch.load_model(m2, p)
    assert_state_dicts_equal(m2.state_dict(), m.state_dict())


@needs_torch
def test_load_tied_file_into_untied_model(tmp_path):
    """The tied model's file has one copy of each pair: the untied model misses b.*."""
    p = str(tmp_path / "tied.safetensors")
    st_torch.save_model(linear_pair(tied=True), p)
    untied = linear_pair(tied=False)
    assert st_torch._find_shared_tensors(untied.state_dict()) == [
        {"a.weight"}, {"a.bias"}, {"b.weight"}, {"b.bias"}]
    with pytest.raises(RuntimeError) as ei:
        st_torch.load_model(untied, p)
    assert 'Missing key(s) in state_dict: "b.bias", "b.weight"' in str(ei.value)
    assert "Unexpected key(s)" not in str(ei.value)
    missing, unexpected = st_torch.load_model(linear_pair(tied=False), p, strict=False)
    assert sorted(missing) == ["b.bias", "b.weight"] and list(unexpected) == []


@needs_torch
def test_load_untied_file_into_tied_model(tmp_path):
    """The untied model's file has four tensors: the tied model has no room for b.*."""
    untied = linear_pair(tied=False)
    assert untied.a.weight.data_ptr() != untied.b.weight.data_ptr()
    p = str(tmp_path / "untied.safetensors")
    st_torch.save_model(untied, p)
    tied = linear_pair(tied=True)
    assert st_torch._find_shared_tensors(tied.state_dict()) == [
        {"a.weight", "b.weight"}, {"a.bias", "b.bias"}]
    with pytest.raises(RuntimeError) as ei:
        st_torch.load_model(tied, p)
    assert 'Unexpected key(s) in state_dict: "b.bias", "b.weight"' in str(ei.value)
    assert "Missing key(s)" not in str(ei.value)
    missing, unexpected = st_torch.load_model(linear_pair(tied=True), p, strict=False)
    assert list(missing) == [] and sorted(unexpected) == ["b.bias", "b.weight"]


@needs_torch
def test_save_model_forces_contiguous_by_default(tmp_path):
    torch.manual_seed(0)
    m = transposed_linear()
    p = str(tmp_path / "c.safetensors")
    st_torch.save_model(m, p)
    m2 = transposed_linear()
    st_torch.load_model(m2, p)
    assert_state_dicts_equal(m2.state_dict(), m.state_dict())
    back = st_torch.load_file(p)
    assert back["a.weight"].is_contiguous()
    assert torch.equal(back["a.weight"], m.a.weight.detach())


@needs_torch
def test_save_model_force_contiguous_false(tmp_path):
    p = tmp_path / "c.safetensors"
    with pytest.raises(ValueError) as ei:
        st_torch.save_model(transposed_linear(), str(p), force_contiguous=False)
    assert "use save_model(..., force_contiguous=True)" in str(ei.value)
    assert not p.exists()
    st_torch.save_model(transposed_linear(), str(p), force_contiguous=True)
    assert p.exists()


# ------------------------------------------------------------------ missing file

def _missing_file_calls():
    calls = [("safe_open_np", lambda p: safe_open(p, framework="np")),
             ("numpy_load_file", lambda p: safetensors.numpy.load_file(p))]
    if torch is not None:
        calls += [("safe_open_pt", lambda p: safe_open(p, framework="pt")),
                  ("torch_load_file", lambda p: st_torch.load_file(p))]
    return [pytest.param(c, id=i) for i, c in calls]


@pytest.mark.parametrize("call", _missing_file_calls())
def test_missing_file_message(tmp_path, monkeypatch, call):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as ei:
        call("notafile")
    assert str(ei.value) == "No such file or directory: notafile"
    path = str(tmp_path / "dir" / "model.safetensors")
    (tmp_path / "dir").mkdir()
    with pytest.raises(FileNotFoundError) as ei:
        call(path)
    assert str(ei.value) == "No such file or directory: " + path


# ------------------------------------------------------------------ get_slice

A10x5 = np.arange(50, dtype=np.float32).reshape(10, 5) * 0.5 - 3

VALID_SLICES = [
    ("all", slice(None)), ("empty_tuple", ()), ("rows_to_2", slice(None, 2)),
    ("cols_to_2", (slice(None), slice(None, 2))), ("row0_cols_to_2", (0, slice(None, 2))),
    ("rows_from_2_col0", (slice(2, None), 0)), ("rows_from_2_col1", (slice(2, None), 1)),
    ("rows_from_2_col_m1", (slice(2, None), -1)), ("rows_from_2_col_m5", (slice(2, None), -5)),
    ("empty_list", []),
]

SLICE_ERRORS = [
    ("col_m6", (slice(2, None), -6), "Invalid index -6 for dimension 1 of size 5"),
    ("list", [0, 1], "Non empty lists are not implemented"),
    ("col_20", (slice(2, None), 20),
     "Error during slicing [2:, 20] with shape [10, 5]: "
     "index 20 out of bounds for tensor dimension #1 of size 5"),
    ("rows_to_20", slice(None, 20),
     "Error during slicing [:20] with shape [10, 5]: "
     "index 19 out of bounds for tensor dimension #0 of size 10"),
    ("cols_to_20", (slice(None), slice(None, 20)),
     "Error during slicing [:, :20] with shape [10, 5]: "
     "index 19 out of bounds for tensor dimension #1 of size 5"),
]


@pytest.fixture
def a10x5(tmp_path):
    p = tmp_path / "slice.safetensors"
    safetensors.numpy.save_file({"a": A10x5}, str(p))
    return str(p)


def _framework_value(framework, array):
    return array if framework == "np" else torch.from_numpy(array)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("index", [s[1] for s in VALID_SLICES], ids=[s[0] for s in VALID_SLICES])
def test_get_slice_valid(a10x5, framework, index):
    want = _framework_value(framework, A10x5.copy())[index]
    with safe_open(a10x5, framework=framework) as f:
        got = f.get_slice("a")[index]
    assert type(got) is type(want)
    assert list(got.shape) == list(want.shape)
    assert got.dtype == want.dtype
    if framework == "np":
        assert np.array_equal(got, want)
    else:
        assert torch.equal(got, want)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("index,message", [s[1:] for s in SLICE_ERRORS],
                         ids=[s[0] for s in SLICE_ERRORS])
def test_get_slice_error_messages(a10x5, framework, index, message):
    with safe_open(a10x5, framework=framework) as f:
        sl = f.get_slice("a")
        with pytest.raises(SafetensorError) as ei:
            sl[index]
    assert str(ei.value) == message


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_get_slice_start_at_dimension_is_error(a10x5, framework):
    with safe_open(a10x5, framework=framework) as f:
        sl = f.get_slice("a")
        with pytest.raises(SafetensorError) as ei:
            sl[10:]
        assert "index 10 out of bounds for tensor dimension #0 of size 10" in str(ei.value)
        with pytest.raises(SafetensorError) as ei:
            sl[:, 5:]
        assert "index 5 out of bounds for tensor dimension #1 of size 5" in str(ei.value)


# ------------------------------------------------------------------ serialize: the 0.7 dict form

# (framework name, format code, element size): every name the 0.7 library's
# serialize took (float4_e2m1fn_x2 has a test of its own).
V07_DTYPES = [
    ("bool", "BOOL", 1), ("int8", "I8", 1), ("uint8", "U8", 1), ("int16", "I16", 2),
    ("uint16", "U16", 2), ("int32", "I32", 4), ("uint32", "U32", 4), ("int64", "I64", 8),
    ("uint64", "U64", 8), ("float16", "F16", 2), ("float32", "F32", 4), ("float64", "F64", 8),
    ("bfloat16", "BF16", 2), ("float8_e4m3fn", "F8_E4M3", 1), ("float8_e5m2", "F8_E5M2", 1),
    ("float8_e8m0fnu", "F8_E8M0", 1), ("complex64", "C64", 8),
]
# and the names 0.8's TensorSpec adds
V08_DTYPES = V07_DTYPES + [("float8_e4m3fnuz", "F8_E4M3FNUZ", 1),
                           ("float8_e5m2fnuz", "F8_E5M2FNUZ", 1)]


def _payload(code, nbytes):
    if code == "BOOL":
        return bytes([1, 0] * (nbytes // 2))
    return bytes(range(1, nbytes + 1))


@pytest.mark.parametrize("name,code,size", V07_DTYPES, ids=[d[0] for d in V07_DTYPES])
def test_serialize_dict_framework_dtype_names(tmp_path, name, code, size):
    data = _payload(code, 2 * size)
    out = safetensors.serialize({"w": {"dtype": name, "shape": [2], "data": data}})
    _, _, _, tensors = U.parse_simple(out)
    assert tensors == {"w": (code, [2], 0, 2 * size)}
    assert out == U.ref_serialize([("w", code, [2], data)])
    # the format code is accepted too (an extension) and means the same
    assert safetensors.serialize({"w": {"dtype": code, "shape": [2], "data": data}}) == out
    p = tmp_path / "w.safetensors"
    safetensors.serialize_file({"w": {"dtype": name, "shape": [2], "data": data}}, str(p))
    assert p.read_bytes() == out


def test_serialize_dict_float4_doubles_last_dimension():
    """0.7 took float4_e2m1fn_x2 with the storage shape (two values a byte)."""
    out = safetensors.serialize(
        {"w": {"dtype": "float4_e2m1fn_x2", "shape": [2, 2], "data": b"\x12\x34\x56\x78"}})
    assert out == U.ref_serialize([("w", "F4", [2, 4], b"\x12\x34\x56\x78")])


def test_serialize_dict_without_data_is_safetensor_error():
    with pytest.raises(SafetensorError):
        safetensors.serialize({"test": {"dtype": "float32", "shape": [1]}})


def test_serialize_dict_in_08_spec_shape_is_type_error(tmp_path):
    spec_like = {"test": {"dtype": "float32", "shape": [1], "data_ptr": 0, "data_len": 0}}
    with pytest.raises(TypeError):
        safetensors.serialize(spec_like)
    with pytest.raises(TypeError):
        safetensors.serialize_file(spec_like, str(tmp_path / "x.safetensors"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("dtype", ["nonsense", "float128", "f32", "Float32", "float4"])
def test_serialize_dict_unknown_dtype_name(dtype):
    with pytest.raises(SafetensorError):
        safetensors.serialize({"test": {"dtype": dtype, "shape": [1], "data": b"\x00" * 4}})


# ------------------------------------------------------------------ TensorSpec (0.8)

def _spec(**kwargs):
    return safetensors.TensorSpec(**kwargs)


def test_tensorspec_is_exported():
    from safetensors import TensorSpec
    assert isinstance(TensorSpec, type) and TensorSpec is safetensors.TensorSpec
    assert "TensorSpec" in safetensors.__all__


def test_tensorspec_arguments_are_keyword_only():
    TensorSpec = safetensors.TensorSpec
    with pytest.raises(TypeError):
        TensorSpec("float32", [2], 0, 8)
    with pytest.raises(TypeError):
        TensorSpec("float32", shape=[2], data_ptr=0, data_len=8)
    with pytest.raises(TypeError):
        TensorSpec(dtype="float32", shape=[2], data_ptr=0)  # data_len missing


def test_tensorspec_unknown_dtype():
    with pytest.raises(SafetensorError):
        _spec(dtype="nonsense", shape=[1], data_ptr=0, data_len=0)


def test_tensorspec_properties_and_repr():
    s = _spec(dtype="float32", shape=[2, 3], data_ptr=1234, data_len=24)
    assert s.dtype == "F32"
    assert s.shape == [2, 3] and type(s.shape) is list
    assert s.data_ptr == 1234
    assert s.data_len == 24
    assert repr(s) == "TensorSpec(dtype='F32', shape=[2, 3], data_ptr=1234, data_len=24)"
    t = _spec(dtype="bfloat16", shape=(), data_ptr=0, data_len=2)
    assert repr(t) == "TensorSpec(dtype='BF16', shape=[], data_ptr=0, data_len=2)"


@pytest.mark.parametrize("attr,value", [("dtype", "F64"), ("shape", [6]), ("data_ptr", 1),
                                        ("data_len", 1)])
def test_tensorspec_is_read_only(attr, value):
    s = _spec(dtype="float32", shape=[2, 3], data_ptr=1234, data_len=24)
    with pytest.raises(AttributeError):
        setattr(s, attr, value)
    assert repr(s) == "TensorSpec(dtype='F32', shape=[2, 3], data_ptr=1234, data_len=24)"


@pytest.mark.parametrize("name,code,size", V08_DTYPES, ids=[d[0] for d in V08_DTYPES])
def test_tensorspec_dtype_names(name, code, size):
    s = _spec(dtype=name, shape=[3], data_ptr=0, data_len=3 * size)
    assert s.dtype == code
    assert s.shape == [3]


def test_tensorspec_shape_sequences():
    a = np.zeros((2, 3), dtype=np.float32)
    s = _spec(dtype=a.dtype.name, shape=a.shape, data_ptr=a.ctypes.data, data_len=a.nbytes)
    assert s.shape == [2, 3] and type(s.shape) is list
    if torch is not None:
        s = _spec(dtype="float32", shape=torch.Size([4, 1]), data_ptr=0, data_len=16)
        assert s.shape == [4, 1]


def test_tensorspec_float4_doubles_last_dimension():
    s = _spec(dtype="float4_e2m1fn_x2", shape=[2, 3], data_ptr=0, data_len=6)
    assert s.dtype == "F4"
    assert s.shape == [2, 6]
    assert repr(s) == "TensorSpec(dtype='F4', shape=[2, 6], data_ptr=0, data_len=6)"


def _sample_arrays():
    return {
        "a": np.arange(12, dtype=np.float32).reshape(3, 4),
        "b": np.array([-1, 2, -3, 4, -5], dtype=np.int8),
        "c": np.array(2.5, dtype=np.float64),
        "d": np.array([[True, False]], dtype=np.bool_),
        "e": np.arange(6, dtype=np.uint16).reshape(2, 3),
        "z": np.zeros((2, 0), dtype=np.int64),
    }


def _specs(arrays):
    return {k: _spec(dtype=v.dtype.name, shape=v.shape, data_ptr=v.ctypes.data,
                     data_len=v.nbytes) for k, v in arrays.items()}


def test_serialize_tensorspecs_matches_numpy_save():
    arrays = _sample_arrays()
    want = safetensors.numpy.save(arrays)
    assert safetensors.serialize(_specs(arrays)) == want
    md = {"format": "np", "k": "v"}
    assert safetensors.serialize(_specs(arrays), metadata=md) == \
        safetensors.numpy.save(arrays, metadata=md)


def test_serialize_file_tensorspecs_matches_numpy_save(tmp_path):
    arrays = _sample_arrays()
    p = tmp_path / "specs.safetensors"
    assert safetensors.serialize_file(_specs(arrays), str(p)) is None
    assert p.read_bytes() == safetensors.numpy.save(arrays)
    p2 = tmp_path / "specs2.safetensors"
    safetensors.serialize_file(_specs(arrays), p2, metadata={"m": "n"})
    assert p2.read_bytes() == safetensors.numpy.save(arrays, metadata={"m": "n"})
    back = safetensors.numpy.load_file(str(p2))
    for k, v in arrays.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape
        assert np.array_equal(back[k], v), k


def test_serialize_mixes_tensorspecs_and_dicts(tmp_path):
    arrays = _sample_arrays()
    mixed = _specs({"a": arrays["a"], "c": arrays["c"]})
    mixed["b"] = {"dtype": "int8", "shape": [5], "data": arrays["b"].tobytes()}
    mixed["e"] = {"dtype": "U16", "shape": [2, 3], "data": arrays["e"].tobytes()}
    want = safetensors.numpy.save({k: arrays[k] for k in "abce"})
    assert safetensors.serialize(mixed) == want
    p = tmp_path / "mixed.safetensors"
    safetensors.serialize_file(mixed, str(p))
    assert p.read_bytes() == want


@pytest.mark.parametrize("delta", [-1, 1, -4], ids=["short", "long", "one_less_element"])
def test_tensorspec_data_len_mismatch(tmp_path, delta):
    a = np.arange(8, dtype=np.float32)
    specs = {"a": _spec(dtype="float32", shape=[8], data_ptr=a.ctypes.data,
                        data_len=a.nbytes + delta)}
    with pytest.raises(SafetensorError):
        safetensors.serialize(specs)
    with pytest.raises(SafetensorError):
        safetensors.serialize_file(specs, str(tmp_path / "bad.safetensors"))
    assert os.listdir(tmp_path) == []


def test_serialize_file_tensorspec_releases_the_gil(tmp_path):
    big = np.ones((32, 1024, 1024), dtype=np.float32)  # 128 MiB
    big[-1, -1, -1] = 7
    specs = {"x": _spec(dtype="float32", shape=big.shape, data_ptr=big.ctypes.data,
                        data_len=big.nbytes)}
    p = tmp_path / "big.safetensors"
    count = U.progress_during(lambda: safetensors.serialize_file(specs, str(p)))
    # Holding the GIL for the whole call would leave this thread at most a
    # turn or two; released, it loops hundreds of times or more (less on a
    # loaded machine, hence the low bar).
    assert count > 10, count
    with safe_open(str(p), framework="np") as f:
        sl = f.get_slice("x")
        assert sl.get_shape() == [32, 1024, 1024] and sl.get_dtype() == "F32"
        assert sl[31:, 1023:].tolist() == [[[1.0] * 1023 + [7.0]]]
        assert sl[:1, :1].tolist() == [[[1.0] * 1024]]


# ------------------------------------------------------------------ backend= (0.8)

@pytest.fixture
def mixed_file(tmp_path):
    p = tmp_path / "mixed.safetensors"
    tensors = {
        "f32": np.arange(12, dtype=np.float32).reshape(3, 4),
        "f16": np.arange(24, dtype=np.float16).reshape(2, 3, 4),
        "i64": np.arange(5, dtype=np.int64),
        "scalar": np.array(7.5, dtype=np.float32),
        "empty": np.zeros((0, 5), dtype=np.float16),
        "u8": np.arange(7, dtype=np.uint8),
    }
    safetensors.numpy.save_file(tensors, str(p), metadata={"foo": "bar"})
    return str(p), tensors


def _assert_same_tensors(got, want):
    assert sorted(got) == sorted(want)
    for k in want:
        g, w = got[k], want[k]
        assert type(g) is type(w), k
        assert g.dtype == w.dtype, k
        assert tuple(g.shape) == tuple(w.shape), k
        if isinstance(w, np.ndarray):
            assert np.array_equal(g, w), k
        else:
            assert torch.equal(g, w), k


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_safe_open_backends_agree(mixed_file, framework):
    p, tensors = mixed_file
    want = {k: _framework_value(framework, v) for k, v in tensors.items()}
    for backend in ["mmap", "pread"]:
        with safe_open(p, framework=framework, device="cpu", backend=backend) as f:
            assert f.metadata() == {"foo": "bar"}
            assert f.keys() == sorted(tensors)
            _assert_same_tensors({k: f.get_tensor(k) for k in f.keys()}, want)
            _assert_same_tensors(f.get_tensors(), want)
            sub = f.get_slice("f32")[:, 1:3]
        _assert_same_tensors({"s": sub}, {"s": want["f32"][:, 1:3]})


@needs_torch
def test_torch_load_file_backend(mixed_file):
    p, tensors = mixed_file
    want = {k: torch.from_numpy(v) for k, v in tensors.items()}
    _assert_same_tensors(st_torch.load_file(p, backend="pread"), want)
    _assert_same_tensors(st_torch.load_file(p, device="cpu", backend="mmap"), want)
    _assert_same_tensors(st_torch.load_file(p, "cpu", backend="pread"), want)
    with pytest.raises(TypeError):
        st_torch.load_file(p, "cpu", "pread")  # keyword-only


@needs_torch
def test_torch_load_model_backend(tmp_path):
    src = torch.nn.Module()
    src.lin = torch.nn.Linear(4, 3)
    p = str(tmp_path / "model.safetensors")
    st_torch.save_model(src, p)
    for backend in ["pread", "mmap"]:
        dst = torch.nn.Module()
        dst.lin = torch.nn.Linear(4, 3)
        assert not torch.equal(src.lin.weight, dst.lin.weight)
        st_torch.load_model(dst, p, strict=True, device="cpu", backend=backend)
        assert torch.equal(src.lin.weight, dst.lin.weight)
        assert torch.equal(src.lin.bias, dst.lin.bias)


def test_numpy_load_file_backend(mixed_file):
    p, tensors = mixed_file
    _assert_same_tensors(safetensors.numpy.load_file(p, backend="pread"), tensors)
    _assert_same_tensors(safetensors.numpy.load_file(p, backend="mmap"), tensors)


def test_safe_open_handle_backend(mixed_file):
    p, tensors = mixed_file
    for backend in ["mmap", "pread"]:
        with open(p, "rb") as fh:
            with safetensors._safe_open_handle(fh, framework="np", backend=backend) as f:
                _assert_same_tensors(f.get_tensors(), tensors)


@pytest.mark.parametrize("backend", ["mmap", "pread"])
def test_backends_reject_bad_files(tmp_path, backend):
    good = safetensors.numpy.save({"a": np.arange(6, dtype=np.float32)})
    n = struct.unpack("<Q", good[:8])[0]
    truncated = tmp_path / "truncated.safetensors"
    truncated.write_bytes(good[:8 + n // 2])
    header = b'{"liar":{"dtype":"F32","shape":[1024,1024],"data_offsets":[0,4194304]}}'
    lying = tmp_path / "lying.safetensors"
    lying.write_bytes(struct.pack("<Q", len(header)) + header + b"\x00")
    for path in [truncated, lying]:
        with pytest.raises(SafetensorError) as ei:
            with safe_open(str(path), framework="np", backend=backend) as f:
                f.get_tensors()
        assert str(ei.value).startswith("Error while deserializing header: "), str(ei.value)


def _backend_calls():
    calls = [
        ("safe_open_np", lambda p, b: safe_open(p, framework="np", backend=b)),
        ("numpy_load_file", lambda p, b: safetensors.numpy.load_file(p, backend=b)),
    ]
    if torch is not None:
        calls += [
            ("safe_open_pt", lambda p, b: safe_open(p, framework="pt", device="cpu", backend=b)),
            ("torch_load_file", lambda p, b: st_torch.load_file(p, backend=b)),
            ("torch_load_model", lambda p, b: st_torch.load_model(
                torch.nn.Linear(2, 2), p, backend=b)),
        ]
    return [pytest.param(c, id=i) for i, c in calls]


@pytest.mark.parametrize("backend", ["x", "not_a_backend", "MMAP", "", "mmap "])
@pytest.mark.parametrize("call", _backend_calls())
def test_invalid_backend(mixed_file, call, backend):
    p, _ = mixed_file
    with pytest.raises(SafetensorError) as ei:
        call(p, backend)
    assert str(ei.value) == 'backend "%s" is invalid (expected one of: "mmap", "pread")' % backend


# ------------------------------------------------------------------ module and distribution

def test_safetensor_error_module_is_importable():
    module = importlib.import_module(SafetensorError.__module__)
    assert getattr(module, SafetensorError.__name__) is SafetensorError


_PEP440 = re.compile(r"(?P<release>[0-9]+(?:\.[0-9]+)*)(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?"
                     r"(?:\.dev[0-9]+)?(?:\+(?P<local>[a-z0-9]+(?:\.[a-z0-9]+)*))?")


def _check_version(version):
    m = _PEP440.fullmatch(version)
    assert m, "not a normalized PEP 440 version: %r" % version
    release = tuple(int(x) for x in m.group("release").split("."))
    assert release >= (0, 8), version
    assert (m.group("local") or "").startswith("cpp"), version


def test_version_is_at_least_0_8_with_cpp_local_label():
    _check_version(safetensors.__version__)
    assert safetensors.__implementation__ == "safetensors-cpp"


def test_installed_distribution_version():
    try:
        version = importlib.metadata.version("safetensors")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("no installed distribution provides `safetensors` (the package is imported "
                    "from PYTHONPATH, not installed from its wheel)")
    assert version == safetensors.__version__
    _check_version(version)
    assert safetensors.__implementation__ == "safetensors-cpp"


@pytest.mark.parametrize("requirement,satisfied", [
    ("safetensors>=0.8", True), ("safetensors==0.8.0", True),
    ("safetensors>=0.7,<0.9", True), ("safetensors>=0.9", False)])
def test_pip_check_sees_the_installed_distribution(tmp_path, requirement, satisfied):
    # A project that requires `safetensors` as downstream libraries do: pip
    # check must find this distribution and judge the requirement by its
    # version (the local label ignored), so that >=0.9 is reported.
    try:
        importlib.metadata.version("safetensors")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("no installed distribution provides `safetensors` (the package is imported "
                    "from PYTHONPATH, not installed from its wheel)")
    import subprocess
    import sys
    dist = tmp_path / "needs_st-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: needs-st\nVersion: 1.0\nRequires-Dist: {}\n".format(
            requirement))
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PIP_DISABLE_PIP_VERSION_CHECK="1")
    run = subprocess.run([sys.executable, "-m", "pip", "check"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if "No module named pip" in run.stdout:
        pytest.skip("pip is not installed for " + sys.executable)
    complaints = [line for line in run.stdout.splitlines() if line.startswith("needs-st ")]
    if satisfied:
        assert complaints == [], run.stdout
    else:
        assert complaints == [
            "needs-st 1.0 has requirement {}, but you have safetensors {}.".format(
                requirement, safetensors.__version__)], run.stdout


# ------------------------------------------------------------------ file objects

@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_safe_open_handle_fsspec(tmp_path, framework):
    fsspec = pytest.importorskip("fsspec")
    tensors = {"a": np.zeros((2, 2)), "b": np.arange(6, dtype=np.uint8).reshape(2, 3)}
    fs = fsspec.filesystem("file")
    path = str(tmp_path / "fs.safetensors")
    with fs.open(path, "wb") as f:
        f.write(safetensors.numpy.save(tensors))
    with fs.open(path, "rb") as f:
        with safetensors._safe_open_handle(f, framework=framework, device="cpu") as g:
            assert g.keys() == ["a", "b"]
            loaded = {k: g.get_tensor(k) for k in g.keys()}
    _assert_same_tensors(loaded, {k: _framework_value(framework, v) for k, v in tensors.items()})


def test_safe_open_handle_text_mode_file(tmp_path):
    """The Python library opens a handle by its name, whatever its mode."""
    tensors = {"a": np.zeros((2, 2)), "b": np.arange(6, dtype=np.uint8).reshape(2, 3)}
    path = str(tmp_path / "t.safetensors")
    safetensors.numpy.save_file(tensors, path)
    with open(path, "r") as f:
        with safetensors._safe_open_handle(f, framework="np", device="cpu") as g:
            loaded = {k: g.get_tensor(k) for k in g.keys()}
    _assert_same_tensors(loaded, tensors)
