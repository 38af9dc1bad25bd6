"""The committed corpus on disk, and reading it back.

Layout of ``data/corpus/`` (written by ``scripts/make_corpus.py build``; never shipped in the wheel):

``steps/loop=<loop>/part-0.parquet``  one row per training iteration of every run: ``run_id``,
                                      ``step``, the logged columns (float32, NaN where the loop did
                                      not log them), ``gt_label`` (LABELS.md, dictionary-encoded);
                                      zstd, one hive-partitioned pyarrow dataset
``checks.parquet``                    one row per ground-truth check: ``run_id``, ``step`` (iterations
                                      done), the LABELS.md signals, the predicates and the label in force
``manifest.parquet``                  one row per run: loop, dataset, loss, conventions (d_loss
                                      reduction, scores), the full spec as JSON, steps, wall time,
                                      share of each label
Log variants (every k steps, pre-averaged, column subsets) are derived on the fly by
:mod:`ganalyze.corpus.variants`, not stored.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from ganalyze.diagnose.truth import LABELS, TruthSpec, label_run

REPO_CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
LOG_COLUMNS = ("epoch", "d_loss", "d_loss_real", "d_loss_fake", "g_loss", "d_x", "d_g_z1", "d_g_z2",
               "grad_norm_d", "grad_norm_g", "lr_d", "lr_g", "gradient_penalty", "div_pdist_ratio",
               "d_real_q05", "d_real_q50", "d_real_q95", "d_fake_q05", "d_fake_q50", "d_fake_q95")
MIN_RUNS, MIN_LOOPS, MIN_LABEL_SHARE = 300, 3, 0.05
DATASETS_REQUIRED = ("ring8", "grid25", "mnist", "digits8")


def truth_spec(meta: dict) -> TruthSpec:
    """The :class:`TruthSpec` of a raw run's metadata: critic rule for raw-score discriminators."""
    ds = meta["dataset"]
    critic = meta["loop_meta"]["scores"] == "critic"
    return TruthSpec(ds["kind"], int(ds["n_modes"]), critic, float(ds["data_abs_mean"]), float(ds["fd_floor"]))


