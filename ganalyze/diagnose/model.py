"""The result types of a diagnosis: :class:`Segment` and :class:`Diagnosis`."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

LABELS = ("warmup", "healthy", "d_dominant", "g_dominant", "mode_collapse",
          "stagnation", "oscillation", "divergence")

# What each label means (shared/LABELS.md: what the networks did), not what the log shows: the
# headline puts the measured numbers after it, so it never claims a level the numbers contradict.
DESCRIPTIONS = {
    "warmup": "the generator has not yet settled into anything persistent (good samples or a pathology)",
    "healthy": "no pathology found in the logged signals",
    "d_dominant": "D wins: it tells real from fake almost always; if that lasts, its verdicts teach G little",
    "g_dominant": "G fools D: D scores most fakes as real",
    "mode_collapse": "the generator's samples lost their diversity (few of the data's modes or classes covered)",
    "stagnation": "G stopped moving: its samples change by less than 0.5 % of the data's spread per 100 steps",
    "oscillation": "the sample quality (or D's accuracy) swings back and forth instead of settling",
    "divergence": "the samples or D's outputs turned non-finite or exploded",
}

#: what a winning D does to G, by the loss: only the minimax G loss saturates (Goodfellow et al.
#: 2014); the non-saturating one keeps a gradient that near a perfect D grows noisy (Arjovsky &
#: Bottou 2017); hinge, least squares and critics keep theirs
D_DOMINANT_BY_LOSS = {
    "minimax": "D wins: it tells real from fake almost always, so G's gradients vanish (the minimax G loss saturates)",
    "nsgan": "D wins: it tells real from fake almost always; G's non-saturating loss keeps a gradient, but near a "
             "perfect D it is noisy and carries little about the data (Arjovsky & Bottou 2017)",
}


def description(label: str, loss: str | None = None) -> str:
    """What ``label`` means for a run of loss type ``loss`` (:data:`DESCRIPTIONS`, and for
    ``d_dominant`` :data:`D_DOMINANT_BY_LOSS`)."""
    if label == "d_dominant" and loss in D_DOMINANT_BY_LOSS:
        return D_DOMINANT_BY_LOSS[loss]
    return DESCRIPTIONS[label]


def _num(v):
    """A JSON-safe float (None for NaN/inf)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None


@dataclass(frozen=True)
class Segment:
    """A contiguous stretch of logged steps with one label.

    ``start_step``/``end_step`` are logged steps, both inclusive; segments of a diagnosis cover
    every logged row exactly once, in order. ``confidence`` is in [0, 1]; ``evidence`` maps a
    statistic's name to its value over the segment (means over the segment's windows; ``d_loss_median`` and
    ``g_loss_median`` the median of its windows' mean losses, which one window's blow-up does not move).
    ``top_features`` (learned method): the window features that pushed the model towards
    ``label`` most (``attribution.FeatureEffect``); ``rule`` (rules method): the rule that labels
    such windows, in words; ``samples`` (when checkpoints were checked): ``confirmed_by_samples``
    and ``overridden_by_samples`` (each a dict or None, see ``override.segment_verdict``).
    """

    start_step: int
    end_step: int
    label: str
    confidence: float
    evidence: dict = field(default_factory=dict)
    advice: list = field(default_factory=list)
    top_features: list | None = None
    rule: str | None = None
    samples: dict | None = None

    def to_dict(self) -> dict:
        out = {"start_step": int(self.start_step), "end_step": int(self.end_step), "label": self.label,
               "confidence": float(round(self.confidence, 4)),
               "evidence": {k: _num(v) for k, v in self.evidence.items()},
               "advice": list(self.advice)}
        if self.rule is not None:
            out["rule"] = self.rule
        if self.top_features is not None:
            out["top_features"] = [_jsonable(x.to_dict()) for x in self.top_features]
        if self.samples is not None:
            out.update(_jsonable(self.samples))
        return out

    def detail_lines(self) -> list:
        """Short lines under the segment's timeline entry: the rule or the features that decided
        it, and what the checkpoints said."""
        out = []
        if self.rule:
            out.append(f"rule: {self.rule}")
        if self.top_features:
            towards = self.top_features[0].label
            out.append(f"moved the model to {towards} most (log-odds): " + "; ".join(x.phrase() for x in self.top_features))
        if self.samples:
            over, conf = self.samples.get("overridden_by_samples"), self.samples.get("confirmed_by_samples")
            if over:
                out.append(f"samples override the log's {over['log_label']}: {over['evidence']}")
            elif conf:
                out.append(f"samples confirm: {conf['evidence']}")
        return out


