"""What a corpus loop hands back: its log rows, the ground-truth rows and its metadata.

A loop calls ``rec.log(step, d_loss=t, ...)`` once per iteration with 0-d tensors (no host sync;
the values are stacked and moved to the host once at the end) and, every ``check_every`` steps,
``rec.check(step, gen, disc, d_score)`` which runs the ground-truth probe with both networks in
eval mode and on the probe's own random generator.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from ganalyze.corpus.measure import GroundTruthProbe


class Recorder:
    def __init__(self, probe: GroundTruthProbe, check_every: int, steps: int):
        self.probe = probe
        self.check_every = check_every
        self.steps = steps
        self._steps: list[int] = []
        self._rows: list[dict] = []
        self.truth: list[dict] = []
        self.external_log: pd.DataFrame | None = None   # a loop that writes its own log (the trainer)

    def due(self, step: int) -> bool:
        return (step + 1) % self.check_every == 0 or step == self.steps - 1

    def log(self, step: int, **values) -> None:
        self._steps.append(step)
        self._rows.append({k: (v.detach() if torch.is_tensor(v) else v) for k, v in values.items()})

    def check(self, step: int, gen: torch.nn.Module, disc: torch.nn.Module, d_score) -> None:
        """Measure after iteration ``step``: the row describes the networks after step + 1 iterations."""
        self._measure(step + 1, gen, disc, d_score)

    def _measure(self, iterations: int, gen, disc, d_score) -> None:
        was_g, was_d = gen.training, disc.training
        gen.eval(), disc.eval()
        try:
            self.truth.append(self.probe(iterations, gen, d_score))
        finally:
            gen.train(was_g), disc.train(was_d)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(log: one row per iteration, float32 values; truth: one row per check)."""
        if self.external_log is not None:
            log = self.external_log.copy()
            for c in log.columns:
                if c != "step":
                    log[c] = log[c].astype(np.float32)
            return log.reset_index(drop=True), pd.DataFrame(self.truth)
        cols = sorted({k for r in self._rows for k in r})
        data = {}
        for c in cols:
            vals = [r.get(c, math.nan) for r in self._rows]
            tens = [v for v in vals if torch.is_tensor(v)]
            if tens:
                stacked = torch.stack([v.float().reshape(()) if torch.is_tensor(v) else torch.tensor(float(v))
                                       for v in vals]).cpu().numpy()
            else:
                stacked = np.asarray(vals, dtype=np.float64)
            data[c] = stacked.astype(np.float32)
        log = pd.DataFrame({"step": np.asarray(self._steps, dtype=np.int64), **data})
        truth = pd.DataFrame(self.truth)
        return log, truth


def initial_check(rec: Recorder, gen, disc, d_score) -> None:
    """The check at step 0 (untrained networks): the reference the first sample_drift is taken from."""
    rec._measure(0, gen, disc, d_score)


def grad_norm(params) -> torch.Tensor:
    """Global L2 norm of all parameter gradients (0-d tensor, no sync)."""
    grads = [p.grad.detach().flatten() for p in params if p.grad is not None]
    return torch.cat(grads).norm() if grads else torch.zeros(())


def pdist_ratio(fake: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """Logged diversity column: mean pairwise L2 distance in a generated batch / in a real batch."""
    with torch.no_grad():
        return torch.pdist(fake.detach().flatten(1).float()).mean() / torch.pdist(real.flatten(1).float()).mean()
