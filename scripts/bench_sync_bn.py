"""Time per training step of a batch-norm layer, synchronized across 1, 2 and 4 processes
or not (`make bench-sync`). CPU, gloo over the loopback interface; prints the machine.

Each process holds a shard of 8 images with 64 channels of 16x16 and runs forward and
backward through the synchronized layer of snippets/pytorch/sync_batchnorm.py (forward:
two all-reduces, of 65 and 64 values; backward: the same) or through a plain
BatchNorm2d. The median of 30 steps after 5 warm-up steps is reported.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from snippets.pytorch.sync_batchnorm import CPUSyncBatchNorm  # noqa: E402

STEPS, WARM_UP, SHARD = 30, 5, (8, 64, 16, 16)


def worker(rank: int, world_size: int, folder: str) -> None:
    torch.set_num_threads(1)  # one core per process: the machine has few
    dist.init_process_group("gloo", store=dist.FileStore(os.path.join(folder, "store"), world_size),
                            rank=rank, world_size=world_size, timeout=timedelta(seconds=120))
    try:
        x = torch.randn(SHARD, requires_grad=True)
        times = {}
        for name, bn in {"synchronized": CPUSyncBatchNorm(SHARD[1]), "plain": nn.BatchNorm2d(SHARD[1])}.items():
            samples = []
            for step in range(WARM_UP + STEPS):
                dist.barrier()
                start = time.perf_counter()
                bn(x).sum().backward()
                if step >= WARM_UP:
                    samples.append(time.perf_counter() - start)
            times[name] = statistics.median(samples)
        if rank == 0:
            Path(folder, "times.txt").write_text(f"{times['synchronized']} {times['plain']}")
    finally:
        dist.destroy_process_group()


def main() -> None:
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    print(f"torch {torch.__version__}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, gloo on loopback")
    print(f"shard per process {SHARD}; all-reduced per step: 2 x {SHARD[1]} + 1 values forward, as many backward")
    print("| processes | synchronized (ms/step) | plain (ms/step) | ratio |\n|---|---|---|---|")
    for world_size in (1, 2, 4):
        with tempfile.TemporaryDirectory() as folder:
            mp.spawn(worker, args=(world_size, folder), nprocs=world_size, join=True)
            synced, plain = map(float, Path(folder, "times.txt").read_text().split())
        print(f"| {world_size} | {synced * 1e3:.2f} | {plain * 1e3:.2f} | {synced / plain:.1f} |")


if __name__ == "__main__":
    main()
