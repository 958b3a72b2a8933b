"""PyTorch device matrix: CPU always; on CUDA both the cuDNN and the native kernels.

Without a GPU the CUDA cases are reported as skipped, with the reason.
"""

from __future__ import annotations

import pytest
import torch

CUDA_REASON = "no CUDA GPU: torch.cuda.is_available() is False"
_cuda = [pytest.mark.cuda, pytest.mark.skipif(not torch.cuda.is_available(), reason=CUDA_REASON)]


@pytest.fixture(params=["cpu", pytest.param("cuda-cudnn", marks=_cuda), pytest.param("cuda-native", marks=_cuda)])
def device(request):
    # TF32 would round conv/matmul inputs to 10-bit mantissas on Ampere+ GPUs.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    previous = torch.backends.cudnn.enabled
    torch.backends.cudnn.enabled = request.param != "cuda-native"
    torch.manual_seed(0)
    yield torch.device(request.param.split("-")[0])
    torch.backends.cudnn.enabled = previous
