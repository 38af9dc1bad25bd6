"""ganalyze: an analysis toolkit for logged GAN training runs.

Public API (imported lazily so ``import ganalyze`` stays cheap):

- :func:`read_run`, :func:`read_runs`, :class:`RunLogger`, :func:`write_run` (``ganalyze.runlog``)
- :func:`diagnose` (``ganalyze.diagnose``)

Importing ``ganalyze`` registers the ``df.gan`` pandas accessor.
"""
from __future__ import annotations

__version__ = "0.1.0"

from ganalyze import accessor as _accessor  # noqa: E402,F401  registers df.gan (pandas only, no torch)

_LAZY = {
    "read_run": "ganalyze.runlog",
    "read_runs": "ganalyze.runlog",
    "write_run": "ganalyze.runlog",
    "RunLogger": "ganalyze.runlog",
    "diagnose": "ganalyze.diagnose",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ganalyze' has no attribute {name!r}")
