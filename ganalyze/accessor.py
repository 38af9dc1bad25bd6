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
        accepted aliases, non-numeric values, duplicate steps, bad metadata values).
        """
        from ganalyze.runlog.schema import normalise_meta, validate_frame

        frame = validate_frame(self._df, source="df")
        frame.attrs = normalise_meta(dict(self._df.attrs))
        return frame

    # ---- diagnose --------------------------------------------------------------------

    # ---- report ----------------------------------------------------------------------
