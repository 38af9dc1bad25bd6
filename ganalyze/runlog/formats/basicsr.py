"""BasicSR's training logs (ESRGAN, Real-ESRGAN, SRGAN and the many super-resolution GANs built on
it), new and old:

``2021-03-01 12:00:00,123 INFO: [train..][epoch:  0, iter:   1,000, lr:(1.000e-04,)] [eta: ...,
time (data): 0.51 (0.00)] l_g_pix: 1.2e-02 l_g_percep: 3.4e+00 l_g_gan: 5.6e-02 l_d_real: 6.5e-01
out_d_real: 1.2e+00 l_d_fake: 7.1e-01 out_d_fake: -1.2e+00``

``21-03-01 12:00:00.123 - INFO: <epoch:  0, iter:   1,000, lr:1.000e-04> l_g_pix: .. l_g_fea: ..
l_g_gan: .. l_d_real: .. l_d_fake: .. D_real: .. D_fake: ..`` (the old ESRGAN codes)

The console reader reads the lines (the iteration, printed with thousands separators, is the
step; ``l_d_real`` + ``l_d_fake`` is D's loss, ``l_g_gan`` G's, ``out_d_*`` / ``D_real`` /
``D_fake`` D's mean raw outputs). This module reads what the options dump at the head of the same
log says (``logger.info(dict2str(opt))``): the model (``model_type: ESRGANModel``, or the old
``model: srragan``, trains a *relativistic* GAN: an unsupported loss, reported as such), the
``gan_type`` of the others, the GAN term's weight (``l_g_gan`` is G's adversarial loss times the
``loss_weight`` of ``gan_opt``, old: ``gan_weight``: 0.005 in ESRGAN's options, 0.1 in
Real-ESRGAN's; g_loss is divided by it, the printed value kept as ``l_g_gan_weighted``) and the
learning rates (``optim_g``/``optim_d`` ``lr``, old ``lr_G``/``lr_D``). ESRGAN halves each of its D
terms, so their sum is the mean of the two; SRGAN and Real-ESRGAN add whole terms.
"""
from __future__ import annotations

import re

import pandas as pd

from ganalyze.runlog.schema import normalise_name

#: raw labels that make a console log a BasicSR log
LABELS = ("l_d_real", "l_d_fake", "l_g_gan")
_NUMBER = r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)"
_HEAD_LINES = 600                 # the options dump comes before the first iteration line
_GAN_TYPES = {"vanilla": "nsgan", "lsgan": "lsgan", "wgan": "wgan-gp", "wgan_softplus": "wgan-gp", "hinge": "hinge"}
_RELATIVISTIC_MODELS = ("esrganmodel", "srragan")


def is_basicsr(labels) -> bool:
    """Whether a console log's loss labels are BasicSR's."""
    have = {normalise_name(x) for x in labels}
    return all(normalise_name(x) in have for x in LABELS)


def _block(lines: list[str], name: str) -> list[str]:
    """The lines of ``name:[`` ... ``]`` in a dict2str dump (nested blocks included)."""
    for k, line in enumerate(lines):
        if re.match(rf"^\s*{name}\s*:\s*\[\s*$", line):
            indent = len(line) - len(line.lstrip())
            out = []
            for inner in lines[k + 1:]:
                if inner.strip() == "]" and len(inner) - len(inner.lstrip()) <= indent:
                    break
                out.append(inner)
            return out
    return []


def _value(lines: list[str], key: str) -> str | None:
    for line in lines:
        if m := re.match(rf"^\s*{key}\s*:\s*(\S+)\s*$", line):
            return m.group(1)
    return None


def _number(text: str | None) -> float | None:
    if text is None or not re.fullmatch(_NUMBER, text):
        return None
    return float(text)


def options(text: str) -> dict:
    """What the log's options dump says: ``model``, ``gan_type``, ``gan_weight``, ``lr_g``,
    ``lr_d`` (absent keys are not in the dict)."""
    lines = []
    for line in text.splitlines()[:_HEAD_LINES]:
        if re.search(r"\biter:\s*[\d,]+", line):
            break
        lines.append(re.sub(r"^.*?\bINFO:\s?", "", line))      # the logger's prefix, if any
    out = {}
    model = _value(lines, "model_type") or _value(lines, "model")
    if model:
        out["model"] = model
    gan = _block(lines, "gan_opt")
    gan_type = _value(gan, "gan_type") or _value(lines, "gan_type")
    if gan_type:
        out["gan_type"] = gan_type
    weight = _number(_value(gan, "loss_weight")) if gan else _number(_value(lines, "gan_weight"))
    if weight is not None and weight >= 0:
        out["gan_weight"] = weight
    for ours, new, old in (("lr_g", "optim_g", "lr_G"), ("lr_d", "optim_d", "lr_D")):
        lr = _number(_value(_block(lines, new), "lr")) or _number(_value(lines, old))
        if lr is not None and lr > 0:
            out[ours] = lr
    return out


def conventions(text: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict, dict]:
    """(frame, meta, guesses) of a BasicSR log whose lines the console reader parsed (module doc)."""
    opts = options(text)
    # "[eta: 1 day, 2:03:04, time (data): 0.51 (0.00)]": a duration and timings, not values
    frame = frame.drop(columns=[c for c in frame.columns if c in ("eta", "data)", "data")])
    meta = {"basicsr_options": opts}
    guesses = {"averaged": (False, "BasicSR prints the log_dict of the iteration it logs (model.get_current_log()), "
                                   "not a mean over the print interval")}
    model = str(opts.get("model", ""))
    gan_type = str(opts.get("gan_type", ""))
    relativistic = normalise_name(model) in _RELATIVISTIC_MODELS
    if relativistic:
        meta["loss"] = "relativistic"
        meta["loss_from"] = (f"the log's options: model {model} trains a relativistic average GAN (D scores real "
                             "against the mean fake and back), which has no levels here")
    elif gan_type in _GAN_TYPES:
        meta["loss"] = _GAN_TYPES[gan_type]
        meta["loss_from"] = f"the log's options: gan_type {gan_type}" + (f" ({model})" if model else "")
    if relativistic or normalise_name(model) in ("esrganmodel",):
        meta["d_loss_reduction"] = "mean"
        meta["d_loss_from"] = "l_d_real + l_d_fake, each half of its term in ESRGAN's code: the mean of the two"
    else:
        meta["d_loss_reduction"] = "sum"
    meta["scores"] = "critic"          # out_d_* / D_real / D_fake: D's mean raw outputs (logits)
    g = next((c for c in frame.columns if normalise_name(c) == "lggan"), None)
    if g is not None and opts.get("gan_weight") == 0:
        meta["g_loss_from"] = (f"{g} as printed: the options' GAN weight is 0, so G is not trained against D "
                               "(a pixel/perceptual-loss run or fine-tune); only D's side of this log is adversarial")
    elif g is not None and "gan_weight" in opts:
        w = opts["gan_weight"]
        frame = frame.copy()
        frame[f"{g}_weighted"] = frame[g]
        frame[g] = frame[g] / w
        meta["g_loss_from"] = f"{g} / {w:g}: the printed term is G's adversarial loss times the options' GAN weight"
    elif g is not None:
        meta["g_loss_from"] = (f"{g} as printed: G's adversarial loss times a GAN weight the log does not state "
                               "(0.005 in ESRGAN's options, 0.1 in Real-ESRGAN's), so its level is not the loss's own")
    hp = {k: opts[k] for k in ("lr_g", "lr_d") if k in opts}
    if hp:
        meta["hparams"] = hp
    return frame, meta, guesses
