"""Runs printed one after the other in one output, each line tagged with its run's name: a notebook cell
that trains a GAN and then a WGAN on the same data,

    [GAN] Epoch 990/1000 | D Loss: 0.6160 | G Loss: 0.9385
    [GAN] Epoch 1000/1000 | D Loss: 0.6143 | G Loss: 0.9520
    [WGAN] Epoch 10/1000 | Critic Loss: -0.0293 | Generator Loss: 3.0931
    ...

(held-out batch 473/10). Read as one log, its rows join by epoch and ``D Loss`` and ``Critic Loss`` both
mean ``d_loss``, which no run can hold. Where the lines that print a loss lead with a bracketed word,
two or more words in turn, each in one block of lines, every block is read as its own run, named by its
word (``--pair WGAN``). Words that alternate line by line (``[Train]`` / ``[Val]``) are one run's and
not split; log levels (``[INFO]``) are no run's name.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ganalyze.runlog.formats.common import NotThisFormat, Parsed

#: a line's leading tag: one bracketed word (letters first; digits, ``-``, ``_``, ``+`` after)
_TAG = re.compile(r"^[ \t]*\[([A-Za-z][A-Za-z0-9_+-]{0,30})\][ \t]")
_LOSS = re.compile(r"(?i)loss|err|critic")
#: tags that are a logger's level or a phase, not a run's name
_NOT_RUNS = {"info", "debug", "warn", "warning", "error", "critical", "fatal", "notice", "log", "train", "training",
             "val", "valid", "validation", "test", "eval", "evaluation"}
#: loss lines each run needs (a stray tagged line is no run), and the share of loss lines that are tagged
MIN_LINES = 3
MIN_TAGGED_SHARE = 0.8


def tagged_blocks(text: str) -> list[tuple[str, str]] | None:
    """``[(tag, text of its block)]`` where ``text`` holds runs tagged as the module doc says, else None. A
    block runs from its first tagged line to the line before the next block's first; untagged lines
    before the first block go with it."""
    lines = text.splitlines()
    tagged = []                     # (line number, tag) of every loss line
    untagged = 0
    for k, line in enumerate(lines):
        if not _LOSS.search(line) or not re.search(r"\d", line):
            continue
        m = _TAG.match(line)
        if m is None or m.group(1).lower() in _NOT_RUNS:
            untagged += 1
        else:
            tagged.append((k, m.group(1)))
    if len(tagged) < 2 * MIN_LINES or len(tagged) < MIN_TAGGED_SHARE * (len(tagged) + untagged):
        return None
    starts = [tagged[0]] + [cur for prev, cur in zip(tagged, tagged[1:]) if cur[1] != prev[1]]
    names = [tag for _, tag in starts]
    if len(names) < 2 or len(set(names)) != len(names):
        return None                 # one tag throughout, or tags that come back: one run's lines
    if any(sum(1 for _, tag in tagged if tag == name) < MIN_LINES for name in names):
        return None
    bounds = [0] + [k for k, _ in starts[1:]] + [len(lines)]
    return [(name, "\n".join(lines[a:b])) for name, a, b in zip(names, bounds, bounds[1:])]


def parse_tagged(text: str, parse: Callable[[str], list[Parsed]]) -> list[Parsed]:
    """``parse(text)``, or where ``text`` holds tagged runs (:func:`tagged_blocks`) ``parse`` of each block,
    each run's name its tag (before any name ``parse`` gave it); a block ``parse`` cannot read is left
    out, and NotThisFormat when none reads."""
    blocks = tagged_blocks(text)
    if blocks is None:
        return parse(text)
    out, why = [], []
    for tag, block in blocks:
        try:
            found = parse(block)
        except NotThisFormat as err:
            why.append(f"[{tag}]: {err}")
            continue
        for parsed in found:
            parsed.suffix = tag if parsed.suffix is None else f"{tag}_{parsed.suffix}"
            parsed.meta["runs_in_file"] = len(blocks)
        out += found
    if not out:
        raise NotThisFormat("no tagged run reads (" + "; ".join(why) + ")")
    return out
