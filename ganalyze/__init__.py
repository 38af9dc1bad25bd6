"""ganalyze: an analysis toolkit for logged GAN training runs.

Public API (imported lazily so ``import ganalyze`` stays cheap):

- :func:`read_run`, :func:`read_runs`, :class:`RunLogger`, :func:`write_run` (``ganalyze.runlog``)
- :func:`diagnose` (``ganalyze.diagnose``)

Importing ``ganalyze`` registers the ``df.gan`` pandas accessor: at once when pandas is already
imported, otherwise as soon as pandas is (so ``ganalyze --help`` never pays for pandas).
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

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


class _AccessorOnPandasImport(importlib.abc.MetaPathFinder):
    """Registers ``df.gan`` right after pandas finishes importing (a one-shot import hook)."""

    def find_spec(self, fullname, _path=None, _target=None):
        if fullname != "pandas":
            return None
        sys.meta_path.remove(self)                   # one shot; the normal finders do the work
        spec = importlib.util.find_spec("pandas")
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_register(module):
            exec_module(module)
            importlib.import_module("ganalyze.accessor")

        spec.loader.exec_module = exec_then_register
        return spec


if "pandas" in sys.modules:
    from ganalyze import accessor as _accessor  # noqa: F401  registers df.gan
elif not any(isinstance(f, _AccessorOnPandasImport) for f in sys.meta_path):
    sys.meta_path.insert(0, _AccessorOnPandasImport())
