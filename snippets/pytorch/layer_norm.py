"""Layer normalization in PyTorch: every sample (every token) is normalized on its own."""

import torch
from torch import nn


def rounded(t: torch.Tensor, digits: int = 3) -> list[float]:
    return [round(v, digits) + 0.0 for v in t.flatten().tolist()]


def main():
    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tokens = (3.0 + 2.0 * torch.randn(2, 4, 8)).to(device)  # (batch, sequence, features)
    ln = nn.LayerNorm(8).to(device)  # (1)!
    y = ln(tokens)
    print("mean per token:", rounded(y[0].mean(dim=-1)))
    #> mean per token: [0.0, 0.0, 0.0, 0.0]
    print("std per token: ", rounded(y[0].std(dim=-1, unbiased=False)))
    #> std per token:  [1.0, 1.0, 1.0, 1.0]
    print("gamma, beta:", tuple(ln.weight.shape), tuple(ln.bias.shape))
    #> gamma, beta: (8,) (8,)

    alone = ln(tokens[1:])  # (2)!
    print("a sample alone gives the same output as in the batch:", torch.allclose(alone, y[1:]))
    #> a sample alone gives the same output as in the batch: True
    ln.eval()  # (3)!
    print("inference mode gives the same output:", torch.equal(ln(tokens), y))
    #> inference mode gives the same output: True

    images = (2.0 * torch.randn(2, 4, 5, 5)).to(device)  # (N, C, H, W)
    per_image = nn.LayerNorm([4, 5, 5]).to(device)  # (4)!
    out = per_image(images).flatten(1)
    print("per image: gamma", tuple(per_image.weight.shape), "std", rounded(out.std(dim=1, unbiased=False)))
    #> per image: gamma (4, 5, 5) std [1.0, 1.0]


if __name__ == "__main__":
    main()
