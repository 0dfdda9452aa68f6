# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Parsing, writing and copying release the GIL: another Python thread keeps
running while one thread is inside a long call of the package."""

import numpy as np

import safetensors.numpy as stnp
from safetensors import safe_open

import _stutil as U


# A call that holds the GIL lets the other thread loop about twice; one that
# releases it, thousands of times on a quiet machine (2,900 here) but only
# 88-97 with two busy neighbours on two cores. 10 tells the two apart.
_RELEASED = 10


def test_save_file_and_get_tensor_release_the_gil(tmp_path):
    big = np.ones((64, 1024, 1024), dtype=np.float32)  # 256 MiB
    path = tmp_path / "big.safetensors"
    assert U.progress_during(lambda: stnp.save_file({"x": big}, path)) > _RELEASED
    # A copying read (backend="pread"; an mmap read is a view, no copy).
    with safe_open(path, framework="np", backend="pread") as f:
        result = {}
        assert U.progress_during(lambda: result.update(x=f.get_tensor("x"))) > _RELEASED
        assert result["x"].shape == big.shape and result["x"][63, 1023, 1023] == 1
