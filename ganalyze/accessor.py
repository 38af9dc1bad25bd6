"""The ``df.gan`` pandas accessor: run metadata, smoothing, validation.

``import ganalyze`` registers it. Each subpackage adds its methods in the marked section
below, importing its own code lazily inside the method so that registering stays cheap.
"""
from __future__ import annotations

import pandas as pd


@pd.api.extensions.register_dataframe_accessor("gan")
class GanAccessor:
    """``df.gan.meta``, ``df.gan.smooth(span)``, ``df.gan.validate()`` (+ per-subpackage methods)."""

    def __init__(self, df: pd.DataFrame):
        self._df = df

    # ---- runlog ----------------------------------------------------------------------
    @property
    def meta(self) -> dict:
        """The run's metadata (``df.attrs``) with defaults filled in (docs/run_format.md)."""
        from ganalyze.runlog.schema import normalise_meta

        return normalise_meta(dict(self._df.attrs))

    def smooth(self, span: float, columns=None) -> pd.DataFrame:
        """Debiased, step-aware EMA of the numeric columns (all but ``step``), ``span`` in steps.

        Returns a new DataFrame with ``step`` and the smoothed columns; see
        :func:`ganalyze.runlog.smooth.debiased_ema` for the formula.
        """
        from ganalyze.errors import GanalyzeError
        from ganalyze.runlog.smooth import debiased_ema

        df = self._df
        if "step" not in df.columns:
            raise GanalyzeError("df: no 'step' column; allowed: a run DataFrame from read_run")
        if columns is None:
            columns = [c for c in df.columns if c != "step" and pd.api.types.is_numeric_dtype(df[c].dtype)]
        elif isinstance(columns, str):
            columns = [columns]
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise GanalyzeError(f"columns: {', '.join(missing)} not in the run; have: {', '.join(map(str, df.columns))}")
        steps = df["step"].to_numpy()
        out = pd.DataFrame({"step": df["step"].to_numpy()}, index=df.index)
        for col in columns:
            out[col] = debiased_ema(df[col].to_numpy(dtype="float64"), steps, span)
        out.attrs = dict(df.attrs)
        return out

    def validate(self) -> pd.DataFrame:
        """Check the frame against the run format; return the normalised frame.

        Raises GanalyzeError naming the problem (missing required columns and their
        accepted aliases, non-numeric values, duplicate steps, bad metadata values); the same
        checks as every reader (:func:`ganalyze.validate.validate_frame`).
        """
        from ganalyze.runlog.schema import normalise_meta
        from ganalyze.validate import validate_frame

        frame = validate_frame(self._df, source="df")
        frame.attrs = normalise_meta(dict(self._df.attrs))
        return frame

    # ---- diagnose --------------------------------------------------------------------
    def diagnose(self, **kw):
        """``ganalyze.diagnose.diagnose(df, **kw)``: phases and pathologies with evidence and advice."""
        from ganalyze.diagnose import diagnose

        return diagnose(self._df, **kw)

    def phases(self, **kw) -> pd.Series:
        """One diagnosis label per row, aligned with the frame's index (``diagnose(df).phases(df)``)."""
        from ganalyze.diagnose import diagnose

        return diagnose(self._df, **kw).phases(self._df)

    # ---- report ----------------------------------------------------------------------
    @property
    def plot(self) -> "_PlotNamespace":
        """``df.gan.plot.losses()``, ``.scores()``, ``.helix()``, ``.phases()``, ``.quantiles()``,
        ``.grads()``: the report's axes-level figures (``ganalyze.report.plots.plot_*``, same keyword
        arguments), each drawing into ``ax`` and returning that Axes; ``.helix_figure(stats)``
        returns a Figure."""
        return _PlotNamespace(self._df)


class _PlotNamespace:
    """The ``df.gan.plot`` namespace (report figures of one run DataFrame)."""

    def __init__(self, df: pd.DataFrame):
        self._df = df

    def losses(self, ax=None, **kw):
        from ganalyze.report.plots import plot_losses

        return plot_losses(self._df, ax, **kw)

    def scores(self, ax=None, **kw):
        from ganalyze.report.plots import plot_scores

        return plot_scores(self._df, ax, **kw)

    def helix(self, ax=None, **kw):
        from ganalyze.report.plots import plot_helix

        return plot_helix(self._df, ax, **kw)

    def phases(self, ax=None, **kw):
        from ganalyze.report.plots import plot_phases

        return plot_phases(self._df, ax, **kw)

    def quantiles(self, ax=None, **kw):
        from ganalyze.report.plots import plot_quantiles

        return plot_quantiles(self._df, ax, **kw)

    def grads(self, ax=None, **kw):
        from ganalyze.report.plots import plot_grads

        return plot_grads(self._df, ax, **kw)

    def helix_figure(self, stats=None, **kw):
        from ganalyze.report.plots import helix_figure

        return helix_figure(self._df, stats, **kw)
