"""NumPy reference implementation of the normalization layers (float64): batch, layer,
RMS, group and instance normalization.

Independent of every framework; the tests check PyTorch and Keras against it.
"""
