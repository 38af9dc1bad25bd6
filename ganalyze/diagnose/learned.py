"""The learned diagnosis: a gradient-boosted tree model over :mod:`window_features`.

The model is trained on the labelled corpus by ``scripts/train_diagnoser.py`` (LightGBM,
multiclass, one probability per label) and ships as two files beside this module:

``diagnoser_model.txt``   LightGBM's own text dump of the trees (parsed, never executed)
``diagnoser_model.json``  labels, feature names, training settings, held-out scores and the
                          sha256 of the text dump; a model whose text does not match it is refused

:func:`predict_points` returns, per evaluation point, the probability of each label; the
segmenter (:mod:`ganalyze.diagnose.segmenter`) turns them into segments. Confidence is the
*calibrated* probability (:mod:`ganalyze.diagnose.calibration`: the raw scores divided by the
temperature stored in the JSON, fitted on predictions for training loops the model never saw);
the segmenter reads the model's own probabilities (temperature 1), which its switch cost was set
for. The held-out scores and calibration are in the JSON.
"""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError

MODEL_TEXT = Path(__file__).with_name("diagnoser_model.txt")
MODEL_INFO = Path(__file__).with_name("diagnoser_model.json")
FORMAT = "ganalyze-diagnoser"
#: the sparsest logging interval (steps between rows) of the corpus log variants the model was fitted
#: on (``ganalyze.corpus.variants.INTERVALS``): a sparser log is outside what it has seen
MAX_LOG_EVERY = 500
FINAL_VOTE = 60.0      # nats: a rules' label with this vote wins over any model score (|raw| < 30 in practice)


@dataclass(frozen=True)
class RulesVote:
    """How method ``auto`` adds the rules' label to the model's raw scores at each evaluation point
    (:func:`with_rules_vote`), as the model's JSON (``ensemble``) says.

    ``bonus``: nats the rules' label adds; ``label_votes``: a label's own vote (label -> nats) instead
    of ``bonus``; ``final``: labels whose rules' label always wins (:data:`FINAL_VOTE`);
    ``blind_share``: the share of the vote the labels the rules cannot see on a log get."""

    bonus: float = 0.0
    final: tuple[str, ...] = ()
    label_votes: dict = field(default_factory=dict)
    blind_share: float = 0.0

    @classmethod
    def from_info(cls, ensemble: dict | None) -> RulesVote:
        """From the JSON's ``ensemble`` (a model saved without one: the model alone); values of the
        wrong type or sign fall back to the defaults."""
        ens = ensemble if isinstance(ensemble, dict) else {}
        num = lambda v, ok: isinstance(v, (int, float)) and not isinstance(v, bool) and ok(v)  # noqa: E731
        own = ens.get("label_votes") if isinstance(ens.get("label_votes"), dict) else {}
        return cls(bonus=float(ens["rules_bonus"]) if num(ens.get("rules_bonus"), lambda v: v >= 0) else 0.0,
                   final=tuple(x for x in ens.get("rules_final") or () if isinstance(x, str)),
                   label_votes={k: float(v) for k, v in own.items() if num(v, lambda v: v >= 0)},
                   blind_share=float(ens["blind_share"]) if num(ens.get("blind_share"), lambda v: 0 <= v <= 1) else 0.0)

    def votes(self, labels) -> np.ndarray:
        """Nats per label (in ``labels`` order) that the rules' label adds."""
        v = np.array([self.label_votes.get(x, self.bonus) for x in labels], dtype=np.float64)
        v[[list(labels).index(x) for x in self.final if x in labels]] = FINAL_VOTE
        return v

    def blind_shares(self, labels, blind=()) -> tuple[list[int], list[float]]:
        """(indices into ``labels``, share of the vote) of the labels the rules cannot see on a log:
        ``blind`` (``explain.not_checkable`` of its columns), each at :attr:`blind_share`."""
        idx = [(list(labels).index(x), self.blind_share) for x in blind if x in labels and self.blind_share > 0]
        return [i for i, _ in idx], [s for _, s in idx]


