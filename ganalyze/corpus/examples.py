"""Training and evaluation examples for the learned diagnosis, from the corpus and its log variants.

For every run and every requested log variant (:mod:`ganalyze.corpus.variants`), the variant's
frame goes through exactly what ``diagnose`` does with a user's log (:func:`window_features` at
:func:`eval_points`), and each evaluation point gets the ground-truth label of its step.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganalyze.corpus.variants import make_variant
from ganalyze.diagnose.window_features import LogMeta, eval_points, window_features


@dataclass(frozen=True)
class Variant:
    columns: str
    every: int
    averaged: bool = False

    @property
    def name(self) -> str:
        return f"{self.columns}/{'avg' if self.averaged else 'every'}{self.every}"


ALL_VARIANTS = tuple(Variant(c, k, avg) for c in ("losses", "d_outputs", "grad_norms", "diversity", "lr")
                     for k, avg in ((1, False), (10, False), (50, False), (100, False), (500, False),
                                    (50, True), (100, True)))


def run_meta(man_row, variant: Variant) -> LogMeta:
    return LogMeta(loss=man_row["loss"], d_loss_reduction=man_row["d_loss_reduction"],
                   scores=man_row["scores"], averaged=variant.averaged)


def run_examples(man_row, steps_df: pd.DataFrame, variant: Variant) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(features, labels at the points, points) of one run under one variant."""
    frame = make_variant(steps_df, variant.columns, variant.every, variant.averaged)
    if len(frame) < 2:
        return pd.DataFrame(), np.array([], dtype=object), np.array([], dtype=np.int64)
    points = eval_points(frame["step"].to_numpy())
    feats = window_features(frame, run_meta(man_row, variant), points)
    truth = steps_df["gt_label"].to_numpy()
    labels = truth[np.clip(points, 0, len(truth) - 1)]
    return feats, labels, points


def run_variant_examples(man_row, df: pd.DataFrame, chosen) -> list[pd.DataFrame]:
    """The example rows of one run under each variant in ``chosen`` (see :func:`build_examples`)."""
    parts = []
    for v in chosen:
        feats, labels, points = run_examples(man_row, df, v)
        if not len(feats):
            continue
        feats = feats.reset_index()
        feats["label"] = labels
        feats["run_id"] = man_row.name
        feats["loop"] = man_row["loop"]
        feats["dataset"] = man_row["dataset"]
        feats["variant"] = v.name
        parts.append(feats)
    return parts


def build_examples(corpus_path, variants=ALL_VARIANTS, per_run: int | None = None, seed: int = 0,
                   progress: bool = True, workers: int = 1, run_ids=None) -> pd.DataFrame:
    """One row per (run, variant, point): the features plus ``label``, ``run_id``, ``loop``,
    ``dataset``, ``variant``. ``per_run``: sample that many variants per run (None = all).
    ``workers`` > 1 featurises runs in that many processes (the same rows, in the same order).
    ``run_ids``: only these runs (with ``per_run`` None, each run's rows are the same as in a
    build of the whole corpus)."""
    import sys
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    from ganalyze.corpus.store import iter_runs, load_manifest

    rng = np.random.default_rng(seed)
    n_runs = len(load_manifest(corpus_path)) if run_ids is None else len(run_ids)

    def jobs():
        for man_row, df in iter_runs(corpus_path, run_ids=run_ids):
            chosen = list(variants)
            if per_run is not None and per_run < len(chosen):
                chosen = [chosen[i] for i in rng.choice(len(chosen), per_run, replace=False)]
            yield man_row, df, chosen

    bar = tqdm(total=n_runs, file=sys.stderr, desc="examples", unit="run", disable=not progress)
    parts = []
    if workers <= 1:
        for job in jobs():
            parts += run_variant_examples(*job)
            bar.update(1)
    else:
        with ProcessPoolExecutor(workers) as pool:
            pending = []
            for job in jobs():              # at most 2 x workers runs in flight: memory stays flat
                pending.append(pool.submit(run_variant_examples, *job))
                while len(pending) >= 2 * workers:
                    parts += pending.pop(0).result()
                    bar.update(1)
            for fut in pending:
                parts += fut.result()
                bar.update(1)
    bar.close()
    return pd.concat(parts, ignore_index=True)
