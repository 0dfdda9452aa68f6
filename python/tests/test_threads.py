"""Concurrency: round trips from 8 threads, and 8 threads reading one open file."""

import threading

import pytest

np = pytest.importorskip("numpy")

import safetensors.numpy as snp  # noqa: E402
from safetensors import safe_open  # noqa: E402

THREADS = 8
ROUNDS = 50


def run_threads(fn):
    errors = []
    barrier = threading.Barrier(THREADS)

    def wrap(i):
        try:
            barrier.wait()
            fn(i)
        except BaseException as e:  # noqa: BLE001
            errors.append((i, repr(e)))

    ts = [threading.Thread(target=wrap, args=(i,)) for i in range(THREADS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    assert not any(t.is_alive() for t in ts), "threads hung"
    assert errors == []


def test_numpy_round_trips_from_threads(tmp_path):
    def work(i):
        rng = np.random.default_rng(i)
        for r in range(ROUNDS):
            a = rng.standard_normal((17, 5)).astype(np.float32)
            b = rng.integers(-100, 100, (r + 1,)).astype(np.int64)
            p = str(tmp_path / ("t%d_%d.safetensors" % (i, r)))
            snp.save_file({"a": a, "b": b}, p, metadata={"thread": str(i), "round": str(r)})
            with safe_open(p, framework="np") as f:
                assert f.metadata() == {"thread": str(i), "round": str(r)}
                assert np.array_equal(f.get_tensor("a"), a)
                assert np.array_equal(f.get_tensor("b"), b)
                assert np.array_equal(f.get_slice("a")[3:9, 1:], a[3:9, 1:])
            back = snp.load(snp.save({"a": a}))
            assert np.array_equal(back["a"], a)

    run_threads(work)


def test_torch_round_trips_from_threads(tmp_path):
    torch = pytest.importorskip("torch")
    import safetensors.torch as stt

    def work(i):
        g = torch.Generator().manual_seed(i)
        for r in range(ROUNDS):
            a = torch.randn((9, 7), generator=g)
            b = torch.randn((r + 1,), generator=g).to(torch.bfloat16)
            p = str(tmp_path / ("t%d_%d.safetensors" % (i, r)))
            stt.save_file({"a": a, "b": b}, p)
            with safe_open(p, framework="pt") as f:
                assert torch.equal(f.get_tensor("a"), a)
                assert torch.equal(f.get_tensor("b"), b)
            back = stt.load_file(p)
            assert torch.equal(back["a"], a) and torch.equal(back["b"], b)

    run_threads(work)


@pytest.mark.parametrize("framework", ["np", "pt"])
def test_concurrent_reads_of_one_handle(tmp_path, framework):
    if framework == "pt":
        torch = pytest.importorskip("torch")
    tensors = {"t%02d" % k: np.arange(k * 100, k * 100 + 64 * (k + 1), dtype=np.float32)
               for k in range(16)}
    p = str(tmp_path / "shared.safetensors")
    snp.save_file(tensors, p)
    with safe_open(p, framework=framework) as f:
        def work(i):
            for r in range(ROUNDS):
                for k in sorted(tensors)[i % 3::2]:
                    x = f.get_tensor(k)
                    if framework == "pt":
                        assert isinstance(x, torch.Tensor)
                        x = x.numpy()
                    assert np.array_equal(x, tensors[k]), k
                    s = f.get_slice(k)[1::3]
                    if framework == "pt":
                        s = s.numpy()
                    assert np.array_equal(s, tensors[k][1::3])
                assert f.keys() == sorted(tensors)

        run_threads(work)
