"""Diversity of one generator checkpoint, and of every checkpoint of a run against step."""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import torch
from tqdm import tqdm

from ganalyze.diversity.generators import latent_dim_of, load_generator, sample
from ganalyze.diversity.mnist import DigitScores, DiversityConfig, score_digits
from ganalyze.diversity.ring8 import RING8, Ring8Scores, Ring8Spec, score_ring8
from ganalyze.rundir import find_checkpoints


@dataclass(frozen=True)
class CollapseRule:
    """When "diversity falls". Only checkpoints after the generator has once been diverse
    count: an earlier checkpoint must have covered at least ``min_mode_share`` of the modes
    (5 of 10 digits, 4 of 8 ring modes). Compared with the best such earlier checkpoint, the
    fall is the first checkpoint whose modes covered is at least ``modes_drop`` lower, or
    whose KL from uniform is at least ``kl_rise`` nats higher without more modes covered
    (10 -> 5 equal classes is a rise of ln 2 = 0.69). An early, still-learning generator
    whose KL wanders therefore raises no alarm, and the onset is where the fall starts."""

    modes_drop: int = 2
    kl_rise: float = 0.5
    min_mode_share: float = 0.5


@dataclass
class CheckpointDiversity:
    """Scores of one generator checkpoint; ``samples`` are the generated images/points."""

    path: str
    step: int | None
    dataset: str            # "mnist" or "ring8"
    scores: DigitScores | Ring8Scores
    samples: torch.Tensor
    ring8: Ring8Spec | None = None

    def row(self) -> dict:
        """Flat row for the over-run table (contract columns first)."""
        if isinstance(self.scores, Ring8Scores):
            s = self.scores
            return {"step": self.step, "modes_covered": s.modes_covered,
                    "kl_uniform": s.kl_modes, "high_quality": s.high_quality}
        v = self.scores.values
        return {"step": self.step, **{k: v[k] for k in
                ("modes_covered", "kl_uniform", "p_all_ten_in_100")},
                **{k: x for k, x in v.items() if k not in ("modes_covered", "kl_uniform",
                                                          "p_all_ten_in_100")}}


def _is_ring8(meta: dict) -> bool:
    arch = meta.get("arch") or {}
    config = meta.get("config") or {}
    return arch.get("name") == "mlp2d" or config.get("dataset") == "ring8"


def score_checkpoint(path: str | Path, config: DiversityConfig = DiversityConfig(),
                     device: str | torch.device = "cpu") -> CheckpointDiversity:
    """Generate ``config.n`` samples from a generator checkpoint (noise seeded by
    ``config.seed``) and score them: MNIST metrics, or ring8 mode counts for ``mlp2d``."""
    net, meta = load_generator(path, device)
    samples = sample(net, config.n, latent_dim_of(meta), config.seed, device, config.batch_size)
    step = meta.get("step")
    step = int(step) if step is not None else None
    if _is_ring8(meta):
        spec = RING8                     # the trainer's ring (runs do not configure its geometry)
        return CheckpointDiversity(str(path), step, "ring8", score_ring8(samples, spec), samples,
                                   spec)
    return CheckpointDiversity(str(path), step, "mnist", score_digits(samples, config, device),
                               samples)


def collapse_onset(table: pd.DataFrame, rule: CollapseRule = CollapseRule(),
                   n_modes: int = 10) -> int | None:
    """Step of the first checkpoint where diversity falls (see :class:`CollapseRule`)."""
    best_modes, best_kl = None, math.inf
    for _, r in table.sort_values("step").iterrows():
        modes, kl = r["modes_covered"], r["kl_uniform"]
        if best_modes is not None:
            if modes <= best_modes - rule.modes_drop:
                return int(r["step"])
            if kl == kl and modes <= best_modes and kl >= best_kl + rule.kl_rise:
                return int(r["step"])
        if modes >= rule.min_mode_share * n_modes:
            best_modes = modes if best_modes is None else max(best_modes, modes)
            if kl == kl:
                best_kl = min(best_kl, kl)
    return None


def diversity_over_run(run_dir: str | Path, n: int = 2000, seed: int = 0,
                       device: str | torch.device = "cpu", config: DiversityConfig | None = None,
                       rule: CollapseRule = CollapseRule(), progress: bool = True) -> pd.DataFrame:
    """Score every generator checkpoint of a run (same noise seed for all).

    Returns one row per checkpoint: ``step``, ``modes_covered``, ``kl_uniform`` (nats),
    then ``p_all_ten_in_100`` and the other MNIST metrics, or ``high_quality`` for ring8;
    plus ``checkpoint`` (path). ``attrs``: ``dataset``, ``collapse_onset_step`` (int or
    None), ``ever_diverse`` (some checkpoint covered at least ``rule.min_mode_share`` of the
    ``n_modes`` modes; without that no fall can be located), ``real_heldout`` (MNIST: values on held-out real digits; ring8: the exact values
    of the target ring), ``n``, ``seed``.
    """
    config = replace(config or DiversityConfig(), n=n, seed=seed)
    rows, dataset, reference, n_modes = [], None, {}, 10
    seen_steps = set()
    ckpts = find_checkpoints(run_dir)
    for _, path in tqdm(ckpts, desc="checkpoints", file=sys.stderr, disable=not progress):
        res = score_checkpoint(path, config, device)
        if res.step in seen_steps:  # final gen.pth duplicates the last step_* checkpoint
            continue
        seen_steps.add(res.step)
        dataset = res.dataset
        if res.ring8 is not None:
            n_modes = res.ring8.n_modes
            # exact values for samples of the target ring: all modes, equal shares, and the
            # 2-D Gaussian mass within 3 std, 1 - exp(-9/2)
            reference = {"modes_covered": n_modes, "kl_uniform": 0.0,
                         "high_quality": 1 - math.exp(-4.5)}
        if isinstance(res.scores, DigitScores):
            reference = res.scores.reference
        rows.append({**res.row(), "checkpoint": str(path)})
    table = pd.DataFrame(rows).sort_values("step", kind="stable").reset_index(drop=True)
    table.attrs.update(dataset=dataset, real_heldout=reference, n=n, seed=seed, n_modes=n_modes,
                       ever_diverse=bool((table["modes_covered"]
                                          >= rule.min_mode_share * n_modes).any()),
                       collapse_onset_step=collapse_onset(table, rule, n_modes),
                       title=f"diversity over training: {Path(run_dir).name}")
    return table
