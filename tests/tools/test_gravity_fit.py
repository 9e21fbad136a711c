#!/usr/bin/python3
"""tools/baseline_data.py's gravity fit and error-correction speed recover known values from
synthetic flows generated here by their own formula (not by the code under test).

    /usr/bin/python3 tests/tools/test_gravity_fit.py
"""
import sys
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import baseline_data  # noqa: E402

TRUE = np.array([2.0, 0.8, 1.1, -1.2])  # b0, b_x, b_m, b_d


def synthetic_panel(noise_sd, rho=0.0, seed=3):
    """30 exporters x 30 importers x 15 years; log T = b0 + b_x log X + b_m log M + b_d log km + e,
    e an AR(1) in years with coefficient rho (iid when rho = 0) and innovation sd noise_sd."""
    rng = np.random.default_rng(seed)
    countries = [f"C{k:02d}" for k in range(30)]
    size = {c: rng.uniform(8.0, 13.0) for c in countries}
    rows = []
    for a in countries:
        for b in countries:
            if a == b:
                continue
            km = rng.uniform(300.0, 18000.0)
            e = rng.normal(0.0, noise_sd)
            for year in range(1995, 2010):
                lx, lm = size[a] + 0.05 * (year - 1995), size[b] + 0.03 * (year - 1995)
                log_flow = TRUE[0] + TRUE[1] * lx + TRUE[2] * lm + TRUE[3] * np.log(km) + e
                rows.append((a, b, year, np.exp(log_flow), np.exp(lx), np.exp(lm), km))
                e = rho * e + rng.normal(0.0, noise_sd)
    return pd.DataFrame(rows, columns=["exporter", "importer", "year", "flow", "x", "m", "km"])


class GravityFit(unittest.TestCase):
    def test_exact_flows_give_the_coefficients(self):
        beta, classical, robust, resid, r2 = baseline_data.fit_gravity(synthetic_panel(0.0))
        np.testing.assert_allclose(beta, TRUE, atol=1e-8)
        self.assertAlmostEqual(r2, 1.0, places=10)

    def test_noisy_flows_give_the_coefficients_within_their_standard_errors(self):
        beta, classical, robust, resid, r2 = baseline_data.fit_gravity(synthetic_panel(0.3))
        for k in range(4):
            self.assertLess(abs(beta[k] - TRUE[k]), 4.0 * robust[k], f"coefficient {k}: {beta[k]} vs {TRUE[k]}")
            self.assertGreater(classical[k], 0.0)
        # 0.3 of noise on ~13,000 dyad-years: b_x is pinned to about +-0.01
        self.assertLess(abs(beta[1] - TRUE[1]), 0.05)

    def test_error_correction_speed_recovers_the_persistence(self):
        panel = synthetic_panel(0.1, rho=0.8)
        beta, classical, robust, resid, r2 = baseline_data.fit_gravity(panel)
        rho, se_rho, lam, sd_q, sd_u = baseline_data.error_correction_speed(panel, resid)
        self.assertLess(abs(rho - 0.8), 0.05)
        self.assertAlmostEqual(lam, 1.0 - rho ** 0.25, places=12)
        self.assertLess(abs(sd_u - 0.1), 0.02)

    def test_trend_is_the_log_linear_slope(self):
        years = pd.Index(range(1995, 2010))
        series = pd.Series(np.exp(3.0 + 0.07 * (years - 1995)), index=years)
        self.assertAlmostEqual(baseline_data.trends(series), 0.07, places=10)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
