"""Train the learned diagnosis on the labelled corpus and validate it on groups it never saw.

Usage: python scripts/train_diagnoser.py [--corpus data/corpus] [--per-run 12] [--rounds 300]
                                         [--seed 0] [--no-final] [--cache out/diagnoser_examples.parquet]
                                         [--heldout-out DIR]
       python scripts/train_diagnoser.py --score-loops LOOP[,LOOP]   (the shipped model on new loops)
       python scripts/train_diagnoser.py --baseline --exclude-loops dcgantf,ganhacks   (the shipped model: loops 1-11)

1. Examples: every run of the corpus under every log variant (column subsets x logging interval x
   pre-averaging; ganalyze.corpus.examples), featurised exactly as ``diagnose`` featurises a log.
2. Grouped cross-validation: leave one training loop out and leave one dataset out. Each fold trains
   on the other groups (``--per-run`` variants sampled per training run) and scores the held-out
   runs under every variant: the segmenter's labels mapped to steps against the LABELS.md truth,
   step-level precision/recall/F1 per label, macro-F1, the delay of each true segment's detection,
   and calibration (mean confidence vs accuracy of the per-point probabilities in 10 bins). The old
   rule-based diagnosis is scored on the same held-out logs as the baseline.
3. The final model is fitted on all runs and written to ganalyze/diagnose/diagnoser_model.{txt,json}
   together with the held-out summary.
Prints the validation tables; the last line holds name=value pairs. Seeded and reproducible.

``--score-loops``: before a refit, the shipped model (learned and auto) and the rules on the runs of
corpus loops it was never fitted on (refused for a loop in the model's ``trained_on.loops``): the
closest this project has to runs from another training loop. Writes nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
# this checkout's ganalyze, not whichever one the environment installed: the model is written into the
# imported package (learned.MODEL_TEXT), so a run from a second clone with the first clone's environment
# would fit with one tree's code and overwrite the other tree's model
sys.path.insert(0, str(REPO))
SETTINGS = {
    # name: (column subset, intervals, averaged?) -- the two headline settings first
    "diversity<=100": ("diversity", (1, 10, 50, 100), None),
    "losses+D+grads": ("grad_norms", (1, 10, 50, 100), None),
    "losses only": ("losses", (1, 10, 50, 100), None),
    "all columns": ("lr", (1, 10, 50, 100), None),
    "every 500": (None, (500,), False),
    "pre-averaged": (None, (50, 100), True),
}
RULES_BONUS = 1.0      # nats the rules' label adds in method "auto" (see ensemble_preds) where LABEL_VOTES says none
RULES_FINAL = ("d_dominant",)   # labels whose rules' label always wins in "auto" (learned.FINAL_VOTE)
#: each label's own vote (nats), chosen by scripts/choose_rules_vote.py on issue 11's failure shapes
LABEL_VOTES = {"divergence": 1.5, "warmup": 0.0, "healthy": 1.0, "g_dominant": 0.0, "mode_collapse": 1.0,
               "stagnation": 0.0, "oscillation": 0.5}
RULES_BONUSES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)   # uniform votes, printed for comparison
BLIND_SHARE = 0.25     # share of the vote the labels the rules cannot see get (learned.with_rules_vote); grid printed
BLIND_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
#: what the shipped model's JSON says of method auto (learned.RulesVote reads it)
ENSEMBLE_INFO = {
    "rules_bonus": RULES_BONUS, "rules_final": list(RULES_FINAL), "label_votes": LABEL_VOTES, "blind_share": BLIND_SHARE,
    "method": "auto: the rules' label adds its vote (label_votes, else rules_bonus nats) to the model's raw score "
              "of that label at each point (a product of experts) before the segmenter, and so do the labels the "
              "rules cannot see on the log (explain.not_checkable) blind_share of it; a rules' label in rules_final "
              "always wins (d_dominant: its rule mirrors LABELS.md's predicate on the logged D outputs)",
    "chosen_on": "scripts/choose_rules_vote.py: label by label (divergence first, then LABELS order), the smallest "
                 "vote of the grid 0/0.5/1/1.5/2/3 with which the failure shapes of issue 11 "
                 "(tests/diagnose/test_diagnose_failures.py, test_diagnose_labels.py, test_diagnose_sample_runs.py) "
                 "read as they should, the others at the votes found so far (before them: 1 nat until stop 28, the "
                 "previous model's votes since stop 29's refit, --start shipped, as from 1 nat the d_frozen fixture "
                 "failed whatever the divergence vote), then the largest blind "
                 "share of 0/0.25/0.5/0.75/1 with which they still do; no corpus run is used, "
                 "so results auto_leave_one_*_out are held out. Divergence is no longer final (stop 27): the rules' "
                 "exploded loss or D gradient norm is a proxy, not LABELS.md's predicate; a non-finite loss still "
                 "forces divergence in the segmenter",
}
SWITCH_COSTS = (0.25, 0.5, 1.0, 2.0, 4.0)   # segmenter switch costs (nats) tried; each fold's is chosen on the others
LGB_PARAMS = dict(objective="multiclass", learning_rate=0.05, num_leaves=15, min_data_in_leaf=100,
                  feature_fraction=0.5, bagging_fraction=0.7, bagging_freq=1, lambda_l2=1.0, max_bin=63,
                  num_threads=1, verbose=-1)


META_COLUMNS = ("step", "label", "run_id", "loop", "dataset", "variant")


def cache_problem(ex: pd.DataFrame, manifest: pd.DataFrame, features: list[str]) -> str:
    """Why an examples cache no longer matches the corpus or the feature code ("" when it does)."""
    have, want = set(ex.columns) - set(META_COLUMNS), set(features)
    if have != want:
        return f"features {sorted(have - want)} no longer computed, {sorted(want - have)} missing"
    runs, corpus = set(ex["run_id"].unique()), set(manifest["run_id"])
    if runs != corpus:
        return f"{len(corpus - runs)} corpus runs without examples, {len(runs - corpus)} runs not in the corpus"
    return ""


def cache_definition_problem(ex: pd.DataFrame, corpus: str, features: list[str]) -> str:
    """Why an examples cache's values no longer match the feature code ("" when they do): the
    cache's longest run featurised again must give its cached rows (a feature whose definition
    changed under the same name, e.g. log_step capped in stop 29, is not caught by the names)."""
    from ganalyze.corpus.examples import ALL_VARIANTS, build_examples

    first = str(ex.groupby("run_id", sort=False)["step"].max().idxmax())
    cached = ex[ex["run_id"] == first].reset_index(drop=True)
    variants = [v for v in ALL_VARIANTS if v.name in set(cached["variant"])]
    fresh = build_examples(corpus, variants=variants, progress=False, run_ids={first})
    if len(fresh) != len(cached):
        return f"run {first}: {len(fresh)} rows now, {len(cached)} cached"
    for col in features:
        a = fresh[col].to_numpy(np.float64)
        b = cached[col].to_numpy(np.float64)
        if not np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True):
            return f"run {first}: feature {col} is computed differently now"
    return ""


def runs_added_since(ex: pd.DataFrame, manifest: pd.DataFrame, features: list[str]) -> set:
    """The corpus runs an examples cache lacks when that is all that changed (same features, no
    run gone); empty otherwise, and then the cache is rebuilt."""
    cached, corpus = set(ex["run_id"].unique()), set(manifest["run_id"])
    if set(ex.columns) - set(META_COLUMNS) != set(features) or not cached < corpus:
        return set()
    return corpus - cached


def add_examples(ex: pd.DataFrame, new: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """The cache ``ex`` with the examples of runs added to the corpus since: the rows a rebuild of
    the whole cache would give, in its order (runs in ``order``, each run's rows as built), so a
    fit on the result is the fit on a rebuild."""
    out = pd.concat([ex, new.astype(ex.dtypes.to_dict())], ignore_index=True)
    rank = {r: i for i, r in enumerate(order)}
    key = out["run_id"].astype(str).map(rank).to_numpy()
    return out.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


def variant_in_setting(variant: str, setting) -> bool:
    cols, intervals, avg = setting
    c, rest = variant.split("/")
    is_avg = rest.startswith("avg")
    k = int(rest[3:] if is_avg else rest[5:])
    if cols is not None and c != cols:
        return False
    if avg is None and is_avg:
        return False
    if avg is not None and avg != is_avg:
        return False
    return k in intervals


def fit(train: pd.DataFrame, features, labels, rounds: int, seed: int, threads: int = LGB_PARAMS["num_threads"]):
    import lightgbm as lgb

    y = train["label"].map({lab: i for i, lab in enumerate(labels)}).to_numpy()
    counts = np.bincount(y, minlength=len(labels)).astype(float)
    w_class = np.where(counts > 0, counts.sum() / np.maximum(counts, 1) / len(labels), 0.0)
    # every run weighs the same whatever its length; classes fully balanced (macro-F1 counts every
    # label alike; mode_collapse alone is a third of the corpus's points)
    w_run = 1.0 / train.groupby("run_id")["run_id"].transform("size").to_numpy()
    w = w_class[y] * w_run * len(train) / train["run_id"].nunique()
    ds = lgb.Dataset(train[features].to_numpy(np.float32), label=y, weight=w, free_raw_data=True)
    params = dict(LGB_PARAMS, num_class=len(labels), seed=seed, num_threads=threads)
    return lgb.train(params, ds, num_boost_round=rounds)


def score_heldout(booster, test: pd.DataFrame, features, labels, truth_by_run: dict) -> pd.DataFrame:
    """Held-out predictions, one row per (run, variant): the evaluation points (``steps``), the
    non-finite flags, the raw scores and the true label codes; :func:`segment_folds` turns them
    into step labels."""
    raw = booster.predict(test[features].to_numpy(np.float32), num_threads=1, raw_score=True)
    y = test["label"].map({lab: i for i, lab in enumerate(labels)}).to_numpy()
    rows = []
    test = test.reset_index(drop=True)
    for (run_id, variant), g in test.groupby(["run_id", "variant"], sort=False):
        i = g.index.to_numpy()
        rows.append({"run_id": run_id, "variant": variant, "truth": truth_by_run[run_id],
                     "steps": g["step"].to_numpy(), "nonfinite": g["nonfinite_so_far"].to_numpy() > 0,
                     "raw": raw[i].astype(np.float32), "y": y[i]})
    return pd.DataFrame(rows)


def rules_vote(bonus: float, blind_share: float = BLIND_SHARE, label_votes: dict | None = None):
    """Method auto's vote as the shipped JSON states it: ``bonus`` nats for the rules' label (or the
    label's own in ``label_votes``), the labels in :data:`RULES_FINAL` always won by the rules (when
    ``bonus`` > 0; 0 = the model alone), ``blind_share`` for the labels the rules cannot see."""
    from ganalyze.diagnose.learned import RulesVote

    return RulesVote(float(bonus), RULES_FINAL if bonus > 0 else (), dict(label_votes or {}), float(blind_share))


def auto_scores(raw: np.ndarray, steps, drop, labels, rules=None, vote=None, blind=()) -> np.ndarray:
    """One held-out log's raw scores as ``diagnose`` uses them: the labels in ``drop`` ruled out
    and, given the rules' step labels ``rules``, their ``vote`` (a ``learned.RulesVote``) added,
    shared with the labels in ``blind`` that the rules cannot see on the log (``learned.learned_labels``)."""
    from ganalyze.diagnose.learned import with_rules_vote, without_labels

    raw = without_labels(raw, tuple(labels), drop)
    if rules is None or vote is None:
        return raw
    code = {lab: i for i, lab in enumerate(labels)}
    at = np.clip(np.asarray(steps), 0, len(rules) - 1)
    voted = with_rules_vote(raw, np.array([code[x] for x in np.asarray(rules, dtype=object)[at]]), vote.votes(labels),
                            *vote.blind_shares(labels, blind))
    return without_labels(voted, tuple(labels), drop)


def unsettled(loss: str, variant: str) -> tuple:
    """The labels diagnose rules out for a corpus log variant (its columns, pre-averaged or not)."""
    from ganalyze.corpus.variants import COLUMN_SETS
    from ganalyze.diagnose.explain import model_cannot_settle

    cols, rest = variant.split("/")
    return model_cannot_settle(loss, rest.startswith("avg"), set(COLUMN_SETS[cols]))


def rules_blind(loss: str, reduction: str, scores: str, variant: str) -> tuple:
    """The labels the rules cannot see on a corpus log variant (``explain.not_checkable`` of its
    columns), which share the rules' vote in method auto as ``diagnose`` shares it."""
    from ganalyze.corpus.variants import COLUMN_SETS
    from ganalyze.diagnose.explain import not_checkable
    from ganalyze.diagnose.metadata import RunMetadata

    cols, rest = variant.split("/")
    avg = rest.startswith("avg")
    meta = RunMetadata(loss, reduction, scores, int(rest[3:] if avg else rest[5:]), avg)
    return tuple(sorted({x.label for x in not_checkable(meta, set(COLUMN_SETS[cols]))}))


def segment_rows(rows: pd.DataFrame, labels, switch_cost: float, rules=None, vote=None) -> list:
    """Step labels of each held-out (run, variant): Viterbi over the model's probabilities
    (temperature 1, which the switch cost is stated against), nearest point per step. The labels
    in a row's ``drop`` are ruled out as ``diagnose`` rules them out (a WGAN-GP log without
    per-sample critic quantiles: d_dominant, g_dominant). ``rules``: the rules' step labels per
    row, added with ``vote`` (a ``learned.RulesVote``) at each point as method ``auto`` adds them
    (shared with each row's ``blind`` labels)."""
    from ganalyze.diagnose.calibration import softmax_with_temperature
    from ganalyze.diagnose.segmenter import SegmenterConfig, points_to_steps, viterbi

    cfg = SegmenterConfig(switch_cost=switch_cost)
    out = []
    for k, r in enumerate(rows.itertuples()):
        raw = auto_scores(r.raw, r.steps, getattr(r, "drop", ()), labels, None if rules is None else rules[k], vote,
                          getattr(r, "blind", ()))
        path = viterbi(softmax_with_temperature(raw, 1.0), tuple(labels), r.nonfinite, cfg)
        out.append(points_to_steps(r.steps, np.asarray(labels, dtype=object)[path], np.arange(len(r.truth))))
    return out


def ensemble_preds(scored: pd.DataFrame, base: pd.DataFrame, labels, switch_cost: float, vote) -> pd.DataFrame:
    """Method ``auto`` on the held-out logs the rules were scored on: the held-out model's scores
    plus the rules' ``vote`` (a ``learned.RulesVote``) for their label at each point, then the
    segmenter. Returns those (run, variant) rows with ``pred``."""
    from ganalyze.diagnose.calibration import softmax_with_temperature
    from ganalyze.diagnose.learned import without_labels

    both = scored.merge(base[["run_id", "variant", "pred"]].rename(columns={"pred": "rules"}),
                        on=["run_id", "variant"]).drop(columns="pred")
    conf, correct = [], []
    for r in both.itertuples():   # calibration as diagnose reports it: the model's own probability of auto's label
        raw = without_labels(r.raw, tuple(labels), r.drop)
        label = auto_scores(r.raw, r.steps, r.drop, labels, r.rules, vote, r.blind).argmax(1)
        conf.append(softmax_with_temperature(raw, r.temperature)[np.arange(len(label)), label])
        correct.append(label == r.y)
    both["conf"], both["correct"] = conf, correct
    return both.assign(pred=segment_rows(both, labels, switch_cost, list(both["rules"]), vote))


def headline_f1(rows: pd.DataFrame) -> float:
    """Mean macro-F1 of the two headline settings (what the switch cost is chosen by)."""
    s = summarise(rows, ("diversity<=100", "losses+D+grads"))
    return float(np.mean([v["macro_f1"] for v in s.values()])) if s else float("nan")


def n_segments(labels_per_step) -> int:
    """Segments of a step-label sequence (runs of one label)."""
    a = np.asarray(labels_per_step, dtype=object)
    return 1 + int((a[1:] != a[:-1]).sum()) if len(a) else 0


def segment_count_ratio(rows: pd.DataFrame) -> float:
    """Mean over held-out (run, variant)s of predicted segments / true segments: 1 = timelines as
    fragmented as the truth; step-level F1 barely notices fragmentation, a reader does."""
    return float(np.mean([n_segments(p) / max(n_segments(t), 1) for p, t in zip(rows["pred"], rows["truth"])]))


def segment_folds(folds: list[pd.DataFrame], labels, grid=SWITCH_COSTS) -> tuple[list[pd.DataFrame], list[float], float]:
    """Step labels for every fold with the segmenter's switch cost chosen on the *other* folds,
    so no fold's labels pick its own cost: the grid value whose timelines there have as many
    segments as the truth (mean ratio nearest 1; ties: the better headline macro-F1). The best
    macro-F1 alone picks a cost so low that long real logs split into dozens of segments at
    near-tied probabilities (0.5 nats: 20.3 segments on average over 44 runs of public logs, 14.1
    at 1; ``segmenter.length_scaled_cost`` raises it further on logs longer than the corpus's).
    Returns the folds with ``pred``, the cost used per fold and the cost chosen on all."""
    preds = {c: [segment_rows(f, labels, c) for f in folds] for c in grid}

    def score_on(idx, c):
        rows = pd.concat([folds[j].assign(pred=preds[c][j]) for j in idx], ignore_index=True)
        return -round(abs(segment_count_ratio(rows) - 1.0), 2), headline_f1(rows)

    costs = []
    for k in range(len(folds)):
        others = [j for j in range(len(folds)) if j != k] or [k]
        costs.append(max(grid, key=lambda c: score_on(others, c)))
    cost_all = max(grid, key=lambda c: score_on(range(len(folds)), c))
    return [f.assign(pred=preds[c][k]) for k, (f, c) in enumerate(zip(folds, costs))], costs, cost_all


def calibrate_folds(folds: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[float]]:
    """Held-out confidence per point: each fold's raw scores divided by the temperature fitted on
    the *other* folds' held-out predictions (so no label of a fold sets its own calibration).
    Adds ``conf`` (calibrated probability of the predicted label), ``conf_raw`` (temperature 1)
    and ``correct`` to every row; returns the rows and the temperature used for each fold."""
    from ganalyze.diagnose.calibration import fit_temperature, softmax_with_temperature

    temps, out = [], []
    for k, fold in enumerate(folds):
        others = [f for j, f in enumerate(folds) if j != k]
        raw_o = np.concatenate([r for f in others for r in f["raw"]]) if others else np.zeros((0, 1))
        y_o = np.concatenate([v for f in others for v in f["y"]]) if others else np.zeros(0, np.int64)
        t = fit_temperature(raw_o, y_o)
        temps.append(t)
        fold = fold.copy()
        fold["conf"] = [softmax_with_temperature(r, t).max(1) for r in fold["raw"]]
        fold["conf_raw"] = [softmax_with_temperature(r, 1.0).max(1) for r in fold["raw"]]
        fold["correct"] = [r.argmax(1) == v for r, v in zip(fold["raw"], fold["y"])]
        fold["temperature"] = t
        out.append(fold)
    return pd.concat(out, ignore_index=True), temps


def baseline_predictions(runs: dict, man: pd.DataFrame, variants) -> pd.DataFrame:
    """The rule-based diagnosis (ganalyze.diagnose.diagnose before the model) on the same logs."""
    import warnings

    from ganalyze.corpus.examples import Variant
    from ganalyze.corpus.variants import make_variant
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.segmenter import points_to_steps

    rows = []
    for run_id, df in runs.items():
        m = man.loc[run_id]
        for vname in variants:
            c, rest = vname.split("/")
            avg = rest.startswith("avg")
            v = Variant(c, int(rest[3:] if avg else rest[5:]), avg)
            frame = make_variant(df, v.columns, v.every, v.averaged).drop(columns="gt_label")
            frame.attrs = {"loss": m["loss"], "d_loss_reduction": m["d_loss_reduction"], "scores": m["scores"]}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    d = diagnose(frame, method="rules")
                steps_, labs = d.row_steps, d.row_labels
            except Exception:  # noqa: BLE001 - a log the rules refuse scores as all-warmup
                steps_, labs = frame["step"].to_numpy(), np.full(len(frame), "warmup", dtype=object)
            truth = df["gt_label"].to_numpy()
            pred = points_to_steps(np.asarray(steps_), np.asarray(labs), np.arange(len(truth)))
            rows.append({"run_id": run_id, "variant": vname, "truth": truth, "pred": pred})
    return pd.DataFrame(rows)


def summarise(scored: pd.DataFrame, only=None) -> dict:
    from ganalyze.diagnose.truth import score

    out = {}
    for name, setting in SETTINGS.items():
        if only is not None and name not in only:
            continue
        sel = scored[scored["variant"].map(lambda v: variant_in_setting(v, setting))]
        if sel.empty:
            continue
        st = score(list(sel["truth"]), list(sel["pred"]))
        d = st.delays
        later = d[d["start"] > 0]
        found = later["delay"].notna()
        res = {"macro_f1": st.macro_f1, "f1": {k: float(v) for k, v in st.table["f1"].items() if pd.notna(v)},
               "precision": {k: float(v) for k, v in st.table["precision"].items() if pd.notna(v)},
               "recall": {k: float(v) for k, v in st.table["recall"].items() if pd.notna(v)},
               "support": {k: int(v) for k, v in st.table["support"].items()},
               "regime_changes": int(len(later)), "found": int(found.sum()),
               "median_delay": float(later.loc[found, "delay"].median()) if found.any() else float("nan"),
               "found_within_300": float((later["delay"].fillna(np.inf) <= 300).mean()) if len(later) else float("nan"),
               "segment_count_ratio": segment_count_ratio(sel)}
        if "conf" in sel:
            from ganalyze.diagnose.calibration import expected_calibration_error as ece

            conf, corr = np.concatenate(list(sel["conf"])), np.concatenate(list(sel["correct"]))
            conf_raw = np.concatenate(list(sel["conf_raw"]))
            res["ece"] = ece(conf, corr)
            res["ece_uncalibrated"] = ece(conf_raw, corr)
            res["mean_confidence"], res["accuracy"] = float(conf.mean()), float(corr.mean())
        out[name] = res
    return out


def print_table(title: str, summary: dict, labels) -> None:
    print(f"\n## {title}")
    head = f"{'setting':16s} {'macro-F1':>8s} " + " ".join(f"{lab[:10]:>10s}" for lab in labels) + "  delay  ECE  segs"
    print(head)
    for name, r in summary.items():
        f1 = " ".join(f"{r['f1'].get(lab, float('nan')):10.2f}" for lab in labels)
        print(f"{name:16s} {r['macro_f1']:8.3f} {f1}  {r['median_delay']:5.0f}  {r.get('ece', float('nan')):.3f}"
              f"  {r.get('segment_count_ratio', float('nan')):.2f}")


def shipped_setting(fitted: dict, key: str, default: float) -> float:
    """A setting of the shipped model (temperature, switch cost): the one fitted on all
    leave-one-loop-out held-out predictions (a new training loop is the case the product meets),
    else leave-one-dataset-out."""
    for scheme in ("loop", "dataset"):
        if scheme in fitted:
            return float(fitted[scheme][key])
    return default


def unseen_loops_problem(loops: list[str], corpus_loops: set) -> str:
    """Why ``--score-loops`` cannot score ``loops`` ("" when it can): a loop the shipped model was
    fitted on (its ``trained_on.loops``), or one with no corpus runs."""
    from ganalyze.diagnose.learned import MODEL_INFO

    seen = set(json.loads(MODEL_INFO.read_text())["trained_on"].get("loops", ()))
    if not loops:
        return "--score-loops: got no loop; allowed: the corpus loops the shipped model was not fitted on"
    if bad := sorted(set(loops) & seen):
        return (f"--score-loops: the shipped model was fitted on {', '.join(bad)}; allowed: corpus loops outside "
                f"{', '.join(sorted(seen))}")
    if missing := sorted(set(loops) - corpus_loops):
        return f"--score-loops: no corpus runs of {', '.join(missing)}; the corpus has {', '.join(sorted(corpus_loops))}"
    if not seen:
        print("warning: the shipped model does not list the loops it was fitted on; make sure it never saw "
              f"{', '.join(loops)}", file=sys.stderr)
    return ""


def score_unseen_loops(loops: list[str], ex: pd.DataFrame, man: pd.DataFrame, truth_by_run: dict, corpus: str) -> int:
    """The shipped model and the rules on the runs of ``loops``, which the model never saw: method
    learned on every log variant and on the rules' logs, method auto as shipped (its vote, blind
    share and final labels), the rules; prints a table per method and a name=value line."""
    import lightgbm as lgb

    from ganalyze.corpus.store import iter_runs
    from ganalyze.diagnose.learned import MODEL_INFO, MODEL_TEXT, RulesVote

    info = json.loads(MODEL_INFO.read_text())
    labels, features = info["labels"], info["features"]
    booster = lgb.Booster(model_file=str(MODEL_TEXT))
    ens, cost = info["ensemble"], info["segmenter"]["switch_cost"]
    test = ex[ex["loop"].isin(loops)].reset_index(drop=True)
    rows = score_heldout(booster, test, features, labels, truth_by_run)
    from ganalyze.corpus.variants import COLUMN_SETS
    from ganalyze.diagnose.calibration import softmax_with_temperature
    from ganalyze.diagnose.explain import model_cannot_settle

    rows["drop"] = [model_cannot_settle(man.loc[r, "loss"], v.split("/")[1].startswith("avg"),
                                        set(COLUMN_SETS[v.split("/")[0]])) for r, v in zip(rows["run_id"], rows["variant"])]
    rows["blind"] = [rules_blind(man.loc[r, "loss"], man.loc[r, "d_loss_reduction"], man.loc[r, "scores"], v)
                     for r, v in zip(rows["run_id"], rows["variant"])]
    rows["pred"] = segment_rows(rows, labels, cost)
    rows["temperature"] = info["calibration"]["temperature"]
    rows["conf_raw"] = [softmax_with_temperature(r, 1.0).max(1) for r in rows["raw"]]
    rows["conf"] = [softmax_with_temperature(r, rows["temperature"].iloc[0]).max(1) for r in rows["raw"]]
    rows["correct"] = [r.argmax(1) == y for r, y in zip(rows["raw"], rows["y"])]
    headline = ("diversity<=100", "losses+D+grads")
    rule_variants = [v for v in sorted(test["variant"].unique()) if v.endswith(("/every10", "/every100"))]
    runs = {row.name: df for row, df in iter_runs(corpus) if row["loop"] in loops}
    base = baseline_predictions(runs, man, rule_variants)
    on_rules_logs = rows[rows["variant"].isin(rule_variants)]
    auto = ensemble_preds(on_rules_logs, base, labels, cost, RulesVote.from_info(ens))
    results = {"learned, every log variant": summarise(rows, headline),
               "learned": summarise(on_rules_logs, headline),
               "auto": summarise(auto, headline), "rules": summarise(base, headline)}
    name = "+".join(loops)
    for method, s in results.items():
        print_table(f"loop {name}, method {method} (the shipped model never saw it)", s, labels)
    print(" ".join(f"{m.split(',')[0]}_{k.split('<')[0].split('+')[0]}_macro_f1={v[k]['macro_f1']:.3f}"
                   for m, v in results.items() if m != "learned, every log variant" for k in headline if k in v))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(REPO / "data" / "corpus"))
    ap.add_argument("--cache", default=str(REPO / "out" / "diagnoser_examples.parquet"))
    ap.add_argument("--per-run", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=300)
    ap.add_argument("--final-per-run", type=int, default=20, help="variants per run for the shipped model's fit")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2, help="processes that featurise the runs for the examples cache")
    ap.add_argument("--groups", default="loop,dataset", help="grouped CV schemes to run (loop, dataset)")
    ap.add_argument("--baseline", action="store_true", help="also score the rule-based diagnosis (slow)")
    ap.add_argument("--no-final", action="store_true", help="skip fitting and writing the shipped model")
    ap.add_argument("--exclude-loops", default=None, metavar="LOOP[,LOOP]",
                    help="leave these corpus loops out of everything (dcgantf,ganhacks: the shipped model's fit, "
                         "loops 1-11, whose figures the README quotes)")
    ap.add_argument("--max-runs", type=int, default=None, help="use a seeded sample of this many runs (a quick check)")
    ap.add_argument("--out", default=str(REPO / "out" / "diagnoser_eval.json"))
    ap.add_argument("--heldout-out", default=None,
                    help="also write every held-out (run, variant)'s step labels, true and predicted, and the model's "
                         "raw scores at its evaluation points to "
                         "DIR/heldout_<scheme>.parquet (and, with --baseline, the rules' to DIR/rules_baseline.parquet) "
                         "to score any subset of runs afterwards")
    ap.add_argument("--score-loops", default=None, metavar="LOOP[,LOOP]",
                    help="score the shipped model and the rules on these corpus loops, which the model was never "
                         "fitted on, and exit (writes nothing)")
    args = ap.parse_args(argv)

    from ganalyze.corpus.examples import build_examples
    from ganalyze.corpus.store import iter_runs, load_manifest, run_order
    from ganalyze.diagnose.learned import save_model
    from ganalyze.diagnose.truth import LABELS
    from ganalyze.diagnose.window_features import feature_columns

    t0 = time.perf_counter()
    cache = Path(args.cache)
    if not (Path(args.corpus) / "manifest.parquet").is_file():
        print(f"error: --corpus: got {args.corpus!r}, which holds no manifest.parquet; allowed: a corpus folder "
              "written by scripts/make_corpus.py build (data/corpus)", file=sys.stderr)
        return 2
    manifest = load_manifest(args.corpus)
    score_loops = [x for x in (args.score_loops or "").split(",") if x]
    excluded = [x for x in (args.exclude_loops or "").split(",") if x]
    if unknown := sorted(set(excluded) - set(manifest["loop"])):
        print(f"error: --exclude-loops: got {', '.join(unknown)}, not a corpus loop; allowed: "
              f"{', '.join(sorted(set(manifest['loop'])))}", file=sys.stderr)
        return 2
    if both := sorted(set(excluded) & set(score_loops)):
        print(f"error: --score-loops: got {', '.join(both)}, which --exclude-loops leaves out of everything; allowed: "
              "a loop not in --exclude-loops", file=sys.stderr)
        return 2
    if args.score_loops is not None and (why := unseen_loops_problem(score_loops, set(manifest["loop"]))):
        print(f"error: {why}", file=sys.stderr)
        return 2
    ex = pd.read_parquet(cache) if cache.exists() else None
    why = cache_problem(ex, manifest, feature_columns()) if ex is not None else "no cache yet"
    if not why and not args.max_runs:
        why = cache_definition_problem(ex, args.corpus, feature_columns())
    if not why:
        print(f"examples: {len(ex):,} rows from {cache}", file=sys.stderr)
    else:
        if ex is not None and (new_runs := runs_added_since(ex, manifest, feature_columns())):
            print(f"examples cache {cache}: {len(new_runs)} corpus runs without examples: featurising them",
                  file=sys.stderr)
            ex = add_examples(ex, build_examples(args.corpus, workers=args.workers, run_ids=new_runs),
                              run_order(args.corpus))
        else:
            print(f"examples cache {cache}: {why}: building it", file=sys.stderr)
            ex = build_examples(args.corpus, workers=args.workers)
        cache.parent.mkdir(parents=True, exist_ok=True)
        ex.to_parquet(cache)
    if excluded:
        ex = ex[~ex["loop"].isin(excluded)].reset_index(drop=True)
    if args.max_runs:
        keep = np.random.default_rng(args.seed).permutation(sorted(ex["run_id"].unique()))[:args.max_runs]
        ex = ex[ex["run_id"].isin(set(keep))].reset_index(drop=True)
    man = manifest.set_index("run_id")
    truth_by_run = {row.name: df["gt_label"].to_numpy() for row, df in iter_runs(args.corpus)}
    if score_loops:
        return score_unseen_loops(score_loops, ex, man, truth_by_run, args.corpus)
    labels = list(LABELS)
    features = [c for c in ex.columns if c not in META_COLUMNS]
    rng = np.random.default_rng(args.seed)
    variants = sorted(ex["variant"].unique())

    def train_rows(frame, per_run=args.per_run):
        keep = {rid: set(rng.choice(variants, min(per_run, len(variants)), replace=False))
                for rid in frame["run_id"].unique()}
        return frame[[v in keep[r] for r, v in zip(frame["run_id"], frame["variant"])]]

    from ganalyze.diagnose.calibration import fit_temperature

    results, calibration, segmenter, heldout_scores = {}, {}, {}, {}

    for scheme in [s for s in args.groups.split(",") if s]:
        scored_all = []
        for group in sorted(ex[scheme].unique()):
            train = train_rows(ex[ex[scheme] != group])
            test = ex[ex[scheme] == group]
            booster = fit(train, features, labels, args.rounds, args.seed)
            rows = score_heldout(booster, test, features, labels, truth_by_run)
            rows["drop"] = [unsettled(man.loc[r, "loss"], v) for r, v in zip(rows["run_id"], rows["variant"])]
            rows["blind"] = [rules_blind(man.loc[r, "loss"], man.loc[r, "d_loss_reduction"], man.loc[r, "scores"], v)
                             for r, v in zip(rows["run_id"], rows["variant"])]
            scored_all.append(rows)
            print(f"held out {scheme}={group}: fitted and predicted ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
        scored_all, costs, cost_all = segment_folds(scored_all, labels)
        for group, fold in zip(sorted(ex[scheme].unique()), scored_all):
            s = summarise(fold)
            print(f"held out {scheme}={group}: " + "  ".join(f"{k} {v['macro_f1']:.3f}" for k, v in s.items()),
                  file=sys.stderr)
        scored, temps = calibrate_folds(scored_all)
        heldout_scores[scheme] = (scored, cost_all)   # the cost chosen on all folds' held-out scores
        if args.heldout_out:
            Path(args.heldout_out).mkdir(parents=True, exist_ok=True)
            keep = scored[["run_id", "variant", "truth", "pred", "steps", "nonfinite"]].copy()
            for c in ("truth", "pred", "steps", "nonfinite"):
                keep[c] = keep[c].map(list)
            keep["raw"] = scored["raw"].map(lambda r: r.ravel().tolist())   # (points x labels), row-major
            keep.to_parquet(Path(args.heldout_out) / f"heldout_{scheme}.parquet")
        summary = summarise(scored)
        results[f"leave_one_{scheme}_out"] = summary
        segmenter[scheme] = {"fold_switch_costs": costs, "switch_cost_all_folds": cost_all}
        calibration[scheme] = {"fold_temperatures": temps,
                               "temperature_all_folds": fit_temperature(np.concatenate(list(scored["raw"])),
                                                                        np.concatenate(list(scored["y"])))}
        print_table(f"leave one {scheme} out (held-out runs only; step-level F1 per label)", summary, labels)
        results["fitted_on_heldout_folds"] = {"segmenter": segmenter, "calibration": calibration}
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=1, default=float))
    if args.baseline:
        in_use = set(ex["run_id"])
        runs = {man_row.name: df for man_row, df in iter_runs(args.corpus) if man_row.name in in_use}
        base_vars = [v for v in variants if v.endswith("/every10") or v.endswith("/every100")]
        base = baseline_predictions(runs, man, base_vars)
        sys.stdout.flush()
        results["rules_baseline"] = summarise(base)
        if args.heldout_out:
            keep = base[["run_id", "variant", "truth", "pred"]].copy()
            keep["truth"], keep["pred"] = keep["truth"].map(list), keep["pred"].map(list)
            keep.to_parquet(Path(args.heldout_out) / "rules_baseline.parquet")
        print_table("rule-based diagnosis (method=rules, today's rules) on the same logs (nothing fitted: every run is held out)",
                    results["rules_baseline"], labels)
        for scheme, (scored, cost) in heldout_scores.items():
            shipped = summarise(ensemble_preds(scored, base, labels, cost, rules_vote(RULES_BONUS, BLIND_SHARE, LABEL_VOTES)))
            results[f"auto_leave_one_{scheme}_out"] = shipped
            print_table(f"method auto as shipped: the rules' vote {json.dumps(LABEL_VOTES)}, {RULES_BONUS:g} nats "
                        f"otherwise, {', '.join(RULES_FINAL)} final (held-out model, leave one {scheme} out; the "
                        "rules' logs only)", shipped, labels)
            for bonus in RULES_BONUSES:
                s = summarise(ensemble_preds(scored, base, labels, cost, rules_vote(bonus)))
                results.setdefault(f"auto_uniform_votes_leave_one_{scheme}_out", {})[str(bonus)] = s
                print_table(f"method auto, the rules' vote {bonus:g} nats for every label (held-out model, leave one "
                            f"{scheme} out; the rules' logs only)", s, labels)
            for share in BLIND_SHARES:
                if share == BLIND_SHARE:
                    continue
                s = summarise(ensemble_preds(scored, base, labels, cost, rules_vote(RULES_BONUS, share, LABEL_VOTES)))
                results.setdefault(f"auto_blind_shares_leave_one_{scheme}_out", {})[str(share)] = s
                print_table(f"method auto, rules' vote {RULES_BONUS:g} nats, the labels the rules cannot see get "
                            f"{share:g} of it (leave one {scheme} out; 0 = auto before stop 22)", s, labels)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, default=float))
    if not args.no_final:
        booster = fit(train_rows(ex, args.final_per_run), features, labels, args.rounds, args.seed)
        save_model(booster, labels, features, {
            "trained_on": {"runs": int(ex["run_id"].nunique()), "examples": int(len(ex)),
                           "loops": sorted(ex["loop"].unique().tolist()),
                           "per_run_variants": args.per_run, "rounds": args.rounds, "seed": args.seed,
                           "params": LGB_PARAMS},
            "heldout": results,
            "ensemble": ENSEMBLE_INFO,
            "segmenter": {"switch_cost": shipped_setting(segmenter, "switch_cost_all_folds", 4.0),
                          "chosen_on": "held-out predictions of the leave-one-loop-out folds", **segmenter},
            "calibration": {"temperature": shipped_setting(calibration, "temperature_all_folds", 1.0), "method": "temperature scaling",
                            "fitted_on": "held-out predictions of the leave-one-loop-out folds", **calibration}})
    head = results.get("leave_one_loop_out", {})
    print(" ".join([f"lolo_div_macro_f1={head.get('diversity<=100', {}).get('macro_f1', float('nan')):.3f}",
                    f"lolo_grads_macro_f1={head.get('losses+D+grads', {}).get('macro_f1', float('nan')):.3f}",
                    f"lodo_div_macro_f1={results.get('leave_one_dataset_out', {}).get('diversity<=100', {}).get('macro_f1', float('nan')):.3f}",
                    f"seconds={time.perf_counter() - t0:.0f}"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
