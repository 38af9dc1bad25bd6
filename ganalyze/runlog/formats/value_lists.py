"""A folder of loss lists: one text file per logged value, one number per line.

    d_loss.txt      g_loss.txt          0.7191532254219055
                                        0.9185672998428345
                                        ...

(``np.savetxt("d_loss.txt", d_losses)`` after training, or ``f.write(f"{loss}\\n")`` each iteration.)
Each file's name without its suffix is its column's name, mapped as any column name is (``D_losses``,
``loss_D`` and ``errD`` are D's loss; ``--columns d_loss=loss_D_X`` names one no alias covers). Row k
of every file is the k-th value written; nothing in the files says how many iterations apart the
writes were, so the row number is the step (a guess the metadata lists; ``--step-from row*N``).
Files of different lengths are refused: which values belong together they do not say (a D logged
per critic step beside a G logged per iteration, or a run appended to one file only).

A single such file, passed alone, holds one network's loss: it is read with its siblings in the
same folder when they name the other network's loss.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

SUFFIXES = (".txt", ".log", ".csv", ".dat", ".out")
MIN_ROWS = 10
MAX_BYTES = 64 * 2**20         # a list of losses, not a data file
_VALUE = re.compile(r"^\s*(?:\[\s*)?(" + NUM + r")(?:\s*\])?\s*$")       # (np.savetxt of a column: "[0.69]" too)
_LOSS_COLUMNS = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake")


def value_list(path: Path) -> list[float] | None:
    """The file's numbers when every non-blank line holds one number and there are at least
    :data:`MIN_ROWS`; None otherwise (any other line, too few, too big, unreadable)."""
    try:
        if not path.is_file() or path.suffix.lower() not in SUFFIXES or not 0 < path.stat().st_size <= MAX_BYTES:
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:      # any log passes here: its head decides
            first = next((ln for ln in fh.read(4096).splitlines() if ln.strip()), "")
            if not _VALUE.match(first):
                return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    values = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _VALUE.match(line)
        if m is None:
            return None
        values.append(float(m.group(1)))
    return values if len(values) >= MIN_ROWS else None


def _loss_name(stem: str) -> str | None:
    from ganalyze.runlog.schema import canonical_column

    ours = canonical_column(stem)
    return ours if ours in _LOSS_COLUMNS else None


def lists_in(folder: Path) -> dict[str, list[float]]:
    """``{file stem: values}`` for every loss list in ``folder`` (files in name order)."""
    out = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.stem not in out and (values := value_list(path)) is not None:
            out[path.stem] = values
    return out


def looks_like(folder: Path, columns: dict) -> bool:
    """Whether ``folder`` holds two or more loss lists, one named for D's or G's loss (or by the user's
    ``columns``)."""
    found = lists_in(folder)
    named = set(columns.values()) if columns else set()
    return len(found) >= 2 and any(_loss_name(stem) or stem in named for stem in found)


def sibling_folder(path: Path, columns: dict) -> Path | None:
    """The folder to read when ``path`` is one loss list among others (module doc), else None."""
    if value_list(path) is None or not looks_like(path.parent, columns):
        return None
    return path.parent


def parse_value_lists(folder: Path, columns: dict) -> Parsed:
    """Read a folder of loss lists (module doc) into a :class:`Parsed`: one column per file, named by
    its stem (the shared finishing maps the names). The lists named for a loss (or by the user's
    ``columns``) must be of one length; other lists join them only when of that length too."""
    found = lists_in(folder)
    named = set(columns.values()) if columns else set()
    losses = {stem: v for stem, v in found.items() if _loss_name(stem) or stem in named}
    if len(found) < 2 or not losses:
        raise NotThisFormat(f"{len(found)} file(s) of one number per line (at least {MIN_ROWS} lines); "
                            "a run needs D's and G's")
    lengths = {stem: len(v) for stem, v in losses.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{stem} {n}" for stem, n in lengths.items())
        raise NotThisFormat(f"its lists of values differ in length ({listed} values): which values were written "
                            "together the files do not say")
    n = next(iter(lengths.values()))
    frame = pd.DataFrame({stem: v for stem, v in found.items() if len(v) == n})
    meta = {"source_format": "value-lists", "value_files": list(frame.columns)}
    guesses = {"step_from": ("row number", "one value per line and per file: the k-th line of every file is the "
                                           "k-th write, how many iterations apart the files do not say")}
    return Parsed(frame=frame, meta=meta, guesses=guesses)
