"""Running (moving) statistics: what each framework stores for inference.

The paper (Algorithm 2) averages over the whole training set; frameworks keep an
exponential moving average instead, and disagree on two points:

| convention       | momentum weights | variance stored           |
|------------------|------------------|---------------------------|
| "pytorch"        | the new batch    | unbiased, m / (m - 1)     |
| "keras"          | the old value    | biased (as normalized)    |
| "tf_keras_fused" | the old value    | unbiased (fused kernel)   |

PyTorch's momentum=None is a cumulative average: factor 1 / num_batches_tracked.
"""

from __future__ import annotations

from .validation import as_float64

CONVENTIONS = ("pytorch", "keras", "tf_keras_fused")
DEFAULT_MOMENTUM = {"pytorch": 0.1, "keras": 0.99, "tf_keras_fused": 0.99}


def update_running_stats(running_mean, running_var, batch_mean, batch_var, count,
                         convention="pytorch", momentum=None, num_batches_tracked=0):
    """One training step's update. batch_var is the biased variance used to normalize.

    Returns (new_mean, new_var, new_num_batches_tracked).
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention {convention!r}, expected one of {CONVENTIONS}")
    running_mean, running_var = as_float64("running_mean", running_mean), as_float64("running_var", running_var)
    batch_mean, batch_var = as_float64("batch_mean", batch_mean), as_float64("batch_var", batch_var)
    if not running_mean.shape == running_var.shape == batch_mean.shape == batch_var.shape:
        raise ValueError("running and batch statistics must all have the same shape")
    if count < 2:
        raise ValueError(f"count must be >= 2 to estimate a variance, got {count}")
    tracked = num_batches_tracked + 1

    if convention == "pytorch":
        weight_new = 1.0 / tracked if momentum is None else momentum  # None: cumulative average
        stored_var = batch_var * count / (count - 1)  # Bessel's correction
    else:
        if momentum is None:
            momentum = DEFAULT_MOMENTUM[convention]
        weight_new = 1.0 - momentum  # Keras' momentum weights the OLD value
        stored_var = batch_var * count / (count - 1) if convention == "tf_keras_fused" else batch_var
    if not 0.0 <= weight_new <= 1.0:
        raise ValueError(f"momentum must be in [0, 1], got {momentum}")

    new_mean = (1.0 - weight_new) * running_mean + weight_new * batch_mean
    new_var = (1.0 - weight_new) * running_var + weight_new * stored_var
    return new_mean, new_var, tracked
