"""Numeric functions against cases with known answers: Sobol indices of the Ishigami function,
Morris on linear functions, PRIM on a planted box, periods, label packing."""
import unittest

import numpy as np

from analysis.figures import pack_rows
from analysis.periods import format_period, parse_period, period_index, quarter_ticks
from analysis.prim import prim
from analysis.sensitivity import (ishigami, ishigami_indices, morris_effects, morris_sample, saltelli_sample,
                                  sobol_indices)


class Periods(unittest.TestCase):
    def test_round_trip(self):
        self.assertEqual(parse_period("2014Q3"), 2014.5)
        self.assertEqual(parse_period("2030Q1"), 2030.0)
        self.assertEqual(format_period(2014.75), "2014Q4")
        for label in ("2010Q1", "2019Q4", "2031Q2"):
            self.assertEqual(format_period(parse_period(label)), label)

    def test_bad_periods(self):
        for bad in ("2014Q5", "14Q1", "2014-Q1", ""):
            with self.assertRaises(ValueError):
                parse_period(bad)

    def test_index(self):
        labels = ["2020Q1", "2020Q2", "2020Q3"]
        self.assertEqual(period_index(labels, [2020, 2020.25, 2020.5], "2020Q2"), 1)
        self.assertEqual(period_index(labels, [2020, 2020.25, 2020.5], None), 2)
        with self.assertRaisesRegex(ValueError, "2020Q1 to 2020Q3"):
            period_index(labels, [2020, 2020.25, 2020.5], "2021Q1")

    def test_ticks_fit_and_are_first_quarters(self):
        labels = [f"{2010 + q // 4}Q{q % 4 + 1}" for q in range(81)]
        times = [parse_period(label) for label in labels]
        positions, names = quarter_ticks(times, labels, max_ticks=12)
        self.assertLessEqual(len(names), 12)
        self.assertGreaterEqual(len(names), 5)
        self.assertTrue(all(name.endswith("Q1") for name in names))
        self.assertEqual([parse_period(n) for n in names], positions)


class Sobol(unittest.TestCase):
    def test_ishigami(self):
        """a = 7, b = 0.1: S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)."""
        x, sample, block = saltelli_sample(4096, [-np.pi] * 3, [np.pi] * 3, seed=11)
        self.assertEqual(x.shape, (4096 * 5, 3))
        self.assertEqual(list(block[:5]), ["A", "B", "0", "1", "2"])
        result = sobol_indices(ishigami(x), sample, block, ["x1", "x2", "x3"], n_bootstrap=200)
        first, total = ishigami_indices()
        np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=1e-3)
        np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=1e-3)
        np.testing.assert_allclose(result.table["S1"], first, atol=0.03)
        np.testing.assert_allclose(result.table["ST"], total, atol=0.03)
        # the intervals are honest: they hold the true values, and they are narrow
        self.assertTrue(((result.table["S1_low"] <= first + 0.01) & (first - 0.01 <= result.table["S1_high"])).all())
        self.assertTrue(((result.table["ST_low"] <= total + 0.01) & (total - 0.01 <= result.table["ST_high"])).all())
        self.assertLess((result.table["S1_high"] - result.table["S1_low"]).max(), 0.15)

    def test_additive_linear(self):
        """y = sum c_i x_i, x_i uniform: S_i = ST_i = c_i^2 var_i / sum_j c_j^2 var_j."""
        low, high = np.array([0.0, 0.0, -1.0]), np.array([1.0, 2.0, 1.0])
        c = np.array([1.0, -2.0, 0.5])
        x, sample, block = saltelli_sample(1024, low, high, seed=2)
        result = sobol_indices(x @ c, sample, block, ["a", "b", "c"], n_bootstrap=100)
        variance = c ** 2 * (high - low) ** 2 / 12
        expected = variance / variance.sum()
        np.testing.assert_allclose(result.table["S1"], expected, atol=0.03)
        np.testing.assert_allclose(result.table["ST"], expected, atol=0.03)

    def test_key_path_blocks_and_failed_samples(self):
        x, sample, block = saltelli_sample(256, [-np.pi] * 3, [np.pi] * 3, seed=5)
        names = ["governments.JPN.a", "governments.JPN.b", "governments.JPN.c"]
        keyed = np.array([b if b in ("A", "B") else names[int(b)] for b in block], dtype=object)
        y = ishigami(x)
        y[7] = np.nan                      # a failed run: its base sample is left out
        result = sobol_indices(y, sample, keyed, names, n_bootstrap=50)
        self.assertEqual(result.base_samples, 255)
        self.assertEqual(result.dropped, 1)
        self.assertEqual(list(result.table.index), names)

    def test_wrong_pairing_is_detected(self):
        """Shuffling the outputs breaks the estimator: S1 of x2 is then far from 0.44."""
        x, sample, block = saltelli_sample(1024, [-np.pi] * 3, [np.pi] * 3, seed=3)
        y = np.random.default_rng(0).permutation(ishigami(x))
        result = sobol_indices(y, sample, block, ["x1", "x2", "x3"], n_bootstrap=20)
        self.assertGreater(abs(result.table["S1"].iloc[1] - 0.442), 0.2)


