"""Assemble a report: read runs, diagnose them, draw every figure, write PNGs (+ HTML / PDF).

``render_report(["runs/a", "runs/b"], "report", fmt="html")`` is what ``ganalyze report`` calls.
"""
from __future__ import annotations

import io
import math
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.report import plots, prepare
from ganalyze.report.columns import ColumnPick
from ganalyze.report.prepare import ReportConfig
from ganalyze.validate import load_json_file, validate_config

FORMATS = ("html", "png", "pdf")


@dataclass
class RunReport:
    """One run's report material: its data, diagnosis and drawn figures (PNG bytes)."""

    name: str
    source: Path
    df: pd.DataFrame
    run_dir: Path | None
    diagnosis: object | None = None
    diagnosis_error: str | None = None
    helix_stats: pd.DataFrame | None = None
    unread: list = field(default_factory=list)       # columns in the log the report did not read
    log_columns: list = field(default_factory=list)  # every column of the log, in its order
    wall_time_s: float | None = None                 # max of time_s (the column itself is not kept)
    figures: dict = field(default_factory=dict)      # section -> PNG bytes
    notes: dict = field(default_factory=dict)        # section -> why it is empty


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_run(path) -> tuple[pd.DataFrame, Path | None]:
    """Read a run (directory, Parquet, CSV, TensorBoard, DCGAN console log) via read_run."""
    from ganalyze.runlog import read_run

    p = Path(path)
    df = read_run(p)
    if len(df) == 0:
        raise GanalyzeError(f"run: {p} has no rows; allowed: a run with at least one logged step")
    run_dir = p if p.is_dir() else (p.parent if p.name == "run.parquet" else None)
    return df, run_dir


def load_runs(path, read_options=None, pick=None) -> list[tuple[str | None, pd.DataFrame, Path | None]]:
    """Every run at ``path`` as ``(name suffix or None, df, run_dir)``: one for most logs, A and
    B for a CycleGAN loss_log; ``read_options`` (a ReadOptions) as on the command line.
    ``pick``: a :class:`~ganalyze.report.columns.ColumnPick` to read only the report's columns,
    as float32 where that is exact (the memory of a long run; the same numbers); None = all."""
    from ganalyze.runlog.readers import read_runs

    p = Path(path)
    runs = read_runs(p, options=read_options, keep=pick, float32=pick is not None)
    run_dir = p if p.is_dir() else (p.parent if p.name == "run.parquet" else None)
    out = []
    for name, df in runs.items():
        if len(df) == 0:
            raise GanalyzeError(f"run: {name} has no rows; allowed: a run with at least one logged step")
        chosen = read_options is not None and read_options.pair is not None    # one run of several, by name
        out.append((name.rsplit(":", 1)[1] if len(runs) > 1 or (chosen and ":" in name) else None, df, run_dir))
    return out


def run_name(path: Path) -> str:
    p = Path(path)
    return p.parent.name if p.name == "run.parquet" else (p.name if p.is_dir() else p.stem)


def _png(fig, dpi: int) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def _diagnose(rr: RunReport, shown=None) -> None:
    """Diagnose the run once, with the last sample grid its notebook shows (``shown``: a
    :class:`~ganalyze.diagnose.shown.ShownSamples`, as ``ganalyze diagnose`` reads it; None for none), so that the
    report's finding is the diagnose command's; the helix table comes from the same feature pass."""
    from ganalyze.diagnose import diagnose, helix_stats

    try:
        rr.diagnosis = diagnose(rr.df, shown=shown)
    except GanalyzeError as err:        # e.g. a run too short to classify: draw it anyway
        rr.diagnosis_error = f"not diagnosed: {err}"
    try:
        # two rows per window bin, not one per logged row (memory of a long run; same picture)
        rr.helix_stats = (prepare.helix_table(rr.diagnosis) if rr.diagnosis is not None and rr.diagnosis.helix
                          is not None else helix_stats(rr.df))
    except GanalyzeError as err:
        rr.notes["helix_stats"] = str(err)


