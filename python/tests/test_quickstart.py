"""The README quickstarts, verbatim, in a fresh interpreter (cwd = tmp_path)."""

import textwrap

import pytest

import _stutil as U

TORCH_QUICKSTART = textwrap.dedent("""\
    import torch
    from safetensors.torch import save_file, load_file
    tensors = {"weight1": torch.zeros((1024, 1024)), "bias": torch.ones((1024,)), "embedding": torch.randn((500, 768))}
    save_file(tensors, "my_model.safetensors")
    loaded = load_file("my_model.safetensors")
""")

TORCH_CHECKS = textwrap.dedent("""\
    import os
    for k in sorted(loaded):
        print(k, tuple(loaded[k].shape), loaded[k].dtype, torch.equal(loaded[k], tensors[k]))
    print(sorted(loaded) == sorted(tensors))
    print(os.path.getsize("my_model.safetensors"))
    print(sorted(os.listdir(".")))
""")

SAFE_OPEN_QUICKSTART = textwrap.dedent("""\
    import torch
    from safetensors import safe_open
    from safetensors.torch import save_file
    save_file({"weight1": torch.zeros((2, 3)), "bias": torch.ones((3,))}, "model.safetensors")

    tensors = {}
    with safe_open("model.safetensors", framework="pt", device="cpu") as f:
        for key in f.keys():
            tensors[key] = f.get_tensor(key)

    for k, v in tensors.items():
        print(k, v.tolist())
    with safe_open("model.safetensors", framework="pt", device="cpu") as f:
        tensor_slice = f.get_slice("weight1")
        vocab_size, hidden_dim = tensor_slice.get_shape()
        tensor = tensor_slice[:, :hidden_dim - 1]
        print(vocab_size, hidden_dim, list(tensor.shape))
""")

NUMPY_QUICKSTART = textwrap.dedent("""\
    import numpy as np
    from safetensors.numpy import save_file, load_file
    tensors = {"a": np.zeros((2, 2)), "b": np.zeros((2, 3), dtype=np.uint8)}
    save_file(tensors, "model.safetensors")
    loaded = load_file("model.safetensors")
    for k in sorted(loaded):
        print(k, loaded[k].shape, loaded[k].dtype, bool((loaded[k] == tensors[k]).all()))
    from safetensors.numpy import save, load
    byte_data = save(tensors)
    print(type(byte_data).__name__, sorted(load(byte_data)))
""")


def test_torch_quickstart(tmp_path):
    pytest.importorskip("torch")
    r = U.run_python(TORCH_QUICKSTART + TORCH_CHECKS, tmp_path)
    assert r.returncode == 0, r.stderr
    # The reference orders F32 tensors by name: bias, embedding, weight1.
    header = ('{"bias":{"dtype":"F32","shape":[1024],"data_offsets":[0,4096]},'
              '"embedding":{"dtype":"F32","shape":[500,768],"data_offsets":[4096,1540096]},'
              '"weight1":{"dtype":"F32","shape":[1024,1024],"data_offsets":[1540096,5734400]}}')
    n = len(header) + (-len(header)) % 8
    size = 8 + n + 5734400
    assert r.stdout == (
        "bias (1024,) torch.float32 True\n"
        "embedding (500, 768) torch.float32 True\n"
        "weight1 (1024, 1024) torch.float32 True\n"
        "True\n"
        "%d\n"
        "['my_model.safetensors']\n" % size)
    blob = (tmp_path / "my_model.safetensors").read_bytes()
    assert blob[8:8 + n] == (header + " " * (n - len(header))).encode()


def test_safe_open_quickstart(tmp_path):
    pytest.importorskip("torch")
    r = U.run_python(SAFE_OPEN_QUICKSTART, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "bias [1.0, 1.0, 1.0]\n"
        "weight1 [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]\n"
        "2 3 [2, 2]\n")


def test_numpy_quickstart(tmp_path):
    pytest.importorskip("numpy")
    r = U.run_python(NUMPY_QUICKSTART, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "a (2, 2) float64 True\n"
        "b (2, 3) uint8 True\n"
        "bytes ['a', 'b']\n")
