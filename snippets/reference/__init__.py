"""NumPy reference implementation of batch and layer normalization (float64).

Independent of every framework; the tests check PyTorch and Keras against it.
"""