def draw_run(rr: RunReport, config: ReportConfig) -> None:
    """Draw every figure the run's columns allow; record why the others are absent."""
    df, span, n = rr.df, config.span, config.n_columns
    phases = list(rr.diagnosis.segments) if rr.diagnosis is not None else None
    fig_of = {}
    if phases is not None:
        fig_of["phases"] = lambda: plots.plot_phases(df, phases=phases).figure
    fig_of["losses"] = lambda: plots.plot_losses(df, span=span, n_columns=n, phases=phases).figure
    assumptions = rr.diagnosis.assumptions if rr.diagnosis is not None else None
    fig_of["helix"] = lambda: plots.helix_figure(df, rr.helix_stats, span=span, assumptions=assumptions)
    if any(prepare.has_values(df, c) for c in ("d_x", "d_g_z1", "d_g_z2")):
        fig_of["scores"] = lambda: plots.plot_scores(df, span=span, n_columns=n, phases=phases).figure
    else:
        rr.notes["scores"] = "D(x) / D(G(z)) not logged in this run."
    if all(c in df.columns for c in plots.QUANTILE_COLUMNS) and df["d_real_q50"].notna().any():
        fig_of["quantiles"] = lambda: plots.plot_quantiles(df, span=span, n_columns=n).figure
    else:
        rr.notes["quantiles"] = "D-output quantiles (d_real_q05 … d_fake_q95) not logged in this run."
    if any(prepare.has_values(df, c) for c in ("grad_norm_d", "grad_norm_g")):
        fig_of["grads"] = lambda: plots.grads_figure(df, span=span, n_columns=n)
    else:
        rr.notes["grads"] = "Gradient norms not logged in this run."
    grids = prepare.sample_grids(rr.run_dir, config.max_sample_grids)
    if grids:
        total = len(prepare.sample_grids(rr.run_dir, max_grids=10**9))
        label_steps = prepare.run_meta(df).get("dataset") != "ring8"   # ring8 scatters carry their own title
        fig_of["samples"] = lambda: plots.samples_figure(grids, total=total, label_steps=label_steps)
    else:
        rr.notes["samples"] = "No fixed-noise sample grids (samples/step_*.png) next to this run."
    for section, make in fig_of.items():
        rr.figures[section] = _png(make(), config.dpi)


def _keep_wall_time(rr: RunReport) -> None:
    """The header states time_s's maximum, no figure draws it: keep that number, free the column
    (a long run's float64 column; it stays named among the columns logged)."""
    if "time_s" in rr.df.columns:
        if prepare.has_values(rr.df, "time_s"):
            rr.wall_time_s = float(rr.df["time_s"].max())
            rr.unread.append("time_s")
        del rr.df["time_s"]


def _unique_names(paths) -> list[str]:
    names, seen = [], {}
    for p in paths:
        base = run_name(Path(p))
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return names


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "run"


