#!/usr/bin/python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus_scenario, tests/fuzz/corpus_sweep):
the project's scenario and sweep files, the test fixtures, and the inputs of the hostile-input
catalogue (tests/cli/hostile_inputs), the generated ones in small versions (a key 100 levels deep
rather than 50,000: past the limit of 64 all the same, and small enough for the fuzzer to mutate).
`--set` arguments become `#set` lines, a design CSV a `#csv` part (tests/fuzz/fuzz_support.hpp).
Seeds are named seed-*; files the fuzzer found keep libFuzzer's hash names. Idempotent."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
FUZZ = ROOT / "tests/fuzz"
OK = '"../ok.toml"'  # tests/cli/hostile_inputs/ok.toml in the fuzz folder (fuzz_support.hpp)


def files(pattern):
    return sorted(ROOT.glob(pattern))


def main():
    scenario, sweep = {}, {}
    for path in files("scenarios/*.toml") + files("tests/scenario/fixtures/*.toml") + \
            files("tests/cli/hostile_inputs/files/*.toml") + files("tests/cli/hostile_inputs/ok.toml"):
        text = path.read_bytes()
        target = sweep if b"[sweep" in text else scenario
        target[f"seed-{path.parent.name}-{path.stem}"] = text
    for path in files("tests/sweep/*.toml") + files("tests/analysis/sweeps/*.toml"):
        sweep[f"seed-{path.parent.name}-{path.stem}"] = path.read_bytes()
    # Sweeps also run as scenarios (validate sets [sweep] aside), and the reverse reaches the
    # sweep target's "no [sweep] section" path: a few of each in the other corpus.
    scenario.update({k + "-as-scenario": v for k, v in list(sweep.items())[:6]})

    ext = f"extends = {OK}\n".encode()
    generated = {
        "deep_key": ".".join(["k"] * 100) + " = 1\n",
        "deep_table": "[simulation]\nsteps = 4\n\n[" + ".".join(["t"] * 100) + "]\nx = 1\n",
        "deep_inline": "a = " + "{b = " * 100 + "1" + "}" * 100 + "\n",
        "deep_array": "a = " + "[" * 100 + "]" * 100 + "\n",
        "deep_digits": ".".join(["1"] * 100) + " = 1\n",
        "deep_set_value": f"extends = {OK}\n#set governments.ISR.china_ties=" + "{a=" * 70 + "1" + "}" * 70 + "\n",
        "long_extends": 'extends = "' + "x" * 5000 + '.toml"\n',
        "long_component": 'extends = "' + "x" * 300 + '.toml"\n',
        "extends_dev_zero": 'extends = "/dev/zero"\n',
        "extends_folder": 'extends = "."\n',
        "extends_input_itself": 'extends = "input.toml"\n',
        "empty_file": "",
        "invalid_utf8": b'[simulation]\nsteps = 4\nname = "\xff\xfe"\n',
        "nul_byte": b"[simulation]\nsteps = 4\x00\n",
        "bom_utf16": "[simulation]\nsteps = 4\n".encode("utf-16"),
        "utf8_bom": b"\xef\xbb\xbf" + ext + b"bogus = 1\n",
        "many_keys": ext.decode() + "".join(f"k{i} = {i}\n" for i in range(200)),
        "many_governments": ext.decode() + "".join(f"\n[governments.G{i:05d}]\n" for i in range(40)),
        "set_smuggled_table": ext.decode() + "#set simulation.steps=4\\n[governments.ZZ]\n",
        "set_no_equals": ext.decode() + "#set nonsense\n",
        "set_empty_key": ext.decode() + "#set =4\n",
        "set_empty_part": ext.decode() + "#set simulation..steps=4\n",
        "set_whole_table": ext.decode() + "#set simulation=4\n",
        "set_unknown_key": ext.decode() + "#set simulation.stepz=4\n",
        "set_steps_zero": ext.decode() + "#set simulation.steps=0\n",
        "set_period_string": ext.decode() + "#set events.abe_exit.period=2019Q1\n#set simulation.seed=7\n",
    }
    for name, text in generated.items():
        scenario[f"seed-hostile-{name}"] = text.encode() if isinstance(text, str) else text

    sweep_generated = {
        "design_dev_zero": '[sweep]\ndesign = "file"\nfile = "/dev/zero"\n',
        "design_folder": '[sweep]\ndesign = "file"\nfile = "."\n',
        "design_missing": '[sweep]\ndesign = "file"\nfile = "no_such_points.csv"\n',
        "samples_1e8": '[sweep]\ndesign = "random"\nsamples = 100000000\n'
                       "[sweep.parameters]\ngovernments.ISR.china_ties = { range = [0.1, 0.9] }\n",
        "grid_1e8": '[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
                    "governments.ISR.china_ties = { range = [0.1, 0.9], levels = 10000 }\n"
                    "governments.JPN.china_rivalry = { range = [0.1, 0.9], levels = 10000 }\n",
        "grid_1e17": '[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
                     "output.firm_ties_every = { range = [100000000000000000, 100000000000000016] }\n",
        "grid_1e15": '[output]\nfirm_ties_every = 4\n[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
                     "output.firm_ties_every = { range = [1000000000000000, 1000000000000016] }\n",
        "grid_values": '[sweep]\ndesign = "grid"\nreplicates = 2\n[sweep.parameters]\n'
                       "governments.ISR.china_ties = { values = [0.2, 0.4] }\n",
        "grid_levels": '[sweep]\ndesign = "grid"\nrecord = "ties"\nrecord_ties_every = 2\n[sweep.parameters]\n'
                       "governments.ISR.china_ties = { range = [0.1, 0.9], levels = 3 }\n"
                       'events.abe_exit.period = { values = ["2019Q1", "2020Q3"] }\n',
        "lhs": '[sweep]\ndesign = "latin_hypercube"\nsamples = 4\nseed = 3\n[sweep.parameters]\n'
               "governments.ISR.china_ties = { range = [0.1, 0.9] }\nsimulation.steps = { range = [2, 6] }\n",
        "random_record": '[sweep]\ndesign = "random"\nsamples = 3\nrecord = ["dialogue_density"]\n'
                         "[sweep.parameters]\ngovernments.ISR.china_ties = { range = [0.1, 0.9] }\n",
        "morris": '[sweep]\ndesign = "morris"\nsamples = 2\nlevels = 4\n[sweep.parameters]\n'
                  "governments.ISR.china_ties = { range = [0.1, 0.9] }\n"
                  "governments.JPN.china_rivalry = { range = [0.1, 0.9] }\n",
        "saltelli": '[sweep]\ndesign = "saltelli"\nsamples = 2\ncommon_random_numbers = false\n[sweep.parameters]\n'
                    "governments.ISR.china_ties = { range = [0.1, 0.9] }\n",
        "file_csv": '[sweep]\ndesign = "file"\nfile = "points.csv"\n#csv\n'
                    'governments.ISR.china_ties,events.abe_exit.period\n0.25,2019Q1\n# a comment\n\n0.5,"2020Q3"\n',
        "file_csv_declared": '[sweep]\ndesign = "file"\nfile = "points.csv"\n[sweep.parameters]\n'
                             "governments.ISR.china_ties = { range = [0, 1] }\n#csv\n"
                             "governments.ISR.china_ties\n0.1\n0.9\n",
        "set_sweep": '[sweep]\ndesign = "grid"\n[sweep.parameters]\n'
                     "governments.ISR.china_ties = { values = [0.2, 0.4] }\n"
                     "#set sweep.parameters.governments.ISR.china_ties.values=[0.1, 0.3, 0.5]\n#set sweep.replicates=2\n",
    }
    for name, text in sweep_generated.items():
        sweep[f"seed-hostile-sweep_{name}"] = (ext.decode() + text).encode()

    for folder, corpus in (("corpus_scenario", scenario), ("corpus_sweep", sweep)):
        out = FUZZ / folder
        out.mkdir(exist_ok=True)
        for old in out.glob("seed-*"):
            old.unlink()
        for name, data in corpus.items():
            (out / name).write_bytes(data)
        size = sum(p.stat().st_size for p in out.iterdir())
        print(f"{folder}: {len(corpus)} seeds, {sum(1 for _ in out.iterdir())} files, {size} bytes")


if __name__ == "__main__":
    main()
