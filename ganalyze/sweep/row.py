"""One row of the sweep table per run: ``analyse_run(ref, config) -> dict``. Never raises.

The row is built only from the run itself and the *public* diagnosis result
(``diagnose(df).to_dict()``: ``summary.label_fractions``, ``summary.main_finding``, ``segments``),
so it follows whatever the diagnosis becomes. Columns (see :data:`FIXED_COLUMNS`):

- ``run``, ``source`` (path or URL, credentials removed), ``error`` (None, or why the run has no
  analysis: a bad file, a failed diagnosis, a dead worker), ``worker`` (who analysed it), ``analyse_s``
  (seconds spent on the run, read + diagnosis);
- ``verdict``: the diagnosis's headline label (:func:`verdict_of`), ``main_finding`` (its sentence),
  ``onset_label`` / ``onset_step``: the first segment whose label is a pathology (not warmup or
  healthy) and its first step, ``n_segments``, ``first_nonfinite_step``;
- ``share_<label>`` for every label of ``ganalyze.diagnose.LABELS``: share of logged steps;
- ``rows``, ``first_step``, ``last_step``, ``wall_s`` (the last ``time_s``: seconds the run trained);
- ``final_<col>``: mean of the last ``tail_rows`` logged rows of ``d_loss``, ``g_loss``, ``d_x``,
  ``d_g_z1``, ``d_g_z2`` (NaN/inf propagate: a run that ends diverged ends NaN);
  ``last_div_pdist_ratio``: the last logged value of the diversity column;
- ``assumed_loss`` / ``assumed_d_loss_reduction`` / ``assumed_scores``: what the diagnosis assumed;
- with ``diversity``: ``div_step``, ``div_modes_covered``, ``div_kl_uniform`` of the last ``gen.pth``;
- ``hp.<name>``: the run's hyperparameters (``ganalyze.sweep.read.hparams_of``).
"""
from __future__ import annotations

import os
import socket
import sys
import time

import numpy as np

from ganalyze.sweep.config import SweepConfig
from ganalyze.sweep.sources import RunRef, redact

FINAL_COLUMNS = ("d_loss", "g_loss", "d_x", "d_g_z1", "d_g_z2")
NOT_PATHOLOGY = ("warmup", "healthy")


def _labels() -> tuple:
    from ganalyze.diagnose import LABELS

    return tuple(LABELS)


def fixed_columns() -> list[str]:
    """The row's columns other than ``hp.*``, in table order."""
    labels = _labels()
    return (["run", "verdict", "onset_label", "onset_step", "main_finding", "n_segments", "first_nonfinite_step"]
            + [f"share_{lab}" for lab in labels]
            + ["rows", "first_step", "last_step", "wall_s"]
            + [f"final_{c}" for c in FINAL_COLUMNS] + ["last_div_pdist_ratio"]
            + ["div_step", "div_modes_covered", "div_kl_uniform"]
            + ["assumed_loss", "assumed_d_loss_reduction", "assumed_scores"]
            + ["source", "error", "worker", "analyse_s"])


def verdict_of(result: dict) -> str:
    """Headline label of a diagnosis in its JSON shape (``Diagnosis.to_dict()``).

    ``summary.verdict`` when the diagnosis gives one; else the label the main finding starts
    with (``"divergence from step 812 ..."``, ``"healthy: ..."``); else the pathology with the
    largest share, else ``healthy`` if any step is healthy, else ``warmup``.
    """
    labels = _labels()
    summary = result.get("summary") or {}
    v = summary.get("verdict")
    if isinstance(v, str) and v in labels:
        return v
    main = str(summary.get("main_finding") or "").removeprefix("possible ")    # a label the log cannot check
    first = main.split(None, 1)[0].strip(":,;.") if main.strip() else ""
    if first in labels:
        return first
    fractions = summary.get("label_fractions") or {}
    bad = {k: v for k, v in fractions.items() if k not in NOT_PATHOLOGY and v}
    if bad:
        return max(bad, key=bad.get)
    return "healthy" if fractions.get("healthy") else "warmup"


def worker_name() -> str:
    """``host:pid`` of this process, or the Dask worker's address when run on one."""
    dask = sys.modules.get("distributed")   # a Dask worker has imported it; never import it here
    if dask is not None:
        try:
            return dask.get_worker().address
        except ValueError:
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def base_row(ref: RunRef) -> dict:
    return {"run": ref.name, "source": ref.shown, "error": None}


def error_row(ref: RunRef, message: str, worker: str | None = None, seconds: float = float("nan")) -> dict:
    """The row of a run that could not be analysed (``message`` says why)."""
    return {**base_row(ref), "error": redact(message), "worker": worker, "analyse_s": seconds}


