"""The training settings a run's own files state beside its log, as the ``hparams`` the advice
quotes (``ganalyze.diagnose.metadata.run_config``): learning rates and updates per iteration
under the names GAN code commonly gives them.

- :func:`hparams_of` maps ``{name: value}`` (MLflow params, a Lightning ``hparams.yaml``) to
  ``{lr_d, lr_g, d_steps, g_steps}``: ``lr_d``/``d_lr``/``lr_D``/``disc_lr``..., the same for G,
  a single ``lr``/``learning_rate`` for both; ``n_critic``/``d_steps``/``critic_iters``/
  ``num_D_steps`` (then ``g_steps`` 1). Names are matched on their last ``/`` or ``.`` part,
  case- and ``-``/``_``-insensitively; a value that is no finite number is ignored.
- :func:`sidecar_hparams` reads ``hparams.yaml`` (what Lightning's TensorBoard and CSV loggers
  write in each ``version_N`` folder) with ``yaml.safe_load``, which builds plain values only (a
  file with Python object tags is skipped, never constructed).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

SIDECAR = "hparams.yaml"
_LR_D = ("lr_d", "d_lr", "lr_dis", "dis_lr", "lr_disc", "disc_lr", "lrd", "d_learning_rate", "discriminator_lr")
_LR_G = ("lr_g", "g_lr", "lr_gen", "gen_lr", "lrg", "g_learning_rate", "generator_lr")
_LR = ("lr", "learning_rate")
_D_STEPS = ("n_critic", "d_steps", "critic_iters", "num_d_steps", "n_dis", "d_updates")


def _key(name) -> str:
    return str(name).replace("-", "_").replace(".", "/").rsplit("/", 1)[-1].lower()


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def hparams_of(values: dict) -> dict:
    """``{lr_d, lr_g, d_steps, g_steps}`` (only those found) from ``{name: value}`` (module doc)."""
    low = {}
    for k, v in values.items():
        low.setdefault(_key(k), v)

    def first(names):
        return next((x for n in names if n in low and (x := _number(low[n])) is not None), None)

    out = {}
    lr_d, lr_g, lr = first(_LR_D), first(_LR_G), first(_LR)
    if lr_d is not None or lr is not None:
        out["lr_d"] = lr_d if lr_d is not None else lr
    if lr_g is not None or lr is not None:
        out["lr_g"] = lr_g if lr_g is not None else lr
    d_steps = first(_D_STEPS)
    if d_steps is not None and d_steps >= 1 and d_steps == int(d_steps):
        out["d_steps"], out["g_steps"] = int(d_steps), 1
    return out


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}/"))
        else:
            out[f"{prefix}{k}"] = v
    return out


def sidecar_hparams(folder: Path) -> dict:
    """``hparams_of`` the ``hparams.yaml`` in ``folder`` ({} when there is none, it is not plain
    YAML, or it names no setting we use)."""
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8", errors="replace"))
    except yaml.YAMLError:
        return {}
    return hparams_of(_flatten(loaded)) if isinstance(loaded, dict) else {}
