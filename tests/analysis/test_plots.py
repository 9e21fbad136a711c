"""The ties and network pictures, checked on their figure objects (not just the files): tick
labels are quarters, legend entries are country names, one line per pair and run, events
marked (the what-if's own strongly), no two drawn texts overlap, nothing is cut off. Runs on
small run files written by run_fixture.py; test_cli_runs.py repeats the checks on real
`policysim run` output."""
import os
import re
import tempfile
import unittest
from pathlib import Path

import matplotlib.colors as mcolors
from matplotlib.legend import Legend
import numpy as np

from analysis.figures import plt
from analysis.network import plot_network
from analysis.reading import read_ties
from analysis.ties import plot_ties
from figure_checks import drawn_texts, overlapping_texts, texts_outside_figure
from run_fixture import BASELINE_EVENTS, WHATIF_EVENTS, write_run

PERIOD = re.compile(r"^\d{4}Q[1-4]$")


def tie_lines(axis):
    return [line for line in axis.get_lines() if (line.get_gid() or "").startswith("tie:")]


def check_ties_figure(test, figure, pairs, names, runs, layers=3):
    """Checks shared with test_cli_runs.py."""
    panels = [axis for axis in figure.axes if tie_lines(axis)]
    test.assertEqual(len(panels), layers)
    for axis in panels:
        test.assertEqual(len(tie_lines(axis)), len(pairs) * runs)
    labels = [t.get_text() for t in panels[-1].get_xticklabels() if t.get_text()]
    test.assertGreaterEqual(len(labels), 4)
    test.assertTrue(all(PERIOD.match(label) for label in labels), labels)
    legends = figure.findobj(Legend)
    pair_legend = next(legend for legend in legends if legend.get_title().get_text() == "pairs")
    test.assertEqual([t.get_text() for t in pair_legend.get_texts()], names)
    test.assertEqual(overlapping_texts(figure), [])
    test.assertEqual(texts_outside_figure(figure), [])


class Ties(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        folder = Path(cls.folder.name)
        cls.baseline = write_run(folder / "baseline.h5", BASELINE_EVENTS)
        cls.whatif = write_run(folder / "whatif.h5", WHATIF_EVENTS, shift=0.1)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tearDown(self):
        plt.close("all")

    def test_one_run(self):
        figure = plot_ties([self.baseline], ["JPN-ISR", "JPN-USA", "USA-ISR"])
        check_ties_figure(self, figure, ["JPN-ISR", "JPN-USA", "USA-ISR"],
                          ["Japan–Israel", "Japan–United States", "United States–Israel"], runs=1)

    def test_what_if_against_baseline(self):
        figure = plot_ties([self.baseline, self.whatif], ["JPN-ISR", "JPN-USA"])
        check_ties_figure(self, figure, ["JPN-ISR", "JPN-USA"], ["Japan–Israel", "Japan–United States"], runs=2)
        # the what-if's own event (2017Q2, shows from 2017Q3 = 2017.5) is red and bold; the
        # shared ones grey; same-quarter events share one label
        texts = {t.get_text().strip(): t for t in drawn_texts(figure)}
        own = texts["2017Q2 Suga (JPN)"]
        self.assertEqual(own.get_fontweight(), "bold")
        self.assertEqual(mcolors.to_hex(own.get_color()), mcolors.to_hex("tab:red"))
        shared = texts["2010Q2 Kan (JPN); Cameron (GBR)"]
        self.assertEqual(shared.get_fontweight(), "normal")
        red_lines = [line for line in figure.axes[1].get_lines()
                     if mcolors.to_hex(line.get_color()) == mcolors.to_hex("tab:red")]
        self.assertEqual([line.get_xdata()[0] for line in red_lines], [2017.5])
        self.assertIn("event only in whatif", texts)
        self.assertIn("event in all runs", texts)

    def test_a_single_layer(self):
        figure = plot_ties([self.baseline, self.whatif], ["JPN-ISR"], layers=["trade"])
        check_ties_figure(self, figure, ["JPN-ISR"], ["Japan–Israel"], runs=2, layers=1)

    def test_unknown_pair_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "JPN-KOR not recorded"):
            plot_ties([self.baseline], ["JPN-KOR"])

    def test_overlap_check_can_fail(self):
        """The overlap check itself: two texts on top of each other are reported."""
        figure, axis = plt.subplots()
        axis.text(0.5, 0.5, "first label")
        axis.text(0.52, 0.5, "second label")
        self.assertEqual(overlapping_texts(figure), [("first label", "second label")])


class Network(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        cls.run_file = write_run(Path(cls.folder.name) / "run.h5", BASELINE_EVENTS)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def tearDown(self):
        plt.close("all")

    def edges(self, axis):
        lines = [line.get_gid() for line in axis.get_lines() if (line.get_gid() or "").startswith("edge:")]
        patches = [patch.get_gid() for patch in axis.patches if (patch.get_gid() or "").startswith("edge:")]
        return lines + patches

    def test_panels_edges_and_positions(self):
        periods = ["2012Q1", "2016Q3", "2020Q1"]
        figure = plot_network(self.run_file, periods)
        panels = [axis for axis in figure.axes if axis.collections]
        self.assertEqual(len(panels), 3 * len(periods))
        self.assertEqual([axis.get_title() for axis in panels[:3]], periods)
        ties = read_ties(self.run_file)
        for r, layer in enumerate(["dialogue", "cooperation", "trade"]):
            threshold = ties.presence_threshold[layer]
            for c, period in enumerate(periods):
                matrix = ties.ties[layer][ties.row(period)]
                if ties.directed[layer]:
                    expected = int(((matrix > threshold) & (matrix > 0)).sum())
                else:
                    expected = int(np.triu(np.maximum(matrix, matrix.T) > threshold, 1).sum())
                self.assertEqual(len(self.edges(panels[3 * r + c])), expected, (layer, period))
        # nodes sit at the same place in every panel
        offsets = [axis.collections[0].get_offsets() for axis in panels]
        for other in offsets[1:]:
            np.testing.assert_allclose(other, offsets[0])
        self.assertEqual(overlapping_texts(figure), [])
        self.assertEqual(texts_outside_figure(figure), [])

    def test_spring_layout_and_one_layer(self):
        figure = plot_network(self.run_file, ["2015Q1"], layers=["cooperation"], layout="spring")
        panels = [axis for axis in figure.axes if axis.collections]
        self.assertEqual(len(panels), 1)
        positions = panels[0].collections[0].get_offsets()
        self.assertEqual(len(np.unique(np.round(positions, 3), axis=0)), 5)
        self.assertEqual(texts_outside_figure(figure), [])

    def test_unknown_period_is_an_error(self):
        with self.assertRaisesRegex(ValueError, "2042Q1 is not in the file"):
            plot_network(self.run_file, ["2042Q1"])


if __name__ == "__main__":
    unittest.main()
