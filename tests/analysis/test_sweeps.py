"""sweep, sensitivity and discover on sweep files written by the fixture (sweep_fixture.py,
laid out as docs/sweeps.md says) from formulas with known answers: reading, numbers, figures
(objects: lines, labels, overlaps) and the command line (files, printed table, exit codes)."""
import contextlib
import io
import os
import tempfile
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.__main__ import main
from analysis.figures import plt
from analysis.prim import prim
from analysis.reading import FileError, read_sweep, sweep_table_xarray
from analysis.sensitivity import analyse_sweep, ishigami, ishigami_indices, morris_sample, plot_sensitivity, saltelli_sample
from analysis.sweep import parameter_summary, plot_heatmap, plot_sweep
from analysis.prim import plot_prim
from figure_checks import overlapping_texts, texts_outside_figure
from sensitivity_fixture import write_saltelli_ishigami
from sweep_fixture import grid_points, write_sweep

CHINA = "shifts.ISR.china_ties"
AFFINITY = "effects.dialogue.leader_affinity"
THREAT = "threat.persistence"


def ramp(time):
    return (time - time[0]) / (time[-1] - time[0])


def grid_model(params, replicate, time):
    """cooperation JPN-ISR ends at 0.8 - 0.5 china_ties + 0.05 affinity + replicate noise."""
    noise = np.random.default_rng(replicate).normal(0, 0.02)
    final = 0.8 - 0.5 * params[CHINA] + 0.05 * params[AFFINITY] + noise
    pairs = np.column_stack([final * ramp(time), 0.5 * ramp(time)])
    return {"cooperation_pairs": pairs, "dialogue_density": 0.2 + 0.1 * params[AFFINITY] * ramp(time)}


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exit_:   # argparse errors
            code = exit_.code
    return code, out.getvalue(), err.getvalue()


class SweepFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        folder = Path(cls.folder.name)
        cls.out = folder / "output"
        parameters = [(CHINA, "number", 0.0, 1.0), (AFFINITY, "number", 1.0, 4.0)]
        cls.grid = write_sweep(folder / "sweep_grid.h5", "grid", parameters,
                               grid_points({CHINA: np.linspace(0, 1, 6), AFFINITY: [1.0, 2.5, 4.0]}), grid_model,
                               replicates=4, failed_runs=(5,))
        # Latin-hypercube-like random design with a planted box: runs with china_ties < 0.3
        # and affinity > 2.5 reach cooperation > 0.5; persistence does nothing
        rng = np.random.default_rng(7)
        points = {CHINA: rng.random(300), AFFINITY: 1 + 3 * rng.random(300), THREAT: 0.5 + 0.5 * rng.random(300)}

        def box_model(params, replicate, time):
            inside = params[CHINA] < 0.3 and params[AFFINITY] > 2.5
            final = (0.7 if inside else 0.3) + np.random.default_rng(replicate).normal(0, 0.01)
            return {"cooperation_pairs": np.column_stack([final * ramp(time), 0.5 * ramp(time)])}

        cls.lhs = write_sweep(folder / "sweep_lhs.h5", "latin_hypercube",
                              parameters + [(THREAT, "number", 0.5, 1.0)], points, box_model, replicates=2,
                              quarters_count=9)
        # Saltelli design on the Ishigami function (deterministic: replicates agree)
        cls.saltelli = write_saltelli_ishigami(folder / "sweep_saltelli.h5", base_samples=1024)
        # Morris design on a linear function: mu* = |c| (high - low)
        low, high = np.array([0.0, 1.0, 0.5]), np.array([1.0, 4.0, 1.0])
        x, trajectory, changed = morris_sample(10, low, high, levels=4, seed=3)
        cls.coefficients = np.array([-0.5, 0.05, 0.0])
        morris_names = [CHINA, AFFINITY, THREAT]

        def linear_model(params, replicate, time):
            value = sum(c * params[n] for c, n in zip(cls.coefficients, morris_names))
            value += np.random.default_rng(replicate).normal(0, 0.001)   # replicate noise, averaged out
            return {"cooperation_pairs": np.column_stack([np.full(len(time), value), np.zeros(len(time))])}

        cls.morris = write_sweep(folder / "sweep_morris.h5", "morris",
                                 [(n, "number", lo, hi) for n, lo, hi in zip(morris_names, low, high)],
                                 dict(zip(morris_names, x.T)), linear_model, replicates=2, quarters_count=3,
                                 design_columns={"morris_trajectory": trajectory, "morris_changed_parameter": changed},
                                 design_attrs={"morris_levels": 4})
        cls.morris_range = high - low

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tearDown(self):
        plt.close("all")

    # ---- reading
    def test_read_sweep(self):
        sweep = read_sweep(self.grid)
        self.assertEqual(sweep.design, "grid")
        self.assertEqual(sweep.parameters, [CHINA, AFFINITY])
        self.assertEqual((sweep.n_points, sweep.n_runs, sweep.replicates), (18, 72, 4))
        self.assertEqual(sweep.agent_names["ISR"], "Israel")
        values = sweep.metric("cooperation_pairs", "JPN-ISR")
        self.assertEqual(values.period, sweep.period_label[-1])
        self.assertEqual(values.label, "cooperation tie Japan–Israel, 2030Q1")
        self.assertTrue(np.isnan(values.values[5]))
        self.assertEqual(int(np.isnan(values.values).sum()), 1)
        run = 8                                                # point 2, replicate 0
        point = sweep.runs["design_point"][run]
        expected = 0.8 - 0.5 * sweep.points[CHINA][point] + 0.05 * sweep.points[AFFINITY][point] \
            + np.random.default_rng(0).normal(0, 0.02)
        self.assertAlmostEqual(values.values[run], expected)
        middle = sweep.metric("cooperation_pairs", "JPN-ISR", "2025Q1")
        self.assertAlmostEqual(middle.values[run], expected * 0.5)

    def test_xarray_route_agrees_with_h5py(self):
        sweep = read_sweep(self.grid)
        table = sweep_table_xarray(self.grid, "cooperation_pairs", "JPN-ISR", "2025Q1")
        self.assertIsInstance(table, pd.DataFrame)
        self.assertEqual(len(table), 72)
        ok = table["status"] == "ok"
        np.testing.assert_allclose(table["cooperation_pairs"][ok],
                                   sweep.metric("cooperation_pairs", "JPN-ISR", "2025Q1").values[ok.values])
        np.testing.assert_allclose(table[CHINA], sweep.parameter_values(CHINA))

    def test_bad_requests(self):
        sweep = read_sweep(self.grid)
        with self.assertRaisesRegex(FileError, "name one with --pair"):
            sweep.metric("cooperation_pairs")
        with self.assertRaisesRegex(FileError, "no pair axis"):
            sweep.metric("dialogue_density", "JPN-ISR")
        with self.assertRaisesRegex(FileError, "no metric cooperation"):
            sweep.metric("cooperation")
        with self.assertRaisesRegex(FileError, "2040Q1 is not in the file"):
            sweep.metric("dialogue_density", period="2040Q1")

    # ---- sweep plots
    def test_grid_summary_and_figure(self):
        sweep = read_sweep(self.grid)
        values = sweep.metric("cooperation_pairs", "JPN-ISR")
        rows = parameter_summary(sweep, values, CHINA)
        self.assertEqual([r[0] for r in rows], list(np.linspace(0, 1, 6)))
        means = np.array([r[1] for r in rows])
        np.testing.assert_allclose(np.diff(means), -0.1, atol=0.02)          # slope -0.5 per unit
        self.assertTrue(all(r[2] <= r[1] <= r[3] for r in rows))
        self.assertEqual(sum(r[4] for r in rows), 71)                        # one failed run
        figure = plot_sweep(sweep, values)
        means = [line for axis in figure.axes for line in axis.get_lines() if (line.get_gid() or "").startswith("mean:")]
        self.assertEqual(len(means), 2)
        np.testing.assert_allclose(means[0].get_xdata(), np.linspace(0, 1, 6))
        self.assertIn("Japan–Israel", figure.axes[0].get_ylabel())
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_many_values_and_heatmap(self):
        sweep = read_sweep(self.lhs)
        values = sweep.metric("cooperation_pairs", "JPN-ISR")
        figure = plot_sweep(sweep, values)
        self.assertEqual(len([a for a in figure.axes if a.get_visible()]), 3)
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])
        figure = plot_heatmap(sweep, values, CHINA, AFFINITY, bins=4)
        mesh = figure.axes[0].collections[0]
        cells = np.ma.filled(mesh.get_array(), np.nan).reshape(4, 4)
        # the planted corner (china < 0.25, affinity > 2.5) is high, the opposite corner low
        self.assertGreater(cells[3, 0], 0.6)
        self.assertLess(cells[0, 3], 0.35)
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_heatmap_shows_a_grid_level_of_zero_as_0(self):
        # np.linspace(-0.3, 0.5, 9)[3] is 5.55e-17, as policysim's grid computes it: the tick says 0.
        path = Path(self.folder.name) / "sweep_across_zero.h5"
        levels = np.linspace(-0.3, 0.5, 9)
        self.assertNotEqual(levels[3], 0.0)
        write_sweep(path, "grid", [(CHINA, "number", -0.3, 0.5), (AFFINITY, "number", 1.0, 4.0)],
                    grid_points({CHINA: levels, AFFINITY: [1.0, 4.0]}), grid_model, replicates=1)
        sweep = read_sweep(path)
        figure = plot_heatmap(sweep, sweep.metric("cooperation_pairs", "JPN-ISR"), AFFINITY, CHINA)
        labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        self.assertEqual(labels, ["-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3", "0.4", "0.5"])

    # ---- sensitivity
    def test_sobol_on_a_saltelli_file(self):
        sweep = read_sweep(self.saltelli)
        result = analyse_sweep(sweep, sweep.metric("dialogue_density"), n_bootstrap=100)
        first, total = ishigami_indices()
        self.assertEqual(result.base_samples, 1024)
        np.testing.assert_allclose(result.table["S1"], first, atol=0.08)
        np.testing.assert_allclose(result.table["ST"], total, atol=0.08)
        figure = plot_sensitivity(result, sweep.metric("dialogue_density"))
        labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        self.assertEqual(labels, list(result.table["ST"].sort_values().index))   # most influential on top
        self.assertEqual(len(figure.axes[0].patches), 6)
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_morris_on_a_morris_file(self):
        sweep = read_sweep(self.morris)
        values = sweep.metric("cooperation_pairs", "JPN-ISR")
        result = analyse_sweep(sweep, values, n_bootstrap=100)
        np.testing.assert_allclose(result.table["mu_star"], np.abs(self.coefficients) * self.morris_range, atol=0.01)
        self.assertEqual(list(result.table["mu_star"].sort_values().index), [THREAT, AFFINITY, CHINA])
        figure = plot_sensitivity(result, values)
        self.assertEqual([t.get_text() for t in figure.axes[0].get_yticklabels()], [THREAT, AFFINITY, CHINA])
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_sensitivity_needs_its_design(self):
        sweep = read_sweep(self.grid)
        with self.assertRaisesRegex(ValueError, "morris or saltelli"):
            analyse_sweep(sweep, sweep.metric("dialogue_density"))

    # ---- discover
    def test_prim_finds_the_planted_box(self):
        sweep = read_sweep(self.lhs)
        values = sweep.metric("cooperation_pairs", "JPN-ISR")
        x = np.column_stack([sweep.parameter_values(p) for p in sweep.parameters])
        result = prim(x, values.values > 0.5, sweep.parameters)
        self.assertEqual(sorted(result.chosen.restricted), sorted([CHINA, AFFINITY]))
        self.assertLess(abs(result.chosen.limits[CHINA][1] - 0.3), 0.05)
        self.assertLess(abs(result.chosen.limits[AFFINITY][0] - 2.5), 0.15)
        self.assertGreater(result.chosen.density, 0.95)
        figure = plot_prim(result, values.label + " > 0.5", {p: (sweep.low[p], sweep.high[p]) for p in sweep.parameters})
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    # ---- command line
    def test_cli_sweep(self):
        code, out, err = run_cli("sweep", self.grid, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--period", "2028Q1", "--out-dir", self.out, "--svg")
        self.assertEqual(code, 0, err)
        for name in ("sweep_grid_sweep.png", "sweep_grid_sweep.svg", "sweep_grid_heatmap.png"):
            self.assertTrue((self.out / name).is_file(), name)
        self.assertEqual((self.out / "sweep_grid_sweep.png").read_bytes()[:8], b"\x89PNG\r\n\x1a\n")

    def test_cli_sensitivity(self):
        code, out, err = run_cli("sensitivity", self.saltelli, "--bootstrap", "50", "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertIn("S1", out)
        self.assertIn("ST_high", out)
        table = pd.read_csv(self.out / "sweep_saltelli_sensitivity.csv", index_col=0)
        self.assertEqual(list(table.index), ["x1", "x2", "x3"])
        self.assertTrue((self.out / "sweep_saltelli_sensitivity.png").is_file())
        code, out, err = run_cli("sensitivity", self.morris, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--bootstrap", "50", "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertIn("mu_star", out)

    def test_cli_discover(self):
        code, out, err = run_cli("discover", self.lhs, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--period", "2022Q1", "--above", "0.5", "--paste", "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertIn("coverage", out)
        self.assertIn(f"<= {CHINA} <=", out)
        trajectory = pd.read_csv(self.out / "sweep_lhs_discover.csv", index_col=0)
        self.assertEqual(trajectory["coverage"].iloc[0], 1.0)
        self.assertTrue((self.out / "sweep_lhs_discover.png").is_file())

    def test_cli_errors_exit_2(self):
        for argv in (("sweep", self.grid, "--metric", "cooperation_pairs"),
                     ("sweep", self.grid, "--metric", "nothing"),
                     ("sensitivity", self.grid),
                     ("discover", self.lhs, "--metric", "cooperation_pairs", "--pair", "JPN-ISR", "--above", "5"),
                     ("sweep", Path(self.folder.name) / "missing.h5"),
                     ("discover", self.lhs)):
            code, out, err = run_cli(*argv, "--out-dir", self.out)
            self.assertEqual(code, 2, argv)
            self.assertIn("error", err.lower(), argv)


if __name__ == "__main__":
    unittest.main()
