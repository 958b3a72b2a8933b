"""Inference time of a Conv2d followed by BatchNorm2d, before and after folding (`make bench-folding`).

Prints the machine it ran on: the speed-up depends on it (CPU or GPU, threads, the
kernels the framework picks), so the glossary shows this command, not a number.
"""

from __future__ import annotations

import platform

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval
from torch.utils import benchmark


def main() -> None:
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    conv, bn = nn.Conv2d(64, 64, 3, padding=1).to(device).eval(), nn.BatchNorm2d(64).to(device).eval()
    fused = fuse_conv_bn_eval(conv, bn)
    x = torch.randn(32, 64, 56, 56, device=device)
    machine = torch.cuda.get_device_name() if device == "cuda" else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    print(f"torch {torch.__version__} on {device} ({machine}); input {tuple(x.shape)}, 64 -> 64 channels, 3x3")
    times = {}
    with torch.no_grad():
        for name, run in {"conv + BN": lambda: bn(conv(x)), "folded conv": lambda: fused(x)}.items():
            timer = benchmark.Timer(stmt="run()", globals={"run": run})
            times[name] = timer.blocked_autorange(min_run_time=2.0).median
            print(f"{name:12} {times[name] * 1e3:8.2f} ms per batch (median)")
    print(f"speed-up: {times['conv + BN'] / times['folded conv']:.2f}x")


if __name__ == "__main__":
    main()
