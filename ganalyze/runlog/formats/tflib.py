"""The plot prints of the WGAN-GP authors' code (``tflib/plot.py`` of igul222/improved_wgan_training,
copied into many forks).

``lib.plot.flush()`` prints one line ``iter N<TAB>NAME<TAB>VALUE<TAB>NAME<TAB>VALUE...``: ``N`` is
the iteration counter (0-based, the last iteration averaged), each ``VALUE`` the mean of what
``lib.plot.plot(NAME, v)`` recorded since the previous flush, names in any order. The scripts
flush at iterations 0-4 and then at every 100th (``iteration % 100 == 99``; ``gan_toy.py`` only at
those), so past the first lines a row is the mean over the 100 iterations before it: ``averaged``
is guessed true when rows are more than one iteration apart.

Names: ``train disc cost`` (or ``disc cost``, ``train dis cost``) is D's loss (wgan-gp mode: mean
critic score on fakes minus on reals plus 10 x the gradient penalty), ``train gen cost`` (or
``gen cost``) G's; ``dev disc cost`` (D's loss on held-out data, computed at flushes only) stays
a column of its own; ``time`` is the seconds one iteration took, kept as ``iter_time_s`` (our
``time_s`` is time since the run began). A D loss that goes negative cannot be a BCE loss: the
loss is then guessed a critic (Wasserstein) loss, else it is left to the metadata inference
(the code also has ``dcgan`` and ``lsgan`` modes). The ``log.pkl`` the same code writes is a
pickle and is never read (unpickling can run code): read the printed lines instead.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_LINE = re.compile(r"^iter (\d+)((?:\t[^\t]+\t *" + NUM + r" *)+)\s*$")
_PAIR = re.compile(r"\t([^\t]+)\t *(" + NUM + r") *")
D_NAMES = ("train disc cost", "disc cost", "train dis cost", "dis cost", "train d cost")
G_NAMES = ("train gen cost", "gen cost", "train g cost")
LOOKS_LIKE = re.compile(r"^iter \d+\t[^\t]+\t", re.MULTILINE)


def parse_plot_prints(text: str) -> Parsed:
    """Parse the ``iter N<TAB>name<TAB>value...`` lines (module doc); other lines are skipped."""
    rows = []
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            row = {"step": int(m.group(1))}
            row.update({name.strip(): float(v) for name, v in _PAIR.findall(m.group(2))})
            rows.append(row)
    if not rows:
        raise NotThisFormat("no 'iter N<TAB>name<TAB>value' line")
    frame = pd.DataFrame(rows)
    d_name = next((n for n in D_NAMES if n in frame.columns), None)
    g_name = next((n for n in G_NAMES if n in frame.columns), None)
    if d_name is None and g_name is None:
        raise NotThisFormat(f"its names ({', '.join(map(str, list(frame.columns)[1:6]))}) hold no "
                            f"{D_NAMES[0]!r} or {G_NAMES[0]!r}")
    fixed = {n: ours for n, ours in ((d_name, "d_loss"), (g_name, "g_loss"), ("time", "iter_time_s"))
             if n in frame.columns}
    meta = {"source_format": "tflib-plot"}
    guesses = {}
    why = "the WGAN-GP code's tflib plot prints"
    gaps = np.diff(frame["step"].to_numpy())
    if len(gaps) and (gaps > 1).any():
        every = int(np.median(gaps[gaps > 1]))
        guesses["averaged"] = (True, f"{why} hold the mean since the previous print (every {every} iterations)")
    if d_name is not None and (frame[d_name] < 0).any():
        guesses["loss"] = ("wgan-gp", f"{why}: {d_name!r} goes negative, so it is a critic (Wasserstein) loss")
        guesses["scores"] = ("critic", f"{why}: a critic loss comes from raw critic scores")
    return Parsed(frame=frame, meta=meta, guesses=guesses, fixed=fixed)