def _tail_mean(df, col: str, n: int) -> float:
    if col not in df.columns:
        return float("nan")
    with np.errstate(invalid="ignore"):
        return float(np.mean(df[col].to_numpy(dtype="float64")[-n:])) if len(df) else float("nan")


def _last_logged(df, col: str) -> float:
    if col not in df.columns:
        return float("nan")
    x = df[col].to_numpy(dtype="float64")
    x = x[~np.isnan(x)]
    return float(x[-1]) if x.size else float("nan")


def diagnosis_columns(result: dict) -> dict:
    """Verdict, onset, shares and assumptions from a diagnosis in its JSON shape."""
    summary = result.get("summary") or {}
    fractions = summary.get("label_fractions") or {}
    segments = result.get("segments") or []
    onset = next((s for s in segments if s.get("label") not in NOT_PATHOLOGY), None)
    a = result.get("assumptions") or {}
    out = {"verdict": verdict_of(result), "main_finding": summary.get("main_finding"),
           "onset_label": onset.get("label") if onset else None,
           "onset_step": int(onset["start_step"]) if onset else None,
           "n_segments": len(segments),
           "first_nonfinite_step": summary.get("first_nonfinite_step"),
           "assumed_loss": a.get("loss"), "assumed_d_loss_reduction": a.get("d_loss_reduction"),
           "assumed_scores": a.get("scores")}
    for lab in _labels():
        out[f"share_{lab}"] = float(fractions.get(lab, 0.0) or 0.0)
    return out


def run_columns(df, tail_rows: int) -> dict:
    """Size, duration and final values of the run's log."""
    steps = df["step"].to_numpy()
    out = {"rows": int(len(df)), "first_step": int(steps[0]) if len(steps) else None,
           "last_step": int(steps[-1]) if len(steps) else None,
           "wall_s": _last_logged(df, "time_s")}
    for c in FINAL_COLUMNS:
        out[f"final_{c}"] = _tail_mean(df, c, tail_rows)
    out["last_div_pdist_ratio"] = _last_logged(df, "div_pdist_ratio")
    return out


def diversity_columns(ref: RunRef, config: SweepConfig) -> dict:
    """Diversity of the run's last generator checkpoint (``gen.pth`` beside the log)."""
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from ganalyze.diversity.mnist import DiversityConfig
    from ganalyze.diversity.run import score_checkpoint

    div_config = replace(DiversityConfig(), n=config.diversity_n)
    if ref.is_url:
        import fsspec

        fs, path = fsspec.core.url_to_fs(ref.source)
        gen = path.rsplit("/", 1)[0] + "/gen.pth"
        if not fs.isfile(gen):
            return {}
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / "gen.pth"
            fs.get(gen, str(local))
            res = score_checkpoint(local, div_config, config.device)
    else:
        p = Path(ref.source)
        gen = (p if p.is_dir() else p.parent) / "gen.pth"
        if not gen.is_file():
            return {}
        res = score_checkpoint(gen, div_config, config.device)
    row = res.row()
    return {"div_step": row.get("step"), "div_modes_covered": row.get("modes_covered"),
            "div_kl_uniform": row.get("kl_uniform")}


def analyse_run(ref: RunRef, config: SweepConfig = SweepConfig()) -> dict:
    """The table row of one run (module doc). Any failure becomes the row's ``error``."""
    t0 = time.perf_counter()
    worker = worker_name()
    try:
        import warnings

        from ganalyze.diagnose import diagnose
        from ganalyze.sweep.read import hparams_of, read_ref

        with warnings.catch_warnings():   # e.g. a torn part of a killed run: the data still counts
            warnings.simplefilter("ignore")
            df, config_text = read_ref(ref)
        row = base_row(ref)
        bare = df.copy(deep=False)   # pandas deep-copies attrs on every column access: not here
        bare.attrs = {}
        row.update(run_columns(bare, config.tail_rows))
        row.update(diagnosis_columns(diagnose(df).to_dict(run=ref.name)))
        if config.diversity:
            row.update(diversity_columns(ref, config))
        row.update({f"hp.{k}": v for k, v in hparams_of(df.attrs, config_text).items()})
    except Exception as err:  # noqa: BLE001 - a run that fails is a row with its error
        msg = str(err).splitlines()[0] if str(err) else ""
        return error_row(ref, f"{type(err).__name__}: {msg}" if msg else type(err).__name__, worker,
                         time.perf_counter() - t0)
    row["worker"] = worker
    row["analyse_s"] = time.perf_counter() - t0
    return row
