"""PyTorch's own fusion utility: fold an eval-mode BatchNorm2d into a Conv2d or ConvTranspose2d."""

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval


def trained_pair(conv: nn.Module) -> tuple[nn.Module, nn.BatchNorm2d]:
    bn = nn.BatchNorm2d(conv.out_channels)
    with torch.no_grad():
        for _ in range(3):  # training steps: running statistics other than 0 and 1
            bn(conv(torch.randn(16, conv.in_channels, 10, 10)))
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.5, 0.5)
    return conv.eval(), bn.eval()


def main():
    torch.manual_seed(0)
    x = torch.randn(2, 3, 10, 10)
    conv, bn = trained_pair(nn.Conv2d(3, 8, 3))
    fused = fuse_conv_bn_eval(conv, bn)  # (1)!
    with torch.no_grad():
        print("Conv2d:          max |bn(conv(x)) - fused(x)| < 1e-5:", (bn(conv(x)) - fused(x)).abs().max().item() < 1e-5)
        #> Conv2d:          max |bn(conv(x)) - fused(x)| < 1e-5: True

    deconv, bn_t = trained_pair(nn.ConvTranspose2d(3, 8, 3))
    fused_t = fuse_conv_bn_eval(deconv, bn_t, transpose=True)  # (2)!
    with torch.no_grad():
        print("ConvTranspose2d: max |bn(conv(x)) - fused(x)| < 1e-5:", (bn_t(deconv(x)) - fused_t(x)).abs().max().item() < 1e-5)
        #> ConvTranspose2d: max |bn(conv(x)) - fused(x)| < 1e-5: True
    print("weight shapes: Conv2d", tuple(conv.weight.shape), "ConvTranspose2d", tuple(deconv.weight.shape))
    #> weight shapes: Conv2d (8, 3, 3, 3) ConvTranspose2d (3, 8, 3, 3)

    bn.train()
    try:
        fuse_conv_bn_eval(conv, bn)
    except AssertionError as error:  # (3)!
        print("in training mode:", error)
        #> in training mode: Fusion only for eval!


if __name__ == "__main__":
    main()
