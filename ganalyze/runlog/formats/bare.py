"""Rows of bare numbers: a print of the losses without their names.

    0.695559 11.5116
    0.0 11.5116
    ...

(``print d_l, g_l`` every few iterations, Python 2 or ``print(d_loss, g_loss)``). Nothing in the
file says which number is whose, so the file is read only when the user names the columns by their
position, counted from 1: ``--columns d_loss=1,g_loss=2`` (``step=1,d_loss=2,g_loss=3`` where the
first number is the step). Without a step column the row number is the step (a guess the metadata
lists; ``--step-from row*N`` for a print every N iterations). Lines holding anything but numbers
(a figure's repr, a heading) are left out.
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_ROW = re.compile(r"^\s*" + NUM + r"(?:[ \t,;]+" + NUM + r")+\s*$")
_SPLIT = re.compile(r"[ \t,;]+")
MIN_ROWS = 10


def positional(columns: dict) -> bool:
    """Whether the user's ``columns`` name the file's columns by position ("1", "2", ...)."""
    return bool(columns) and all(str(v).isdigit() for v in columns.values())


def parse_bare_rows(text: str, columns: dict) -> Parsed:
    """The lines of ``text`` that hold only numbers, all of the most common count (at least
    :data:`MIN_ROWS` of them), as columns named "1", "2", ... for the user's positional ``columns``
    to name; NotThisFormat when there are too few such lines or the user named no positions (the
    reason says how to name them)."""
    rows = [_SPLIT.split(ln.strip()) for ln in text.splitlines() if _ROW.match(ln)]
    if not rows:
        raise NotThisFormat("no line of bare numbers")
    width, count = Counter(len(r) for r in rows).most_common(1)[0]
    if count < MIN_ROWS:
        raise NotThisFormat(f"{count} line(s) of {width} bare numbers, fewer than {MIN_ROWS}")
    rows = [r for r in rows if len(r) == width]
    example = " ".join(rows[0])[:60]
    if not positional(columns):
        raise NotThisFormat(f"{count} lines of {width} bare numbers (such as '{example}') name no column: which "
                            "is D's loss and which G's the log does not say; name them by position, counted from 1: "
                            "--columns d_loss=1,g_loss=2 (step=N too if one is the step)")
    too_far = [f"{k}={v}" for k, v in columns.items() if not 1 <= int(v) <= width]
    if too_far:
        raise GanalyzeError(f"columns: got {', '.join(too_far)} for lines of {width} bare numbers (such as '{example}'); "
                            f"allowed: positions 1 to {width}")
    frame = pd.DataFrame(rows, columns=[str(k + 1) for k in range(width)]).astype(float)
    named = {str(v) for v in columns.values()}
    frame = frame[[c for c in frame.columns if c in named]]
    return Parsed(frame=frame, meta={"source_format": "bare-numbers"})