def label_raw_run(log: pd.DataFrame, checks: pd.DataFrame, meta: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-step frame with gt_label, check table with signals + predicates + label)."""
    signals = checks.rename(columns=lambda c: c[3:] if c.startswith("gt_") else c)
    labelled = label_run(signals, truth_spec(meta), len(log))
    steps = log.copy()
    steps["gt_label"] = labelled["gt_label"].to_numpy()
    chk = labelled.attrs["checks"].drop(columns=["step"])
    table = pd.concat([signals.reset_index(drop=True), chk.reset_index(drop=True)], axis=1)
    table["candidate"] = table["candidate"].astype("string")
    return steps, table


def build_corpus(work, out: Path, add: bool = False) -> None:
    """Label every raw run in ``work/runs`` (one folder or a list) and write the corpus to ``out``
    (replacing it). ``add``: keep the runs ``out`` already holds and add these (a run already
    there is replaced by its raw file), so a new search joins the corpus without the earlier
    searches' raw files. The new corpus is written next to ``out`` and swapped in at the end."""
    import shutil

    from tqdm import tqdm

    from ganalyze.corpus.generate import read_raw

    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / "manifest.parquet").exists():
        raise SystemExit(f"build: --out {out} is a folder that holds no corpus (no manifest.parquet); "
                         "refusing to replace it: pass a new folder or an existing corpus")
    works = [Path(w) for w in (work if isinstance(work, (list, tuple)) else [work])]
    files = sorted((f for w in works for f in (w / "runs").glob("*.parquet")), key=lambda f: f.name)
    if not files:
        raise SystemExit(f"build: no finished runs under {', '.join(str(w / 'runs') for w in works)}")
    per_loop: dict[str, list[pd.DataFrame]] = {}
    all_checks, manifest = [], []
    for f in tqdm(files, file=sys.stderr, desc="label", unit="run"):
        log, checks, meta = read_raw(f)
        spec = meta["spec"]
        steps, table = label_raw_run(log, checks, meta)
        steps.insert(0, "run_id", spec["run_id"])
        for c in LOG_COLUMNS:
            if c not in steps.columns:
                steps[c] = np.float32(np.nan)
        steps = steps[["run_id", "step", *LOG_COLUMNS, "gt_label"]]
        per_loop.setdefault(spec["loop"], []).append(steps)
        table.insert(0, "run_id", spec["run_id"])
        all_checks.append(table)
        shares = steps["gt_label"].value_counts(normalize=True)
        lm = meta["loop_meta"]
        manifest.append({
            "run_id": spec["run_id"], "loop": spec["loop"], "dataset": spec["dataset"], "loss": spec["loss"],
            "d_loss_reduction": lm["d_loss_reduction"], "scores": lm["scores"], "steps": len(steps),
            "steps_planned": spec["steps"], "crashed_at": lm.get("crashed_at"), "seconds": meta["seconds"],
            "native_columns": json.dumps(lm["native_columns"]), "spec": json.dumps(spec, sort_keys=True),
            "n_events": len(spec["events"]), "events": json.dumps(spec["events"]),
            **{f"share_{lab}": float(shares.get(lab, 0.0)) for lab in LABELS},
        })
    if add and (out / "manifest.parquet").exists():
        _merge_existing(out, per_loop, all_checks, manifest)
    final, out = out, out.with_name(out.name + ".building")
    if out.exists():
        shutil.rmtree(out)
    (out / "steps").mkdir(parents=True)
    label_type = pa.dictionary(pa.int8(), pa.string())
    for loop, frames in per_loop.items():
        df = pd.concat(frames, ignore_index=True)
        table = pa.Table.from_pandas(df, preserve_index=False)
        table = table.set_column(table.schema.get_field_index("run_id"), "run_id",
                                 table["run_id"].dictionary_encode())
        table = table.set_column(table.schema.get_field_index("gt_label"), "gt_label",
                                 table["gt_label"].cast(pa.string()).dictionary_encode().cast(label_type))
        (out / "steps" / f"loop={loop}").mkdir()
        pq.write_table(table, out / "steps" / f"loop={loop}" / "part-0.parquet", compression="zstd",
                       compression_level=9, use_dictionary=["run_id", "gt_label"])
    checks = pd.concat(all_checks, ignore_index=True)
    for c in checks.columns:
        if checks[c].dtype == np.float64:
            checks[c] = checks[c].astype(np.float32)
    pq.write_table(pa.Table.from_pandas(checks, preserve_index=False), out / "checks.parquet",
                   compression="zstd", compression_level=9)
    man = pd.DataFrame(manifest).sort_values("run_id", kind="stable").reset_index(drop=True)
    pq.write_table(pa.Table.from_pandas(man, preserve_index=False), out / "manifest.parquet",
                   compression="zstd", compression_level=9)
    if final.exists():
        old = final.with_name(final.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
        out.rename(final)
        shutil.rmtree(old)
    else:
        out.rename(final)


def _merge_existing(out: Path, per_loop: dict, all_checks: list, manifest: list) -> None:
    """Prepend the runs of the corpus at ``out`` that the new raw files do not replace."""
    new_ids = {m["run_id"] for m in manifest}
    old_man = load_manifest(out)
    keep = old_man[~old_man["run_id"].isin(new_ids)]
    manifest[:0] = keep.to_dict("records")
    checks = load_checks(out)
    all_checks.insert(0, checks[checks["run_id"].isin(set(keep["run_id"]))])
    for loop in sorted(keep["loop"].unique()):
        steps = load_steps(out, loops=[loop]).drop(columns="loop")
        steps = steps[steps["run_id"].isin(set(keep["run_id"]))]
        steps["run_id"] = steps["run_id"].astype(str)
        per_loop.setdefault(loop, []).insert(0, steps)


def load_manifest(path: Path = REPO_CORPUS) -> pd.DataFrame:
    return pd.read_parquet(Path(path) / "manifest.parquet")


def load_steps(path: Path = REPO_CORPUS, columns=None, loops=None, where=None) -> pd.DataFrame:
    """The per-step table (``loop`` added from the partition); ``loops`` filters partitions,
    ``where`` (a pyarrow dataset expression) rows."""
    ds = pads.dataset(Path(path) / "steps", format="parquet", partitioning="hive")
    flt = pads.field("loop").isin(list(loops)) if loops else None
    if where is not None:
        flt = where if flt is None else flt & where
    table = ds.to_table(columns=list(columns) if columns else None, filter=flt)
    df = table.to_pandas()
    if "gt_label" in df:
        df["gt_label"] = df["gt_label"].astype(str)
    return df


def load_checks(path: Path = REPO_CORPUS) -> pd.DataFrame:
    return pd.read_parquet(Path(path) / "checks.parquet")


def iter_runs(path: Path = REPO_CORPUS, loops=None, run_ids=None):
    """Yield ``(manifest_row, steps_frame)`` per run, steps sorted, in :func:`run_order`;
    ``run_ids`` (a set) keeps only those runs."""
    man = load_manifest(path).set_index("run_id")
    flt = pads.field("run_id").isin(sorted(run_ids)) if run_ids is not None else None
    steps = load_steps(path, loops=loops, where=flt)
    for run_id, df in steps.groupby("run_id", sort=True, observed=True):
        yield man.loc[run_id], df.sort_values("step").reset_index(drop=True)


def run_order(path: Path = REPO_CORPUS) -> list[str]:
    """The run ids in the order :func:`iter_runs` yields them."""
    ids = load_steps(path, columns=["run_id"])["run_id"]
    return [str(r) for r in ids.groupby(ids, sort=True, observed=True).size().index]


def check_corpus(path: Path = REPO_CORPUS) -> int:
    """Verify the manifest against the files; print runs, steps, label shares and the data card.
    Returns 0 when every requirement of issue #10 holds, 1 otherwise."""
    path = Path(path)
    man = load_manifest(path)
    steps = load_steps(path, columns=["run_id", "step", "gt_label", "loop"])
    problems = []
    counts = steps.groupby("run_id", observed=True).size()
    for row in man.itertuples():
        n = counts.get(row.run_id, 0)
        if n != row.steps:
            problems.append(f"{row.run_id}: manifest says {row.steps} steps, files hold {n}")
    extra = set(counts.index) - set(man["run_id"])
    if extra:
        problems.append(f"{len(extra)} runs in the files are missing from the manifest")
    per_run = steps.groupby("run_id", observed=True)["gt_label"].value_counts(normalize=True).unstack(fill_value=0)
    for lab in LABELS:
        col = per_run[lab] if lab in per_run else pd.Series(0.0, index=per_run.index)
        m = man.set_index("run_id")[f"share_{lab}"].reindex(col.index)
        if not np.allclose(col.to_numpy(), m.to_numpy(), atol=1e-9):
            problems.append(f"label shares of {lab} differ between manifest and files")
    shares = steps["gt_label"].value_counts(normalize=True).reindex(list(LABELS), fill_value=0.0)
    print(f"runs {len(man)}  steps {len(steps):,}  loops {man['loop'].nunique()} ({', '.join(sorted(man['loop'].unique()))})"
          f"  datasets {man['dataset'].nunique()} ({', '.join(sorted(man['dataset'].unique()))})")
    print(f"runs >= 5,000 steps: {(man['steps'] >= 5000).sum()}  with regime changes: {(man['n_events'] > 0).sum()}")
    print("label shares of all steps:")
    for lab, share in shares.items():
        print(f"  {lab:14s} {share:6.1%}  ({int(share * len(steps)):,} steps, in {int((per_run[lab] > 0).sum()) if lab in per_run else 0} runs)")
    print("\nruns per loop x dataset:")
    print(pd.crosstab(man["loop"], man["dataset"], margins=True).to_string())
    if len(man) < MIN_RUNS:
        problems.append(f"only {len(man)} runs; need >= {MIN_RUNS}")
    if man["loop"].nunique() < MIN_LOOPS:
        problems.append(f"only {man['loop'].nunique()} loops; need >= {MIN_LOOPS}")
    missing = set(DATASETS_REQUIRED) - set(man["dataset"])
    if missing:
        problems.append(f"datasets missing: {sorted(missing)}")
    low = [lab for lab, s in shares.items() if s < MIN_LABEL_SHARE]
    if low:
        problems.append(f"labels under {MIN_LABEL_SHARE:.0%} of steps: {low}")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"check={'ok' if not problems else 'failed'} runs={len(man)} steps={len(steps)} "
          + " ".join(f"share_{k}={v:.3f}" for k, v in shares.items()))
    return 0 if not problems else 1


