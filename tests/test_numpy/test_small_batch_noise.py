"""snippets/numpy/small_batch_noise.py: measured errors vs the Gaussian sampling theory."""

from __future__ import annotations

import numpy as np

from tests.snippet_loader import load_snippet

snippet = load_snippet("numpy/small_batch_noise.py")
SIZES = [2, 4, 8, 16, 32, 64, 128, 256]


def test_errors_follow_theory_and_grow_as_the_batch_shrinks(capsys):
    sigma = 2.0
    rows = snippet.batch_statistics_error(SIZES, mu=3.0, sigma=sigma, trials=20000)
    for m, mean_err, var_err in rows:
        # Monte Carlo with 20000 trials: the RMSE estimate is within ~2% (1/sqrt(2*trials)
        # relative, times a few sigmas); 5% leaves room without hiding a wrong formula
        # (an unbiased variance, say, changes m=2's error by 25%).
        assert abs(mean_err - sigma / np.sqrt(m)) < 0.05 * sigma / np.sqrt(m)
        expected_var = sigma**2 * np.sqrt((1 / m) ** 2 + 2 * (m - 1) / m**2)  # bias^2 + variance
        assert abs(var_err - expected_var) < 0.05 * expected_var
    errors = [row[1] for row in rows]
    assert all(a > b for a, b in zip(errors, errors[1:]))
    snippet.main()
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + len(SIZES)
