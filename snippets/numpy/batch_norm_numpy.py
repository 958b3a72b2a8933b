"""Batch normalization in NumPy: forward, backward, running statistics and inference.

Input of shape (N, C): one mean and one variance per feature (column), over the batch.
"""

import numpy as np


def batch_norm_forward(x, gamma, beta, eps=1e-5):
    """Training mode: normalize with the mini-batch's own statistics."""
    m = x.shape[0]
    if m < 2:  # the variance of one value is 0: the output would be beta, whatever x is
        raise ValueError(f"expected more than 1 value per feature in training, got {m}")
    mean = x.mean(axis=0)
    var = x.var(axis=0)  # biased (divide by m): this is what normalizes
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mean) * inv_std
    return gamma * x_hat + beta, (x_hat, inv_std, mean, var)


def batch_norm_backward(dy, gamma, cache):
    """dL/dx, dL/dgamma, dL/dbeta from dL/dy; the batch statistics depend on x too."""
    x_hat, inv_std, _, _ = cache
    m = dy.shape[0]
    dbeta = dy.sum(axis=0)
    dgamma = (dy * x_hat).sum(axis=0)
    dx = gamma * inv_std / m * (m * dy - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta


def update_running(running_mean, running_var, cache, m, momentum=0.1):
    """PyTorch's convention: momentum weights the NEW batch; the stored variance is unbiased."""
    _, _, mean, var = cache
    running_mean = (1 - momentum) * running_mean + momentum * mean
    running_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    return running_mean, running_var


def batch_norm_inference(x, running_mean, running_var, gamma, beta, eps=1e-5):
    """Inference mode: a fixed per-feature affine map; works on a single sample."""
    return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta


def numerical_gradient(f, x, h=1e-6):
    """Central differences of the scalar function f at x, one entry at a time."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def main():
    rng = np.random.default_rng(0)
    x = rng.normal(loc=[5.0, -2.0, 40.0], scale=[2.0, 0.5, 10.0], size=(16, 3))
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])

    y, cache = batch_norm_forward(x, gamma, beta)
    print("mean of y:", (y.mean(axis=0).round(4) + 0.0).tolist())  # beta
    #> mean of y: [0.0, 1.0, -1.0]
    print("std of y: ", y.std(axis=0).round(4).tolist())  # gamma, up to eps
    #> std of y:  [1.0, 1.9999, 0.5]

    dy = rng.normal(size=x.shape)  # the gradient arriving from the layers above
    dx, dgamma, dbeta = batch_norm_backward(dy, gamma, cache)
    loss = lambda x_: np.sum(batch_norm_forward(x_, gamma, beta)[0] * dy)  # so that dL/dy = dy
    print("dx matches finite differences:", np.allclose(dx, numerical_gradient(loss, x), atol=1e-6))
    #> dx matches finite differences: True

    running_mean, running_var = np.zeros(3), np.ones(3)
    for _ in range(200):  # training steps on fresh batches from the same distribution
        batch = rng.normal(loc=[5.0, -2.0, 40.0], scale=[2.0, 0.5, 10.0], size=(64, 3))
        _, batch_cache = batch_norm_forward(batch, gamma, beta)
        running_mean, running_var = update_running(running_mean, running_var, batch_cache, m=64)
    # Estimates of the true means 5, -2, 40 and standard deviations 2, 0.5, 10,
    # dominated by the last ~20 batches (momentum 0.1):
    print("running mean:", running_mean.round(1).tolist())
    #> running mean: [4.9, -2.0, 40.0]
    print("running std: ", np.sqrt(running_var).round(1).tolist())
    #> running std:  [2.0, 0.5, 10.2]
    one_sample = batch_norm_inference(x[:1], running_mean, running_var, gamma, beta)
    print("inference on one sample:", one_sample.round(3).tolist())
    #> inference on one sample: [[0.16, 0.689, -0.687]]


if __name__ == "__main__":
    main()
