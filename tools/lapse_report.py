#!/usr/bin/python3
"""The figures of docs/model.md, "Lapse": when every driver of Japan-Israel ties reverses in 2020Q3
(scenarios/all_drivers_reversed.toml), in which quarter does the dialogue fall below the presence
threshold, with the attention budget on (the baseline) and off (attention_load = 0)? Paired with
scenarios/history.toml on the same seeds; also prints Japan's dialogue partners.

    /usr/bin/python3 tools/lapse_report.py [--policysim build/sim/policysim] [--seeds 20]
"""
import argparse
import concurrent.futures
import os
import subprocess
import tempfile
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def run(policysim, scenario, seed, lapse_on, folder):
    out = Path(folder) / f"{scenario}_{seed}_{int(lapse_on)}.h5"
    command = [policysim, "run", str(ROOT / "scenarios" / f"{scenario}.toml"), "--seed", str(seed), "--quiet",
               "--force", "--threads", "1", "--out", str(out)]
    if not lapse_on:
        command += ["--set", "effects.dialogue.attention_load=0"]
    subprocess.run(command, check=True)
    with h5py.File(out, "r") as f:
        codes = list(f["ties/agent"].asstr()[:])
        dialogue = f["ties/dialogue"][:]
        labels = list(f["ties/period_label"].asstr()[:])
        threshold = f["metrics/dialogue_density"].attrs["presence_threshold"]
    jpn, isr = codes.index("JPN"), codes.index("ISR")
    partners = (np.delete(dialogue[:, jpn, :], jpn, axis=1) > threshold).sum(axis=1)
    return labels, dialogue[:, jpn, isr], partners, threshold


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--policysim", default=str(ROOT / "build" / "sim" / "policysim"))
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    first_seed = 20100101
    seeds = range(first_seed, first_seed + args.seeds)
    with tempfile.TemporaryDirectory() as folder, concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        jobs = {(scenario, seed, on): pool.submit(run, args.policysim, scenario, seed, on, folder)
                for scenario in ("history", "all_drivers_reversed") for seed in seeds for on in (True, False)}
        results = {key: job.result() for key, job in jobs.items()}
    labels = results[("history", first_seed, True)][0]
    reversal = labels.index("2020Q3")
    for on in (True, False):
        print(f"attention budget {'on' if on else 'off (attention_load = 0)'}:")
        falls = []
        for seed in seeds:
            _, path, _, threshold = results[("all_drivers_reversed", seed, on)]
            below = [k for k in range(reversal, len(labels)) if path[k] < threshold]
            falls.append(labels[below[0]] if below else None)
        fell = [label for label in falls if label is not None]
        print(f"  seeds in which JPN-ISR dialogue falls below {threshold} after 2020Q3: {len(fell)} of {len(falls)}")
        if fell:
            years = sorted(int(label[:4]) + (int(label[-1]) - 1) / 4 for label in fell)
            print(f"  first quarter below: earliest {min(fell)}, median {np.median(years):.2f}, latest {max(fell)}")
        for scenario in ("history", "all_drivers_reversed"):
            paths = np.array([results[(scenario, seed, on)][1] for seed in seeds])
            partners = np.array([results[(scenario, seed, on)][2] for seed in seeds])
            at = {label: labels.index(label) for label in ("2020Q2", "2025Q4", "2030Q4")}
            print(f"  {scenario:21s} JPN-ISR dialogue " +
                  ", ".join(f"{label} {paths[:, k].mean():.2f}" for label, k in at.items()) +
                  "; Japan's partners " + ", ".join(f"{label} {partners[:, k].mean():.1f}" for label, k in at.items()))
    print("\nJapan's dialogue partners at the end of each year (history.toml, attention budget on, mean over seeds):")
    partners = np.array([results[("history", seed, True)][2] for seed in seeds])
    for year in range(2010, 2031):
        k = labels.index(f"{year}Q4")
        print(f"  {year}: {partners[:, k].mean():.1f} (range {partners[:, k].min()}-{partners[:, k].max()})")


if __name__ == "__main__":
    main()
