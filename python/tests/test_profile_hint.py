# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""A file only the strict profile rejects: the error says how to read it
from Python, and profile="reference" then reads it."""

import struct

import numpy as np
import pytest

from safetensors import SafetensorError, safe_open


def test_strict_only_rejection_names_the_python_keyword(tmp_path):
    header = b' {"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}'
    header += b" " * (-len(header) % 8)
    path = tmp_path / "leading_space.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\x07")
    with pytest.raises(SafetensorError) as e:
        safe_open(path, framework="np")
    message = str(e.value)
    assert message.startswith(
        "Error while deserializing header: InvalidHeaderDeserialization")
    assert "only the strict profile rejects this" in message
    assert 'profile="reference"' in message
    assert "ReadOptions" not in message
    with safe_open(path, framework="np", profile="reference") as f:
        np.testing.assert_array_equal(f.get_tensor("t"), np.array([7], np.uint8))