class Morris(unittest.TestCase):
    def test_linear_mu_star_is_coefficient_times_range(self):
        low, high = np.array([0.0, 0.0, -1.0, 10.0]), np.array([1.0, 2.0, 1.0, 20.0])
        c = np.array([3.0, -1.0, 0.5, 0.0])
        x, trajectory, changed = morris_sample(12, low, high, levels=4, seed=1)
        self.assertEqual(len(x), 12 * 5)
        result = morris_effects(x @ c, x, low, high, trajectory, changed, list("abcd"), n_bootstrap=50)
        np.testing.assert_allclose(result.table["mu_star"], np.abs(c) * (high - low), atol=1e-9)
        np.testing.assert_allclose(result.table["mu"], c * (high - low), atol=1e-9)
        np.testing.assert_allclose(result.table["sigma"], 0, atol=1e-9)
        self.assertEqual(list(result.table["mu_star"].sort_values(ascending=False).index), ["a", "b", "c", "d"])
        self.assertTrue((result.table["effects"] == 12).all())

    def test_interaction_gives_sigma(self):
        low, high = np.zeros(3), np.ones(3)
        x, trajectory, changed = morris_sample(20, low, high, levels=4, seed=2)
        y = x[:, 0] * x[:, 1] + 0.1 * x[:, 2]
        table = morris_effects(y, x, low, high, trajectory, changed, list("abc"), n_bootstrap=50).table
        self.assertGreater(table.loc["a", "sigma"], 0.1)
        self.assertAlmostEqual(table.loc["c", "sigma"], 0.0, places=9)
        self.assertAlmostEqual(table.loc["c", "mu_star"], 0.1, places=9)

    def test_failed_points_are_left_out(self):
        low, high = np.zeros(2), np.ones(2)
        x, trajectory, changed = morris_sample(5, low, high, seed=3)
        y = x @ np.array([1.0, 2.0])
        y[0] = np.nan
        table = morris_effects(y, x, low, high, trajectory, changed, ["a", "b"], n_bootstrap=20).table
        self.assertEqual(table["effects"].sum(), 5 * 2 - 1)
        np.testing.assert_allclose(table["mu_star"], [1.0, 2.0])


