"""The sweep page: one self-contained HTML file (images embedded as base64 PNG, inline CSS, no
scripts, nothing from the network). Everything that comes from a run (names, paths, findings,
hyperparameter values, errors) is escaped by jinja2's autoescape."""
from __future__ import annotations

import base64
import datetime as _dt
import io
import math
from pathlib import Path

import jinja2
import pandas as pd

from ganalyze.sweep.plots import label_columns, plot_shares_by, verdict_counts
from ganalyze.sweep.table import HP

PAGE = "sweep.html"
SHOWN_FINALS = ("final_d_loss", "final_g_loss", "final_d_x", "final_d_g_z1")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("ganalyze.sweep", "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)


def _fmt(value) -> str:
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if not math.isfinite(value):
            return str(value)
        return f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def _pct(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.0f}%"


_ENV.filters["fmt"] = _fmt
_ENV.filters["pct"] = _pct


def _png_uri(fig, dpi: int = 90) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _cell(value):
    if value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def render_page(table: pd.DataFrame, by: list[str], reports: dict | None = None,
                files: dict | None = None, title: str | None = None) -> str:
    """The page as one HTML string. ``by``: hyperparameters (without ``hp.``) to draw small
    multiples for; ``reports``: run name -> relative link of its report; ``files``: label -> relative
    link (the table's Parquet and CSV)."""
    from ganalyze.report.plots import PHASE_COLORS

    reports = reports or {}
    ok = table[table["error"].isna()]
    shares = label_columns(table)
    sections = []
    for hp in by:
        counts = verdict_counts(table, hp)
        sections.append({"name": hp, "figure": _png_uri(plot_shares_by(table, hp, PHASE_COLORS)),
                         "count_cols": [str(c) for c in counts.columns],
                         "count_rows": [(str(i), [int(v) for v in r]) for i, r in zip(counts.index, counts.to_numpy())]})
    hp_cols = [HP + h for h in by]
    runs = []
    for rec in table.to_dict("records"):
        rec = {k: _cell(v) for k, v in rec.items()}
        runs.append({"name": rec["run"], "report": reports.get(rec["run"]), "verdict": rec["verdict"],
                     "onset_label": rec["onset_label"], "onset_step": rec["onset_step"],
                     "shares": [rec[c] for c in shares], "finals": [rec[c] for c in SHOWN_FINALS],
                     "rows": rec["rows"], "wall_s": rec["wall_s"], "hps": [rec.get(c) for c in hp_cols],
                     "error": rec["error"], "source": rec["source"], "main_finding": rec["main_finding"]})
    verdicts = ok["verdict"].value_counts()
    return _ENV.get_template("sweep.html.j2").render(
        title=title or f"GAN sweep — {len(table)} runs",
        n_runs=len(table), n_errors=int(table["error"].notna().sum()),
        verdicts=[(str(v), int(n), PHASE_COLORS.get(str(v), "#777")) for v, n in verdicts.items()],
        sections=sections, share_labels=[c[len("share_"):] for c in shares], finals=list(SHOWN_FINALS),
        hp_names=list(by), runs=runs, colors=PHASE_COLORS, files=files or {},
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_page(table: pd.DataFrame, out_dir, by: list[str], reports: dict | None = None,
               files: dict | None = None) -> Path:
    """``out_dir/sweep.html``; returns its path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / PAGE
    path.write_text(render_page(table, by, reports, files), encoding="utf-8")
    return path
