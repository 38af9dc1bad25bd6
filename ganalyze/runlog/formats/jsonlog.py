"""JSON logs: a JSON list of records (Chainer's ``LogReport`` file ``log``), JSON Lines
(StyleGAN2-ADA's ``stats.jsonl``, generic one-object-per-line logs).

Nested objects are flattened with ``/`` (``{"main": {"loss_dis": 1}}`` -> ``main/loss_dis``);
a value ``{num, mean, std}`` (StyleGAN2-ADA's interval statistics) becomes its mean. Records
without any D or G loss (an environment/config header, validation records) are dropped when
others hold losses (``records_without_losses`` counts them). mmcv's ``JsonLoggerHook`` files
(MMGeneration, MMEditing: ``*.log.json`` with ``"mode": "train"`` records): the train records,
step = ``iter``.
"""
from __future__ import annotations

import json

import pandas as pd

from ganalyze.runlog.formats.columns import fallback_names
from ganalyze.runlog.formats.common import NotThisFormat, Parsed
from ganalyze.runlog.schema import canonical_column

LOSS_COLUMNS = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake")

STYLEGAN_FIXED = {"Loss/D/loss": "d_loss", "Loss/G/loss": "g_loss", "Loss/scores/real": "d_x",
                   "Loss/scores/fake": "d_g_z1", "Progress/kimg": "kimg", "Progress/tick": "tick",
                   "Timing/total_sec": "time_s"}


def _flatten(record: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if "mean" in value and not isinstance(value["mean"], dict):
                out[name] = value["mean"]
            else:
                out.update(_flatten(value, name + "/"))
        elif isinstance(value, (int, float, str)) and not isinstance(value, bool) or value is None:
            out[name] = value
    return out


def _records_frame(records: list, what: str) -> pd.DataFrame:
    bad = [i for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise NotThisFormat(f"{what}: item {bad[0]} is {type(records[bad[0]]).__name__}, not an object")
    if not records:
        raise NotThisFormat(f"{what}: no records")
    return pd.DataFrame.from_records([_flatten(r) for r in records])


def _is_loss_key(name) -> bool:
    return any(canonical_column(n) in LOSS_COLUMNS for n in [name] + fallback_names(name))


def _loss_records_only(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop the records that hold no D or G loss value (a header with the environment and config,
    validation records of the metrics) when others do; (frame, records dropped)."""
    keys = [c for c in frame.columns if _is_loss_key(c)]
    if not keys:
        return frame, 0
    has = frame[keys].apply(pd.to_numeric, errors="coerce").notna().any(axis=1)
    if has.all() or not has.any():
        return frame, 0
    return frame[has].reset_index(drop=True).dropna(axis=1, how="all"), int((~has).sum())


def stylegan2_guesses() -> dict:
    """What StyleGAN2-ADA's statistics (stats.jsonl or its TensorBoard events) imply."""
    return {"loss": ("nsgan", "StyleGAN2-ADA's loss: non-saturating logistic (softplus) with R1"),
            "d_loss_reduction": ("sum", "StyleGAN2-ADA reports Loss/D/loss = softplus(D(G(z))) + softplus(-D(x))"),
            "scores": ("critic", "Loss/scores/* are D's raw logits")}


def _described(frame: pd.DataFrame, raw_keys: set) -> Parsed:
    if "Progress/kimg" in raw_keys and ("Loss/D/loss" in raw_keys or "Loss/G/loss" in raw_keys):
        return Parsed(
            frame=frame, fixed=dict(STYLEGAN_FIXED),
            meta={"source_format": "stylegan2-stats", "averaged": True,
                  "averaged_over": "one tick (stats.jsonl holds each value's {num, mean, std} over the tick)"},
            guesses=stylegan2_guesses())
    if "elapsed_time" in raw_keys and ("iteration" in raw_keys or "epoch" in raw_keys):
        return Parsed(frame=frame, meta={"source_format": "chainer-logreport"},
                      guesses={"averaged": (True, "Chainer's LogReport reports the mean over each report interval")})
    return Parsed(frame=frame, meta={"source_format": "json"})


def _columns_frame(doc: dict) -> Parsed:
    """``{"D_losses": [...], "G_losses": [...]}`` (a notebook's loss lists dumped as one object):
    the longest lists of numbers of equal length are the columns, one row per item; shorter
    lists (per-epoch means beside per-step values) are left out and named in ``meta``."""
    numeric = {k: v for k, v in doc.items() if isinstance(v, list) and v
               and all(isinstance(x, (int, float)) and not isinstance(x, bool) or x is None for x in v)}
    if not numeric:
        raise NotThisFormat("a JSON object with neither one list of records nor lists of numbers")
    longest = max(len(v) for v in numeric.values())
    keep = {k: v for k, v in numeric.items() if len(v) == longest}
    frame = pd.DataFrame({k: pd.array(v, dtype="Float64").astype("float64") for k, v in keep.items()})
    meta = {"source_format": "json-columns"}
    left = sorted(set(numeric) - set(keep))
    if left:
        meta["lists_left_out"] = ", ".join(f"{k} ({len(numeric[k])} items)" for k in left)
    return Parsed(frame=frame, meta=meta)


def _holds_losses(records: list) -> bool:
    """Whether a list of records names a D or a G loss (any alias) in its first record."""
    return any(canonical_column(k) in ("d_loss", "g_loss") for k in records[0] if isinstance(k, str))


def parse_json_list(text: str) -> Parsed:
    """A JSON document that is a list of objects (Chainer LogReport), ``{"log": [...]}`` or an
    object of lists of numbers (:func:`_columns_frame`)."""
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise NotThisFormat(f"not valid JSON ({err})") from None
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) > 1:      # {"config": ..., "history": [...], "checkpoints": [...]}: the one with the losses
            lists = [v for v in lists if _holds_losses(v)] or lists
        if len(lists) != 1:
            return _columns_frame(doc)
        doc = lists[0]
    if not isinstance(doc, list):
        raise NotThisFormat(f"JSON {type(doc).__name__}, not a list of records")
    frame = _records_frame(doc, "JSON list")
    return _described(frame, set(frame.columns))


def parse_jsonl(text: str) -> Parsed:
    """One JSON object per line (blank lines skipped; a torn last line is dropped)."""
    records, lines = [], [ln for ln in text.splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        try:
            records.append(json.loads(line))
        except ValueError as err:
            if i == len(lines) - 1 and i > 0:
                import warnings

                warnings.warn(f"skipping the torn last line of a JSON Lines log: {line[:60]!r}", stacklevel=2)
                break
            raise NotThisFormat(f"line {i + 1} is not JSON ({err})") from None
    frame = _records_frame(records, "JSON Lines")
    raw_keys = set(frame.columns)
    mmcv = "mode" in frame.columns and (frame["mode"] == "train").any() and "iter" in frame.columns
    if mmcv:        # mmcv's JsonLoggerHook (MMGeneration, MMEditing): train and val records, by iter
        frame = frame[frame["mode"] == "train"].drop(columns="mode").reset_index(drop=True).dropna(axis=1, how="all")
    frame, dropped = _loss_records_only(frame)
    parsed = _described(frame, raw_keys)
    if mmcv:
        parsed.meta["source_format"] = "mmcv-json"
        parsed.fixed = {**parsed.fixed, "iter": "step"}
    elif parsed.meta["source_format"] == "json":
        parsed.meta["source_format"] = "jsonl"
    if dropped:
        parsed.meta["records_without_losses"] = dropped
    return parsed
