"""The report's figures. Each takes a run DataFrame (+ optional Axes) and returns matplotlib
objects; nothing here reads files except :func:`plot_samples` (which reads the run's PNG grids).

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

from ganalyze.report import prepare  # noqa: E402
from ganalyze.errors import GanalyzeError  # noqa: E402
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
        v = df[col].to_numpy(dtype=np.float64)
        finite = np.isfinite(v)
        # NaN may just mean "not logged on this row" (e.g. G steps every n-th iteration);
        # count it only in the trailing stretch after the last finite value (a run gone NaN)
        last = np.flatnonzero(finite)[-1] if finite.any() else -1
        bad = np.isinf(v) | (np.isnan(v) & (np.arange(len(v)) > last))
        if bad.any():
            first = int(steps[np.argmax(bad)])
            ax.axvline(first, color=color, linestyle="-.", linewidth=1.4, zorder=4,
                       label=f"{name} non-finite from step {first:,} ({int(bad.sum()):,} rows)")


def _symlog_if_exploding(ax, df) -> None:
    """Exploding losses (max |loss| > 1000x the 90th percentile of |loss| over the first 10% of
    the run) flatten a linear axis into a line at 0: switch to symlog, linear up to that scale."""
    vals = np.concatenate([df[c].to_numpy(dtype=np.float64) for c in ("d_loss", "g_loss")])
    head = np.concatenate([df[c].to_numpy(dtype=np.float64)[: max(1, len(df) // 10)] for c in ("d_loss", "g_loss")])
    vals, head = np.abs(vals[np.isfinite(vals)]), np.abs(head[np.isfinite(head)])
    if len(vals) == 0 or len(head) == 0:
        return
    scale = max(float(np.percentile(head, 90)), 1e-6)
    if vals.max() > 1000 * scale:
        ax.set_yscale("symlog", linthresh=scale)
        ax.set_ylim(-vals.max() * 1.3, vals.max() * 1.3)


def _clip_ylim(ax, df, columns, refs=()):
    """Y range: the full range of the finite values, unless a few outliers would flatten the
    rest (range > 4x the 0.5-99.5% quantile range): then the quantile range, and the clipped
    spikes run off the edge. Reference values are always inside."""
    vals = np.concatenate([df[c].to_numpy(dtype=np.float64) for c in columns if c in df.columns])
    vals = vals[np.isfinite(vals)]
    if len(vals) == 0:
        return
    # quantiles from a fixed random sample of 400k values (the range decision only; error of
    # the 0.5%/99.5% quantiles ~0.01 percentile points); min/max stay exact
    sample = vals if len(vals) <= 400_000 else vals[np.random.default_rng(0).integers(0, len(vals), 400_000)]
    lo, hi = np.quantile(sample, [0.005, 0.995])
    if vals.max() - vals.min() <= 4 * max(hi - lo, 1e-12):
        lo, hi = vals.min(), vals.max()
    lo, hi = min([lo, *refs]), max([hi, *refs])
    pad = 0.06 * max(hi - lo, 1e-6)
    ax.set_ylim(lo - pad, hi + pad)


def plot_scores(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000, phases=None):
    """D(x) and D(G(z)) before (``d_g_z1``) and after (``d_g_z2``) the D update, smoothed over
    raw, with seed 000's healthy bands (D(x) 0.7-0.9, D(G(z)) 0.1-0.4) when the scores are
    probabilities. Critic scores (WGAN, hinge, LSGAN) are drawn without bands. Returns Axes."""
    cols = [c for c in ("d_x", "d_g_z1", "d_g_z2") if prepare.has_values(df, c)]
    prepare.require_columns(df, cols or ["d_x"], "the score plot")
    ax = _axes(ax)
    meta = prepare.run_meta(df)
    shade_phases(ax, _phase_spans(df, phases), strip=True)
    probability = meta["scores"] == "probability"
    if probability:
        lo, hi = prepare.SCORE_BANDS["d_x"]
        ax.axhspan(lo, hi, color=REAL_COLOR, alpha=0.10, zorder=0, label=f"healthy D(x) {lo}–{hi}")
        lo, hi = prepare.SCORE_BANDS["d_g_z"]
        ax.axhspan(lo, hi, color=FAKE_COLOR, alpha=0.08, zorder=0, label=f"healthy D(G(z)) {lo}–{hi}")
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
               stats: pd.DataFrame | None = None):
    """The DNA-helix overlay: G and D losses on a common scale as two strands with rungs.

    The gap between the strands is filled blue where D is winning (G's normalised loss above
    D's) and red where G is winning; grey rungs join the strands at ``n_rungs`` steps, and each
    crossing is marked with a dot. A healthy stretch looks like a twisted double helix
    (frequent crossings, anti-correlated strands); a D-dominant one like two separated,
    nearly straight strands. When ``stats`` (``helix_stats(df)``: crossing_rate,
    anticorrelation per step) is given, a lower panel shows them. Returns the Figure.
    """
    frame, scale = prepare.helix_frame(df, span, n_points)
    if stats is not None and "step" not in stats.columns:
        stats = stats.assign(step=df["step"].reindex(stats.index).to_numpy())
    if ax is None:
        if stats is not None:
            fig, (ax, ax_stats) = plt.subplots(2, 1, figsize=(11, 4.8), sharex=True, layout="constrained",
                                               gridspec_kw={"height_ratios": [3, 1.2]})
        else:
            fig, ax = plt.subplots(figsize=(11, 3.6), layout="constrained")
            ax_stats = None
    else:
        fig, ax_stats = ax.figure, None
    x, d, g = frame["step"].to_numpy(), frame["d_norm"].to_numpy(), frame["g_norm"].to_numpy()
    if "equilibrium" in scale:
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
    if "equilibrium" in scale:
        labels += ["D winning (G strand above)", "G winning (D strand above)"]
    else:  # each strand is relative to its own median: the order says "above its usual", not who wins
        labels += ["G strand above (relative to medians)", "D strand above (relative to medians)"]
    ax.legend(handles, labels, **_OUTSIDE)
    title = "DNA-helix overlay of the smoothed losses"
    if stats is not None and len(stats):
        cr = _mean_or_nan(stats, "crossing_rate")   # NaN, not a warning, for a run too short for windows
        ac = _mean_or_nan(stats, "anticorrelation")
        title += f"   mean crossing rate {cr:.3g}, mean anti-correlation {ac:+.2f}"
    _style(ax, "normalised loss", title)
    if ax_stats is None:
        ax.set_title(f"scale: {scale}", loc="right", fontsize=7.5, color="#555555")
    if ax_stats is not None and stats is not None:
        st = stats.dropna(how="all", subset=[c for c in ("crossing_rate", "anticorrelation") if c in stats])
        if "crossing_rate" in st:
            ax_stats.plot(*prepare.minmax_decimate(st["step"].to_numpy(), st["crossing_rate"].to_numpy(float), 2000),
                          color="#333333", linewidth=1.2,
                          label="crossing rate (share of logged rows where the strands swap, rolling)")
        ax_stats.set_ylabel("crossing rate")
        if "anticorrelation" in st:
            ax2 = ax_stats.twinx()
            ax2.plot(*prepare.minmax_decimate(st["step"].to_numpy(), st["anticorrelation"].to_numpy(float), 2000),
                     color="#8e24aa", linewidth=1.2,
                     label="anti-correlation (−corr of G and D loss changes, rolling)")
            ax2.set_ylim(-1.05, 1.05)
            ax2.axhline(0, color="#8e24aa", linewidth=0.6, alpha=0.4)
            ax2.set_ylabel("anti-corr.", color="#8e24aa")
            h1, l1 = ax_stats.get_legend_handles_labels()
            h2, l2 = ax2.get_legend_handles_labels()
            ax_stats.legend(h1 + h2, l1 + l2, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=7.5,
                            frameon=False, borderaxespad=0)
        _style(ax_stats, "crossing rate")
        ax.set_xlabel("")
        ax_stats.set_title(f"scale: {scale}", loc="left", fontsize=8, color="#555555")
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


QUANTILE_COLUMNS = ("d_real_q05", "d_real_q50", "d_real_q95", "d_fake_q05", "d_fake_q50", "d_fake_q95")


def plot_quantiles(df: pd.DataFrame, ax=None, *, n_columns: int = 2000):
    """D's per-sample outputs over time: median line and 5-95% band for a real and a fake
    batch (columns d_real_q05/q50/q95, d_fake_q05/q50/q95, logged every k steps). Overlapping
    bands = D cannot tell them apart; separated bands with q95(fake) < q05(real) = D is
    over-confident. Returns Axes."""
    prepare.require_columns(df, QUANTILE_COLUMNS, "the D-output quantile plot")
    sub = df.loc[df["d_real_q50"].notna(), ["step", *QUANTILE_COLUMNS]]
    if sub.empty:
        raise GanalyzeError("df: columns d_real_q05..d_fake_q95 are all NaN; allowed: a run that logged D-output quantiles")
    ax = _axes(ax)
    # long runs: min/max per pixel column (the x of every reduced column is the same for all
    # three quantiles, so the band's edges stay paired)
    steps = sub["step"].to_numpy()
    red = {c: prepare.minmax_decimate(steps, sub[c].to_numpy(float), n_columns) for c in QUANTILE_COLUMNS}
    for kind, color, name in (("real", REAL_COLOR, "real batch"), ("fake", FAKE_COLOR, "fake batch")):
        x, lo = red[f"d_{kind}_q05"]
        ax.fill_between(x, lo, red[f"d_{kind}_q95"][1], color=color, alpha=0.2,
                        linewidth=0, label=f"D on {name}: 5–95%")
        ax.plot(*red[f"d_{kind}_q50"], color=color, linewidth=1.6, label=f"D on {name}: median")
    meta = prepare.run_meta(df)
    if meta["scores"] == "probability":
        ax.set_ylim(-0.02, 1.02)
    _style(ax, f"D output ({meta['scores']})", "Distribution of D's outputs over training")
    ax.legend(**_OUTSIDE)
    return ax


def plot_grads(df: pd.DataFrame, ax=None, *, span=None, n_columns: int = 2000):
    """Gradient norms of G and D (log scale, raw faint + EMA) and, on a second axis, the
    learning rates when logged. Returns the Figure (two Axes)."""
    have = [c for c in ("grad_norm_d", "grad_norm_g") if prepare.has_values(df, c)]
    lrs = [c for c in ("lr_d", "lr_g") if prepare.has_values(df, c)]
    prepare.require_columns(df, have or ["grad_norm_d"], "the gradient-norm plot")
    if ax is None:
        fig, (ax, ax_lr) = plt.subplots(1, 2, figsize=(11, 3.2), layout="constrained",
                                        gridspec_kw={"width_ratios": [3, 1.3]})
    else:
        fig, ax_lr = ax.figure, None
    for col, color, light, name in (("grad_norm_d", D_COLOR, D_LIGHT, "‖∇D‖"),
                                    ("grad_norm_g", G_COLOR, G_LIGHT, "‖∇G‖")):
        if col in have:
            _raw_and_smooth(ax, df, col, color, light, name, span, n_columns)
    ax.set_yscale("log")
    _style(ax, "global L2 grad norm (before clipping)", "Gradient norms")
    ax.legend(loc="upper right", fontsize=8)
    if ax_lr is not None:
        for col, color, name in (("lr_d", D_COLOR, "lr D"), ("lr_g", G_COLOR, "lr G")):
            if col in lrs:
                x, y = prepare.minmax_decimate(df["step"].to_numpy(), df[col].to_numpy(float), n_columns)
                ax_lr.plot(x, y, color=color, linewidth=1.6, label=name,
                           linestyle="-" if col == "lr_d" else "--")
        _style(ax_lr, "learning rate", "Learning rates")
        if lrs:
            ax_lr.legend(fontsize=8)
            ax_lr.ticklabel_format(axis="y", style="sci", scilimits=(-3, 3))
        else:
            ax_lr.text(0.5, 0.5, "not logged", ha="center", va="center", transform=ax_lr.transAxes)
    return fig


def _mean_or_nan(frame, column: str) -> float:
    """Mean of the finite values of ``frame[column]``; NaN when the column is absent or has none."""
    if column not in frame:
        return float("nan")
    x = np.asarray(frame[column], dtype=np.float64)
    x = x[np.isfinite(x)]
    return float(x.mean()) if len(x) else float("nan")


def plot_samples(grids: list[tuple[int, Path]], ax=None, *, columns: int = 4):
    """Fixed-noise sample grids over training (``prepare.sample_grids(run_dir)``), one panel
    per logged step, titled with the step. Returns the Figure."""
    if not grids:
        raise GanalyzeError("grids: got no sample grids; allowed: a run directory with samples/step_*.png")
    rows = int(np.ceil(len(grids) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(11, 2.9 * rows), layout="constrained", squeeze=False)
    for a in axes.flat:
        a.axis("off")
    for a, (step, path) in zip(axes.flat, grids):
        try:
            a.imshow(safe_image(path, "sample grid"), cmap="gray", interpolation="nearest")
        except GanalyzeError as err:   # corrupt past its header: the panel says so, the report goes on
            warnings.warn(f"skipping {err}", stacklevel=2)
            a.text(0.5, 0.5, "unreadable", ha="center", va="center", transform=a.transAxes)
        a.set_title(f"step {step}", fontsize=9)
    fig.suptitle("Fixed-noise samples over training", x=0.01, ha="left", fontsize=11, fontweight="bold")
    return fig


def plot_compare(runs: dict[str, pd.DataFrame], column: str, ax=None, *, span=None, n_columns: int = 2000):
    """One smoothed series of several runs overlaid (one colour per run). Returns Axes."""
    ax = _axes(ax, figsize=(6.5, 3.4))
    palette = plt.get_cmap("tab10")
    for i, (name, df) in enumerate(runs.items()):
        if prepare.has_values(df, column):
            c = prepare.curve(df, column, span, n_columns)
            ax.plot(*c["raw"], color=palette(i % 10), linewidth=0.5, alpha=0.2)
            ax.plot(*c["smooth"], color=palette(i % 10), linewidth=1.8, label=name)
    name = {"d_loss": "D loss", "g_loss": "G loss", "d_x": "D(x)", "d_g_z1": "D(G(z)) before D step"}.get(column, column)
    _style(ax, name, f"{name}: runs compared (EMA, raw faint)")
    ax.legend(fontsize=8, loc="upper right")
    return ax
