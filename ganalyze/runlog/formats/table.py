"""Delimited tables: CSV, TSV, semicolon or whitespace separated, with a header line (a table
without one reads when ``--columns`` names its columns by position: ``d_loss=col3``, col1 the first).

The delimiter is the header line's: comma, tab, semicolon, else whitespace. Handled here
(the shared finishing does names, steps and merging): pandas' unnamed index column (the
step when the file has none, else dropped), W&B panel exports (``Step``, ``RUN - metric``,
``metric__MIN``/``__MAX``), Lightning ``CSVLogger`` ``metrics.csv`` (several rows per step,
each with some columns empty: merged by the finishing).
"""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from ganalyze.runlog.formats.common import NotThisFormat, Parsed

_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")
#: a header-less table's columns, named by position for --columns (col1 is the first)
_POSITION = re.compile(r"col\d+")
_GREW = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _separator(header: str) -> str:
    return next((c for c in (",", "\t", ";") if c in header), r"\s+")


_PIPE_LEAD = re.compile(r"^\s*>?\s*\|?\s*")
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_TOTAL_OF = {"batch": "n_batches", "iter": "n_batches", "iteration": "n_batches", "epoch": "n_epochs"}


def pipe_table(text: str) -> str | None:
    """A table printed with ``|`` between its cells (``> Epoch | Batch | Generator Loss | Disc Loss`` then
    ``> 1 | 3/128 | 0.91 | 1.28``; a markdown table's ``| a | b |``) -> the same table tab-separated, its
    other lines ("Epoch time is 12.3 sec", ``|---|---|``) left out, and a column of ``a/b`` cells split
    into the counter and its total (``Batch`` and ``n_batches``); None where the first line is no such header."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0].count("|") < 2:
        return None
    cells = lambda ln: [c.strip() for c in _PIPE_LEAD.sub("", ln).rstrip().rstrip("|").split("|")]
    header = cells(lines[0])
    if any(not c or _NUMBER.match(c) for c in header):
        return None
    body = [cells(ln) for ln in lines[1:] if ln.count("|") >= lines[0].count("|") - 1 and not set(ln.strip()) <= set("|-: >")]
    body = [b for b in body if len(b) == len(header)]
    if len(body) < 2:
        return None
    cols = list(zip(*body))
    out_names, out_cols = [], []
    for name, col in zip(header, cols):
        fr = [_FRACTION.match(v) for v in col]
        if all(fr):
            total = _TOTAL_OF.get(name.strip().lower(), f"{name}_total")
            out_names += [name, total]
            out_cols += [[m.group(1) for m in fr], [m.group(2) for m in fr]]
        else:
            out_names.append(name)
            out_cols.append(list(col))
    return "\n".join(["\t".join(out_names)] + ["\t".join(r) for r in zip(*out_cols)]) + "\n"


def text_from_pipe_table(text: str, max_tries: int = 20) -> str | None:
    """``text`` from the first line that heads a ``|`` table (:func:`pipe_table`) on, or None where no such header
    is among its first ``max_tries`` lines with two ``|`` or more. A notebook's printed output holds other cells' prints
    before its training table (held-out batch 436/61: a version string, a model summary, then ``> Epoch | Batch |
    Generator Loss | Disc Loss``)."""
    return next(pipe_table_texts(text, max_tries), None)


def pipe_table_texts(text: str, max_tries: int = 20):
    """``text`` from each line that heads a ``|`` table on (:func:`text_from_pipe_table`'s first, then the next
    ...): a notebook may print a table of D's pre-training before its GAN's (held-out batch 508/11)."""
    lines = text.splitlines(keepends=True)
    tries, past = 0, 0
    for k, ln in enumerate(lines):
        if k < past or ln.count("|") < 2:
            continue
        tries += 1
        if tries > max_tries:
            return
        # (cheap first: the next line is a row of as many cells, a number among them; a tqdm bar's '|' is no header)
        nxt = next((x for x in lines[k + 1:k + 4] if x.strip()), "")
        if nxt.count("|") < ln.count("|") - 1 or not any(_NUMBER.match(c) for c in _PIPE_LEAD.sub("", nxt).split("|")):
            continue
        rest = "".join(lines[k:])
        if pipe_table(rest) is not None:
            yield rest
            # (the next table starts past this one's rows: lines with as many '|', or none)
            past = next((j for j in range(k + 1, len(lines))
                         if lines[j].strip() and lines[j].count("|") != ln.count("|")), len(lines))


# "Epoch 3" (or "Starting epoch 3...") on a line of its own above rows of bare numbers
_EPOCH_HEAD = re.compile(r"(?i)^\s*(?:starting\s+)?epoch\s*[:#]?\s*(\d+)\s*(?:/\s*\d+)?\s*:?\s*(?:\.{1,3})?\s*$")


def epoch_headed_rows(text: str) -> str | None:
    """Rows of bare numbers under ``Epoch N`` lines (a TF1 notebook's ``Epoch 1`` then ``0.0826  6.631``
    lines) -> the rows alone, each with its epoch appended as a last field; None where the first line
    names no epoch or fewer than two such rows follow. Other lines are left out."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines or not (m := _EPOCH_HEAD.match(lines[0])):
        return None
    out, epoch = [], m.group(1)
    for ln in lines[1:]:
        if m := _EPOCH_HEAD.match(ln):
            epoch = m.group(1)
        elif all(_NUMBER.match(t) for t in ln.split()):
            out.append(f"{ln} {epoch}")
    return "\n".join(out) + "\n" if len(out) >= 2 else None


