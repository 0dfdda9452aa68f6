#!/usr/bin/python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Benchmarks the `safetensors` Python package against its baselines.

    PYTHONPATH=/tmp/stpkg /usr/bin/python3 bench/python_bench.py [--repeat 5]
        [--dir /tmp] [--json out.json] [--mib 1024] [--small-count 10000]

Whatever `import safetensors` finds is measured (this project's package or
the Rust-based library). One process, no pytest. Every case runs beside its
baselines: each repetition runs the candidate (the case's first row), then
each baseline, so noise from neighbours on a shared machine falls on all of
them; one untimed round runs first. Files are written to a temporary
directory (removed at the end), synced, and read once untimed, so the page
cache is warm. Every loaded dict is released (del + gc.collect()) after its
call, untimed, before the next timed call.

Cases, on a large state dict (--mib, default 1 GiB, in 4 float32 tensors)
and on --small-count (default 10,000) tensors of 16x16 float32:
  - load: the call alone. Loaders side by side:
      safetensors.torch.load_file(path), and with backend="pread" when the
        installed load_file has a `backend` parameter;
      the HF-style loader, what the Hugging Face library's load_file does
        for "pt" on the CPU: parse the header (json.loads here, Rust
        there); map the whole file as one torch.UntypedStorage
        (UntypedStorage.from_file from torch 2.0, before it
        ByteStorage.from_file(...).untyped(), as the library does); then,
        per tensor in sorted order, torch.asarray(storage[start:stop],
        dtype=torch.uint8).view(dtype=...).reshape(shape), a view of the
        mapping. The goals are measured against it;
      torch.load(weights_only=True) of the same dict saved by torch.save;
      safetensors.numpy.load_file(path), and with the other copy= when
        the installed load_file has a `copy` parameter; np.load of an .npz
        of the same arrays, every array.
  - load + read: a fresh load, then every tensor summed once (t.sum(),
    a.sum()) in the same timed call, so that a lazy zero-copy load is
    charged for the page faults it defers.
  - save_file of the large dict vs a raw write of the same bytes (the
    floor) and torch.save.
  - safe_open(path, "pt") + keys() on the small-tensor file vs reading the
    header with the standard library.
Before timing, each loader's result is checked once against
safetensors.torch.load_file (same names, equal values), and whether its
tensors view a mapping of the file is read from /proc/self/maps: the
HF-style loader must view one mapping, or the run stops.

Prints one markdown table: median and min of the repetitions, minor page
faults per call (median), whether the loader is zero-copy, and "st / this":
the case's first row's median over this row's median (below 1: safetensors
is faster). Then the issue's goals, each met or not met with the measured
ratio. --json writes every time as well; progress goes to stderr.
"""

import argparse
import gc
import inspect
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
import torch

import safetensors
import safetensors.numpy
import safetensors.torch
from safetensors import safe_open

ST_LOAD = "`safetensors.torch.load_file`"
ST_PREAD = '`safetensors.torch.load_file(backend="pread")`'
HF_LOAD = "HF-style loader (`UntypedStorage.from_file`)"
NP_LOAD = "`safetensors.numpy.load_file`"
NPZ_LOAD = "`np.load` of an `.npz`, every array"
ST_SAVE = "`safetensors.torch.save_file`"
RAW_WRITE = "raw write of the same bytes (floor)"
KEYS = '`safe_open(path, "pt")` + `keys()`'

# ---------------------------------------------------------------- timing --


def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Variant:
    """One timed callable: `fn()` is timed; its result is released and
    `after()` runs, both untimed (a save's file is removed at once, so that
    dirty pages never pile up into writeback that lands on the next one)."""

    def __init__(self, label, fn, after=None, inner=1, zero_copy=""):
        self.label = label
        self.fn = fn
        self.after = after
        self.inner = inner  # timed calls per repetition (cheap cases)
        self.zero_copy = zero_copy  # "yes", "no" or "" (not a load)
        self.times = []
        self.faults = []

    def run_once(self, record):
        for _ in range(self.inner):
            gc.collect()
            f0 = minor_faults()
            t0 = time.perf_counter()
            result = self.fn()
            t1 = time.perf_counter()
            f1 = minor_faults()
            del result
            gc.collect()
            if self.after is not None:
                self.after()
            if record:
                self.times.append(t1 - t0)
                self.faults.append(f1 - f0)

    def median(self):
        return statistics.median(self.times)

    def summary(self):
        return {
            "times_s": self.times,
            "median_s": self.median(),
            "min_s": min(self.times),
            "minor_faults_median": statistics.median(self.faults),
            "zero_copy": self.zero_copy or None,
        }


class Case:
    """Variants measured together; the first is the candidate."""

    def __init__(self, key, title, variants):
        self.key = key
        self.title = title
        self.variants = variants

    def run(self, repeat):
        t0 = time.perf_counter()
        for v in self.variants:  # untimed: one round to warm everything
            v.run_once(record=False)
        for _ in range(repeat):
            for v in self.variants:
                v.run_once(record=True)
        for v in self.variants:  # drop the closures and what they hold
            v.fn = v.after = None
        gc.collect()
        print("  {:.0f} s: {}".format(time.perf_counter() - t0, self.title),
              file=sys.stderr, flush=True)
        return self

    def median(self, label):
        for v in self.variants:
            if v.label == label:
                return v.median()
        raise KeyError(label)

    def to_json(self):
        return {
            "title": self.title,
            "candidate": self.variants[0].label,
            "variants": {v.label: v.summary() for v in self.variants},
        }


def fmt_time(s):
    if s < 1e-3:
        return "{:.0f} us".format(s * 1e6)
    if s < 1.0:
        return "{:.3g} ms".format(s * 1e3)
    return "{:.3g} s".format(s)


def print_table(cases):
    print()
    print("| case | variant | median (min) | faults | zero-copy "
          "| st / this |")
    print("|---|---|---|---|---|---|")
    for case in cases:
        cand = case.variants[0].median()
        for i, v in enumerate(case.variants):
            print("| {} | {} | {} ({}) | {:.0f} | {} | {} |".format(
                case.title if i == 0 else "", v.label,
                fmt_time(v.median()), fmt_time(min(v.times)),
                statistics.median(v.faults), v.zero_copy,
                "" if i == 0 else "{:.3g}".format(cand / v.median())))
    sys.stdout.flush()


# --------------------------------------------------------------- loaders --

_HF_DTYPES = {
    "BOOL": torch.bool, "U8": torch.uint8, "I8": torch.int8,
    "I16": torch.int16, "I32": torch.int32, "I64": torch.int64,
    "F16": torch.float16, "BF16": torch.bfloat16, "F32": torch.float32,
    "F64": torch.float64,
}


def _map_file(path, size):
    """The Hugging Face library's storage of a whole file: a private,
    read-write mapping (torch's from_file), as a torch.UntypedStorage."""
    if int(torch.__version__.split(".")[0]) >= 2:
        return torch.UntypedStorage.from_file(path, False, size)
    # torch 1.11-1.13: the library maps through ByteStorage, then untyped()
    # (UntypedStorage.from_file exists on 1.13 but takes no `size` keyword).
    storage = torch.ByteStorage.from_file(path, shared=False, size=size)
    return storage.untyped()


def hf_style_load_file(path):
    """safetensors.torch.load_file as the Hugging Face library does it for
    framework="pt" on the CPU: every tensor views one mapping of the file."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    storage = _map_file(path, os.path.getsize(path))
    out = {}
    for name in sorted(header):  # the library's keys() order
        info = header[name]
        begin, end = info["data_offsets"]
        raw = torch.asarray(storage[8 + n + begin:8 + n + end],
                            dtype=torch.uint8)
        out[name] = raw.view(dtype=_HF_DTYPES[info["dtype"]]).reshape(
            info["shape"])
    return out


def torch_load_kwargs():
    try:
        params = inspect.signature(torch.load).parameters
    except (TypeError, ValueError):
        return {}
    return {"weights_only": True} if "weights_only" in params else {}


def accepts(fn, name):
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def npz_load(path):
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def torch_load_label():
    return "`torch.load({})`".format(", ".join(
        "{}={}".format(k, v) for k, v in torch_load_kwargs().items()))


def torch_loaders(st_path, pt_path):
    """[(label, load())] for torch: the candidate first."""
    kw = torch_load_kwargs()
    out = [(ST_LOAD, lambda: safetensors.torch.load_file(st_path))]
    if accepts(safetensors.torch.load_file, "backend"):
        out.append((ST_PREAD, lambda: safetensors.torch.load_file(
            st_path, backend="pread")))
    out.append((HF_LOAD, lambda: hf_style_load_file(st_path)))
    out.append((torch_load_label(), lambda: torch.load(pt_path, **kw)))
    return out


def numpy_loaders(st_path, npz_path):
    """[(label, load())] for NumPy: the candidate first, then load_file with
    the other `copy` (when it has one: this package's)."""
    out = [(NP_LOAD, lambda: safetensors.numpy.load_file(st_path))]
    try:
        param = inspect.signature(safetensors.numpy.load_file).parameters.get(
            "copy")
    except (TypeError, ValueError):
        param = None
    if param is not None and isinstance(param.default, bool):
        copy = not param.default
        out.append(("`safetensors.numpy.load_file(copy={})`".format(copy),
                    lambda: safetensors.numpy.load_file(st_path, copy=copy)))
    out.append((NPZ_LOAD, lambda: npz_load(npz_path)))
    return out


def read_all(d):
    """Reads every byte of every tensor once."""
    for t in d.values():
        t.sum()
    return d


# ---------------------------------------------------------------- checks --


def mappings():
    """[(start, end, path)] of this process ("" for anonymous memory)."""
    out = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            out.append((lo, hi, parts[5].strip() if len(parts) > 5 else ""))
    return out


def data_span(t):
    if isinstance(t, np.ndarray):
        return t.__array_interface__["data"][0], t.nbytes
    return t.data_ptr(), t.numel() * t.element_size()


def file_mappings(d, path):
    """The mappings of `path` that hold the tensors of `d`, or None when
    any tensor is elsewhere (a copy)."""
    real = os.path.realpath(path)
    maps = mappings()
    found = set()
    for t in d.values():
        ptr, nbytes = data_span(t)
        inside = [m for m in maps
                  if m[0] <= ptr and ptr + max(nbytes, 1) <= m[1]]
        if not inside or inside[0][2] != real:
            return None
        found.add(inside[0])
    return found


def check(loaders, st_path):
    """Untimed, once: each loader returns the tensors of this package's
    load_file, value for value; returns {label: "yes"/"no"}, whether its
    tensors view a mapping of the file. The HF-style loader must view one
    mapping: else its times would not be the library's."""
    ref = safetensors.torch.load_file(st_path)
    zero_copy = {}
    for label, load in loaders:
        d = load()
        if sorted(d) != sorted(ref):
            sys.exit("{}: other tensor names than load_file".format(label))
        for name, t in d.items():
            want = ref[name]
            same = (np.array_equal(want.numpy(), t)
                    if isinstance(t, np.ndarray) else torch.equal(want, t))
            if not same:
                sys.exit("{}: tensor {} differs from load_file's".format(
                    label, name))
        maps = file_mappings(d, st_path)
        zero_copy[label] = "yes" if maps else "no"
        if label == HF_LOAD and (maps is None or len(maps) != 1):
            sys.exit("the HF-style loader does not view one mapping of the "
                     "file on torch {}".format(torch.__version__))
        del d, maps
        gc.collect()
    del ref
    gc.collect()
    return zero_copy


# ----------------------------------------------------------------- cases --


def warm(paths):
    """Syncs, then reads each file once, so that the page cache holds it
    and no writeback runs under the timings."""
    os.sync()
    for p in paths:
        with open(p, "rb", buffering=0) as f:
            while f.read(16 << 20):
                pass


def unlink(path):
    def go():
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
    return go


def raw_write(path, arrays):
    """The floor of a save: the tensors' bytes, one write each."""
    with open(path, "wb") as f:
        for a in arrays:
            f.write(memoryview(a).cast("B"))


def load_cases(prefix, what, loaders, zero_copy, repeat):
    """The load and load + read cases of one framework's loaders."""
    out = []
    for op, title, wrap in (("load", "load", None),
                            ("read", "load + read", read_all)):
        variants = [
            Variant(label,
                    load if wrap is None else
                    (lambda ld=load, rd=wrap: rd(ld())),
                    zero_copy=zero_copy[label])
            for label, load in loaders]
        out.append(Case("{}_{}".format(prefix, op),
                        "{} {}".format(title, what), variants).run(repeat))
    return out


def save_case(d, sd, title, repeat):
    st_path = os.path.join(d, "save.safetensors")
    pt_path = os.path.join(d, "save.pt")
    raw_path = os.path.join(d, "save.raw")
    arrays = [t.numpy() for t in sd.values()]
    return Case("large_save", title, [
        Variant(ST_SAVE, lambda: safetensors.torch.save_file(sd, st_path),
                unlink(st_path)),
        Variant(RAW_WRITE, lambda: raw_write(raw_path, arrays),
                unlink(raw_path)),
        Variant("`torch.save`", lambda: torch.save(sd, pt_path),
                unlink(pt_path)),
    ]).run(repeat)


def large_cases(d, mib, repeat):
    side = 1 << 13
    rows = max(1, ((mib << 20) // 4) // (side * 4))
    torch.manual_seed(0)
    sd = {"layers.{}.weight".format(i): torch.randn(rows, side)
          for i in range(4)}
    total = sum(t.numel() * 4 for t in sd.values())
    size = ("{} GiB".format(total >> 30) if total % (1 << 30) == 0
            else "{} MiB".format(total >> 20))
    what = "{} ({} x {} F32)".format(size, len(sd), (rows, side))
    save = save_case(d, sd, "save " + what, repeat)
    paths = write_three(d, "large", sd)
    del sd
    gc.collect()
    warm(paths)
    cases = [save] + framework_cases("large", size, paths, repeat)
    for p in paths:
        os.unlink(p)
    return cases, size


def write_three(d, stem, sd):
    """`sd` as STEM.safetensors, STEM.pt (torch.save) and STEM.npz in `d`."""
    paths = [os.path.join(d, stem + ext)
             for ext in (".safetensors", ".pt", ".npz")]
    safetensors.torch.save_file(sd, paths[0])
    torch.save(sd, paths[1])
    np.savez(paths[2], **{k: t.numpy() for k, t in sd.items()})
    return paths


def framework_cases(prefix, what, paths, repeat):
    """The load cases of the files write_three wrote, for PyTorch then
    NumPy, each after checking its loaders once."""
    st_path, pt_path, npz_path = paths
    cases = []
    for fw, label, loaders in (
            ("torch", "torch", torch_loaders(st_path, pt_path)),
            ("numpy", "NumPy", numpy_loaders(st_path, npz_path))):
        zero_copy = check(loaders, st_path)
        cases += load_cases("{}_{}".format(prefix, fw),
                            "{}, {}".format(what, label), loaders, zero_copy,
                            repeat)
    return cases


def small_cases(d, count, repeat):
    torch.manual_seed(1)
    sd = {"layers.{}.weight".format(i): torch.randn(16, 16)
          for i in range(count)}
    paths = write_three(d, "small", sd)
    del sd
    gc.collect()
    warm(paths)
    st_path = paths[0]
    what = "{:,} x (16, 16) F32".format(count)
    cases = framework_cases("small", what, paths, repeat)

    def open_keys():
        with safe_open(st_path, framework="pt") as f:
            return f.keys()

    def json_keys():
        with open(st_path, "rb") as f:
            n = int.from_bytes(f.read(8), "little")
            header = json.loads(f.read(n))
        header.pop("__metadata__", None)
        return sorted(header)

    header_kib = (os.path.getsize(st_path) - count * 1024) >> 10
    cases.append(Case("small_keys", "open {:,} tensors ({} KiB header)"
                      .format(count, header_kib), [
                          Variant(KEYS, open_keys, inner=10),
                          Variant("read header + `json.loads` + `sorted` "
                                  "(stdlib)", json_keys, inner=10),
                      ]).run(repeat))
    for p in paths:
        os.unlink(p)
    return cases


# ----------------------------------------------------------------- goals --


def goals(cases, size, count):
    out = []

    def goal(text, ok, detail):
        out.append({"goal": text, "met": bool(ok), "detail": detail})

    def vs(a, b):
        return "{:.2f}x ({} vs {})".format(a / b, fmt_time(a), fmt_time(b))

    load, read = cases["large_torch_load"], cases["large_torch_read"]
    st, hf = load.median(ST_LOAD), load.median(HF_LOAD)
    goal("load_file of {} within 1.2x the HF-style loader".format(size),
         st <= 1.2 * hf, vs(st, hf))
    label = torch_load_label()
    tl = load.median(label)
    goal("load_file of {} at least 100x faster than {}".format(
        size, label.strip("`")), tl >= 100 * st,
         "{} takes {:,.0f}x as long ({} vs {})".format(
             label.strip("`"), tl / st, fmt_time(tl), fmt_time(st)))
    st, hf = read.median(ST_LOAD), read.median(HF_LOAD)
    goal("load + read of {} within 1.2x the HF-style loader".format(size),
         st <= 1.2 * hf, vs(st, hf))
    for op, text in (("load", "load"), ("read", "load + read")):
        c = cases["small_torch_" + op]
        st, hf = c.median(ST_LOAD), c.median(HF_LOAD)
        goal("{} of {:,} small tensors no slower than the HF-style loader"
             .format(text, count), st <= hf, vs(st, hf))
    keys = cases["small_keys"].variants[0]
    goal("safe_open + keys() on {:,} tensors under 5 ms".format(count),
         keys.median() < 5e-3, "{} (min {})".format(
             fmt_time(keys.median()), fmt_time(min(keys.times))))
    save = cases["large_save"]
    ss, raw = save.median(ST_SAVE), save.median(RAW_WRITE)
    goal("save_file of {} within 1.2x a raw write".format(size),
         ss <= 1.2 * raw, vs(ss, raw))

    print()
    print("Goals:")
    print()
    for g in out:
        print("- **{}: {}** ({})".format(
            g["goal"], "met" if g["met"] else "not met", g["detail"]))
    return out


# ------------------------------------------------------------------ main --


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5,
                    help="timed repetitions per case (default 5)")
    ap.add_argument("--dir", default=None,
                    help="directory for the temporary files (default /tmp)")
    ap.add_argument("--json", default=None, help="write raw numbers here")
    ap.add_argument("--mib", type=int, default=1024,
                    help="size of the large state dict in MiB, 4 tensors "
                    "(default 1024)")
    ap.add_argument("--small-count", type=int, default=10000,
                    help="number of small tensors (default 10000)")
    args = ap.parse_args()

    impl = getattr(safetensors, "__implementation__",
                   "unknown (no __implementation__: the Rust library?)")
    meta = {
        "safetensors_implementation": impl,
        "safetensors_version": getattr(safetensors, "__version__", "?"),
        "safetensors_path": os.path.dirname(safetensors.__file__),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "loadavg_start": os.getloadavg(),
    }
    print("# safetensors Python benchmark")
    print()
    print("safetensors {} ({}) from {}; torch {} ({} threads), numpy {}, "
          "Python {} ({}); {} CPUs, {} repetitions, load average {:.2f}."
          .format(meta["safetensors_version"], impl, meta["safetensors_path"],
                  torch.__version__, meta["torch_threads"], np.__version__,
                  meta["python"], sys.executable, meta["cpus"], args.repeat,
                  meta["loadavg_start"][0]))
    sys.stdout.flush()

    d = tempfile.mkdtemp(prefix="st_python_bench_", dir=args.dir)
    t_start = time.perf_counter()
    try:
        done, size = large_cases(d, args.mib, args.repeat)
        done += small_cases(d, args.small_count, args.repeat)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    elapsed = time.perf_counter() - t_start

    print_table(done)
    cases = {c.key: c for c in done}
    verdicts = goals(cases, size, args.small_count)
    rss = peak_rss_mib()
    load = os.getloadavg()
    print()
    print("Peak RSS {:.0f} MiB; {:.0f} s; load average {:.2f} at the end."
          .format(rss, elapsed, load[0]))
    if args.json:
        meta.update({"peak_rss_mib": rss, "elapsed_s": elapsed,
                     "loadavg_end": load})
        with open(args.json, "w") as f:
            json.dump({"meta": meta,
                       "cases": {k: c.to_json() for k, c in cases.items()},
                       "goals": verdicts}, f, indent=1)
        print("Raw numbers written to " + args.json)


if __name__ == "__main__":
    main()
