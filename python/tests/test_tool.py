"""Cross-reading with the C++ tool ($SAFETENSORS_TOOL): package files validated and
dumped by the tool, tool-written files (extract, shard, merge) read by the package."""

import json
import os
import pathlib
import subprocess

import pytest

np = pytest.importorskip("numpy")

import safetensors  # noqa: E402
import safetensors.numpy as snp  # noqa: E402
from safetensors import safe_open  # noqa: E402

import _stutil as U  # noqa: E402


def run_tool(tool, *args, cwd=None):
    return subprocess.run([tool] + [str(a) for a in args], capture_output=True, timeout=60,
                          cwd=cwd)


def np_tensors():
    rng = np.random.default_rng(7)
    return {
        "embed.weight": rng.standard_normal((16, 8)).astype(np.float32),
        "layers.0.bias": rng.standard_normal(8).astype(np.float16),
        "layers.0.mask": rng.integers(0, 2, (3, 3)).astype(np.bool_),
        "layers.1.idx": rng.integers(-1000, 1000, (5,)).astype(np.int64),
        "layers.1.u16": rng.integers(0, 60000, (4,)).astype(np.uint16),
        "scalar": np.array(3.5, np.float64),
        "empty": np.zeros((0, 4), np.int8),
        "c": (rng.standard_normal(3) + 1j).astype(np.complex64),
        "日本": np.arange(3, dtype=np.uint32),
    }


METADATA = {"format": "np", "author": "tests", "é": "ü\n\t\"q\""}


def expected_dump_lines(tensors, st_dtypes):
    """tensor dump fields (without offsets) computed from the source arrays."""
    out = {}
    for k, v in tensors.items():
        out[k] = (st_dtypes[k], list(v.shape), U.fnv1a64(U.np_raw(v)))
    return out


NP_TO_ST = {np.dtype(v): k for k, v in U.NUMPY_DTYPES.items()}


def check_tool_reads(tool, path, tensors_fields, metadata):
    r = run_tool(tool, "validate", path)
    assert r.returncode == 0, r
    assert r.stdout.decode() == "%s\tok\n" % path
    r = run_tool(tool, "dump", path)
    assert r.returncode == 0, r
    text = r.stdout.decode("utf-8")
    blob = pathlib.Path(path).read_bytes()
    assert text == U.canonical_dump(blob)
    d = U.parse_dump(text)
    assert d["ntensors"] == len(tensors_fields)
    if metadata is None:
        assert d["metadata"] is None
    else:
        assert d["meta"] == metadata
    got = {t["name"]: (t["dtype"], t["shape"], t["fnv"]) for t in d["tensors"]}
    assert got == tensors_fields
    r = run_tool(tool, "dump", "--profile=reference", path)
    assert r.returncode == 0 and r.stdout.decode("utf-8") == text


def test_numpy_file_validated_and_dumped_by_tool(tmp_path, tool):
    t = np_tensors()
    p = str(tmp_path / "np.safetensors")
    snp.save_file(t, p, metadata=METADATA)
    check_tool_reads(tool, p, expected_dump_lines(t, {k: NP_TO_ST[v.dtype] for k, v in t.items()}),
                     METADATA)


def test_numpy_file_without_metadata(tmp_path, tool):
    t = {"a": np.arange(4, dtype=np.float32)}
    p = str(tmp_path / "a.safetensors")
    snp.save_file(t, p)
    check_tool_reads(tool, p, expected_dump_lines(t, {"a": "F32"}), None)


def test_torch_file_validated_and_dumped_by_tool(tmp_path, tool):
    torch = pytest.importorskip("torch")
    import safetensors.torch as stt
    t = {"w": torch.randn(4, 5), "b16": torch.randn(7).to(torch.bfloat16),
         "i": torch.arange(6, dtype=torch.int32).reshape(2, 3), "flag": torch.tensor(True),
         "h": torch.randn(2, 2).half(), "z": torch.zeros(0, 3)}
    dts = {"w": "F32", "b16": "BF16", "i": "I32", "flag": "BOOL", "h": "F16", "z": "F32"}
    p = str(tmp_path / "pt.safetensors")
    stt.save_file(t, p, metadata={"format": "pt"})
    fields = {k: (dts[k], list(v.shape), U.fnv1a64(U.torch_raw(v))) for k, v in t.items()}
    check_tool_reads(tool, p, fields, {"format": "pt"})
    # torch.save_model output too
    m = torch.nn.Linear(3, 2)
    p2 = str(tmp_path / "model.safetensors")
    stt.save_model(m, p2)
    r = run_tool(tool, "validate", p2)
    assert r.returncode == 0 and r.stdout.decode() == "%s\tok\n" % p2


def test_serialize_every_dtype_validated_by_tool(tmp_path, tool):
    d = {}
    for i, dt in enumerate(U.DTYPE_RANK):
        n = 8
        nbytes = n * U.DTYPE_BITS[dt] // 8
        d["t_" + dt] = {"dtype": dt, "shape": [2, 4], "data": bytes((i + j) % 256 for j in range(nbytes))}
    p = str(tmp_path / "all.safetensors")
    safetensors.serialize_file(d, p, metadata={"k": "v"})
    fields = {k: (v["dtype"], v["shape"], U.fnv1a64(v["data"])) for k, v in d.items()}
    check_tool_reads(tool, p, fields, {"k": "v"})


