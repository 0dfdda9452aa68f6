#!/usr/bin/python3
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
"""Benchmarks the `safetensors` Python package against its baselines.

    PYTHONPATH=/tmp/stpkg /usr/bin/python3 bench/python_bench.py [--repeat 5]
        [--dir /tmp] [--json out.json] [--mib 1024] [--small-count 10000]

Whatever `import safetensors` finds is measured (this project's package or
the Rust-based library). Every case runs beside its baseline in this one
process: each repetition runs the candidate, then each baseline, so noise
from neighbours on a shared machine falls on both. The page cache is warm
(one untimed round writes and reads every file first). Ratios are of
medians from this run: candidate time / baseline time, below 1 is faster.

Cases:
  1. a 1 GiB state dict (4 float32 tensors of 256 MiB): safetensors.torch
     save_file vs torch.save vs a raw write of the same bytes (the floor);
     load_file vs torch.load vs a plain copy out of the mapped file into
     fresh tensors (the floor).
  2. the same bytes as NumPy arrays: safetensors.numpy save_file/load_file
     vs np.savez/np.load.
  3. 10,000 small tensors (16x16 float32): save_file/load_file vs
     torch.save/torch.load, and safe_open + keys().
Then the parts of load_file and the small-tensor profile, to explain the
numbers, and the issue's goals, met or missed.
"""

import argparse
import cProfile
import functools
import gc
import inspect
import io
import json
import mmap
import os
import platform
import pstats
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

# ---------------------------------------------------------------- timing --


def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Variant:
    """One timed callable: `fn()` is timed; `after()` runs untimed after it
    (a save's file is removed at once, so that dirty pages never pile up
    into writeback that would land on the next variant)."""

    def __init__(self, label, fn, after=None, inner=1):
        self.label = label
        self.fn = fn
        self.after = after
        self.inner = inner  # timed calls per repetition (cheap cases)
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
            del result  # freed untimed
            if self.after is not None:
                self.after()
            if record:
                self.times.append(t1 - t0)
                self.faults.append(f1 - f0)

    def summary(self):
        return {
            "times_s": self.times,
            "median_s": statistics.median(self.times),
            "min_s": min(self.times),
            "minor_faults_median": statistics.median(self.faults),
        }


class Case:
    """Variants measured together; the first is the candidate."""

    def __init__(self, key, title, variants, nbytes=None, notes=None):
        self.key = key
        self.title = title
        self.variants = variants
        self.nbytes = nbytes
        self.notes = notes or {}

    def run(self, repeat):
        for v in self.variants:  # untimed: one round to warm everything
            v.run_once(record=False)
        for _ in range(repeat):
            for v in self.variants:
                v.run_once(record=True)
        for v in self.variants:  # drop the closures and what they hold
            v.fn = v.after = None
        gc.collect()

    def median(self, label):
        return statistics.median(self.by_label(label).times)

    def by_label(self, label):
        for v in self.variants:
            if v.label == label:
                return v
        raise KeyError(label)

    def to_json(self):
        return {
            "title": self.title,
            "bytes": self.nbytes,
            "candidate": self.variants[0].label,
            "variants": {v.label: v.summary() for v in self.variants},
        }


def fmt_time(s):
    if s < 1e-3:
        return "{:.1f} us".format(s * 1e6)
    if s < 1.0:
        return "{:.2f} ms".format(s * 1e3)
    return "{:.3f} s".format(s)


def print_case(case):
    cand = case.variants[0]
    cand_med = statistics.median(cand.times)
    print()
    print("## " + case.title)
    head = "{:<46} {:>10} {:>10} {:>8} {:>10} {:>9}".format(
        "variant", "median", "min", "GB/s", "faults", "cand/this")
    print(head)
    print("-" * len(head))
    for v in case.variants:
        med = statistics.median(v.times)
        rate = ("{:.2f}".format(case.nbytes / med / 1e9)
                if case.nbytes else "")
        ratio = "" if v is cand else "{:.2f}x".format(cand_med / med)
        label = v.label + case.notes.get(v.label, "")
        print("{:<46} {:>10} {:>10} {:>8} {:>10} {:>9}".format(
            label, fmt_time(med), fmt_time(min(v.times)), rate,
            "{:.0f}".format(statistics.median(v.faults)), ratio))
    sys.stdout.flush()


# ------------------------------------------------------------- baselines --


