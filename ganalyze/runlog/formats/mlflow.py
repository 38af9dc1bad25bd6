"""An MLflow run folder of the local file store (``mlruns/<experiment id>/<run id>/``, what
``mlflow.log_metric`` and Lightning's ``MLFlowLogger`` write without a tracking server).

``metrics/<name>`` holds one line ``<timestamp ms> <value> <step>`` per logged value (a name with
``/`` is a sub-folder: ``metrics/loss/D``); the step is MLflow's ``step`` argument (0 when the
code gave none: then every value shares step 0 and the run is refused with a line saying so).
A step logged twice: the later line wins. ``params/<name>`` holds one value as text: learning
rates and update ratios under common names (``lr_d``/``d_lr``/``lr_D``, ``lr_g``..., ``lr`` for
both, ``n_critic``/``d_steps``/``critic_iters``/``num_D_steps``) become the run's ``hparams``
for the advice, and a ``loss``/``gan_loss``/``loss_type`` param naming a supported loss is taken
as the loss (marked as guessed from that param: a name can mislead). Column names go through the
same aliases as every format (``loss/D`` -> d_loss).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES
from ganalyze.runlog.formats.common import NotThisFormat, Parsed
from ganalyze.runlog.formats.hparams import hparams_of

_LOSS = ("loss", "gan_loss", "loss_type", "gan_type", "adversarial_loss")


def run_folder(path: Path) -> Path | None:
    """The run folder when ``path`` is an MLflow run folder or its ``metrics`` folder, else None."""
    for folder in (path, path.parent if path.name == "metrics" else None):
        if folder is not None and (folder / "metrics").is_dir() and (folder / "meta.yaml").is_file():
            return folder
    return None


def _read_metric(path: Path) -> tuple[pd.Series, int]:
    """(values by step, the later write of a step winning; lines read)."""
    try:
        rows = pd.read_csv(path, sep=r"\s+", header=None, engine="python", dtype=str, on_bad_lines="skip")
    except pd.errors.EmptyDataError:
        return pd.Series(dtype="float64"), 0
    if rows.shape[1] < 2:
        return pd.Series(dtype="float64"), 0
    step = pd.to_numeric(rows[2], errors="coerce") if rows.shape[1] >= 3 else pd.Series(0, index=rows.index)
    value = pd.to_numeric(rows[1], errors="coerce")
    ok = step.notna() & (step == np.round(step)) & (value.notna() | rows[1].str.lower().isin(["nan", "inf", "-inf"]))
    s = pd.Series(value[ok].to_numpy("float64"), index=pd.Index(step[ok].astype("int64").to_numpy(), name="step"))
    return s[~s.index.duplicated(keep="last")], int(ok.sum())


def _params(folder: Path) -> dict[str, str]:
    p = folder / "params"
    if not p.is_dir():
        return {}
    return {f.relative_to(p).as_posix(): f.read_text(encoding="utf-8", errors="replace").strip()
            for f in sorted(p.rglob("*")) if f.is_file()}


def parse_mlflow_run(folder: Path) -> Parsed:
    """Read one MLflow run folder (module doc) into a :class:`Parsed`."""
    metrics = folder / "metrics"
    read = {f.relative_to(metrics).as_posix(): _read_metric(f) for f in sorted(metrics.rglob("*")) if f.is_file()}
    series = {k: s for k, (s, _) in read.items() if len(s)}
    if not series:
        raise NotThisFormat(f"{metrics} holds no '<timestamp> <value> <step>' metric lines")
    frame = pd.concat(series, axis=1, join="outer").sort_index()
    if len(frame) == 1 and max(n for _, n in read.values()) > 1:
        raise GanalyzeError(f"{folder}: every metric value was logged at step {int(frame.index[0])} (mlflow.log_metric "
                            "without step=), so the log has no timeline; allowed: values logged with step=")
    meta = {"source_format": "mlflow", "step_from": "MLflow's step of each logged value"}
    params = _params(folder)
    if hp := hparams_of(params):
        meta["hparams"] = hp
    guesses = {}
    named = [(k, v) for k, v in params.items() if k.lower().rsplit("/", 1)[-1] in _LOSS and v.lower() in LOSSES]
    if named:
        guesses["loss"] = (named[0][1].lower(), f"the run's MLflow param {named[0][0]}={named[0][1]}")
    return Parsed(frame=frame.reset_index(), meta=meta, guesses=guesses)