@dataclass
class Diagnosis:
    """Phases and pathologies of one run (see ``ganalyze.diagnose.diagnose``).

    ``row_codes`` holds one label (index into LABELS) per row of the diagnosed frame (in step
    order) and ``row_steps`` the matching steps; ``phases(df)`` realigns them with a frame's index.
    """

    segments: list
    assumptions: dict
    summary: dict
    row_steps: np.ndarray
    row_codes: np.ndarray        # int8 index into LABELS, one per diagnosed row
    helix: dict | None = field(default=None, repr=False)   # bin-level helix table (see helix_stats)
    not_checkable: list = field(default_factory=list)       # explain.NotCheckable items
    metadata: object | None = field(default=None, repr=False)   # metadata.RunMetadata

    def helix_stats(self, df: pd.DataFrame | None = None) -> pd.DataFrame:
        """The helix table of ``ganalyze.diagnose.helix_stats`` (same window) from the feature pass
        this diagnosis already made, without recomputing it: ``step``, ``crossing_rate``,
        ``anticorrelation`` per diagnosed row, aligned with ``df.index`` when ``df`` is the diagnosed
        frame (else indexed like the diagnosed rows in step order)."""
        if self.helix is None:
            raise ValueError("this Diagnosis carries no helix table")
        counts = self.helix["rows_per_bin"]
        out = pd.DataFrame({"step": self.row_steps, "crossing_rate": np.repeat(self.helix["crossing_rate"], counts),
                            "anticorrelation": np.repeat(self.helix["anticorrelation"], counts)},
                           index=self.helix["index"])
        if df is not None and not out.index.equals(df.index):
            out = out.reindex(df.index)
        return out

    @property
    def row_labels(self) -> np.ndarray:
        """Labels (str) per diagnosed row."""
        return np.asarray(LABELS, dtype=object)[self.row_codes]

    def phases(self, df: pd.DataFrame | None = None) -> pd.Series:
        """One label per row of ``df`` (aligned with ``df.index``), by each row's ``step``.

        Rows whose step was not diagnosed get the label of the segment that contains the step
        (steps between logged rows), or the nearest segment outside the run's range."""
        labels = pd.Categorical.from_codes(self.row_codes, categories=LABELS)
        if df is None:
            return pd.Series(labels, index=pd.Index(self.row_steps, name="step"), name="phase")
        if "step" not in df.columns:
            if len(df) == len(self.row_codes):
                return pd.Series(labels, index=df.index, name="phase")
            from ganalyze.errors import GanalyzeError

            raise GanalyzeError("df: no 'step' column and a different length than the diagnosed run; "
                                "allowed: the diagnosed run's DataFrame")
        steps = df["step"].to_numpy()
        if len(steps) == len(self.row_steps) and np.array_equal(steps, self.row_steps):
            return pd.Series(labels, index=df.index, name="phase")
        steps = pd.to_numeric(df["step"], errors="coerce").to_numpy(dtype="float64")
        pos = np.searchsorted(self.row_steps, steps, side="right") - 1
        pos = np.clip(pos, 0, len(self.row_codes) - 1)
        return pd.Series(pd.Categorical.from_codes(self.row_codes[pos], categories=LABELS), index=df.index, name="phase")

    def to_dict(self, run: str = "") -> dict:
        """The JSON shape of ``ganalyze diagnose --json``."""
        assumptions = dict(self.assumptions)
        if self.metadata is not None:   # each assumption with its source and reason
            assumptions["details"] = [x.to_dict() for x in self.metadata.assumptions]
        return {"run": str(run), "assumptions": _jsonable(assumptions), "summary": _jsonable(self.summary),
                "segments": [s.to_dict() for s in self.segments],
                "not_checkable": [n.to_dict() for n in self.not_checkable]}

    def text(self) -> str:
        """Short human summary: the timeline, the main finding and what to change."""
        a = self.assumptions
        lines = [f"assumed: loss={a.get('loss')} d_loss_reduction={a.get('d_loss_reduction')} "
                 f"scores={a.get('scores')} log_every={a.get('log_every')} averaged={a.get('averaged')}"
                 + (f" lsgan_terms={a['lsgan_terms']}" if "lsgan_terms" in a else "")
                 + (f" g_loss_terms={a['g_loss_terms']}" if "g_loss_terms" in a else "")
                 + (f" d_loss_terms={a['d_loss_terms']}" if "d_loss_terms" in a else "")
                 + (f" iterations_per_step={a['iterations_per_step']} (log_every in those iterations)"
                    if "iterations_per_step" in a else "")]
        if a.get("d_loss_from"):
            lines.append(f"  read d_loss as {a['d_loss_from']}")
        if a.get("d_outputs_from"):
            lines.append(f"  read D's outputs as logit(x): {a['d_outputs_from']}")
        for x in (self.metadata.assumptions if self.metadata is not None else ()):
            if x.source == "guess" or (x.name == "lsgan_terms" and x.source != "declared"):
                lines.append(f"  guessed {x.name}={x.value}: {x.reason}")
        if a.get("supported") is False:
            told = self.metadata is not None and self.metadata.assumption("loss").source == "file"
            lines.append(f"  unsupported loss {a.get('loss')!r}: " + (
                "identified from the log's format; its levels are not judged" if told
                else "declare --loss if the run uses a supported one"))
        lines.append("timeline:")
        for s in self.segments:
            lines.append(f"  steps {s.start_step:>8d}-{s.end_step:<8d} {s.label:<13s} confidence {s.confidence:.2f}")
            lines += [f"      {x}" for x in s.detail_lines()]
        lines.append(f"main finding: {self.summary.get('main_finding', '')}")
        if (shown := self.summary.get("shown_samples")) and shown.get("reading") == "partly alike":
            lines.append(f"samples shown in the notebook: {shown['evidence']}; tiles this alike are less varied than "
                         "95 % of the judged public notebooks' varied samples: a collapse onto a few images (or tinted "
                         "copies of one) is not ruled out, so look at the grid; the grid may also be real data")
        elif shown and not shown.get("collapsed", shown.get("near_copies")):
            lines.append(f"samples shown in the notebook: {shown['evidence']}; varied tiles rule out a collapse into "
                         "one image, not a failed run (noise varies too), and the grid may be real data shown for "
                         "comparison")
        if gaps := self.summary.get("log_gaps"):
            lines.append("gaps in the log: no rows for steps " + ", ".join(f"{g['from_step']}-{g['to_step']}" for g in gaps)
                         + f" ({self.summary.get('log_gaps_share', 0):.0%} of its span): what the run did there is not "
                         "in it (a notebook's trimmed output, lost epochs, or a logger that stopped); the rows either "
                         "side are read as consecutive")
        fid = self.summary.get("logged_fid")
        if fid:
            lines.append(f"logged FID (the run's own evaluations, lower is better; not used for the labels): "
                         f"{fid['first']:.4g} at step {fid['first_step']}, best {fid['best']:.4g} at step "
                         f"{fid['best_step']}, last {fid['last']:.4g} at step {fid['last_step']} "
                         f"({fid['evaluations']} evaluations)" + (f": {fid['reading']}" if fid.get("reading") else ""))
        smp = self.summary.get("samples")
        if smp:
            lines.append(f"samples: {smp['checkpoints_evaluated']} of {smp['checkpoints_found']} generator checkpoints "
                         f"checked against LABELS.md ({smp['dataset']}, {smp['device']}, {smp['seconds']:.1f} s); "
                         f"{smp['overridden_segments']} segment(s) overridden, {smp['confirmed_segments']} confirmed")
            lines += [f"  note: {x}" for x in smp.get("notes", [])]
        groups = {}   # labels with the same reason share one line
        for n in self.not_checkable:
            groups.setdefault((n.because, n.to_settle), []).append(n.label)
        for (because, to_settle), labels in groups.items():
            lines.append(f"not checkable ({', '.join(labels)}): {because}: {to_settle}")
        adv = self.summary.get("advice") or []
        lines.append("what to change:" if adv else "what to change: nothing pressing")
        lines += [f"  - {x}" for x in adv]
        return "\n".join(lines)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    return obj