def torch_load_kwargs():
    try:
        params = inspect.signature(torch.load).parameters
    except (TypeError, ValueError):
        return {}
    return {"weights_only": True} if "weights_only" in params else {}


def header_of(path):
    """(data start, {name: (dtype, shape, begin, end)}) of a safetensors
    file, read with the standard library."""
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return 8 + n, {k: (v["dtype"], v["shape"], v["data_offsets"][0],
                       v["data_offsets"][1]) for k, v in header.items()}


def raw_write(path, arrays):
    """The floor of a save: the tensors' bytes, one write each."""
    with open(path, "wb") as f:
        for a in arrays:
            f.write(memoryview(a).cast("B"))


def mapped_copy(path, make):
    """The floor of a load: map the file, copy each tensor's bytes into a
    fresh array from `make(shape)` (np.copyto), return them as a dict."""
    start, tensors = header_of(path)
    out = {}
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        for name, (dtype, shape, begin, end) in tensors.items():
            assert dtype == "F32"
            dst = make(shape)
            src = np.frombuffer(m, dtype=np.float32, count=(end - begin) // 4,
                                offset=start + begin)
            np.copyto(dst if isinstance(dst, np.ndarray) else dst.numpy(),
                      src.reshape(shape))
            del src
            out[name] = dst
    finally:
        m.close()
    return out


def unlink(path):
    def go():
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
    return go


# ----------------------------------------------------------------- cases --


def case_large_torch(d, state_dict, total, repeat):
    st_path = os.path.join(d, "large.safetensors")
    pt_path = os.path.join(d, "large.pt")
    raw_path = os.path.join(d, "large.raw")
    arrays = [t.numpy() for t in state_dict.values()]
    kw = torch_load_kwargs()
    save = Case("large_torch_save",
                "save {} MiB state dict, torch ({} x {})".format(
                    total >> 20, len(state_dict),
                    tuple(next(iter(state_dict.values())).shape)),
                [Variant("safetensors.torch.save_file",
                         lambda: safetensors.torch.save_file(state_dict,
                                                             st_path),
                         unlink(st_path)),
                 Variant("raw write of the bytes (floor)",
                         lambda: raw_write(raw_path, arrays),
                         unlink(raw_path)),
                 Variant("torch.save",
                         lambda: torch.save(state_dict, pt_path),
                         unlink(pt_path))],
                nbytes=total)
    save.run(repeat)
    print_case(save)
    # The files to load, written untimed and synced so that no writeback
    # runs under the loads.
    safetensors.torch.save_file(state_dict, st_path)
    torch.save(state_dict, pt_path)
    os.sync()
    load = Case("large_torch_load",
                "load {} MiB state dict, torch".format(total >> 20),
                [Variant("safetensors.torch.load_file",
                         lambda: safetensors.torch.load_file(st_path)),
                 Variant("torch.load" + ("(weights_only=True)" if kw else ""),
                         lambda: torch.load(pt_path, **kw)),
                 Variant("mmap + copy into torch.empty (floor)",
                         lambda: mapped_copy(
                             st_path,
                             lambda s: torch.empty(s, dtype=torch.float32)))],
                nbytes=total)
    load.run(repeat)
    print_case(load)
    return [save, load], st_path, pt_path


def case_large_numpy(d, arrays_dict, total, repeat, raw_path):
    st_path = os.path.join(d, "large_np.safetensors")
    npz_path = os.path.join(d, "large.npz")
    arrays = list(arrays_dict.values())

    def np_load():
        with np.load(npz_path) as z:
            return {k: z[k] for k in z.files}

    save = Case("large_numpy_save",
                "save {} MiB, numpy".format(total >> 20),
                [Variant("safetensors.numpy.save_file",
                         lambda: safetensors.numpy.save_file(arrays_dict,
                                                             st_path),
                         unlink(st_path)),
                 Variant("np.savez",
                         lambda: np.savez(npz_path, **arrays_dict),
                         unlink(npz_path)),
                 Variant("raw write of the bytes (floor)",
                         lambda: raw_write(raw_path, arrays),
                         unlink(raw_path))],
                nbytes=total)
    save.run(repeat)
    print_case(save)
    safetensors.numpy.save_file(arrays_dict, st_path)
    np.savez(npz_path, **arrays_dict)
    os.sync()
    load = Case("large_numpy_load",
                "load {} MiB, numpy".format(total >> 20),
                [Variant("safetensors.numpy.load_file",
                         lambda: safetensors.numpy.load_file(st_path)),
                 Variant("np.load (npz, every array)", np_load),
                 Variant("mmap + copy into np.empty (floor)",
                         lambda: mapped_copy(
                             st_path,
                             lambda s: np.empty(s, dtype=np.float32))),
                 Variant("safetensors.numpy.load_file(copy=False)",
                         lambda: safetensors.numpy.load_file(st_path,
                                                             copy=False))],
                nbytes=total)
    load.run(repeat)
    print_case(load)
    return [save, load], st_path, npz_path