CARD_START, CARD_END = "<!-- card:start -->", "<!-- card:end -->"


def dataset_card(path: Path = REPO_CORPUS) -> str:
    """The dataset card (markdown): runs per loop x dataset x loss, steps, label shares per loop."""
    man = load_manifest(path)
    steps = load_steps(path, columns=["run_id", "gt_label", "loop"])
    lines = [f"{len(man)} runs, {len(steps):,} labelled steps, {man['loop'].nunique()} training loops, "
             f"{man['dataset'].nunique()} datasets; {(man['steps'] >= 5000).sum()} runs of >= 5,000 steps; "
             f"{(man['n_events'] > 0).sum()} runs with regime changes mid-run "
             f"({int(man['crashed_at'].notna().sum())} DCGAN-tutorial runs died on a NaN, as that loop does).", ""]
    lines += ["Runs (and steps) per loop x dataset x loss:", "",
              "| loop | dataset | loss | runs | steps | median steps |", "|---|---|---|---|---|---|"]
    g = man.groupby(["loop", "dataset", "loss"])["steps"]
    for (loop, ds, loss), v in g:
        lines.append(f"| {loop} | {ds} | {loss} | {len(v)} | {int(v.sum()):,} | {int(v.median()):,} |")
    lines += ["", "Share of steps per label, per loop and overall:", "",
              "| loop | " + " | ".join(LABELS) + " |", "|---" * (len(LABELS) + 1) + "|"]
    tab = pd.crosstab(steps["loop"], steps["gt_label"], normalize="index").reindex(columns=list(LABELS), fill_value=0)
    for loop, row in tab.iterrows():
        lines.append(f"| {loop} | " + " | ".join(f"{v:.1%}" for v in row) + " |")
    tot = steps["gt_label"].value_counts(normalize=True).reindex(list(LABELS), fill_value=0)
    lines.append("| **all** | " + " | ".join(f"**{v:.1%}**" for v in tot) + " |")
    return "\n".join(lines)


