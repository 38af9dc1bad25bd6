"""One module per family of log formats, and the dispatcher that tries them in turn.

``read_sources(path, options)`` returns every run found at ``path`` as ``(name suffix or None,
DataFrame)``; when no format fits, the one-line error names each format tried and why it did
not fit, and shows the minimal CSV that always reads. Formats (docs/run_format.md, "Formats
read"): our run directories and Parquet (``parquet``), TensorBoard (``tensorboard``), JSON
lists and JSON Lines (``jsonlog``), Jupyter notebooks (``notebook``), pix2pix/CycleGAN
``loss_log.txt`` (``cyclegan``), BigGAN-PyTorch's folders of ``<metric>.log`` files
(``metric_files``), MLflow run folders (``mlflow``), the WGAN-GP code's ``iter N<TAB>name<TAB>value`` prints
(``tflib``), console progress lines of many kinds (``console``),
delimited tables (``table``). The shared rules for names, steps, restarts and metadata are
in ``finish``.
"""
from __future__ import annotations

import dataclasses
import re
import warnings
from pathlib import Path

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import store
from ganalyze.runlog.formats import (
    bare,
    code_hints,
    cyclegan,
    domains,
    jsonlog,
    keras_acgan,
    metric_files,
    mlflow,
    notebook,
    parquet,
    sections,
    sequential,
    stylegan,
    table,
    tensorboard,
    tflib,
    value_lists,
    vits,
)
from ganalyze.runlog.formats.common import NotThisFormat, Parsed, first_lines, read_text
from ganalyze.runlog.formats.console import parse_console, split_finished_runs, split_runs
from ganalyze.runlog.formats.finish import finish, resolve_meta
from ganalyze.runlog.formats.hparams import sidecar_hparams
from ganalyze.runlog.formats.options import ReadOptions
from ganalyze.validate import validate_frame  # types, ranges, finiteness, metadata (validate.py)

LIGHTNING_CSV = "metrics.csv"      # what Lightning's CSVLogger writes into each version_N/ folder

MINIMAL_CSV = ("a minimal CSV that always reads: the header 'step,d_loss,g_loss' and one line per "
               "step such as '0,1.386,0.693' (other column names: --columns d_loss=NAME,g_loss=NAME)")


# Logs GAN code writes that hold no losses, and where the same run keeps them.
LOSSLESS_LOGS = (
    (re.compile(r"^tick \d+\s+kimg [\d.]+\s+(?:lod [\d.]+\s+)?(?:minibatch \d+\s+)?time ", re.MULTILINE),
     "is a StyleGAN progress log (tick / kimg / time lines), which prints no losses; allowed: the stats.jsonl "
     "(StyleGAN2-ADA, StyleGAN3) or the TensorBoard events file in the same run folder"),
)


