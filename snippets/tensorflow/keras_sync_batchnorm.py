"""Synchronized batch norm in Keras: MirroredStrategy over 2 logical CPUs, BatchNormalization(synchronized=True).

TensorFlow's devices must be configured before TensorFlow starts, so the distributed
part runs in a fresh process (which also works from a notebook where TensorFlow is
already running). Replica 0 holds 6 samples, replica 1 holds 4.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up log

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np


def replicas(shards: list, momentum: float = 0.9) -> dict:
    """Runs in a fresh process: one training step per replica, with and without synchronization."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * len(shards))  # (1)!
    import keras

    strategy = tf.distribute.MirroredStrategy([f"/cpu:{i}" for i in range(len(shards))])
    inputs = strategy.experimental_distribute_values_from_function(
        lambda context: tf.constant(shards[context.replica_id_in_sync_group]))  # uneven shards
    results = {}
    for synchronized in (True, False):
        with strategy.scope():
            bn = keras.layers.BatchNormalization(synchronized=synchronized, momentum=momentum)  # (2)!
            bn.build((None, shards[0].shape[1]))

        @tf.autograph.experimental.do_not_convert  # plain Python, no control flow to convert
        def replica_step(x, bn=bn):  # forward, and the gradient of sum(y * [1, 2, 3]) w.r.t. x
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = bn(x, training=True)
                loss = tf.reduce_sum(y * tf.range(1.0, 4.0))
            return y, tape.gradient(loss, x)

        outputs, gradients = tf.function(lambda x: strategy.run(replica_step, args=(x,)))(inputs)
        results["synchronized" if synchronized else "plain"] = {
            "y": [y.numpy() for y in strategy.experimental_local_results(outputs)],
            "dx": [g.numpy() for g in strategy.experimental_local_results(gradients)],
            "moving_mean": [m.numpy() for m in strategy.experimental_local_results(bn.moving_mean.value)],
            "moving_variance": [v.numpy() for v in strategy.experimental_local_results(bn.moving_variance.value)]}
    return results


def in_fresh_process(function, *args, **kwargs):
    """Run function in a new Python process; its exception, if any, is raised here."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result(timeout=300)


def main():
    rng = np.random.default_rng(0)
    batch = (2.0 + 3.0 * rng.standard_normal((10, 3))).astype("float32")  # 10 samples, 3 features
    shards = [batch[:6], batch[6:]]
    whole = (batch - batch.mean(axis=0)) / np.sqrt(batch.var(axis=0) + 1e-3)  # BN of the whole batch

    results = in_fresh_process(replicas, shards)
    synced, plain = (np.concatenate(results[mode]["y"]) for mode in ("synchronized", "plain"))
    print("synchronized: equal to batch norm on the whole batch:", bool(np.allclose(synced, whole, atol=1e-5)))
    #> synchronized: equal to batch norm on the whole batch: True
    print(f"not synchronized: differs from it by up to {np.abs(plain - whole).max():.2f}")
    #> not synchronized: differs from it by up to 0.87
    for mode in ("synchronized", "plain"):
        means = [[round(float(v), 3) for v in m] for m in results[mode]["moving_mean"]]
        print(f"{mode:12} moving mean, replica 0: {means[0]}, replica 1: {means[1]}")  # (3)!
        #> synchronized moving mean, replica 0: [0.169, 0.167, 0.154], replica 1: [0.169, 0.167, 0.154]
        #> plain        moving mean, replica 0: [0.061, 0.145, 0.139], replica 1: [0.332, 0.201, 0.177]

if __name__ == "__main__":
    main()
