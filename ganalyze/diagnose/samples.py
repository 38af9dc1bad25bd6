"""``--with-samples``: confirm or reject a suspected mode collapse with the generator's actual
diversity at the run's checkpoints (ganalyze.diversity.diversity_over_run)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from ganalyze.errors import GanalyzeError


def with_samples(diagnosis, run_dir, n: int = 2000, seed: int = 0, device: str = "cpu", progress: bool = True):
    """Add checkpoint diversity to each segment's evidence (``sample_modes_covered``: mean modes
    covered by the checkpoints inside the segment; ``sample_checkpoints``: how many), and for
    ``mode_collapse`` segments ``samples_confirm_collapse`` (1 if a checkpoint in the segment is at
    or after the diversity module's collapse onset, else 0). A rejected collapse halves the
    segment's confidence and says so in its advice. Returns the updated Diagnosis (same object)."""
    from ganalyze.diversity import diversity_over_run
    from ganalyze.diversity.run import find_checkpoints

    run_dir = Path(run_dir)
    if not run_dir.is_dir() or not find_checkpoints(run_dir):
        raise GanalyzeError(f"--with-samples: {str(run_dir)!r} has no generator checkpoints; allowed: a run "
                            "directory with gen.pth or checkpoints/step_*/gen.pth")
    table = diversity_over_run(run_dir, n=n, seed=seed, device=device, progress=progress)
    onset = table.attrs.get("collapse_onset_step")
    steps = table["step"].to_numpy()
    modes = table["modes_covered"].to_numpy(dtype="float64")
    new = []
    for s in diagnosis.segments:
        inside = (steps >= s.start_step) & (steps <= s.end_step)
        ev, conf, adv = dict(s.evidence), s.confidence, list(s.advice)
        ev["sample_checkpoints"] = float(inside.sum())
        if inside.any():
            ev["sample_modes_covered"] = float(np.mean(modes[inside]))
        if s.label == "mode_collapse" and inside.any():
            confirmed = onset is not None and bool((steps[inside] >= onset).any())
            ev["samples_confirm_collapse"] = 1.0 if confirmed else 0.0
            if confirmed:
                conf = min(1.0, conf + 0.1)
                adv.append(f"checkpoints confirm it: {ev['sample_modes_covered']:.3g} modes covered on average.")
            else:
                conf *= 0.5
                adv.append("the checkpoints' samples do NOT show a collapse here: the logged diversity signal "
                           "may be a batch artefact.")
        elif s.label != "mode_collapse" and onset is not None and inside.any() and (steps[inside] >= onset).any():
            ev["samples_show_collapse"] = 1.0
            adv.append(f"the checkpoints' samples collapsed (onset step {onset}) although the losses do not show it.")
        new.append(replace(s, confidence=float(conf), evidence=ev, advice=adv))
    diagnosis.segments = new
    diagnosis.summary["samples"] = {"checkpoints": int(len(table)), "collapse_onset_step": onset,
                                    "dataset": table.attrs.get("dataset")}
    return diagnosis