def _text_parsers(text: str, suffix: str, options: ReadOptions, in_notebook: bool = False):
    """(name, parse) pairs in the order they are tried for a text file."""
    stripped = text.lstrip()
    parsers = []
    if not in_notebook and (suffix == ".ipynb" or notebook.looks_like_notebook(stripped[:4096])):
        # a notebook is read by its printed outputs alone: its JSON is no table of values
        return [("Jupyter notebook", lambda: _parse_notebook(text, options))]
    if stripped.startswith(("[", "{")):
        parsers.append(("JSON list (Chainer LogReport)", lambda: [jsonlog.parse_json_list(text)]))
    if stripped.startswith("{"):
        parsers.append(("JSON Lines (StyleGAN2-ADA stats.jsonl)", lambda: [jsonlog.parse_jsonl(text)]))
    parsers.append(("pix2pix/CycleGAN loss_log", lambda: cyclegan.parse_loss_log(text)))
    parsers.append(("labelled lists ('Generator Losses:' then one number per line)",
                    lambda: [sections.parse_sections(text)]))
    if keras_acgan.LOOKS_LIKE.search(text):
        parsers.insert(0, ("Keras mnist_acgan per-epoch table", lambda: [keras_acgan.parse_acgan_table(text)]))
    if vits.LOOKS_LIKE.search(text[:65536]):
        parsers.insert(0, ("VITS train.log (Train Epoch lines and loss lists)", lambda: [vits.parse_train_log(text)]))
    if tflib.LOOKS_LIKE.search(text):
        parsers.append(("WGAN-GP tflib plot prints", lambda: [tflib.parse_plot_prints(text)]))
    parsers.append(("console progress lines (DCGAN, Keras, Keras-GAN, key=value)",
                    (lambda: sequential.parse_tagged(text, lambda t: [parse_console(t, options.columns)]))
                    if in_notebook else
                    (lambda: sequential.parse_tagged(text, lambda t: split_runs(parse_console(t, options.columns))))))
    if in_notebook and "|" in text:
        # a training table printed with '|' after other cells' prints (read from its header on, D's and G's names)
        parsers.append(("a table printed with '|'", lambda: _pipe_table_in(text, options)))
    bare_rows = ("rows of bare numbers", lambda: [bare.parse_bare_rows(text, options.columns)])
    if bare.positional(options.columns):
        parsers.insert(0, bare_rows)
    else:
        parsers.append(bare_rows)
    if not in_notebook:
        sep = "\t" if suffix == ".tsv" else None
        strict = suffix in (".csv", ".tsv")
        table_parser = ("CSV/TSV table", lambda: [run for parsed in table.parse_table(
            text, sep, strict_names=strict, user_columns=options.columns) for run in split_runs(parsed)])
        if suffix in (".csv", ".tsv"):
            parsers.insert(0, table_parser)
        else:
            parsers.append(table_parser)
    return parsers


def _pipe_table_in(text: str, options: ReadOptions) -> list[Parsed]:
    """A notebook's printed output read as the ``|`` table it holds (``table.pipe_table_texts``): the first whose
    header names D's or G's loss (held-out batch 508/11 printed D's pre-training, ``loss_real | loss_fake | ..``,
    before its GAN's ``Epoch | Loss Disc | Loss Gen``), else the first."""
    first = refused = None
    for piped in table.pipe_table_texts(text):
        try:
            found = table.parse_table(piped, None, strict_names=False, user_columns=options.columns)
        except NotThisFormat as why:
            refused = refused or why
            continue
        if any(_names_a_player_loss(c, options) for parsed in found for c in parsed.frame.columns):
            return found
        first = first or found
    if first is not None:
        return first
    if refused is not None:
        raise refused
    raise NotThisFormat("no line heads a table printed with '|' (a header of names over rows of numbers)")


def _names_a_player_loss(name, options: ReadOptions) -> bool:
    """Whether a column's name is D's or G's loss (by alias, a spelling ``fallback_names`` tries, or the user's
    ``--columns``)."""
    from ganalyze.runlog.formats.columns import fallback_names
    from ganalyze.runlog.schema import canonical_column

    if options.columns and str(name) in {str(v) for k, v in options.columns.items() if k in ("d_loss", "g_loss")}:
        return True
    return any(canonical_column(n) in ("d_loss", "g_loss") for n in (str(name), *fallback_names(str(name))))


def _try(parsers) -> tuple[list[Parsed] | None, list[str]]:
    reasons = []
    for name, parse in parsers:
        try:
            return parse(), reasons
        except NotThisFormat as why:
            reasons.append(f"{name}: {why}")
    return None, reasons


_NUMBERED_LINE = re.compile(r"\d\.\d|\d\s*/\s*\d")
#: a label and its number ("perdida_d: -20.40", "c1=-2.074"): lines with two of them come first in a refusal
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LABELLED_NUMBER = re.compile(r"[A-Za-z][\w()]*\s*[:=]\s*[-+]?\d")