def _finite(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


#: Caption of the comparison table (its headers are short so that it fits the page).
COMPARISON_NOTE = ("D loss, G loss, D(x), D(G(z)): means over the last 10% of logged steps; healthy: share of "
                   "logged steps labelled healthy; crossings: mean helix crossing rate per logged row; "
                   "anti-corr.: mean anti-correlation of the loss changes.")


def comparison_table(reports: list[RunReport]) -> pd.DataFrame:
    """One row per run: last step, loss type, the verdict (label and first step, without its
    description), last-10% means of the key series, share of healthy steps, mean crossing rate
    and anti-correlation (see :data:`COMPARISON_NOTE`)."""
    rows = []
    for rr in reports:
        df = rr.df
        tail = df.iloc[int(len(df) * 0.9):]
        row = {"run": rr.name, "last step": int(df["step"].iloc[-1]), "loss": prepare.run_meta(df)["loss"]}
        if rr.diagnosis is not None:
            row["verdict"] = str(rr.diagnosis.summary.get("main_finding", "")).split(":")[0].split(" (")[0]
        for col, label in (("d_loss", "D loss"), ("g_loss", "G loss"), ("d_x", "D(x)"), ("d_g_z1", "D(G(z))")):
            row[label] = _finite(tail[col].replace([np.inf, -np.inf], np.nan).mean()) if col in df else None
        if rr.diagnosis is not None:
            row["healthy"] = _finite(rr.diagnosis.summary.get("label_fractions", {}).get("healthy", 0.0))
        if rr.helix_stats is not None and len(rr.helix_stats):
            for col, label in (("crossing_rate", "crossings"), ("anticorrelation", "anti-corr.")):
                if col in rr.helix_stats:
                    row[label] = _finite(prepare.helix_mean(rr.helix_stats, col))
        rows.append(row)
    return pd.DataFrame(rows)


def render_report(paths, out_dir, fmt: str = "html", config: ReportConfig = ReportConfig(),
                  read_options=None) -> list[Path]:
    """Write the report for one or more runs into ``out_dir``; return the files written.

    ``read_options``: a :class:`~ganalyze.runlog.formats.options.ReadOptions` for reading every
    path (declared loss, column mapping, ...). A path holding several runs adds each (``NAME:A``).

    fmt: "html" -> report.html (self-contained) + PNGs; "png" -> PNGs only;
    "pdf" -> report.pdf (all figures) + PNGs. PNGs are named ``<run>_<section>.png``
    (plus ``compare_runs.png``, the small multiples, for several runs).
    """
    from ganalyze.diagnose.shown import shown_samples_of_runs

    if fmt not in FORMATS:
        raise GanalyzeError(f"fmt: got {fmt!r}; allowed: {', '.join(FORMATS)}")
    paths = [Path(p) for p in paths]
    if not paths:
        raise GanalyzeError("RUN: got no run; allowed: one or more run directories or log files")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise GanalyzeError(f"out_dir: {out} exists and is not a directory; allowed: a directory path")
    reports = []
    for path, name in zip(paths, _unique_names(paths)):
        _log(f"report: reading {path}")
        pick = ColumnPick()
        loaded = load_runs(path, read_options, pick)
        # the samples a notebook shows for each of its runs, as `ganalyze diagnose` reads them (a report's finding
        # had left them out, and said "healthy" of a notebook whose last grid diagnose read as near copies)
        shown = shown_samples_of_runs(path, {i: df for i, (_, df, _) in enumerate(loaded)})
        for i, (suffix, df, run_dir) in enumerate(loaded):
            run = name if suffix is None else f"{name}:{suffix}"
            rr = RunReport(name=run, source=path, df=df, run_dir=run_dir,
                           unread=pick.unread(df.columns), log_columns=list(pick.offered))
            _keep_wall_time(rr)
            _log(f"report: diagnosing {run} ({len(df):,} rows)")
            _diagnose(rr, shown.get(i))
            _log(f"report: drawing {run}")
            draw_run(rr, config)
            reports.append(rr)
    compare = {}
    if len(reports) > 1:
        runs = {rr.name: rr.df for rr in reports}
        compare["runs"] = _png(plots.compare_figure(runs, span=config.span, n_columns=config.n_columns), config.dpi)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for rr in reports:
        for section, png in rr.figures.items():
            p = out / f"{safe_filename(rr.name)}_{section}.png"
            p.write_bytes(png)
            written.append(p)
    for col, png in compare.items():
        p = out / f"compare_{col}.png"
        p.write_bytes(png)
        written.append(p)
    if fmt == "html":
        from ganalyze.report.html import render_html

        p = out / "report.html"
        p.write_text(render_html(reports, compare, comparison_table(reports) if len(reports) > 1 else None),
                     encoding="utf-8")
        written.append(p)
    elif fmt == "pdf":
        written.append(_write_pdf(out / "report.pdf", reports, compare))
    _log(f"report: wrote {len(written)} files to {out}")
    return written


def _write_pdf(path: Path, reports, compare) -> Path:
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for title, png in [(f"{rr.name}: {s}", b) for rr in reports for s, b in rr.figures.items()] + \
                          [(f"compare: {c}", b) for c, b in compare.items()]:
            img = plt.imread(io.BytesIO(png), format="png")
            fig = plt.figure(figsize=(img.shape[1] / 100, img.shape[0] / 100 + 0.3))
            fig.figimage(img, 0, 0)
            fig.suptitle(title, fontsize=8, y=1.0, va="top")
            pdf.savefig(fig)
            plt.close(fig)
    return path


def header_rows(rr: RunReport) -> list[tuple[str, str]]:
    """Key/value rows of the report header: where the data came from and how it was trained."""
    meta = prepare.run_meta(rr.df)
    df = rr.df
    rows = [("source", str(rr.source)), ("rows", f"{len(df):,}"),
            ("steps", f"{int(df['step'].iloc[0]):,} – {int(df['step'].iloc[-1]):,}")]
    wall = rr.wall_time_s if rr.wall_time_s is not None else (
        float(df["time_s"].max()) if prepare.has_values(df, "time_s") else None)
    if wall is not None:
        rows.append(("wall time", f"{wall:,.1f} s"))
    for key in ("loss", "d_loss_reduction", "scores", "arch", "dataset", "data_source",
                "source_format", "seed"):
        if key in meta:
            rows.append((key, str(meta[key])))
    for key in ("declared", "inferred"):
        if meta.get(key):
            rows.append((f"{key} by user" if key == "declared" else "inferred", ", ".join(map(str, meta[key]))))
    hp = meta.get("hparams")
    if isinstance(hp, dict) and hp:
        rows.append(("hparams", ", ".join(f"{k}={v}" for k, v in sorted(hp.items()))))
    if rr.run_dir is not None and (rr.run_dir / "config.json").exists() and not hp:
        try:
            cfg = validate_config(load_json_file(rr.run_dir / "config.json", "config.json"))
            rows.append(("config.json", ", ".join(f"{k}={v}" for k, v in sorted(cfg.items())
                                                   if not isinstance(v, (dict, list)))))
        except GanalyzeError as err:   # the report still renders; the table says why
            warnings.warn(f"ignoring {err}", stacklevel=2)
            rows.append(("config.json", f"unreadable ({err})"))
    logged = [c for c in df.columns if c != "step" and df[c].notna().any()]
    if rr.unread:   # in the log but not read (no figure uses them): named too, in the log's order
        names = logged + rr.unread
        logged = [c for c in rr.log_columns if c in names] + [c for c in names if c not in rr.log_columns]
    rows.append(("columns logged", ", ".join(logged)))
    return rows
