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
import sys
import zipfile

# Fixed timestamps: the same inputs give the same wheel, byte for byte.
_DATE = (2026, 1, 1, 0, 0, 0)


def _header_version(path):
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

    version = _header_version(args.version_header)
    if version != args.version:
        sys.exit("build_wheel: python/version.bzl says %s but "
                 "safetensors/version.h says %s; make them equal"
                 % (args.version, version))
    init = [f for f in args.files if os.path.basename(f) == "__init__.py"]
    api = None
    if init:
        with open(init[0]) as f:
            m = re.search(r'^__api_version__ = "([^"]+)"$', f.read(), re.M)
        api = m.group(1) if m else None
    if api != args.api_version:
        sys.exit("build_wheel: python/version.bzl's API_VERSION is %s but "
                 "safetensors/__init__.py's __api_version__ is %s; make them "
                 "equal" % (args.api_version, api))
    version = "%s+cpp.%s" % (args.api_version, version)
    dist = "safetensors-%s.dist-info" % version
    tag = "%s-%s-%s" % (args.python_tag, args.python_tag, args.platform_tag)
    with open(args.readme) as f:
        readme = f.read()
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        "Name: safetensors",
        "Version: " + version,
        "Summary: The safetensors Python API (safe_open, save_file, "
        "load_file) on the safetensors-cpp C++ core",
        "License: Apache-2.0",
        "Requires-Python: ==%s.*" % args.python_version,
        "Requires-Dist: numpy",
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
    entries = []
    for path in sorted(args.files, key=os.path.basename):
        with open(path, "rb") as f:
            entries.append(("safetensors/" + os.path.basename(path), f.read()))
    entries.append((dist + "/METADATA", metadata.encode()))
    entries.append((dist + "/WHEEL", wheel.encode()))
    entries.append((dist + "/top_level.txt", b"safetensors\n"))
    record = "".join("%s,%s,%d\n" % (name, _digest(data), len(data))
                     for name, data in entries)
    record += dist + "/RECORD,,\n"
    entries.append((dist + "/RECORD", record.encode()))

    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name.endswith(".so") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, data)


if __name__ == "__main__":
    main()
