# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""The PEP 517 build backend of the Python package (python/pyproject.toml).

`pip install --no-build-isolation ./python` and `pip wheel ./python` call
build_wheel here, which needs nothing but the standard library, CMake and a
C++ compiler: it configures the repository's CMake build with
SAFETENSORS_BUILD_PYTHON=ON for the interpreter running it, builds the
extension, and writes the same wheel as the Bazel rule //python:wheel
(python/build_wheel.py's write_wheel, the same files and metadata), tagged
for that interpreter. The CMake build tree is build/python-<tag>/ under the
repository's root, kept so that a second build only recompiles what
changed. docs/building.md, "The Python package".

Environment: CMAKE (the cmake to run), CMAKE_BUILD_PARALLEL_LEVEL (jobs;
default the number of CPUs).
"""

import os
import shutil
import subprocess
import sys
import sysconfig

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)
sys.path.insert(0, _HERE)

import build_wheel as _wheel  # noqa: E402

_MODULES = ["__init__.py", "numpy.py", "torch.py"]


def _fail(message):
    """Stops the build with one line that says what to install."""
    sys.stderr.write("safetensors build: %s\n" % message)
    raise SystemExit(1)


def _tags():
    version = "%d.%d" % sys.version_info[:2]
    python_tag = "cp%d%d" % sys.version_info[:2]
    platform_tag = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return version, python_tag, platform_tag


def _check_prerequisites(cmake):
    if sys.implementation.name != "cpython":
        _fail("the extension is built for CPython only, not %s"
              % sys.implementation.name)
    include = sysconfig.get_paths()["include"]
    if not os.path.isfile(os.path.join(include, "Python.h")):
        _fail("no Python.h in %s: install the headers of %s (Debian: "
              "python3-dev for /usr/bin/python3)" % (include, sys.executable))
    if cmake is None:
        _fail("cmake is not on PATH: install CMake 3.16 or later (Debian: "
              "cmake), or set CMAKE")
    if not any(os.path.isfile(os.path.join(d, "pybind11Config.cmake"))
               for d in _pybind11_dirs()):
        _fail("pybind11's CMake package was not found: install pybind11 "
              "(Debian: pybind11-dev), or set pybind11_DIR")


def _pybind11_dirs():
    dirs = [os.environ.get("pybind11_DIR", "")]
    for prefix in ["/usr", "/usr/local", sys.prefix]:
        dirs += [os.path.join(prefix, "lib", "cmake", "pybind11"),
                 os.path.join(prefix, "share", "cmake", "pybind11")]
    return [d for d in dirs if d]


def _configured_for(build_dir):
    """The interpreter an existing build tree was configured for, or None."""
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                if line.startswith("PYTHON_EXECUTABLE:"):
                    return line.split("=", 1)[1].strip()
    except OSError:
        pass
    return None


def _build_extension(build_dir, cmake):
    # Another interpreter of the same version (Debian's and pyenv's 3.11)
    # shares the tag and so the directory; pybind11 caches what it found for
    # the first, so its tree is started again.
    # (A virtualenv's python is the same interpreter as the one it links to.)
    previous = _configured_for(build_dir)
    if previous is not None and (os.path.realpath(previous) !=
                                 os.path.realpath(sys.executable)):
        shutil.rmtree(build_dir)
    configure = [
        cmake, "-S", _ROOT, "-B", build_dir,
        "-DCMAKE_BUILD_TYPE=Release",
        "-DSAFETENSORS_BUILD_PYTHON=ON",
        "-DSAFETENSORS_BUILD_TESTS=OFF",
        "-DSAFETENSORS_BUILD_TOOL=OFF",
        "-DSAFETENSORS_INSTALL=OFF",
        "-DPYTHON_EXECUTABLE=" + sys.executable,
    ]
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(
        os.cpu_count() or 1)
    build = [cmake, "--build", build_dir, "--target", "safetensors_python",
             "-j", jobs]
    for command in (configure, build):
        # The build's own output goes to stderr: pip shows it with -v, and
        # on failure.
        result = subprocess.run(command, stdout=sys.stderr)
        if result.returncode != 0:
            _fail("`%s` failed (exit %d); its output is above"
                  % (" ".join(command), result.returncode))
    found = [f for f in os.listdir(build_dir)
             if f.startswith("_core.") and f.endswith(".so")]
    if len(found) != 1:
        _fail("expected one _core extension in %s, found %s"
              % (build_dir, found))
    return os.path.join(build_dir, found[0])


def _versions():
    version = _wheel.header_version(
        os.path.join(_ROOT, "safetensors", "version.h"))
    api_version = _wheel._api_version(
        [os.path.join(_HERE, "safetensors", "__init__.py")])
    return version, api_version


def _readme():
    with open(os.path.join(_HERE, "README.md")) as f:
        return f.read()


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory,
                                     config_settings=None):
    """The .dist-info without building (pip asks for it first)."""
    version, api_version = _versions()
    python_version, python_tag, platform_tag = _tags()
    dist, files = _wheel.dist_info(version, api_version, python_tag,
                                   python_version, platform_tag, _readme())
    os.makedirs(os.path.join(metadata_directory, dist), exist_ok=True)
    for name, data in files:
        with open(os.path.join(metadata_directory, dist, name), "wb") as f:
            f.write(data)
    return dist


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    cmake = os.environ.get("CMAKE") or shutil.which("cmake")
    _check_prerequisites(cmake)
    python_version, python_tag, platform_tag = _tags()
    version, api_version = _versions()
    build_dir = os.path.join(_ROOT, "build", "python-" + python_tag)
    extension = _build_extension(build_dir, cmake)
    files = [os.path.join(_HERE, "safetensors", m) for m in _MODULES]
    files.append(extension)
    name = "safetensors-%s+cpp.%s-%s-%s-%s.whl" % (
        api_version, version, python_tag, python_tag, platform_tag)
    os.makedirs(wheel_directory, exist_ok=True)
    _wheel.write_wheel(os.path.join(wheel_directory, name), files, version,
                       api_version, python_tag, python_version, platform_tag,
                       _readme())
    return name
