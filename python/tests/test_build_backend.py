# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""python/build_backend.py, the PEP 517 backend of `pip install ./python`:
a missing prerequisite stops the build with one line that names the package
to install, and the metadata pip asks for first matches the package.

The wheel it builds is compared with the Bazel wheel's file list by .ci/run
(building it here would compile the library again)."""

import importlib.util
import os
import sys

import pytest

import _stutil as U

import safetensors


@pytest.fixture
def backend(monkeypatch):
    path = os.path.join(U.repo_root(), "python", "build_backend.py")
    spec = importlib.util.spec_from_file_location("st_build_backend", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _one_line_failure(capsys, call):
    with pytest.raises(SystemExit) as e:
        call()
    assert e.value.code == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("safetensors build: "), err
    return lines[0]


def test_missing_python_headers_names_the_package(backend, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(backend.sysconfig, "get_paths", lambda: {"include": str(tmp_path)})
    line = _one_line_failure(capsys, lambda: backend._check_prerequisites("/usr/bin/cmake"))
    assert "no Python.h in {}".format(tmp_path) in line
    assert "python3-dev" in line


def test_missing_pybind11_names_the_package(backend, monkeypatch, tmp_path, capsys):
    (tmp_path / "Python.h").write_text("")
    monkeypatch.setattr(backend.sysconfig, "get_paths", lambda: {"include": str(tmp_path)})
    monkeypatch.setattr(backend, "_pybind11_dirs", lambda: [str(tmp_path)])
    line = _one_line_failure(capsys, lambda: backend._check_prerequisites("/usr/bin/cmake"))
    assert "pybind11-dev" in line


def test_missing_cmake_names_the_package(backend, monkeypatch, tmp_path, capsys):
    (tmp_path / "Python.h").write_text("")
    monkeypatch.setattr(backend.sysconfig, "get_paths", lambda: {"include": str(tmp_path)})
    line = _one_line_failure(capsys, lambda: backend._check_prerequisites(None))
    assert "cmake is not on PATH" in line and "(Debian: cmake)" in line


def test_metadata_is_the_package_s(backend, tmp_path):
    dist = backend.prepare_metadata_for_build_wheel(str(tmp_path))
    assert dist == "safetensors-{}.dist-info".format(safetensors.__version__)
    fields = {}
    for line in (tmp_path / dist / "METADATA").read_text().splitlines():
        if not line:
            break  # the description follows
        key, _, value = line.partition(": ")
        fields.setdefault(key, value)
    assert fields["Name"] == "safetensors"
    assert fields["Version"] == safetensors.__version__
    assert fields["Requires-Python"] == "=={}.{}.*".format(*sys.version_info[:2])
    tag = "cp{}{}".format(*sys.version_info[:2])
    wheel = (tmp_path / dist / "WHEEL").read_text()
    assert "Tag: {0}-{0}-".format(tag) in wheel
    assert backend.get_requires_for_build_wheel() == []
