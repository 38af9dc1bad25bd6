"""The self-contained HTML report: one file, images embedded as base64 PNG, inline CSS,
no scripts and no network. Everything that comes from a run (names, metadata, findings) is
escaped by jinja2's autoescape, so a run named ``<script>`` is shown, not executed."""
from __future__ import annotations

import base64
import datetime as _dt
import math

import jinja2

from ganalyze.report import plots

SECTIONS = (
    ("header", "Run"), ("diagnosis", "Diagnosis"), ("losses", "Loss curves"),
    ("scores", "D(x) and D(G(z))"), ("helix", "DNA-helix overlay"),
    ("quantiles", "D-output distributions"), ("grads", "Gradient norms and learning rates"),
    ("samples", "Fixed-noise samples"),
)

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("ganalyze.report", "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.3g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


_ENV.filters["fmt"] = _fmt
_ENV.filters["data_uri"] = _data_uri


def _diagnosis_view(rr) -> dict | None:
    d = rr.diagnosis
    if d is None:
        return None
    segments = []
    for s in d.segments:
        segments.append({"start": s.start_step, "end": s.end_step, "label": s.label,
                         "color": plots.PHASE_COLORS.get(s.label, "#999"),
                         "confidence": s.confidence, "evidence": dict(s.evidence), "advice": list(s.advice)})
    summary = dict(d.summary)
    return {"text": d.text(), "segments": segments, "assumptions": dict(d.assumptions),
            "main_finding": summary.get("main_finding"), "advice": list(summary.get("advice", [])),
            "fractions": dict(summary.get("label_fractions", {}))}


def render_html(reports, compare: dict, table=None) -> str:
    """The report as one HTML string (see module docstring)."""
    from ganalyze.report.build import header_rows

    runs = []
    for rr in reports:
        runs.append({"name": rr.name, "header": header_rows(rr), "figures": rr.figures, "notes": rr.notes,
                     "diagnosis": _diagnosis_view(rr), "diagnosis_error": rr.diagnosis_error})
    cols = list(table.columns) if table is not None else []
    rows = table.to_dict("records") if table is not None else []
    return _ENV.get_template("report.html.j2").render(
        title="GAN training report — " + ", ".join(rr.name for rr in reports),
        runs=runs, sections=SECTIONS, compare=compare, table_cols=cols, table_rows=rows,
        phase_colors=plots.PHASE_COLORS,
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
