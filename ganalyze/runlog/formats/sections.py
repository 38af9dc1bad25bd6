"""Loss lists saved as sections: a label line, then one number per line, then the next label.

    Generator Losses:
    2.3384
    2.3454
    ...
    Discriminator Losses:
    0.4215
    ...

(a notebook's ``for l in G_losses: f.write(f"{l}\\n")`` after a header). Each section is a
column named by its label; sections of equal length make one row per item, and the row number
is the step (a guess: such lists are often one mean per epoch, which the file does not say).
"""
from __future__ import annotations

import re

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

_LABEL = re.compile(r"^\s*([A-Za-z][\w ()/.-]*?)\s*:\s*$")
_NUMBER = re.compile(r"^\s*(" + NUM + r")\s*,?\s*$")


def parse_sections(text: str) -> Parsed:
    """The sections of ``text`` (module doc) as a :class:`Parsed`; NotThisFormat when any
    non-empty line is neither a label ending in ':' nor a lone number, or fewer than two
    sections hold numbers."""
    sections: dict[str, list[float]] = {}
    current = None
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        if (m := _NUMBER.match(line)) and current is not None:
            sections[current].append(float(m.group(1)))
        elif (m := _LABEL.match(line)) and m.group(1) not in sections:
            current = m.group(1)
            sections[current] = []
        else:
            raise NotThisFormat(f"line {i + 1} is neither a 'Label:' line nor one number")
    if not sections:
        raise NotThisFormat("no 'Label:' line")
    # the file is in this layout from here on: what is wrong with it is an error, not another format
    sizes = ", ".join(f"{k!r}: {len(v)}" for k, v in sections.items())
    filled = {k: v for k, v in sections.items() if len(v) >= 2}
    if len(filled) < 2:
        raise GanalyzeError(f"labelled lists of numbers ({sizes}), fewer than two with two or more values; "
                            "allowed: a D-loss and a G-loss list")
    if len({len(v) for v in filled.values()}) > 1:
        raise GanalyzeError(f"labelled lists of numbers of different lengths ({sizes}); allowed: lists of equal "
                            "length, one value per logged step each")
    return Parsed(frame=pd.DataFrame(filled), meta={"source_format": "sections"})
