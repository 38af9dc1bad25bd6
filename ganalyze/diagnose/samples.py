"""``--with-samples``: confirm or reject a suspected mode collapse with the generator's actual
diversity at the run's checkpoints (ganalyze.diversity.diversity_over_run); a generator that was
never diverse is a confirmed collapse (it has no onset step to find)."""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError


def checkpoint_collapsed(table: pd.DataFrame) -> np.ndarray:
    """Per checkpoint row of a ``diversity_over_run`` table: does its generator show a collapse?

    LABELS.md's ``mode_collapse`` predicate at the checkpoint (mixture data, when ``high_quality``
    is present: ``kl_uniform`` >= ln 2, or ``high_quality`` >= 0.05 with at most half the modes
    covered; images: at most 2 classes covered with ``kl_uniform`` >= 1.5, or ``diversity_ratio``
    <= 0.3 when logged), or a run that was never diverse (``attrs["ever_diverse"]`` False) and
    covers at most half the modes here (a generator that never spread has collapsed, with no onset
    to find), or a checkpoint at/after the diversity module's ``collapse_onset_step``."""
    n_modes = int(table.attrs.get("n_modes", 10))
    modes = table["modes_covered"].to_numpy(dtype="float64")
    kl = table["kl_uniform"].to_numpy(dtype="float64") if "kl_uniform" in table else np.full(len(table), np.nan)
    with np.errstate(invalid="ignore"):
        if "high_quality" in table:
            hq = table["high_quality"].to_numpy(dtype="float64")
            out = (kl >= math.log(2)) | ((hq >= 0.05) & (modes <= n_modes / 2))
        else:
            out = (modes <= 2) & (kl >= 1.5)
            if "diversity_ratio" in table:
                out |= table["diversity_ratio"].to_numpy(dtype="float64") <= 0.3
    if table.attrs.get("ever_diverse") is False:
        out |= modes <= n_modes / 2
    onset = table.attrs.get("collapse_onset_step")
    if onset is not None:
        out |= table["step"].to_numpy() >= onset
    return out


def with_samples(diagnosis, run_dir, n: int = 2000, seed: int = 0, device: str = "cpu", progress: bool = True):
    """Add checkpoint diversity to each segment's evidence (``sample_modes_covered``: mean modes
    covered by the checkpoints inside the segment; ``sample_checkpoints``: how many), and for
    ``mode_collapse`` segments ``samples_confirm_collapse`` (1 if a checkpoint in the segment shows
    a collapse by :func:`checkpoint_collapsed`, also when the run was never diverse, else 0). A
    rejected collapse halves the segment's confidence and says so in its advice; mode collapse is
    no longer listed as not checkable. Returns the updated Diagnosis (same object)."""
    from ganalyze.diversity import diversity_over_run
    from ganalyze.diversity.run import find_checkpoints

    run_dir = Path(run_dir)
    if not run_dir.is_dir() or not find_checkpoints(run_dir):
        raise GanalyzeError(f"--with-samples: {str(run_dir)!r} has no generator checkpoints; allowed: a run "
                            "directory with gen.pth or checkpoints/step_*/gen.pth")
    table = diversity_over_run(run_dir, n=n, seed=seed, device=device, progress=progress)
    return apply_samples(diagnosis, table)


def apply_samples(diagnosis, table: pd.DataFrame):
    """:func:`with_samples` on an already scored ``diversity_over_run`` table."""
    onset = table.attrs.get("collapse_onset_step")
    steps = table["step"].to_numpy()
    modes = table["modes_covered"].to_numpy(dtype="float64")
    collapsed = checkpoint_collapsed(table)
    never = table.attrs.get("ever_diverse") is False
    new = []
    for s in diagnosis.segments:
        inside = (steps >= s.start_step) & (steps <= s.end_step)
        ev, conf, adv = dict(s.evidence), s.confidence, list(s.advice)
        ev["sample_checkpoints"] = float(inside.sum())
        if inside.any():
            ev["sample_modes_covered"] = float(np.mean(modes[inside]))
        if s.label == "mode_collapse" and inside.any():
            confirmed = bool(collapsed[inside].any())
            ev["samples_confirm_collapse"] = 1.0 if confirmed else 0.0
            if confirmed:
                conf = min(1.0, conf + 0.1)
                how = "the generator never covered more than half the modes" if never and onset is None \
                    else "LABELS.md's collapse predicate holds there"
                adv.append(f"checkpoints confirm it: {ev['sample_modes_covered']:.3g} modes covered on average "
                           f"({how}).")
            else:
                conf *= 0.5
                adv.append("the checkpoints' samples do NOT show a collapse here: the logged diversity signal "
                           "may be a batch artefact.")
        elif s.label != "mode_collapse" and inside.any() and collapsed[inside].any():
            ev["samples_show_collapse"] = 1.0
            when = f"onset step {onset}" if onset is not None else "never diverse"
            adv.append(f"the checkpoints' samples show a collapse ({when}) although the log does not.")
        new.append(replace(s, confidence=float(conf), evidence=ev, advice=adv))
    diagnosis.segments = new
    diagnosis.not_checkable = [x for x in diagnosis.not_checkable if x.label != "mode_collapse"]
    diagnosis.summary["samples"] = {"checkpoints": len(table), "collapse_onset_step": onset,
                                    "ever_diverse": table.attrs.get("ever_diverse"),
                                    "collapsed_checkpoints": int(collapsed.sum()),
                                    "dataset": table.attrs.get("dataset")}
    return diagnosis
