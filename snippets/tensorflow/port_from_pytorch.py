"""Porting a trained PyTorch BatchNorm2d to Keras exactly: copy the weights, translate the conventions."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

import keras
import numpy as np
import torch


def port_batchnorm(bn: torch.nn.BatchNorm2d) -> keras.layers.BatchNormalization:
    """A Keras layer computing what `bn` computes, for NCHW input (axis=1)."""
    layer = keras.layers.BatchNormalization(
        axis=1,  # PyTorch's channels are dim 1; Keras' default is -1 (NHWC)
        momentum=1.0 - bn.momentum,  # PyTorch 0.1 weights the new batch = Keras 0.9
        epsilon=bn.eps,  # 1e-5 in PyTorch; Keras' own default is 1e-3
    )
    layer.build((None, bn.num_features, None, None))
    layer.set_weights([
        bn.weight.detach().cpu().numpy(),  # gamma
        bn.bias.detach().cpu().numpy(),  # beta
        bn.running_mean.cpu().numpy(),  # moving_mean
        bn.running_var.cpu().numpy(),  # moving_variance: copy as is, both are used as-is
    ])
    return layer


def main():
    torch.manual_seed(0)
    bn = torch.nn.BatchNorm2d(4)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.normal_()
        for _ in range(3):
            bn(3.0 + 2.0 * torch.randn(8, 4, 6, 6))  # training steps move the running stats
    bn.eval()
    layer = port_batchnorm(bn)

    x = 3.0 + 2.0 * torch.randn(2, 4, 6, 6)
    with torch.no_grad():
        expected = bn(x).numpy()
    ported = np.asarray(layer(x.numpy(), training=False))
    difference = np.abs(expected - ported).max()
    print(f"PyTorch and the ported Keras layer agree to within 1e-5: {difference < 1e-5}")
    #> PyTorch and the ported Keras layer agree to within 1e-5: True
    return expected, ported


if __name__ == "__main__":
    main()