@dataclass(frozen=True)
class DiagnoserModel:
    booster: object
    labels: tuple[str, ...]
    features: tuple[str, ...]
    info: dict = field(default_factory=dict)

    @property
    def temperature(self) -> float:
        """Calibration temperature (1.0 for a model saved without one)."""
        t = (self.info.get("calibration") or {}).get("temperature", 1.0)
        return float(t) if isinstance(t, (int, float)) and t > 0 else 1.0

    @property
    def switch_cost(self) -> float:
        """The segmenter's cost of a label switch (nats), chosen with the model on held-out folds."""
        from ganalyze.diagnose.segmenter import SWITCH_COST

        c = (self.info.get("segmenter") or {}).get("switch_cost", SWITCH_COST)
        return float(c) if isinstance(c, (int, float)) and c >= 0 else SWITCH_COST

    @property
    def rules_vote(self) -> RulesVote:
        """How ``auto`` adds the rules' label (the JSON's ``ensemble``; the model alone without one)."""
        return RulesVote.from_info(self.info.get("ensemble"))

    @property
    def rules_votes(self) -> np.ndarray:
        """Nats per label (in :attr:`labels` order) that the rules' label adds in ``auto``
        (:meth:`RulesVote.votes`)."""
        return self.rules_vote.votes(self.labels)

    def predict_raw(self, feats: pd.DataFrame) -> np.ndarray:
        """(n_points, n_labels) raw scores (log-odds before the softmax); columns the model does
        not know are ignored and missing ones are NaN (treated as missing by the trees)."""
        x = feats.reindex(columns=list(self.features)).to_numpy(dtype=np.float32)
        if len(x) == 0:
            return np.zeros((0, len(self.labels)))
        raw = self.booster.predict(x, num_threads=1, raw_score=True)
        return np.asarray(raw, dtype=np.float64).reshape(len(x), len(self.labels))

    def predict_proba(self, feats: pd.DataFrame, calibrated: bool = True) -> np.ndarray:
        """(n_points, n_labels) probabilities: calibrated (divided by :attr:`temperature`) or the
        model's own."""
        from ganalyze.diagnose.calibration import softmax_with_temperature

        raw = self.predict_raw(feats)
        if len(raw) == 0:
            return raw
        return softmax_with_temperature(raw, self.temperature if calibrated else 1.0)


def save_model(booster, labels, features, info: dict, text_path: Path = MODEL_TEXT, info_path: Path = MODEL_INFO) -> None:
    text = booster.model_to_string()
    Path(text_path).write_text(text)
    meta = {"format": FORMAT, "format_version": 1, "labels": list(labels), "features": list(features),
            "sha256": hashlib.sha256(text.encode()).hexdigest(), **info}
    Path(info_path).write_text(json.dumps(meta, indent=1, sort_keys=True, default=float))


def _lightgbm():
    """The ``lightgbm`` module, imported without scikit-learn when neither is loaded yet.

    lightgbm imports scikit-learn (and SciPy through it) at import time only to define its
    scikit-learn-style wrappers (``LGBMClassifier``, ...); the diagnosis uses the ``Booster``
    alone, and that import costs 1.5-3 s and ~70 MB on a shared 2-core machine. scikit-learn
    stays importable afterwards; only lightgbm's wrappers are then not scikit-learn estimators
    in that process (import lightgbm or sklearn first to have them)."""
    if "lightgbm" in sys.modules or "sklearn" in sys.modules:
        import lightgbm

        return lightgbm
    sys.modules["sklearn"] = None          # makes lightgbm's optional `import sklearn` fail fast
    try:
        import lightgbm
    finally:
        if "sklearn" in sys.modules and sys.modules["sklearn"] is None:
            del sys.modules["sklearn"]
    return lightgbm


@lru_cache(maxsize=2)
def load_model(text_path: str = str(MODEL_TEXT), info_path: str = str(MODEL_INFO)) -> DiagnoserModel:
    """Load and verify the shipped model (one clear GanalyzeError line on any problem)."""
    try:
        info = json.loads(Path(info_path).read_text())
        text = Path(text_path).read_text()
    except (OSError, ValueError) as err:
        raise GanalyzeError(f"diagnoser model: cannot read {info_path} / {text_path} ({type(err).__name__}); "
                            "reinstall ganalyze or run scripts/train_diagnoser.py") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise GanalyzeError(f"diagnoser model: {info_path} is not a {FORMAT} file")
    if hashlib.sha256(text.encode()).hexdigest() != info.get("sha256"):
        raise GanalyzeError(f"diagnoser model: {text_path} does not match the sha256 in {info_path} "
                            "(modified or corrupt); reinstall ganalyze or run scripts/train_diagnoser.py")
    try:
        booster = _lightgbm().Booster(model_str=text)
    except Exception as err:  # noqa: BLE001 - any parse failure is one line
        raise GanalyzeError(f"diagnoser model: {text_path} could not be parsed ({type(err).__name__})") from None
    return DiagnoserModel(booster, tuple(info["labels"]), tuple(info["features"]), info)


@dataclass(frozen=True)
class LearnedLabels:
    """The learned diagnosis of one log: per evaluation point (``points``, ``proba``: calibrated
    label probabilities, ``point_labels`` after the segmenter) and per logged row (``row_labels``,
    ``row_confidence`` = the calibrated probability of the row's label at its nearest point; ``row_codes``:
    the rows' labels as indices into ``labels``, without a Python object per row; ``features``:
    the points' window features, for :mod:`ganalyze.diagnose.attribution`)."""

    labels: tuple[str, ...]
    points: np.ndarray
    proba: np.ndarray
    point_labels: np.ndarray
    row_codes: np.ndarray
    row_confidence: np.ndarray
    features: pd.DataFrame | None = None

    @property
    def row_labels(self) -> np.ndarray:
        return np.asarray(self.labels, dtype=object)[self.row_codes]


