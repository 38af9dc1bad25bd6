"""Delimited tables: CSV, TSV, semicolon or whitespace separated, with a header line (a table
without one reads when ``--columns`` names its columns by position: ``d_loss=col3``, col1 the first).

The delimiter is the header line's: comma, tab, semicolon, else whitespace. Handled here
(the shared finishing does names, steps and merging): pandas' unnamed index column (the
step when the file has none, else dropped), W&B panel exports (``Step``, ``RUN - metric``,
``metric__MIN``/``__MAX``), Lightning ``CSVLogger`` ``metrics.csv`` (several rows per step,
each with some columns empty: merged by the finishing), CycleGAN-style histories with one D loss
per domain (``D_X_loss`` / ``D_Y_loss``, ``D_A`` / ``D_B``): one run per domain
(:func:`per_domain_runs`).
"""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from ganalyze.runlog.formats.common import NotThisFormat, Parsed
from ganalyze.runlog.schema import canonical_column

_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
#: a header-less table's columns, named by position for --columns (col1 is the first)
_POSITION = re.compile(r"col\d+")
_GREW = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _separator(header: str) -> str:
    return next((c for c in (",", "\t", ";") if c in header), r"\s+")


def parse_table(text: str, sep: str | None = None, *, strict_names: bool = True,
                user_columns: dict | None = None) -> list[Parsed]:
    """Parse a delimited table with a header line (module doc). ``strict_names=False`` (a
    .txt/.log that may be anything): refuse unless some column is named like a D or G loss."""
    lines = text.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    if not header:
        raise NotThisFormat("no header line")
    sep = sep or _separator(header)
    names = [t for t in (re.split(sep, header.strip()) if sep == r"\s+" else header.split(sep))]
    if len(names) < 2:
        raise NotThisFormat(f"the first line {header.strip()[:50]!r} has fewer than two columns")
    headerless = sum(bool(_NUMBER.match(t)) for t in names) > len(names) // 2
    if headerless and not any(_POSITION.fullmatch(str(v)) for v in (user_columns or {}).values()):
        raise NotThisFormat(f"the first line {header.strip()[:50]!r} holds numbers, not column names (name them "
                            f"by position: --columns d_loss=colN,g_loss=colM, col1 the first of {len(names)})")
    try:
        raw = pd.read_csv(io.StringIO(text), sep=sep, skipinitialspace=True, engine="c" if len(sep) == 1 else "python",
                          header=None if headerless else "infer",
                          names=[f"col{k + 1}" for k in range(len(names))] if headerless else None)
    except (pd.errors.ParserError, ValueError) as err:
        first = str(err).splitlines()[0]
        if (m := _GREW.search(first)) and int(m.group(3)) > int(m.group(1)) == len(names):
            raise NotThisFormat(f"line {m.group(2)} has {m.group(3)} fields where the header names {m.group(1)}: the "
                                "writer added a column part-way and kept appending; name the new column in the header "
                                f"line, or read the lines before {m.group(2)} on their own") from None
        raise NotThisFormat(f"not a readable table ({first})") from None
    except pd.errors.EmptyDataError:
        raise NotThisFormat("no header or rows") from None
    if raw.shape[1] < 2:
        raise NotThisFormat(f"found {raw.shape[1]} column")
    if len(raw) == 0:
        raise NotThisFormat("a header line but no rows")
    if not strict_names:
        from ganalyze.runlog.formats.columns import fallback_names
        from ganalyze.runlog.schema import canonical_column, normalise_name

        known = {normalise_name(v) for v in (user_columns or {}).values()}
        if not any(canonical_column(n) in ("d_loss", "g_loss") or normalise_name(n) in known
                   for c in raw.columns for n in [str(c)] + fallback_names(str(c))):
            raise NotThisFormat(f"no column named like a D or G loss in {', '.join(map(str, raw.columns[:6]))}")
    raw.columns = [str(c).strip() for c in raw.columns]
    meta = {"source_format": "csv"}
    # pandas' index column: written with an empty name, read back as "Unnamed: 0".
    unnamed = [c for c in raw.columns if c == "" or re.fullmatch(r"Unnamed: \d+", c)]
    guesses = {}
    for col in unnamed:
        values = pd.to_numeric(raw[col], errors="coerce")
        steplike = {"step", "_step", "iteration", "iter", "global_step", "Step"} & set(raw.columns)
        if col == raw.columns[0] and values.notna().all() and (values == np.round(values)).all() and not steplike:
            back = np.flatnonzero(np.diff(values.to_numpy()) < 0)
            if len(back):       # frames appended without ignore_index: the index starts again
                raw = raw.drop(columns=[col])
                guesses["step_from"] = ("row number", f"the file's unnamed first column (pandas' index) starts again "
                                        f"at row {int(back[0]) + 1} (frames appended without ignore_index, e.g. a "
                                        "resumed session's losses added to the old file): the row order is the step")
                continue
            raw = raw.rename(columns={col: "step"})
            guesses["step_from"] = ("pandas index column", "the file's unnamed first column (pandas' index) is the step")
        else:
            raw = raw.drop(columns=[col])
    # W&B panel export: "Step" plus "RUN - metric" columns with __MIN/__MAX companions;
    # several runs in one export are read as several runs.
    panel = [c for c in raw.columns if " - " in c and not c.endswith(("__MIN", "__MAX"))]
    if panel and len(panel) + sum(c.endswith(("__MIN", "__MAX")) for c in raw.columns) >= len(raw.columns) - 1:
        others = [c for c in raw.columns if " - " not in c]
        runs = list(dict.fromkeys(c.split(" - ", 1)[0] for c in panel))
        out = []
        for run in runs:
            mine = [c for c in panel if c.split(" - ", 1)[0] == run]
            part = raw[others + mine].rename(columns={c: c.split(" - ", 1)[1] for c in mine})
            part = part.dropna(subset=[c.split(" - ", 1)[1] for c in mine], how="all")
            out.append(Parsed(frame=part, meta={**meta, "export": "wandb-panel", "wandb_run": run},
                              guesses=dict(guesses), suffix=run if len(runs) > 1 else None))
        return out
    if (domains := per_domain_runs(raw, meta, guesses)) is not None:
        return domains
    if "_step" in raw.columns or "_runtime" in raw.columns:
        meta["export"] = "wandb-history"
    elif {"epoch", "step"} <= set(raw.columns) and raw.isna().any().any():
        meta["export"] = "lightning-csvlogger"
    return [Parsed(frame=raw, meta=meta, guesses=guesses)]


