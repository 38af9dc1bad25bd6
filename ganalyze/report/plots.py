"""The report's figures, in two levels like seaborn's:

- axes-level ``plot_*(data, ax=None, ...)``: draw into ``ax`` (a new figure when None) and return
  that Axes: plot_losses, plot_scores, plot_helix, plot_crossing_rate, plot_anticorrelation,
  plot_phases, plot_quantiles, plot_grads, plot_learning_rates, plot_samples, plot_compare;
- figure-level ``*_figure(...)``: lay several of those out and return the Figure:
  helix_figure, grads_figure, samples_figure, compare_figure.

Nothing here reads files except :func:`plot_samples` (which reads the run's PNG grids).

Colours are fixed across figures: D is blue, G is red; phase labels have one colour each.
Long runs are smoothed first and then reduced to min/max per pixel column (see decimate.py).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ganalyze import gan  # noqa: E402
from ganalyze.errors import GanalyzeError  # noqa: E402
from ganalyze.report import prepare  # noqa: E402
from ganalyze.report.columns import QUANTILE_COLUMNS  # noqa: E402  (used here, and re-exported)
from ganalyze.validate import safe_image  # noqa: E402

D_COLOR, G_COLOR = "#1f5fa8", "#c8332b"
D_LIGHT, G_LIGHT = "#8fb4e0", "#ec9a94"
REAL_COLOR, FAKE_COLOR, FAKE2_COLOR = "#2a7a3b", "#c8332b", "#e08a1e"
PHASE_COLORS = {
    "warmup": "#bdbdbd", "healthy": "#4caf50", "d_dominant": "#1f5fa8", "g_dominant": "#c8332b",
    "mode_collapse": "#8e24aa", "stagnation": "#8d6e63", "oscillation": "#ff9800",
    "divergence": "#000000",
}


_OUTSIDE = dict(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False, borderaxespad=0)


def _axes(ax, figsize=(11, 3.6)):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _style(ax, ylabel: str, title: str | None = None):
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.grid(True, alpha=0.25, linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)


def shade_phases(ax, spans, alpha: float = 0.10, strip: bool = False) -> None:
    """Shade each (start, end, label) span of the phase timeline behind the curves, or (``strip``)
    as a thin band along the bottom edge, for plots whose background already carries bands."""
    for start, end, label in spans:
        ax.axvspan(start, end + 1, ymin=0, ymax=0.035 if strip else 1, color=PHASE_COLORS.get(label, "#999999"),
                   alpha=0.8 if strip else alpha, linewidth=0, zorder=0 if not strip else 5,
                   label=f"_phase:{label}")


def _raw_and_smooth(ax, df, column, color, light, label, span, n_columns, raw_alpha=0.35):
    c = prepare.curve(df, column, span, n_columns)
    ax.plot(*c["raw"], color=light, linewidth=0.6, alpha=raw_alpha, zorder=2, label=f"_raw:{column}")
    ax.plot(*c["smooth"], color=color, linewidth=1.8, zorder=3, label=label)
    return c


def _phase_spans(df, phases):
    return prepare.phase_spans(phases, df["step"].to_numpy())


def plot_losses(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000, phases=None,
                components: bool = True):
    """D and G loss: raw values faint, debiased EMA on top, d_loss_real / d_loss_fake dashed,
    and the equilibrium value of each loss for the run's loss type (see
    :func:`prepare.loss_references`; the legend says which convention was assumed).
    ``phases``: optional per-row labels (``Diagnosis.phases(df)``) or ``Diagnosis.segments``,
    shaded behind. Returns Axes."""
    ax = _axes(ax)
    meta = prepare.run_meta(df)
    shade_phases(ax, _phase_spans(df, phases))
    c = _raw_and_smooth(ax, df, "d_loss", D_COLOR, D_LIGHT, "D loss", span, n_columns)
    _raw_and_smooth(ax, df, "g_loss", G_COLOR, G_LIGHT, "G loss", span, n_columns)
    if components:
        for col, style, name in (("d_loss_real", (0, (4, 2)), "D loss on real"),
                                 ("d_loss_fake", (0, (1, 1.5)), "D loss on fake")):
            if prepare.has_values(df, col):
                cc = prepare.curve(df, col, span, n_columns)
                ax.plot(*cc["smooth"], color=D_COLOR, linewidth=1.1, linestyle=style, alpha=0.85,
                        zorder=3, label=name)
    refs = {r.column: r for r in prepare.loss_references(meta)}
    for col, color in (("d_loss", D_COLOR), ("g_loss", G_COLOR)):
        if col in refs:
            ax.axhline(refs[col].value, color=color, linestyle="--", linewidth=0.9, alpha=0.7,
                       zorder=1, label=f"{'D' if col == 'd_loss' else 'G'} equilibrium: " + refs[col].label.replace(" (", "\n("))
    if components and "d_loss_real" in refs and prepare.has_values(df, "d_loss_real"):
        ax.axhline(refs["d_loss_real"].value, color="#555555", linestyle=":", linewidth=0.9,
                   zorder=1, label="D part equilibrium: " + refs["d_loss_real"].label.replace(" (", "\n("))
    _mark_non_finite(ax, df)
    _clip_ylim(ax, df, ["d_loss", "g_loss"] + (["d_loss_real", "d_loss_fake"] if components else []), [r.value for r in refs.values()
                                              if r.column in ("d_loss", "g_loss")])
    _symlog_if_exploding(ax, df)
    _style(ax, "loss" + (" (symlog: exploding values)" if ax.get_yscale() == "symlog" else ""),
           f"Losses  (loss: {meta['loss']}, D reduction: {meta['d_loss_reduction']}, "
                       f"EMA span {c['span']:g} steps)")
    ax.legend(**_OUTSIDE)
    return ax


def _mark_non_finite(ax, df) -> None:
    """Divergence must not vanish from a plot: a vertical line where a loss first becomes
    inf (or NaN for good), labelled with the step and how many rows are non-finite."""
    steps = df["step"].to_numpy()
    for col, color, name in (("d_loss", D_COLOR, "D loss"), ("g_loss", G_COLOR, "G loss")):
        v = df[col].to_numpy()    # its own dtype (float32 or float64): no float64 copy of a long run
        finite = np.isfinite(v)
        # NaN may just mean "not logged on this row" (e.g. G steps every n-th iteration);
        # count it only in the trailing stretch after the last finite value (a run gone NaN)
        last = len(v) - 1 - int(np.argmax(finite[::-1])) if finite.any() else -1
        del finite
        bad = np.isinf(v)
        bad[last + 1:] |= np.isnan(v[last + 1:])
        if bad.any():
            first = int(steps[np.argmax(bad)])
            ax.axvline(first, color=color, linestyle="-.", linewidth=1.4, zorder=4,
                       label=f"{name} non-finite from step {first:,} ({int(bad.sum()):,} rows)")


def _finite_values(df, col) -> np.ndarray:
    """The finite values of a column, in its own dtype (float32 or float64)."""
    v = df[col].to_numpy()
    return v[np.isfinite(v)]


def _symlog_if_exploding(ax, df) -> None:
    """Exploding losses (max |loss| > 1000x the 90th percentile of |loss| over the first 10% of
    the run) flatten a linear axis into a line at 0: switch to symlog, linear up to that scale."""
    n_head = max(1, len(df) // 10)
    top, heads = None, []
    for c in ("d_loss", "g_loss"):    # one column at a time: no concatenated float64 copy
        fin = _finite_values(df, c)
        if len(fin):
            m = float(max(fin.max(), -fin.min()))
            top = m if top is None else max(top, m)
        del fin
        head = df[c].to_numpy()[:n_head]
        heads.append(np.abs(head[np.isfinite(head)]).astype(np.float64))
    head = np.concatenate(heads)
    if top is None or len(head) == 0:
        return
    scale = max(float(np.percentile(head, 90)), 1e-6)
    if top > 1000 * scale:
        ax.set_yscale("symlog", linthresh=scale)
        ax.set_ylim(-top * 1.3, top * 1.3)


def _clip_ylim(ax, df, columns, refs=()):
    """Y range: the full range of the finite values, unless a few outliers would flatten the
    rest (range > 4x the 0.5-99.5% quantile range): then the quantile range, and the clipped
    spikes run off the edge. Reference values are always inside."""
    columns = [c for c in columns if c in df.columns]
    counts, lo_all, hi_all = [], None, None
    for c in columns:                 # one column at a time: no concatenated float64 copy
        fin = _finite_values(df, c)
        counts.append(len(fin))
        if len(fin):
            lo_c, hi_c = float(fin.min()), float(fin.max())
            lo_all = lo_c if lo_all is None else min(lo_all, lo_c)
            hi_all = hi_c if hi_all is None else max(hi_all, hi_c)
    total = sum(counts)
    if total == 0:
        return
    # quantiles from a fixed random sample of 400k values (the range decision only; error of
    # the 0.5%/99.5% quantiles ~0.01 percentile points); min/max stay exact. The sample indexes
    # the columns' finite values one after the other, as if concatenated.
    if total <= 400_000:
        sample = np.concatenate([_finite_values(df, c).astype(np.float64) for c in columns])
    else:
        at = np.random.default_rng(0).integers(0, total, 400_000)
        sample = np.empty(len(at))
        offset = 0
        for c, n in zip(columns, counts):
            mine = (at >= offset) & (at < offset + n)
            if mine.any():
                sample[mine] = _finite_values(df, c)[at[mine] - offset]
            offset += n
    lo, hi = np.quantile(sample, [0.005, 0.995])
    if hi_all - lo_all <= 4 * max(hi - lo, 1e-12):
        lo, hi = lo_all, hi_all
    lo, hi = min([lo, *refs]), max([hi, *refs])
    pad = 0.06 * max(hi - lo, 1e-6)
    ax.set_ylim(lo - pad, hi + pad)


def plot_scores(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000, phases=None):
    """D(x) and D(G(z)) before (``d_g_z1``) and after (``d_g_z2``) the D update, smoothed over
    raw, with the healthy bands of :mod:`ganalyze.gan` (D(x) 0.7-0.9, D(G(z)) 0.1-0.4) when the
    scores are probabilities. Critic scores (WGAN, hinge, LSGAN) are drawn without bands. Returns Axes."""
    cols = [c for c in ("d_x", "d_g_z1", "d_g_z2") if prepare.has_values(df, c)]
    prepare.require_columns(df, cols or ["d_x"], "the score plot")
    ax = _axes(ax)
    meta = prepare.run_meta(df)
    shade_phases(ax, _phase_spans(df, phases), strip=True)
    probability = meta["scores"] == "probability"
    if probability:
        band = gan.SCORE_BANDS["d_x"]
        ax.axhspan(band.low, band.high, color=REAL_COLOR, alpha=0.10, zorder=0, label=f"healthy D(x) {band}")
        band = gan.SCORE_BANDS["d_g_z"]
        ax.axhspan(band.low, band.high, color=FAKE_COLOR, alpha=0.08, zorder=0, label=f"healthy D(G(z)) {band}")
    names = {"d_x": ("D(x)", REAL_COLOR), "d_g_z1": ("D(G(z)) before D step", FAKE_COLOR),
             "d_g_z2": ("D(G(z)) after D step (what G saw)", FAKE2_COLOR)}
    span_used = None
    for col in cols:
        label, color = names[col]
        c = _raw_and_smooth(ax, df, col, color, color, label, span, n_columns, raw_alpha=0.18)
        span_used = c["span"]
    if probability:
        ax.set_ylim(-0.02, 1.02)
    _style(ax, "D output" + (" (probability)" if probability else f" ({meta['scores']})"),
           "Discriminator scores" + ("" if probability else "  (not probabilities: no healthy bands)")
           + (f"  (EMA span {span_used:g})" if span_used else ""))
    ax.legend(**_OUTSIDE)
    return ax


def plot_helix(df: pd.DataFrame, ax=None, *, span=None, n_points: int = 600, n_rungs: int = 90,
               assumptions: dict | None = None):
    """The DNA-helix overlay: G and D losses on one scale (:func:`ganalyze.gan.helix_strands`, the
    normalisation the diagnosis' crossing rate uses) as two strands with rungs.

    The gap between the strands is filled blue where D is winning (G's normalised loss above
    D's) and red where G is winning; grey rungs join the strands at ``n_rungs`` steps, and each
    crossing is marked with a dot. A healthy stretch looks like a twisted double helix
    (frequent crossings, anti-correlated strands); a D-dominant one like two separated,
    nearly straight strands. The y range is the strands' robust range (a diverging run's
    strands run off the edge rather than flatten the rest). ``assumptions``: the diagnosis'
    resolved loss type and reduction (see :func:`prepare.helix_frame`). Returns Axes.
    """
    frame, scale = prepare.helix_frame(df, span, n_points, assumptions)
    ax = _axes(ax)
    x, d, g = frame["step"].to_numpy(), frame["d_norm"].to_numpy(), frame["g_norm"].to_numpy()
    by_equilibrium = "z-score" not in scale
    if by_equilibrium:
        ax.axhline(1.0, color="#555555", linestyle="--", linewidth=0.8, alpha=0.6, zorder=1,
                   label="equilibrium (both losses at D = ½)")
    ax.fill_between(x, d, g, where=g >= d, interpolate=True, color=D_COLOR, alpha=0.22, linewidth=0)
    ax.fill_between(x, d, g, where=g < d, interpolate=True, color=G_COLOR, alpha=0.22, linewidth=0)
    rung_idx = np.unique(np.linspace(0, len(x) - 1, min(n_rungs, len(x))).round().astype(int))
    rungs = [[(x[i], d[i]), (x[i], g[i])] for i in rung_idx if np.isfinite(d[i]) and np.isfinite(g[i])]
    ax.add_collection(LineCollection(rungs, colors="#777777", linewidths=0.8, alpha=0.7, zorder=2))
    ax.plot(x, d, color=D_COLOR, linewidth=2.4, zorder=3, label="D loss strand")
    ax.plot(x, g, color=G_COLOR, linewidth=2.4, zorder=3, label="G loss strand")
    sign = np.sign(frame["gap"].to_numpy())
    cross = np.flatnonzero((sign[1:] * sign[:-1]) < 0)
    if len(cross):
        xc = (x[cross] + x[cross + 1]) / 2
        yc = (d[cross] + d[cross + 1] + g[cross] + g[cross + 1]) / 4
        ax.scatter(xc, yc, s=14, color="#222222", zorder=4, label=f"crossings ({len(cross)})")
    handles, labels = ax.get_legend_handles_labels()
    handles += [Patch(color=D_COLOR, alpha=0.3), Patch(color=G_COLOR, alpha=0.3)]
    if by_equilibrium:
        labels += ["D winning (G strand above)", "G winning (D strand above)"]
    else:  # each strand is relative to its own median: the order says "above its usual", not who wins
        labels += ["G strand above (relative to medians)", "D strand above (relative to medians)"]
    ax.legend(handles, labels, **_OUTSIDE)
    _clip_ylim(ax, frame, ["d_norm", "g_norm"], [1.0] if by_equilibrium else [0.0])
    _style(ax, "loss relative to equilibrium" if by_equilibrium else "robust z-score",
           "DNA-helix overlay of the smoothed losses")
    ax.set_title(f"scale: {scale}", loc="right", fontsize=7.5, color="#555555")
    return ax


def _stats_with_steps(stats: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    if "step" not in stats.columns or column not in stats.columns:
        raise GanalyzeError(f"stats: needs columns step and {column} (helix_stats(df) or "
                            f"Diagnosis.helix_stats(df)); have: {', '.join(map(str, stats.columns))}")
    st = stats.dropna(subset=[column])
    return st["step"].to_numpy(), st[column].to_numpy(float)


def plot_crossing_rate(stats: pd.DataFrame, ax=None):
    """The rolling crossing rate of the helix strands (``helix_stats``: share of consecutive
    logged rows between which the strands swap order) over training, with its run mean.
    ``stats``: a per-row ``helix_stats`` table or its two-rows-per-bin form
    (:func:`prepare.helix_table`). Returns Axes."""
    x, y = _stats_with_steps(stats, "crossing_rate")
    ax = _axes(ax, figsize=(11, 1.8))
    ax.plot(*prepare.minmax_decimate(x, y, 2000), color="#333333", linewidth=1.2)
    mean = prepare.helix_mean(stats, "crossing_rate") if len(y) else float("nan")
    top = max(float(np.nanmax(y)) if len(y) else 0.0, 1e-3)
    ax.set_ylim(0, top * 1.15)
    _style(ax, "crossings / row", f"Crossing rate (rolling; run mean {mean:.3g} per logged row)")
    ax.title.set_fontsize(9)
    return ax


def plot_anticorrelation(stats: pd.DataFrame, ax=None):
    """The rolling anti-correlation of the two losses' step-to-step changes (``helix_stats``:
    +1 = when D's loss rises G's falls, the tug of war; 0 = unrelated; -1 = parallel), on its own
    fixed -1..+1 axis. Returns Axes."""
    x, y = _stats_with_steps(stats, "anticorrelation")
    ax = _axes(ax, figsize=(11, 1.8))
    ax.plot(*prepare.minmax_decimate(x, y, 2000), color="#8e24aa", linewidth=1.2)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([-1, 0, 1], ["−1", "0", "+1"])
    mean = prepare.helix_mean(stats, "anticorrelation") if len(y) else float("nan")
    _style(ax, "anti-corr.", f"Anti-correlation of the loss changes (rolling; run mean {mean:+.2f}; "
                             "+1 = tug of war, 0 = unrelated, −1 = parallel)")
    ax.title.set_fontsize(9)
    return ax


def helix_figure(df: pd.DataFrame, stats: pd.DataFrame | None = None, *, span=None, n_points: int = 600,
                 n_rungs: int = 90, assumptions: dict | None = None):
    """The helix strands (:func:`plot_helix`) and, when ``stats`` (``helix_stats(df)``: step,
    crossing_rate, anticorrelation) is given, the crossing rate and the anti-correlation in two
    panels below it, each on its own axis. Returns the Figure."""
    if stats is None:
        fig, ax = plt.subplots(figsize=(11, 3.6), layout="constrained")
        plot_helix(df, ax, span=span, n_points=n_points, n_rungs=n_rungs, assumptions=assumptions)
        return fig
    if "step" not in stats.columns:
        stats = stats.assign(step=df["step"].reindex(stats.index).to_numpy())
    fig, (ax, ax_cr, ax_ac) = plt.subplots(3, 1, figsize=(11, 6.2), sharex=True, layout="constrained",
                                           gridspec_kw={"height_ratios": [3, 1, 1]})
    plot_helix(df, ax, span=span, n_points=n_points, n_rungs=n_rungs, assumptions=assumptions)
    plot_crossing_rate(stats, ax_cr)
    plot_anticorrelation(stats, ax_ac)
    for a in (ax, ax_cr):
        a.set_xlabel("")
    return fig


def plot_phases(df: pd.DataFrame, ax=None, *, phases: pd.Series | None = None):
    """The phase timeline: one coloured bar per contiguous stretch with its label.
    ``phases``: per-row labels (``Diagnosis.phases(df)``) or ``Diagnosis.segments``; computed
    with ``ganalyze.diagnose.diagnose(df)`` when None. Returns Axes."""
    if phases is None:
        from ganalyze.diagnose import diagnose

        phases = diagnose(df).segments
    ax = _axes(ax, figsize=(11, 1.7))
    spans = _phase_spans(df, phases)
    total = max(1, int(df["step"].iloc[-1]) - int(df["step"].iloc[0]) + 1) if len(df) else 1
    seen = []
    for start, end, label in spans:
        ax.broken_barh([(start, end + 1 - start)], (0, 1), color=PHASE_COLORS.get(label, "#999"),
                       alpha=0.85)
        if (end + 1 - start) / total > 0.06:
            ax.text((start + end + 1) / 2, 0.5, label.replace("_", " "), ha="center", va="center",
                    fontsize=8, color="white", fontweight="bold")
        if label not in seen:
            seen.append(label)
    ax.set_yticks([])
    ax.set_ylim(0, 1)
    if len(df):
        lo, hi = float(df["step"].iloc[0]), float(df["step"].iloc[-1]) + 1.0   # floats: no int64 overflow
        ax.set_xlim(lo, hi if hi > lo else lo + max(1.0, abs(lo) * 1e-9))
    ax.set_xlabel("step")
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.set_title("Phase timeline", loc="left", fontsize=11, fontweight="bold")
    ax.legend([Patch(color=PHASE_COLORS.get(s, "#999")) for s in seen], [s.replace("_", " ") for s in seen],
              **{**_OUTSIDE, "ncol": 1 if len(seen) <= 4 else 2})
    return ax


def plot_quantiles(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000):
    """D's per-sample outputs over time for a real and a fake batch (columns d_real_q05/q50/q95,
    d_fake_q05/q50/q95, logged every k steps), smoothed like the losses (debiased EMA, ``span``
    steps): the 5-95% band and the median, the raw median faint. Overlapping bands = D cannot
    tell them apart; separated bands with q95(fake) < q05(real) = D is over-confident. Returns Axes."""
    prepare.require_columns(df, QUANTILE_COLUMNS, "the D-output quantile plot")
    if not df["d_real_q50"].notna().any():
        raise GanalyzeError("df: columns d_real_q05..d_fake_q95 are all NaN; allowed: a run that logged D-output quantiles")
    ax = _axes(ax)
    if span is None:
        span = prepare.default_span(df)
    for kind, color, name in (("real", REAL_COLOR, "real batch"), ("fake", FAKE_COLOR, "fake batch")):
        # the band's edges: smoothed q05 and q95 at the same (evenly thinned) logged steps
        x, _, lo = prepare.smoothed(df, f"d_{kind}_q05", span)
        _, _, hi = prepare.smoothed(df, f"d_{kind}_q95", span)
        keep = np.unique(np.linspace(0, len(x) - 1, min(len(x), n_columns)).round().astype(int))
        ax.fill_between(x[keep], lo[keep], hi[keep], color=color, alpha=0.2, linewidth=0,
                        label=f"D on {name}: 5–95%")
        mid = prepare.curve(df, f"d_{kind}_q50", span, n_columns)
        ax.plot(*mid["raw"], color=color, linewidth=0.6, alpha=0.3, label=f"_raw:d_{kind}_q50")
        ax.plot(*mid["smooth"], color=color, linewidth=1.6, label=f"D on {name}: median")
    meta = prepare.run_meta(df)
    if meta["scores"] == "probability":
        ax.set_ylim(-0.02, 1.02)
    _style(ax, f"D output ({meta['scores']})",
           f"Distribution of D's outputs over training  (EMA span {span:g} steps)")
    ax.legend(**_OUTSIDE)
    return ax


def plot_grads(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000):
    """Gradient norms of G and D (log scale, raw faint + EMA). Returns Axes."""
    have = [c for c in ("grad_norm_d", "grad_norm_g") if prepare.has_values(df, c)]
    prepare.require_columns(df, have or ["grad_norm_d"], "the gradient-norm plot")
    ax = _axes(ax)
    for col, color, light, name in (("grad_norm_d", D_COLOR, D_LIGHT, "‖∇D‖"),
                                    ("grad_norm_g", G_COLOR, G_LIGHT, "‖∇G‖")):
        if col in have:
            _raw_and_smooth(ax, df, col, color, light, name, span, n_columns)
    ax.set_yscale("log")
    _style(ax, "global L2 grad norm (before clipping)", "Gradient norms")
    ax.legend(**_OUTSIDE)
    return ax


def constant_learning_rates(df: pd.DataFrame) -> dict[str, float]:
    """``{"lr_d": value, ...}`` of the logged learning rates when every one is constant over the
    run, else ``{}`` (then they deserve a panel)."""
    out = {}
    for col in ("lr_d", "lr_g"):
        if prepare.has_values(df, col):
            v = df[col].dropna().to_numpy(float)
            if np.nanmax(v) - np.nanmin(v) > 1e-12 * max(abs(np.nanmax(v)), 1e-30):
                return {}
            out[col] = float(v[0])
    return out


def plot_learning_rates(df: pd.DataFrame, ax=None, *, n_columns: int = 2000):
    """The logged learning rates (``lr_d`` solid, ``lr_g`` dashed) over training. Returns Axes."""
    lrs = [c for c in ("lr_d", "lr_g") if prepare.has_values(df, c)]
    prepare.require_columns(df, lrs or ["lr_d"], "the learning-rate plot")
    ax = _axes(ax, figsize=(4, 3.2))
    for col, color, name in (("lr_d", D_COLOR, "lr D"), ("lr_g", G_COLOR, "lr G")):
        if col in lrs:
            x, y = prepare.minmax_decimate(df["step"].to_numpy(), df[col].to_numpy(float), n_columns)
            ax.plot(x, y, color=color, linewidth=1.6, label=name, linestyle="-" if col == "lr_d" else "--")
    _style(ax, "learning rate", "Learning rates")
    ax.legend(fontsize=8)
    ax.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
    return ax


def grads_figure(df: pd.DataFrame, *, span=None, n_columns: int = 2000):
    """Gradient norms (:func:`plot_grads`) beside the learning rates (:func:`plot_learning_rates`)
    when these change during the run; constant (or unlogged) learning rates are stated in the
    title instead of a flat panel. Returns the Figure."""
    constant = constant_learning_rates(df)
    changing = not constant and any(prepare.has_values(df, c) for c in ("lr_d", "lr_g"))
    if changing:
        fig, (ax, ax_lr) = plt.subplots(1, 2, figsize=(11, 3.2), layout="constrained",
                                        gridspec_kw={"width_ratios": [3, 1.3]})
        plot_learning_rates(df, ax_lr, n_columns=n_columns)
    else:
        fig, ax = plt.subplots(figsize=(11, 3.0), layout="constrained")
    plot_grads(df, ax, span=span, n_columns=n_columns)
    if constant:
        names = {"lr_d": "D", "lr_g": "G"}
        ax.set_title("learning rates constant: " + ", ".join(f"{names[k]} {v:.3g}" for k, v in constant.items()),
                     loc="right", fontsize=8.5, color="#555555")
    elif not changing:
        ax.set_title("learning rates not logged", loc="right", fontsize=8.5, color="#555555")
    return fig


def _sample_image(path):
    """A sample grid through the validation layer (size checked from the header before decoding);
    one corrupt past its header becomes a grey 'unreadable' tile with a warning, not a failed report."""
    try:
        return safe_image(path, "sample grid")
    except GanalyzeError as err:
        warnings.warn(f"skipping {err}", stacklevel=3)
        tile = np.full((64, 64), 0.5)
        tile[28:36, 8:56] = 0.2
        return tile


def plot_samples(grids: list[tuple[int, Path]], ax=None, *, columns: int | None = None, label_steps: bool = True):
    """Fixed-noise sample grids over training (``prepare.sample_grids(run_dir)``) as one mosaic in
    one Axes, in step order, ``columns`` per row (default: all in one row up to 6, else rows of 4),
    each labelled with its step under it (``label_steps=False`` for images that carry their own
    title, e.g. ring8 scatters). Returns Axes."""
    if not grids:
        raise GanalyzeError("grids: got no sample grids; allowed: a run directory with samples/step_*.png")
    images = [(step, _sample_image(path)) for step, path in grids]
    columns = columns or (len(images) if len(images) <= 6 else 4)
    rows = int(np.ceil(len(images) / columns))
    h = max(im.shape[0] for _, im in images)
    w = max(im.shape[1] for _, im in images)
    gap, label_h = 0.04 * w, (0.12 * h if label_steps else 0.0)
    if ax is None:
        fig_w = 11.0
        fig_h = fig_w * rows * (h + label_h + gap) / (columns * (w + gap)) + 0.4
        _, ax = plt.subplots(figsize=(fig_w, min(fig_h, 14)), layout="constrained")
    for i, (step, im) in enumerate(images):
        r, c = divmod(i, columns)
        x0, y0 = c * (w + gap), r * (h + label_h + gap)
        ax.imshow(im, cmap="gray", interpolation="nearest",
                  extent=(x0, x0 + im.shape[1], y0 + im.shape[0], y0))
        if label_steps:
            ax.text(x0 + im.shape[1] / 2, y0 + im.shape[0] + label_h * 0.15, f"step {step:,}",
                    ha="center", va="top", fontsize=9)
    ax.set_xlim(-gap / 2, columns * (w + gap) - gap / 2)
    ax.set_ylim(rows * (h + label_h + gap) - gap / 2, -gap / 2)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def samples_figure(grids: list[tuple[int, Path]], *, total: int | None = None, label_steps: bool = True):
    """The sample mosaic (:func:`plot_samples`) with a title that says how many grids it shows
    of the ``total`` the run logged (all, or an even subset keeping the first and the last).
    Returns the Figure."""
    ax = plot_samples(grids, label_steps=label_steps)
    total = total or len(grids)
    which = (f"all {total} logged grids" if total == len(grids)
             else f"{len(grids)} of {total} logged grids, evenly spaced (first and last kept)")
    ax.set_title(f"Fixed-noise samples over training ({which})", loc="left", fontsize=11, fontweight="bold")
    return ax.figure


COMPARE_NAMES = {"d_loss": "D loss", "g_loss": "G loss", "d_x": "D(x)", "d_g_z1": "D(G(z)) before D step"}


def plot_compare(runs: dict[str, pd.DataFrame], column: str, ax=None, *, span=None, n_columns: int = 2000,
                 legend: bool = True):
    """One smoothed series of several runs overlaid (one colour per run, in ``runs`` order),
    raw faint. Returns Axes."""
    ax = _axes(ax, figsize=(6.5, 3.4))
    palette = plt.get_cmap("tab10")
    for i, (name, df) in enumerate(runs.items()):
        if prepare.has_values(df, column):
            c = prepare.curve(df, column, span, n_columns)
            ax.plot(*c["raw"], color=palette(i % 10), linewidth=0.5, alpha=0.2)
            ax.plot(*c["smooth"], color=palette(i % 10), linewidth=1.8, label=name)
    name = COMPARE_NAMES.get(column, column)
    _style(ax, name, name)
    if legend:
        ax.legend(fontsize=8, loc="upper right")
    return ax


def compare_figure(runs: dict[str, pd.DataFrame], columns=("d_loss", "g_loss", "d_x", "d_g_z1"), *,
                   span=None, n_columns: int = 2000):
    """Small multiples: one panel per column (:func:`plot_compare`) that at least two runs logged,
    side by side in rows of two, one legend for all (EMA, raw faint). Returns the Figure."""
    cols = [c for c in columns if sum(prepare.has_values(df, c) for df in runs.values()) >= 2]
    if not cols:
        raise GanalyzeError(f"runs: no column of {', '.join(columns)} is logged by two runs; "
                            "allowed: runs that share a column")
    n_rows = int(np.ceil(len(cols) / 2))
    fig, axes = plt.subplots(n_rows, 2 if len(cols) > 1 else 1, figsize=(11, 2.9 * n_rows + 0.5),
                             layout="constrained", squeeze=False)
    for a, col in zip(axes.flat, cols):
        plot_compare(runs, col, a, span=span, n_columns=n_columns, legend=False)
    for a in list(axes.flat)[len(cols):]:
        a.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncol=min(len(labels), 5), fontsize=9, frameon=False)
    return fig