def write_card(doc: Path, path: Path = REPO_CORPUS) -> None:
    """Replace the text between the card markers of ``doc`` with :func:`dataset_card`."""
    text = Path(doc).read_text()
    a, b = text.index(CARD_START) + len(CARD_START), text.index(CARD_END)
    Path(doc).write_text(text[:a] + "\n" + dataset_card(path) + "\n" + text[b:])


SPOT_SIGNALS = {
    "warmup": ("frechet_distance", "modes_covered", "sample_drift"),
    "healthy": ("frechet_distance", "class_histogram_kl", "modes_covered", "diversity_ratio"),
    "d_dominant": ("d_fake_mean", "d_accuracy", "d_acc_fake"),
    "g_dominant": ("d_fake_mean", "d_acc_fake"),
    "mode_collapse": ("modes_covered", "class_histogram_kl", "high_quality_fraction", "diversity_ratio"),
    "stagnation": ("sample_drift",),
    "oscillation": ("frechet_distance", "d_accuracy"),
    "divergence": ("finite", "sample_abs_mean"),
}


def spot_check(path: Path = REPO_CORPUS, per_label: int = 3, seed: int = 0) -> str:
    """Per label, ``per_label`` random runs holding it: where the label starts and the ground-truth
    signals at the check that made it (the first check of that segment)."""
    man = load_manifest(path).set_index("run_id")
    checks = load_checks(path)
    rng = np.random.default_rng(seed)
    out = []
    for lab in LABELS:
        runs = man.index[man[f"share_{lab}"] > 0.1].to_numpy()
        if len(runs) == 0:
            continue
        out.append(f"{lab}:")
        for rid in rng.choice(runs, min(per_label, len(runs)), replace=False):
            m = man.loc[rid]
            spec = json.loads(m["spec"])
            c = checks[checks["run_id"] == rid].reset_index(drop=True)
            first = c.index[c["label"] == lab]
            row = c.loc[first[0]] if len(first) else c.iloc[-1]
            sig = ", ".join(f"{k} {row[k]:.3g}" for k in SPOT_SIGNALS[lab] if k in row and pd.notna(row[k]))
            ev = "; ".join(f"{e['kind']} at {e['step']}" + (f" (D x{e['d']:.3g}, G x{e['g']:.3g})" if e["kind"] == "lr" else "")
                           for e in spec["events"]) or "no regime change"
            out.append(f"  {rid}: {m['dataset']}, {m['loop']} loop, {m['loss']}, lr_D/lr_G = {spec['lr_d'] / spec['lr_g']:.3g}, "
                       f"{ev}: {lab} {m[f'share_{lab}']:.0%} of {m['steps']} steps, from check step {int(row['step'])}: {sig}")
    return "\n".join(out)
