"""The entry point `python3 -m analysis` under a Python without the scientific stack (as with a
pyenv python3 first on PATH): one line that says which Python to use, not a traceback. `-S` hides
Debian's dist-packages (numpy, h5py, ...) from /usr/bin/python3, which makes such a Python."""
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


if __name__ == "__main__":
    unittest.main()
