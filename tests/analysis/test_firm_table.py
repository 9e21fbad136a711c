"""analysis.reading.firm_table on a file written by `policysim run`: the firm table's codes
(/firms country, sector, population) named from /firm_categories agree with what the scenario
declared for each population (its countries, its sector, its count), read back from the file's
own resolved scenario, so a code that points at the wrong name fails. Needs the binary:
POLICYSIM_BINARY (CTest sets it) or build/sim/policysim; skipped without one."""
import os
import subprocess
import tempfile
import tomllib
import unittest
from pathlib import Path

import h5py
import pandas as pd

from analysis.reading import FileError, firm_table
from run_fixture import write_run
from test_real_sweeps import binary  # POLICYSIM_BINARY or build/sim/policysim; skips without one

ROOT = Path(__file__).resolve().parents[2]
FIRMS_SMALL = ROOT / "tests" / "scenario" / "fixtures" / "firms_small.toml"


def run(scenario, out, *extra):
    subprocess.run([str(binary()), "run", str(scenario), "--out", str(out), "--force", "--quiet", *extra], check=True)


class FirmTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory(dir=os.environ.get("POLICYSIM_ANALYSIS_TMP"))
        folder = Path(cls.folder.name)
        # firms_small plus a population spread over two countries, so that a firm's country is
        # not given by its population alone; 20 quarters from 2010Q1, so that history.toml's
        # Rakuten buys Viber (2014Q1) happens.
        scenario = folder / "two_countries.toml"
        scenario.write_text(f'extends = "{FIRMS_SMALL.as_posix()}"\n\n'
                            "[simulation]\nsteps = 20\n\n"
                            "[firms.populations.jpn_isr_finance]\n"
                            'countries = ["JPN", "ISR"]\nsector = "finance"\ncount = 40\n', encoding="utf-8")
        cls.path = folder / "firms.h5"
        run(scenario, cls.path)
        cls.table = firm_table(cls.path)
        with h5py.File(cls.path, "r") as f:
            cls.resolved = tomllib.loads(f["provenance/scenario_resolved"].asstr()[()])
            cls.firm_count = len(f["firms/firm"])

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_one_row_per_firm_with_named_categories(self):
        self.assertEqual(len(self.table), self.firm_count)
        self.assertEqual(list(self.table.index), list(range(self.firm_count)))
        for column in ("country", "sector", "population"):
            self.assertIsInstance(self.table[column].dtype, pd.CategoricalDtype, column)
            self.assertFalse(self.table[column].isna().any(), f"{column}: a code outside /firm_categories")

    def test_each_firm_is_what_its_population_declared(self):
        declared = {**{name: (set(p["countries"]), p["sector"], p["count"])
                       for name, p in self.resolved["firms"]["populations"].items()},
                    **{name: ({p["country"]}, p["sector"], 1)
                       for name, p in self.resolved["firms"].get("named", {}).items()}}
        self.assertIn("jpn_isr_finance", declared)
        self.assertEqual(set(self.table["population"].astype(str)), set(declared))
        for name, firms in self.table.groupby("population", observed=True):
            countries, sector, count = declared[name]
            self.assertEqual(len(firms), count, name)
            self.assertLessEqual(set(firms["country"].astype(str)), countries, name)
            self.assertEqual(set(firms["sector"].astype(str)), {sector}, name)
            self.assertEqual(list(firms["member"]), list(range(count)), name)
        # The two-country population has firms in both.
        spread = self.table[self.table["population"] == "jpn_isr_finance"]
        self.assertEqual(set(spread["country"].astype(str)), {"JPN", "ISR"})

    def test_the_purchase_is_named_by_its_quarter(self):
        events = self.resolved["events"]
        purchase = events["rakuten_buys_viber"]
        self.assertEqual(purchase["kind"], "acquisition")
        bought = self.table[self.table["population"] == purchase["target"]]
        buyer = self.table[self.table["population"] == purchase["buyer"]]
        self.assertEqual(len(bought), 1)
        self.assertEqual(list(bought["acquired_period"].astype(str)), [purchase["period"]])
        self.assertEqual(list(bought["acquired_by"]), list(buyer.index))
        self.assertEqual(list(bought["active"]), [0])
        others = self.table.drop(bought.index)
        self.assertTrue(others["acquired_period"].isna().all())
        self.assertTrue((others["acquired_by"] == -1).all())

    def test_a_file_without_firms_is_a_clear_error(self):
        path = Path(self.folder.name) / "no_firms.h5"
        write_run(path)  # a run file of the layout, without firm populations
        with self.assertRaises(FileError) as caught:
            firm_table(path)
        self.assertIn(str(path), str(caught.exception))
        self.assertIn("/firms", str(caught.exception))

if __name__ == "__main__":
    unittest.main()