def case_small(d, count, repeat):
    sd = {"layers.{}.weight".format(i): torch.randn(16, 16)
          for i in range(count)}
    st_path = os.path.join(d, "small.safetensors")
    pt_path = os.path.join(d, "small.pt")
    kw = torch_load_kwargs()
    save = Case("small_save",
                "save {} tensors of 16x16 float32".format(count),
                [Variant("safetensors.torch.save_file",
                         lambda: safetensors.torch.save_file(sd, st_path),
                         unlink(st_path)),
                 Variant("torch.save", lambda: torch.save(sd, pt_path),
                         unlink(pt_path))])
    save.run(repeat)
    print_case(save)
    safetensors.torch.save_file(sd, st_path)
    torch.save(sd, pt_path)
    os.sync()
    load = Case("small_load",
                "load {} tensors of 16x16 float32".format(count),
                [Variant("safetensors.torch.load_file",
                         lambda: safetensors.torch.load_file(st_path)),
                 Variant("torch.load" + ("(weights_only=True)" if kw else ""),
                         lambda: torch.load(pt_path, **kw))])
    load.run(repeat)
    print_case(load)

    def open_keys():
        with safe_open(st_path, framework="pt") as f:
            return f.keys()

    def json_keys():
        with open(st_path, "rb") as f:
            n = int.from_bytes(f.read(8), "little")
            header = json.loads(f.read(n))
        header.pop("__metadata__", None)
        return sorted(header)

    keys = Case("small_keys",
                "safe_open + keys() of the {}-tensor file ({} KiB header)"
                .format(count, (header_of(st_path)[0] - 8) >> 10),
                [Variant('safe_open(path, "pt") + keys()', open_keys,
                         inner=10),
                 Variant("read header + json.loads + sorted (stdlib)",
                         json_keys, inner=10)])
    keys.count = count
    keys.run(repeat)
    print_case(keys)
    return [save, load, keys], sd, st_path, pt_path


# ---------------------------------------------------------- diagnostics --


def touch_pages(a):
    """Writes one element per 4 KiB page of a fresh float32 array."""
    a.reshape(-1)[::1024] = 0
    return a


def case_load_parts(st_path, shapes, total, repeat):
    """What load_file's time is made of, each part timed on its own."""
    start, tensors = header_of(st_path)
    resident = [np.empty(s, dtype=np.float32) for s in shapes]
    for a in resident:
        touch_pages(a)  # faulted in once, reused: copies into it do not fault
    variants = [
        Variant("safetensors.torch.load_file",
                lambda: safetensors.torch.load_file(st_path)),
        Variant("fault in fresh torch.empty (4 KiB pages)",
                lambda: [touch_pages(torch.empty(s).numpy()) for s in shapes]),
        Variant("fault in fresh np.empty (THP madvise)",
                lambda: [touch_pages(np.empty(s, dtype=np.float32))
                         for s in shapes]),
        Variant("copy mmap -> already-faulted buffer",
                lambda: mapped_copy(st_path, _reuse(resident))),
        Variant("copy into anon mmap, MAP_POPULATE (4 KiB)",
                lambda: mapped_copy(st_path, _anon(populate=True))),
        Variant("copy into anon mmap, MADV_HUGEPAGE",
                lambda: mapped_copy(st_path, _anon(huge=True))),
        Variant("numpy load_file(copy=False) + touch pages",
                lambda: [v.reshape(-1)[::1024].sum() for v in
                         safetensors.numpy.load_file(st_path,
                                                     copy=False).values()]),
    ]
    core = getattr(safetensors, "_core", None)
    if core is not None and hasattr(core, "Reader"):
        def core_read():
            r = core.Reader.open(st_path, "strict", "mmap")
            return [r.read(n) for n in r.offset_names()]
        variants.insert(1, Variant("_core Reader.read -> bytearray (no torch)",
                                   core_read))
    case = Case("large_load_parts", "parts of load_file, {} MiB".format(
        total >> 20), variants, nbytes=total)
    case.run(repeat)
    print_case(case)
    return case


