"""Every conformance vector of $SAFETENSORS_REPO/conformance through safe_open.

Accepted vectors are compared with their golden canonical dump (names, dtypes,
shapes, offsets order, metadata, and the FNV-1a 64 of each tensor's bytes);
rejected ones must raise SafetensorError naming the manifest's error kind.
"""

import os
import pathlib
import struct

import pytest

np = pytest.importorskip("numpy")

from safetensors import SafetensorError, safe_open  # noqa: E402

import _stutil as U  # noqa: E402

PREFIX = "Error while deserializing header: "
FRAMEWORKS = ["np", "pt"]
PROFILES = ["strict", "reference"]


def _cases():
    out = []
    for v in U.load_manifest()["vectors"]:
        for profile in PROFILES:
            for fw in FRAMEWORKS:
                marks = []
                if "generated" in v["flags"]:
                    marks.append(pytest.mark.skip(reason="generated vector (not on disk)"))
                out.append(pytest.param(v, profile, fw, marks=marks,
                                        id="%s-%s-%s" % (v["id"], profile, fw)))
    return out


def _framework(fw):
    if fw == "pt":
        return pytest.importorskip("torch")
    return np


def _representable_shape(fw, mod, shape, dtype):
    try:
        if fw == "np":
            np.empty(shape, dtype=np.dtype(U.NUMPY_DTYPES[dtype]))
        else:
            mod.empty(shape, dtype=getattr(mod, U.TORCH_DTYPES[dtype]))
        return True
    except Exception:
        return False


def _raw(fw, x):
    return U.np_raw(x) if fw == "np" else U.torch_raw(x)


def _check_value(fw, mod, x, t, raw):
    if fw == "np":
        assert type(x) is np.ndarray
        assert x.dtype == np.dtype(U.NUMPY_DTYPES[t["dtype"]]), (x.dtype, t["dtype"])
        assert list(x.shape) == t["shape"]
    else:
        assert isinstance(x, mod.Tensor)
        assert x.dtype == getattr(mod, U.TORCH_DTYPES[t["dtype"]]), (x.dtype, t["dtype"])
        assert list(x.shape) == t["shape"]
        assert x.device.type == "cpu"
    got = _raw(fw, x)
    if t["dtype"] == "BOOL":
        assert len(got) == len(raw) and U.bool_bytes_equal(got, raw), (got, raw)
    else:
        assert got == raw, "tensor %r: bytes differ" % t["name"]
        assert U.fnv1a64(got) == t["fnv"]


def check_accepted(path, dump_path, profile, fw):
    mod = _framework(fw)
    dump = U.parse_dump(pathlib.Path(dump_path).read_text(encoding="utf-8"))
    blob = pathlib.Path(path).read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    data = blob[8 + n:]
    # the golden dump describes this file (a check of the test's own inputs)
    assert dump["header_len"] == n and dump["data_len"] == len(data)
    with safe_open(str(path), framework=fw, profile=profile) as f:
        keys = f.keys()
        assert keys == [t["name"] for t in dump["tensors"]]
        assert len(keys) == dump["ntensors"]
        md = f.metadata()
        if dump["metadata"] is None:
            assert md is None
        else:
            assert isinstance(md, dict) and len(md) == dump["metadata"]
            assert md == dump["meta"]
        by_name = {t["name"]: t for t in dump["tensors"]}
        ok = f.offset_keys()
        assert sorted(ok) == sorted(keys) and len(ok) == len(keys)
        begins = [by_name[k]["begin"] for k in ok]
        assert begins == sorted(begins), "offset_keys not in data order"
        table = U.NUMPY_DTYPES if fw == "np" else U.TORCH_DTYPES
        slice_checks = []
        for t in dump["tensors"]:
            name = t["name"]
            raw = data[t["begin"]:t["end"]]
            assert U.fnv1a64(raw) == t["fnv"]  # self-check of the golden dump
            if t["dtype"] not in table:
                with pytest.raises(SafetensorError) as ei:
                    f.get_tensor(name)
                assert U.message_names_dtype(str(ei.value), t["dtype"]), str(ei.value)
                if fw == "pt":
                    assert mod.__version__ in str(ei.value), str(ei.value)
                slice_checks.append((t, None))
                continue
            if not _representable_shape(fw, mod, t["shape"], t["dtype"]):
                # The framework cannot hold this shape (a dimension >= 2^63, or too big an
                # array for NumPy): a clean error is the only other acceptable answer.
                try:
                    x = f.get_tensor(name)
                except (SafetensorError, ValueError, OverflowError):
                    slice_checks.append((t, None))
                    continue
                _check_value(fw, mod, x, t, raw)
                slice_checks.append((t, None))
                continue
            _check_value(fw, mod, f.get_tensor(name), t, raw)
            slice_checks.append((t, raw))
        # get_slice: metadata for every tensor (whatever its dtype), values where representable
        for t, raw in slice_checks:
            sl = f.get_slice(t["name"])
            assert sl.get_dtype() == t["dtype"]
            assert sl.get_shape() == t["shape"]
            if raw is not None:
                _check_value(fw, mod, sl[...], t, raw)