class Prim(unittest.TestCase):
    def planted(self, n=3000, noise=0.0, seed=0):
        rng = np.random.default_rng(seed)
        x = rng.random((n, 3))
        y = (x[:, 0] > 0.2) & (x[:, 0] < 0.6) & (x[:, 1] > 0.5)
        if noise:
            y ^= rng.random(n) < noise
        return x, y

    def assert_planted_box(self, box, tolerance=0.06):
        self.assertEqual(sorted(box.restricted), ["a", "b"])
        self.assertAlmostEqual(box.limits["a"][0], 0.2, delta=tolerance)
        self.assertAlmostEqual(box.limits["a"][1], 0.6, delta=tolerance)
        self.assertAlmostEqual(box.limits["b"][0], 0.5, delta=tolerance)

    def test_finds_planted_box(self):
        x, y = self.planted()
        result = prim(x, y, ["a", "b", "c"])
        self.assert_planted_box(result.chosen)
        self.assertGreater(result.chosen.density, 0.97)
        self.assertGreater(result.chosen.coverage, 0.85)
        trajectory = result.trajectory
        self.assertEqual(trajectory[0].coverage, 1.0)
        self.assertAlmostEqual(trajectory[0].density, y.mean())
        self.assertTrue(all(b.density >= a.density for a, b in zip(trajectory, trajectory[1:])))
        self.assertTrue(all(b.coverage <= a.coverage for a, b in zip(trajectory, trajectory[1:])))

    def test_noisy_box_with_pasting(self):
        x, y = self.planted(noise=0.05, seed=1)
        result = prim(x, y, ["a", "b", "c"], paste=True)
        self.assert_planted_box(result.chosen, tolerance=0.08)
        self.assertGreater(result.chosen.density, 0.85)
        self.assertTrue(result.pasted)

    def test_grid_values(self):
        """Parameters on a grid (few values): peels remove whole levels."""
        grid = np.linspace(0, 1, 11)
        a, b = np.meshgrid(grid, grid, indexing="ij")
        x = np.column_stack([a.ravel(), b.ravel()])
        y = (x[:, 0] >= 0.7 - 1e-9) & (x[:, 1] <= 0.3 + 1e-9)
        result = prim(x, y, ["a", "b"], min_mass=0.01)
        self.assertAlmostEqual(result.chosen.limits["a"][0], 0.7)
        self.assertAlmostEqual(result.chosen.limits["b"][1], 0.3)
        self.assertEqual(result.chosen.density, 1.0)
        self.assertEqual(result.chosen.coverage, 1.0)

    def test_no_case_of_interest(self):
        with self.assertRaisesRegex(ValueError, "no case"):
            prim(np.random.default_rng(0).random((50, 2)), np.zeros(50, dtype=bool), ["a", "b"])


class LabelRows(unittest.TestCase):
    def check(self, labels, gap, connectors=True):
        rows = pack_rows(labels, gap=gap)
        for i, (mi, si, ei) in enumerate(labels):
            for j, (mj, sj, ej) in enumerate(labels):
                if i == j:
                    continue
                if rows[i] == rows[j]:
                    self.assertFalse(si < ej + gap and sj < ei + gap, (i, j, rows))
                elif rows[i] > rows[j] and connectors:   # j's connector passes row i
                    self.assertFalse(si - gap <= mj <= ei + gap, (i, j, rows))
        return rows

    def test_rows_keep_labels_and_connectors_apart(self):
        rng = np.random.default_rng(4)
        markers = np.sort(rng.choice(np.arange(0, 20, 0.25), 25, replace=False))   # quarters, as events
        widths = rng.uniform(1, 4, 25)
        self.check([(m, m, m + w) for m, w in zip(markers, widths)], gap=0.05)

    def test_right_aligned_labels_never_overlap(self):
        rng = np.random.default_rng(5)
        markers = np.sort(rng.uniform(0, 20, 25))
        widths = rng.uniform(1, 4, 25)
        labels = [(m, m - w, m) if m > 15 else (m, m, m + w) for m, w in zip(markers, widths)]
        self.check(labels, gap=0.05, connectors=False)
        # two labels that each cover the other's marker: placed, on two rows
        self.assertEqual(sorted(self.check([(1.0, 1.0, 3.0), (2.0, 0.0, 2.0)], gap=0.0, connectors=False)), [0, 1])

    def test_far_apart_labels_share_the_top_row(self):
        self.assertEqual(pack_rows([(0, 0, 1), (5, 5, 6), (10, 10, 11)]), [0, 0, 0])
        self.assertEqual(pack_rows([(0, 0, 3), (1, 1, 2)]), [0, 1])


if __name__ == "__main__":
    unittest.main()
