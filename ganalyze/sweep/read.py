"""Read one run of a sweep and its hyperparameters, wherever it lives.

- Local runs go through :func:`ganalyze.runlog.read_run` (every format it reads, live and killed
  runs included).
- fsspec URLs are finished ``run.parquet`` objects; pyarrow reads only the columns the analysis
  needs (the run format's known columns, :data:`NEEDED_COLUMNS`, of those present: extra columns
  such as ``gt_*`` are never transferred), then the frame is validated like ``read_run`` does.

Hyperparameters: ``config.json`` beside the run (the trainer writes it) wins over the metadata's
``hparams``, which wins over the metadata's ``loss``/``arch``/``dataset``/``seed``. Nested values are
flattened with dots (``arch_spec.latent_dim``); lists become JSON text.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.schema import KNOWN_COLUMNS, META_KEY, meta_from_json, normalise_meta
from ganalyze.sweep.sources import RUN_FILE, RunRef, redact
from ganalyze.validate import validate_frame

NEEDED_COLUMNS = KNOWN_COLUMNS
META_HPARAMS = ("loss", "arch", "dataset", "seed")
CONFIG_FILE = "config.json"


def read_ref(ref: RunRef, columns=NEEDED_COLUMNS) -> tuple[pd.DataFrame, str | None]:
    """The run as a validated DataFrame (metadata in ``attrs``) and the text of its config.json
    (None when there is none)."""
    if not ref.is_url:
        from ganalyze.runlog import read_run

        df = read_run(ref.source, pair=ref.pair)
        p = Path(ref.source)
        folder = p if p.is_dir() else p.parent
        cfg = folder / CONFIG_FILE
        return df, (cfg.read_text(encoding="utf-8", errors="replace") if cfg.is_file() else None)
    return _read_url(ref, columns)


def _read_url(ref: RunRef, columns) -> tuple[pd.DataFrame, str | None]:
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    fs, path = fsspec.core.url_to_fs(ref.source)
    try:
        with fs.open(path, "rb") as fh:
            pf = pq.ParquetFile(fh)
            present = pf.schema_arrow.names
            wanted = [c for c in columns if c in present]
            table = pf.read(columns=wanted or None, use_threads=False)
            meta = meta_from_json((pf.schema_arrow.metadata or {}).get(META_KEY))
        cfg_path = path.rsplit("/", 1)[0] + "/" + CONFIG_FILE if "/" in path else CONFIG_FILE
        config_text = None
        if path.endswith("/" + RUN_FILE) and fs.isfile(cfg_path):
            with fs.open(cfg_path, "rb") as fh:
                config_text = fh.read().decode("utf-8", errors="replace")
    except (pa.ArrowInvalid, OSError) as err:
        raise GanalyzeError(f"path: {ref.shown} is not a readable Parquet run "
                            f"({redact(str(err).splitlines()[0] if str(err) else type(err).__name__)})") from None
    df = table.to_pandas(split_blocks=True, self_destruct=True, use_threads=False)
    df.attrs = normalise_meta({**meta, "source_path": ref.shown})
    return validate_frame(df, source=ref.shown), config_text


def _flat(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flat(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, (list, tuple)):
        out[prefix] = json.dumps(value)
    elif value is None or isinstance(value, (bool, int, str)):
        out[prefix] = value
    elif isinstance(value, float):
        out[prefix] = value if math.isfinite(value) else str(value)
    else:
        out[prefix] = str(value)


def hparams_of(meta: dict, config_text: str | None) -> dict:
    """Flat hyperparameters of a run (module doc for the precedence)."""
    merged: dict = {}
    for key in META_HPARAMS:
        if key in meta and meta[key] not in (None, "unknown"):
            merged[key] = meta[key]
    if isinstance(meta.get("hparams"), dict):
        merged.update(meta["hparams"])
    if config_text is not None:
        try:
            cfg = json.loads(config_text)
        except ValueError:
            cfg = None
        if isinstance(cfg, dict):
            merged.update(cfg)
    out: dict = {}
    _flat(merged, "", out)
    return out
