# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Writes the wheel of the Python package (PEP 427), for //python:wheel.

The package's files go under safetensors/, the metadata under
safetensors-API_VERSION+cpp.VERSION.dist-info/ with a RECORD of sha256
digests: the distribution is `safetensors`, as the Hugging Face library's, so
that `importlib.metadata.version("safetensors")` and requirements such as
`safetensors>=0.8` see it; the local label says which implementation it is
(python/README.md, "Distribution"). VERSION comes from safetensors/version.h
and must equal --version; API_VERSION must equal the package's
__api_version__.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

# Fixed timestamps: the same inputs give the same wheel, byte for byte.
_DATE = (2026, 1, 1, 0, 0, 0)


def header_version(path):
    with open(path) as f:
        text = f.read()
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"#define SAFETENSORS_VERSION_%s (\d+)" % part, text)
        if not m:
            sys.exit("build_wheel: no SAFETENSORS_VERSION_%s in %s" % (part, path))
        parts.append(m.group(1))
    return ".".join(parts)


def _digest(data):
    return "sha256=" + base64.urlsafe_b64encode(
        hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _api_version(files):
    """__api_version__ of the package's __init__.py among `files`."""
    init = [f for f in files if os.path.basename(f) == "__init__.py"]
    if not init:
        return None
    with open(init[0]) as f:
        m = re.search(r'^__api_version__ = "([^"]+)"$', f.read(), re.M)
    return m.group(1) if m else None


# What a wheel's extension may need from the system (the manylinux policy's
# list of the C runtime); everything else it needs goes in the wheel.
ALLOWED = {
    "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
    "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2",
}
# The carried libraries' folder, beside the package (as auditwheel names it).
LIBS = "safetensors.libs"


def needed(path):
    """The DT_NEEDED entries of the ELF file `path` (readelf -d)."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True,
                         text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _patchelf(*args):
    try:
        subprocess.run(["patchelf"] + list(args), check=True)
    except FileNotFoundError:
        sys.exit("build_wheel: patchelf is not installed (Debian: patchelf); "
                 "it sets the run paths of the libraries the wheel carries")


def carry_libraries(extension, workdir):
    """Copies `extension` into `workdir` with every shared library it needs
    beyond ALLOWED (Debian's libabsl_*), as the dynamic linker finds them,
    and sets run paths so that the copies are found in the wheel: the
    extension's $ORIGIN/../safetensors.libs, each library's $ORIGIN.
    Returns [(name in the wheel, path)]. Fails when a file would still need
    anything outside the wheel and ALLOWED."""
    out = subprocess.run(["ldd", extension], capture_output=True, text=True,
                         check=True).stdout
    carried = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (/\S+) \(", line)
        if m and m.group(1) not in ALLOWED:
            carried[m.group(1)] = os.path.realpath(m.group(2))
    files = []
    ext_copy = os.path.join(workdir, "_core.so")
    shutil.copyfile(extension, ext_copy)
    if carried:
        _patchelf("--set-rpath", "$ORIGIN/../" + LIBS, ext_copy)
    files.append(("safetensors/_core.so", ext_copy))
    for soname in sorted(carried):
        copy = os.path.join(workdir, soname)
        shutil.copyfile(carried[soname], copy)
        _patchelf("--set-rpath", "$ORIGIN", copy)
        files.append((LIBS + "/" + soname, copy))
    for name, path in files:
        missing = [n for n in needed(path)
                   if n not in ALLOWED and n not in carried]
        if missing:
            sys.exit("build_wheel: %s needs %s, neither carried nor allowed"
                     % (name, ", ".join(missing)))
    return files


def dist_info(version, api_version, python_tag, python_version,
              platform_tag, readme):
    """(name of the .dist-info directory, [(file name, bytes)] of its
    METADATA, WHEEL and top_level.txt), RECORD aside."""
    version = "%s+cpp.%s" % (api_version, version)
    dist = "safetensors-%s.dist-info" % version
    tag = "%s-%s-%s" % (python_tag, python_tag, platform_tag)
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        "Name: safetensors",
        "Version: " + version,
        "Summary: The safetensors Python API (safe_open, save_file, "
        "load_file) on the safetensors-cpp C++ core",
        "License: Apache-2.0",
        "Requires-Python: ==%s.*" % python_version,
        # No dependency of its own, as the Hugging Face package: NumPy and
        # PyTorch are needed only by safetensors.numpy and .torch.
        "Provides-Extra: numpy",
        "Requires-Dist: numpy; extra == \"numpy\"",
        "Provides-Extra: torch",
        "Requires-Dist: torch; extra == \"torch\"",
        "Description-Content-Type: text/markdown",
        "",
        readme,
    ])
    wheel = "\n".join([
        "Wheel-Version: 1.0",
        "Generator: safetensors-cpp build_wheel.py",
        "Root-Is-Purelib: false",
        "Tag: " + tag,
        "",
    ])
    return dist, [("METADATA", metadata.encode()), ("WHEEL", wheel.encode()),
                  ("top_level.txt", b"safetensors\n")]


def write_wheel(out, files, version, api_version, python_tag, python_version,
                platform_tag, readme):
    """Writes the wheel `out` holding `files` (the package's modules and its
    extension, each put under safetensors/ by its base name). `version` is
    this project's, `api_version` the Hugging Face API's; the distribution
    version is API_VERSION+cpp.VERSION."""
    api = _api_version(files)
    if api != api_version:
        sys.exit("build_wheel: python/version.bzl's API_VERSION is %s but "
                 "safetensors/__init__.py's __api_version__ is %s; make them "
                 "equal" % (api_version, api))
    dist, info = dist_info(version, api_version, python_tag, python_version,
                           platform_tag, readme)
    entries = []
    with tempfile.TemporaryDirectory() as workdir:
        placed = []
        for path in files:
            if _package_name(path) == "_core.so":
                placed += carry_libraries(path, workdir)
            else:
                placed.append(("safetensors/" + _package_name(path), path))
        for name, path in sorted(placed):
            with open(path, "rb") as f:
                entries.append((name, f.read()))
    entries += [(dist + "/" + name, data) for name, data in info]
    record = "".join("%s,%s,%d\n" % (name, _digest(data), len(data))
                     for name, data in entries)
    record += dist + "/RECORD,,\n"
    entries.append((dist + "/RECORD", record.encode()))

    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if ".so" in os.path.basename(name) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, data)


def _package_name(path):
    """The file's name in the package: the extension is _core.so whatever
    suffix the build gave it (CMake: _core.cpython-311-x86_64-linux-gnu.so)."""
    name = os.path.basename(path)
    if name.startswith("_core.") and name.endswith(".so"):
        return "_core.so"
    return name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--version", required=True)
    ap.add_argument("--api-version", required=True)  # e.g. 0.8.0
    ap.add_argument("--version-header", required=True)
    ap.add_argument("--readme", required=True)
    ap.add_argument("--python-tag", required=True)   # e.g. cp311
    ap.add_argument("--python-version", required=True)  # e.g. 3.11
    ap.add_argument("--platform-tag", required=True)  # e.g. linux_x86_64
    ap.add_argument("--out", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()

    version = header_version(args.version_header)
    if version != args.version:
        sys.exit("build_wheel: python/version.bzl says %s but "
                 "safetensors/version.h says %s; make them equal"
                 % (args.version, version))
    with open(args.readme) as f:
        readme = f.read()
    write_wheel(args.out, args.files, version, args.api_version,
                args.python_tag, args.python_version, args.platform_tag,
                readme)


if __name__ == "__main__":
    main()