def _anon(populate=False, huge=False):
    """make(shape) for mapped_copy: a fresh anonymous mapping, prefaulted
    by the kernel in one call (MAP_POPULATE) or backed by 2 MiB pages."""
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    if populate:
        flags |= getattr(mmap, "MAP_POPULATE", 0)

    def make(shape):
        count = 1
        for n in shape:
            count *= n
        m = mmap.mmap(-1, count * 4, flags=flags)
        if huge and hasattr(mmap, "MADV_HUGEPAGE"):
            m.madvise(mmap.MADV_HUGEPAGE)
        return np.frombuffer(m, dtype=np.float32).reshape(shape)
    return make


def _reuse(buffers):
    it = {"i": 0}

    def make(shape):
        a = buffers[it["i"] % len(buffers)]
        it["i"] += 1
        return a
    return make


def profile(label, fn, top=8):
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    s = io.StringIO()
    stats = pstats.Stats(prof, stream=s)
    total = sum(v[2] for v in stats.stats.values())  # tottime sum
    print()
    print("## cProfile: {} (total {:.3f} s under the profiler)".format(
        label, total))
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    print("{:>8} {:>9} {:>6}  {}".format("calls", "tottime", "share",
                                          "function"))
    out = []
    for (file, line, func), (cc, nc, tt, ct, _) in rows:
        where = ("{}:{}".format(os.path.basename(file), line)
                 if file != "~" else "")
        name = "{} {}".format(func, where).strip()
        print("{:>8} {:>8.3f}s {:>5.0f}%  {}".format(nc, tt, 100 * tt / total,
                                                    name))
        out.append({"function": name, "calls": nc, "tottime_s": tt})
    sys.stdout.flush()
    return {"total_s": total, "top": out}


def small_parts(sd, st_path, repeat):
    """The parts of safe_open + keys() and of the small save."""
    parts = {}
    core = getattr(safetensors, "_core", None)
    if core is not None and hasattr(core, "Reader"):
        r = core.Reader.open(st_path, "strict", "mmap")
        variants = [
            Variant("_core.Reader.open (map + parse header)",
                    lambda: core.Reader.open(st_path, "strict", "mmap"),
                    inner=10),
            Variant("reader.sorted_names()", r.sorted_names, inner=10),
            Variant("reader.offset_names() (no sort)", r.offset_names,
                    inner=10),
        ]
        if hasattr(safetensors.torch, "_find_shared_tensors"):
            variants.append(Variant(
                "safetensors.torch._find_shared_tensors (save)",
                lambda: safetensors.torch._find_shared_tensors(sd)))
        case = Case("small_parts", "parts of safe_open + keys() and save_file"
                    ", small tensors", variants)
        case.run(repeat)
        print_case(case)
        parts["case"] = case
    return parts


# ----------------------------------------------------------------- goals --


