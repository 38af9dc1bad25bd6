"""Notebook helper: redraw a run's figures every N seconds while it is being written.

The ``live_plot`` of [practitioner-loss-curves] cleared the output and redrew the last 1,000 losses every 100
iterations from inside the training loop. Here the figures are drawn from the run on disk
(``run.parquet`` and the logger's ``run.parquet.parts/``), so the training process is not
touched and a run written by another process (or killed) can be watched as well.

>>> live_plot("runs/x", every_s=10)            # doctest: +SKIP  (in a Jupyter cell)
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from ganalyze.errors import GanalyzeError


@dataclass(frozen=True)
class LiveConfig:
    """every_s: seconds between redraws; last_steps: show only the last N steps (None = all),
    like that post's ``[-1000:]``; figures: which of "losses", "scores", "helix" to draw."""

    every_s: float = 10.0
    last_steps: int | None = None
    figures: tuple[str, ...] = ("losses", "scores", "helix")


def _show_default(fig) -> None:
    try:
        from IPython.display import clear_output, display
    except ImportError:  # plain Python: nothing to refresh, the caller gets the Figure
        return
    clear_output(wait=True)
    display(fig)


def draw_live(df, config: LiveConfig = LiveConfig()):
    """One frame: the chosen figures of ``df`` stacked in one Figure (rows). Returns it."""
    import matplotlib.pyplot as plt

    from ganalyze.report import plots

    allowed = ("losses", "scores", "helix")
    bad = [f for f in config.figures if f not in allowed]
    if bad or not config.figures:
        raise GanalyzeError(f"figures: got {config.figures!r}; allowed: a non-empty subset of {allowed}")
    if config.last_steps is not None:
        df = df[df["step"] > df["step"].iloc[-1] - config.last_steps].reset_index(drop=True)
    names = [f for f in config.figures if f != "scores" or any(c in df for c in ("d_x", "d_g_z1"))]
    fig, axes = plt.subplots(len(names), 1, figsize=(11, 3.2 * len(names)), layout="constrained", squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        getattr(plots, f"plot_{name}")(df, ax)
    fig.suptitle(f"live: {len(df):,} rows, last step {int(df['step'].iloc[-1]):,}", x=0.01, ha="left", fontsize=10)
    return fig


def live_plot(path, every_s: float | None = None, *, n_updates: int | None = None,
              config: LiveConfig = LiveConfig(), show=_show_default):
    """Redraw the run at ``path`` every ``every_s`` seconds (``n_updates`` times, or until
    interrupted with Ctrl-C / the notebook's stop button). ``show(fig)`` displays a frame
    (default: IPython's clear_output + display). A frame where the run has no rows yet is
    skipped. Returns the last Figure drawn (or None)."""
    import matplotlib.pyplot as plt

    from ganalyze.runlog import read_run

    every_s = config.every_s if every_s is None else float(every_s)
    if not every_s > 0:
        raise GanalyzeError(f"every_s: got {every_s!r}; allowed: seconds > 0")
    fig, done = None, 0
    try:
        while n_updates is None or done < n_updates:
            if done:
                time.sleep(every_s)
            done += 1
            df = read_run(path)
            if len(df) == 0:
                continue
            if fig is not None:
                plt.close(fig)
            fig = draw_live(df, config)
            show(fig)
    except KeyboardInterrupt:
        pass
    return fig
