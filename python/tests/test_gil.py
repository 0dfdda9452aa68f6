# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Parsing, writing and copying release the GIL: another Python thread keeps
running while one thread is inside a long call of the package."""

import threading
import time

import numpy as np

import safetensors.numpy as stnp
from safetensors import safe_open


def _progress_during(call):
    """How many times the main thread ran a Python loop while `call` ran in
    another thread. With the GIL held for the whole call, about zero."""
    started = threading.Event()
    done = threading.Event()

    def worker():
        started.set()
        call()
        done.set()

    t = threading.Thread(target=worker)
    t.start()
    started.wait()
    count = 0
    while not done.is_set():
        count += 1
        time.sleep(0)
    t.join()
    return count


def test_save_file_and_get_tensor_release_the_gil(tmp_path):
    big = np.ones((64, 1024, 1024), dtype=np.float32)  # 256 MiB
    path = tmp_path / "big.safetensors"
    assert _progress_during(lambda: stnp.save_file({"x": big}, path)) > 100
    # A copying read (backend="pread"; an mmap read is a view, no copy).
    with safe_open(path, framework="np", backend="pread") as f:
        result = {}
        assert _progress_during(lambda: result.update(x=f.get_tensor("x"))) > 100
        assert result["x"].shape == big.shape and result["x"][63, 1023, 1023] == 1
