"""safetensors.torch: save/load, save_model/load_model, shared tensors, dtypes, bytes."""

import os
import pathlib
import struct

import pytest

np = pytest.importorskip("numpy")
torch = pytest.importorskip("torch")

import safetensors  # noqa: E402
import safetensors.numpy  # noqa: E402
from safetensors import SafetensorError, safe_open  # noqa: E402
from safetensors.torch import (  # noqa: E402
    _find_shared_tensors, _remove_duplicate_names, load, load_file, load_model, save,
    save_file, save_model, storage_ptr, storage_size)

import _stutil as U  # noqa: E402

PT_DTYPES = [("BOOL", torch.bool), ("U8", torch.uint8), ("I8", torch.int8), ("I16", torch.int16),
             ("I32", torch.int32), ("I64", torch.int64), ("F16", torch.float16),
             ("BF16", torch.bfloat16), ("F32", torch.float32), ("F64", torch.float64),
             ("C64", torch.complex64)]
SHAPES = [(), (0,), (2, 0, 3), (7,), (3, 4), (2, 3, 1, 2)]


def rand_tensor(dt, shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    if dt == torch.bool:
        return torch.randint(0, 2, shape, generator=g).bool()
    if dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        info = torch.iinfo(dt)
        lo, hi = max(info.min, -2 ** 62), min(info.max, 2 ** 62)
        return torch.randint(lo, hi, shape, generator=g, dtype=torch.int64).to(dt)
    return (torch.randn(shape, generator=g, dtype=torch.float64 if dt != torch.complex64 else dt)
            * 100).to(dt)


def assert_same(got, want):
    assert isinstance(got, torch.Tensor)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert tuple(got.shape) == tuple(want.shape)
    assert got.device.type == "cpu"
    assert U.torch_raw(got) == U.torch_raw(want)


# ------------------------------------------------------------------ round trips

@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("st_dtype,dt", PT_DTYPES, ids=[d[0] for d in PT_DTYPES])
def test_roundtrip_dtype(tmp_path, st_dtype, dt, shape):
    t = rand_tensor(dt, shape)
    p = str(tmp_path / "x.safetensors")
    save_file({"x": t}, p)
    blob = pathlib.Path(p).read_bytes()
    assert blob == U.ref_serialize([("x", st_dtype, shape, U.torch_raw(t))])
    assert save({"x": t}) == blob
    assert_same(load_file(p)["x"], t)
    assert_same(load(blob)["x"], t)
    with safe_open(p, framework="pt") as f:
        assert f.get_slice("x").get_dtype() == st_dtype
        assert f.get_slice("x").get_shape() == list(shape)
        assert_same(f.get_tensor("x"), t)


def test_roundtrip_all_dtypes_one_file(tmp_path):
    tensors = {"t_" + n: rand_tensor(dt, (4, 3), seed=i) for i, (n, dt) in enumerate(PT_DTYPES)}
    p = str(tmp_path / "all.safetensors")
    save_file(tensors, p, metadata={"format": "pt"})
    assert pathlib.Path(p).read_bytes() == U.ref_serialize(
        [(k, k[2:], v.shape, U.torch_raw(v)) for k, v in tensors.items()], {"format": "pt"})
    back = load_file(p)
    assert sorted(back) == sorted(tensors)
    for k, v in tensors.items():
        assert_same(back[k], v)


@pytest.mark.parametrize("st_dtype,dt", PT_DTYPES, ids=[d[0] for d in PT_DTYPES])
def test_get_slice_every_dtype(tmp_path, st_dtype, dt):
    t = rand_tensor(dt, (4, 5, 3), seed=3)
    p = str(tmp_path / "s.safetensors")
    save_file({"t": t}, p)
    with safe_open(p, framework="pt") as f:
        sl = f.get_slice("t")
        assert sl.get_dtype() == st_dtype and sl.get_shape() == [4, 5, 3]
        for idx in [slice(None), 2, -1, (slice(1, 3), slice(None, None, 2)), (Ellipsis, 1),
                    (slice(None), 4, slice(0, 2)), slice(2, 2)]:
            got = sl[idx]
            want = t[idx]
            assert got.dtype == dt and tuple(got.shape) == tuple(want.shape), idx
            assert U.torch_raw(got) == U.torch_raw(want), idx
        # Past the end is an error, as in the Python library (not clamped).
        with pytest.raises(SafetensorError, match=r"index 10 out of bounds"):
            sl[10:20]


def test_ten_thousand_small_tensors(tmp_path):
    tensors = {"w.%d" % i: torch.full((1,), float(i)) for i in range(10000)}
    p = str(tmp_path / "many.safetensors")
    save_file(tensors, p)
    back = load_file(p)
    assert len(back) == 10000
    assert all(back["w.%d" % i].item() == float(i) for i in range(10000))


def test_unicode_metadata(tmp_path):
    md = {"ключ": "значение", "名前": "🤗", "": "", "a\nb": "c\td\"", "\u2028": "\x7f\x00"}
    p = str(tmp_path / "u.safetensors")
    save_file({"日本": torch.ones(2)}, p, metadata=md)
    with safe_open(p, framework="pt") as f:
        assert f.metadata() == md
        assert f.keys() == ["日本"]


def test_cross_framework(tmp_path):
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    p = str(tmp_path / "np.safetensors")
    safetensors.numpy.save_file({"a": a}, p)
    t = load_file(p)["a"]
    assert t.dtype == torch.float32 and torch.equal(t, torch.from_numpy(a))
    p2 = str(tmp_path / "pt.safetensors")
    save_file({"b": torch.arange(6, dtype=torch.int16).reshape(2, 3)}, p2)
    b = safetensors.numpy.load_file(p2)["b"]
    assert b.dtype == np.int16 and b.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert pathlib.Path(p).read_bytes() == save({"a": torch.from_numpy(a)})


def test_contiguous_view_of_larger_storage_is_saved_alone():
    x = torch.arange(10, dtype=torch.int64)
    v = x[2:5]
    out = save({"v": v})
    assert out == U.ref_serialize([("v", "I64", [3], struct.pack("<3q", 2, 3, 4))])
    assert load(out)["v"].tolist() == [2, 3, 4]


def test_requires_grad_parameter_saved():
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    back = load(save({"p": p}))["p"]
    assert back.tolist() == [1.0, 2.0] and back.requires_grad is False


# ------------------------------------------------------------------ exact bytes (HF compatibility)

def test_bytes_single_i32():
    out = save({"test": torch.zeros((2, 2), dtype=torch.int32)})
    hdr = b'{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}'
    assert out == struct.pack("<Q", 64) + hdr + b" " * (64 - len(hdr)) + b"\x00" * 16


@pytest.mark.parametrize("reverse", [False, True])
def test_bytes_two_tensors(reverse):
    items = [("test1", torch.zeros((2, 2), dtype=torch.int32)),
             ("test2", torch.zeros((2, 2), dtype=torch.float16))]
    if reverse:
        items.reverse()
    out = save(dict(items))
    hdr = (b'{"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]},'
           b'"test2":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]}}')
    assert out == struct.pack("<Q", 128) + hdr + b" " * (128 - len(hdr)) + b"\x00" * 24


def test_bytes_metadata():
    out = save({"test1": torch.zeros((2, 2), dtype=torch.int32)}, metadata={"framework": "pt"})
    hdr = (b'{"__metadata__":{"framework":"pt"},'
           b'"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}')
    assert out == struct.pack("<Q", 96) + hdr + b" " * (96 - len(hdr)) + b"\x00" * 16


def test_bytes_bf16():
    t = torch.tensor([[2.25, 1.0], [1.0, 1.0]], dtype=torch.bfloat16)
    out = save({"test": t})
    assert out[-8:] == bytes.fromhex("1040803f803f803f")
    assert out == U.ref_serialize([("test", "BF16", [2, 2], bytes.fromhex("1040803f803f803f"))])
    back = load(out)["test"]
    assert back.dtype == torch.bfloat16 and back.tolist() == [[2.25, 1.0], [1.0, 1.0]]


def test_bytes_c64():
    t = torch.zeros((2, 2), dtype=torch.complex64)
    t[1][1] = -1 + 1j
    out = save({"test": t})
    data = b"\x00" * 24 + bytes.fromhex("000080bf0000803f")
    assert out[-32:] == data
    assert out == U.ref_serialize([("test", "C64", [2, 2], data)])
    assert load(out)["test"][1][1].item() == complex(-1, 1)


# ------------------------------------------------------------------ unrepresentable dtypes

UNREPRESENTABLE_PT = [
    ("U16", 4, [2]), ("U32", 8, [2]), ("U64", 16, [2]), ("F8_E4M3", 2, [2]), ("F8_E5M2", 2, [2]),
    ("F8_E8M0", 2, [2]), ("F8_E4M3FNUZ", 2, [2]), ("F8_E5M2FNUZ", 2, [2]), ("F4", 1, [2]),
    ("F6_E3M2", 3, [4])]


def _unrepresentable_file(tmp_path, dtype, nbytes, shape):
    if hasattr(torch, U.DTYPE_ALIASES[dtype][0]):
        pytest.skip("this torch has %s" % dtype)
    blob = safetensors.serialize({"t": {"dtype": dtype, "shape": shape, "data": b"\x01" * nbytes},
                                  "ok": {"dtype": "F32", "shape": [], "data": struct.pack("<f", 2)}})
    p = tmp_path / "x.safetensors"
    p.write_bytes(blob)
    return p, blob


@pytest.mark.parametrize("dtype,nbytes,shape", UNREPRESENTABLE_PT, ids=[u[0] for u in UNREPRESENTABLE_PT])
def test_unrepresentable_dtype_names_dtype_and_version(tmp_path, dtype, nbytes, shape):
    p, blob = _unrepresentable_file(tmp_path, dtype, nbytes, shape)
    with safe_open(str(p), framework="pt") as f:
        assert f.get_tensor("ok").item() == 2.0
        with pytest.raises(SafetensorError) as ei:
            f.get_tensor("t")
    msg = str(ei.value)
    assert U.message_names_dtype(msg, dtype), msg
    assert torch.__version__ in msg, msg
    with pytest.raises(SafetensorError) as ei:
        load_file(str(p))
    assert U.message_names_dtype(str(ei.value), dtype) and torch.__version__ in str(ei.value)
    with pytest.raises(SafetensorError):
        load(blob)


@pytest.mark.parametrize("dtype,nbytes,shape", UNREPRESENTABLE_PT, ids=[u[0] for u in UNREPRESENTABLE_PT])
def test_unrepresentable_dtype_get_slice_metadata(tmp_path, dtype, nbytes, shape):
    """get_slice() describes any tensor (as the HF library does); only reading data fails."""
    p, _ = _unrepresentable_file(tmp_path, dtype, nbytes, shape)
    with safe_open(str(p), framework="pt") as f:
        sl = f.get_slice("t")
        assert sl.get_dtype() == dtype
        assert sl.get_shape() == shape
        with pytest.raises(SafetensorError) as ei:
            sl[:]
        assert U.message_names_dtype(str(ei.value), dtype), str(ei.value)


# ------------------------------------------------------------------ devices

def test_torch_device_cpu(tmp_path):
    p = str(tmp_path / "d.safetensors")
    save_file({"a": torch.arange(3)}, p)
    with safe_open(p, framework="pt", device=torch.device("cpu")) as f:
        assert f.get_tensor("a").tolist() == [0, 1, 2]
    assert load_file(p, device="cpu")["a"].tolist() == [0, 1, 2]
    assert load_file(p, device=torch.device("cpu"))["a"].device == torch.device("cpu")


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps"])
def test_load_file_bad_device(tmp_path, device):
    p = str(tmp_path / "d.safetensors")
    save_file({"a": torch.arange(3)}, p)
    with pytest.raises(SafetensorError) as ei:
        load_file(p, device=device)
    assert device in str(ei.value)


# ------------------------------------------------------------------ shared storage

def test_save_file_shared_tensors(tmp_path):
    w = torch.randn(4, 4)
    p = tmp_path / "s.safetensors"
    for d in [{"a": w, "b": w}, {"a": w, "b": w.view(16)}, {"a": w, "b": w[1]}]:
        with pytest.raises(RuntimeError) as ei:
            save_file(d, str(p))
        assert "save_model" in str(ei.value)
        with pytest.raises(RuntimeError) as ei:
            save(d)
        assert "save_model" in str(ei.value)
    assert os.listdir(tmp_path) == []


def test_save_file_tied_module_weights(tmp_path):
    m = Tied()
    with pytest.raises(RuntimeError) as ei:
        save_file(m.state_dict(), str(tmp_path / "t.safetensors"))
    assert "save_model" in str(ei.value)


@pytest.mark.parametrize("make", [lambda: torch.randn(3, 4).t(), lambda: torch.randn(4, 6)[:, ::2],
                                  lambda: torch.randn(2, 3, 4).permute(2, 0, 1)],
                         ids=["t", "stride", "permute"])
def test_save_non_contiguous(tmp_path, make):
    v = make()
    assert not v.is_contiguous()
    with pytest.raises(ValueError) as ei:
        save_file({"v": v}, str(tmp_path / "n.safetensors"))
    assert "contiguous" in str(ei.value)
    with pytest.raises(ValueError) as ei:
        save({"v": v})
    assert "contiguous" in str(ei.value)
    assert os.listdir(tmp_path) == []


def test_storage_ptr_and_size():
    w = torch.zeros(10, dtype=torch.float32)
    assert storage_ptr(w) == w.data_ptr()
    assert storage_ptr(w[2:5]) == storage_ptr(w)
    assert storage_size(w) == 40
    assert storage_size(w[2:5]) == 40
    assert storage_size(torch.zeros(3, dtype=torch.float64)) == 24
    assert storage_size(torch.zeros(3, dtype=torch.bfloat16)) == 6
    x = torch.zeros(10)
    assert storage_ptr(x) != storage_ptr(w)
    assert storage_size(torch.zeros(0)) == 0


def test_find_shared_tensors():
    w, x = torch.randn(4, 4), torch.randn(3)
    groups = _find_shared_tensors({"a": w, "b": w, "c": x, "d": w[1:]})
    assert isinstance(groups, list)
    assert all(isinstance(g, set) for g in groups)
    assert {frozenset(g) for g in groups} == {frozenset({"a", "b", "d"}), frozenset({"c"})}
    groups = _find_shared_tensors({"a": torch.zeros(2), "b": torch.zeros(2)})
    assert {frozenset(g) for g in groups} == {frozenset({"a"}), frozenset({"b"})}


def test_remove_duplicate_names():
    w, x = torch.randn(4, 4), torch.randn(3)
    sd = {"a": w, "b": w, "c": x}
    assert dict(_remove_duplicate_names(sd)) == {"a": ["b"]}
    assert dict(_remove_duplicate_names(sd, preferred_names=["b"])) == {"b": ["a"]}
    assert dict(_remove_duplicate_names(sd, discard_names=["a"])) == {"b": ["a"]}
    sd3 = {"z": w, "y": w, "x": w}
    assert dict(_remove_duplicate_names(sd3)) == {"x": ["y", "z"]}
    assert dict(_remove_duplicate_names({"c": x})) == {}
    assert sd == {"a": w, "b": w, "c": x}  # not modified


# ------------------------------------------------------------------ save_model / load_model

class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(4, 4)
        self.b = torch.nn.Linear(4, 4)
        self.b.weight = self.a.weight


class Plain(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(3, 2)


class Other(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(3, 2, bias=False)
        self.c = torch.nn.Linear(3, 2)


class NonContig(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(3, 4).t())


def test_save_model_tied(tmp_path):
    torch.manual_seed(0)
    m = Tied()
    p = str(tmp_path / "tied.safetensors")
    save_model(m, p)
    with safe_open(p, framework="pt") as f:
        assert f.keys() == ["a.bias", "a.weight", "b.bias"]
        md = f.metadata()
        assert md is not None and md.get("b.weight") == "a.weight", md
        assert torch.equal(f.get_tensor("a.weight"), m.a.weight.detach())
    n, text, meta, tensors = U.parse_simple(pathlib.Path(p).read_bytes())
    assert sum(e - b for _, _, b, e in tensors.values()) == (16 + 4 + 4) * 4  # one copy
    m2 = Tied()
    missing, unexpected = load_model(m2, p)
    assert list(missing) == [] and list(unexpected) == []
    assert torch.equal(m2.a.weight, m.a.weight) and torch.equal(m2.b.weight, m.a.weight)
    assert torch.equal(m2.a.bias, m.a.bias) and torch.equal(m2.b.bias, m.b.bias)
    assert m2.a.weight is m2.b.weight


def test_save_model_keeps_user_metadata(tmp_path):
    m = Tied()
    p = str(tmp_path / "tied.safetensors")
    save_model(m, p, metadata={"format": "pt", "x": "y"})
    with safe_open(p, framework="pt") as f:
        md = f.metadata()
    assert md["format"] == "pt" and md["x"] == "y" and md["b.weight"] == "a.weight"


def test_save_model_non_contiguous(tmp_path):
    m = NonContig()
    p = str(tmp_path / "nc.safetensors")
    with pytest.raises(ValueError) as ei:
        save_model(m, p, force_contiguous=False)
    assert "contiguous" in str(ei.value)
    assert "force_contiguous=True" in str(ei.value)
    assert not os.path.exists(p)
    save_model(m, p)  # force_contiguous=True is the default, as in 0.4 on
    m2 = NonContig()
    missing, unexpected = load_model(m2, p)
    assert list(missing) == [] and list(unexpected) == []
    assert torch.equal(m2.w, m.w)


def test_load_model_plain(tmp_path):
    m = Plain()
    p = str(tmp_path / "p.safetensors")
    save_model(m, p)
    assert sorted(load_file(p)) == ["a.bias", "a.weight"]
    m2 = Plain()
    load_model(m2, p)
    assert torch.equal(m2.a.weight, m.a.weight) and torch.equal(m2.a.bias, m.a.bias)
    load_model(Plain(), p, strict=True, device="cpu")


def test_load_model_strict_mismatch(tmp_path):
    p = str(tmp_path / "p.safetensors")
    save_model(Plain(), p)  # a.weight [2,3], a.bias [2]
    m = Other()  # a.weight [2,3], c.weight, c.bias
    with pytest.raises(RuntimeError) as ei:
        load_model(m, p)
    msg = str(ei.value)
    for name in ["c.weight", "c.bias", "a.bias"]:
        assert name in msg, msg
    m = Other()
    missing, unexpected = load_model(m, p, strict=False)
    assert sorted(missing) == ["c.bias", "c.weight"]
    assert sorted(unexpected) == ["a.bias"]
    assert torch.equal(m.a.weight, load_file(p)["a.weight"])


# ------------------------------------------------------------------ argument errors

def test_non_tensor_value(tmp_path):
    for bad in [{"a": [1, 2]}, {"a": np.zeros(2)}, {"a": torch.zeros(1), "b": 3}]:
        with pytest.raises(ValueError):
            save(bad)
        with pytest.raises(ValueError):
            save_file(bad, str(tmp_path / "x.safetensors"))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("bad", [[torch.zeros(1)], None, torch.zeros(1)], ids=["list", "none", "tensor"])
def test_non_dict(tmp_path, bad):
    with pytest.raises((ValueError, TypeError)) as ei:
        save(bad)
    assert "dict" in str(ei.value).lower()
    with pytest.raises((ValueError, TypeError)) as ei:
        save_file(bad, str(tmp_path / "x.safetensors"))
    assert "dict" in str(ei.value).lower()


@pytest.mark.parametrize("md", [{"a": 1}, {"a": None}, {"a": 1.5}, {1: "a"}, {"a": ["b"]}])
def test_metadata_not_str(tmp_path, md):
    for fn in (lambda: save({"t": torch.zeros(1)}, metadata=md),
               lambda: save_file({"t": torch.zeros(1)}, str(tmp_path / "m.safetensors"), metadata=md)):
        with pytest.raises((SafetensorError, TypeError, ValueError)) as ei:
            fn()
        assert "metadata" in str(ei.value).lower(), str(ei.value)
    assert os.listdir(tmp_path) == []


def test_save_file_requires_filename():
    with pytest.raises(TypeError):
        save_file({"a": torch.zeros(1)})


# ------------------------------------------------------------------ ownership and atomicity

def test_load_file_owns_memory(tmp_path):
    t = torch.arange(100, dtype=torch.float32)
    p = tmp_path / "o.safetensors"
    save_file({"t": t}, str(p))
    back = load_file(str(p))
    with safe_open(str(p), framework="pt") as f:
        one = f.get_tensor("t")
    os.unlink(p)
    assert torch.equal(back["t"], t) and torch.equal(one, t)
    save_file({"t": -t}, str(p))
    assert torch.equal(back["t"], t)
    back["t"] += 1  # writable
    one.mul_(2)
    assert torch.equal(back["t"], t + 1) and torch.equal(one, t * 2)


def test_get_tensor_views_share_one_open_only(tmp_path):
    # backend="mmap": every tensor of one open views its one private
    # mapping (as the Python library's storage of the file); another open,
    # a pread open and the file itself never see a write.
    p = str(tmp_path / "i.safetensors")
    save_file({"t": torch.zeros(5)}, p)
    before = open(p, "rb").read()
    with safe_open(p, framework="pt") as f:
        a = f.get_tensor("t")
        a.fill_(3)
        assert torch.equal(f.get_tensor("t"), torch.full((5,), 3.0))
        with safe_open(p, framework="pt") as g:
            assert torch.equal(g.get_tensor("t"), torch.zeros(5))
    with safe_open(p, framework="pt", backend="pread") as f:
        b = f.get_tensor("t")
        b.fill_(4)
        assert torch.equal(f.get_tensor("t"), torch.zeros(5))
    assert open(p, "rb").read() == before


def test_atomic_overwrite_failure_keeps_old_file(tmp_path):
    p = tmp_path / "model.safetensors"
    save_file({"old": torch.arange(4)}, str(p))
    before = p.read_bytes()
    with pytest.raises(ValueError):
        save_file({"new": torch.randn(3, 4).t()}, str(p))
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.safetensors"]
    with pytest.raises(RuntimeError):
        w = torch.zeros(2)
        save_file({"a": w, "b": w}, str(p))
    assert p.read_bytes() == before
    with pytest.raises(ValueError):
        save_model(NonContig(), str(p), force_contiguous=False)
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.safetensors"]
    assert load_file(str(p))["old"].tolist() == [0, 1, 2, 3]


def test_atomic_overwrite_success_replaces(tmp_path):
    p = tmp_path / "model.safetensors"
    save_file({"old": torch.arange(4)}, str(p))
    save_file({"new": torch.ones(2)}, str(p))
    assert os.listdir(tmp_path) == ["model.safetensors"]
    assert sorted(load_file(str(p))) == ["new"]