#: a D (or G) loss column of one of two domains: D_X_loss, d_A, loss_D_B, D_Y (case-insensitive)
_DOMAIN_LOSS = re.compile(r"^(?:loss_?)?([dg])_?([a-z])(?:_?loss)?$", re.IGNORECASE)


def per_domain_runs(raw: pd.DataFrame, meta: dict, guesses: dict) -> list[Parsed] | None:
    """A CycleGAN-style history with one D loss column per domain (X and Y or A and B: ``D_X_loss``
    and ``D_Y_loss``, ``D_A`` and ``D_B``) and, per domain, its G's loss or one G loss for both: one run
    per domain (``--pair X``), each with its D's loss as ``d_loss``. A G loss shared by both runs
    is the total of both generators' losses (their adversarial terms, the cycle and identity terms),
    so it is marked composite (``g_loss_composite``): its level is not judged. The loss is guessed
    CycleGAN's (least squares, plain MSE terms, D's loss their mean), which numbers that show
    another loss override. None when the columns are not of that shape. ``D_x`` alone (D's output on real data) is no domain."""
    found = {}
    for c in raw.columns:
        m = _DOMAIN_LOSS.fullmatch(str(c).strip())
        if m and not (m.group(1).lower() == "d" and str(c).lower() in ("d_x", "dx")):
            found.setdefault((m.group(1).lower(), m.group(2).upper()), c)
    d_domains = sorted(k for n, k in found if n == "d")
    if d_domains not in (["A", "B"], ["X", "Y"]) or any(canonical_column(str(c)) == "d_loss" for c in raw.columns):
        return None     # D_r / D_f are D's real and fake terms, not domains
    own_g = all(("g", k) in found for k in d_domains)
    shared = [c for c in raw.columns if canonical_column(str(c)) == "g_loss"]
    if not own_g and len(shared) != 1:
        return None
    why = "a D loss per domain, as CycleGAN's"
    guesses = {"loss": ("lsgan", f"{why}: least squares, the CycleGAN paper's and its code's default"),
               "lsgan_terms": ("plain", f"{why}: CycleGAN's GANLoss is nn.MSELoss, without the LSGAN paper's 1/2"),
               "d_loss_reduction": ("mean", f"{why}: CycleGAN's D loss = (real + fake) * 0.5"), **guesses}
    out = []
    for k in d_domains:
        other = next(j for j in d_domains if j != k)
        drop = [found[x] for x in (("d", other), ("g", other)) if x in found]
        fixed = {found[("d", k)]: "d_loss"}
        part_meta = {**meta, "source_format": "csv-per-domain", "pair": k}
        if own_g:
            fixed[found[("g", k)]] = "g_loss"
        else:
            fixed[shared[0]] = "g_loss"
            part_meta["g_loss_composite"] = (f"{shared[0]!r} is one G loss beside a D loss per domain: the total of "
                                             "both generators' losses (their adversarial terms and the cycle terms)")
        out.append(Parsed(frame=raw.drop(columns=drop), meta=part_meta, guesses=dict(guesses), suffix=k,
                          fixed=fixed))
    return out
