"""Traps a new user meets: the entry point `python3 -m analysis` under a Python without the
scientific stack (as with a pyenv python3 first on PATH) says in one line which Python to use, not
a traceback (`-S` hides Debian's dist-packages from /usr/bin/python3, which makes such a Python);
the reader takes each /ties dataset's direction from its `directed` attribute (B2B trade is
directed) and refuses a dataset without one instead of drawing it as mutual."""
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class EntryPoint(unittest.TestCase):
    def run_analysis(self, *python_flags):
        with tempfile.NamedTemporaryFile(suffix=".h5") as run_file:
            return subprocess.run([sys.executable, *python_flags, "-m", "analysis", "ties", run_file.name],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)

    def test_missing_modules_give_one_line(self):
        result = self.run_analysis("-S")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("/usr/bin/python3", lines[0])
        self.assertIn("--system-site-packages", lines[0])
        self.assertIn("has no module", lines[0])

    def test_with_the_modules_the_file_is_read(self):
        # The same command with the stack: the (empty) file is refused as a file, not for a module.
        result = self.run_analysis()
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertNotIn("has no module", result.stderr)
        self.assertIn("not an HDF5 file", result.stderr)


class TiesDirection(unittest.TestCase):
    def write(self, folder, b2b_directed):
        import h5py
        import numpy as np

        from run_fixture import write_run

        path = Path(folder) / "run.h5"
        write_run(path)
        with h5py.File(path, "a") as f:
            trade = f["ties"]["trade"]
            for name in ("b2b_trade", "b2b_cooperation"):
                copy = f["ties"].create_dataset(name, data=trade[()])
                for axis, scale in enumerate(("time", "agent", "partner")):
                    copy.dims[axis].attach_scale(f["ties"][scale])
                if b2b_directed is not None:
                    copy.attrs["directed"] = np.int8(b2b_directed if name == "b2b_trade" else 0)
        return path

    def test_b2b_trade_is_read_as_directed(self):
        from analysis.reading import read_ties

        with tempfile.TemporaryDirectory() as folder:
            ties = read_ties(self.write(folder, 1), ["trade", "dialogue", "b2b_trade", "b2b_cooperation"])
            self.assertEqual(ties.directed, {"trade": True, "dialogue": False, "b2b_trade": True,
                                             "b2b_cooperation": False})

    def test_a_dataset_without_direction_is_refused(self):
        from analysis.reading import FileError, read_ties

        with tempfile.TemporaryDirectory() as folder:
            path = self.write(folder, None)
            with self.assertRaisesRegex(FileError, "b2b_trade has no `directed` attribute"):
                read_ties(path, ["b2b_trade"])
            self.assertEqual(read_ties(path, ["trade"]).directed, {"trade": True})


if __name__ == "__main__":
    unittest.main()
