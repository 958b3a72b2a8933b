"""RMS normalization in PyTorch: scale each token by its root mean square, no centering."""

import torch
from torch import nn


def rounded(t: torch.Tensor, digits: int = 3) -> list[float]:
    return [round(v, digits) + 0.0 for v in t.flatten().tolist()]


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tokens = (1.0 + torch.randn(2, 4, 8)).to(device)  # drawn on the CPU: same numbers on a GPU
    rms = nn.RMSNorm(8).to(device)  # (1)!
    y = rms(tokens)
    print("root mean square per token:", rounded(y[0].pow(2).mean(dim=-1).sqrt()))
    #> root mean square per token: [1.0, 1.0, 1.0, 1.0]
    print("mean per token (not 0):    ", rounded(y[0].mean(dim=-1)))
    #> mean per token (not 0):     [0.491, 0.861, 0.577, 0.857]
    print("parameters:", [(name, tuple(p.shape)) for name, p in rms.named_parameters()])  # (2)!
    #> parameters: [('weight', (8,))]
    print("eps=None means", torch.finfo(torch.float32).eps)  # (3)!
    #> eps=None means 1.1920928955078125e-07

    centered = tokens - tokens.mean(dim=-1, keepdim=True)  # (4)!
    layer_norm = nn.LayerNorm(8, eps=torch.finfo(torch.float32).eps).to(device)
    print("on zero-mean input, equal to layer norm:", torch.allclose(rms(centered), layer_norm(centered), atol=1e-5))
    #> on zero-mean input, equal to layer norm: True


if __name__ == "__main__":
    main()
