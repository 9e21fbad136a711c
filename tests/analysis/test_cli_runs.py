"""The plots on real `policysim run` output: the baseline and the post_abe what-if, as the
quickstart draws them. CTest passes the files (POLICYSIM_ANALYSIS_RUNS="baseline.h5|post_abe.h5",
made by the scenario tests' fixtures); run by hand, the test makes them with POLICYSIM_BINARY
(or build/sim/policysim), and is skipped when there is no binary."""
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

import matplotlib.colors as mcolors

from analysis.figures import plt
from analysis.network import plot_network
from analysis.ties import plot_ties
from figure_checks import drawn_texts, overlapping_texts, texts_outside_figure
from test_plots import check_ties_figure
from test_sweeps import run_cli

ROOT = Path(__file__).resolve().parents[2]


def run_files(folder):
    given = os.environ.get("POLICYSIM_ANALYSIS_RUNS")
    if given:
        return [Path(p) for p in given.split("|")]
    binary = Path(os.environ.get("POLICYSIM_BINARY", ROOT / "build" / "sim" / "policysim"))
    if not binary.is_file():
        raise unittest.SkipTest(f"no policysim binary at {binary} (set POLICYSIM_BINARY)")
    files = []
    for scenario in ("baseline", "post_abe"):
        out = Path(folder) / f"{scenario}.h5"
        subprocess.run([str(binary), "run", str(ROOT / "scenarios" / f"{scenario}.toml"), "--out", str(out),
                        "--force", "--quiet"], check=True)
        files.append(out)
    return files


class RealRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        cls.baseline, cls.whatif = run_files(cls.folder.name)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tearDown(self):
        plt.close("all")

    def test_quickstart_ties_figure(self):
        figure = plot_ties([self.baseline, self.whatif], ["JPN-ISR", "JPN-USA"])
        layers = len([a for a in figure.axes if a.get_lines() and a.get_ylabel()])
        check_ties_figure(self, figure, ["JPN-ISR", "JPN-USA"], ["Japan–Israel", "Japan–United States"], runs=2,
                          layers=layers)
        own = [t for t in drawn_texts(figure) if t.get_fontweight() == "bold"
               and mcolors.to_hex(t.get_color()) == mcolors.to_hex("tab:red")]
        # in the key under the timeline strip: "<number>  2020Q3 Suga (JPN)"; the strip's number too
        self.assertEqual([t.get_text().split("  ", 1)[1] for t in own if "  " in t.get_text()], ["2020Q3 Suga (JPN)"])
        self.assertEqual(len(own), 2)

    def test_network_figure(self):
        figure = plot_network(self.whatif, ["2012Q1", "2020Q4"])
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_command_line_as_in_the_quickstart(self):
        out = Path(self.folder.name) / "out"
        target = out / "baseline_vs_post_abe_ties.png"
        code, stdout, err = run_cli("ties", self.baseline, self.whatif, "--pairs", "JPN-ISR", "JPN-USA",
                                    "--out", target)
        self.assertEqual(code, 0, err)
        self.assertEqual(target.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
        code, stdout, err = run_cli("network", self.baseline, "--periods", "2012Q1", "2020Q4", "--out-dir", out, "--svg")
        self.assertEqual(code, 0, err)
        stem = self.baseline.stem
        self.assertTrue((out / f"{stem}_network.png").is_file())
        self.assertTrue((out / f"{stem}_network.svg").is_file())
        code, stdout, err = run_cli("ties", self.baseline, "--pairs", "JPN-XXX", "--out-dir", out)
        self.assertEqual(code, 2)
        self.assertIn("JPN-XXX not recorded", err)


if __name__ == "__main__":
    unittest.main()
