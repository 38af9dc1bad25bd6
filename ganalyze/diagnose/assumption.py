"""One thing a diagnosis assumes about a run, with where it came from and why (:class:`Assumption`): what
:func:`ganalyze.diagnose.metadata.infer_metadata` resolves, and what the loss-family and sum-vs-mean inference
(:mod:`~.loss_family`, :mod:`~.reduction`) return.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Assumption:
    """One thing the diagnosis assumes: ``name`` (``loss``, ``d_loss_reduction``, ``scores``,
    ``log_every``, ``averaged``, ``critic_scale``), its ``value``, its ``source`` (``declared``:
    the user said so; ``file``: the run's metadata or columns say so; ``guess``: inferred from the
    numbers) and the ``reason`` in one sentence."""

    name: str
    value: object
    source: str
    reason: str

    def to_dict(self) -> dict:
        v = self.value
        if isinstance(v, (np.floating, float)):
            v = float(v) if np.isfinite(v) else None
        elif isinstance(v, (np.integer,)):
            v = int(v)
        elif isinstance(v, np.bool_):
            v = bool(v)
        return {"name": self.name, "value": v, "source": self.source, "reason": self.reason}