def test_tool_extract_identity_is_byte_identical(tmp_path, tool):
    t = np_tensors()
    src = tmp_path / "src.safetensors"
    snp.save_file(t, str(src), metadata=METADATA)
    out = tmp_path / "out.safetensors"
    r = run_tool(tool, "extract", src, out)
    assert r.returncode == 0, r
    assert out.read_bytes() == src.read_bytes()


def test_tool_extract_subset_read_by_package(tmp_path, tool):
    t = np_tensors()
    src = tmp_path / "src.safetensors"
    snp.save_file(t, str(src), metadata=METADATA)
    out = tmp_path / "sub.safetensors"
    r = run_tool(tool, "extract", "--select=layers\\..*", "--metadata=stage=extracted", src, out)
    assert r.returncode == 0, r
    sub = {k: v for k, v in t.items() if k.startswith("layers.")}
    md = dict(METADATA, stage="extracted")
    # the tool writes as the reference writer does, so the package's bytes are the same
    assert out.read_bytes() == snp.save(sub, metadata=md)
    with safe_open(str(out), framework="np") as f:
        assert f.keys() == sorted(sub)
        assert f.metadata() == md
        for k, v in sub.items():
            x = f.get_tensor(k)
            assert x.dtype == v.dtype and np.array_equal(x, v)
    back = snp.load_file(str(out))
    assert sorted(back) == sorted(sub)


def test_tool_extract_drop_metadata(tmp_path, tool):
    t = {"a": np.ones(2, np.float32), "b": np.zeros(3, np.uint8)}
    src = tmp_path / "src.safetensors"
    snp.save_file(t, str(src), metadata={"x": "y"})
    out = tmp_path / "o.safetensors"
    r = run_tool(tool, "extract", "--drop-metadata", "--select=b", src, out)
    assert r.returncode == 0, r
    with safe_open(str(out), framework="np") as f:
        assert f.metadata() is None and f.keys() == ["b"]
        assert f.get_tensor("b").tolist() == [0, 0, 0]


def test_tool_shard_and_merge_read_by_package(tmp_path, tool):
    t = np_tensors()
    src = tmp_path / "src.safetensors"
    snp.save_file(t, str(src), metadata=METADATA)
    outdir = tmp_path / "shards"
    r = run_tool(tool, "shard", "--max-size=200", src, outdir)
    assert r.returncode == 0, r
    index = json.loads((outdir / "model.safetensors.index.json").read_text(encoding="utf-8"))
    assert sorted(index["weight_map"]) == sorted(t)
    assert index["metadata"]["total_size"] == sum(v.nbytes for v in t.values())
    shards = sorted(set(index["weight_map"].values()))
    assert len(shards) > 1
    seen = {}
    for s in shards:
        path = str(outdir / s)
        with safe_open(path, framework="np") as f:
            assert f.metadata() == METADATA
            names = f.keys()
            assert names == sorted(k for k, v in index["weight_map"].items() if v == s)
            for k in names:
                seen[k] = f.get_tensor(k)
        assert pathlib.Path(path).read_bytes() == snp.save({k: t[k] for k in names}, metadata=METADATA)
    assert sorted(seen) == sorted(t)
    for k, v in t.items():
        assert seen[k].dtype == v.dtype and U.np_raw(seen[k]) == U.np_raw(v), k
    merged = tmp_path / "merged.safetensors"
    r = run_tool(tool, "merge", outdir / "model.safetensors.index.json", merged)
    assert r.returncode == 0, r
    assert merged.read_bytes() == src.read_bytes()
    back = snp.load_file(str(merged))
    assert sorted(back) == sorted(t)


def test_tool_shard_read_by_torch(tmp_path, tool):
    torch = pytest.importorskip("torch")
    import safetensors.torch as stt
    t = {"a": torch.randn(10, 10), "b": torch.randn(10, 10), "c": torch.arange(5)}
    src = tmp_path / "src.safetensors"
    stt.save_file(t, str(src))
    outdir = tmp_path / "shards"
    r = run_tool(tool, "shard", "--max-size=400", src, outdir)
    assert r.returncode == 0, r
    index = json.loads((outdir / "model.safetensors.index.json").read_text())
    got = {}
    for s in sorted(set(index["weight_map"].values())):
        got.update(stt.load_file(str(outdir / s)))
    assert sorted(got) == ["a", "b", "c"]
    for k in t:
        assert torch.equal(got[k], t[k])


def test_tool_rejects_what_package_rejects(tmp_path, tool):
    p = tmp_path / "bad.safetensors"
    p.write_bytes(U.build_file({"t": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}, b"\x00\x00"))
    r = run_tool(tool, "dump", p)
    assert r.returncode == 1 and r.stdout.decode() == "reject\tInvalidOffset\n"
    with pytest.raises(safetensors.SafetensorError) as ei:
        safe_open(str(p), framework="np")
    assert str(ei.value).startswith("Error while deserializing header: InvalidOffset")
