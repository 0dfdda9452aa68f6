"""Memory: opening a 1 GiB (sparse) file and reading one small tensor stays small."""

import json
import struct
import textwrap

import pytest

import _stutil as U

GIB = 1 << 30
BIG = 1 << 28  # 256 MiB per F32 tensor


def make_sparse_file(path):
    """A valid file: 'small' F32[4] (values 1..4) then 4 x 256 MiB F32 tensors of zeros."""
    hdr = {"small": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}
    off = 16
    for i in range(4):
        hdr["big%d" % i] = {"dtype": "F32", "shape": [BIG // 4], "data_offsets": [off, off + BIG]}
        off += BIG
    text = json.dumps(hdr, separators=(",", ":")).encode()
    text += b" " * ((-len(text)) % 8)
    head = struct.pack("<Q", len(text)) + text
    with open(path, "wb") as f:
        f.write(head)
        f.write(struct.pack("<4f", 1, 2, 3, 4))
        f.truncate(len(head) + off)
    return len(head) + off


SCRIPT = textwrap.dedent(r"""
    import sys
    FW = sys.argv[1]
    PATH = sys.argv[2]
    import numpy
    if FW == "pt":
        import torch
    import safetensors
    from safetensors import safe_open

    def status(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak RSS
    except OSError:
        pass
    before = status("VmRSS")
    with safe_open(PATH, framework=FW) as f:
        keys = f.keys()
        small = f.get_tensor("small")
        head = f.get_slice("big3")[:4]
        shape = f.get_slice("big2").get_shape()
    after = status("VmRSS")
    peak = status("VmHWM")
    print(keys)
    print([float(x) for x in small])
    print([float(x) for x in head])
    print(shape)
    print(after - before, peak - before)
""")


@pytest.mark.parametrize("framework", ["np", "pt"])
def test_one_small_tensor_of_a_1gib_file(tmp_path, framework):
    pytest.importorskip("numpy")
    if framework == "pt":
        pytest.importorskip("torch")
    path = tmp_path / "big.safetensors"
    size = make_sparse_file(path)
    assert size > GIB
    r = U.run_python(SCRIPT, tmp_path, args=(framework, path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().split("\n")
    assert lines[0] == str(["big0", "big1", "big2", "big3", "small"])
    assert lines[1] == "[1.0, 2.0, 3.0, 4.0]"
    assert lines[2] == "[0.0, 0.0, 0.0, 0.0]"
    assert lines[3] == str([BIG // 4])
    grew, peak = (int(x) for x in lines[4].split())
    limit = 64 << 20
    assert grew < limit, "RSS grew by %d bytes" % grew
    assert peak < limit, "peak RSS grew by %d bytes" % peak