def check_rejected(path, kind, profile, fw):
    _framework(fw)
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(path), framework=fw, profile=profile)
    msg = str(ei.value)
    assert msg.startswith(PREFIX + kind), "expected %r..., got %r" % (PREFIX + kind, msg)
    assert not msg[len(PREFIX + kind):][:1].isalnum(), msg


@pytest.mark.parametrize("vector,profile,fw", _cases())
def test_vector(repo, vector, profile, fw):
    conf = os.path.join(repo, "conformance")
    path = os.path.join(conf, vector["file"])
    assert os.path.isfile(path), path
    exp = vector["expected"][profile]
    if exp["result"] == "accept":
        assert vector["dump"], vector["id"]
        check_accepted(path, os.path.join(conf, vector["dump"]), profile, fw)
    else:
        check_rejected(path, exp["kind"], profile, fw)


def test_manifest_prefixes_agree_with_expectations(manifest):
    """y_ vectors are accepted and n_ rejected in both profiles (the suite's own contract)."""
    ids = set()
    for v in manifest["vectors"]:
        assert v["id"] not in ids
        ids.add(v["id"])
        results = {p: v["expected"][p]["result"] for p in PROFILES}
        if v["id"].startswith("y_"):
            assert results == {"strict": "accept", "reference": "accept"}, v["id"]
        elif v["id"].startswith("n_"):
            assert results == {"strict": "reject", "reference": "reject"}, v["id"]
    assert len([i for i in ids if i.startswith("y_")]) >= 100
    assert len([i for i in ids if i.startswith("n_")]) >= 180


# ------------------------------------------------------------------ writer vectors read back

def _write_cases():
    out = []
    for w in U.load_manifest()["writes"]:
        if w["expected"]["result"] != "bytes" or not w["expected"].get("file"):
            continue
        for fw in FRAMEWORKS:
            out.append(pytest.param(w, fw, id="%s-%s" % (w["id"], fw)))
    return out


@pytest.mark.parametrize("case,fw", _write_cases())
def test_writer_vector_reads_back(repo, case, fw):
    mod = _framework(fw)
    path = os.path.join(repo, "conformance", case["expected"]["file"])
    table = U.NUMPY_DTYPES if fw == "np" else U.TORCH_DTYPES
    with safe_open(path, framework=fw) as f:
        names = [t["name"] for t in case["tensors"]]
        assert f.keys() == sorted(names, key=lambda s: s.encode("utf-8"))
        md = case["metadata"]
        assert f.metadata() == md
        for t in case["tensors"]:
            raw = bytes.fromhex(t["data_hex"])
            if t["dtype"] not in table:
                with pytest.raises(SafetensorError) as ei:
                    f.get_tensor(t["name"])
                assert U.message_names_dtype(str(ei.value), t["dtype"]), str(ei.value)
                continue
            x = f.get_tensor(t["name"])
            got = _raw(fw, x)
            assert list(x.shape) == t["shape"]
            if t["dtype"] == "BOOL":
                assert U.bool_bytes_equal(got, raw)
            else:
                assert got == raw
        for t in case["tensors"]:
            assert f.get_slice(t["name"]).get_dtype() == t["dtype"]
            assert f.get_slice(t["name"]).get_shape() == t["shape"]
