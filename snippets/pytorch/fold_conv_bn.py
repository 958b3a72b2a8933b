"""Folding a BatchNorm2d into the preceding Conv2d for inference."""

import torch
from torch import nn


@torch.no_grad()
def fold_conv_bn(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> nn.Conv2d:
    """One conv computing bn(conv(x)) in eval mode: W' = W*a, b' = (b - mean)*a + beta."""
    if bn.training:
        raise ValueError("folding uses the running statistics: call .eval() first")
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)  # a, one per output channel
    folded = nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                       conv.padding, conv.dilation, conv.groups, bias=True,
                       device=conv.weight.device, dtype=conv.weight.dtype)
    folded.weight.copy_(conv.weight * scale.view(-1, 1, 1, 1))
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    folded.bias.copy_((bias - bn.running_mean) * scale + bn.bias)
    return folded


def main():
    torch.manual_seed(0)
    conv, bn = nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8)
    bn.train()
    for _ in range(3):  # give the running statistics something other than 0 and 1
        bn(conv(torch.randn(16, 3, 10, 10)))
    bn.eval()
    folded = fold_conv_bn(conv, bn)
    x = torch.randn(2, 3, 10, 10)
    with torch.no_grad():
        difference = (bn(conv(x)) - folded(x)).abs().max().item()
    print(f"bn(conv(x)) and folded(x) agree to within 1e-5: {difference < 1e-5}")
    #> bn(conv(x)) and folded(x) agree to within 1e-5: True

    bn.train()
    try:
        fold_conv_bn(conv, bn)
    except ValueError as error:
        print("in training mode:", error)
        #> in training mode: folding uses the running statistics: call .eval() first


if __name__ == "__main__":
    main()
