"""A StyleGAN2-ADA / StyleGAN3 training-run folder (``training-runs/00000-<name>/``).

The code writes, beside its ``log.txt`` and snapshots: ``stats.jsonl`` (one record per tick, each
statistic's ``{num, mean, std}`` over the tick: :mod:`ganalyze.runlog.formats.jsonlog` reads it),
``training_options.json`` (its configuration) and ``metric-<name>.jsonl`` (one line per evaluated
snapshot, e.g. ``{"results": {"fid50k_full": 29.4}, "snapshot_pkl": "network-snapshot-000400.pkl",
...}``; the snapshot's number is its kimg). What the folder adds to the statistics:

- **steps in iterations**: ``Progress/kimg`` counts thousands of real images shown to D; with
  ``batch_size`` from ``training_options.json`` the step is kimg x 1000 / batch_size, so the
  diagnosis's windows (in iterations) mean what they mean on other logs. Without the file the step
  stays images shown (the module :mod:`ganalyze.runlog.formats.steps` rule), and the folder says so.
- **learning rates** (``G_opt_kwargs.lr``, ``D_opt_kwargs.lr``) as the run's ``hparams``, and
  ``resume_pkl``: a run resumed from a snapshot does not start untrained.
- **the run's own FID** (and other ``fid*`` metrics), as a ``fid`` column at the tick whose kimg is
  the snapshot's: quoted by the diagnosis (``summary.logged_fid``), never used for its labels.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ganalyze.runlog.formats.common import Parsed

STATS = "stats.jsonl"
OPTIONS = "training_options.json"
_SNAPSHOT = re.compile(r"network-snapshot-(\d+)\.pkl$")


def run_folder(folder: Path) -> Path | None:
    """The ``stats.jsonl`` of a StyleGAN run folder, or None."""
    p = Path(folder) / STATS
    return p if p.is_file() else None


def _options(folder: Path) -> dict:
    """``training_options.json`` as a dict ({} when absent or unreadable: the folder still reads)."""
    p = Path(folder) / OPTIONS
    if not p.is_file():
        return {}
    try:
        doc = json.loads(p.read_text(encoding="utf-8", errors="replace"))
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def fid_by_kimg(folder: Path) -> tuple[str, dict[int, float]]:
    """(file name, kimg -> the run's FID at that snapshot) from the folder's ``metric-fid*.jsonl``
    files (the first by name that holds one, when several FID metrics were evaluated; ("", {}) when
    none); lines that do not parse are skipped."""
    for path in sorted(Path(folder).glob("metric-fid*.jsonl")):
        out = {}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            m = _SNAPSHOT.search(str(rec.get("snapshot_pkl", ""))) if isinstance(rec, dict) else None
            results = rec.get("results") if m else None
            value = next(iter(results.values()), None) if isinstance(results, dict) and results else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[int(m.group(1))] = float(value)
        if out:
            return path.name, out
    return "", {}


def apply_run_folder(parsed: Parsed, folder: Path) -> None:
    """What the StyleGAN run folder beside ``stats.jsonl`` says (module doc), in place."""
    if parsed.meta.get("source_format") != "stylegan2-stats" or "Progress/kimg" not in parsed.frame.columns:
        return
    frame, meta = parsed.frame, parsed.meta
    kimg = frame["Progress/kimg"].to_numpy(dtype="float64")
    opts = _options(folder)
    batch = opts.get("batch_size")
    if isinstance(batch, int) and not isinstance(batch, bool) and batch > 0 and np.isfinite(kimg).all():
        frame["step"] = np.round(kimg * 1000.0 / batch).astype("int64")
        meta["step_from"] = f"kimg x 1000 / batch_size {batch} ({OPTIONS}): iterations"
        meta["batch_size"] = batch
    lrs = {k: (opts.get(f"{n}_opt_kwargs") or {}).get("lr") for k, n in (("lr_g", "G"), ("lr_d", "D"))
           if isinstance(opts.get(f"{n}_opt_kwargs"), dict)}
    lrs = {k: float(v) for k, v in lrs.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0}
    if lrs:
        meta.setdefault("hparams", lrs)
    if isinstance(opts.get("resume_pkl"), str) and opts["resume_pkl"]:
        meta["resumed_from"] = opts["resume_pkl"]
    name, fids = fid_by_kimg(folder)
    if fids and np.isfinite(kimg).any():
        col = np.full(len(frame), np.nan)
        for k, v in fids.items():
            i = int(np.nanargmin(np.abs(kimg - k)))
            if abs(kimg[i] - k) < 1.0:        # the tick that wrote the snapshot (kimg within one kimg of its number)
                col[i] = v
        if (~np.isnan(col)).any():            # an evaluation at a logged tick (inf: the metric blew up)
            frame["fid"] = col
            meta["fid_from"] = name
