"""The logged columns ``ganalyze report`` reads, so that a long run's other columns stay on disk.

The report draws the losses (and D's loss on real / fake), D's scores, D's output quantiles,
the gradient norms and learning rates, states the wall time, and diagnoses the run (the
diagnosis' own columns, :func:`ganalyze.diagnose.inputs.diagnose_columns`). Every other column
only needs its name (the header lists the columns logged). No pandas or matplotlib import.
"""
from __future__ import annotations

from ganalyze.diagnose.inputs import diagnose_columns

#: D's per-sample output quantiles on a real and a fake batch (the quantile plot).
QUANTILE_COLUMNS = ("d_real_q05", "d_real_q50", "d_real_q95", "d_fake_q05", "d_fake_q50", "d_fake_q95")

#: The columns the report's figures and header read (besides the diagnosis' own).
DRAWN = ("step", "d_loss", "g_loss", "d_loss_real", "d_loss_fake", "d_x", "d_g_z1", "d_g_z2",
         *QUANTILE_COLUMNS, "grad_norm_d", "grad_norm_g", "lr_d", "lr_g", "time_s")


def report_columns(names) -> list[str]:
    """The names among ``names`` that the report reads (in their order)."""
    diagnosed = set(diagnose_columns(names))
    return [n for n in names if n in DRAWN or n in diagnosed]


class ColumnPick:
    """``keep=`` for :func:`ganalyze.runlog.readers.read_runs` that picks :func:`report_columns`
    and remembers every name it was offered, in order: ``unread`` are those it left out
    (present in the log, not read), so the header can still name them (as logged: whether an
    unread column holds any value is not known without reading it)."""

    def __init__(self) -> None:
        self.offered: list[str] = []

    def __call__(self, names) -> list[str]:
        for n in names:
            if n not in self.offered:
                self.offered.append(n)
        return report_columns(names)

    def unread(self, read) -> list[str]:
        """The offered names not among ``read`` (the columns of the frame that was read)."""
        read = set(read)
        return [n for n in self.offered if n not in read]