def goals(cases):
    out = []

    def goal(text, ok, detail):
        out.append({"goal": text, "met": bool(ok), "detail": detail})

    load = cases["large_torch_load"]
    st = load.median("safetensors.torch.load_file")
    floor = load.median("mmap + copy into torch.empty (floor)")
    tl = load.variants[1]
    tl_med = statistics.median(tl.times)
    size = "{} MiB".format(load.nbytes >> 20)
    goal("load_file " + size + " within 1.3x the plain copy",
         st <= 1.3 * floor,
         "{:.2f}x ({} vs {})".format(st / floor, fmt_time(st),
                                     fmt_time(floor)))
    goal("load_file " + size + " at least 2x faster than torch.load",
         tl_med >= 2 * st,
         "torch.load takes {:.2f}x the time of load_file, 2 needed ({} vs "
         "{})".format(tl_med / st, fmt_time(st), fmt_time(tl_med)))
    save = cases["large_torch_save"]
    ss = save.median("safetensors.torch.save_file")
    raw = save.median("raw write of the bytes (floor)")
    goal("save_file " + size + " within 1.2x a raw write", ss <= 1.2 * raw,
         "{:.2f}x ({} vs {})".format(ss / raw, fmt_time(ss), fmt_time(raw)))
    keys = cases["small_keys"]
    k = statistics.median(keys.variants[0].times)
    goal("safe_open + keys() on a {:,}-tensor file under 5 ms".format(
        keys.count), k < 5e-3,
         "{} (min {})".format(fmt_time(k), fmt_time(min(keys.variants[0]
                                                       .times))))
    print()
    print("## Goals")
    for g in out:
        print("  {:<6} {}: {}".format("MET" if g["met"] else "MISSED",
                                      g["goal"], g["detail"]))
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
    ap.add_argument("--no-parts", action="store_true",
                    help="skip the diagnostic parts and profiles")
    args = ap.parse_args()

    impl = getattr(safetensors, "__implementation__",
                   "unknown (no __implementation__: the Rust library?)")
    meta = {
        "safetensors_implementation": impl,
        "safetensors_version": getattr(safetensors, "__version__", "?"),
        "safetensors_path": os.path.dirname(safetensors.__file__),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "loadavg_start": os.getloadavg(),
    }
    print("# safetensors Python benchmark")
    print("safetensors {} ({}) from {}".format(
        meta["safetensors_version"], impl, meta["safetensors_path"]))
    print("torch {}, numpy {}, Python {} ({}), {} CPUs, {} repetitions, "
          "load average {:.2f}".format(
              torch.__version__, np.__version__, meta["python"],
              sys.executable, meta["cpus"], args.repeat,
              meta["loadavg_start"][0]))
    print("times: median and min of the repetitions; faults: minor page "
          "faults per call (median); cand/this: candidate median / this "
          "median (below 1: the candidate is faster)")
    sys.stdout.flush()

    d = tempfile.mkdtemp(prefix="st_python_bench_", dir=args.dir)
    cases = {}
    parts_json = {}
    t_start = time.perf_counter()
    try:
        side = 1 << 13
        per = (args.mib << 20) // 4
        rows = max(1, per // (side * 4))
        torch.manual_seed(0)
        state_dict = {"layers.{}.weight".format(i): torch.randn(rows, side)
                      for i in range(4)}
        total = sum(t.numel() * 4 for t in state_dict.values())
        shapes = [tuple(t.shape) for t in state_dict.values()]

        raw_path = os.path.join(d, "large.raw")
        done, st_path, pt_path = case_large_torch(
            d, state_dict, total, args.repeat)
        cases.update({c.key: c for c in done})
        os.unlink(pt_path)
        if not args.no_parts:
            c = case_load_parts(st_path, shapes, total, args.repeat)
            cases[c.key] = c
        os.unlink(st_path)

        arrays = {k: t.numpy() for k, t in state_dict.items()}
        done, np_st, npz = case_large_numpy(d, arrays, total, args.repeat,
                                            raw_path)
        cases.update({c.key: c for c in done})
        os.unlink(np_st)
        os.unlink(npz)
        del arrays, state_dict
        gc.collect()
        print("\npeak RSS after the large cases: {:.0f} MiB".format(
            peak_rss_mib()))

        done, sd, small_st, small_pt = case_small(d, args.small_count,
                                                  args.repeat)
        cases.update({c.key: c for c in done})
        if not args.no_parts:
            p = small_parts(sd, small_st, args.repeat)
            if "case" in p:
                cases[p["case"].key] = p["case"]
            parts_json["profile_small_load"] = profile(
                "safetensors.torch.load_file, {} small tensors".format(
                    args.small_count),
                functools.partial(safetensors.torch.load_file, small_st))
            parts_json["profile_small_save"] = profile(
                "safetensors.torch.save_file, {} small tensors".format(
                    args.small_count),
                functools.partial(safetensors.torch.save_file, sd, small_st))
        del sd

        verdicts = goals(cases)
    finally:
        shutil.rmtree(d, ignore_errors=True)

    elapsed = time.perf_counter() - t_start
    rss = peak_rss_mib()
    load = os.getloadavg()
    print("\npeak RSS {:.0f} MiB; total time {:.0f} s; load average {:.2f} "
          "at the end".format(rss, elapsed, load[0]))
    if args.json:
        meta.update({"peak_rss_mib": rss, "elapsed_s": elapsed,
                     "loadavg_end": load})
        with open(args.json, "w") as f:
            json.dump({"meta": meta,
                       "cases": {k: c.to_json() for k, c in cases.items()},
                       "profiles": parts_json,
                       "goals": verdicts}, f, indent=1)
        print("raw numbers written to " + args.json)


if __name__ == "__main__":
    main()
