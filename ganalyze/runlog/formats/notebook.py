"""Jupyter notebooks (``.ipynb``): the training prints live in the code cells' stream outputs.

The outputs of all code cells, in cell order, are joined into one text and read as a
console log or loss_log (``ganalyze.runlog.formats.console`` / ``cyclegan``); the result's
``source_format`` is ``notebook/<format of the text>``. Where a later training cell starts its
steps again (a second training run, a quick test after the real one), the cells up to it and
from it on are separate runs, named ``cell<N>`` after their first cell (``--pair cellN``), not a
resume whose rows would replace the earlier run's.
"""
from __future__ import annotations

import json


def looks_like_notebook(head: str) -> bool:
    """A JSON object that names ``cells`` near its start (nbformat 4 writes it first)."""
    return head.lstrip().startswith("{") and '"cells"' in head


def cell_texts(raw: str) -> list[tuple[int, str]]:
    """``(cell number, printed output)`` of every code cell with output (stream outputs, and the
    text/plain of results), in order; cell numbers count all cells from 1, as Jupyter shows them
    top to bottom. Raises ValueError when ``raw`` is not a notebook."""
    doc = json.loads(raw)
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
        raise ValueError("no 'cells' list")
    cells = []
    for k, cell in enumerate(doc["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        parts = []
        for out in cell.get("outputs") or []:
            if not isinstance(out, dict):
                continue
            if out.get("output_type") == "stream":
                text = out.get("text", "")
            elif out.get("output_type") in ("execute_result", "display_data"):
                text = (out.get("data") or {}).get("text/plain", "")
            else:
                continue
            parts.append("".join(text) if isinstance(text, list) else str(text))
        if parts:
            cells.append((k, "\n".join(parts)))
    return cells


def notebook_text(raw: str) -> str:
    """The printed output of every code cell, in order (:func:`cell_texts` joined)."""
    return "\n".join(text for _, text in cell_texts(raw))
