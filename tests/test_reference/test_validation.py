"""snippets/reference/validation.py: the shared input checks, directly."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.reference.validation import as_float64, channel_axis, check_eps, per_channel


def test_accepts_good_input():
    assert as_float64("x", [1, 2]).dtype == np.float64
    assert check_eps(1e-5) == 1e-5
    assert channel_axis(np.ones((2, 3, 4)), -1) == 2
    assert per_channel("gamma", [1.0, 2.0], 2).shape == (2,)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: as_float64("x", [np.nan]), "x contains NaN or infinity"),
        (lambda: check_eps(0.0), "eps must be > 0"),
        (lambda: channel_axis(np.ones((2, 3)), -3), "channel axis -3 is out of range"),
        (lambda: channel_axis(np.ones((2, 3)), -2), "^channel axis 0 is the batch axis$"),
        (lambda: per_channel("beta", np.ones((2, 1)), 2), r"beta has shape \(2, 1\), expected \(2,\)"),
    ],
)
def test_rejects_bad_input_by_name(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# Every array argument of every public reference function is checked under its own
# name: a NaN in it, or (for per-channel values) a wrong shape, raises a ValueError that
# names that argument. Valid arguments for each function, then the bad variants.
def _valid_calls():
    from snippets.reference.batch_norm import (
        batch_norm_backward,
        batch_norm_eval,
        batch_norm_eval_backward,
        batch_norm_train,
    )
    from snippets.reference.batch_renorm import (
        batch_renorm_backward,
        batch_renorm_eval,
        batch_renorm_train,
        update_moving_stats,
    )
    from snippets.reference.fold import fold_batch_norm
    from snippets.reference.group_norm import group_norm, group_norm_backward
    from snippets.reference.instance_norm import instance_norm, instance_norm_backward
    from snippets.reference.layer_norm import layer_norm, layer_norm_backward
    from snippets.reference.rms_norm import rms_norm, rms_norm_backward
    from snippets.reference.running_stats import update_running_stats

    rng = np.random.default_rng(0)
    x, c = rng.normal(size=(4, 3, 2)), np.ones(3)
    _, stats = batch_norm_train(x, c, c)
    _, x_hat, var = layer_norm(x, np.ones(2), np.ones(2))
    _, rms_hat, mean_square = rms_norm(x, np.ones(2))
    _, gn_hat, gn_var = group_norm(x, c, c, groups=3)
    _, in_hat, in_var = instance_norm(x, c, c)
    _, r, d, renorm_stats = batch_renorm_train(x, c, c, c, c, r_max=2.0, d_max=1.0)
    return {
        "batch_norm_train": (batch_norm_train, {"x": x, "gamma": c, "beta": c}, {"gamma", "beta"}),
        "batch_norm_eval": (batch_norm_eval, {"x": x, "running_mean": c, "running_var": c, "gamma": c, "beta": c},
                            {"running_mean", "running_var", "gamma", "beta"}),
        "batch_norm_backward": (lambda dy, gamma: batch_norm_backward(dy, gamma, stats), {"dy": x, "gamma": c}, {"gamma"}),
        "batch_norm_eval_backward": (batch_norm_eval_backward,
                                     {"dy": x, "x": x, "running_mean": c, "running_var": c, "gamma": c},
                                     {"running_mean", "running_var", "gamma"}),
        "update_running_stats": (lambda **kw: update_running_stats(**kw, count=8),
                                 {"running_mean": c, "running_var": c, "batch_mean": c, "batch_var": c}, set()),
        "fold_batch_norm": (fold_batch_norm, {"weight": rng.normal(size=(3, 2, 3, 3)), "bias": c, "running_mean": c,
                                              "running_var": c, "gamma": c, "beta": c},
                            {"bias", "running_mean", "running_var", "gamma", "beta"}),
        "layer_norm": (layer_norm, {"x": x, "gamma": np.ones(2), "beta": np.ones(2)}, {"gamma", "beta"}),
        "layer_norm_backward": (layer_norm_backward, {"dy": x, "x_hat": x_hat, "var": var, "gamma": np.ones(2)}, {"gamma"}),
        "rms_norm": (rms_norm, {"x": x, "gamma": np.ones(2)}, {"gamma"}),
        "rms_norm_backward": (rms_norm_backward, {"dy": x, "x_hat": rms_hat, "mean_square": mean_square, "gamma": np.ones(2)},
                              {"gamma"}),
        "group_norm": (lambda **kw: group_norm(**kw, groups=3), {"x": x, "gamma": c, "beta": c}, {"gamma", "beta"}),
        "group_norm_backward": (lambda **kw: group_norm_backward(**kw, groups=3),
                                {"dy": x, "x_hat": gn_hat, "var": gn_var, "gamma": c}, {"gamma"}),
        "instance_norm": (instance_norm, {"x": x, "gamma": c, "beta": c}, {"gamma", "beta"}),
        "instance_norm_backward": (instance_norm_backward, {"dy": x, "x_hat": in_hat, "var": in_var, "gamma": c}, {"gamma"}),
        "batch_renorm_train": (lambda **kw: batch_renorm_train(**kw, r_max=2.0, d_max=1.0),
                               {"x": x, "gamma": c, "beta": c, "moving_mean": c, "moving_std": c},
                               {"gamma", "beta", "moving_mean", "moving_std"}),
        "batch_renorm_backward": (lambda **kw: batch_renorm_backward(**kw, stats=renorm_stats),
                                  {"dy": x, "gamma": c, "r": r, "d": d}, {"gamma", "r", "d"}),
        "update_moving_stats": (lambda **kw: update_moving_stats(**kw, stats=renorm_stats),
                                {"moving_mean": c, "moving_std": c}, {"moving_mean", "moving_std"}),
        "batch_renorm_eval": (batch_renorm_eval, {"x": x, "moving_mean": c, "moving_std": c, "gamma": c, "beta": c},
                              {"moving_mean", "moving_std", "gamma", "beta"}),
    }


CASES = [(name, arg) for name, (_, kwargs, _) in _valid_calls().items() for arg in kwargs]
SHAPE_CASES = [(name, arg) for name, (_, _, shaped) in _valid_calls().items() for arg in sorted(shaped)]


@pytest.mark.parametrize("function, argument", CASES, ids=[f"{f}-{a}" for f, a in CASES])
def test_every_array_argument_is_checked_for_nan_under_its_own_name(function, argument):
    call, kwargs, _ = _valid_calls()[function]
    call(**kwargs)  # the valid call works
    bad = np.array(kwargs[argument], dtype=np.float64)
    bad.flat[-1] = np.nan
    with pytest.raises(ValueError, match=rf"^{argument} contains NaN or infinity$"):
        call(**{**kwargs, argument: bad})


@pytest.mark.parametrize("function, argument", SHAPE_CASES, ids=[f"{f}-{a}" for f, a in SHAPE_CASES])
def test_every_parameter_is_checked_for_shape_under_its_own_name(function, argument):
    call, kwargs, _ = _valid_calls()[function]
    wrong = np.ones(np.shape(kwargs[argument])[0] + 1)
    with pytest.raises(ValueError, match=rf"^{argument} has shape \({wrong.size},\), expected"):
        call(**{**kwargs, argument: wrong})


@pytest.mark.parametrize("function", ["batch_norm_eval", "batch_norm_eval_backward", "fold_batch_norm"])
def test_a_negative_running_variance_is_refused_everywhere_it_is_used(function):
    call, kwargs, _ = _valid_calls()[function]
    with pytest.raises(ValueError, match="^running_var must be >= 0$"):
        call(**{**kwargs, "running_var": np.array([1.0, -1e-9, 1.0])})


def test_a_zero_running_variance_is_legal():
    """A channel that was constant in training has variance 0; eps keeps the division safe."""
    call, kwargs, _ = _valid_calls()["batch_norm_eval"]
    y = call(**{**kwargs, "running_var": np.array([0.0, 1.0, 1.0])})
    assert np.all(np.isfinite(y))