def _opening(text: str) -> str:
    """What a refused file holds, for its error line: its first lines; for a notebook, not its JSON but the
    first printed lines with a decimal or a counter in them (where the training log would be), lines labelling two
    numbers or more first (held-out batches 421 and 429: TensorFlow's deprecation warnings and a dataset's licence
    were quoted, not '>1, c1=-2.074, c2=0.028 g=-0.369' or a Keras bar's 'perdida_d: -20.40 - perdida_g: ..')."""
    if notebook.looks_like_notebook(text[:4096]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                printed = notebook.notebook_text(text)
            except ValueError:
                printed = ""
        numbered = sorted((_ANSI.sub("", ln) for ln in printed.splitlines() if _NUMBERED_LINE.search(ln)),
                          key=lambda ln: len(_LABELLED_NUMBER.findall(ln)) < 2)
        # a long line is quoted from its first labelled number (a Keras bar's counter and bar come first)
        numbered = [ln[max(m.start() - 12, 0):] if len(ln) > 60 and (m := _LABELLED_NUMBER.search(ln)) else ln
                    for ln in numbered]
        if numbered:
            return f"a notebook whose printed output holds lines such as {first_lines(chr(10).join(numbered), 2)!r}"
    return f"starts {first_lines(text, 2)!r}"


# Colab's note where it dropped a cell's earlier output
_COLAB_CUT = re.compile(r"Streaming output truncated to the last (\d+) lines")
_LOSS_WORD = re.compile(r"(?i)loss|err")


def _colab_cut(cells: list[tuple[int, str]]) -> re.Match | None:
    """Colab's truncation note in a cell whose kept output names a loss (the training cell's log lost its start),
    not in another cell's (an unzip's 'inflating: ..' lines cut: held-out batch 266)."""
    for _, text in cells:
        if (cut := _COLAB_CUT.search(text)) is not None and _LOSS_WORD.search(text, cut.end()):
            return cut
    return None


def _parse_notebook(text: str, options: ReadOptions) -> list[Parsed]:
    try:
        cells = notebook.cell_texts(text)
    except ValueError as err:
        raise NotThisFormat(f"not a notebook ({str(err).splitlines()[0][:80]})") from None
    printed = "\n".join(t for _, t in cells)
    if not printed.strip():
        raise NotThisFormat("its code cells hold no printed output")
    if (cut := _colab_cut(cells)) is not None:
        warnings.warn(f"the notebook's output was cut to its last {cut.group(1)} lines when it was run (Colab's "
                      "'Streaming output truncated'): the rows before them are not in the log, so the run's start is "
                      "missing", stacklevel=2)
    code = notebook.code_sources(text)
    found, said, options = _whole_output(printed, code, options)
    run_cells: dict[str, set[int]] = {}
    # (one run, or one log split per domain's D: two cells that each fit a fresh CycleGAN under the same names are two
    # runs, not a restart whose later rows replace the earlier, held-out batches 589/06 and 602/04)
    one_log = len(found) == 1 and found[0].suffix is None or _split_per_domain([p.meta for p in found])
    groups = _cell_runs(cells, options) if one_log and len(cells) > 1 else []
    if len(groups) <= 1:       # read as one run: what its parse had to say is said
        _say(said)
        found = _finished_runs(found)
    if len(groups) == 1:       # where its log starts: a picture shown before it is none of its samples
        for parsed in found:
            parsed.meta["notebook_log_cell"] = groups[0][0]
    if len(groups) > 1:
        found = []
        for name, group, training in groups:
            where = f"notebook cells {group[0][0]}-{group[-1][0]}"
            try:
                parsed_group = _finished_runs(_parse_printed("\n".join(t for _, t in group), options))
                for parsed in parsed_group:
                    finish(parsed, options, where)       # a group that cannot be a run is left out
            except (NotThisFormat, GanalyzeError) as why:
                warnings.warn(f"left out: {why if isinstance(why, GanalyzeError) else f'{where}: {why}'}",
                              stacklevel=2)
                continue
            for parsed in _finished_runs(_parse_printed("\n".join(t for _, t in group), options)):
                # (a cell of tagged runs, '[GAN] ..' then '[WGAN] ..': cellN_GAN, cellN_WGAN)
                parsed.suffix = f"cell{name}" if parsed.suffix is None else f"cell{name}_{parsed.suffix}"
                found.append(parsed)
                run_cells[parsed.suffix] = training
        if not found:
            raise NotThisFormat("none of its training cells reads as a run")
    hints = code_hints.code_hints(code)
    if (keras3 := code_hints.keras3_running_mean_hint(code_hints.code_lines(code), printed)) is not None:
        hints["code_averaged"] = keras3         # what train_on_batch returned, whatever the print did with it
    for parsed in found:
        parsed.meta["source_format"] = "notebook/" + parsed.meta.get("source_format", "console")
        given = hints
        if len(found) > 1 and parsed.suffix in run_cells:
            # one run of several: its own cells' code says more, then the cells up to its own (a later cell cannot
            # have shaped its output: held-out batch 248's later example cell "return real_loss + fake_loss" was
            # read as every run's sum)
            own = code_hints.code_hints(code_hints.run_code(code, run_cells[parsed.suffix]))
            last = max(run_cells[parsed.suffix])
            before = code_hints.code_hints([(k, src) for k, src in code if k <= last])
            if "code_loss" not in own and (named := code_hints.loss_name_hint(code_hints.code_lines(
                    [(k, src) for k, src in code if k in run_cells[parsed.suffix]]))) is not None:
                own["code_loss"] = named        # over an earlier cell's family (cs231n's BCE before its LSGAN run)
            if "code_loss" in own and before.get("code_loss", (None,))[0] != own["code_loss"][0]:
                # the cells up to it read as another family: their D reduction and LSGAN terms are that family's
                # (held-out batch 552/00: EECS 498's LSGAN run took the notebook's BCE sum as a mean of half terms)
                before = {}
            given = {**{k: v for k, v in hints.items() if k not in RUN_OWN_HINTS + RUN_LOOP_HINTS},
                     **{k: v for k, v in before.items() if k in RUN_OWN_HINTS},
                     **{k: v for k, v in own.items() if k in RUN_OWN_HINTS + RUN_LOOP_HINTS}}
        for key, value in given.items():
            # the code that printed the log says more than its print format
            if key == "code_lsgan_terms":
                if "lsgan_terms" not in parsed.meta:
                    parsed.guesses["lsgan_terms"] = value        # over a print format's guess (CycleGAN's)
            elif key != "g_loss_composite" or key not in parsed.meta:
                parsed.meta[key] = value
    return found


def _players_read(found: list[Parsed]) -> bool:
    """Whether every parse holds D's loss (or its two terms) and G's, its columns named as printed or as ours."""
    from ganalyze.runlog.schema import canonical_column

    for p in found:
        ours = {canonical_column(c) or c for c in p.frame.columns}
        if not ({"d_loss", "g_loss"} <= ours or {"d_loss_real", "d_loss_fake", "g_loss"} <= ours):
            return False
    return True


def _whole_output(printed: str, code, options: ReadOptions) -> tuple[list[Parsed], list, ReadOptions]:
    """A notebook's whole printed output parsed as one log, the warnings that parse gave, held back (where
    the notebook splits into runs, each run's own parse says its own: a line one run's print format skips is no
    skipped line of another run's, held-out batch 285's '[1/500 EPOCHS, 468 ITER]' beside 'EPOCH[1] - STEP[10]'),
    and the options its runs are read with: the columns the code's print names, where its labels name none of D's
    or G's losses (held-out batch 712/00's 'Descriminator Loss[1]: 0.703' from f"..Loss[1]: {d_loss1:.3f}..": its
    labels read, its cells were each refused for want of D's loss)."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            found = _parse_printed(printed, options)
            if options.columns or _players_read(found) \
                    or (labelled := _code_labelled(printed, code, options)) is None:
                return found, said, options
            return labelled, said, dataclasses.replace(options, columns=_code_columns(labelled))
        except NotThisFormat as why:
            refused = why
            found = None if options.columns else (_code_named_rows(printed, code) or _code_labelled(printed, code, options))
    if found is None:
        _say(said)
        raise refused
    return found, said, options


def _code_columns(found: list[Parsed]) -> dict | None:
    """The ``--columns`` a code-labelled parse was read with (its ``meta["code_columns"]``), or None."""
    return next((p.meta["code_columns"] for p in found if p.meta.get("code_columns")), None)


def _code_labelled(printed: str, code: list[tuple[int, str]], options: ReadOptions) -> list[Parsed] | None:
    """A log whose labels name no column of ours, read by the print in the notebook's code that wrote them
    (``code_hints.labelled_print_columns``: "'>%d, d1=%.3f, d2=%.3f' % (epoch+1, d_loss, g_loss)"), as if the user
    had named them with ``--columns``; the print quoted as the reason. None where no such print reads."""
    from ganalyze.runlog.schema import normalise_name

    for columns, why in code_hints.labelled_print_columns(code):
        try:
            found = _parse_printed(printed, dataclasses.replace(options, columns=columns))
        except (NotThisFormat, GanalyzeError):
            continue
        label_of = {normalise_name(label): ours for ours, label in columns.items()}
        for parsed in found:
            parsed.frame = parsed.frame.rename(columns={c: label_of[normalise_name(c)] for c in parsed.frame.columns
                                                        if normalise_name(c) in label_of})
            parsed.meta["code_columns"] = dict(columns)
            parsed.guesses["columns"] = (", ".join(f"{ours}={label}" for ours, label in columns.items()),
                                         f"the log's labels name no column; {why}")
        if _players_read(found):
            return found
    return None


def _say(said: list) -> None:
    for w in said:
        warnings.warn(w.message, w.category, stacklevel=3)


#: what one run's own code (``code_hints.run_code``) says over the notebook's as a whole
RUN_OWN_HINTS = ("code_loss", "code_lsgan_terms", "code_d_loss_reduction")
#: ... and what only its own loop says, never another run's: how often it prints, and whether its epochs are
#: passes over the data (held-out batch 531/01: six runs printing every 25 or 5 epochs gave the notebook as a whole
#: no one interval, so each run's 25 true epochs read as 25 iterations)
RUN_LOOP_HINTS = ("code_true_epochs", "code_print_every")


def _code_named_rows(printed: str, code: list[tuple[int, str]]) -> list[Parsed] | None:
    """Rows of bare numbers that a print in the notebook's own code names ("print(d_loss1, d_loss2, g_loss)"):
    read as if the user had named their positions, the print quoted as the reason; None when no such print
    is as wide as the rows."""
    from ganalyze.runlog.formats.common import clean_text

    for columns, width, why in code_hints.bare_print_columns(code):
        try:
            parsed = bare.parse_bare_rows(clean_text(printed), columns, width_named=width)
        except (NotThisFormat, GanalyzeError):
            continue
        parsed.frame = parsed.frame.rename(columns={pos: ours for ours, pos in columns.items()})
        parsed.guesses["columns"] = (", ".join(f"{ours}={pos}" for ours, pos in columns.items()),
                                     f"the rows' numbers have no names; {why}")
        return [parsed]
    return None


def _parse_printed(printed: str, options: ReadOptions) -> list[Parsed]:
    from ganalyze.runlog.formats.common import clean_text

    found, reasons = _try(_text_parsers(clean_text(printed), "", options, in_notebook=True))
    if found is None:
        raise NotThisFormat(f"its printed output ({first_lines(printed, 2)!r}) is no known log: " + ", ".join(reasons))
    return found if options.columns else domains.split_domains(found)


def _finished_runs(found: list[Parsed]) -> list[Parsed]:
    """Each unnamed run of a notebook's cell group split where its lines hold runs trained to their end one after
    another (:func:`console.split_finished_runs`); named runs (tags, domains) as they are."""
    return [run for parsed in found for run in (split_finished_runs(parsed) if parsed.suffix is None else [parsed])]


def _split_per_domain(metas: list[dict]) -> bool:
    """Whether runs (their metadata or ``attrs``) are one log split per domain's D (``domains.per_domain_runs``, the
    CycleGAN ``loss_log`` reader's A and B): each names its pair, all the same domains."""
    return len(metas) > 1 and all(m.get("pair") is not None and m.get("domains") == metas[0].get("domains")
                                  for m in metas)


def _cell_runs(cells: list[tuple[int, str]], options: ReadOptions) -> list[tuple[int, list[tuple[int, str]], set[int]]]:
    """The notebook's cells in groups, one per training run, each with the number of its first
    training cell and the numbers of the cells from its first training cell to its last (the run's own
    code: not the cells after it, which set up the next run, cs231n's LSGAN tests after its vanilla GAN):
    a cell whose own log starts at or before the step where the previous training cell's log ended, or at an
    earlier epoch than it ended in (two runs whose epochs hold different numbers of iterations: held-out batch
    539/00's 5 epochs of 256, then 10 of 2,533, where the second's first step came after the first's last),
    starts a new group."""
    groups, last, last_epoch, names, trained = [[]], None, None, {}, {}
    for cell in cells:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                runs = [finish(p, options, f"cell {cell[0]}") for p in _parse_printed(cell[1], options)]
        except NotThisFormat:
            runs = None                               # no training prints: stays with its neighbours
        except GanalyzeError:
            runs = []                                 # prints that are no run on their own: a group of its own
        if runs == []:
            groups += [[cell], []]
            continue
        # (one log split per domain's D is one run here: its domains share the cell's steps)
        per_domain = runs is not None and _split_per_domain([r.attrs for r in runs])
        if runs is not None and len(runs) > 1 and not per_domain:   # runs of their own ('[GAN] ..' then '[WGAN] ..')
            if any(groups[-1]):
                groups.append([])
            names[len(groups) - 1] = trained[len(groups) - 1] = cell[0]
            groups[-1].append(cell)
            groups.append([])
            last = None
            continue
        if runs is not None and (len(runs) == 1 or per_domain) and len(runs[0]):
            # epochs as printed: a cell's own parse counts them from its first ('Epoch 1 finished', 'Epoch 2
            # finished' after a cell's 'Epoch 0 finished' read as 0, 1 from 1: held-out batch 557/04's one run
            # split in two), and steps that are those epochs compare as printed too
            printed_from = runs[0].attrs.get("epoch_printed_from") or 0
            by_epoch = str(runs[0].attrs.get("step_from", "")).startswith("epoch")
            steps = runs[0]["step"] + (printed_from if by_epoch else 0)
            epochs = runs[0]["epoch"].dropna() + printed_from if "epoch" in runs[0] else pd.Series(dtype="float64")
            if any(groups[-1]) and ((last is not None and int(steps.iloc[0]) <= last)
                                    or (last_epoch is not None and len(epochs) and epochs.iloc[0] < last_epoch)):
                groups.append([])
            last = int(steps.iloc[-1])
            last_epoch = float(epochs.iloc[-1]) if len(epochs) else None
            names.setdefault(len(groups) - 1, cell[0])
            trained[len(groups) - 1] = cell[0]
        groups[-1].append(cell)
    return [(names.get(k, g[0][0]), g, {c for c, _ in g if names.get(k, g[0][0]) <= c <= trained.get(k, g[-1][0])})
            for k, g in enumerate(groups) if g]


def _own(df: pd.DataFrame, meta: dict, options: ReadOptions, source: str, float32: bool = False) -> pd.DataFrame:
    df.attrs = resolve_meta(meta, {}, options)
    return validate_frame(df, source=source, float32=float32)


def _sidecar(source: str, suffix: str | None) -> dict:
    """The settings of an ``hparams.yaml`` beside the log (Lightning's loggers write one per
    ``version_N`` folder): in the log's folder, or in the sub-folder a multi-run directory's run
    is named by."""
    p = Path(source)
    folder = p if p.is_dir() else p.parent
    if suffix is not None and (folder / suffix).is_dir():
        folder = folder / suffix
    return sidecar_hparams(folder)


def _finish_all(found: list[Parsed], options: ReadOptions, source: str) -> list[tuple[str | None, pd.DataFrame]]:
    """Finish each run (only the one ``options.pair`` names, when the file holds several)."""
    if not options.columns:      # the user's own column names say which D loss is d_loss
        found = domains.split_domains(found)
    if options.pair is not None and any(p.suffix is not None for p in found):
        chosen = [p for p in found if p.suffix == options.pair]
        if not chosen:
            raise GanalyzeError(f"pair: {options.pair!r} is not a run in {source!r}; "
                                f"allowed: {', '.join(str(p.suffix) for p in found)}")
        found = chosen
    out = []
    for parsed in found:
        parsed.meta.setdefault("source_path", source)
        if parsed.meta.get("source_format", "").endswith("-loss-log"):
            cyclegan.apply_options_file(parsed, Path(source).parent)
        stylegan.apply_run_folder(parsed, Path(source).parent)
        if "hparams" not in parsed.meta and (hp := _sidecar(source, parsed.suffix)):
            parsed.meta["hparams"] = hp
        where = f"{source} ({parsed.suffix})" if parsed.suffix else source
        try:
            out.append((parsed.suffix, finish(parsed, options, where)))
        except GanalyzeError as why:
            # one run of several printing no D (or no G) loss, e.g. G's pre-training before the
            # adversarial run: left out with a warning when another run of the file reads
            if len(found) < 2 or "holds no value on any row" not in str(why):
                raise
            warnings.warn(f"left out: {why}", stacklevel=2)
    if found and not out:
        raise GanalyzeError(f"{source}: none of its {len(found)} runs holds both D and G loss values; allowed: a log "
                            "with D and G loss values")
    return out


def _value_lists(folder: Path, options: ReadOptions, src: str) -> list[tuple[str | None, pd.DataFrame]]:
    try:
        return _finish_all([value_lists.parse_value_lists(folder, options.columns)], options, src)
    except NotThisFormat as why:
        raise GanalyzeError(f"path: folder of loss lists {src!r}: {why}; allowed: files of equal length, one "
                            "number per line, one named for D's loss and one for G's") from None


def read_sources(path, options: ReadOptions, columns=None,
                 float32: bool = False) -> list[tuple[str | None, pd.DataFrame]]:
    """Every run at ``path`` (module doc), finished by the shared rules. ``columns`` and
    ``float32`` (see :func:`ganalyze.runlog.store.read_run_frame`) apply while a run directory
    is read; other formats are read whole (the caller projects and narrows afterwards)."""
    p = Path(path)
    src = str(path)
    if not p.exists():
        raise GanalyzeError(f"path: {src!r} does not exist; allowed: a run directory, .parquet, .csv, "
                            "a console log, a notebook, a JSON log or a TensorBoard directory")
    if p.is_dir():
        if parquet.is_run_dir(p):
            return [(None, _own(*parquet.read_run_dir(p, columns, float32), options, src, float32))]
        if (stats := stylegan.run_folder(p)) is not None and \
                ((p / stylegan.OPTIONS).is_file() or not tensorboard.event_files(p)):
            return read_sources(stats, options, columns, float32)      # a StyleGAN run folder
        if tensorboard.event_files(p):
            return _finish_all(tensorboard.parse_tensorboard(p, options.tb_tags, options.columns, options.on_duplicate), options, src)
        if metric_files.looks_like(p):
            try:
                return _finish_all([metric_files.parse_metric_folder(p)], options, src)
            except NotThisFormat as why:
                raise GanalyzeError(f"path: BigGAN-PyTorch log folder {src!r}: {why}; allowed: its <metric>.log files "
                                    "with 'itr: value' lines") from None
        if (p / LIGHTNING_CSV).is_file():         # a Lightning CSVLogger version folder
            return read_sources(p / LIGHTNING_CSV, options, columns, float32)
        if versions := sorted(p.glob(f"version_*/{LIGHTNING_CSV}")):   # its lightning_logs/: one run per version
            out = []
            for csv in versions:
                opts = options if options.pair is None else dataclasses.replace(options, pair=None)
                out += [(csv.parent.name if s is None else f"{csv.parent.name}_{s}", df)
                        for s, df in read_sources(csv, opts, columns, float32)]
            if options.pair is not None:
                out = [(s, df) for s, df in out if s == options.pair]
                if not out:
                    raise GanalyzeError(f"pair: {options.pair!r} is not a run in {src!r}; allowed: "
                                        + ", ".join(v.parent.name for v in versions))
            return out
        if (run := mlflow.run_folder(p)) is not None:
            try:
                return _finish_all([mlflow.parse_mlflow_run(run)], options, src)
            except NotThisFormat as why:
                raise GanalyzeError(f"path: MLflow run {src!r}: {why}; allowed: a run with logged metrics") from None
        if value_lists.looks_like(p, options.columns):
            return _value_lists(p, options, src)
        raise GanalyzeError(f"path: directory {src!r} holds no run.parquet, run.parquet.parts/, TensorBoard event "
                            "files, BigGAN-PyTorch G_loss.log / D_loss_*.log files, MLflow metrics/ + meta.yaml, "
                            "Lightning metrics.csv or loss lists (d_loss.txt beside g_loss.txt, one number per line); "
                            "allowed: a run directory, a TensorBoard log directory, a BigGAN-PyTorch "
                            "logs/<experiment> folder, an MLflow run folder (mlruns/<experiment>/<run>), a Lightning "
                            "lightning_logs/ or version_N/ folder, or a folder of loss lists")
    if p.stat().st_size == 0:
        raise GanalyzeError(f"path: {src!r} is empty; allowed: a non-empty run file")
    with open(p, "rb") as fh:
        head = fh.read(4096)
    suffix = p.suffix.lower()
    if head[:4] == b"PAR1":
        if p.name == store.RUN_FILE:
            return [(None, _own(*parquet.read_run_dir(p.parent, columns, float32), options, src, float32))]
        df, meta = parquet.read_parquet_file(p)
        if meta.get("source_format") != "parquet":
            return [(None, _own(df, meta, options, src))]
        return _finish_all([Parsed(frame=df, meta=meta)], options, src)
    if "tfevents" in p.name:
        return _finish_all(tensorboard.parse_tensorboard(p, options.tb_tags, options.columns, options.on_duplicate), options, src)
    if suffix == ".parquet":
        raise GanalyzeError(f"path: {src!r} is not a Parquet file (no PAR1 header); allowed: a Parquet run file")
    if suffix in (".pkl", ".pickle") or head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        raise GanalyzeError(f"path: {src!r} is a Python pickle, which ganalyze never loads (unpickling a file can run "
                            "code); allowed: the run's printed log (for the WGAN-GP code's log.pkl: the 'iter N' "
                            "lines it prints), a CSV, JSON or TensorBoard log")
    if b"\x00" in head:
        raise GanalyzeError(f"path: {src!r} is a binary file of unknown format; allowed: Parquet, TensorBoard "
                            "events, or a text log (CSV, console output, JSON, notebook)")
    if (folder := value_lists.sibling_folder(p, options.columns)) is not None:
        warnings.warn(f"{src} holds one value per line: read with the other loss lists in {str(folder)!r} "
                      f"({', '.join(value_lists.lists_in(folder))})", stacklevel=2)
        return _value_lists(folder, options, str(folder))
    text = read_text(p)
    try:
        found, reasons = _try(_text_parsers(text, suffix, options))
    except GanalyzeError as err:       # a reader that knows the format and refuses the file
        raise GanalyzeError(f"{src}: {err}") from None
    if found is None:
        for pattern, where in LOSSLESS_LOGS:
            if pattern.search(text):
                raise GanalyzeError(f"path: {src!r} {where}")
        raise GanalyzeError(f"path: {src!r} is no log format ganalyze reads ({_opening(text)}); "
                            f"tried: {'; '.join(reasons)}; {MINIMAL_CSV}")
    return _finish_all(found, options, src)
