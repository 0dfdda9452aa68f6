#!/usr/bin/env python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Builds a wheel for each CPython from 3.9 to 3.13 and tests each one.

    python3 python/wheels.py [--out DIR] [--work DIR] [PYTHON ...]

For each interpreter (default: Debian's /usr/bin/python3, and pyenv's 3.9,
3.10, 3.11, 3.12 and 3.13 from `pyenv root`), it runs `pip wheel
--no-build-isolation ./python` with that interpreter (the in-tree backend,
python/build_backend.py, builds through CMake in build/python-cpXY/; one
wheel per tag, so two 3.11s share one), then, in a fresh virtualenv of that
interpreter with no site packages but Debian's 3.11's, installs the wheel
with pip --no-index and runs python/examples/installed_check.py from a
directory outside the checkout: import, __version__, serialize /
deserialize / serialize_file, safe_open's keys and metadata, and NumPy and
PyTorch loads where they are installed (Debian's 3.11 only), and runs the
same checks again in a private mount namespace (`unshare -m`) in which an
empty file is bind-mounted over every libabsl_* and libre2 file of the
system: the wheel must carry what it needs. It also checks that each
wheel's tag and Requires-Python name its Python, that every shared object
in it needs nothing outside the wheel but the C runtime (readelf -d), and
that pip refuses a wheel for another Python. Prints one line per check and ends with
"N passed, N failed"; exits 1 if any failed. About 40 s per interpreter.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
sys.path.insert(0, HERE)

from build_wheel import ALLOWED, needed  # noqa: E402

# Runs "$@" with every libabsl_* and libre2 file of the system hidden behind
# an empty file, in a mount namespace of its own.
HIDE = ('empty=$(mktemp); for f in /usr/lib/*/libabsl_* /usr/lib/*/libre2*; do '
        '[ -f "$f" ] && [ ! -L "$f" ] && mount --bind "$empty" "$f"; done; '
        'exec "$@"')


def pyenv_pythons():
    """pyenv's newest CPython of each of VERSIONS, where installed."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        root = os.path.expanduser("~/.pyenv")
    found = []
    for version in VERSIONS:
        candidates = sorted(
            glob.glob(os.path.join(root or "", "versions", version + ".*",
                                   "bin", "python" + version)),
            key=lambda p: [int(x) for x in
                           p.split("/versions/")[1].split("/")[0].split(".")
                           if x.isdigit()])
        if candidates:
            found.append(candidates[-1])
        else:
            found.append(None)
    return found


def run(command, log, cwd=None, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    with open(log, "a") as f:
        f.write("$ %s\n%s\n" % (" ".join(command), result.stdout))
    return result


def interpreter_info(python):
    out = subprocess.run(
        [python, "-c", "import sys; print('cp%d%d %d.%d %s' % (sys.version_info[:2] * 2 + "
         "(sys.version.split()[0],)))"],
        capture_output=True, text=True).stdout.split()
    return out[0], out[1], out[2]  # cp311, 3.11, 3.11.2


def needs_outside(wheel, work):
    """{file in the wheel: [NEEDED entries neither allowed nor carried]}."""
    out = {}
    with zipfile.ZipFile(wheel) as z:
        objects = [n for n in z.namelist() if ".so" in os.path.basename(n)]
        carried = {os.path.basename(n) for n in objects}
        for name in objects:
            path = z.extract(name, os.path.join(work, "unzipped"))
            bad = [n for n in needed(path) if n not in ALLOWED and n not in carried]
            if bad:
                out[name] = bad
    return out


def wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as z:
        name = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")][0]
        text = z.read(name).decode()
    return dict(line.split(": ", 1) for line in text.split("\n\n")[0].splitlines()
                if ": " in line)


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def report(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print("%s: %s%s" % ("ok" if ok else "FAILED", what,
                            (" (%s)" % detail) if detail else ""), flush=True)
        return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="where the wheels go (default: a temporary "
                    "directory)")
    ap.add_argument("--work", help="virtualenvs and logs (default: temporary)")
    ap.add_argument("pythons", nargs="*")
    args = ap.parse_args()
    pythons = args.pythons or (["/usr/bin/python3"] + pyenv_pythons())
    work = args.work or tempfile.mkdtemp(prefix="st-wheels-")
    out = args.out or os.path.join(work, "wheels")
    os.makedirs(out, exist_ok=True)
    log = os.path.join(work, "wheels.log")
    results = Results()
    wheels = {}  # tag -> wheel path
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    for i, python in enumerate(pythons):
        if python is None:
            results.report(False, "CPython %s" % VERSIONS[i - 1],
                           "not found under `pyenv root`")
            continue
        tag, short, full = interpreter_info(python)
        what = "%s (%s)" % (full, python)
        if tag not in wheels:
            before = set(os.listdir(out))
            built = run([python, "-m", "pip", "wheel", "--no-index", "--no-deps",
                         "--no-build-isolation", "-w", out, os.path.join(ROOT, "python")],
                        log, env=env)
            new = [os.path.join(out, n) for n in set(os.listdir(out)) - before]
            if not results.report(built.returncode == 0 and len(new) == 1,
                                  "wheel for %s" % what,
                                  "see %s" % log if built.returncode else ""):
                continue
            wheels[tag] = new[0]
            meta = wheel_metadata(new[0])
            name = os.path.basename(new[0])
            results.report(
                "-%s-%s-" % (tag, tag) in name and
                meta.get("Requires-Python") == "==%s.*" % short,
                "%s: tag %s, Requires-Python %s" % (name, tag,
                                                    meta.get("Requires-Python")))
            outside = needs_outside(new[0], work)
            results.report(not outside, "%s needs only the C runtime and what "
                           "it carries" % name, str(outside) if outside else "")
        venv = os.path.join(work, "venv-" + os.path.basename(os.path.dirname(
            os.path.dirname(python))) + "-" + tag)
        shutil.rmtree(venv, ignore_errors=True)
        # Debian's 3.11 keeps its NumPy and PyTorch; the others have none.
        system = ["--system-site-packages"] if python == "/usr/bin/python3" else []
        made = run([python, "-m", "venv"] + system + [venv], log, env=env)
        pip = os.path.join(venv, "bin", "pip")
        installed = made.returncode == 0 and run(
            [pip, "install", "--no-index", "--no-deps", wheels[tag]], log,
            env=env).returncode == 0
        if not results.report(installed, "install into a fresh venv of %s" % what):
            continue
        with tempfile.TemporaryDirectory() as cwd:
            checked = run([os.path.join(venv, "bin", "python"),
                           os.path.join(HERE, "examples", "installed_check.py")],
                          log, cwd=cwd, env=env)
        lines = checked.stdout.strip().splitlines()
        results.report(checked.returncode == 0, "checks on %s" % full,
                       lines[-1] if lines else "no output")
        # Again where the system's Abseil and RE2 cannot be loaded; that they
        # cannot is checked in the same namespace first.
        vpython = os.path.join(venv, "bin", "python")
        probe = ("import ctypes\ntry:\n    ctypes.CDLL('libabsl_base.so.20220623')\n"
                 "except OSError:\n    print('hidden')")
        with tempfile.TemporaryDirectory() as cwd:
            hidden = run(["unshare", "-m", "sh", "-c", HIDE, "sh",
                          vpython, "-c", probe], log, cwd=cwd, env=env)
            checked = run(["unshare", "-m", "sh", "-c", HIDE, "sh", vpython,
                           os.path.join(HERE, "examples", "installed_check.py")],
                          log, cwd=cwd, env=env)
        lines = checked.stdout.strip().splitlines()
        results.report(hidden.stdout.strip() == "hidden" and checked.returncode == 0,
                       "checks on %s with the system's Abseil and RE2 hidden" % full,
                       lines[-1] if lines else "no output")
    # pip refuses a wheel built for another Python (its tag).
    tags = sorted(wheels)
    if len(tags) >= 2:
        other = wheels[tags[0]]
        venvs = [v for v in glob.glob(os.path.join(work, "venv-*-" + tags[-1]))]
        if venvs:
            refused = run([os.path.join(venvs[0], "bin", "pip"), "install",
                           "--no-index", "--no-deps", "--force-reinstall", other],
                          log, env=env)
            results.report(refused.returncode != 0 and
                           "is not a supported wheel on this platform" in refused.stdout,
                           "pip refuses %s under %s" % (os.path.basename(other), tags[-1]))
    print("wheels: %s" % ", ".join("%s (%d KiB)" % (os.path.basename(w), os.path.getsize(w) // 1024)
                                   for w in sorted(wheels.values())))
    print("%d passed, %d failed" % (results.passed, results.failed))
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