def with_rules_vote(raw: np.ndarray, rules_codes: np.ndarray | None, bonus, blind=(), blind_share=1.0) -> np.ndarray:
    """The model's raw scores with ``bonus`` nats added to the label the rules gave each point
    (``rules_codes``: indices into the model's labels, one per point). Adding log-odds is a
    product of experts: a confident model keeps its label, and where the model is unsure (as on a
    log unlike any in the corpus) the rules' label wins. ``bonus``: nats, one number or one per
    label (:attr:`DiagnoserModel.rules_votes`); 0 = the model alone.

    ``blind``: indices of the labels the rules cannot see on this log
    (:func:`ganalyze.diagnose.explain.not_checkable`, e.g. mode collapse without a diversity
    column). The rules' label says little against them, so at every point they get
    ``blind_share`` (one number, or one per label in ``blind``) of the vote of the rules' label (at
    most its own ``bonus``): with a share of 1, between the rules' label and a label the rules are
    blind to, the model alone decides."""
    bonus = np.broadcast_to(np.asarray(bonus, dtype=np.float64), (raw.shape[1],)) if raw.ndim == 2 else None
    if rules_codes is None or bonus is None or not bonus.any() or len(raw) == 0:
        return raw
    out = raw.copy()
    codes = np.asarray(rules_codes)
    rows = np.arange(len(raw))
    vote = bonus[codes]
    out[rows, codes] += vote
    shares = np.broadcast_to(np.asarray(blind_share, dtype=np.float64), (len(blind),))
    for j, share in zip(blind, shares):
        out[:, j] += share * np.where(codes == j, 0.0, np.minimum(vote, bonus[j]))
    return out


def without_labels(raw: np.ndarray, labels: tuple[str, ...], drop) -> np.ndarray:
    """The raw scores with the labels in ``drop`` ruled out (score -30: probability ~1e-13), for
    labels the logged signals cannot settle (:func:`ganalyze.diagnose.explain.model_cannot_settle`)."""
    idx = [labels.index(x) for x in drop if x in labels]
    if not idx or len(raw) == 0:
        return raw
    out = raw.copy()
    out[:, idx] = -30.0
    return out


def learned_labels(frame: pd.DataFrame, meta, model: DiagnoserModel | None = None,
                   rules_codes: np.ndarray | None = None, drop: tuple[str, ...] = (),
                   blind: tuple[str, ...] = ()) -> LearnedLabels:
    """Run the learned diagnosis on a step-sorted log ``frame`` (``step``, ``d_loss``, ``g_loss``,
    optional columns) described by ``meta`` (:class:`ganalyze.diagnose.window_features.LogMeta`).

    ``rules_codes``: the rule-based label of every row (indices into ``model.labels``); when
    given, each evaluation point's scores get the model's ``rules_votes`` for the rules' label
    at that point (:func:`with_rules_vote`) before the segmenter; ``proba`` and the confidence
    stay the model's own calibrated probabilities; ``blind``: the labels the rules cannot see on
    this log, which share every point's vote (:func:`with_rules_vote`). ``drop``:
    labels the log cannot settle, never given (:func:`without_labels`)."""
    from ganalyze.diagnose.segmenter import SegmenterConfig, length_scaled_cost, point_rows, viterbi
    from ganalyze.diagnose.window_features import eval_points, window_features

    model = model or load_model()
    steps = frame["step"].to_numpy(dtype=np.int64)
    points = eval_points(steps)
    feats = window_features(frame, meta, points)
    from ganalyze.diagnose.calibration import softmax_with_temperature

    raw = without_labels(model.predict_raw(feats), model.labels, drop)
    voted = raw
    if rules_codes is not None and len(steps):
        at = np.clip(np.searchsorted(steps, points), 0, len(steps) - 1)    # the row at (or after) each point
        blind_idx, shares = model.rules_vote.blind_shares(model.labels, blind)
        voted = without_labels(with_rules_vote(raw, np.asarray(rules_codes)[at], model.rules_votes, blind_idx, shares),
                               model.labels, drop)
    path = viterbi(softmax_with_temperature(voted, 1.0), model.labels, feats["nonfinite_so_far"].to_numpy() > 0,
                   SegmenterConfig(switch_cost=length_scaled_cost(model.switch_cost, len(points))))
    # confidence: the model's own calibrated probability of the chosen label, without the rules'
    # vote (the vote is not a calibrated probability: with it, held-out ECE was 0.16; without, 0.05)
    proba = softmax_with_temperature(raw, model.temperature)
    labels = np.asarray(model.labels, dtype=object)
    rows = point_rows(points, steps)                # each row takes its nearest point's label
    code_type = np.int8 if len(model.labels) < 128 else np.int64
    row_codes = np.repeat(path.astype(code_type), rows)
    row_conf = np.repeat(proba[np.arange(len(path)), path], rows)
    return LearnedLabels(model.labels, points, proba, labels[path], row_codes, row_conf, feats)
