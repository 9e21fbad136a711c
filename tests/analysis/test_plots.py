"""The ties and network pictures, checked on their figure objects (not just the files): tick
labels are quarters, legend entries are country names, one line per pair and run, events
marked (the what-if's own strongly), no two drawn texts overlap, nothing is cut off. Runs on
small run files written by run_fixture.py; test_cli_runs.py repeats the checks on real
`policysim run` output."""
import os
import re
import subprocess
import sys
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
from run_fixture import BASELINE_EVENTS, WHATIF_EVENTS, write_comparison, write_run

ROOT = Path(__file__).resolve().parents[2]
PERIOD = re.compile(r"^\d{4}Q[1-4]$")


def tie_lines(axis):
    return [line for line in axis.get_lines() if (line.get_gid() or "").startswith("tie:")]


def check_ties_figure(test, figure, pairs, names, runs, layers=3):
    """Checks shared with test_cli_runs.py."""
    panels = [axis for axis in figure.axes if tie_lines(axis)]
    test.assertEqual(len(panels), layers)
    for axis in panels:
        test.assertEqual(len(tie_lines(axis)), len(pairs) * runs)
    lowest = [axis for axis in figure.axes if axis.get_lines() and axis.axison][-1]   # the lowest time panel
    labels = [t.get_text() for t in lowest.get_xticklabels() if t.get_text()]
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
        # the what-if's own event (2017Q2, shows from 2017Q3 = 2017.5) is red and bold in the key;
        # the shared ones grey; same-quarter events share one number
        texts = {t.get_text().strip(): t for t in drawn_texts(figure)}
        key = {text.split("  ", 1)[1]: t for text, t in texts.items() if re.match(r"^\d+  ", text)}
        own = key["2017Q2 Suga (JPN)"]
        self.assertEqual(own.get_fontweight(), "bold")
        self.assertEqual(mcolors.to_hex(own.get_color()), mcolors.to_hex("tab:red"))
        shared = key["2010Q2 Kan (JPN); Cameron (GBR)"]
        self.assertEqual(shared.get_fontweight(), "normal")
        self.assertEqual(len(key), 10)   # 12 events in 10 quarters, one own
        red_lines = [line for line in figure.axes[1].get_lines()
                     if mcolors.to_hex(line.get_color()) == mcolors.to_hex("tab:red")]
        self.assertEqual([line.get_xdata()[0] for line in red_lines], [2017.5])
        self.assertIn("event only in whatif", texts)
        self.assertIn("event in all runs", texts)

    def test_events_sit_in_a_compact_timeline_under_the_panels(self):
        figure = plot_ties([self.baseline, self.whatif], ["JPN-ISR"])
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        panels = [axis for axis in figure.axes if tie_lines(axis)]
        numbers = [t for t in drawn_texts(figure) if re.match(r"^\d+$", t.get_text()) and t.axes not in panels
                   and t.axes is not None and not t.axes.axison]
        self.assertEqual(sorted(int(t.get_text()) for t in numbers), list(range(1, 11)))
        lowest_panel = min(axis.get_window_extent(renderer).y0 for axis in panels)
        self.assertTrue(all(t.get_window_extent(renderer).y1 < lowest_panel for t in numbers))
        # strip and key together take less than a third of the figure (the stacked labels above
        # the panels took about half)
        timeline = [axis for axis in figure.axes if axis not in panels and not axis.axison]
        height = sum(axis.get_window_extent(renderer).height for axis in timeline)
        self.assertLess(height, figure.bbox.height / 3)

    def test_an_event_the_what_if_changed_is_drawn_once(self):
        changed = [e if e[1] != "haifa_port_contract" else (e[0], e[1], e[2], "ISR china_ties 0.3 -> 0.9")
                   for e in WHATIF_EVENTS]
        whatif = write_run(Path(self.folder.name) / "changed.h5", changed, shift=0.1)
        figure = plot_ties([self.baseline, whatif], ["JPN-ISR"])
        check_ties_figure(self, figure, ["JPN-ISR"], ["Japan–Israel"], runs=2)
        orange = [line for line in figure.axes[0].get_lines()
                  if mcolors.to_hex(line.get_color()) == mcolors.to_hex("tab:orange")]
        self.assertEqual([line.get_xdata()[0] for line in orange], [2015.5])
        texts = [t.get_text() for t in drawn_texts(figure)]
        # once, as the what-if has it, numbered apart from its quarter's unchanged event
        self.assertEqual([re.sub(r"^\d+  ", "", t) for t in texts if "China ties" in t and "ISR" in t],
                         ["2015Q2 ISR China ties → 0.9 (changed)"])
        self.assertEqual([re.sub(r"^\d+  ", "", t) for t in texts if t.endswith("2015Q2 cyber incident JPN")],
                         ["2015Q2 cyber incident JPN"])
        self.assertIn("event changed by changed", texts)

    def test_a_pair_not_of_interest_comes_from_the_tie_matrices(self):
        figure = plot_ties([self.baseline], ["AUS-ISR"], layers=["dialogue"])
        check_ties_figure(self, figure, ["AUS-ISR"], ["Australia–Israel"], runs=1, layers=1)
        ties = read_ties(self.baseline)
        line = tie_lines(figure.axes[0])[0]
        np.testing.assert_array_equal(line.get_ydata(),
                                      ties.ties["dialogue"][:, ties.agents.index("AUS"), ties.agents.index("ISR")])

    def test_difference_panel_from_a_compare_file(self):
        compare = write_comparison(Path(self.folder.name) / "compare.h5", self.baseline, self.whatif)
        figure = plot_ties([self.baseline, self.whatif], ["JPN-ISR", "JPN-USA"], comparison=compare)
        check_ties_figure(self, figure, ["JPN-ISR", "JPN-USA"], ["Japan–Israel", "Japan–United States"], runs=2)
        panel = next(axis for axis in figure.axes if any((l.get_gid() or "").startswith("difference:")
                                                          for l in axis.get_lines()))
        ties_b, ties_w = read_ties(self.baseline), read_ties(self.whatif)
        jpn, isr = ties_b.agents.index("JPN"), ties_b.agents.index("ISR")
        line = next(l for l in panel.get_lines() if l.get_gid() == "difference:JPN-ISR")
        np.testing.assert_allclose(line.get_ydata(), ties_w.ties["dialogue"][:, jpn, isr] - ties_b.ties["dialogue"][:, jpn, isr])
        self.assertEqual(sorted(c.get_gid() for c in panel.collections), ["band:JPN-ISR", "band:JPN-USA"])
        self.assertIn("whatif minus baseline, paired by seed", panel.get_title(loc="left"))
        # a compare file without the pair is refused, naming it
        with self.assertRaisesRegex(ValueError, "AUS-ISR not compared"):
            plot_ties([self.baseline, self.whatif], ["AUS-ISR"], comparison=compare)

    def test_the_picture_is_named_after_the_what_if(self):
        out = Path(self.folder.name) / "pictures"
        subprocess.run([sys.executable, "-m", "analysis", "ties", str(self.baseline), str(self.whatif), "--pairs",
                        "JPN-ISR", "--out-dir", str(out)], check=True, cwd=ROOT, capture_output=True)
        self.assertEqual(sorted(p.name for p in out.iterdir()), ["baseline_vs_whatif_ties.png"])

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