def parse_table(text: str, sep: str | None = None, *, strict_names: bool = True,
                user_columns: dict | None = None) -> list[Parsed]:
    """Parse a delimited table with a header line (module doc). ``strict_names=False`` (a
    .txt/.log that may be anything): refuse unless some column is named like a D or G loss."""
    if sep is None and (piped := pipe_table(text)) is not None:
        text, sep = piped, "\t"
    positional = any(_POSITION.fullmatch(str(v)) for v in (user_columns or {}).values())
    epoch_last = False          # rows of bare numbers under "Epoch N" lines: each row's epoch appended
    if sep is None and positional and (rows := epoch_headed_rows(text)) is not None:
        text, epoch_last = rows, True
    elif sep is None and (rows := epoch_headed_rows(text)) is not None:
        k = len(rows.splitlines()[0].split()) - 1
        raise NotThisFormat(f"rows of {k} bare numbers under 'Epoch N' lines, no names: name them by position, "
                            f"--columns d_loss=colN,g_loss=colM (col1 the first of {k} on each row)")
    lines = text.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    if not header:
        raise NotThisFormat("no header line")
    sep = sep or _separator(header)
    names = [t for t in (re.split(sep, header.strip()) if sep == r"\s+" else header.split(sep))]
    if len(names) < 2:
        raise NotThisFormat(f"the first line {header.strip()[:50]!r} has fewer than two columns")
    headerless = sum(bool(_NUMBER.match(t)) for t in names) > len(names) // 2
    if headerless and not positional:
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
    if epoch_last:
        raw = raw.rename(columns={raw.columns[-1]: "epoch"})
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
    if (converted := _loss_log_table(raw)) is not None:
        return converted
    fixed = _srgan_statistics(raw, meta, guesses)
    if "_step" in raw.columns or "_runtime" in raw.columns:
        meta["export"] = "wandb-history"
    elif {"epoch", "step"} <= set(raw.columns) and raw.isna().any().any():
        meta["export"] = "lightning-csvlogger"
    return [Parsed(frame=raw, meta=meta, guesses=guesses, fixed=fixed)]


def _loss_log_table(raw: pd.DataFrame) -> list[Parsed] | None:
    """A junyanz pytorch-CycleGAN-and-pix2pix ``loss_log.txt`` written out as a table (a DVC plots stage:
    ``epoch, iters, G_GAN, G_L1, D_real, D_fake``): read as the loss_log it was converted from
    (:func:`cyclegan.parse_loss_log`), whose model families know that pix2pix's ``D_real`` / ``D_fake``
    are D's loss terms (not its outputs, as the names read elsewhere), that D's loss is their mean
    and that ``iters`` counts images within the epoch. None for any other table."""
    from ganalyze.runlog.formats.cyclegan import parse_loss_log

    cols = {c.lower(): c for c in raw.columns}
    if not {"epoch", "iters"} <= set(cols):
        return None
    names = [c for c in raw.columns if c not in (cols["epoch"], cols["iters"])]
    if not ({"G_GAN", "D_real", "D_fake"} <= set(names) or {"D_A", "G_A", "D_B", "G_B"} <= set(names)):
        return None
    counters = raw[[cols["epoch"], cols["iters"]]].apply(pd.to_numeric, errors="coerce")
    values = raw[names].apply(pd.to_numeric, errors="coerce")
    keep = counters.notna().all(axis=1).to_numpy()
    if not keep.any():
        return None                 # no row holds both counters: read as any other table
    lines = [f"(epoch: {int(e)}, iters: {int(i)}) " + " ".join(f"{n}: {float(v)!r}" for n, v in zip(names, row))
             for (e, i), row in zip(counters[keep].itertuples(index=False), values[keep].itertuples(index=False))]
    out = parse_loss_log("\n".join(lines))
    for parsed in out:
        parsed.meta["source_format"] = f"{parsed.meta.get('source_format', 'cyclegan-loss-log')} (as a table)"
    return out


#: leftthomas/SRGAN's ``statistics/srf_N_train_results.csv`` (copied by dozens of super-resolution
#: repositories): per-epoch means of ``Loss_D``, ``Loss_G``, ``Score_D``, ``Score_G`` and the
#: validation ``PSNR`` / ``SSIM``
SRGAN_STATISTICS = {"lossd", "lossg", "scored", "scoreg", "psnr", "ssim"}     # as schema.normalise_name writes them


def _srgan_statistics(raw: pd.DataFrame, meta: dict, guesses: dict) -> dict:
    """For leftthomas/SRGAN's statistics CSV: its facts (``meta``, ``guesses``, in place) and the raw
    columns that are D's outputs (returned as ``fixed``). Its D loss is ``1 - D(x) + D(G(z))`` on
    D's sigmoid outputs, a loss this tool does not model (reported as unsupported, so no
    least-squares or BCE level is read into it); ``Score_D`` / ``Score_G`` are D's mean outputs on
    reals and fakes; its G loss is MSE + 0.006 x VGG + 0.001 x adversarial + 2e-8 x TV."""
    from ganalyze.runlog.schema import normalise_name

    names = {normalise_name(c): c for c in raw.columns}
    if not SRGAN_STATISTICS <= set(names):
        return {}
    why = "leftthomas/SRGAN's statistics CSV"
    meta["source_format"] = "srgan-statistics"
    meta["g_loss_composite"] = (f"{why}: Loss_G is MSE + 0.006 x VGG + 0.001 x adversarial + 2e-8 x TV, the "
                                "adversarial term a thousandth of it")
    guesses.update(loss=("other", f"{why}: its D loss is 1 - D(x) + D(G(z)) on D's sigmoid outputs, a loss this "
                                  "tool does not model"),
                   scores=("probability", f"{why}: Score_D / Score_G are D's mean sigmoid outputs on reals and fakes"),
                   averaged=(True, f"{why} holds one epoch's means per row"))
    return {names["scored"]: "d_x", names["scoreg"]: "d_g_z1"}
