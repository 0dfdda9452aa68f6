"""Errors: OS errors, format errors (kinds and messages), non-safetensors files."""

import os
import pickle
import struct

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
import safetensors.numpy  # noqa: E402
from safetensors import SafetensorError, safe_open  # noqa: E402

import _stutil as U  # noqa: E402

PREFIX = "Error while deserializing header: "


def assert_kind(msg, kind, prefix=PREFIX):
    """msg starts with prefix+kind, and kind is the whole word there."""
    assert msg.startswith(prefix + kind), "expected %r, got %r" % (prefix + kind, msg)
    rest = msg[len(prefix) + len(kind):]
    assert not rest[:1].isalnum(), "kind %r followed by %r in %r" % (kind, rest[:10], msg)


def U8(begin, end, shape=None):
    return {"dtype": "U8", "shape": [end - begin] if shape is None else shape,
            "data_offsets": [begin, end]}


BAD_FILES = [
    ("HeaderTooSmall", b"", "empty"),
    ("HeaderTooSmall", b"\x01\x02\x03\x04\x05\x06\x07", "seven_bytes"),
    ("HeaderTooLarge", struct.pack("<Q", 100_000_001) + b"{}", "n_over_limit"),
    ("HeaderTooLarge", struct.pack("<Q", 2 ** 64 - 1) + b"{}", "n_u64_max"),
    ("HeaderTooLarge", struct.pack("<Q", 2 ** 32) + b"{}", "n_2_32"),
    ("InvalidHeaderLength", struct.pack("<Q", 100) + b"{}", "n_past_end"),
    ("InvalidHeaderLength", struct.pack("<Q", 100_000_000) + b"{}", "n_at_limit_past_end"),
    ("InvalidHeader", U.build_file(None, raw_header=b'{"\xff":{}}'), "not_utf8"),
    ("InvalidHeader", U.build_file(None, raw_header=b'{]\xc0\xaf'), "utf8_before_json"),
    ("InvalidHeaderDeserialization", U.build_file(None, raw_header=b"{]"), "bad_json"),
    ("InvalidHeaderDeserialization", U.build_file(None, raw_header=b"[]"), "not_object"),
    ("InvalidHeaderDeserialization", struct.pack("<Q", 0), "n_zero"),
    ("InvalidHeaderDeserialization",
     U.build_file({"t": {"dtype": "F128", "shape": [1], "data_offsets": [0, 16]}}, b"\x00" * 16),
     "bad_dtype"),
    ("InvalidHeaderDeserialization",
     U.build_file(None, raw_header=b'{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}\x00\x00',
                  data=b"\x00"), "nul_padding"),
    ("InvalidHeaderDeserialization",
     U.build_file({"t": {"dtype": "U8", "shape": [-1], "data_offsets": [0, 1]}}, b"\x00"),
     "negative_dim"),
    ("InvalidOffset", U.build_file({"t": U8(1, 2)}, b"\x00\x00"), "not_at_zero"),
    ("InvalidOffset", U.build_file({"a": U8(0, 1), "b": U8(2, 3)}, b"\x00" * 3), "hole"),
    ("InvalidOffset", U.build_file({"a": U8(0, 2), "b": U8(1, 3)}, b"\x00" * 3), "overlap"),
    ("TensorInvalidInfo",
     U.build_file({"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}, b"\x00" * 4),
     "size_mismatch"),
    ("TensorInvalidInfo",
     U.build_file({"t": {"dtype": "F32", "shape": [], "data_offsets": [0, 0]}}), "scalar_empty"),
    ("ValidationOverflow",
     U.build_file({"t": {"dtype": "U8", "shape": [2 ** 32, 2 ** 32], "data_offsets": [0, 0]}}),
     "shape_overflow"),
    ("MisalignedSlice",
     U.build_file({"t": {"dtype": "F4", "shape": [3], "data_offsets": [0, 2]}}, b"\x00\x00"),
     "f4_odd"),
    ("MetadataIncompleteBuffer", U.build_file({"t": U8(0, 4)}, b"\x00\x00"), "truncated"),
    ("MetadataIncompleteBuffer", U.build_file({"t": U8(0, 1)}, b"\x00" * 5), "trailing"),
    ("MetadataIncompleteBuffer", U.build_file({}, b"\x00"), "trailing_no_tensors"),
]
BAD_IDS = [b[2] for b in BAD_FILES]


def _readers():
    out = [("safe_open_np", lambda p: safe_open(p, framework="np")),
           ("safe_open_np_reference", lambda p: safe_open(p, framework="np", profile="reference")),
           ("numpy_load_file", lambda p: safetensors.numpy.load_file(p))]
    try:
        import torch  # noqa: F401
        import safetensors.torch as stt
        out += [("safe_open_pt", lambda p: safe_open(p, framework="pt")),
                ("torch_load_file", lambda p: stt.load_file(p))]
    except ImportError:
        pass
    return out


READERS = _readers()


@pytest.mark.parametrize("reader", [r[1] for r in READERS], ids=[r[0] for r in READERS])
@pytest.mark.parametrize("kind,blob,name", BAD_FILES, ids=BAD_IDS)
def test_format_error_from_file(tmp_path, reader, kind, blob, name):
    p = tmp_path / "bad.safetensors"
    p.write_bytes(blob)
    with pytest.raises(SafetensorError) as ei:
        reader(str(p))
    assert_kind(str(ei.value), kind)


@pytest.mark.parametrize("kind,blob,name", BAD_FILES, ids=BAD_IDS)
def test_format_error_from_deserialize(kind, blob, name):
    with pytest.raises(SafetensorError) as ei:
        safetensors.deserialize(blob)
    assert str(ei.value).startswith("Error while deserializing:"), str(ei.value)


@pytest.mark.parametrize("kind,blob,name", BAD_FILES, ids=BAD_IDS)
def test_format_error_from_load_bytes(kind, blob, name):
    loaders = [safetensors.numpy.load]
    try:
        import safetensors.torch as stt
        loaders.append(stt.load)
    except ImportError:
        pass
    for load in loaders:
        with pytest.raises(SafetensorError) as ei:
            load(blob)
        # HF's load() goes through deserialize() ("Error while deserializing: ..."); the
        # safe_open form ("Error while deserializing header: Kind") is accepted too.
        msg = str(ei.value)
        assert msg.startswith("Error while deserializing:") or msg.startswith(PREFIX + kind), msg


def test_format_error_message_has_detail(tmp_path):
    p = tmp_path / "bad.safetensors"
    p.write_bytes(U.build_file({"alpha": U8(0, 1), "beta": U8(2, 3)}, b"\x00" * 3))
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="np")
    msg = str(ei.value)
    assert_kind(msg, "InvalidOffset")
    assert len(msg) > len(PREFIX + "InvalidOffset") + 5
    assert "beta" in msg, msg


# ------------------------------------------------------------------ not safetensors at all

def _is_described(msg):
    low = msg.lower()
    return "zip" in low or "pickle" in low or "pytorch" in low


def test_torch_save_zip_renamed(tmp_path):
    torch = pytest.importorskip("torch")
    p = tmp_path / "model.safetensors"
    torch.save({"w": torch.zeros(3)}, str(p))
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="pt")
    assert _is_described(str(ei.value)), str(ei.value)
    import safetensors.torch as stt
    with pytest.raises(SafetensorError) as ei:
        stt.load_file(str(p))
    assert _is_described(str(ei.value)), str(ei.value)


