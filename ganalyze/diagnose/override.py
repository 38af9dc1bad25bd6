"""The log-based labels confirmed or overridden by checkpoint checks (:mod:`ganalyze.diagnose.samples`).

Each check speaks for the logged rows after the previous check up to its own step (the first
check also for every row before it; rows after the last check have no check). For the rows of
check j whose log label L differs from the check's label c (the first LABELS.md predicate that
holds there):

* nothing changes when no predicate holds at the check (LABELS.md: the label stays), when some row
  of the same interval already carries c (the change happened inside the interval and the log
  places it more finely), for ``warmup`` rows, and for ``divergence`` rows from the first
  non-finite logged loss on (a fact of the log);
* otherwise the rows become c when L could be checked at the check (its signals were measured, so
  its predicate is false there, or a label LABELS.md puts first holds) or when c comes before L
  in LABELS.md's order. A label the checkpoints cannot check (D's labels without a ``disc.pth``,
  stagnation over long gaps, oscillation between sparse checks) is never overridden by a label
  that comes after it.

Rows whose label equals the check's are *confirmed*.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganalyze.diagnose.model import LABELS
from ganalyze.diagnose.samples import SampleChecks, describe_check
from ganalyze.diagnose.truth import PRIORITY

WARMUP = LABELS.index("warmup")
OVERRIDE_CONFIDENCE = 0.9     # a check places a change only within its interval


@dataclass(frozen=True)
class RowVerdicts:
    """Per logged row: ``codes`` (labels after the checks, LABELS indices), ``log_codes`` (before),
    ``overridden``/``confirmed`` (bool), ``check`` (index of the check speaking for the row, -1:
    none)."""

    codes: np.ndarray
    log_codes: np.ndarray
    overridden: np.ndarray
    confirmed: np.ndarray
    check: np.ndarray


def apply_checks(row_codes: np.ndarray, steps: np.ndarray, checks: SampleChecks,
                 locked: np.ndarray | None = None) -> RowVerdicts:
    """Confirm or override ``row_codes`` (LABELS indices per logged row, ``steps`` ascending) with
    ``checks``; ``locked`` rows (bool) never change."""
    log_codes = np.asarray(row_codes, dtype=np.int64)
    codes = log_codes.copy()
    n = len(codes)
    cstep = checks.steps
    which = np.searchsorted(cstep, steps, "left")
    which = np.where(which < len(cstep), which, -1)
    overridden = np.zeros(n, dtype=bool)
    confirmed = np.zeros(n, dtype=bool)
    locked = np.zeros(n, dtype=bool) if locked is None else np.asarray(locked, dtype=bool)
    order = np.flatnonzero(which >= 0)
    bounds = np.searchsorted(which[order], np.arange(len(cstep) + 1), "left")
    for j, cand in enumerate(checks.candidate):          # loop over checks (few), not rows
        rows = order[bounds[j]:bounds[j + 1]]
        if cand is None or len(rows) == 0:
            continue
        c = LABELS.index(cand)
        lab = log_codes[rows]
        same = lab == c
        confirmed[rows[same]] = True
        if same.any():
            continue
        for code in np.unique(lab):
            name = LABELS[code]
            if code == WARMUP:
                continue
            can = bool(checks.checkable[name].iloc[j]) or PRIORITY.index(cand) < PRIORITY.index(name)
            if not can:
                continue
            hit = rows[(lab == code) & ~locked[rows]]
            codes[hit] = c
            overridden[hit] = True
    return RowVerdicts(codes, log_codes, overridden, confirmed, which)


@dataclass(frozen=True)
class SegmentVerdict:
    """What the checks say about one segment: ``confirmed``/``overridden`` (the JSON's
    ``confirmed_by_samples`` / ``overridden_by_samples``, or None), ``evidence`` (legacy numeric
    keys: ``sample_checkpoints``, ``sample_modes_covered``, ``samples_confirm_collapse``),
    ``confidence`` (None: keep the log's; else the new value), ``advice`` (one line or None)."""

    confirmed: dict | None
    overridden: dict | None
    evidence: dict
    confidence_factor: float
    confidence: float | None
    advice: str | None


def segment_verdict(v: RowVerdicts, s: int, e: int, label: str, checks: SampleChecks, kind: str) -> SegmentVerdict:
    """The checks' verdict on rows ``s:e`` (labelled ``label`` after :func:`apply_checks`)."""
    js = np.unique(v.check[s:e])
    js = js[js >= 0]
    sig = checks.signals
    ev = {"sample_checkpoints": float(len(js))}
    if len(js):
        ev["sample_modes_covered"] = float(np.nanmean(sig["modes_covered"].to_numpy(dtype=np.float64)[js]))
    if label == "mode_collapse" and len(js):
        ev["samples_confirm_collapse"] = float(checks.held["mode_collapse"].to_numpy()[js].any())
    steps = [int(checks.steps[j]) for j in js]
    over = v.overridden[s:e]
    if over.any():
        log = np.bincount(v.log_codes[s:e][over], minlength=len(LABELS)).argmax()
        j = int(np.unique(v.check[s:e][over])[-1])
        text = (f"the log reads {LABELS[log]} but LABELS.md's {label} predicate holds on the checkpoint "
                f"({describe_check(sig.iloc[j], kind)})")
        d = {"log_label": LABELS[log], "sample_label": label, "checks": steps, "rows": int(over.sum()),
             "evidence": text}
        return SegmentVerdict(None, d, ev, 1.0, OVERRIDE_CONFIDENCE,
                              f"checkpoints override the log: {text}.")
    conf_rows = v.confirmed[s:e]
    if conf_rows.any():
        j = int(np.unique(v.check[s:e][conf_rows])[-1])
        how = ""
        if label == "mode_collapse" and checks.never_diverse:
            how = f"; the generator never covered more than half of the {checks.n_modes} modes at any check"
        text = f"LABELS.md's {label} predicate holds on the checkpoint ({describe_check(sig.iloc[j], kind)}){how}"
        return SegmentVerdict({"sample_label": label, "checks": steps, "evidence": text}, None, ev, 1.0, None,
                              f"checkpoints confirm it: {text}.")
    if len(js) and label in checks.checkable.columns:
        never = ~checks.held[label].to_numpy()[js] & checks.checkable[label].to_numpy()[js]
        if never.all():
            j = int(js[-1])
            return SegmentVerdict(None, None, ev, 0.5, None,
                                  f"the checkpoints do NOT show {label} here ({describe_check(sig.iloc[j], kind)}) "
                                  "and no other label's predicate holds there: the log's reading is doubtful.")
    return SegmentVerdict(None, None, ev, 1.0, None, None)
