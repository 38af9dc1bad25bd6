"""The ``train.log`` of the VITS family (VITS, so-vits-svc, Bert-VITS2 and the speech GANs built on
their ``utils.get_logger``): HiFi-GAN's discriminators trained beside a speech model.

Every ``log_interval`` steps the training loop logs two lines (after the logger's prefix, e.g.
``2023-03-28 10:00:00,000	32k	INFO	``)::

    Train Epoch: 13 [50%]
    [2.3676, 2.6419, 14.836, 22.527, 1.2664, 200, 9.985e-05]

the list being ``[loss_disc, loss_gen, loss_fm, loss_mel, (loss_dur,) loss_kl] + [global_step, lr]``
(so-vits-svc has no duration loss; other lengths keep their middle entries as ``term_3`` ...);
so-vits-svc 4.x writes the second line as ``Losses: [loss_disc, loss_gen, loss_fm, loss_mel, loss_kl],
step: 200, lr: 9.99e-05, reference_loss: ..``. The
values of the step it logs (no average). ``loss_disc`` is HiFi-GAN's least-squares D loss,
``mean((1 - D(x))^2) + mean(D(G(z))^2)`` without the LSGAN paper's 1/2, summed over its six
discriminators (one ``DiscriminatorS``, ``DiscriminatorP`` with periods 2, 3, 5, 7, 11);
``loss_gen`` is ``mean((1 - D(G(z)))^2)`` summed over the same six: G's adversarial term alone
(feature matching, mel x 45, duration and KL are the list's other entries). So ``d_loss`` and
``g_loss`` are those sums / 6, one discriminator's (equilibria 0.5 and 0.25), the printed sums kept
as ``loss_disc_sum_over_D`` / ``loss_gen_sum_over_D``; ``lr`` is the learning rate both optimizers
share (one ``learning_rate``, one decay). The first line of such a log is usually the hparams dict.
"""
from __future__ import annotations

import re

import pandas as pd

from ganalyze.runlog.formats.common import NUM, NotThisFormat, Parsed

LOOKS_LIKE = re.compile(r"Train Epoch: \d+ \[\d+%\]")
_EPOCH = re.compile(r"Train Epoch: (\d+) \[(\d+)%\]\s*$")
_LIST = re.compile(r"\[\s*(" + NUM + r"(?:\s*,\s*" + NUM + r")+)\s*\]\s*$")
_LOSSES = re.compile(r"Losses: \[\s*(" + NUM + r"(?:\s*,\s*" + NUM + r")+)\s*\], step: (\d+), lr: (" + NUM + r")")
#: VITS's (and so-vits-svc's) HiFi-GAN discriminators whose losses the logged entries sum
N_DISCRIMINATORS = 6
MIDDLE = {3: ("loss_fm", "loss_mel", "loss_kl"), 4: ("loss_fm", "loss_mel", "loss_dur", "loss_kl")}


def parse_train_log(text: str) -> Parsed:
    """Parse the ``Train Epoch`` / loss-list line pairs (module doc); other lines are skipped."""
    rows, epoch = [], None
    for line in text.splitlines():
        if m := _EPOCH.search(line):
            epoch = int(m.group(1))
            continue
        if epoch is not None and (m := _LOSSES.search(line) or _LIST.search(line)):
            values = [float(x) for x in re.split(r"\s*,\s*", m.group(1).strip())]
            if m.re is _LOSSES:         # so-vits-svc 4.x: the step and lr printed after the list
                values += [float(m.group(2)), float(m.group(3))]
            if len(values) >= 4:
                rows.append((epoch, values))
            epoch = None            # a list belongs to the Train Epoch line right before it
    if not rows:
        raise NotThisFormat("no 'Train Epoch: N [p%]' line followed by a list of losses, step and lr")
    length = len(rows[0][1])
    if any(len(v) != length for _, v in rows):
        raise NotThisFormat("its loss lists differ in length, so their entries cannot be named by position")
    middle = MIDDLE.get(length - 4, tuple(f"term_{k}" for k in range(3, length - 1)))
    frame = pd.DataFrame([v for _, v in rows], columns=["loss_disc", "loss_gen", *middle, "step", "lr"])
    frame["epoch"] = [e for e, _ in rows]
    frame = frame.rename(columns={"loss_disc": "loss_disc_sum_over_D", "loss_gen": "loss_gen_sum_over_D",
                                  "lr": "lr_g"})
    frame["d_loss"] = frame["loss_disc_sum_over_D"] / N_DISCRIMINATORS
    frame["g_loss"] = frame["loss_gen_sum_over_D"] / N_DISCRIMINATORS
    frame["lr_d"] = frame["lr_g"]
    frame["step"] = frame["step"].round().astype("int64")
    why = "the VITS train.log's loss list"
    meta = {"source_format": "vits-train-log", "d_loss_reduction": "sum",
            "d_loss_from": f"loss_disc / {N_DISCRIMINATORS}: HiFi-GAN's (1 - D(x))^2 + D(G(z))^2 summed over its "
                           f"{N_DISCRIMINATORS} discriminators, per discriminator"}
    guesses = {"loss": ("lsgan", f"{why}: HiFi-GAN's discriminators train with least squares"),
               "lsgan_terms": ("plain", f"{why}: HiFi-GAN's losses are (D - target)^2 without the LSGAN paper's 1/2"),
               "averaged": (False, f"{why} holds the losses of the step it logs")}
    return Parsed(frame=frame, meta=meta, guesses=guesses)
