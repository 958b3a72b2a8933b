"""How noisy are batch statistics? Their error grows as the mini-batch shrinks.

Draws many mini-batches of each size from one feature with known mean and variance and
measures how far each batch's mean and (biased) variance land from the true values.
Theory for Gaussian data: the batch mean's error has std sigma/sqrt(m); the biased
variance has mean (m-1)/m * sigma^2 and std sigma^2 * sqrt(2(m-1))/m.
"""

import numpy as np


def batch_statistics_error(batch_sizes, mu=3.0, sigma=2.0, trials=20000, seed=0):
    """Root-mean-square error of the batch mean and the batch variance, per batch size."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in batch_sizes:
        batches = rng.normal(mu, sigma, size=(trials, m))
        mean_rmse = np.sqrt(np.mean((batches.mean(axis=1) - mu) ** 2))
        var_rmse = np.sqrt(np.mean((batches.var(axis=1) - sigma**2) ** 2))  # biased, as BN uses
        rows.append((m, mean_rmse, var_rmse))
    return rows


def main():
    print(" batch | error of mean | error of variance  (true mean 3, true variance 4)")
    #>  batch | error of mean | error of variance  (true mean 3, true variance 4)
    for m, mean_err, var_err in batch_statistics_error([2, 4, 8, 16, 32, 64, 128, 256]):
        print(f"{m:6d} | {mean_err:13.3f} | {var_err:17.3f}")
        #>      2 |         1.411 |             3.487
        #>      4 |         1.003 |             2.654
        #>      8 |         0.708 |             1.928
        #>     16 |         0.499 |             1.399
        #>     32 |         0.353 |             0.992
        #>     64 |         0.250 |             0.706
        #>    128 |         0.176 |             0.501
        #>    256 |         0.125 |             0.356


if __name__ == "__main__":
    main()
