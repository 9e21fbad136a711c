"""The stamps of the pictures in docs/images (scripts/images.py, tools/input_stamps.py): a
scenario's stamp follows its `extends`, a changed, new or removed input is named, the combined
hash of a source folder changes with any source in it, and `images.py check` fails with the
regeneration command when a stamp does not match."""
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from input_stamps import differences, digest, listing, read_listing, scenario_chain  # noqa: E402


class Stamps(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.root = Path(self.folder.name)
        (self.root / "scenarios").mkdir()
        (self.root / "scenarios" / "base.toml").write_text("[simulation]\nsteps = 4\n")
        (self.root / "scenarios" / "whatif.toml").write_text('extends = "base.toml"\n')
        (self.root / "sim" / "model").mkdir(parents=True)
        (self.root / "sim" / "model" / "a.cpp").write_text("int a;\n")

    def tearDown(self):
        self.folder.cleanup()

    def stamp(self, inputs):
        path = self.root / "x.inputs"
        path.write_text(listing("# stamp\n", inputs, self.root))
        return read_listing(path)

    def test_a_scenario_stamp_follows_extends(self):
        self.assertEqual(scenario_chain("scenarios/whatif.toml", self.root), ["scenarios/whatif.toml", "scenarios/base.toml"])

    def test_changed_new_and_gone_inputs_are_named(self):
        inputs = scenario_chain("scenarios/whatif.toml", self.root) + ["sim/"]
        stored = self.stamp(inputs)
        self.assertEqual(differences(stored, inputs, self.root), [])
        (self.root / "scenarios" / "base.toml").write_text("[simulation]\nsteps = 5\n")
        self.assertEqual(differences(stored, inputs, self.root), ["changed: scenarios/base.toml"])
        (self.root / "sim" / "model" / "b.hpp").write_text("// new\n")   # any source of sim/ counts
        self.assertIn("changed: sim/", differences(stored, inputs, self.root))
        self.assertEqual(differences(stored, inputs[1:], self.root),
                         ["changed: scenarios/base.toml", "changed: sim/", "gone: scenarios/whatif.toml"])

    def test_folder_hash_ignores_other_files(self):
        before = digest("sim/", self.root)
        (self.root / "sim" / "notes.md").write_text("not a source\n")
        self.assertEqual(digest("sim/", self.root), before)


class Check(unittest.TestCase):
    def test_check_fails_on_a_stale_stamp_and_names_the_command(self):
        """On a copy of the pictures' folder with one stamp edited (the real one is not touched)."""
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder)
            shutil.copytree(ROOT / "scripts", copy / "scripts")
            shutil.copytree(ROOT / "tools", copy / "tools")
            shutil.copytree(ROOT / "docs" / "images", copy / "docs" / "images")
            for name in ("scenarios", "sim", "analysis", "tests/analysis/sweeps"):
                shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copyfile(ROOT / "CMakeLists.txt", copy / "CMakeLists.txt")
            check = [sys.executable, str(copy / "scripts" / "images.py"), "check"]
            first = subprocess.run(check, capture_output=True, text=True)
            stamp = copy / "docs" / "images" / "post_abe_network.inputs"
            lines = stamp.read_text().splitlines()
            lines = [("0" * 64 + line[64:]) if line.endswith("  scenarios/post_abe.toml") else line for line in lines]
            stamp.write_text("\n".join(lines) + "\n")
            second = subprocess.run(check, capture_output=True, text=True)
            self.assertEqual(second.returncode, 1, second.stdout)
            self.assertIn("docs/images/post_abe_network.png is stale", second.stdout)
            self.assertIn("changed: scenarios/post_abe.toml", second.stdout)
            self.assertIn("bash scripts/regenerate_images.sh", second.stdout)
            if first.returncode == 0:   # the pictures were current: only the edited one is named now
                self.assertEqual(second.stdout.count(" is stale"), 1, second.stdout)


if __name__ == "__main__":
    unittest.main()
