"""snippets/tensorflow/keras_sync_batchnorm.py: MirroredStrategy over logical CPUs in a fresh
process; synchronized=True equals the reference on the concatenated global batch (outputs,
input gradients, moving statistics on every replica)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from snippets.reference.batch_norm import batch_norm_backward, batch_norm_train
from snippets.reference.running_stats import update_running_stats
from tests.numerics import KERAS, RUNNING, assert_close, assert_differs
from tests.snippet_loader import load_snippet

sync = load_snippet("tensorflow/keras_sync_batchnorm.py")
SHARDS = {"2 replicas, 6 + 4": (6, 4), "3 replicas, 2 + 5 + 3": (2, 5, 3)}
DY = np.arange(1.0, 4.0)  # the replicas' dL/dy, per feature


@pytest.fixture(scope="module", params=list(SHARDS), ids=list(SHARDS))
def run(request):
    sizes = SHARDS[request.param]
    batch = (2.0 + 3.0 * np.random.default_rng(0).standard_normal((sum(sizes), 3))).astype("float32")
    shards = np.split(batch, np.cumsum(sizes)[:-1])
    start = time.perf_counter()
    results = sync.in_fresh_process(sync.replicas, shards, momentum=0.9)
    print(f"\nkeras sync BN, {request.param}: {time.perf_counter() - start:.1f} s")
    return batch, shards, results


def test_synchronized_equals_the_reference_on_the_global_batch(run):
    batch, shards, results = run
    y_ref, stats = batch_norm_train(batch, np.ones(3), np.zeros(3), eps=1e-3, axis=-1)
    mean_ref, var_ref, _ = update_running_stats(np.zeros(3), np.ones(3), stats.mean, stats.var, stats.count,
                                          convention="keras", momentum=0.9)
    assert_close(np.concatenate(results["synchronized"]["y"]), y_ref, "keras synchronized BN y vs global reference", **KERAS)
    dx_ref, _, _ = batch_norm_backward(np.broadcast_to(DY, batch.shape), np.ones(3), stats)
    assert_close(np.concatenate(results["synchronized"]["dx"]), dx_ref, "keras synchronized BN dx vs global reference", **KERAS)
    for mean, var in zip(results["synchronized"]["moving_mean"], results["synchronized"]["moving_variance"]):
        # the same on every replica
        assert_close(mean, mean_ref, "keras synchronized BN moving mean vs global reference", **RUNNING)
        # Keras computes the synchronized variance as E[x^2] - E[x]^2 in float32: with mean 2
        # and variance 9 that loses ~1e-6 relative, hence KERAS rather than RUNNING here
        assert_close(var, var_ref, "keras synchronized BN moving variance vs global reference", **KERAS)


def test_negative_control_plain_batch_norm_normalizes_each_shard_on_its_own(run):
    batch, shards, results = run
    y_global, _ = batch_norm_train(batch, np.ones(3), np.zeros(3), eps=1e-3, axis=-1)
    for shard, y, dx in zip(shards, results["plain"]["y"], results["plain"]["dx"]):
        y_ref, stats = batch_norm_train(shard, np.ones(3), np.zeros(3), eps=1e-3, axis=-1)
        assert_close(y, y_ref, "keras plain BN y vs per-shard reference", **KERAS)
        dx_ref, _, _ = batch_norm_backward(np.broadcast_to(DY, shard.shape), np.ones(3), stats)
        assert_close(dx, dx_ref, "keras plain BN dx vs per-shard reference", **KERAS)
    assert_differs(np.concatenate(results["plain"]["y"]), y_global, "keras plain BN vs global reference (control)", at_least=0.1)
    means = results["plain"]["moving_mean"]
    assert_differs(means[0], means[1], "keras plain BN: replicas' moving means drift apart (control)", at_least=0.01)


def _fails(message: str):
    raise ValueError(message)


def test_a_failing_replica_process_fails_the_caller_with_its_message():
    start = time.perf_counter()
    with pytest.raises(ValueError, match="^replica failed on purpose$"):
        sync.in_fresh_process(_fails, "replica failed on purpose")
    assert time.perf_counter() - start < 60

