"""sweep, sensitivity and discover on files written by the real sweep runner
(`policysim sweep`, sim/sweep/) from the example specs in tests/analysis/sweeps/: the reader
agrees with the contract of docs/sweeps.md on a real file, and each command runs end to end. The
specs extend the baseline (docs/analysis.md draws its pictures from them); here each runs on the
small world of tests/scenario/fixtures/small_world.toml instead (the baseline with a few hundred
firms), made smaller still with --set, because the test is about files and commands, not the
baseline's numbers. Needs the binary: POLICYSIM_BINARY (CTest sets it) or build/sim/policysim;
skipped without one."""
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import numpy as np

from analysis.figures import plt
from analysis.reading import read_sweep, sweep_table_xarray
from analysis.sensitivity import analyse_sweep, point_means
from test_sweeps import run_cli

ROOT = Path(__file__).resolve().parents[2]
SPECS = Path(__file__).resolve().parent / "sweeps"
SMALL_WORLD = ROOT / "tests" / "scenario" / "fixtures" / "small_world.toml"


def binary():
    path = Path(os.environ.get("POLICYSIM_BINARY", ROOT / "build" / "sim" / "policysim"))
    if not path.is_file():
        raise unittest.SkipTest(f"no policysim binary at {path} (set POLICYSIM_BINARY)")
    return path


def on_small_world(spec, folder):
    """The example spec with its `extends` line pointing at the small world, written to folder."""
    lines = (SPECS / spec).read_text(encoding="utf-8").splitlines(keepends=True)
    extends = [k for k, line in enumerate(lines) if line.startswith("extends = ")]
    if len(extends) != 1:
        raise AssertionError(f"{spec}: expected one 'extends = ' line, found {len(extends)}")
    lines[extends[0]] = f'extends = "{SMALL_WORLD.as_posix()}"\n'
    path = Path(folder) / spec
    path.write_text("".join(lines), encoding="utf-8")
    return path


def sweep(spec, out, *settings):
    subprocess.run([str(binary()), "sweep", str(on_small_world(spec, out.parent)), "--out", str(out), "--force",
                    "--quiet", "--set", "simulation.steps=40", *[a for s in settings for a in ("--set", s)]],
                   check=True)
    return out


class RealSweeps(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        folder = Path(cls.folder.name)
        cls.out = folder / "output"
        cls.grid = sweep("sweep_china_ties.toml", folder / "grid.h5", "sweep.replicates=3")
        cls.morris = sweep("sweep_china_ties_morris.toml", folder / "morris.h5", "sweep.samples=6")
        cls.saltelli = sweep("sweep_china_ties_sobol.toml", folder / "saltelli.h5", "sweep.samples=16")
        cls.lhs = sweep("sweep_china_ties_lhs.toml", folder / "lhs.h5", "sweep.samples=120", "sweep.replicates=1")

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tearDown(self):
        plt.close("all")

    def test_grid_file_matches_the_contract(self):
        s = read_sweep(self.grid)
        self.assertEqual(s.design, "grid")
        self.assertEqual(s.replicates, 3)
        self.assertEqual(s.n_runs, s.n_points * 3)
        np.testing.assert_array_equal(s.runs["design_point"], np.repeat(np.arange(s.n_points), 3))
        for p in s.parameters:
            np.testing.assert_allclose(s.parameter_values(p), np.repeat(s.parameter_values(p, per="point"), 3))
        self.assertEqual(sorted(set(np.round(s.points["shifts.ISR.china_ties"], 6))),
                         list(np.round(np.linspace(-0.3, 0.5, 9), 6)))
        self.assertEqual(s.agent_names.get("JPN"), "Japan")
        values = s.metric("cooperation_pairs", "JPN-ISR", "2015Q1")
        self.assertTrue(np.isfinite(values.values).all())
        table = sweep_table_xarray(self.grid, "cooperation_pairs", "JPN-ISR", "2015Q1")
        np.testing.assert_allclose(table["cooperation_pairs"].values, values.values)
        # /statistics (written by the runner) agrees with replicate means computed here
        import h5py
        with h5py.File(self.grid, "r") as f:
            row = s.period_label.index("2015Q1")
            stored = f["statistics/cooperation_pairs_mean"][:, row, s.pairs.index("JPN-ISR")]
        np.testing.assert_allclose(point_means(s, values.values), stored, rtol=1e-12)

    def test_morris_file(self):
        s = read_sweep(self.morris)
        self.assertEqual(s.design, "morris")
        k = len(s.parameters)
        self.assertEqual(s.n_points, 6 * (k + 1))
        # consecutive points of a trajectory differ in the changed parameter only
        x = np.column_stack([s.parameter_values(p, per="point") for p in s.parameters])
        changed = s.points["morris_changed_parameter"]
        for a in range(s.n_points - 1):
            if changed[a + 1] >= 0:
                differs = np.flatnonzero(~np.isclose(x[a], x[a + 1]))
                self.assertEqual(list(differs), [changed[a + 1]])
        result = analyse_sweep(s, s.metric("dialogue_density"), n_bootstrap=50)
        self.assertTrue((result.table["effects"] == 6).all())
        code, out, err = run_cli("sensitivity", self.morris, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--bootstrap", "50", "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertTrue((self.out / "morris_sensitivity.png").is_file())

    def test_saltelli_file(self):
        s = read_sweep(self.saltelli)
        k = len(s.parameters)
        self.assertEqual(s.n_points, 16 * (k + 2))
        blocks = list(s.points["saltelli_block"][: k + 2])
        self.assertEqual(blocks, ["A", "B"] + s.parameters)
        result = analyse_sweep(s, s.metric("cooperation_pairs", "JPN-ISR"), n_bootstrap=50)
        self.assertEqual(result.base_samples, 16)
        self.assertTrue(np.isfinite(result.table["ST"]).all())
        code, out, err = run_cli("sensitivity", self.saltelli, "--bootstrap", "50", "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertTrue((self.out / "saltelli_sensitivity.csv").is_file())

    def test_sweep_and_discover_commands(self):
        code, out, err = run_cli("sweep", self.grid, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertTrue((self.out / "grid_heatmap.png").is_file())
        values = read_sweep(self.lhs).metric("cooperation_pairs", "JPN-ISR")
        threshold = float(np.nanmedian(values.values))
        code, out, err = run_cli("discover", self.lhs, "--metric", "cooperation_pairs", "--pair", "JPN-ISR",
                                 "--above", threshold, "--out-dir", self.out)
        self.assertEqual(code, 0, err)
        self.assertIn("coverage", out)
        self.assertTrue((self.out / "lhs_discover.png").is_file())


if __name__ == "__main__":
    unittest.main()
