"""Samples as ground truth: LABELS.md's predicates applied to a run's generator checkpoints.

:func:`measure_checkpoints` loads up to ``SampleConfig.max_checkpoints`` generator checkpoints of a
trainer run directory (``checkpoints/step_*/gen.pth`` and the final ``gen.pth``; the
``disc.pth`` beside each, when there is one, gives the D signals), measures LABELS.md's
ground-truth signals on each with :class:`ganalyze.corpus.measure.GroundTruthProbe` (fixed noise,
its own RNG; on ``SampleConfig.device``, CPU by default) and decides, per check, which label's
predicate holds (:func:`check_verdicts`). :mod:`ganalyze.diagnose.override` then confirms or
overrides the log-based labels with them.

Conventions
-----------
* A checkpoint saved after training iteration ``s`` (the trainer's ``step`` field) is the check at
  log step ``s``; it speaks for the logged steps after the previous check up to ``s``
  (LABELS.md section 3: the check labels the training that produced it).
* Each check is judged on its own (no two-check persistence): trainer checkpoints are typically
  hundreds of steps apart, and persistence would move every change one checkpoint interval later.
* A predicate is *checkable* at a check when the signals it reads were measured: D's
  (``d_dominant``, ``g_dominant``) only with a ``disc.pth``; ``stagnation`` only when the previous
  check is at most ``max_drift_gap`` steps earlier (LABELS.md's K <= 100; a drift over a longer
  gap, scaled down, would call a wandering generator still), or when G moved less than 0.5 % of
  the data's spread over the whole gap (then it also did over every 100 steps of it);
  ``oscillation`` only with >= 3 checks within +-400 steps. A predicate that cannot be checked
  never overrides the log.
* A generator that never covered more than half the modes at any evaluated check has collapsed
  (it never spread, so there is no fall from a best value to find): ``mode_collapse`` holds at
  every check of such a run, whatever LABELS.md's histogram test says (a single blob between the
  ring's modes has a flat nearest-mode histogram).
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.diagnose.truth import PRIORITY, SIGNALS, TruthSpec, check_candidates, check_predicates
from ganalyze.errors import GanalyzeError

MEASURABLE = ("ring8", "mnist")      # the trainer's datasets, whose references the corpus ships
OSC_WINDOW = 400                     # LABELS.md: turning points within +-400 steps
STILL_DRIFT = 0.005                  # LABELS.md's stagnation drift (fraction of the data's spread)


@dataclass(frozen=True)
class SampleConfig:
    """``max_checkpoints``: most checkpoints measured (evenly spaced over the run, the last always
    kept); ``max_seconds``: no further checkpoint is started once the measuring has taken this long
    (the last checkpoint is measured first, then the first, then midpoints, so what is measured
    stays spread over the run); ``n_fixed``: fixed-noise samples per check (LABELS.md: >= 1,000); ``seed``: seeds the
    fixed noise and the probe's own RNG; ``device``: where the generators run; ``max_drift_gap``
    [steps]: the longest gap over which ``sample_drift`` is scaled to 100 steps."""

    max_checkpoints: int = 8
    max_seconds: float = 60.0
    n_fixed: int = 1000
    seed: int = 0
    device: str = "cpu"
    max_drift_gap: int = 100


@dataclass
class SampleChecks:
    """The measured checks of one run.

    ``signals``: one row per evaluated check (``step`` ascending, LABELS.md's signal columns, and
    ``has_disc``); ``held``: bool per check and label in :data:`PRIORITY` (the predicate holds);
    ``checkable``: bool per check and label (the predicate could be evaluated); ``candidate``: the
    first holding label in PRIORITY order per check (None: no predicate holds); ``dataset``,
    ``n_modes``; ``never_diverse``: no check covered more than half the modes; ``found`` /
    ``evaluated``: checkpoints in the run / measured; ``seconds``: wall time of the measuring
    (loading the dataset's references included); ``device``; ``notes``: what could not be
    checked; ``data_kind``: "mixture" | "image"."""

    signals: pd.DataFrame
    held: pd.DataFrame
    checkable: pd.DataFrame
    candidate: np.ndarray
    dataset: str
    n_modes: int
    never_diverse: bool
    found: int
    evaluated: int
    seconds: float = 0.0
    device: str = "cpu"
    notes: list = field(default_factory=list)
    data_kind: str = "mixture"

    @property
    def steps(self) -> np.ndarray:
        return self.signals["step"].to_numpy(dtype=np.int64)

    def summary(self) -> dict:
        """What the JSON's ``summary["samples"]`` says about the measuring."""
        modes = self.signals["modes_covered"].to_numpy(dtype=np.float64)
        onset = _collapse_onset(self.signals, self.n_modes)
        return {"checkpoints": int(self.evaluated), "checkpoints_found": int(self.found),
                "checkpoints_evaluated": int(self.evaluated), "seconds": round(float(self.seconds), 3),
                "device": self.device, "dataset": self.dataset, "ever_diverse": not self.never_diverse,
                "collapse_onset_step": onset,
                "collapsed_checkpoints": int(self.held["mode_collapse"].sum()),
                "checks": [{"step": int(s), "sample_label": c,
                            "modes_covered": None if not np.isfinite(m) else float(m)}
                           for s, c, m in zip(self.steps, self.candidate, modes)],
                "notes": list(self.notes)}


def _collapse_onset(signals: pd.DataFrame, n_modes: int) -> int | None:
    from ganalyze.diversity.run import collapse_onset

    t = signals[["step", "modes_covered", "class_histogram_kl"]].rename(columns={"class_histogram_kl": "kl_uniform"})
    return collapse_onset(t, n_modes=n_modes)


def check_verdicts(signals: pd.DataFrame, spec: TruthSpec, max_drift_gap: int = 100):
    """(held, checkable, candidate, never_diverse) of a table of measured checks (``SIGNALS``
    columns plus an optional bool ``has_disc``), by LABELS.md's predicates with this module's
    conventions (see the module docstring)."""
    sig = signals.reset_index(drop=True).copy()
    steps = sig["step"].to_numpy(dtype=np.int64)
    gap = np.diff(steps.astype(np.float64), prepend=np.nan)
    drift = pd.to_numeric(sig["sample_drift"], errors="coerce").to_numpy(dtype=np.float64)
    still = drift <= STILL_DRIFT
    drift_ok = np.isfinite(drift) & np.isfinite(gap) & ((gap <= max_drift_gap) | still)
    sig["sample_drift"] = np.where(drift_ok, drift, np.nan)
    held = check_predicates(sig[list(SIGNALS)], spec)
    modes = pd.to_numeric(sig["modes_covered"], errors="coerce").to_numpy(dtype=np.float64)
    finite_modes = np.isfinite(modes)
    never = bool(finite_modes.any() and (modes[finite_modes] <= spec.n_modes / 2).all())
    if never:
        held["mode_collapse"] = held["mode_collapse"] | finite_modes
        held["healthy"] = held["healthy"] & ~finite_modes
    candidate = check_candidates(held).to_numpy()

    def finite(*names):
        out = np.ones(len(sig), dtype=bool)
        for n in names:
            out &= np.isfinite(pd.to_numeric(sig[n], errors="coerce").to_numpy(dtype=np.float64))
        return out

    near = np.searchsorted(steps, steps + OSC_WINDOW, "right") - np.searchsorted(steps, steps - OSC_WINDOW, "left")
    checkable = pd.DataFrame({
        "divergence": np.ones(len(sig), dtype=bool),
        "stagnation": drift_ok,
        "d_dominant": finite("d_acc_fake", "d_accuracy") if spec.critic else finite("d_fake_mean", "d_accuracy"),
        "g_dominant": finite("d_fake_mean", "d_acc_fake"),
        "oscillation": near >= 3,
        "mode_collapse": finite_modes,
        "healthy": finite_modes & (finite("frechet_distance") if spec.data_kind == "mixture" else finite("diversity_ratio")),
    })[list(PRIORITY)]
    return held.drop(columns=["nonfinite"]), checkable, candidate, never


def _coarse_to_fine(n: int) -> list:
    """Indices 0 .. n-1 in the order a time budget should measure them: the last, the first, then
    midpoints of ever smaller intervals (any prefix is spread over the whole run)."""
    if n <= 0:
        return []
    order, seen, queue = [], set(), [(0, n - 1)]
    for i in (n - 1, 0):
        if i not in seen:
            order.append(i)
            seen.add(i)
    while queue:
        a, b = queue.pop(0)
        if b - a < 2:
            continue
        m = (a + b) // 2
        if m not in seen:
            order.append(m)
            seen.add(m)
        queue += [(a, m), (m, b)]
    return order


def _drift(outputs: list, rms_spread: float) -> np.ndarray:
    """LABELS.md's ``sample_drift`` between consecutive checks (in step order): RMS change of the
    fixed-noise outputs / the data's RMS spread; NaN at the first check and next to non-finite outputs."""
    out = np.full(len(outputs), np.nan)
    for j in range(1, len(outputs)):
        a, b = outputs[j - 1], outputs[j]
        if bool(np.isfinite(a.numpy()).all() and np.isfinite(b.numpy()).all()):
            out[j] = float((b - a).square().sum(1).mean().sqrt()) / rms_spread
    return out


def _select(found: list, k: int) -> list:
    """At most ``k`` of the sorted checkpoints, evenly spaced, the first and the last kept."""
    if len(found) <= k:
        return found
    idx = np.unique(np.round(np.linspace(0, len(found) - 1, k)).astype(int))
    return [found[i] for i in idx]


def _dataset_of(meta: dict) -> str | None:
    config = meta.get("config") or {}
    arch = meta.get("arch") or {}
    name = config.get("dataset") or ("ring8" if arch.get("name") == "mlp2d" else None)
    return name if name in MEASURABLE else None


def measure_checkpoints(run_dir, config: SampleConfig = SampleConfig(), progress: bool = True) -> SampleChecks:
    """Measure LABELS.md's signals on up to ``config.max_checkpoints`` generator checkpoints of
    ``run_dir`` and decide the labels per check. Raises GanalyzeError (one line) when the folder
    has no generator checkpoints, a checkpoint cannot be read, or the dataset has no shipped
    references (only the trainer's ring8 and MNIST runs can be measured)."""
    import torch
    from tqdm import tqdm

    from ganalyze.corpus.datasets import load
    from ganalyze.corpus.measure import GroundTruthProbe
    from ganalyze.diversity.generators import latent_dim_of, load_generator
    from ganalyze.rundir import find_checkpoints
    from ganalyze.train.device import resolve_device
    from ganalyze.train.losses import SCORES

    if config.max_checkpoints < 1 or config.n_fixed < 1:
        raise GanalyzeError(f"samples: max_checkpoints and n_fixed must be >= 1, got {config.max_checkpoints}, "
                            f"{config.n_fixed}")
    t0 = time.perf_counter()
    run_dir = Path(run_dir)
    found = find_checkpoints(run_dir)          # GanalyzeError when there are none
    chosen = _select(found, config.max_checkpoints)
    device = resolve_device(config.device)
    probe, spec, kind, data, rows, outputs, seen, skipped = None, None, None, None, [], {}, set(), 0
    order = _coarse_to_fine(len(chosen))
    for n_done, i in enumerate(tqdm(order, desc="checkpoints", file=sys.stderr, disable=not progress)):
        if n_done and time.perf_counter() - t0 > config.max_seconds:
            skipped = len(order) - n_done
            break
        path = chosen[i][1]
        gen, meta = load_generator(path, device)
        step = meta.get("step")
        if step is None or int(step) in seen:
            continue
        if probe is None:
            dataset = _dataset_of(meta)
            if dataset is None:
                raise GanalyzeError(f"samples: {str(path)!r} is a generator for dataset "
                                    f"{(meta.get('config') or {}).get('dataset')!r}; allowed: "
                                    f"{', '.join(MEASURABLE)} (the trainer's, whose references ganalyze ships)")
            data = load(dataset)
            loss = str(meta.get("loss", "nsgan"))
            kind = {"minimax": "logit", "nsgan": "logit", "lsgan": "lsgan"}.get(loss, "critic")
            spec = TruthSpec(data.kind, data.n_modes, SCORES.get(loss) == "critic", data.data_abs_mean, data.fd_floor)
            probe = GroundTruthProbe(data, latent_dim_of(meta), config.seed, config.n_fixed)
        seen.add(int(step))
        disc_path = path.with_name("disc.pth")
        d_score = _load_disc(disc_path, device, kind) if disc_path.is_file() else None
        g = _OnCpu(gen, data.sample_shape, probe.fixed_noise)
        probe._prev = None                      # checks are measured out of step order: drift below
        with torch.inference_mode():
            row = probe(int(step), g, d_score)
        outputs[int(step)] = g.fixed_out
        row["has_disc"] = d_score is not None
        rows.append(row)
    if not rows:
        raise GanalyzeError(f"samples: no checkpoint of {str(run_dir)!r} records its step")
    signals = pd.DataFrame(rows).sort_values("step", kind="stable").reset_index(drop=True)
    signals["sample_drift"] = _drift([outputs[int(s)] for s in signals["step"]], data.rms_spread)
    held, checkable, candidate, never = check_verdicts(signals, spec, config.max_drift_gap)
    notes = []
    if skipped:
        notes.append(f"{skipped} of the {len(order)} chosen checkpoints not measured: the {config.max_seconds:g} s "
                     "budget was spent (the last checkpoint and the ones spread widest are measured first)")
    if not signals["has_disc"].any():
        notes.append("no disc.pth beside the checkpoints: d_dominant and g_dominant are not checked")
    if not checkable["stagnation"].any():
        notes.append(f"checkpoints more than {config.max_drift_gap} steps apart: stagnation is only checked when "
                     "G moved less than 0.5 % of the data's spread over a whole gap")
    return SampleChecks(signals, held, checkable, candidate, dataset, int(spec.n_modes), never,
                        found=len(found), evaluated=len(rows), seconds=time.perf_counter() - t0,
                        device=str(device), notes=notes, data_kind=spec.data_kind)


def _resize(x, shape):
    """Images ``x`` (N, C, H, W) resized to ``shape``'s (H, W) (bilinear, antialiased: how the
    trainer makes 64x64 digits and the diversity classifier reads them); anything else unchanged."""
    import torch.nn.functional as F

    if x.dim() == 4 and len(shape) == 3 and tuple(x.shape[-2:]) != tuple(shape[-2:]):
        return F.interpolate(x, size=tuple(shape[-2:]), mode="bilinear", antialias=True, align_corners=False)
    return x


class _OnCpu:
    """The generator, returning float32 CPU tensors at the dataset's sample shape (the probe's
    references live on the CPU at 28x28 for MNIST; a 64x64 generator is resized). Keeps its
    output on the probe's fixed noise (``fixed``) as ``fixed_out``, for the drift between checks."""

    def __init__(self, gen, shape, fixed):
        self.gen, self.shape, self.fixed, self.fixed_out = gen, shape, fixed, None

    def __call__(self, z):
        dev = next(self.gen.parameters()).device
        out = _resize(self.gen(z.to(dev)).float().cpu(), self.shape)
        if z is self.fixed:
            self.fixed_out = out.flatten(1)
        return out


def _load_disc(path: Path, device, kind: str):
    """``d_score`` for the probe from a discriminator checkpoint: its raw outputs and their kind;
    inputs are resized to the discriminator's own image size."""
    from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint

    ckpt = load_checkpoint(str(path))
    if ckpt.get("role") != "discriminator":
        raise GanalyzeError(f"checkpoint: {str(path)!r} has role {ckpt.get('role')!r}; expected a discriminator")
    disc = build_from_checkpoint(ckpt).to(device).eval().requires_grad_(False)
    shape = tuple((ckpt.get("arch") or {}).get("img_shape") or ())

    def d_score(x):
        return disc(_resize(x.float(), shape).to(device)).float().cpu(), kind
    return d_score


def has_checkpoints(run_dir) -> bool:
    """Whether ``run_dir`` is a folder with generator checkpoints (the default for ``--with-samples``)."""
    from ganalyze.rundir import find_checkpoints

    try:
        return Path(run_dir).is_dir() and bool(find_checkpoints(run_dir))
    except GanalyzeError:
        return False
    except OSError:
        return False


def describe_check(signals: pd.Series, kind: str) -> str:
    """One check's signals in words with units (for evidence lines)."""
    def g(name):
        v = signals.get(name)
        try:
            v = float(v)
        except (TypeError, ValueError):
            return None
        return v if math.isfinite(v) else None

    parts = []
    if float(signals.get("finite", 1.0)) == 0.0:
        parts.append("non-finite samples or D outputs")
    if g("modes_covered") is not None:
        parts.append(f"{'modes' if kind == 'mixture' else 'classes'} covered {g('modes_covered'):.0f}")
    if g("class_histogram_kl") is not None:
        parts.append(f"histogram KL {g('class_histogram_kl'):.2f} nats")
    if kind == "mixture" and g("high_quality_fraction") is not None:
        parts.append(f"{g('high_quality_fraction'):.0%} of samples within 3 std of a mode")
    if g("frechet_distance") is not None:
        parts.append(f"FD {g('frechet_distance'):.3g}")
    if g("diversity_ratio") is not None:
        parts.append(f"diversity ratio {g('diversity_ratio'):.2f} (1 = the data's spread)")
    if g("d_fake_mean") is not None:
        parts.append(f"D on fresh fakes {g('d_fake_mean'):.2f}")
    if g("d_accuracy") is not None:
        parts.append(f"D accuracy {g('d_accuracy'):.2f}")
    return f"check at step {int(signals['step'])}: " + ", ".join(parts)
