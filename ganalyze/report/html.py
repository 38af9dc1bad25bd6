"""The self-contained HTML report: one file, images embedded as base64 PNG, inline CSS,
no scripts and no network. Everything that comes from a run (names, metadata, findings) is
escaped by jinja2's autoescape, so a run named ``<script>`` is shown, not executed."""
from __future__ import annotations

import base64
import datetime as _dt
import math

import jinja2

from ganalyze import gan
from ganalyze.report import plots
from ganalyze.report.verdict import deciding_numbers, verdict_segment

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
    """What the diagnosis card shows: the verdict, its deciding numbers (named, with units and
    healthy ranges), the advice once, what the log cannot show (``not_checkable``: the labels, why,
    and what would settle them), the timeline table, and every segment's full evidence
    (collapsed)."""
    d = rr.diagnosis
    if d is None:
        return None
    segments = []
    for s in d.segments:
        segments.append({"start": s.start_step, "end": s.end_step, "label": s.label,
                         "color": plots.PHASE_COLORS.get(s.label, "#999"), "confidence": s.confidence,
                         "evidence": {k: v for k, v in s.evidence.items() if k != "rows"}})
    summary = dict(d.summary)
    seg = verdict_segment(d)
    numbers = deciding_numbers(seg.label, seg.evidence, d.assumptions) if seg is not None else []
    assumed = {k: d.assumptions.get(k) for k in ("loss", "d_loss_reduction", "scores")}
    unsettled = {}   # labels with the same reason share one item, as in the text output
    for n in getattr(d, "not_checkable", None) or ():
        unsettled.setdefault((n.because, n.to_settle), []).append(n.label)
    return {"segments": segments, "assumed": assumed, "inferred": list(d.assumptions.get("inferred") or []),
            "note": d.assumptions.get("note") or "",
            "main_finding": summary.get("main_finding"), "advice": list(summary.get("advice", [])),
            "verdict_steps": (seg.start_step, seg.end_step, seg.label) if seg is not None else None,
            "numbers": numbers, "fractions": dict(summary.get("label_fractions", {})),
            "not_checkable": [{"labels": ", ".join(labels), "because": because, "to_settle": to_settle}
                              for (because, to_settle), labels in unsettled.items()]}


def render_html(reports, compare: dict, table=None) -> str:
    """The report as one HTML string (see module docstring)."""
    from ganalyze.report.build import COMPARISON_NOTE, header_rows

    runs = []
    for rr in reports:
        runs.append({"name": rr.name, "header": header_rows(rr), "figures": rr.figures, "notes": rr.notes,
                     "diagnosis": _diagnosis_view(rr), "diagnosis_error": rr.diagnosis_error})
    cols = list(table.columns) if table is not None else []
    rows = table.to_dict("records") if table is not None else []
    return _ENV.get_template("report.html.j2").render(
        title="GAN training report — " + ", ".join(rr.name for rr in reports),
        runs=runs, sections=SECTIONS, compare=compare, table_cols=cols, table_rows=rows,
        phase_colors=plots.PHASE_COLORS, comparison_note=COMPARISON_NOTE, bands={k: str(b) for k, b in gan.SCORE_BANDS.items()},
        generated=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    )
