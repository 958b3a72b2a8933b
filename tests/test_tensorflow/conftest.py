"""TensorFlow/Keras device matrix: CPU always; the first GPU when TensorFlow sees one."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

GPU_REASON = "no GPU visible to TensorFlow: tf.config.list_physical_devices('GPU') is empty"
_HAS_GPU = bool(tf.config.list_physical_devices("GPU"))
_cuda = [pytest.mark.cuda, pytest.mark.skipif(not _HAS_GPU, reason=GPU_REASON)]


@pytest.fixture(params=["/CPU:0", pytest.param("/GPU:0", marks=_cuda)], ids=["cpu", "cuda"])
def tf_device(request):
    tf.config.experimental.enable_tensor_float_32_execution(False)  # TF32 is on by default
    keras.utils.set_random_seed(0)
    with tf.device(request.param):
        yield request.param
