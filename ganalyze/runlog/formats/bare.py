"""Rows of bare numbers: a print of the losses without their names, or under one line of names.

    0.695559 11.5116
    0.0 11.5116
    ...

(``print d_l, g_l`` every few iterations, Python 2 or ``print(d_loss, g_loss)``). Nothing in the
file says which number is whose, so the file is read only when the user names the columns by their
position, counted from 1: ``--columns d_loss=1,g_loss=2`` (``step=1,d_loss=2,g_loss=3`` where the
first number is the step). Without a step column the row number is the step (a guess the metadata
lists; ``--step-from row*N`` for a print every N iterations). Lines holding anything but numbers
(a figure's repr, a heading) are left out. Where one line of names stands over the rows (Chainer's
PrintReport: ``epoch  iteration  loss_dis  loss_gen``, its progress bar drawn between them with terminal
cursor codes), those names them, when one names D's loss and one G's.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_ROW = re.compile(r"^\s*" + NUM + r"(?:[ \t,;]+" + NUM + r")+\s*$")
_SPLIT = re.compile(r"[ \t,;]+")
_ONE = re.compile(r"^\s*" + NUM + r"\s*$")
_NAME = re.compile(r"^[A-Za-z_][\w/.()-]*$")
#: ... or words of a name apart by single spaces, where the names stand apart by tabs or wider spaces ("G loss")
_SPACED_NAME = re.compile(r"^[A-Za-z_][\w/.()-]*(?: [\w/.()-]+)*$")
_WIDE_APART = re.compile(r"\t+|\s{2,}")
#: a rule drawn under a header ("=====", "-----", "─────")
_RULE = re.compile(r"^\s*[-=_~\u2500\u2501\u2550]{3,}\s*$")
_CURSOR = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")      # a terminal's cursor moves and clears (Chainer's progress bar)
# Keras' train_on_batch list after other numbers, "0.64 0.67 [array(0.67, dtype=float32), array(0.49, ..)]" (Keras 3)
# or "[0.67, 0.49]": its first value is the loss (the rest are metrics), one position of the row
_KERAS_LIST = re.compile(r"(?<=[\d\]])(\s+)\[\s*(?:array\(\s*)?(" + NUM + r")[^\[\]]*\]")
MIN_ROWS = 10


def positional(columns: dict) -> bool:
    """Whether the user's ``columns`` name the file's columns by position ("1", "2", ...)."""
    return bool(columns) and all(str(v).isdigit() for v in columns.values())


def parse_bare_rows(text: str, columns: dict, width_named: int | None = None) -> Parsed:
    """The lines of ``text`` that hold only numbers, all of the most common count (at least
    :data:`MIN_ROWS` of them), as columns named "1", "2", ... for the user's positional ``columns``
    to name; NotThisFormat when there are too few such lines or the user named no positions (the
    reason says how to name them), or when the rows are not ``width_named`` wide (columns a notebook's
    code named, :func:`ganalyze.runlog.formats.code_hints.bare_print_columns`). A Keras list of a loss
    and its metrics after the numbers counts as one position, its loss."""
    lines = [_CURSOR.sub("", ln) for ln in text.splitlines()] if "\x1b" in text else text.splitlines()
    if "[" in text:
        lines = [_KERAS_LIST.sub(r"\1\2", ln) if "[" in ln else ln for ln in lines]
    numbered = [(k, _SPLIT.split(ln.strip())) for k, ln in enumerate(lines) if _ROW.match(ln)]
    if not numbered:
        # one bare number a line (a train step's "tf.print(gen_loss)", held-out batch 566/05) is a loss with no name
        # and no partner: said so, not "no line of bare numbers"
        single = [ln.strip() for ln in lines if _ONE.match(ln)]
        if len(single) >= MIN_ROWS and counter_positions([[s] for s in single]) == [1]:
            # whole numbers counting up (a loop's "print(i)" between its labelled lines, held-out batch 571/01): a
            # counter, no loss
            raise NotThisFormat(f"no line of two or more bare numbers; {len(single)} lines of one whole number each, "
                                f"counting up ('{single[0][:12]}' .. '{single[-1][:12]}'): a counter, no loss")
        if len(single) >= MIN_ROWS:
            example = next((s for s in single if "." in s), single[0])[:20]
            raise NotThisFormat(f"no line of two or more bare numbers; {len(single)} lines of one bare number each (such "
                                f"as '{example}'): whose loss each is, D's or G's, the log does not say, and the "
                                "diagnosis needs both, printed together on a line ('d_loss g_loss')")
        raise NotThisFormat("no line of bare numbers")
    width, count = Counter(len(r) for _, r in numbered).most_common(1)[0]
    if count < MIN_ROWS:
        raise NotThisFormat(f"{count} line(s) of {width} bare numbers, fewer than {MIN_ROWS}")
    if width_named is not None and width != width_named:
        raise NotThisFormat(f"the code prints {width_named} values a row, the log's rows hold {width}")
    first = next(k for k, r in numbered if len(r) == width)
    rows = [r for _, r in numbered if len(r) == width]
    example = " ".join(rows[0])[:60]
    header = _header(lines[:first], width)
    if header is not None and not positional(columns):
        return _named_rows(rows, header)
    if not positional(columns):
        raise NotThisFormat(f"{count} lines of {width} bare numbers (such as '{example}') name no column: which "
                            "is D's loss and which G's the log does not say; " + _position_hint(rows, width))
    too_far = [f"{k}={v}" for k, v in columns.items() if not 1 <= int(v) <= width]
    if too_far:
        raise GanalyzeError(f"columns: got {', '.join(too_far)} for lines of {width} bare numbers (such as '{example}'); "
                            f"allowed: positions 1 to {width}")
    frame = pd.DataFrame(rows, columns=[str(k + 1) for k in range(width)]).astype(float)
    named = {str(v) for v in columns.values()}
    frame = frame[[c for c in frame.columns if c in named]]
    return Parsed(frame=frame, meta={"source_format": "bare-numbers"})


def counter_positions(rows: list[list[str]]) -> list[int]:
    """The positions (from 1) whose numbers are whole and count up, as a step or epoch printed beside the losses
    does (``print(g_loss, epoch)``): never below the value before on :data:`COUNTER_RISE_SHARE` of the rows
    (an epoch counter that starts again in a second run still counts), and not all one value."""
    out = []
    for k in range(len(rows[0]) if rows else 0):
        try:
            v = [float(r[k]) for r in rows]
        except ValueError:
            continue
        # (a table's NaN or inf is no whole number: a pandas table printed before the training, held-out batch
        # 702/03, had raised a traceback here)
        if any(not math.isfinite(x) or x != int(x) for x in v) or len(set(v)) < 2:
            continue
        rises = sum(b >= a for a, b in zip(v, v[1:]))
        if rises >= COUNTER_RISE_SHARE * (len(v) - 1):
            out.append(k + 1)
    return out


#: a column of whole numbers that never falls on this share of its rows is a counter, not a loss
COUNTER_RISE_SHARE = 0.9


def _position_hint(rows: list[list[str]], width: int) -> str:
    """How to name the columns by position, from what they hold: a column counting up in whole numbers is offered
    as the step, and a row of one number besides its counters holds no D and G pair (held-out batch 527/03's
    ``print(gan_loss, i)``: its G loss and epoch were offered as D's and G's losses)."""
    counters = counter_positions(rows)
    values = [k for k in range(1, width + 1) if k not in counters]
    said = (f"column{'s' if len(counters) > 1 else ''} {', '.join(map(str, counters))} "
            f"count{'' if len(counters) > 1 else 's'} up in whole numbers (a step or an epoch); " if counters else "")
    if len(values) < 2:
        return (said + f"the rows hold {len(values)} other number{'' if len(values) == 1 else 's'}, no pair of D's and "
                "G's losses to name: print both (print(step, d_loss, g_loss))")
    step = f"step={counters[0]}," if counters else ""
    return (said + f"name them by position, counted from 1: --columns {step}d_loss={values[0]},g_loss={values[1]}"
            + ("" if counters else " (step=N too if one is the step)"))


def _header(before: list[str], width: int) -> list[str] | None:
    """The names over the rows: the last non-empty line before them (above a rule under it, if one is drawn) that
    is ``width`` names apart, one of which names D's loss and one G's (Chainer's PrintReport: ``epoch  iteration
    loss_dis  loss_gen``; a tabular GAN's ``Epoch\t\tG loss\t\tC loss`` over ``=====``, held-out batch 577/01: names
    of two words, apart by tabs)."""
    from ganalyze.runlog.schema import canonical_column

    for ln in reversed(before[-50:]):
        words = ln.split()
        if not words or _RULE.match(ln):
            continue
        if len(words) != width or not all(_NAME.match(w) for w in words):
            words = [w for w in _WIDE_APART.split(ln.strip()) if w]
            if len(words) != width or not all(_SPACED_NAME.match(w) for w in words):
                return None
        ours = {canonical_column(w) for w in words}
        return words if {"d_loss", "g_loss"} <= ours and len(set(words)) == width else None
    return None


def _named_rows(rows: list[list[str]], header: list[str]) -> Parsed:
    frame = pd.DataFrame(rows, columns=header).astype(float)
    guesses = {}
    if [w.lower() for w in header[:2]] == ["epoch", "iteration"]:
        guesses["averaged"] = (True, "Chainer's PrintReport (epoch, iteration, then the observed values) prints "
                                     "LogReport's means over each report interval")
    elif [w.lower() for w in header[:2]] == ["epoch", "train_loss"]:
        guesses["averaged"] = (True, "fastai's fit table (epoch, train_loss, ..) prints each loss smoothed over the "
                                     "epoch's batches (a moving average, beta 0.98) at the epoch's end")
    return Parsed(frame=frame, meta={"source_format": "bare-numbers"}, guesses=guesses)
