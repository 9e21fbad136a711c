"""TEST FIXTURE: a Saltelli sweep file (docs/sweeps.md layout) whose metric dialogue_density is
the Ishigami function of the three parameters, so that its Sobol indices are known."""
import numpy as np

from analysis.sensitivity import ishigami, saltelli_sample
from sweep_fixture import write_sweep

NAMES = ["x1", "x2", "x3"]


def write_saltelli_ishigami(path, base_samples=1024, seed=4):
    x, sample, block = saltelli_sample(base_samples, [-np.pi] * 3, [np.pi] * 3, seed=seed)
    keyed = np.array([b if b in ("A", "B") else NAMES[int(b)] for b in block], dtype=object)

    def model(params, replicate, time):
        value = ishigami(np.array([[params[n] for n in NAMES]]))[0]
        return {"dialogue_density": np.full(len(time), value)}

    return write_sweep(path, "saltelli", [(n, "number", -np.pi, np.pi) for n in NAMES], dict(zip(NAMES, x.T)), model,
                       replicates=1, quarters_count=3,
                       design_columns={"saltelli_sample": sample, "saltelli_block": keyed},
                       design_attrs={"saltelli_base_samples": base_samples})
