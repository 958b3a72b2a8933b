"""snippets/pytorch/sync_batchnorm.py: synchronized batch norm over real gloo process groups.

The synchronized result (outputs, input gradients, summed gamma/beta gradients, running
statistics on every process) equals the reference applied to the concatenated global
batch; plain BatchNorm2d equals the reference per shard and differs from the global one.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import RUNNING, assert_close, assert_differs, for_device, param_grad, to_numpy
from tests.snippet_loader import load_snippet

sync = load_snippet("pytorch/sync_batchnorm.py")
DY = np.arange(1.0, 4.0).reshape(1, 3, 1, 1)  # the worker's dL/dy, per channel
SHARDS = {"2 processes, 6 + 4": (6, 4), "4 processes, 3 + 2 + 4 + 1": (3, 2, 4, 1)}


def global_reference(batch: torch.Tensor) -> dict:
    x = to_numpy(batch)
    y, stats = batch_norm_train(x, np.ones(3), np.zeros(3))
    dx, dgamma, dbeta = batch_norm_backward(np.broadcast_to(DY, x.shape), np.ones(3), stats)
    mean, var, _ = update_running_stats(np.zeros(3), np.ones(3), stats.mean, stats.var, stats.count, momentum=0.1)
    return {"y": y, "dx": dx, "dgamma": dgamma, "dbeta": dbeta, "running_mean": mean, "running_var": var}


def tolerance(world_size: int) -> tuple[dict, str]:
    device = "cuda" if torch.cuda.device_count() >= world_size else "cpu"  # the worker's choice
    return for_device(device), device


@pytest.fixture(scope="module", params=list(SHARDS), ids=list(SHARDS))
def distributed(request):
    sizes = SHARDS[request.param]
    torch.manual_seed(0)
    batch = 2.0 + 3.0 * torch.randn(sum(sizes), 3, 4, 4)
    start = time.perf_counter()
    results = sync.run(list(torch.split(batch, sizes)))
    print(f"\ntorch sync BN, {request.param}: {time.perf_counter() - start:.1f} s")
    return batch, sizes, results


def test_synchronized_equals_the_reference_on_the_global_batch(distributed):
    batch, sizes, results = distributed
    ref = global_reference(batch)
    close, device = tolerance(len(sizes))
    synced = [r["synchronized"] for r in results]
    assert_close(torch.cat([r["y"] for r in synced]), ref["y"], f"sync BN y vs global reference ({device})", **close)
    assert_close(torch.cat([r["dx"] for r in synced]), ref["dx"], f"sync BN dx vs global reference ({device})", **close)
    # gamma and beta get each process's share; data parallelism (DDP) sums them
    grads = param_grad(device, batch.numel() // 3)
    assert_close(sum(r["dgamma"] for r in synced), ref["dgamma"], f"sync BN summed dgamma vs global reference ({device})", **grads)
    assert_close(sum(r["dbeta"] for r in synced), ref["dbeta"], f"sync BN summed dbeta vs global reference ({device})", **grads)
    for r in synced:  # every process holds the same running statistics: those of the global batch
        assert_close(r["running_mean"], ref["running_mean"], f"sync BN running mean vs global reference ({device})", **RUNNING)
        assert_close(r["running_var"], ref["running_var"], f"sync BN running var vs global reference ({device})", **RUNNING)


def test_negative_control_plain_batch_norm_uses_each_shard_s_statistics(distributed):
    batch, sizes, results = distributed
    close, device = tolerance(len(sizes))
    for shard, r in zip(torch.split(batch, sizes), results):
        per_shard = batch_norm_train(to_numpy(shard), np.ones(3), np.zeros(3))[0]
        assert_close(r["plain"]["y"], per_shard, f"plain BN y vs per-shard reference ({device})", **close)
    plain = torch.cat([r["plain"]["y"] for r in results])
    assert_differs(plain, global_reference(batch)["y"], "plain BN vs global reference (control)", at_least=0.05)


def test_one_process_in_this_interpreter_is_plain_batch_norm(tmp_path):
    """World size 1, in-process: the same code path, no other process to wait for."""
    torch.manual_seed(1)
    x = 2.0 + 3.0 * torch.randn(5, 3, 4, 4)
    sync.worker(0, 1, str(tmp_path / "store"), [x], str(tmp_path))
    result = torch.load(tmp_path / "rank0.pt")
    ref = global_reference(x)
    close, device = tolerance(1)
    for mode in ("synchronized", "plain"):
        assert_close(result[mode]["y"], ref["y"], f"sync BN world 1 y ({mode}, {device})", **close)
        assert_close(result[mode]["dx"], ref["dx"], f"sync BN world 1 dx ({mode}, {device})", **close)
        assert_close(result[mode]["running_var"], ref["running_var"], f"sync BN world 1 running var ({mode})", **RUNNING)
    layer = sync.CPUSyncBatchNorm(3).eval()  # inference: the running statistics, no communication
    assert torch.equal(layer(x), torch.nn.BatchNorm2d(3).eval()(x))


def _listening_addresses(pids: list[int]) -> set[str]:
    """Local addresses of the TCP sockets these processes listen on (from /proc)."""
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # state 0A: LISTEN
                found.add(fields[1].rsplit(":", 1)[0])
    return found


LOOPBACK = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1, as /proc writes them


def test_processes_listen_on_the_loopback_interface_only(tmp_path):
    shards = [torch.randn(4, 3, 4, 4), torch.randn(3, 3, 4, 4)]
    context = mp.spawn(sync.worker, args=(2, str(tmp_path / "store"), shards, str(tmp_path)), nprocs=2, join=False)
    seen = set()
    while not context.join(timeout=0.05):
        seen |= _listening_addresses(context.pids())
    assert seen, "no listening socket was observed: the check saw nothing"
    assert seen <= LOOPBACK, f"listening beyond 127.0.0.1: {seen - LOOPBACK}"


def test_a_failing_worker_fails_the_run_with_its_error_instead_of_hanging():
    """Rank 1 has no shard and raises at once; rank 0 is left waiting in an all-reduce.
    spawn() stops rank 0 and raises rank 1's error in the caller."""
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="^process 1: AttributeError: 'NoneType' object has no attribute 'to'"):
        sync.run([torch.randn(4, 3, 4, 4), None])
    assert time.perf_counter() - start < 30  # far below the process group's 60 s timeout


@pytest.mark.cuda
@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="needs 2 CUDA GPUs (one per process) for nn.SyncBatchNorm with NCCL")
def test_real_sync_batchnorm_on_gpus_equals_the_reference():
    torch.manual_seed(2)
    batch = 2.0 + 3.0 * torch.randn(10, 3, 4, 4)
    synced = [r["synchronized"] for r in sync.run([batch[:6], batch[6:]])]
    ref = global_reference(batch)
    assert_close(torch.cat([r["y"] for r in synced]), ref["y"], "nn.SyncBatchNorm y vs global reference (cuda)", **for_device("cuda"))
    assert_close(torch.cat([r["dx"] for r in synced]), ref["dx"], "nn.SyncBatchNorm dx vs global reference (cuda)", **for_device("cuda"))
