"""Fixtures for the safetensors (safetensors-cpp) Python test suite.

Environment:
  SAFETENSORS_REPO  repository root (default /work/main)
  SAFETENSORS_TOOL  the C++ `safetensors` command-line tool
                    (default /work/main/bazel-bin/tools/safetensors)
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pytest  # noqa: E402

import _stutil  # noqa: E402


@pytest.fixture(scope="session")
def repo():
    path = _stutil.repo_root()
    assert os.path.isdir(os.path.join(path, "conformance")), (
        "SAFETENSORS_REPO=%r has no conformance/ directory" % path)
    return path


@pytest.fixture(scope="session")
def tool():
    path = _stutil.tool_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.skip("SAFETENSORS_TOOL %r is not an executable file" % path)
    return path


@pytest.fixture(scope="session")
def manifest(repo):
    return _stutil.load_manifest()


@pytest.fixture(scope="session")
def st():
    import safetensors
    return safetensors