def test_torch_save_legacy_pickle_renamed(tmp_path):
    torch = pytest.importorskip("torch")
    p = tmp_path / "pytorch_model.safetensors"
    torch.save({"w": torch.zeros(3)}, str(p), _use_new_zipfile_serialization=False)
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="np")
    assert _is_described(str(ei.value)), str(ei.value)


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_plain_pickle_renamed(tmp_path, protocol):
    p = tmp_path / "x.safetensors"
    p.write_bytes(pickle.dumps({"w": list(range(100))}, protocol=protocol))
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="np")
    assert _is_described(str(ei.value)), str(ei.value)


def test_zip_renamed(tmp_path):
    import zipfile
    p = tmp_path / "x.safetensors"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("archive/data.pkl", b"x" * 100)
    with pytest.raises(SafetensorError) as ei:
        safe_open(str(p), framework="np")
    assert _is_described(str(ei.value)), str(ei.value)


# ------------------------------------------------------------------ OS errors

def _all_openers():
    out = [("safe_open", lambda p: safe_open(p, framework="np")),
           ("numpy_load_file", safetensors.numpy.load_file)]
    try:
        import safetensors.torch as stt
        out.append(("torch_load_file", stt.load_file))
    except ImportError:
        pass
    return out


OPENERS = _all_openers()


@pytest.mark.parametrize("opener", [o[1] for o in OPENERS], ids=[o[0] for o in OPENERS])
def test_missing_file(tmp_path, opener):
    p = tmp_path / "does_not_exist.safetensors"
    with pytest.raises(FileNotFoundError):
        opener(str(p))
    with pytest.raises(FileNotFoundError):
        opener(p)


@pytest.mark.parametrize("opener", [o[1] for o in OPENERS], ids=[o[0] for o in OPENERS])
def test_directory(tmp_path, opener):
    d = tmp_path / "dir.safetensors"
    d.mkdir()
    with pytest.raises(IsADirectoryError) as ei:
        opener(str(d))
    assert isinstance(ei.value, OSError)


@pytest.mark.parametrize("opener", [o[1] for o in OPENERS], ids=[o[0] for o in OPENERS])
def test_permission_denied(tmp_path, opener):
    if os.geteuid() == 0:
        pytest.skip("running as root: permissions are not enforced")
    p = tmp_path / "secret.safetensors"
    p.write_bytes(safetensors.serialize({}))
    os.chmod(p, 0)
    try:
        with pytest.raises(PermissionError):
            opener(str(p))
    finally:
        os.chmod(p, 0o600)


def test_save_into_missing_directory(tmp_path):
    p = tmp_path / "no" / "such" / "dir" / "x.safetensors"
    with pytest.raises(FileNotFoundError):
        safetensors.numpy.save_file({"a": np.zeros(1)}, str(p))
    with pytest.raises(FileNotFoundError):
        safetensors.serialize_file({}, str(p))
    assert os.listdir(tmp_path) == []


def test_save_onto_directory(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(OSError):
        safetensors.numpy.save_file({"a": np.zeros(1)}, str(d))
    assert d.is_dir() and os.listdir(d) == []
    assert os.listdir(tmp_path) == ["d"]


# ------------------------------------------------------------------ atomic writes

def test_atomic_failed_overwrite_numpy_and_raw(tmp_path):
    p = tmp_path / "model.safetensors"
    safetensors.numpy.save_file({"old": np.arange(3, dtype=np.int8)}, str(p))
    before = p.read_bytes()
    with pytest.raises(SafetensorError):
        safetensors.serialize_file({"t": {"dtype": "F32", "shape": [3], "data": b"\x00"}}, str(p))
    with pytest.raises(SafetensorError):
        safetensors.serialize_file({"t": {"dtype": "X9", "shape": [1], "data": b"\x00"}}, str(p))
    with pytest.raises((TypeError, ValueError)):
        safetensors.numpy.save_file([1, 2], str(p))
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.safetensors"]
