"""docs/analysis.md: every ```python snippet runs (each in its own interpreter, on test files put
where the snippets expect output/...), and every picture it or the README links exists."""
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

from run_fixture import BASELINE_EVENTS, WHATIF_EVENTS, write_run
from sensitivity_fixture import write_saltelli_ishigami
from sweep_fixture import grid_points, write_sweep
from test_sweeps import AFFINITY, CHINA, grid_model

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "analysis.md"


def snippets(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


class Docs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        work = Path(cls.folder.name)
        (work / "output").mkdir()
        write_run(work / "output" / "baseline.h5", BASELINE_EVENTS)
        write_run(work / "output" / "post_abe.h5", WHATIF_EVENTS, shift=0.1)
        write_sweep(work / "output" / "sweep_china_ties.h5", "grid",
                    [(CHINA, "number", 0.0, 1.0), (AFFINITY, "number", 1.0, 4.0)],
                    grid_points({CHINA: np.linspace(0, 1, 4), AFFINITY: [1.0, 4.0]}), grid_model, replicates=3)
        write_saltelli_ishigami(work / "output" / "sweep_china_ties_sobol.h5", base_samples=64)
        cls.work = work

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_snippets_run(self):
        blocks = snippets(DOCS.read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(blocks), 5)
        environment = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
        for number, code in enumerate(blocks, 1):
            with self.subTest(snippet=number):
                result = subprocess.run([sys.executable, "-c", code], cwd=self.work, env=environment,
                                        capture_output=True, text=True, timeout=120)
                self.assertEqual(result.returncode, 0, f"snippet {number} of docs/analysis.md:\n{code}\n{result.stderr}")
                self.assertTrue(result.stdout.strip(), f"snippet {number} printed nothing")

    def test_linked_pictures_exist(self):
        for document in (DOCS, ROOT / "README.md"):
            links = re.findall(r"\]\(((?:docs/)?images/[^)]+\.png)\)", document.read_text(encoding="utf-8"))
            self.assertTrue(links, f"{document.name} links no picture")
            for link in links:
                path = (document.parent / link)
                self.assertTrue(path.is_file(), f"{document.name} links {link}, which does not exist")
                self.assertEqual(path.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")

    def test_every_command_is_documented(self):
        from analysis.__main__ import COMMANDS

        text = DOCS.read_text(encoding="utf-8")
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        for command in COMMANDS:
            self.assertIn(f"## `{command}`", text)
            self.assertTrue(f"-m analysis {command}" in readme, f"README.md does not show `-m analysis {command}`")


if __name__ == "__main__":
    unittest.main()
