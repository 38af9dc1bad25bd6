"""Console output of training scripts: one progress line per logged step.

Read (each line on its own; lines without a D or G loss only update the current epoch):

- the PyTorch DCGAN tutorial and its variants: ``[0/5][50/1583]\\tLoss_D: .. Loss_G: .. D(x): ..
  D(G(z)): a / b``, with spaces between the brackets, text or ``)`` before them, ``lossD`` /
  ``D_loss`` / ``errD`` spellings;
- PyTorch-GAN / pytorch-tutorial style ``[Epoch 1/200] [Batch 5/938] [D loss: ..] [G loss: ..]``,
  ``Epoch [1/200], Step [100/600], d_loss: .., g_loss: ..``, ``Epoch: [ 0/25] [ 100/1583] ..``;
- Keras ``Epoch 1/50`` headers with progress bars ``469/469 [====] - 5s - d_loss: .. - g_loss: ..``
  (the values are running means over the epoch: ``averaged`` is guessed true);
- Keras-GAN ``469 [D loss: 0.650, acc.: 62.50%] [G loss: 0.668]`` (step = the leading number;
  Keras-GAN's D loss is the mean of its real and fake terms: guessed);
- ``key=value`` lines (``epoch=0 lr=0.0002 D_loss=0.51 G_loss=2.3``);
- BasicSR's ``[epoch:  0, iter:   1,000, lr:(..)] l_g_gan: .. l_d_real: ..`` (its options dump at the
  head of the log gives the loss and the GAN weight: :mod:`ganalyze.runlog.formats.basicsr`);
- ``Step 100: [D loss: ..]``, ``Iteration 500 ...``, ``0-3 [D loss: ..]`` (epoch-batch); an
  ``Iteration [5/3000]`` line of its own before each line of values (StarGAN forks) gives it its step;
- values in brackets after their label (``Epoch [0] Batch [1] Disc Loss [1.44] Gen Loss [0.72]``;
  a batch counter without its total takes the epoch size from the largest batch seen) and
  counters glued to their number (``epoch 3 iteration700, G Loss: ..``);
- the original WGAN code's ``[0/25][5/1583][2] Loss_D: .. Loss_G: .. Loss_D_real: .. Loss_D_fake ..``:
  the third counter is the generator iteration, which is the step (one line per G step; the
  batch counter counts the critic's batches, 100 per G step early on); its ``Loss_D_fake`` is the
  critic's mean on fakes in the code's sign (``Loss_D = Loss_D_real - Loss_D_fake``), so
  ``d_loss_fake`` is read as its negative where that identity holds, and its loss is guessed a
  critic (Wasserstein) loss.

A counter that goes back to where the file began starts another run (:func:`split_runs`).

Counters ``e/E`` are taken as 1-based when a value reaches its total or they start at 1
(Keras, ``epoch + 1`` prints), else 0-based; step = epoch x batches per epoch + batch.
Values printed with ``%`` are divided by 100.
"""
from __future__ import annotations

import itertools
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.formats import basicsr
from ganalyze.runlog.formats.columns import fallback_names, names_a_loss
from ganalyze.runlog.formats.common import (
    FOREIGN_EPOCH,
    FOREIGN_LOSS,
    FOREIGN_NET_LOSS,
    NON_ASCII_WORD,
    NUM,
    NotThisFormat,
    Parsed,
    ascii_label,
    ascii_word,
    foreign_net_loss,
)
from ganalyze.runlog.formats.domains import domain_loss, net_word_loss
from ganalyze.runlog.formats.steps import appended_run_bounds
from ganalyze.runlog.schema import canonical_column, normalise_name

# "Epoch 3/50", "epoch: [3/50]", "Epochs:3 ||" ("Epochs: 1.163 global step: 1000", a fraction of the data seen, is
# no counter: _template_frame drops a counter that is not a whole number)
# (a run of dashes may lead to the number: a Keras CycleGAN's "Epoch---------------- 83 / 100", "Loop index-------- 1 / 30")
# (or in parentheses: "Epoch (1/50)  Iter (1875/1875)")
_EPOCH = re.compile(r"(?i)(?<!per )\b(?:epoch\b(?:\s*(?:number|num|no\.?|#))?|epochs\s*:|epochs(?=\s+\d))\s*(?:-+|=+>?|:)?\s*[\[(]?\s*(\d+)\s*(?:/\s*(\d+))?\s*[\])]?")
_BATCH = re.compile(r"(?i)\b(?:batch|iter|iteration|step|it|loop index|batch index)\b(?:\s*(?:num|number|no\.|#))?\s*(?:[:=]|-+)?\s*[\[(]?\s*(\d+)\s*/\s*(\d+)\s*[\])]?")
_PAIR = re.compile(r"\[\s*(\d+)\s*/\s*(\d+)\s*\]")
# a bare "9/24" right after the epoch's own number, between commas: the batch of the epoch
_BARE_BATCH = re.compile(r"\s*,\s*(\d+)\s*/\s*(\d+)\s*,")
# Keras 2 "[==>..]", Keras 3 "━━━", and verbose=2's line without a bar, "300/300 - 37s - d_loss: .."
_PROGBAR = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*(?:\[[=>.\s]*\]|[━─]+|(?=-\s+\d+(?:\.\d+)?(?:s|ms|us)\b))")
_PAIR_AFTER_BAR = re.compile(r"\s*(\d+)\s*/\s*(\d+)\b(?!\s*\[)")      # "3/500 [=====] 117/117"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")                                        # terminal colours (Keras 3's progress bar)
#: Keras' verbose=2 line ends in its rates, "469/469 - 41s - d_loss: 0.69 - g_loss: 0.66 - 41s/epoch - 88ms/step": the
#: "epoch - 88" in them had been read as epoch 88 on every row (held-out batch 519/01: 60 epochs kept as one row)
_KERAS_RATES = re.compile(r"[ \t]+-[ \t]+\d+(?:\.\d+)?(?:ms|us|\u00b5s|s)/(?:epoch|step|sample)\b")
#: a running best of a metric, "Best FID: 59.2969 Best IS: 5.8791" on every line (held-out batch 510/03): its own
#: column, not the run's FID (its label's last word had been read as "FID", and the evaluations' own "FID: 140.68",
#: which showed the run getting worse, was overwritten by it)
_RUNNING_BEST = re.compile(r"(?i)\b(best|min|lowest|max|highest)[ \t]+(FID|IS|KID|PSNR|SSIM|LPIPS)(?=[ \t]*[:=])")
#: livelossplot's summary under a group title ("Loss" / "\tD_Loss   \t (min:    0.520, max:    1.490, cur:    0.957)"):
#: the value now is "cur" (held-out batch 535/08; the plot redraws over clear_output, so one block is left)
_LIVELOSS = re.compile(r"(?m)^([ \t]*[A-Za-z][\w ]*?)[ \t]*\(min:[ \t]*" + NUM + r",[ \t]*max:[ \t]*" + NUM
                       + r",[ \t]*cur:[ \t]*(" + NUM + r")\)")
#: a print of names, then as many values: "Epoch, G_loss, D_loss, convergence_metric 1 678.47 272.35 0.2338" (a BEGAN
#: notebook's print("Epoch, G_loss, D_loss, convergence_metric", epoch, g, d, m), held-out batch 515/19)
_NAMES_THEN_VALUES = re.compile(r"(?m)^([ \t]*)([A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)+)[ \t]*[:=]?[ \t]+("
                                + NUM + r"(?:[ \t]+" + NUM + r")+)[ \t]*$")


def _names_then_values(m: re.Match) -> str:
    """Each name before its value (``Epoch: 1, G_loss: 678.47, ..``), where there are as many of each."""
    names, values = [n.strip() for n in m.group(2).split(",")], m.group(3).split()
    if len(names) != len(values):
        return m.group(0)
    return m.group(1) + ", ".join(f"{n}: {v}" for n, v in zip(names, values))


#: a Keras bar's ETA with the notebook's own print glued to it: "- ETA: 46sEpoch: 1 | .." (or after the space Keras pads
#: a short ETA with, "- ETA: 5s Epoch: 1", held-out batch 498/24): the value's unit had been read as a label "s Epoch"
_ETA_GLUED = re.compile(r"(\bETA:\s*(?:\d+:)*\d+(?:ms|us|s)?)[ \t]*(?=[A-Z])")
_INITIAL = re.compile(r"(?i)^\s*initial\s*:")   # TensorFlow-Examples' losses before training, at step 0
# "50/5000: d_loss: ..." (Chollet's Keras GAN), "100/1000 d_loss: 0.70 g_loss: 0.72" (a Keras 3 notebook's own print)
_LEAD_PAIR = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*(?::|(?=\s+[A-Za-z_]\w*\s*[:=]\s*[-+]?(?:\d|\.\d|nan|inf)))")
_TQDM_BAR = re.compile(r"\|\s*(\d+)/(\d+) \[\d")       # a tqdm bar's "| 704/704 [01:19<..": iterations done / total
# a tqdm bar with its postfix: "| 2/60 [02:40<40:00, 40.00s/it, Generator loss=.., Critic loss=..]"
_TQDM_POSTFIX = re.compile(r"\|\s*(\d+)/(\d+) \[[^\[\]]*?(?:it/s|s/it)\s*,\s*[^\[\]=,]+=")
_BATCH_ONLY = re.compile(r"(?i)\bbatch\b\s*[:=]?\s*\[?\s*(\d+)\b(?!\s*/|\.\d)")  # "Epoch [0] Batch [7]": no total
# "batch 3 d_loss : 0.72" (jacobgil/keras-dcgan), "ep 90 g_loss : 2.19": a counter word, its number, then a label
_LEAD_BATCH = re.compile(r"(?i)^\s*(batch|ep|epoch)\s+(\d+)\s+(?=[A-Za-z_]\w*\s*[:=])")
_LEAD_STEP = re.compile(r"^\s*(\d+)\s*:?\s*\[")
_LEAD_EPOCH_BATCH = re.compile(r"^\s*(\d+)-(\d+)\s*:?\s*\[")          # "0-3 [D loss: ..." (epoch-batch)
_STEP = re.compile(r"(?i)\b(?:steps?|iter|iteration|it|itr|episode)\b\s*[:=-]?\s*(\d+)\b(?!\s*/|\.\d)")   # "Iter-5000;" too
_KERAS_EPOCH_LINE = re.compile(r"^\s*Epoch\s+\d+\s*/\s*\d+\s*$")
_KERAS_GAN = re.compile(r"^\s*\d+\s*\[D loss:")
#: eriklindernoren/PyTorch-GAN's print, "[Epoch 3/200] [Batch 120/938] [D loss: 0.51] [G loss: 1.03]"
#: (its scripts log d_loss = (real_loss + fake_loss) / 2), also once per epoch without the batch (the
#: tutorials built on it: "[Epoch 3/200] [D loss: 0.51] [G loss: 1.03] [Elapsed time: 35.2s]")
_PYTORCH_GAN = re.compile(r"^\s*\[Epoch \d+/\d+\]\s*(?:\[Batch \d+/\d+\]\s*)?\[D loss: ")
_WGAN_FAKE = re.compile(r"\b(Loss_D_fake)\s+(?=[-+]?\d)")
# pytorch_GAN_zoo's "[scale : iteration] loss G : .. loss D : ..": the iteration within the scale
_SCALE_ITER = re.compile(r"^\s*\[\s*(\d+)\s*:\s*(\d+)\s*\]")
# "[ 1/10][     44][  132.52s]\td_loss/g_loss: -7.5/ 4.6": [epoch/E], the iteration, the time
_EPOCH_THEN_STEP = re.compile(r"^\s*\[\s*(\d+)\s*/\s*(\d+)\s*\]\s*\[\s*(\d+)\s*\]\s*\[\s*[\d.]+\s*s\s*\]")
_WGAN = re.compile(r"^\s*\[\s*(\d+)\s*/\s*(\d+)\s*\]\s*\[\s*(\d+)\s*/\s*(\d+)\s*\]\s*\[\s*(\d+)\s*\]")
# lucidrains' print_log (stylegan2-pytorch: GP, PL, CR, Q, FID; lightweight-gan: SS), and behind it the
# counter of the tqdm bar it was written after, when there was one
_LUCIDRAINS_KEYS = r"(?: \| (?:GP|PL|CR|Q|FID|SS): " + NUM + r")*"
_LUCIDRAINS = re.compile(r"^\s*G: " + NUM + r" \| D: " + NUM + _LUCIDRAINS_KEYS + r"(?: \| bar_step: \d+)?\s*$")
# the same print behind a tqdm bar it was written after ("... 34% 68044/200000 [02:01<..]G: 0.34 | D: 1.79 | ...")
_LUCIDRAINS_TAIL = re.compile(r"(?:\b(\d+)/\d+ \[[^\[\]\n]*\])?(?<=\])\s*(G: " + NUM + r" \| D: " + NUM
                              + _LUCIDRAINS_KEYS + r")\s*$", re.MULTILINE)
_GROUP = re.compile(r"\[([^\[\]]*)\]")
# "[Label - value]" groups (the last one may lose its "]" when the print is cut): read as "[Label: value]"
_DASH_GROUP = re.compile(r"(?m)\[\s*([A-Za-z][A-Za-z _()]*?)\s+-\s+(" + NUM + r")\s*(?:\]|$)")
# "Loss_Discriminator--[0.29], Epoch--[3 / 120]": a name, two dashes and its value (or counter) in brackets
_DOUBLE_DASH = re.compile(r"([A-Za-z_]\w*)--\[\s*(" + NUM + r")\s*(?:/\s*(\d+)\s*)?\]")
# "GLoss: [7.08] DLoss: [7.73] D(G): [0.55/0.33]": a label, a colon and its value (or a pair) in brackets (or an
# "=": StarGAN's Keras port, "D/loss_real = [-2.3522], D/loss_cls =  [0.1435]")
_COLON_BRACKET = re.compile(r"(?<![\w\[])([A-Za-z][\w()]*(?:/[A-Za-z]\w*)?)\s*[:=]\s*\[\s*(" + NUM + r")\s*(?:/\s*("
                            + NUM + r")\s*)?\]")
# "Disc loss:[0.4885885 0.5390625]": Keras' train_on_batch [loss, accuracy] printed as a numpy array: its loss (or
# after "=": "gan_loss=[0.761 0.36 ]", held-out batch 636/06)
_COLON_ARRAY = re.compile(r"(?<![\w\[])([A-Za-z][\w() ]*?)\s*[:=]\s*\[\s*(" + NUM + r")(?:\s+" + NUM + r")+\s*\]")
# ... with no colon after a label that ends in "loss", as an array or a list: a Keras CycleGAN's "discriminator loss
# [0.683 0.565 ]" and "genarator loss [10.63, 0.70, 0.42, ...]" (its combined model's total, then each output's
# loss; held-out batch 620/02, refused): the first value
_LOSS_ARRAY = re.compile(r"(?<![\w\[])([A-Za-z][A-Za-z_()]*(?: [A-Za-z_()]+)*?[ _](?i:loss))\s*\[\s*(" + NUM
                         + r")(?:(?:\s+|\s*,\s*)" + NUM + r")+\s*,?\s*\]")
# ... or as a list, where its label names a loss ("Discriminator Loss: [0.031, 0.99]"; not Dev Nag's "Real: [4.0, 1.25]")
_COLON_LIST = re.compile(r"(?<![\w])([A-Za-z][\w() ]*?(?i:loss)[\w() ]*?)\s*[:=]\s*\[\s*(" + NUM + r")(?:\s*,\s*" + NUM
                         + r")+\s*\]")
# "D_loss: (0.62, 0.26)": D's loss printed as the tuple of its real and fake terms (a step function's
# `return loss_real.item(), loss_fake.item()`): the two terms, D's loss their sum (whatever their order)
_D_TUPLE = re.compile(r"(?<![\w.])([A-Za-z][\w ]*?)\s*[:=]\s*\(\s*(" + NUM + r")\s*,\s*(" + NUM + r")\s*\)")


def _d_tuple(m: re.Match) -> str:
    if canonical_column(m.group(1)) != "d_loss":
        return m.group(0)
    return f"{m.group(1)}_real: {m.group(2)}, {m.group(1)}_fake: {m.group(3)}"


# "Disc acc: %100.0%": a per cent sign on both sides of the number
_PERCENT_BOTH = re.compile(r":\s*%\s*(" + NUM + r")\s*%")
# "D-loss -24.76, G-loss 108.48" / "discriminator loss -20.1, generator loss 118.4": a D or G name of
# one or two words and its value without a colon; read only where a line holds both a D and a G loss (or D(x) and D(G(z))) so
# (the last value may end a tqdm description: "epoch loss_g 1.75 loss_d 0.93:   8%|▊  | 25/300 [.."; an
# abbreviated name may end in its period: "Loss Gen. 5.69, Loss Dic. 2.57")
_SPACED_VALUE = re.compile(r"(?<![\w.:=-])([A-Za-z][\w()-]*(?: [A-Za-z][\w()-]*){0,2})\.?\s+(" + NUM
                           + r")(?:(?![\w.:/])|(?=:\s+\d+%\|))")
_SPACED_COLUMNS = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake", "d_x", "d_g_z1", "d_g_z2", "fid")


# a label with a colon (or "=") and its value, for :func:`_spaced_values`: "Discriminator loss: 0.11"
_COLON_VALUE = re.compile(r"(?<![\w.])([A-Za-z][\w()-]*(?: [A-Za-z][\w()-]*)?)\s*[:=]\s*(" + NUM + r")")


_WORD = re.compile(r"[A-Za-z]")


def _spaced_values(head: str) -> bool:
    """Whether a line of ``head`` names both players' losses (or D's two outputs) in :data:`_SPACED_VALUE`'s form,
    or one of them so beside the other with a colon ("Epoch: 0  Discriminator loss: 0.11  Generator loss 4.18")."""
    prev: set = set()
    prev_colon: set = set()
    # (the first 500 lines with a word in them: a notebook may print hundreds of "(100, 28, 28, 1)" shapes first)
    worded = (line for line in head.splitlines() if _WORD.search(line))
    players = {"d_loss", "g_loss"}
    for line in itertools.islice(worded, 500):
        names = {_spaced_name(m.group(1))[1] for m in _SPACED_VALUE.finditer(line)}
        if players <= names or {"d_x", "d_g_z1"} <= names:     # "D(x) 0.68, D(G(x)) 0.28" too
            return True
        if {"g_loss", "d_loss_real", "d_loss_fake"} <= names:
            # D's two terms beside G's loss, three-word names ("Gen Loss 0.9518 | Disc Fake Loss 0.5611 | Disc Valid
            # Loss 0.5886| Time 23.42 sec", held-out batch 657/05)
            return True
        # each on a line of its own, one after the other ("generator loss -41.07" / "disciminator loss -11.38"), or
        # beside the other's with a colon on the line next to it ("Discriminator Loss  0.6268" / "Generator Loss:
        # 0.9110", held-out batch 643/02)
        alone = _SPACED_VALUE.fullmatch(line.strip())
        colon = {canonical_column(m.group(1)) for m in _COLON_VALUE.finditer(line)}
        if alone and names <= players and players <= names | prev | prev_colon:
            return True
        if prev and players <= prev | colon:
            return True
        prev = names if alone and names <= players else set()
        prev_colon = colon & players
        if names & players and players <= names | colon:
            return True
    return False


def _spaced_name(label: str) -> tuple[str, str | None]:
    """(the words before the name, our column) of a spaced label: "D-loss" -> ("", "d_loss"); a
    two-word label that names no column but whose last word does ("epoch loss_g": tqdm's description
    "epoch" then the name) -> ("epoch", "g_loss")."""
    if (col := canonical_column(label)) is not None or " " not in label:
        return "", col
    first, last = label.rsplit(" ", 1)
    col = canonical_column(last)
    return (first, col) if col is not None else ("", None)


def _spaced_value(m: re.Match) -> str:
    first, col = _spaced_name(m.group(1))
    if col not in _SPACED_COLUMNS:
        return m.group(0)
    label = m.group(1)[len(first):].strip() if first else m.group(1)
    name = re.sub(r"[\s-]+", "_", label)       # one word: "D-loss" is no label the chunks read whole
    tail = "," if m.string.startswith(":", m.end()) else ""     # the tqdm description's own colon follows
    return (f"{first}, " if first else "") + f"{name}: {m.group(2)}{tail}"


# "Loss_D = 0.3176 (ave = 0.2911)": a value and its running mean; the mean is "Loss_D_ave", not a column "ave"
# that D's and G's lines would share
_PAREN_AVE = re.compile(r"\b([A-Za-z][\w()]*)(\s*[:=]\s*)(" + NUM + r")\s*\(\s*(ave|avg|average|mean|running)\s*[:=]\s*("
                        + NUM + r")\s*\)")
# "Generator Loss (Min-Max GAN): 6.3173, Discriminator Loss (Min-Max GAN): 0.4824" (held-out batch 700/03): one tag
# in parentheses after every loss label of a line names the run, not the loss; dropped where two or more labels on
# the line carry the same tag ("D loss (real): .., D loss (fake): .." keep theirs)
_TAGGED_LABEL = re.compile(r"(?i)\b([A-Za-z][\w ]*?loss)[ \t]*\(([^()\n:=]{1,40})\)(?=[ \t]*[:=])")


def _tagged_line(m: re.Match) -> str:
    """One line with the run's tag taken off its loss labels, where each of them carries it."""
    line = m.group(0)
    tags = [t.group(2).strip().lower() for t in _TAGGED_LABEL.finditer(line)]
    return _TAGGED_LABEL.sub(r"\1", line) if len(tags) >= 2 and len(set(tags)) == 1 else line


def _same_tag_line(head: str) -> bool:
    """Whether some line of ``head`` carries one tag on two or more of its loss labels."""
    for line in head.splitlines():
        tags = [t.group(2).strip().lower() for t in _TAGGED_LABEL.finditer(line)]
        if len(tags) >= 2 and len(set(tags)) == 1:
            return True
    return False


# "(10)D: 0.5686 G: 0.8594 [1050/1050]" (f'({ep})D: {dloss:.4f} G: {gloss:.4f} [{batch}/{len(data)}]', held-out batch
# 468/16): the number in parentheses leading a line of labelled values is the epoch (it had been dropped, and every
# epoch's rows read as rewrites of the first's steps)
_PAREN_EPOCH_LEAD = re.compile(r"(?m)^([ \t]*)\((\d+)\)(?=[ \t]*[A-Za-z][\w ]*[:=][ \t]*[-+]?(?:\d|\.\d))")
# "  50: dloss:  0.6343   gloss:  1.1510" (a notebook's "%4d: dloss:%8.4f ..."): the leading number is the step
_LEAD_STEP_COLON = re.compile(r"(?m)^(\s*)(\d+)\s*:\s+(?=[A-Za-z][\w() ]*\s*[:=]\s*[-+]?(?:\d|\.\d|nan|inf))")
# "100 d loss: 0.721 g loss: 2.36" (print(i, 'd loss:', d, 'g loss:', g), held-out batch 689/05): a bare number opening
# each line and then a label is the counter; read only where two or more lines open so, and as the step (a counter
# that is an epoch reads as one row an epoch, as "Epoch N" would from the code's loop)
_LEAD_BARE_STEP = re.compile(r"(?m)^([ \t]*)(\d+)[ \t]+(?=[A-Za-z][\w() ]*?[ \t]*[:=][ \t]*[-+]?(?:\d|\.\d|nan|inf))")
# "50/20000, perceptual loss = 0.17, .." (krasserm's SrganTrainer, held-out batch 569/07), "799/800 [D loss: 2.67 ..]"
# (555/02): a line opening with its step out of the run's steps and then a label; not a Keras or tqdm bar ("469/469
# [===", "3/100 [00:01<"), whose bracket holds no word
_LEAD_FRACTION = re.compile(r"(?m)^(\s*)(\d+)\s*/\s*(\d+)(?=,\s*[A-Za-z]|:\s*[A-Za-z]|\s+\[[A-Za-z]|\s+[A-Za-z])")
# "Discr Loss: {'loss': 0.5478, 'accuracy': 0.0}" (Keras' train_on_batch(..., return_dict=True) printed): the
# dict's loss is the label's value, its other entries columns named after it
_DICT_VALUE = re.compile(r"([A-Za-z][\w ]*?)\s*[:=]\s*\{\s*'loss'\s*:\s*(" + NUM + r")((?:\s*,\s*'\w+'\s*:\s*" + NUM
                         + r")*)\s*\}")
_DICT_ENTRY = re.compile(r"'(\w+)'\s*:\s*(" + NUM + r")")
# "{'G Loss': 9.2552, 'Epoch': 0, 'D Loss': 0.0079}" (a Python dict printed whole, held-out batch 470/08): each
# quoted key is a label, the braces go
_DICT_ENTRY_QUOTED = r"""(?:'[^'\n{}]+'|"[^"\n{}]+")[ \t]*:[ \t]*[^,{}\n'"\s](?:[^,{}\n'"]*[^,{}\n'"\s])?"""
_DICT_LINE = re.compile(r"([ \t]*)\{[ \t]*(" + _DICT_ENTRY_QUOTED + r"(?:[ \t]*,[ \t]*" + _DICT_ENTRY_QUOTED
                        + r")*)[ \t]*,?[ \t]*\}[ \t]*")
#: only lines this long are tried (a dict of a dataset's 10,000 file names printed over 93,000 characters is no row)
_DICT_LINE_MAX = 1000
_DICT_LINE_PROBE = re.compile(r"(?m)^[ \t]*\{[ \t]*['\"]")
_QUOTED_KEY = re.compile(r"""(?:'([^'\n{}]+)'|"([^"\n{}]+)")\s*:\s*""")
# Chinese labels ("判别器损失: 0.86(判别真实的: 0.34 + 判别生成的: 0.52)... 生成器损失: 2.12", also glued to the
# number): the discriminator's / generator's loss and D's real and fake terms
# "Generator (U-Net) loss: 77.6" (Coursera's pix2pix): the network's architecture in parentheses inside its loss's label
_NET_ARCH = re.compile(r"(?i)\b(generator|discriminator|critic)\s*\([^()\n]{1,30}\)\s*(?=loss\b)")
# "Epoch/Iter:0/99" (Puneet2000's InfoGAN): one label for the epoch and the batch within it
_EPOCH_SLASH_ITER = re.compile(r"(?i)\bepoch\s*/\s*(?:iter|iteration|batch|step)\s*[:=]\s*(\d+)\s*/\s*(\d+)")
# "[1/500 EPOCHS, 468 ITER] G:3.87, D:0.10" (a TF CGAN notebook's print at each epoch's last batch): the epoch of
# its total, then the batch index, with no total
_EPOCHS_ITER = re.compile(r"(?i)\[\s*(\d+)\s*/\s*(\d+)\s+epochs?\s*,\s*(\d+)\s+(?:iter|iteration|batch|step)s?\s*\]")
# "E: 0; B: 3; DLoss: 0.684780" then "E: 0; B: 3; GLoss: 0.696190" (a course notebook): the epoch and batch by
# their initials at a line's head, D's and G's losses on lines of their own in turn
_E_B_HEAD = re.compile(r"(?m)^([ \t]*)E:[ \t]*(\d+);[ \t]*B:[ \t]*(\d+);")
# "Epoch 1/2 Discriminator loss 0.0081 ... Generator loss 9.6902 ..." (a Udacity face notebook): the counter and
# the first label with only a space between them (the label was read as part of the counter's)
# "g loss in 0epoch, 1batch : 0.616" then "d loss in 0epoch, 1batch : 1.606" (a TF1 notebook's print): the label's
# counters after it, glued to their words
_LABEL_IN_EPOCH = re.compile(r"(?im)^([ \t]*)([A-Za-z][\w()]*(?: [A-Za-z][\w()]*)?) in (\d+) ?epochs?,? ?(\d+) ?(?:batch(?:es)?|iter\w*|steps?)[ \t]*:")
_EPOCH_THEN_LABEL = re.compile(r"(?im)^([ \t]*(?:step[ \t]+\d+[ \t]+)?epoch[ \t]+\d+[ \t]*/[ \t]*\d+)[ \t]+(?=[A-Za-z])")
_CJK_LABELS = {"判别器损失": "D_loss", "鉴别器损失": "D_loss", "生成器损失": "G_loss", "判别真实的": "D_real_loss",
               "判别生成的": "D_fake_loss", "判别器": "D_loss", "生成器": "G_loss"}
# (a network's letter may stand between the word and 损失, "loss": "鉴别器G损失:0.08 生成器D损失：3.69", its letters
# swapped in the print; the word says which network; and D's outputs as shares judged real: 真数据判真比例 = D(x),
# 假数据判真比例 = D(G(z)))
_CJK_LABELS.update({"真数据判真比例": "D(x)", "假数据判真比例": "D(G(z))"})
# Korean editions of Chollet's Keras GAN print "스텝 100에서 판별자 손실: 0.69" then "스텝 100에서 적대적 손실: 0.81" ("at step
# 100, discriminator loss" / "adversarial loss": the GAN model's loss, G's)
_CJK_LABELS["적대적 손실"] = "G_loss"
_KO_AT_STEP = re.compile(r"(?m)^([ \t]*)스텝[ \t]*(\d+)[ \t]*에서[ \t]*")
# "Epoch number 0 Disc loss is 0.6856 and gen loss is 0.7104" (a Fashion-MNIST notebook): a loss's label, "is", its value
# (also glued: "Epoch 0: g_loss is 3.423425 and d_loss is 0.862056", held-out batch 431/12)
_LABEL_LOSS_IS = re.compile(r"(?i)(?<![A-Za-z])((?:[A-Za-z]+_)?(?:loss|error|err))[ \t]+is[ \t]+(?=[-+]?(?:\d|\.\d|nan\b|inf\b))")
# a tqdm bar whose description names the step: "Current step 9360: 100%|███| 468/468 [.., disc_loss=1.24, gen_loss=0.906]"
# (a TF notebook: the running iteration count, held-out batch 324; it was read as one step a row)
_CURRENT_STEP_BAR = re.compile(r"(?im)^([ \t]*)current[ \t]+(step|iteration|iter)[ \t]+(\d+)[ \t]*:(?=[ \t]*\d+%\|)")
# ... under a counter written out: "Epoch number 0"
_COUNTER_NUMBER = re.compile(r"(?im)^([ \t]*(?:epoch|iteration|step|batch))[ \t]+number[ \t]+(?=\d)")
_CJK_NET_LETTER = re.compile(r"(判别器|鉴别器|生成器)[A-Za-z](损失)")
# a player's Latin name glued to the Korean or Chinese word for "loss": "[D손실 : 0.30], [정확도 : 85.5] [G손실 : 2.41]"
# (held-out batch 655/02, read as "Dsonsil" and "Gsonsil": refused) -> "D loss"
_LETTER_CJK_LOSS = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z_]{0,12})\s*(?:손실|损失)")
# Korean: 판별자 / 판별망 / 판별기 (the discriminator, its network) and 생성자 / 생성망 / 생성기 (the generator), then
# 의 ("of") and 손실 ("loss") or 성능 ("performance"): "Epoch : 0, 판별망의 성능 : nan, 생성망의 성능 : nan"
_KO_NETS = {"판별": "D_loss", "생성": "G_loss"}
_CJK_LABEL = re.compile("(" + "|".join(sorted(_CJK_LABELS, key=len, reverse=True))
                        + r"|(?:판별|생성)(?:자|망|기)(?:의)?(?:\s*(?:손실|성능))?)\s*[:\uff1a]?\s*(?=[-+]?(?:\d|\.\d|nan\b|inf))")


# ... and any other word of a label in letters outside ASCII, spelt in ASCII (common.ascii_word), so that it still names
# a column of its own: "Epoch [01/50] | 경찰 Loss: 0.3778 | 도둑 Loss: 4.5855" ("police" and "thief": D and G, held-out
# batch 626/07) had both been read as "Loss", one overwriting the other, and --columns could not tell them apart
_NON_ASCII_LABEL = re.compile(NON_ASCII_WORD.pattern + r"(?=[\w \t()]{0,30}?[:=\uff1a][ \t]*[-+]?(?:\d|\.\d|nan\b|inf\b))")


def _cjk_name(label: str) -> str:
    """Our name of a Chinese or Korean label that :data:`_CJK_LABEL` matched."""
    return _CJK_LABELS.get(label) or _KO_NETS[label[:2]]


def _dict_lines(text: str) -> str:
    """Each line that is a dict of quoted keys printed whole (:data:`_DICT_LINE`, at most :data:`_DICT_LINE_MAX`
    characters) as ``key: value, ...``; other lines as they are."""
    out = []
    for line in text.split("\n"):
        m = _DICT_LINE.fullmatch(line) if len(line) <= _DICT_LINE_MAX and "{" in line else None
        out.append(m.group(1) + _QUOTED_KEY.sub(lambda k: f"{(k.group(1) or k.group(2)).strip()}: ", m.group(2))
                   if m else line)
    return "\n".join(out)


def _dict_value(m: re.Match) -> str:
    label = m.group(1).strip()
    rest = "".join(f", {label} {k}: {v}" for k, v in _DICT_ENTRY.findall(m.group(3)))
    return f"{label}: {m.group(2)}{rest}"


# "Loss D: 0.0892Loss G: 3.1853", "D/G 0.20/-0.04FID = 420.1": a number glued to the next label (not an exponent;
# not a digit inside a name, CycleGAN's "loss_G_A2B: 2.95", held-out batch 620/07, which had been cut to "B")
_GLUED_LABEL = re.compile(r"((?<![A-Za-z_\d.])\d+(?:\.\d*)?|(?<![A-Za-z_\d])\.\d+)(?=(?![eE][-+]?\d)[A-Za-z][A-Za-z_ ]*\s*[:=])")
# "D/G 0.2000/-0.0383", "Gen/Dis Loss: 2.7579/0.2682", "Generator/Discriminator_Loss: 6.71/0.001" (one label for
# a slash-separated pair): the values in the order of the label's names
_D_NAMES = r"D|Disc|Dis|Discr|Discriminator|Critic|d_loss|loss_d"
_G_NAMES = r"G|Gen|Generator|g_loss|loss_g"
# ... also after a "Loss" label, the pair in brackets or not ("Loss D/G: 0.52/1.42", "loss (D/G): 1.1/0.8")
_PAIR_LOSS_LEAD = r"(?:\bloss(?:es)?[ \t_]*\(?[ \t]*|\b)"
_DG_PAIR = re.compile(r"(?i)" + _PAIR_LOSS_LEAD + r"(" + _D_NAMES + r")\s*/\s*(" + _G_NAMES
                      + r")\s*\)?(?:[\s_]+loss(?:es)?)?\s*[:=]?\s*(" + NUM + r")\s*/\s*(" + NUM + r")")
def _named_pair(m: re.Match) -> str:
    """ "Gen/Dis Loss: a/b" -> "Gen loss: a, Dis loss: b"; "d_loss/g_loss: a/b" -> "d_loss: a, g_loss: b"."""
    return ", ".join(f"{name}{'' if 'loss' in name.lower() else ' loss'}: {value}"
                     for name, value in ((m.group(1), m.group(3)), (m.group(2), m.group(4))))


_GD_PAIR = re.compile(r"(?i)" + _PAIR_LOSS_LEAD + r"(" + _G_NAMES + r")\s*/\s*(" + _D_NAMES
                      + r")\s*\)?(?:[\s_]+loss(?:es)?)?\s*[:=]?\s*(" + NUM + r")\s*/\s*(" + NUM + r")")
# ... and the names in square brackets over a list of the two values: "epoch 29 ---- losses[d/g]: [0.0, 3736.0967]"
# (held-out batch 713/05; a numpy array prints them without the comma)
_PAIR_LIST = r"\s*\]\s*[:=]\s*\[\s*(" + NUM + r")\s*(?:,\s*|\s+)(" + NUM + r")\s*,?\s*\]"
_DG_LIST = re.compile(r"(?i)\blosses?\s*\[\s*(" + _D_NAMES + r")\s*/\s*(" + _G_NAMES + r")" + _PAIR_LIST)
_GD_LIST = re.compile(r"(?i)\blosses?\s*\[\s*(" + _G_NAMES + r")\s*/\s*(" + _D_NAMES + r")" + _PAIR_LIST)
# one label over slash-separated parts in brackets, then as many slash-separated values: the PyTorch SRGAN
# scripts' "Generator_Loss (Content/Advers/Total): 0.4552/0.6931/0.4559" -> "Generator_Loss_Content: 0.4552, ..."
_SLASH_GROUP = re.compile(r"(?<![\w/])([A-Za-z]\w*)[ \t]*\([ \t]*([A-Za-z]\w*(?:[ \t]*/[ \t]*[A-Za-z]\w*)+)[ \t]*\)"
                          r"[ \t]*[:=][ \t]*(" + NUM + r"(?:[ \t]*/[ \t]*" + NUM + r")+)")


def _slash_group(m: re.Match) -> str:
    """``LABEL (A/B/C): a/b/c`` -> ``LABEL_A: a, LABEL_B: b, LABEL_C: c``; unchanged where the counts differ."""
    parts = [p.strip() for p in m.group(2).split("/")]
    values = [v.strip() for v in m.group(3).split("/")]
    if len(parts) != len(values):
        return m.group(0)
    return ", ".join(f"{m.group(1)}_{part}: {value}" for part, value in zip(parts, values))


# Dev Nag's "GANs in 50 lines" (copied widely): "Epoch 100: D (0.72 real_err, 0.66 fake_err) G (0.65 err); Real
# Dist ([2.98, 0.87]),  Fake Dist ([3.10, 1.08])": D's BCE on reals and fakes, G's, and the samples' mean and std
_DEVNAG = re.compile(r"\bD \((" + NUM + r") real_err, (" + NUM + r") fake_err\) G \((" + NUM + r") err\)")
_DEVNAG_DIST = re.compile(r"\b(Real|Fake) Dist \(\[(" + NUM + r"), (" + NUM + r")\]\)")
# machinelearningmastery's print with its labels spelt out (">3, 1/20, dloss1=0.65, dacc1=0.78 dloss2=0.65 dacc3=1.0
# g1=0.78", ">1, 1/5, d1_loss=0.691,d2_loss=0.976, gan_loss=0.692, d1_acc=0.300"): d1, d2 and g of the tutorial's print
_MLM_LONG = re.compile(r"(?m)^(.*?)\bd(?:_?loss_?1|1_loss)\s*=(.*?)\bd(?:_?loss_?2|2_loss)\s*=(.*?)"
                       r"\b(?:g(?:_?loss)?_?1|gan_loss|g_loss)\s*=")
# Chollet's Keras GAN notebook: "discriminator loss at step 50: 0.69 -- adversarial loss at step 50: 0.74" (the
# adversarial loss, the combined model's, is G's); copies print "at epoch 0:" too (held-out batch 444/20)
# (also a player's letter after "Minibatch": "Minibatch G loss at step 200: 3.661780", held-out batch 675/18)
_AT_STEP = re.compile(r"(?i)(?:--\s*)?(?:\bminibatch\s+)?\b(discriminator|adversarial|generator|disc|gen|critic|[DG]) loss at "
                      r"(step|epoch|iteration) (\d+)\s*:\s*")
# one label for both nets' values: "average loss generator vs. discrim.: 4.309718 vs. 0.294273" (a course template's
# print, held-out batch 456/10) -> ", G_loss: 4.309718, D_loss: 0.294273"
_VS_PAIR = re.compile(r"(?i)\b(gen\w*|discrim\w*|disc|critic)\.?\s+vs\.?\s+(gen\w*|discrim\w*|disc|critic)\.?\s*:\s*"
                      r"(" + NUM + r")\s+vs\.?\s+(" + NUM + r")")


#: a loss labelled on its own ("Generator Loss: 1.97"): beside such rows a vs. line is their epoch's trailer
_OWN_LOSS_LABEL = re.compile(r"(?i)loss\w*\s*[:=]\s*[-+]?(?:\d|\.\d)")


def _vs_rows(head: str) -> bool:
    """Whether vs. lines are the log's rows: found, and no other line labels a loss of its own (a course notebook's
    'Batch: 50 Generator Loss: .. Discriminator Loss: ..' rows with 'Epoch [1 / 3] average loss generator vs.
    discrim.: 2.07 vs. 0.33' after each epoch's: there the vs. line is the epoch's trailer)."""
    return _VS_PAIR.search(head) is not None and _OWN_LOSS_LABEL.search(_VS_PAIR.sub("", head)) is None


def _vs_pair(m: re.Match) -> str:
    role = lambda word: "G" if word.lower().startswith("gen") else "D"
    first, second = role(m.group(1)), role(m.group(2))
    if first == second:
        return m.group(0)
    return f", {first}_loss: {m.group(3)}, {second}_loss: {m.group(4)}"


# a line whose first word names the network its one "loss" belongs to: "discriminator epoch: 0, step: 500/2427, loss:
# 1.040" then "generator epoch: 0, step: 500/2427, loss: 0.577" (the two lines of one step)
# (no other loss or network named between: "Generator Training Loss: 800.5, Discriminator Training loss: 200.5" is no such line)
_ROLE_LEAD = re.compile(r"(?im)^([ \t]*)(discriminator|generator|critic)[ \t]+((?:(?!loss|discriminator|generator|critic)"
                        r"[^\n:=])*[:=](?:(?!loss|discriminator|generator|critic)[^\n])*?)\bloss([ \t]*[:=])")
# "Gen status:  val_loss: 1.059 val_acc: 0.094 loss: 1.098 acc: 0.164" then "Disc status: .. loss: 0.593 ..": a line
# led by a net's name holds that net's Keras history, its keys the same as the other net's (held-out batch 476/32):
# each key is prefixed with the net ("G_loss")
_NET_STATUS_LINE = re.compile(r"(?im)^([ \t]*)(generator|gen|discriminator|discr|disc|dis|critic)(?:[ \t]+status)?[ \t]*:"
                              r"((?:[ \t]+[A-Za-z_]\w*[ \t]*:[ \t]*" + NUM + r"\.?){2,})[ \t]*$")
_STATUS_KEY = re.compile(r"([A-Za-z_]\w*)([ \t]*:)")


def _net_status_line(m: re.Match) -> str:
    net = "G" if m.group(2).lower().startswith("gen") else "D"
    return f"{m.group(1)}{_STATUS_KEY.sub(lambda k: f'{net}_{k.group(1)}{k.group(2)}', m.group(3))}"


# ... and its first edition's "print(step, 'discriminator loss:', d_loss)" then "print(step, 'adversarial loss:',
# a_loss)": two lines of one step
_STEP_THEN_NET = re.compile(r"(?im)^(\s*)(\d+)\s+(discriminator|adversarial) loss\s*:\s*(?=[-+]?(?:\d|\.\d|nan|inf))")
# a Keras 3 train_on_batch's list printed as G's loss, "[array(0.61, dtype=float32), array(0.61, ..), array(0.57, ..)]":
# its first entry is the total
_ARRAY_LIST = re.compile(r"\[\s*array\((" + NUM + r")(?:,\s*dtype=\w+)?\)(?:\s*,\s*array\(" + NUM + r"(?:,\s*dtype=\w+)?\))*\s*\]")
# "[1/12, 100/375] D_loss: .." : the epoch and the batch in one bracket
_PAIR_PAIR = re.compile(r"\[\s*(\d+)\s*/\s*(\d+)\s*,\s*(\d+)\s*/\s*(\d+)\s*\]")
# another copy of the 1-D GAN print: "200: D: 0.69/0.70 G: 0.69 (Real: [4.04, 1.27], Fake: [3.9, 1.2])"
_DEVNAG_SLASH = re.compile(r"\bD:\s*(" + NUM + r")\s*/\s*(" + NUM + r")\s+G:\s*(" + NUM + r")\s*\(Real:\s*\[(" + NUM
                           + r"),\s*(" + NUM + r")\],\s*Fake:\s*\[(" + NUM + r"),\s*(" + NUM + r")\]\)")
# "loss from generator 4.69, loss from discriminator 0.003" (a prose print): "generator loss 4.69"
_LOSS_OF = re.compile(r"(?i)\bloss(?:es)? (?:from|of|for) (?:the )?(generator|discriminator|critic|gen|disc|[GD])\b"
                      r"(?:\s+[GD](?=\s*[:=]))?")     # "loss of discriminator D: 0.491" (a pix2pix homework)

# "The discriminator loss is 1.39" / "The generator loss is 0.68" (a prose print, one sentence per value): "discriminator loss: 1.39"
_LOSS_IS = re.compile(r"(?i)\b(?:the\s+)?(generator|discriminator|critic)(?:'s)?\s+(loss|error)\s+(?:is|was)\s*:?\s*"
                      r"(?=[-+]?(?:\d|\.\d|nan|inf))")

# Edward's progress line, "Iteration  1000 [  6%]: Gen Loss = 14.898: Disc Loss = 0.026": its pairs joined by ": "
_EDWARD_HEAD = re.compile(r"(?m)^([ \t]*Iteration[ \t]+\d+)[ \t]+\[[ \t]*\d+%\]:[ \t]*(?=[A-Za-z])")
_COLON_JOINED = re.compile(r"(\d)[ \t]*:[ \t]+(?=[A-Za-z][\w ]*?[ \t]*=[ \t]*[-+]?(?:\d|\.\d|nan|inf))")
# "Discriminator Loss EPOCH 40: 0.0008" then "Generator Loss EPOCH 40: 10.04" (each loss's own line, its counter
# inside the label): "EPOCH 40, Discriminator Loss: 0.0008"
_LOSS_AT_COUNTER = re.compile(r"(?im)^([ \t]*)((?:discriminator|generator|critic|disc|gen|[DG])[ \t]+loss)[ \t]+"
                              r"(epoch|step|iteration|iter)[ \t]+(\d+)[ \t]*:[ \t]*(?=[-+]?(?:\d|\.\d|nan|inf))")
# ... or after it in brackets, number first, the word misspelt: "Generator loss ( 4800 Epoch) : 1.3066843" then
# "Descriminator loss ( 4800 Epoch) : 0.8421808" (a DCGAN tutorial's print, held-out batch 577/03)
_LOSS_PAREN_COUNTER = re.compile(r"(?im)^([ \t]*)((?:d[ie]s?c?r?i?mi?n?(?:[ae]tor|aotr)|gen[ae]?r[ae]tor|critic|disc|gen|[DG])"
                                 r"[ \t]+loss)[ \t]*\([ \t]*(\d+)[ \t]+(epoch|step|iteration|iter)s?[ \t]*\)[ \t]*:[ \t]*"
                                 r"(?=[-+]?(?:\d|\.\d|nan|inf))")
# tqdm's description before its bar, "epoch: 1/30, G loss: 0.44, D loss: 1.57: 100%|███| 600/600 [..]": the last value's
# colon joins it to the bar's share (numpy-nn-model's GAN example, held-out batch 281)
_DESC_BEFORE_BAR = re.compile(r"(\d)[ \t]*:[ \t]+(?=\d+(?:\.\d+)?%\|)")
# "Epoch 0: Gen CE loss: 1.40 Disc CE loss 0.45 Time elapsed: 5.21" (a course notebook's print): a cross-entropy
# loss's label with its colon left out ("Disc CE loss 0.45 Time elapsed" read as one label)
_CE_LOSS_NO_COLON = re.compile(r"(?i)\b((?:disc|gen|discriminator|generator)[ \t]+b?ce[ \t]+loss)[ \t]+(?=" + NUM + r"(?![\w.]))")
# "steps: 0, Disc loss; 0.5669, Gen Loss: 8.3163" (a CycleGAN notebook's print): a loss's label with a semicolon for
# its colon (D's loss lost, refused also with --columns)
_LOSS_SEMICOLON = re.compile(r"(?i)\b(loss)[ \t]*;[ \t]*(?=" + NUM + r"(?![\w.]))")
# "[1|200][500|1875]\tLoss_D: .." (the DCGAN tutorial's counters with bars): "[1/200][500/1875]"
_BAR_PAIR = re.compile(r"\[\s*(\d+)\s*\|\s*(\d+)\s*\]")
# "Step 50: D: loss = 0.917 G: loss=1.117" (a TF1 CGAN's print): the network, then its loss after a colon
# (also with an arrow: "Epoch 21/30000 ---- Discriminator: loss -> 7.99 ||| Generator: loss -> 0.13", a TensorFlow course's print)
_NET_COLON_LOSS = re.compile(r"(?i)(?<![\w:/.])(D|G|disc|gen|dis|discriminator|generator|critic):[ \t]*(loss|err|error)[ \t]*"
                             r"([:=]|->)[ \t]*(?=[-+]?(?:\d|\.\d|nan|inf))")
# "Generator 손실함수(g_loss): 1.85" / "반복(Epoch): 100" (a Korean print naming each label in English in brackets)
_PAREN_ASCII_NAME = re.compile(r"(?:[A-Za-z]+[ \t]+)?[^\x00-\x7f\s:,()]+\(([A-Za-z_][\w ]*?)\)(?=[ \t]*[:=])")


_ARROW_PAIR = re.compile(r"(\d)\s*\u2192\s*(?=[-+]?(?:\d|\.\d))")
# each value in brackets after its label, the colon left out on some: "Epoch: (  0) (  100/  962), Gen Loss: (0.787643),
# .., Cycle Loss (3.922130), .., Disc A loss (0.385008), Disc B Loss (0.315408)" (held-out batch 596/03); read on lines
# that hold two or more such values and name a loss
_PAREN_VALUE = re.compile(r"([A-Za-z][A-Za-z ]*?)[ \t]*:?[ \t]*\([ \t]*(" + NUM + r")[ \t]*\)(?![ \t]*\()")
_PAREN_FRACTION = re.compile(r"\([ \t]*(\d+)[ \t]*/[ \t]*(\d+)[ \t]*\)")
_PAREN_VALUES_LINE = re.compile(r"(?mi)^(?=[^\n]*loss)(?:[^\n]*?[A-Za-z][ \t]*:?[ \t]*\([ \t]*" + NUM + r"[ \t]*\)){2}[^\n]*$")


def _paren_values(m: re.Match) -> str:
    return _PAREN_FRACTION.sub(r"[\1/\2]", _PAREN_VALUE.sub(r"\1: \2", m.group(0)))


# a label pointing at its value, "gLoss ==> 0.7957" then "dLoss ==> 1.2767" (held-out batch 585/02)
_LABEL_ARROW = re.compile(r"([A-Za-z][\w()]*)[ \t]*=+>[ \t]*(?=[-+]?(?:\d|\.\d|nan\b|inf\b))")
# "[0][5][50][1583]\tLoss_D: ..": the DCGAN tutorial's two counters with each number in brackets of its own
_FOUR_BRACKETS = re.compile(r"(?m)^(\s*)\[(\d+)\]\[(\d+)\]\[(\d+)\]\[(\d+)\]")
# "[INFO] Step 1_25: discriminator_loss=.., adversarial_loss=.." (PyImageSearch's Keras DCGAN): epoch 1, batch 25
_STEP_EPOCH_BATCH = re.compile(r"(?i)\bstep (\d+)_(\d+):")
# "LR - Generator: 0.000200, Discriminator: 0.000200" (a CTGAN copy with schedulers): the players' learning rates
# under one "LR" label, not their losses
_LR_PLAYERS = re.compile(r"(?i)\b(?:LR|learning[ _]rates?)\s*[-:]\s*((?:(?:generator|discriminator|critic|gen|disc|[GD])"
                         r"\s*[:=]\s*" + NUM + r"\s*,?\s*){1,2})")
_LR_PLAYER = re.compile(r"(?i)\b(generator|discriminator|critic|gen|disc|[GD])(\s*[:=])")


def _lr_players(m: re.Match) -> str:
    return _LR_PLAYER.sub(lambda p: ("lr_g" if p.group(1).lower().startswith("g") else "lr_d") + p.group(2), m.group(1))


# "Loss G:  3.6931,Loss D: -0.0437" (CTGAN's f"{loss: .4f}" leaves a space for the sign): a label, a colon and
# two or more spaces before its number, which the chunk splitter would cut at the spaces
# (also after a space: print('g_loss = ', g_loss) writes "g_loss =  2.53"; and before a non-finite value: "D loss:   nan"
# had been left out, so a padded print's diverged rows were dropped)
_COLON_WIDE = re.compile(r"([A-Za-z)][ \t]?[:=])[ \t]{2,}(?=[-+]?(?:\d|\.\d|(?i:nan|inf)\b))")
# ... and two or more before it, a label padded to line up with a longer one ("AVG loss critic:  -250.42" over "AVG
# loss generator    :  69.35", held-out batch 478/06: G's loss was not read)
_WIDE_BEFORE_COLON = re.compile(r"([A-Za-z)])[ \t]{2,}([:=])(?=[ \t]*[-+]?(?:\d|\.\d|(?i:nan|inf)\b))")
# Foster's "Generative Deep Learning" prints: "[D loss: (0.730)(R 0.720, F 0.741)] [D acc: (0.43)(0.46, 0.39)]", the
# WGAN-GP's "0 (5, 1) [D loss: (-25.3)(R 47.5, F -76.3, G 0.4)]" (G, or GP in later forks: the gradient penalty; (5, 1) the critic
# and generator steps): a total in parentheses, then its real and fake parts
_PAREN_PARTS = re.compile(r"\[([A-Za-z][\w ]*?):\s*\((" + NUM + r")\)\(\s*(?:R\s+)?(" + NUM + r"),\s*(?:F\s+)?("
                          + NUM + r")(?:,\s*GP?\s+(" + NUM + r"))?\s*\)\]")
# SAGAN-pytorch's "G_step [1000/1000000], D_step[1000/1000000], d_out_real: ..": one step counter printed twice
# (G's iterations; its forks print the same number for D), not an epoch and a batch of [e/N][b/N]
_SAGAN_STEPS = re.compile(r"\bG_step\s*\[\s*(\d+)\s*/\s*\d+\s*\]\s*,?\s*D_step\s*\[\s*\d+\s*/\s*\d+\s*\]")
# ... whose print names D's loss terms "d_out_real" / "d_out_fake" (and G's loss "g_out_fake"): it formats
# d_loss_real.item(), d_loss_fake.item(), g_loss_fake.item() (heykeetae's trainer and its copies; held-out batch 595/01:
# read as D's outputs, and refused for want of D's loss). Taken so where the line names D's fake term and G's too
_SAGAN_TERMS_LINE = re.compile(r"(?m)^.*\bd_out_real\b.*\bd_(?:out|loss)_fake\b.*\bg_(?:out|loss)_fake\b.*$")
_SAGAN_TERM = re.compile(r"\b([dg])_out_(real|fake)\b")


def _sagan_terms(m: re.Match) -> str:
    return _SAGAN_TERM.sub(lambda t: f"{t.group(1)}_loss_{t.group(2)}" if t.group(1) == "d" else "g_loss", m.group(0))


# "Discriminator - D(G(x)): 0.06, Generator - D(G(x)): 0.02": D's output on the fakes at D's step and at G's
_NET_DGZ = re.compile(r"(?i)\b(discriminator|disc|generator|gen)\s*-\s*D\(G\([xz]\)\)(?=\s*[:=])")
# "G-loss: 1.92.. and D-loss :0.42...": a D or G name joined to "loss" by a hyphen, which the label splitter cuts;
# read as "D_loss" in a chunk of its own
_HYPHEN_LOSS = re.compile(r"(?i)\b([DG]|dis|disc|gen|discriminator|generator|critic)-(loss)\b(?=\s*[:=])")
# "E: 3, G: 4.45, D: 0.17, T: 13.2" (a line opening with a lone E and an integer, then a G or D value)
_E_EPOCH = re.compile(r"(?m)^(\s*)E(\s*:\s*\d+\s*,\s*[GD]\s*:)")
# BigGAN-PyTorch's utils.progress record: "2/40 (  2.50%) (TE/ETA: 0:02 / 0:40) itr: 2, G_loss : -0.004, ...";
# a record that does not start its line starts one
_BIGGAN_RECORD = re.compile(r"(?<=\S)[ \t]+(?=\d+/\d+ \(\s*[\d.]+%\) (?:\(TE/ETA:|itr:))")
# a line that counts parameters ("Number of params in G: 3900512 D: 3811207"), never a loss row
_PARAMS_LINE = re.compile(r"(?i)\bparam(?:eter)?s?\b")
# ... nor a line of a model summary (torchinfo's tree "│    └─BatchNorm2d: 2-3" read as a D loss of 2, its
# "Total mult-adds (G): 98.18" as a G loss of 98; held-out batch 424/01)
_MODEL_SUMMARY_LINE = re.compile(r"^\s*(?:[│|]\s*)*[├└]─|(?i:\bmult-adds\b)")
_STEPS_PAIR = re.compile(r"(?m)^(\s*\d+) \(\d+, \d+\) \[")


# Python 2's print of a tuple on a line of its own (jacobgil/keras-dcgan, copied widely): "('Epoch is', 0)",
# "('Number of batches', 468)" -> "Epoch 0", "Number of batches: 468"
_PY2_TUPLE = re.compile(r"(?m)^([ \t]*)\(\s*'([A-Za-z][\w ]*?)'\s*,\s*(" + NUM + r")\s*\)[ \t]*$")
_PY2_EPOCH = re.compile(r"(?i)^epoch(?:\s+(?:is|no\.?|number|num))?$")


# print("Generator Loss : "); print(g_loss): a label line ending in its colon, its number alone on the next line
_LABEL_THEN_VALUE = re.compile(r"(?m)^([ \t]*[A-Za-z][\w ()]*?[ \t]*:)[ \t]*\r?\n[ \t]*(" + NUM + r")[ \t]*$")


# a step alone before the first "|" of a line of labelled values, printed with thousands separators or not
_LEAD_PIPE_STEP = re.compile(r"(?m)^([ \t]*)(\d{1,3}(?:,\d{3})+|\d+)[ \t]*\|[ \t]*(?=[A-Za-z_][\w ]*[:=])")


def _py2_tuple(m: re.Match) -> str:
    label = m.group(2).strip()
    return f"{m.group(1)}Epoch {m.group(3)}" if _PY2_EPOCH.match(label) else f"{m.group(1)}{label}: {m.group(3)}"


def _paren_parts(m: re.Match) -> str:
    name = m.group(1).strip()
    gp = f", gradient penalty: {m.group(5)}" if m.group(5) else ""
    return f"[{name}: {m.group(2)}, {name} real: {m.group(3)}, {name} fake: {m.group(4)}{gp}]"


# machinelearningmastery's Keras GAN tutorials: ">3, 17/234, d1=0.693, d2=0.702 g=0.689" (also "Epoch>3, Batch
# 17/234, ..."): the epoch after ">", the batch of the epoch, both counted from 1
# (or without the total: ">10, 60, d1=0.0000011, acc1=0.875, d2=0.00018 acc2=0.094 gl=0.0000586")
_MLM_LEAD = re.compile(r"(?im)^(\s*)(?:epoch\s*)?>\s*(\d+),\s*(?:batch\s*)?(\d+)(?:\s*/\s*(\d+))?,(?=\s*d)")
# machinelearningmastery's later tutorials lead with the iteration alone (">%d," of i + 1) and put each
# network's train_on_batch values in brackets: pix2pix's ">12, d1[0.518] d2[0.694] g[32.284]" (D's loss on
# the real and the fake pairs, G's composite loss), and ">3, dr[0.037,0.991], df[0.666,0.652], g[1.290,0.006]"
# (D's on the reals and the fakes, G's, each with a second value: an accuracy, or an AC-GAN's class loss)
_MLM_ITER_LEAD = re.compile(r"(?m)^([ \t]*)>[ \t]*(\d+),[ \t]*(?=[A-Za-z]\w{0,3}[ \t]*[\[=])")
_MLM_ITER_LINE = re.compile(r"(?m)^([ \t]*)>[ \t]*(\d+),[ \t]*((?:[A-Za-z]\w{0,3}\[[^\]\n]*\],?[ \t]*){2,}.*)$")
_MLM_BRACKET = re.compile(r"\b([A-Za-z]\w{0,3})\[\s*(" + NUM + r")\s*(?:,\s*(" + NUM + r")\s*)?\],?")
_MLM_HALVES = {"dr": "d1", "df": "d2"}


def _mlm_bracket_line(m: re.Match) -> str:
    """One of :data:`_MLM_ITER_LEAD`'s lines with its ``name[x]`` / ``name[x,y]`` values as ``name=x,``
    (the second value as ``name_2``); D's ``dr`` / ``df`` are the tutorials' ``d1`` / ``d2``."""
    def pair(b: re.Match) -> str:
        name = _MLM_HALVES.get(b.group(1).lower(), b.group(1))
        return f"{name}={b.group(2)}," + (f" {name}_2={b.group(3)}," if b.group(3) else "")
    return m.group(1) + f"Step {m.group(2)}, " + _MLM_BRACKET.sub(pair, m.group(3))


# "1 > [Discriminator:-> loss: 0.63, accuracy: 49.46%] [Generator:-> loss: 1.06]": each network's values in a
# bracket under its name and an arrow, all keyed "loss": the network's name goes to each key
_STEP_ARROW = re.compile(r"(?m)^([ \t]*)(\d+)[ \t]*>[ \t]*(?=\[)")     # its "1 >": the iteration
_NAMED_GROUP = re.compile(r"\[\s*([A-Za-z][\w ]*?)\s*:?\s*-+>\s*([^\]\n]*)\]")
_GROUP_KEY = re.compile(r"(^|,)\s*([A-Za-z][\w.]*)\s*:")


def _named_group(m: re.Match) -> str:
    return "[" + _GROUP_KEY.sub(lambda k: f"{k.group(1)} {m.group(1)} {k.group(2)}:", m.group(2)).strip() + "]"


# "94: [D] real 0.049 fake 0.056 q -0.49  [G] fake 2.87 reg 0.16 q -0.76" (IDEALLab's bezier-gan): each
# network's losses under its tag as "name value" pairs without a colon; under [D], real and fake are D's
# two loss terms (D(x) and D(G(z)) print as "D(x)" or "D_real" with a colon), under [G], fake is G's loss
_NET_SECTION = re.compile(r"\[\s*([DG])\s*\]((?:\s+[A-Za-z_]\w*\s+" + NUM + r"(?![\w.:]))+)")
_NAME_VALUE = re.compile(r"([A-Za-z_]\w*)\s+(" + NUM + r")")
_SECTION_NAMES = {("D", "real"): "d_loss_real", ("D", "fake"): "d_loss_fake", ("D", "loss"): "d_loss",
                  ("D", "total"): "d_loss", ("G", "fake"): "g_loss", ("G", "loss"): "g_loss", ("G", "total"): "g_loss",
                  ("G", "adv"): "g_loss"}


def _net_section(m: re.Match) -> str:
    net = m.group(1)
    return " [" + ", ".join(f"{_SECTION_NAMES.get((net, name.lower()), f'{net}_{name}')}: {value}"
                            for name, value in _NAME_VALUE.findall(m.group(2))) + "]"


# a closing message printed right after the last row, without a newline ("... D Loss: 0.2695Training
# complete."): a capitalised word glued to the last number of the file's last line
_GLUED_TAIL = re.compile(r"(\d)([A-Z][a-z]+[^\n\d]*)$")
# a line that only names the epoch ("Epoch 3", "epoch: 3"): its epoch goes to the rows after it
_EPOCH_ONLY_LINE = re.compile(r"(?i)^\s*(?:[-=*#~]{2,}\s*|\[\s*)?(?:(?:starting|start|beginning|begin|training|running|time\s+for)\s+)?epoch"
                              r"(?:\s*(?:number|num|no\.?))?\s*[-:#]?\s*\d+(?:\s*(?:/|of)\s*\d+)?"
                              r"\s*:?\s*(?:complete[d]?|done|finished|is\s+" + NUM + r"\s*s(?:ec(?:ond)?s?)?)?\s*(?:\.{1,3}|…)?"
                              r"(?:\s*[|,]\s*time(?:\s+taken)?\s*[-:=]?\s*" + NUM + r"\s*s(?:ec(?:ond)?s?)?)?"
                              r"(?:\s*[-=*#~]{2,}|\s*\])?\s*$")
# ("epoch  3 complete", "[Epoch 25 / 90]" (held-out batch 570/06), "Starting epoch 3...", the TensorFlow DCGAN tutorial's "Time for epoch 3 is 13.2 sec", "EPOCH  1/10",
# "Epoch 200 of 200 | Time taken - 9.492s", "--------------- epoch 10 ---------------")
_DASHED_COUNTER_LINE = re.compile(r"^\s*[A-Za-z][A-Za-z ]*-{2,}\s*\d+\s*(?:/\s*\d+)?\s*$")     # "Epoch------ 83 / 100"
_STEP_ONLY_LINE = re.compile(r"(?i)^\s*(?:iteration|iter|step|episode)\s*[:#]?\s*\d+\s*:?\s*$")   # "Iteration 11" heading a record
# "iteration700" / "epoch3": a counter glued to its number (aloilor/WaDiGAN's prints)
_GLUED_COUNTER = re.compile(r"(?i)\b(epoch|iteration|iter|step|batch)(?=\d)")
# "epoch 1, D_loss0.6043, G_loss0.7957" (f"D_loss{d}", held-out batch 691/05): a loss's label glued to its value
# (a decimal, so that a name such as "loss1" or "d_loss2" is not split)
_GLUED_LOSS_VALUE = re.compile(r"(?i)\b([A-Za-z]\w*?loss)(?=[-+]?\d+\.\d)")
# "[025] D: 1.3775 | G: 1.9632 (adv: 0.7720, ...)": a bare counter in brackets opening each line: the epoch, or the
# iteration where it reaches BARE_ITERATIONS (as a lone "[n/N]" counter is read)
_LEAD_BRACKET = re.compile(r"(?m)^(\s*)\[(\d{1,9})\](?=\s*[A-Za-z][^\n]*?[:=]\s*[-+]?\.?\d)")
# an "Epoch 2/10" line of its own right before a "[0] .." line
_EPOCH_HEADINGS = re.compile(r"(?im)^\s*Epoch\s+\d+\s*/\s*\d+\s*\n\s*\[0\]")


def _lead_bracket(text: str) -> str:
    """"[200] G_loss: 10.59, ..": the lead number is the step (1,000 or more) or the epoch, or, under "Epoch 2/10"
    lines of their own (a CycleGAN notebook's loop printing "[{i}] .." every 100 batches), the batch of that epoch."""
    last = max((int(m.group(2)) for m in _LEAD_BRACKET.finditer(text)), default=0)
    headed = _EPOCH_HEADINGS.search(text) is not None
    word = "Batch" if headed else "Step" if last >= BARE_ITERATIONS else "Epoch"
    sep = " " if headed else ", "        # ("batch 3 d_loss: ..": the batch of the epoch the line above gave)
    return _LEAD_BRACKET.sub(lambda m: f"{m.group(1)}{word} {int(m.group(2))}{sep}", text)


# "[D:loss 0.57 D:acc 53.12] [G:loss 0.53]": a network's letter and its quantity joined by a colon, the value after
# a space (a Keras GAN notebook's print): "D_loss: 0.57"
_NET_COLON_LABEL = re.compile(r"(?<![\w:/.])([A-Za-z]{1,13}):([A-Za-z]\w{0,20})\s+(?=[-+]?(?:\d|\.\d))")
# "Disc Loss [1.44]": a value in brackets after its label, no colon (frg100's TF prints) -> "[Disc Loss: 1.44]"
# (a label may hold digits: a Keras pix2pix's "Epoch 137039: d1[9.39e-07], d2[6.79e-08], g[0.49]", held-out batch
# 630/00, whose d1 and d2 had been left out)
# "Descriminator Loss[1]: 0.703    Descriminator Loss[2]: 0.703" (f"Loss[1]: {d_loss1:.3f}", machinelearningmastery's
# D on the real half, then the fake: held-out batch 712/00): an index in brackets ends the label, it is no value (D's
# loss had been read as 2 on every row); the label keeps it ("Loss_1")
_INDEXED_LABEL = re.compile(r"([A-Za-z]\w*)\[(\d{1,2})\](?=[ \t]*[:=][ \t]*[-+]?(?:\d|\.\d|nan|inf))")
_BRACKETED_VALUE = re.compile(r"(?i)(?<![\w\]\[:=])(?!(?:epoch|batch|iteration|iter|step)\b)([A-Za-z][A-Za-z0-9_()]*(?: [A-Za-z_()]+)*)\s*\[\s*(" + NUM + r")\s*\]")
# "iter:   1,000" (BasicSR's f"{current_iter:8,d}"): a counter printed with thousands separators
_GROUPED_COUNTER = re.compile(r"(?i)(\b(?:epoch|iteration|iter|step|it)\b\s*[:=]?\s*)(\d{1,3}(?:,\d{3})+)(?![\d.])")
# "FID score (Step: 2000, Using test moments): 48.9", "Inception score (Step: 2000, ...): 6.2" (StudioGAN): an
# evaluation on a line of its own that names its step ("Best FID ..." repeats the best so far: not read)
_EVAL_LINE = re.compile(r"(?im)(?<!best )\b(FID|Inception score)\b[^\n:]*?\bstep\s*:?\s*(\d+)\b[^\n]*?:\s*(" + NUM
                        + r")\s*$")
_EVAL_COLUMNS = {"fid": "fid", "inception score": "inception_score"}
# BigGAN-PyTorch's "Itr 5000: PYTORCH UNOFFICIAL Inception Score is 5.249 +/- 0.055, PYTORCH UNOFFICIAL FID is 37.1965"
_BIGGAN_EVAL = re.compile(r"(?m)^\s*Itr (\d+):([^\n]*)")
_BIGGAN_METRIC = re.compile(r"(?i)\b(FID|Inception Score) is (" + NUM + r")")
_DAYS = re.compile(r"\b\d+ days?, (?=\d+:\d\d:\d\d)")
BARE_ITERATIONS = 1000   # a lone "[n/N]" counter with N at least this counts iterations, not epochs
HEAD_CHARS = 262_144     # the part of a log searched for glued counters and bracketed values
_DECIMAL_LINE = re.compile(r"(?m)^[^\n]*\d\.\d[^\n]*$")


def log_head(text: str) -> str:
    """The part of ``text`` whose layout the print shapes are probed on: its first :data:`HEAD_CHARS` characters
    and, in a longer text, the first lines after them holding a decimal (up to a quarter as many characters). A
    notebook's printed output may open with a cell's long listing before the training cell prints (held-out batch
    576/03: 67,715 image paths, 2 MB, before 11 lines of 'G-loss:0.919... D-loss: 0.292'), whose shapes a head of
    the first characters alone never sees."""
    if len(text) <= HEAD_CHARS:
        return text
    more, size = [], 0
    for m in _DECIMAL_LINE.finditer(text, HEAD_CHARS):
        more.append(m.group(0))
        size += len(m.group(0)) + 1
        if size >= HEAD_CHARS // 4:
            break
    return text[:HEAD_CHARS] + ("\n" + "\n".join(more) if more else "")
_SPLIT = re.compile(r"\t|,|;|\||\]|\[| - |\s{2,}|\.{2,}")      # "...": Udacity's "Epoch 1/2... D Loss: 0.9..."
# a counter opening a chunk before its first label ("Step 50: Generator loss: ...", "Epoch 3 - D loss: ...")
# ("Batch 0/1875 Loss D: 0.70": with its total too)
_LEAD_COUNTER = re.compile(r"(?i)^\s*(?:step|iter|iteration|it|epoch|ep|batch)\s*[:=]?\s*\d+(?:\s*/\s*\d+)?\s*"
                           r"(?::|-|\s(?=[A-Za-z]))\s*")
_CHUNK = re.compile(r"^\s*([A-Za-z_][\w.()/ ]*?)\s*(?:[:=]\s*)+(" + NUM + r")(%?)\s*(?:/\s*(" + NUM + r"))?\s*$")
_INLINE = re.compile(r"(?<![\w.])([A-Za-z_][\w.()/]*)\s*((?:[:=]\s*)+)(" + NUM + r")(%?)(?![\w.:])(?:\s*/\s*(" + NUM + r"))?")


# "[D loss f: 0.09 r: 0.13]" (MelGAN-VC's print): a spaced label, then its parts as one-letter or
# real/fake sub-labels, each with a value
_SUB_LABELS = re.compile(r"^\s*([A-Za-z]+ [A-Za-z]+)((?:\s+(?:f|r|fake|real)\s*:\s*" + NUM + r"){2,})\s*$", re.IGNORECASE)
_SUB_PAIR = re.compile(r"([A-Za-z]+)\s*:\s*(" + NUM + r")")
_SUB_NAMES = {"f": "fake", "r": "real"}


def _label(raw: str) -> str:
    return " ".join(raw.strip().rstrip(".").split())


_COUNTER_IN_LABEL = re.compile(r"\d\s*/\s*\d")
_NUMBER_IN_LABEL = re.compile(r"(?<![\w.])\d+(?![\w.])")      # "Epoch 3": a counter, not a name ("d1", "D_G_z2" are)


# a tqdm bar's share done after its description ("Training: 3%|▎  | 3750/120000 [..]"): progress, not a metric
_TQDM_SHARE = re.compile(r"(?<=[:\s])\d+(?:\.\d+)?%(?=\|)")


def labelled_values(line: str) -> list[tuple[str, float, float | None]]:
    """``(label, value, second value or None)`` for each ``label: number`` / ``label=number``
    in a line; inside ``[...]`` groups labels may hold spaces, and a group's later labels take
    its first label's first word (``[D loss: .., acc.: ..]`` -> ``D acc``)."""
    out = []

    def add(label, value, pct, second):
        if _COUNTER_IN_LABEL.search(label) or _NUMBER_IN_LABEL.search(label):
            return      # "Epoch 1/50: 100%", tqdm's "Epoch 3: 100%|": a counter and a progress share, no metric
        # "%.4f%%" after a loss (apoorvgupta00/cgan's "[Discriminator loss: 0.6911%, ...]") is the print's
        # format, not a share: only a value that is no loss is read as per cent
        v = float(value) / (100.0 if pct and not names_a_loss(label) else 1.0)
        out.append((_label(label), v, float(second) if second else None))

    rest = _TQDM_SHARE.sub(" ", line)
    for m in _GROUP.finditer(line):
        inner = m.group(1)
        if ":" not in inner and "=" not in inner:
            continue
        if sub := _SUB_LABELS.match(inner):      # "[D loss f: 0.09 r: 0.13]": D's fake and real terms
            for name, value in _SUB_PAIR.findall(inner[sub.end(1):]):
                add(f"{sub.group(1)} {_SUB_NAMES.get(name.lower(), name)}", value, "", None)
            rest = rest.replace(m.group(0), "\t", 1)
            continue
        prefix = None
        for k, chunk in enumerate(inner.split(",")):
            hit = _CHUNK.match(chunk)
            if hit:
                label = _label(hit.group(1))
                if k == 0 and " " in label:
                    prefix = label.split()[0]
                elif prefix and " " not in label:
                    label = f"{prefix} {label}"
                add(label, hit.group(2), hit.group(3), hit.group(4))
            else:
                for g in _INLINE.finditer(chunk):
                    add(_spaced_label(chunk, g), g.group(3), g.group(4), g.group(5))
        rest = rest.replace(m.group(0), "\t", 1)
    for chunk in _SPLIT.split(rest):
        if ":" not in chunk and "=" not in chunk:
            continue
        hit = _CHUNK.match(chunk)
        if hit and (lead := _LEAD_COUNTER.match(chunk)) and lead.end() <= hit.end(1) \
                and (rest := _CHUNK.match(chunk[lead.end():])):
            hit = rest       # "batch 3 d_loss : 0.72": the counter (read by _counters), then the label
        lead = None if hit else _LEAD_COUNTER.match(chunk)
        if lead and (hit := _CHUNK.match(chunk[lead.end():])):
            # "Step 50: Generator loss: -0.13": the counter (read by _counters), then a spaced label
            chunk = chunk[:lead.end()]
            for g in _INLINE.finditer(chunk):
                add(g.group(1), g.group(3), g.group(4), g.group(5))
        if hit:
            add(hit.group(1), hit.group(2), hit.group(3), hit.group(4))
        else:
            for g in _INLINE.finditer(chunk):
                add(_spaced_label(chunk, g), g.group(3), g.group(4), g.group(5))
    return out


_SUMMARY_WORD = re.compile(r"(?i)\b(?:mean|average|avg|running|total|epoch)\s*$")
_WORDS_BEFORE = re.compile(r"(?:([A-Za-z][\w()]*) )?([A-Za-z][\w()]*) $")


def _spaced_label(chunk: str, g: re.Match) -> str:
    """The label of an inline ``name: value`` with the one or two words before it where that makes a
    name of ours ("Generator Loss: 0.19 Discriminator Loss: -4.9", "critic loss: 0.04 generator
    loss: 0.02": each was read as "Loss"); otherwise the name alone."""
    before = _WORDS_BEFORE.search(chunk, 0, g.start(1))
    if before is None:
        return g.group(1)
    for k, words in ((1, (before.group(1), before.group(2))), (2, (before.group(2),))):
        if all(words):
            label = " ".join((*words, g.group(1)))
            if canonical_column(label) is not None:
                if _SUMMARY_WORD.search(chunk[:before.start(k)]):
                    return g.group(1)       # "Mean D loss: .. Mean G loss: ..": an epoch's summary, not a row
                return label
    return g.group(1)


# one "Label: value" (optionally "/ value") alone on a line: a line of a record printed one value per line
_SINGLE_VALUE = re.compile(r"^\s*([A-Za-z][\w.()/ ]*?)\s*[:=]\s*" + NUM + r"(?:\s*/\s*" + NUM + r")?\s*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
RECORD_BLOCKS_MIN = 3


def join_record_blocks(text: str) -> str:
    """Records printed one value per line between blank lines (``[2/30]``, then ``Loss_D: 1.37``,
    ``Loss_G: 0.70``, ``D(x): 0.51`` ... each on its own line) -> one line per record, its lines
    joined by tabs, so each record is one row. A block is a record when all its lines but
    perhaps the first (the counter) are single ``Label: value`` lines, at least two; the text is
    changed only when at least :data:`RECORD_BLOCKS_MIN` blocks are records and they are most of
    its blocks."""
    blocks = _BLANK_LINES.split(text)
    if len(blocks) < RECORD_BLOCKS_MIN:
        return text

    def record(block: str) -> bool:
        lines = [ln for ln in block.strip("\n").splitlines() if ln.strip()]
        body = lines if lines and _SINGLE_VALUE.match(lines[0]) else lines[1:]
        return len(body) >= 2 and all(_SINGLE_VALUE.match(ln) for ln in body)

    is_record = [record(b) for b in blocks]
    if sum(is_record) < RECORD_BLOCKS_MIN or 2 * sum(is_record) < len(blocks):
        return text
    # a record printed right after other lines, with no blank line between (a preamble's "Extracting
    # data/..." lines, then "Iter: 0" / "D loss: .." / "G_loss: ..") is a record too: the block's last
    # lines, where they carry the labels of the run's records in their order
    shapes = Counter(_labels(b) for b, r in zip(blocks, is_record) if r)
    shape = shapes.most_common(1)[0][0]

    def joined(block: str, whole: bool) -> str:
        lines = [ln.strip() for ln in block.strip("\n").splitlines() if ln.strip()]
        if whole:
            return "\t".join(lines)
        if len(lines) > len(shape) and _labels("\n".join(lines[-len(shape):])) == shape:
            return "\n".join(lines[:-len(shape)] + ["\t".join(lines[-len(shape):])])
        return block
    return "\n".join(joined(b, r) for b, r in zip(blocks, is_record))


def _labels(block: str) -> tuple:
    """The labels of a block's single ``Label: value`` lines, in order (a counter line's as None)."""
    return tuple(m.group(1).strip().lower() if (m := _SINGLE_VALUE.match(ln)) else None
                 for ln in block.strip("\n").splitlines() if ln.strip())


def _is_loss(label: str, user_raw: set) -> bool:
    if normalise_name(label) in user_raw:
        return True
    names = [label] + fallback_names(label)
    return (any(canonical_column(n) in _PLAYER_LOSSES for n in names) or domain_loss(label) is not None
            or net_word_loss(label) is not None)


def _counters(line: str) -> dict:
    """epoch / n_epochs / batch / n_batches / step as the line prints them (not yet 0-based)."""
    found, spans = {}, []
    if m := _SCALE_ITER.match(line):       # each scale counts its iterations from 0: another run (split_runs)
        found["step"] = int(m.group(2))
        return found
    if m := _EPOCH_THEN_STEP.match(line):      # "[ 1/10][     44][  132.52s]": the epoch, then the iteration
        found.update(epoch=int(m.group(1)), n_epochs=int(m.group(2)), step=int(m.group(3)))
        return found
    m = _WGAN.match(line)
    if m:                     # [epoch/E][critic batch/B][generator iteration]
        found.update(epoch=int(m.group(1)), n_epochs=int(m.group(2)), batch=int(m.group(3)),
                     n_batches=int(m.group(4)), g_iter=int(m.group(5)))
        return found
    m = _EPOCH.search(line)
    if m:
        found["epoch"] = int(m.group(1))
        if m.group(2):
            found["n_epochs"] = int(m.group(2))
        spans.append(m.span())
        if not m.group(2) and (b := _BARE_BATCH.match(line, m.end())):     # "epoch=12, 9/24, d_loss=.."
            found["batch"], found["n_batches"] = int(b.group(1)), int(b.group(2))
            spans.append(b.span())
    m = _BATCH.search(line) if "batch" not in found else None
    if m:
        found["batch"], found["n_batches"] = int(m.group(1)), int(m.group(2))
        spans.append(m.span())
    m = _LEAD_PAIR.match(line)
    if m and not found:     # a lone "N/TOTAL:" counter: iterations when the total is in the thousands, else epochs
        # (decided on the printed totals by _bare_pairs: this line may be a template's probe)
        found.update(epoch=int(m.group(1)), n_epochs=int(m.group(2)), _bare_pair=1)
        return found
    m = _PROGBAR.match(line)
    if m and "batch" not in found and (after := _PAIR_AFTER_BAR.match(line, m.end())):
        # a bar of a notebook's own, "3/500 [=====] 117/117": the epoch of its total, then the batches done
        # (no Keras bar: Keras prints the batches first, then its running means)
        found.update(epoch=int(m.group(1)), n_epochs=int(m.group(2)), batch=int(after.group(1)),
                     n_batches=int(after.group(2)))
        spans += [m.span(), after.span()]
    elif m and "batch" not in found:
        found["batch"], found["n_batches"], found["progbar"] = int(m.group(1)), int(m.group(2)), True
        spans.append(m.span())
    bare = False
    for m in _PAIR.finditer(line):
        if any(a <= m.start() < b for a, b in spans):
            continue
        if "epoch" not in found:
            found["epoch"], found["n_epochs"] = int(m.group(1)), int(m.group(2))
            bare = True
        elif "batch" not in found:
            found["batch"], found["n_batches"] = int(m.group(1)), int(m.group(2))
            bare = False
    if bare and "batch" not in found:
        # a lone "[  1/10000] ..." counter (U-GAT-IT's print) with a total in the thousands counts
        # iterations, not epochs; "[1/50]", epochs (decided on the printed totals by _bare_pairs)
        found["_bare_pair"] = 1
        return found
    if "epoch" in found and "batch" not in found and (m := _BATCH_ONLY.search(line)):
        found["batch"] = int(m.group(1))
    elif not found and (m := _LEAD_BATCH.match(line)):
        # "batch 3 d_loss : 0.72" (jacobgil/keras-dcgan): the batch of an epoch an "Epoch N" line gave
        found["batch" if m.group(1).lower() == "batch" else "epoch"] = int(m.group(2))
    if "epoch" in found and "batch" not in found and (m := _TQDM_BAR.search(line)):
        # "Epoch 3/50: 100%|████| 704/704 [01:19<00:00, 8.9it/s, G_loss=.., D_loss=..]": the bar counts the
        # epoch's iterations done (the last one's index is n - 1)
        found["batch"], found["n_batches"], found["_tqdm_done"] = int(m.group(1)), int(m.group(2)), 1
    if not found and (m := _TQDM_POSTFIX.search(line)):
        # a tqdm bar of its own ("  3%|▎  | 2/60 [02:40<.., Generator loss=.., Critic loss=..]"): its counter is
        # a lone n/TOTAL (epochs or iterations by the total, _bare_pairs); set_postfix shows item k's values
        # at n = k and update() shows them again at k + 1 (_tqdm_redraws drops the second)
        found.update(epoch=int(m.group(1)), n_epochs=int(m.group(2)), _bare_pair=1, _tqdm_bar=1)
        return found
    if not found:
        m = _LEAD_EPOCH_BATCH.match(line)
        if m:
            found["epoch"], found["batch"] = int(m.group(1)), int(m.group(2))
    if "batch" not in found:
        m = _STEP.search(line) or (None if found else _LEAD_STEP.match(line))
        if m:
            found["step"] = int(m.group(1))
        elif not found and _INITIAL.match(line):    # "initial: gen_loss: 0.69, disc_loss: 1.40" before step 1
            found["step"] = 0
    elif "epoch" not in found and (m := _BATCH.search(line)) and not m.group(0).lower().startswith(("batch", "loop")):
        # "Iter [100/1000000]" (mmcv's iteration-based runners), "Iteration 500/10000": with no
        # epoch, the iteration counter is the step (printed after the iteration ran)
        found["step"] = found.pop("batch")
        found.pop("n_batches")
    if not found and (m := _TQDM_BAR.search(line)):
        # a tqdm bar and nothing else that counts ("g_loss 2.04 d_loss 0.51: 100%|███| 1093/1093 [01:21<..]"):
        # what its count means is decided on all the rows (:func:`_complete_bars`)
        found.update(_bar_done=int(m.group(1)), _bar_total=int(m.group(2)))
    return found


def _zero_based(values: np.ndarray, totals: np.ndarray | None) -> tuple[np.ndarray, bool]:
    """Counters as printed -> 0-based; 1-based when one reaches its total or they start at 1. A
    counter that runs from 0 to its total, both printed (dcgan.torch's ``[ 0 / 13] .. [ 13 / 13]``:
    total + 1 batches), stays as it is: see :func:`_inclusive`."""
    if _inclusive(values, totals):
        return values, False
    if totals is not None and np.isfinite(totals).all() and (values == totals).any():
        return values - 1, True
    if len(values) and values[0] == 1 and (values >= 1).all():
        return values - 1, True
    return values, False


def _inclusive(values: np.ndarray, totals: np.ndarray | None) -> bool:
    """Whether a counter prints both 0 and its total (0 .. total: total + 1 values per epoch)."""
    return (totals is not None and len(values) > 0 and np.isfinite(totals).all() and bool((values == 0).any())
            and bool((values == totals).any()))


# Numbers standing on their own (not the "1" of "z1"): the parts of a line that vary from step to step.
_TOKEN = re.compile(r"(?<![A-Za-z_\d.])\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")
# a sign written before a blanked number (its template's "\0")
_SIGN_BEFORE_NUMBER = re.compile(r"[-+](?=\0)")
_SENTINEL = 987_650            # probe value of token k: _SENTINEL + k


_D_OUTPUT_COLUMNS = ("d_x", "d_g_z1", "d_g_z2")


def _parse_line(line: str, user_raw: set) -> tuple[dict, bool, dict]:
    """One line -> (fields, is a row (holds a D or G loss), format flags)."""
    if _WGAN.match(line):       # the WGAN code prints "Loss_D_fake %f" without a colon
        line = _WGAN_FAKE.sub(r"\1: ", line)
    values = labelled_values(line)
    counters = _counters(line)
    flags = {"keras": bool(counters.get("progbar")) or bool(_KERAS_EPOCH_LINE.match(line)),
             "keras_gan": bool(_KERAS_GAN.match(line)), "pytorch_gan": bool(_PYTORCH_GAN.match(line)),
             "keyvalue": "=" in line and ":" not in line}
    fields = {k: v for k, v in counters.items() if k != "progbar"}
    if not any(_is_loss(lbl, user_raw) for lbl, _, _ in values) or _PARAMS_LINE.search(line) \
            or _MODEL_SUMMARY_LINE.search(line):
        outputs = {lbl: v for lbl, v, _ in values if canonical_column(lbl) in _D_OUTPUT_COLUMNS}
        if outputs and len(outputs) == len(values) and not _PARAMS_LINE.search(line):
            # "D(x): 0.84, D(G(z)): 0.25" on a line of its own, a record's companion of its loss line:
            # a row only where it joins one (_join_epoch_blocks; dropped otherwise)
            flags["companion"] = True
            return {**fields, **outputs}, True, flags
        return fields, False, flags
    labels = set()
    for label, v, second in values:
        if (canonical_column(label) in counters or normalise_name(label) in ("epoch", "epochs")) \
                and canonical_column(label) in ("epoch", "step"):
            continue                      # already read as a counter
        if canonical_column(label) == "step" and counters.get("batch") == v:
            continue                      # "Step: [ 40 / 60 ]": the batch counter, read above
        if normalise_name(label) == "batch" and "batch" in counters:
            continue                      # "| Tempo por batch: 1.66 segundos" beside "[100/1583]": a time, no counter
        fields[label] = v
        labels.add(normalise_name(label))
        if second is not None:
            fields["D_G_z2" if canonical_column(label) == "d_g_z1" else f"{label}_2"] = second
    flags["dcgan"] = {"lossd", "lossg", "dx", "dgz"} <= labels and "D_G_z2" in fields
    flags["wgan"] = "g_iter" in fields
    return fields, True, flags


def _template_frame(template: str, numbers: np.ndarray, idx: np.ndarray, user_raw: set, tid: int):
    """Parse every line of one template (same text once the numbers are blanked) at once:
    one probe line, whose k-th number is ``_SENTINEL + k``, says which number is which
    field; ``numbers`` (lines x numbers) holds the values. Returns (frame or None, is_row, flags)."""
    parts = template.split("\0")
    probe = "".join(p + (str(_SENTINEL + k) if k < len(parts) - 1 else "") for k, p in enumerate(parts))
    fields, is_row, flags = _parse_line(probe, user_raw)
    if not fields:
        return None, is_row, flags
    n_tok = numbers.shape[1]
    cols = {"_line": idx, "_tpl": np.full(len(idx), tid)}
    for key, v in fields.items():
        col = None
        for scale in (1.0, 100.0) if np.isfinite(v) else ():
            k = round(abs(v) * scale) - _SENTINEL
            if 0 <= k < n_tok and abs(abs(v) * scale - (_SENTINEL + k)) < 1e-6 * _SENTINEL:
                col = np.sign(v) * numbers[:, k] / scale
                break
        cols[key] = col if col is not None else np.full(len(idx), v, dtype="float64")
    for counter, total in (("epoch", "n_epochs"), ("batch", "n_batches"), ("step", None)):
        if counter in cols and not (np.isnan(c := cols[counter]) | (c == np.round(c))).all():
            del cols[counter]                    # "Epochs: 1.163": how much of the data was seen, no counter
            cols.pop(total, None)
    return _bare_pairs(pd.DataFrame(cols)), is_row, flags


def _bare_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """A lone ``n/TOTAL`` counter (:func:`_counters` marks it) counts iterations when every printed
    total is at least :data:`BARE_ITERATIONS`, else epochs."""
    if "_bare_pair" not in frame.columns:
        return frame
    frame = frame.drop(columns="_bare_pair")
    if "n_epochs" in frame and (frame["n_epochs"].to_numpy(dtype="float64") >= BARE_ITERATIONS).all():
        frame = frame.drop(columns="n_epochs").rename(columns={"epoch": "step"})
    return frame


def _epoch_trailers(rows: pd.DataFrame, state: pd.DataFrame) -> bool:
    """Whether the epoch lines without losses close their epochs rather than open them: rows without an
    epoch of their own come before the first such line and none after the last ("Batch: 450 ..." rows,
    then "Epoch [1 / 3] average loss ..."). Read as headers, epoch 1's rows were dropped and every
    later row went to the epoch before its own."""
    if "_epoch" not in state:
        return False
    ends = state.loc[state["_epoch"].notna(), "_line"]
    lone = rows.loc[rows["epoch"].isna(), "_line"] if "epoch" in rows else rows["_line"]
    return bool(len(ends) and len(lone) and (lone < ends.min()).any() and not (lone > ends.max()).any())


def _after_out_of_data(rows: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """Keras prints "Your input ran out of data; interrupting training" and then one more progress line
    whose every value is 0 (no batch ran): that line is no training step and goes, with a warning."""
    at = next((k for k, ln in enumerate(lines) if "ran out of data" in ln), None)
    if at is None:
        return rows
    values = rows.drop(columns=[c for c in ("_line", "_tpl", "epoch", "n_epochs", "batch", "n_batches", "step")
                                if c in rows])
    empty = (rows["_line"] > at).to_numpy() & (values.fillna(0) == 0).all(axis=1).to_numpy()
    if empty.any():
        warnings.warn(f"skipping {int(empty.sum())} progress line(s) of zeros after Keras' 'Your input ran out of "
                      "data': no batch ran there", stacklevel=3)
    return rows[~empty]


#: a Keras epoch captured with at most this many progress lines is a throttled capture (a notebook keeps the
#: last redraw before the epoch's final line), not a record of its batches
KERAS_THROTTLED_LINES = 3
#: ... and such a line within the epoch's last 5 % of batches is a near copy of the final line (a mean over
#: all but a few of the same batches); an earlier one ("10/50 ... ETA") is a mean over fewer and stays a row
KERAS_NEAR_END = 0.95


def _keras_throttled_redraws(frame: pd.DataFrame) -> pd.DataFrame:
    """A notebook's capture of a Keras bar redrawn with backspaces keeps one or two in-progress lines
    ("186/188 [...] - ETA: 0s - d_loss: ..") before the epoch's final "188/188" line: the same running mean
    a few batches earlier, read as a second row per epoch (89 rows for 50 epochs). Where an epoch has at
    most :data:`KERAS_THROTTLED_LINES` lines and ends on its last batch, an in-progress line within its
    last 5 % of batches (:data:`KERAS_NEAR_END`) goes; a log of every batch's redraw keeps them all (its
    running means are undone later)."""
    if "n_batches" not in frame.columns or frame["n_batches"].isna().any() or frame["epoch"].isna().any():
        return frame        # (a line with no epoch: held-out batch 498/24's own print glued to a Keras bar)
    epoch = frame["epoch"].to_numpy()
    last = np.r_[epoch[1:] != epoch[:-1], True]              # each epoch's last line
    size = frame.groupby("epoch", sort=False)["epoch"].transform("size").to_numpy()
    final = frame["batch"].to_numpy() == frame["n_batches"].to_numpy() - 1
    ends_final = pd.Series(final & last).groupby(epoch).transform("any").to_numpy()
    near_end = frame["batch"].to_numpy() + 1 >= KERAS_NEAR_END * frame["n_batches"].to_numpy()
    drop = ~last & (size <= KERAS_THROTTLED_LINES) & ends_final & near_end
    return frame[~drop].reset_index(drop=True)


def _tqdm_redraws(rows: pd.DataFrame) -> pd.DataFrame:
    """A tqdm bar shows its postfix at n = k (``set_postfix`` during item k) and again at n = k + 1
    (``update()`` after it): a bar's row whose values all equal the row before it, one count on, is
    that redraw and goes. The first keeps its counter, item k's 0-based index."""
    bar = rows.pop("_tqdm_bar").notna().to_numpy()
    counter = rows["epoch"] if "epoch" in rows else rows["step"]
    values = rows.drop(columns=[c for c in ("_line", "_tpl", "epoch", "n_epochs", "step") if c in rows])
    before = values.shift()
    same = (values.eq(before) | (values.isna() & before.isna())).all(axis=1).to_numpy()
    redraw = bar & np.r_[False, bar[:-1]] & same & (counter.diff() == 1).to_numpy()
    return rows[~redraw]


# a header line that starts a record of held-out values, not of training ("Eval", "Test:", "Validation")
_EVAL_HEADER = re.compile(r"(?i)^\s*(?:eval(?:uation)?|test(?:ing)?|valid(?:ation)?)\b\W*$")


def _after_eval_header(rows: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """Rows of the last epoch that follow an evaluation header printed after that epoch's record
    ("Eval" then "Generator_loss: ..", "Discriminator_loss: .." once training ended) carry the last
    epoch by the header's absence of one: they are no training row (dropped, with a warning)."""
    last = rows["epoch"] == rows["epoch"].iloc[-1]
    tail = rows.loc[last, "_line"].to_numpy(dtype="int64")
    if len(tail) < 2:
        return rows
    header = next((k for k in range(int(tail[0]) + 1, int(tail[-1])) if _EVAL_HEADER.match(lines[k])), None)
    if header is None:
        return rows
    drop = last & (rows["_line"] > header)
    warnings.warn(f"skipping {int(drop.sum())} line(s) after {lines[header].strip()!r}: values of an evaluation, "
                  "not a training epoch", stacklevel=3)
    return rows.loc[~drop]


def _join_epoch_blocks(rows: pd.DataFrame, lines: list[str]) -> pd.DataFrame:
    """An epoch's summary printed one value per line ("Epoch 3:" then "Average Discriminator Loss: ..",
    "Average Generator Loss: .." on lines of their own) gives one row per line, each holding one
    value; they are one row of that epoch where every epoch prints each such line once (no step or
    batch counter, more than one line template, each template at most once per epoch and all of them
    in most epochs). An evaluation record printed the same way after the last epoch is left out
    (:func:`_after_eval_header`)."""
    if "epoch" not in rows or rows["epoch"].isna().any() or "step" in rows:
        return rows
    key = ["epoch"]
    if "batch" in rows:      # a record per printed batch ("epoch: [1/8] iteration: [100/469]", then a line each)
        if rows["batch"].isna().any():
            return rows
        key = ["epoch", "batch"]
    if rows["_tpl"].nunique() >= 2 and rows.groupby([*key, "_tpl"]).size().max() > 1 and key == ["epoch"]:
        rows = _after_eval_header(rows.sort_values("_line", kind="stable"), lines)
    return _join_records(rows, key)


_LABEL_VALUE = re.compile(r"([A-Za-z][\w ()/.-]*?)\s*[:=]\s*\[?" + NUM)


def _labels_seen(lines: list[str], groups: dict) -> str:
    """"; labels: DX, DGz, Loss, ..." of the most printed line with labelled values, and the option that
    says which is which (for a refusal's message); "" when no line has two such labels."""
    for template, idx in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        labels = list(dict.fromkeys(m.group(1).strip() for m in _LABEL_VALUE.finditer(lines[idx[0]])))
        if len(labels) < 2:
            continue
        # the names --columns is matched against: the labels as this reader reads them (held-out batch 453/12's
        # 'D ロス' and 'G ロス' were suggested, and --columns with them was refused the same way: both read 'ロス')
        read = list(dict.fromkeys(label for label, _, _ in labelled_values(lines[idx[0]])))
        if len(read) >= 2:
            return (f"; the most printed one labels {', '.join(repr(x) for x in read[:8])}: if some are the "
                    "losses, say which with --columns d_loss=NAME,g_loss=NAME (or d_loss_real=NAME,"
                    "d_loss_fake=NAME for D's two terms)")
        return (f"; the most printed one labels {', '.join(repr(x) for x in labels[:8])}, which this reader cannot tell "
                "apart (a label's words before its last are kept only inside [..]): print each as one word "
                "(d_loss=..), or write the losses as a CSV")
    return ""


def _join_records(rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows sharing ``key`` (a record printed a value per line under its counter) -> one row each, where
    every line template appears at most once per record and all of them in most records; else as they are."""
    templates = rows["_tpl"].nunique()
    if templates < 2 or rows.groupby([*key, "_tpl"]).size().max() > 1:
        return rows
    if (rows.groupby(key)["_tpl"].nunique() == templates).mean() < 0.9:
        return rows
    ordered = rows.sort_values("_line", kind="stable")
    joined = ordered.groupby(key, sort=False).first().reset_index()
    joined["_tpl"] = ordered.groupby(key, sort=False)["_tpl"].min().to_numpy()
    joined["_line"] = ordered.groupby(key, sort=False)["_line"].min().to_numpy()
    return joined[rows.columns]


def _attach_companions(rows: pd.DataFrame, companions: set) -> pd.DataFrame:
    """D's outputs printed on the line right after a loss line ("Epoch 1, Step 31.9%, d_loss: .., g_loss: .."
    then "D(x) 0.68, D(G(x)) 0.28"): the same row. A companion line after anything else is left as it is
    (joined by its epoch, or dropped, later)."""
    rows = rows.sort_values("_line", kind="stable").reset_index(drop=True)
    comp = rows["_tpl"].isin(companions).to_numpy()
    line = rows["_line"].to_numpy()
    values = [c for c in rows.columns if not c.startswith("_") and c not in ("epoch", "n_epochs", "batch", "n_batches", "step")]
    vals = rows[values]
    # a companion right after (the next line) a row that is not one, holding only values that row lacks
    after = np.r_[False, comp[1:] & ~comp[:-1] & (line[1:] == line[:-1] + 1)]
    clash = np.r_[False, (vals.notna().to_numpy()[1:] & vals.notna().to_numpy()[:-1]).any(axis=1)]
    attach = after & ~clash
    if not attach.any():
        return rows
    into = np.flatnonzero(attach) - 1
    moved = vals.iloc[np.flatnonzero(attach)].to_numpy(dtype=object)
    merged = vals.iloc[into].to_numpy(dtype=object)
    rows.loc[into, values] = np.where(pd.isna(merged), moved, merged)
    return rows[~attach].reset_index(drop=True)


_COUNTER_COLUMNS = ("epoch", "n_epochs", "batch", "n_batches", "step")
_PLAYER_LOSSES = ("d_loss", "g_loss", "d_loss_real", "d_loss_fake")


def _join_continuation_lines(rows: pd.DataFrame) -> pd.DataFrame:
    """A record printed on two lines, each its own template (an SRGAN notebook's "err_D_real: ..; err_G: ..;
    D_x: .." then "adversarial_loss: .., vgg_loss: .., pixel_loss: .."): where every line of one template
    comes right after a line of another, names none of its values and none of D's or G's losses (those
    pair by their own rules: _join_alternating, the epoch blocks), the second line joins the row of the
    first (its own row had no D loss, which read as a non-finite one)."""
    if rows["_tpl"].nunique() < 2:
        return rows
    rows = rows.sort_values("_line", kind="stable").reset_index(drop=True)
    line, tpl = rows["_line"].to_numpy(), rows["_tpl"].to_numpy()
    values = [c for c in rows.columns if not c.startswith("_") and c not in _COUNTER_COLUMNS]
    have = rows[values].notna()
    drop = np.zeros(len(rows), bool)
    for t2 in np.unique(tpl):
        at = np.flatnonzero(tpl == t2)
        if at[0] == 0 or len(at) < 2:
            continue
        prev = at - 1
        t1 = tpl[prev]
        if (t1 == t2).any() or len(np.unique(t1)) != 1 or not (line[at] == line[prev] + 1).all():
            continue
        own = have.iloc[at].any(axis=0)
        first = have.iloc[prev].any(axis=0)
        if (own & first).any() or any(canonical_column(c) in _PLAYER_LOSSES for c in own[own].index):
            continue
        cols = list(own[own].index)
        rows.loc[prev, cols] = rows.loc[at, cols].to_numpy()
        drop[at] = True
    return rows[~drop].reset_index(drop=True) if drop.any() else rows


def _print_counter_step(frame: pd.DataFrame, meta: dict) -> pd.DataFrame:
    """A 'Step' that counts the prints beside an epoch and a batch with its total ("Epoch: 1/50 -- Step: 2 --
    Batch: 41/469 -- .."): where it moves on by exactly 1 a row while epoch x batches + batch moves on by more,
    it is dropped and the epoch and batch make the step (it had been read as the iteration, 40 times too few)."""
    named = next((c for c in frame.columns if canonical_column(c) == "step"), None)     # "Step" as printed
    if named is None or not {"epoch", "batch", "n_batches"} <= set(frame.columns) or len(frame) < 3:
        return frame
    cols = [pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64") for c in (named, "epoch", "batch", "n_batches")]
    if not all(np.isfinite(c).all() for c in cols):
        return frame
    step, epoch, batch, n = cols
    eb = epoch * n + batch
    if (np.diff(step) == 1).all() and np.median(np.diff(eb)) > 1:
        meta["print_counter_dropped"] = (f"'{named}' moves on by 1 a row while epoch x batches + batch moves on by "
                                         f"{np.median(np.diff(eb)):.0f}: a count of the prints, not the iteration")
        return frame.drop(columns=named)
    return frame


#: a printed step repeated on at least this many lines in a row (median) counts epochs, not iterations
STEP_RUN_MIN = 10


def _step_runs_as_epochs(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A 'step' printed on every batch's line but counting epochs (a TimeGAN port's "step: 3/50, D_loss: .."
    a hundred times per value): where each printed value comes on one run of consecutive lines, the runs
    :data:`STEP_RUN_MIN` lines long or more (median), the value is the epoch and the line's place in its run
    the batch, so the rows step epoch x N + place (N: the longest run) instead of all but the last line of each
    run being dropped as rewrites. A print inside a critic's loop (five lines a step) stays as it is."""
    if "step" not in frame.columns or {"epoch", "batch"} & set(frame.columns) or len(frame) < 2 * STEP_RUN_MIN:
        return frame, {}
    step = pd.to_numeric(frame["step"], errors="coerce").to_numpy(dtype="float64")
    if not np.isfinite(step).all():
        return frame, {}
    starts = np.r_[True, step[1:] != step[:-1]]
    run_id = np.cumsum(starts) - 1
    values = step[starts]
    lengths = np.bincount(run_id)
    if len(values) < 2 or len(np.unique(values)) != len(values) or np.median(lengths) < STEP_RUN_MIN:
        return frame, {}
    place = np.arange(len(step)) - np.flatnonzero(starts)[run_id]
    n = int(lengths.max())
    frame = frame.drop(columns="step").assign(epoch=step.astype("int64"), batch=place, n_batches=float(n))
    return frame, {"step_runs": f"each printed step comes on about {int(np.median(lengths))} lines in a row (the "
                                f"longest {n}): an epoch counter printed on every batch's line, the lines its batches"}


def _step_within_epochs(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """A 'step' that starts again in every epoch ("Epoch:  52/200, Iterations:  300, d_loss: ..", printed at the
    300th batch of each epoch, held-out batch 490/07): where the epoch never falls, and the step falls or repeats where
    the epoch moves on, the step is the batch within the epoch (all but the last row had been dropped as rewrites of
    step 300)."""
    col = next((c for c in frame.columns if c == "step" or canonical_column(c) == "step"), None)
    if col is None or "epoch" not in frame.columns or "batch" in frame.columns or len(frame) < 3:
        return frame, {}
    step = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64")
    epoch = pd.to_numeric(frame["epoch"], errors="coerce").to_numpy(dtype="float64")
    if not (np.isfinite(step).all() and np.isfinite(epoch).all()) or (np.diff(epoch) < 0).any():
        return frame, {}
    moved = np.diff(epoch) > 0
    if moved.sum() < 2 or not (np.diff(step)[moved] <= 0).all():
        return frame, {}
    return frame.rename(columns={col: "batch"}), {"step_within_epochs": f"the printed {col!r} starts again in every "
                                                                       "epoch: the batch within it"}


def _join_alternating(rows: pd.DataFrame) -> pd.DataFrame:
    """D's and G's losses printed on lines of their own in turn with no counter at all
    ("discriminator_loss:  0.0034" / "generator_loss:  10.0" ..., a notebook's print per step): one row
    per pair. Where a copy cut the head (Colab's "output truncated to the last 5000 lines"), a first
    line whose partner was cut is left out, with a warning. Only where the two templates alternate on
    every line; with a batch counter on both lines of a pair ("batch 5 d_loss : .." then "batch 5 g_loss : ..",
    no epoch, or an epoch carried from a line of its own: "Epoch =  3" / "Discriminator  0.69" / "Genrator  0.92"), where
    each pair's counters agree (pairs before the first counter, a head cut above the first "Epoch:" line,
    are paired too: the rows without the counter go later, with their warning). An odd line out is the head's
    (a cut copy) or, where only that pairs the counters, the tail's (a run stopped between D's line and G's:
    held-out batch 530/01's KeyboardInterrupt after "batch 77 d_loss", whose 155 lines had read as 155 half rows)."""
    if "step" in rows.columns or rows["_tpl"].nunique() != 2 or len(rows) < 4:
        return rows
    rows = rows.sort_values("_line", kind="stable")
    tpl = rows["_tpl"].to_numpy()
    counters = ["_line", "_tpl", "batch", "n_batches", "epoch", "n_epochs"]
    held = rows.drop(columns=counters, errors="ignore").notna()
    if (tpl[1:] == tpl[:-1]).any() or not _disjoint_halves(held, tpl):
        return rows
    cuts = ((rows.iloc[1:], "first", "a copy cut at its head?"), (rows.iloc[:-1], "last", "the run stopped between "
            "them?")) if len(rows) % 2 else ((rows, "", ""),)
    cut = next((c for c in cuts if _counters_pair(c[0])), None)
    if cut is None:
        return rows
    cut, which, why = cut
    if which:
        warnings.warn(f"skipping the {which} loss line: its partner (the other loss of its step) is not in the log "
                      f"({why})", stacklevel=3)
    rows = cut
    pair = np.arange(len(rows)) // 2
    joined = rows.groupby(pair, sort=False).first().reset_index(drop=True)
    joined["_line"] = rows.groupby(pair, sort=False)["_line"].min().to_numpy()
    return joined[rows.columns]


_SUMMARY_PREFIX = re.compile(r"(?i)^(?:mean|average|avg|running|epoch)[ _]+")


def _drop_summary_kind(rows: pd.DataFrame, lines: list[str], user_raw: set) -> pd.DataFrame:
    """Without the lines of a kind whose losses are another kind's under a summary word ("[1/100][10/10]
    Mean_Discriminator_Loss: .." among "[1/100][6/10] Discriminator_Loss: .." lines, the PyTorch SRGAN scripts' epoch
    summary, held-out batch 591/09): each kind would leave the other's columns empty on every row. Kept where that
    kind is most of the rows (then it is the run's own record)."""
    if rows["_tpl"].nunique() < 2:
        return rows
    losses = [c for c in rows.columns if not c.startswith("_") and _is_loss(c, user_raw)]
    held = {t: [c for c in losses if rows.loc[rows["_tpl"] == t, c].notna().any()] for t in rows["_tpl"].unique()}
    summary = set()
    for t, cols in held.items():
        plain = {normalise_name(_SUMMARY_PREFIX.sub("", c)) for c in cols if _SUMMARY_PREFIX.match(c)}
        if (not cols or len(plain) < len(cols) or any(set(cols) & set(other) for u, other in held.items() if u != t)
                or not any(plain <= {normalise_name(c) for c in other} for u, other in held.items() if u != t)):
            continue
        summary.add(t)
    drop = rows["_tpl"].isin(summary)
    if not drop.any() or drop.sum() * 2 > len(rows):
        return rows
    first = lines[int(rows.loc[drop, "_line"].iloc[0])].strip()
    warnings.warn(f"skipping {int(drop.sum())} summary line(s) that repeat the losses under a summary word beside the "
                  f"per-step lines (first: {first[:80]!r})", stacklevel=3)
    kept = rows.loc[~drop]
    return kept.drop(columns=[c for c in kept.columns if kept[c].isna().all()])


def _disjoint_halves(held: pd.DataFrame, tpl: np.ndarray) -> bool:
    """Whether each of the two line kinds holds values (``held``: which columns each line holds) in columns the other
    never does, one of them D's loss and the other G's: one value a line ("discriminator_loss:  0.0034"), or a loss
    with its own parts ("[Generator loss: 3.32 | identity: 0.18 GAN: 0.57 cycle: 0.18]" then "[Discriminator loss:
    0.20 | D_X: 0.19 D_Y: 0.22]", held-out batch 570/06)."""
    kinds = [held[tpl == t].any(axis=0) for t in np.unique(tpl)]
    if len(kinds) != 2 or (kinds[0] & kinds[1]).any() or (held.sum(axis=1) == 0).any():
        return False
    if (held.sum(axis=1) == 1).all():
        return True
    names = [{canonical_column(c) for c in k.index[k]} for k in kinds]
    return any("d_loss" in names[a] and "g_loss" in names[1 - a] and "g_loss" not in names[a]
               and "d_loss" not in names[1 - a] for a in (0, 1))


def _counters_pair(rows: pd.DataFrame) -> bool:
    """Whether the batch and epoch counters of ``rows``, taken two lines at a time, agree within each pair (rows
    before a counter's first value pair freely)."""
    for counter in ("batch", "epoch"):
        if counter in rows.columns:
            seen = rows[counter].to_numpy(dtype="float64")
            head = int(np.argmax(np.isfinite(seen))) if np.isfinite(seen).any() else len(seen)
            seen = seen[head - head % 2:]
            if not (np.isfinite(seen).all() and (seen[0::2] == seen[1::2]).all()):
                return False
    return True


@dataclass(frozen=True)
class _Link:
    """One print shape of :func:`_canonical_prints`: where ``probe`` finds it in the head (the layout shows
    there, and a whole-text regex pass costs seconds; the whole text where ``probe_text``), ``rewrite(text)``
    turns the whole text into the ``label: value`` lines and counters the template parser reads; ``refresh``:
    later links probe the rewritten head (they read what this one wrote)."""

    probe: Callable[[str], bool]
    rewrite: Callable[[str], str]
    refresh: bool = False
    probe_text: bool = False


# a rich table's title naming its epoch ("                Epoch 1 Summary                ")
_EPOCH_SUMMARY = re.compile(r"^\s*(Epoch\s+\d+)\s+Summary\s*$", re.I)


#: the top corner of a table drawn with box characters (tabulate's fancy_grid ╒, simple_grid ┌, rounded_grid ╭)
_BOX_TOP = "\u2552\u250c\u256d"
#: the first characters of a box table's rules (rich's and tabulate's)
_BOX_RULES = "\u250f\u2521\u2514\u2517\u2501\u2500\u2552\u255e\u2558\u251c\u250c\u256d\u2570\u2550"


def _box_tables(head: str) -> bool:
    """Whether ``head`` holds a table drawn with box characters: rich's (a ┃ header) or tabulate's (a top corner)."""
    return "\u2502" in head and ("\u2503" in head or any(ch in head for ch in _BOX_TOP))


def _rich_tables(text: str) -> str:
    """Tables drawn with box characters: the ``rich`` library's (a notebook's epoch summary: "Epoch 1 Summary" over
    "┃ Discriminator Loss ┃ Generator Loss ┃" and "│ -30.19 │ 10.85 │") and tabulate's grids (``fancy_grid``: a
    "╒═══╤═══╕" top, then "│ Epoch │ Generator Loss │ .. │" and rows of values between "├───┼───┤" rules; held-out
    batch 499/03): each value row as "Name: value, .." under its header's names, a title as its epoch ("Epoch 1"),
    the rules left out; other lines as they are."""
    out, names, top = [], None, False
    for ln in text.split("\n"):
        s = ln.strip()
        if s.startswith("\u2503") and s.endswith("\u2503"):          # ┃ the header's names ┃
            names = [c.strip() for c in s.strip("\u2503").split("\u2503")]
            continue
        if top and s.startswith("\u2502") and s.endswith("\u2502"):    # │ a tabulate grid's names │, under its top
            top = False
            cells = [c.strip() for c in s.strip("\u2502").split("\u2502")]
            if all(any(ch.isalpha() for ch in c) for c in cells):
                names = cells
                continue
        top = bool(s) and s[0] in _BOX_TOP and not any(ch.isalnum() for ch in s)
        if names and s.startswith("\u2502") and s.endswith("\u2502"):    # │ the values │
            cells = [c.strip() for c in s.strip("\u2502").split("\u2502")]
            if len(cells) == len(names):
                out.append(", ".join(f"{n}: {v}" for n, v in zip(names, cells)))
                continue
        if s and s[0] in _BOX_RULES and not any(ch.isalnum() for ch in s):   # its rules
            continue
        out.append(_EPOCH_SUMMARY.sub(r"\1", ln))
    return "\n".join(out)


def _sub(pattern: re.Pattern, repl, trigger: str | None = None, refresh: bool = False) -> _Link:
    """The common link: ``pattern`` found in the head (after a cheap ``trigger`` substring test) rewrites
    every match in the text with ``repl``."""
    return _Link(lambda head: (trigger is None or trigger in head) and pattern.search(head) is not None,
                 lambda text: pattern.sub(repl, text), refresh)


def _has_cjk(head: str) -> bool:
    """Whether the text holds a Chinese character or a Hangul syllable."""
    return any("\u4e00" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3" for ch in head)


# the chain, in order (each commented where its regex is defined, with the print it reads)
_LINKS: tuple[_Link, ...] = (
    _Link(lambda head: "\x1b[" in head, lambda text: _ANSI.sub("", text)),
    _sub(_ETA_GLUED, r"\1, ", "ETA:"),
    _sub(_RUNNING_BEST, r"\1_\2"),
    _sub(_LIVELOSS, r"\1: \2", "cur:"),
    _sub(_KERAS_RATES, "", "s/"),
    _sub(_NAMES_THEN_VALUES, _names_then_values, ",", refresh=True),
    _Link(_box_tables, _rich_tables, refresh=True),
    _sub(_GLUED_COUNTER, r"\1 "),
    _sub(_GLUED_LOSS_VALUE, r"\1: ", "oss"),
    _sub(_NET_COLON_LABEL, r"\1_\2: ", ":"),
    _Link(lambda head: "[" in head and len(_LEAD_BRACKET.findall(head, 0, 65536)) >= 2, _lead_bracket, refresh=True),
    _sub(_PY2_TUPLE, _py2_tuple, "('", refresh=True),
    _sub(_LABEL_THEN_VALUE, r"\1 \2", refresh=True),        # "Generator Loss : " and its value on the next line
    _sub(_LEAD_PIPE_STEP, lambda m: f"{m.group(1)}step {m.group(2).replace(',', '')} | ", "|", refresh=True),
    _Link(lambda text: " day" in text and _DAYS.search(text) is not None,    # "Elapsed: 1 day, 0:00:57"
          lambda text: _DAYS.sub("", text), probe_text=True),
    _sub(_GROUPED_COUNTER, lambda m: m.group(1) + m.group(2).replace(",", "")),
    _Link(lambda head: "--[" in head,
          lambda text: _DOUBLE_DASH.sub(lambda m: f"{m.group(1)} [{m.group(2)}/{m.group(3)}]" if m.group(3)
                                        else f"{m.group(1)}: {m.group(2)}", text)),
    _Link(lambda head: "\u2192" in head, lambda text: _ARROW_PAIR.sub(r"\1 / ", text)),   # "0.31 \u2192 0.27"
    _sub(_LABEL_ARROW, r"\1: ", "=>", refresh=True),
    _sub(_FOUR_BRACKETS, r"\1[\2/\3][\4/\5]", "]["),
    _sub(_STEP_EPOCH_BATCH, r"epoch \1 batch \2:", "_"),
    _sub(_WIDE_BEFORE_COLON, r"\1\2", ":"),
    _sub(_COLON_WIDE, r"\1 "),
    _sub(_LR_PLAYERS, _lr_players),
    _Link(lambda head: ")(" in head and _PAREN_PARTS.search(head) is not None,
          lambda text: _STEPS_PAIR.sub(r"\1 [", _PAREN_PARTS.sub(_paren_parts, text))),
    _sub(_MLM_LEAD, lambda m: f"{m.group(1)}Epoch {m.group(2)}, Batch {m.group(3)}"
                              f"{'/' + m.group(4) if m.group(4) else ''},", ">"),
    _sub(_MLM_ITER_LINE, _mlm_bracket_line, ">"),
    _Link(lambda head: ">" in head and not _MLM_ITER_LINE.search(head) and _MLM_ITER_LEAD.search(head) is not None,
          lambda text: _MLM_ITER_LEAD.sub(r"\1Step \2, ", text)),     # (not where the link above read the line)
    _sub(_COLON_ARRAY, r"\1: \2", "["),
    _sub(_LOSS_ARRAY, r"\1: \2", "["),
    _sub(_COLON_LIST, r"\1: \2", ","),
    _sub(_D_TUPLE, _d_tuple, "("),
    _sub(_PERCENT_BOTH, r": \1%", ": %"),
    _Link(lambda head: (": [" in head or "= [" in head) and _COLON_BRACKET.search(head) is not None,
          lambda text: _COLON_BRACKET.sub(lambda m: f"{m.group(1)}: {m.group(2)}"
                                          + (f"/{m.group(3)}" if m.group(3) else ""), text)),
    _sub(_DASH_GROUP, r"[\1: \2]", " - "),        # "[Step - 51] [Discriminator Loss - 9.74] [Generator Loss - -0.49"
    _Link(lambda head: "->" in head and _NAMED_GROUP.search(head) is not None,
          lambda text: _STEP_ARROW.sub(r"\1Step \2, ", _NAMED_GROUP.sub(_named_group, text))),
    _sub(_NET_SECTION, _net_section, "]"),
    _sub(_INDEXED_LABEL, r"\1_\2", "]"),
    _sub(_BRACKETED_VALUE, r"[\1: \2]"),
    _sub(_NET_ARCH, r"\1 ", "(", refresh=True),
    _sub(_EPOCH_SLASH_ITER, r"Epoch \1, Batch \2", "/", refresh=True),
    _sub(_EPOCHS_ITER, r"Epoch \1/\2, Batch \3,", "/", refresh=True),
    _sub(_E_B_HEAD, r"\1Epoch \2, Batch \3,", "E:", refresh=True),
    _sub(_LABEL_IN_EPOCH, r"\1Epoch \3, Batch \4, \2:", " in ", refresh=True),
    _sub(_EPOCH_THEN_LABEL, r"\1, ", refresh=True),
    _sub(FOREIGN_EPOCH, "Epoch", refresh=True),
    _sub(FOREIGN_LOSS, "Loss", refresh=True),
    _sub(FOREIGN_NET_LOSS, foreign_net_loss, "oss", refresh=True),
    _Link(lambda head: _has_cjk(head) and _PAREN_ASCII_NAME.search(head) is not None,
          lambda text: _PAREN_ASCII_NAME.sub(r"\1", text), refresh=True),
    _Link(lambda head: _has_cjk(head) and _CJK_NET_LETTER.search(head) is not None,
          lambda text: _CJK_NET_LETTER.sub(r"\1\2", text), refresh=True),
    _Link(lambda head: _has_cjk(head) and _LETTER_CJK_LOSS.search(head) is not None,
          lambda text: _LETTER_CJK_LOSS.sub(r"\1 loss", text), refresh=True),
    _sub(_KO_AT_STEP, r"\1step \2, ", "에서", refresh=True),
    _Link(lambda head: _has_cjk(head) and _CJK_LABEL.search(head) is not None,
          lambda text: _CJK_LABEL.sub(lambda m: f" {_cjk_name(m.group(1))}: ", text), refresh=True),
    _Link(lambda head: not head.isascii() and _NON_ASCII_LABEL.search(head) is not None,
          lambda text: _NON_ASCII_LABEL.sub(lambda m: ascii_word(m.group(0)), text), refresh=True),
    _Link(lambda head: "(" in head and "oss" in head.lower() and _same_tag_line(head),
          lambda text: re.sub(r"(?m)^.*$", _tagged_line, text), refresh=True),
    _sub(_DICT_VALUE, _dict_value, "{'loss'", refresh=True),
    _Link(lambda head: _DICT_LINE_PROBE.search(head) is not None, _dict_lines, refresh=True),
    _Link(lambda head: "(" in head and len(_PAREN_EPOCH_LEAD.findall(head, 0, 65536)) >= 2,
          lambda text: _PAREN_EPOCH_LEAD.sub(r"\1Epoch \2, ", text), refresh=True),
    _sub(_LEAD_STEP_COLON, r"\1step \2, ", refresh=True),
    _Link(lambda head: len(_LEAD_BARE_STEP.findall(head, 0, 65536)) >= 2,
          lambda text: _LEAD_BARE_STEP.sub(r"\1step \2, ", text), refresh=True),
    _sub(_LEAD_FRACTION, r"\1step \2/\3", "/", refresh=True),
    _sub(_AT_STEP, lambda m: f"{m.group(2).lower()} {m.group(3)}, "
                             f"{'D' if m.group(1).lower() in ('discriminator', 'disc', 'critic', 'd') else 'G'} loss: ", " loss at ",
          refresh=True),
    _Link(lambda head: "status" in head.lower() and _NET_STATUS_LINE.search(head) is not None,
          lambda text: _NET_STATUS_LINE.sub(_net_status_line, text), refresh=True),
    _sub(_ROLE_LEAD, lambda m: f"{m.group(1)}{m.group(3)}{'G' if m.group(2).lower() == 'generator' else 'D'} loss"
                               f"{m.group(4)}", "loss", refresh=True),
    _sub(_STEP_THEN_NET, lambda m: f"{m.group(1)}step {m.group(2)}, {'D' if m.group(3).lower() == 'discriminator' else 'G'} "
                                   "loss: ", " loss", refresh=True),
    _sub(_ARRAY_LIST, r"\1", "array(", refresh=True),
    _sub(_PAIR_PAIR, r"[\1/\2][\3/\4]", ", ", refresh=True),
    _sub(_DEVNAG_SLASH, r"D_real_loss: \1, D_fake_loss: \2, G_loss: \3, real_mean: \4, real_std: \5, "
                        r"fake_mean: \6, fake_std: \7", "Fake: [", refresh=True),
    _Link(lambda head: "real_err" in head and _DEVNAG.search(head) is not None,
          lambda text: _DEVNAG_DIST.sub(lambda m: f"{m.group(1).lower()}_mean: {m.group(2)}, "
                                                  f"{m.group(1).lower()}_std: {m.group(3)}",
                                        _DEVNAG.sub(r"D_real_loss: \1, D_fake_loss: \2, G_loss: \3", text)), refresh=True),
    _sub(_MLM_LONG, r"\1d1=\2d2=\3g=", "loss", refresh=True),
    _sub(_GLUED_LABEL, r"\1, "),
    _sub(_SLASH_GROUP, _slash_group, "/", refresh=True),
    _Link(lambda head: "]" in head and (_DG_LIST.search(head) or _GD_LIST.search(head)) is not None,
          lambda text: _GD_LIST.sub(_named_pair, _DG_LIST.sub(_named_pair, text)), refresh=True),
    _Link(lambda head: "/" in head and (_DG_PAIR.search(head) or _GD_PAIR.search(head)) is not None,
          lambda text: _GD_PAIR.sub(_named_pair, _DG_PAIR.sub(_named_pair, text)), refresh=True),
    _sub(_PAREN_AVE, r"\1\2\3, \1_\4\2\5", "("),
    _sub(_PAREN_VALUES_LINE, _paren_values, "(", refresh=True),
    _sub(_LOSS_OF, r"\1 loss", refresh=True),
    _sub(_LOSS_IS, r"\1 \2: ", " is", refresh=True),
    _sub(_LABEL_LOSS_IS, r"\1: ", " is ", refresh=True),
    _sub(_CURRENT_STEP_BAR, r"\1\2: \3,", "urrent ", refresh=True),
    _sub(_COUNTER_NUMBER, r"\1 ", "number", refresh=True),
    _Link(lambda head: "%]:" in head and _EDWARD_HEAD.search(head) is not None,
          lambda text: _COLON_JOINED.sub(r"\1, ", _EDWARD_HEAD.sub(r"\1, ", text)), refresh=True),
    _sub(_NET_COLON_LOSS, lambda m: f"{m.group(1)}_{m.group(2)}{':' if m.group(3) == '->' else m.group(3)} ", refresh=True),
    _sub(_LOSS_AT_COUNTER, r"\1\3 \4, \2: ", refresh=True),
    _sub(_LOSS_PAREN_COUNTER, r"\1\4 \3, \2: ", refresh=True),
    _sub(_BAR_PAIR, r"[\1/\2]", "|", refresh=True),
    _sub(_CE_LOSS_NO_COLON, r"\1: ", refresh=True),
    _sub(_LOSS_SEMICOLON, r"\1: ", "oss", refresh=True),
    _sub(_DESC_BEFORE_BAR, r"\1 ", "%|", refresh=True),
    _Link(lambda head: _spaced_values(head), lambda text: _SPACED_VALUE.sub(_spaced_value, text)),
    _sub(_SAGAN_STEPS, r"Step \1", "G_step"),
    _sub(_SAGAN_TERMS_LINE, _sagan_terms, "d_out_real", refresh=True),
    _sub(_NET_DGZ, lambda m: "D_G_z2" if m.group(1).lower().startswith("gen") else "D_G_z1", "D(G("),
    _Link(lambda head: " vs" in head and _vs_rows(head), lambda text: _VS_PAIR.sub(_vs_pair, text)),
    _Link(lambda head: "-loss" in head.lower() and _HYPHEN_LOSS.search(head) is not None,  # "G-loss: 1.92.."
          lambda text: _HYPHEN_LOSS.sub(r", \1_\2", text)),
    _sub(_E_EPOCH, r"\1Epoch\2"),              # "E: 3, G: 4.45, D: 0.17, T: 13.2": E the epoch
    _Link(lambda head: "(TE/ETA:" in head, lambda text: _BIGGAN_RECORD.sub("\n", text)),
    _Link(lambda text: _LUCIDRAINS_TAIL.search(text) is not None,     # a print glued to a progress bar
          lambda text: _LUCIDRAINS_TAIL.sub(lambda m: f"\n{m.group(2)}"
                                            + (f" | bar_step: {m.group(1)}" if m.group(1) else ""), text),
          probe_text=True),
)


def _canonical_prints(text: str) -> tuple[str, str]:
    """The text of a console log with the print shapes of public GAN code rewritten into the
    ``label: value`` lines and counters the template parser reads (:data:`_LINKS`, a link a shape; the
    order matters: later links read what earlier ones wrote). Each link probes the head of the text first
    and rewrites the whole text only where its shape is there. Returns the text and that head as the last
    links probed it (the StudioGAN configuration line is read from it)."""
    text = text.replace("\0", "")
    head = log_head(text)       # the layout shows in the head; a whole-text regex pass costs seconds
    for link in _LINKS:
        if link.probe(text if link.probe_text else head):
            text = link.rewrite(text)
            if link.refresh:
                head = log_head(text)
    if not text.endswith("\n") and (m := _GLUED_TAIL.search(text, max(0, len(text) - 4096))):
        text = text[:m.start(2)] + "\n" + text[m.start(2):]     # "D Loss: 0.2695Training complete."
    if _BLANK_LINES.search(head):
        text = join_record_blocks(text)
    return text, head


def _carry_state(rows: pd.DataFrame, state_parts: list) -> pd.DataFrame:
    """The rows with what lines of their own that hold no loss say of them (``state_parts``): an "Epoch
    3/50" line gives its epoch to the rows after it that lack one (or, printed after its epoch's rows, to
    those before it), a "Batch: 11/50" or "iteration: [100/469]" line its batch, an "Iteration [5/3000]"
    line its step."""
    state = pd.concat(state_parts, ignore_index=True).rename(
        columns={"epoch": "_epoch", "n_epochs": "_n_epochs", "step": "_step", "batch": "_batch",
                 "n_batches": "_n_batches"})
    both = pd.concat([rows, state], ignore_index=True, sort=False).sort_values("_line", kind="stable")
    carry = [c for c in ("_epoch", "_n_epochs", "_step", "_batch", "_n_batches") if c in both]
    ends = [c for c in ("_epoch", "_n_epochs") if c in both] if _epoch_trailers(rows, state) else []
    both[ends] = both[ends].bfill()       # "Epoch [1 / 3] average loss ..." after its epoch's rows
    both[carry] = both[carry].ffill()
    rows = both[both.index < len(rows)].copy()
    for own, carried in (("epoch", "_epoch"), ("n_epochs", "_n_epochs")):
        if carried in rows:
            rows[own] = rows[own].fillna(rows[carried]) if own in rows else rows[carried]
    # "epoch: [1/8] iteration: [100/469]" on a line of its own, then "Loss_D = ..", "Loss_G = .." on lines
    # of their own: the batch of the rows after it, where the rows print none and every row has one
    if "_batch" in rows and "batch" not in rows and "epoch" in rows and rows["_batch"].notna().all():
        rows["batch"] = rows["_batch"]
        if "_n_batches" in rows and rows["_n_batches"].notna().all():
            rows["n_batches"] = rows["_n_batches"]
    # "[time] Iteration [5/3000]" on a line of its own, the values on the next (StarGAN forks):
    # the iteration is the step of the row after it, when every row has its own such line
    # (not where the rows print a step of their own under another name, "Steps :2000 :..", beside which a
    # download's "saved [26421880/26421880]" earlier in a notebook had read as a second step)
    own = {canonical_column(c) or c for c in rows.columns if not str(c).startswith("_")}
    if "_step" in rows and not {"step", "epoch", "batch"} & own:
        steps = rows["_step"].to_numpy(dtype="float64")
        if np.isfinite(steps).all() and (np.diff(steps) > 0).all():
            rows["step"] = steps
        elif np.isfinite(steps).all() and (np.diff(steps) >= 0).all() and \
                np.unique(steps, return_counts=True)[1].max() <= max(1, sum(not str(c).startswith("_") for c in rows.columns)):
            # "Iteration 11" heading a record of one value per line ("D: ..", "G: .."): one row per record (each
            # heading over no more lines than a record has values: a download's "saved [5148/5148]" in an earlier
            # notebook cell heads no record)
            rows = _join_records(rows.assign(step=steps), ["step"])
    elif "_step" in rows and "epoch" in rows and not {"step", "batch"} & own:
        # "Epoch 1", then "Iteration 51" heading a record of one value per line ("D: ..", "GP: ..", "G: .."), its
        # count starting again in every epoch (held-out batch 502/02's WGAN-GP: each line had been a row of its own):
        # the iteration is the batch within the epoch, and a record one row
        steps = rows["_step"].to_numpy(dtype="float64")
        epochs = pd.to_numeric(rows["epoch"], errors="coerce").to_numpy(dtype="float64")
        if np.isfinite(steps).all() and np.isfinite(epochs).all() and (np.diff(epochs) >= 0).all() \
                and (np.diff(steps)[np.diff(epochs) == 0] >= 0).all():
            joined = _join_records(rows.assign(batch=steps), ["epoch", "batch"])
            if len(joined) < len(rows):
                rows = joined
    rows = rows.drop(columns=[c for c in ("_epoch", "_n_epochs", "_step", "_batch", "_n_batches") if c in rows])
    return rows


def parse_console(text: str, user_columns: dict | None = None) -> Parsed:
    """Parse console progress lines (module doc) into a :class:`Parsed`; NotThisFormat if none."""
    user_raw = {normalise_name(ascii_label(v) if isinstance(v, str) else v) for v in (user_columns or {}).values()}
    text, head = _canonical_prints(text)
    lines = text.splitlines()
    templates = _TOKEN.sub("\0", text).splitlines()        # one regex pass over the whole text
    numbers = np.array(_TOKEN.findall(text), dtype="float64")
    counts = np.fromiter((t.count("\0") for t in templates), dtype="int64", count=len(templates))
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
    groups: dict[str, list[int]] = {}
    for k, line in enumerate(lines):
        if (":" in line or "=" in line or _KERAS_EPOCH_LINE.match(line) or _EPOCH_ONLY_LINE.match(line)
                or _STEP_ONLY_LINE.match(line) or _DASHED_COUNTER_LINE.match(line)):
            groups.setdefault(templates[k], []).append(k)
    row_parts, state_parts, fields_of, companions = [], [], {}, set()
    keras = keras_gan = pytorch_gan = keyvalue = dcgan = wgan = False
    # one line kind whatever its numbers' signs ("D loss: -0.01" beside "D loss: 0.40"): the records that join a kind
    # per step or epoch need every kind in most of them (held-out batch 444/20's epochs were left in halves)
    kinds: dict[str, int] = {}
    for template, idx in groups.items():
        tid = kinds.setdefault(_SIGN_BEFORE_NUMBER.sub("", template), len(kinds))
        idx = np.asarray(idx, dtype="int64")
        n_tok = template.count("\0")
        at = offsets[idx][:, None] + np.arange(n_tok)[None, :]
        frame, is_row, flags = _template_frame(template, numbers[at] if n_tok else np.empty((len(idx), 0)),
                                               idx, user_raw, tid)
        # (Keras' "Epoch 3/50" heading alone is no Keras log: a notebook's own loop prints it too, its rows the step's
        # own values, "[100] G_loss: 11.44, D_photo: .."; a Keras row carries its bar, "469/469 [===] - d_loss: ..")
        keras |= flags["keras"] and is_row
        if frame is None:
            continue
        if is_row:
            row_parts.append(frame)
            fields_of[tid] = set(frame.columns)
            if flags.get("companion"):
                companions.add(tid)
            keras_gan |= flags["keras_gan"]
            pytorch_gan |= flags["pytorch_gan"]
            keyvalue |= flags["keyvalue"]
            dcgan |= flags.get("dcgan", False)
            wgan |= flags.get("wgan", False)
        elif ("epoch" in frame.columns or "step" in frame.columns
              or ("batch" in frame.columns and "n_batches" in frame.columns and not flags["keras"])):
            # ("\tBatch: 11/50" on a line of its own above its record: a batch the rows after it take)
            state_parts.append(frame[[c for c in ("_line", "epoch", "n_epochs", "step", "batch", "n_batches")
                                      if c in frame.columns]])
    n_lines = sum(map(len, groups.values()))
    if not row_parts:
        raise NotThisFormat(f"no line holds a labelled D or G loss such as 'Loss_D: 0.5' or 'd_loss=0.5' "
                            f"({n_lines} line(s) with ':' or '='{_labels_seen(lines, groups)})")
    rows = pd.concat(row_parts, ignore_index=True, sort=False)
    rows = _drop_summary_kind(rows, lines, user_raw)
    if companions:
        rows = _attach_companions(rows, companions)
    rows = _join_continuation_lines(rows)
    if state_parts:        # an "Epoch 3/50" line gives its epoch to the rows after it that lack one
        rows = _carry_state(rows, state_parts)
    rows = _join_epoch_blocks(rows, lines)      # with the epoch on its own line or on each value's
    rows = _join_alternating(rows)
    if companions:          # D's outputs on lines of their own that joined no loss line are no rows
        losses = [c for c in rows.columns if not c.startswith("_") and _is_loss(c, user_raw)]
        rows = rows[~(rows["_tpl"].isin(companions) & rows[losses].isna().all(axis=1))]
    rows = rows.sort_values("_line", kind="stable")
    if "_tqdm_bar" in rows:
        rows = _tqdm_redraws(rows)
    if "ran out of data" in text:
        rows = _after_out_of_data(rows, lines)
    if (len(rows) > 1 and int(rows["_line"].iloc[-1]) == len(lines) - 1 and not text.endswith("\n")
            and fields_of[rows["_tpl"].iloc[-1]] < fields_of[rows["_tpl"].iloc[-2]]):
        warnings.warn(f"skipping 1 progress line that does not parse (torn last line?): {lines[-1][:80]!r}",
                      stacklevel=2)
        rows = rows.iloc[:-1]
    counter = "step" if "step" in rows else "batch" if "batch" in rows else "epoch" if "epoch" in rows else None
    if counter and rows[counter].notna().any() and 0 < (stray := int(rows[counter].isna().sum())) <= len(rows) // 2:
        # a line holding a loss but no counter among lines that print theirs (a code line of a
        # notebook's markdown export, 'gen_loss = -1 * ...'; an epoch's summary among batch rows, 'Epoch:
        # 41 -> Dis loss: ..'; the last losses printed again when training ends): not a row of the run
        first = lines[int(rows.loc[rows[counter].isna(), "_line"].iloc[0])].strip()
        warnings.warn(f"skipping {stray} line(s) with a loss but no {counter} among lines that print their {counter} "
                      f"(first: {first[:80]!r})", stacklevel=2)
        kept = rows[counter].notna()
        only_stray = [c for c in rows.columns if rows.loc[kept, c].isna().all()]   # names printed by those lines alone
        rows = rows.loc[kept].drop(columns=only_stray)
    rows, bars = _complete_bars(rows)
    lucidrains = all(_LUCIDRAINS.match(lines[int(k)]) for k in rows["_line"])
    rows = _own_line_fid(text, lines, rows)
    rows = _epoch_bars(lines, rows)
    frame = rows.drop(columns=["_line", "_tpl"]).reset_index(drop=True)
    # a column never printed with a number goes, but a D or G loss printed only as nan stays: the
    # run diverged from its first line, which the divergence check must see (not "missing d_loss")
    losses = {c for c in frame.columns
              if {canonical_column(n) for n in [c, *fallback_names(c)]} & {"d_loss", "g_loss", "d_loss_real", "d_loss_fake"}}
    for halves in ({"d1", "d2"}, {"c1", "c2"}):
        if halves <= set(frame.columns):
            losses |= halves        # machinelearningmastery's D (or critic) halves (_mlm_conventions): D's loss
    frame = frame[[c for c in frame.columns if c in losses or frame[c].notna().any()]]
    frame = _evaluations(text, frame)
    spread = {}
    if {"real_std", "fake_std"} <= set(frame.columns) and "div_pdist_ratio" not in frame.columns:
        # the samples' spread beside the data's (Dev Nag's 1-D GAN prints both): for 1-D Gaussians the mean
        # pairwise distance is 2 std / sqrt(pi), so div_pdist_ratio (a batch's over the data's) is the std ratio
        real = pd.to_numeric(frame["real_std"], errors="coerce")
        frame = frame.assign(div_pdist_ratio=pd.to_numeric(frame["fake_std"], errors="coerce") / real.where(real > 0))
        spread = {"div_pdist_ratio_from": "fake_std / real_std, the printed spreads of G's and the data's 1-D samples "
                                          "(the ratio of mean pairwise distances where both are Gaussian)"}
    meta, guesses = {**spread, **bars}, {}
    bar_steps = None
    frame, step_runs = _step_runs_as_epochs(frame)
    if not step_runs:
        frame, step_runs = _step_within_epochs(frame)
    meta.update(step_runs)
    if "_tqdm_done" in frame.columns:       # a tqdm bar's n iterations done: the last one's index is n - 1
        done = frame.pop("_tqdm_done").notna().to_numpy()
        frame.loc[done, "batch"] = frame.loc[done, "batch"] - 1
    for col, total in (("epoch", "n_epochs"), ("batch", "n_batches")):
        if col in frame.columns and frame[col].notna().all():
            totals = frame[total].to_numpy(dtype="float64") if total in frame.columns else None
            if col == "batch" and _inclusive(frame[col].to_numpy(dtype="int64"), totals):
                frame[total] = totals + 1          # batches 0 .. total: total + 1 of them per epoch
                totals = totals + 1
            values, one_based = _zero_based(frame[col].to_numpy(dtype="int64"), totals)
            if keras and col == "epoch" and not one_based and (values >= 1).all():
                values, one_based = values - 1, True          # Keras prints epochs from 1 (an "Epoch 0/N" is a script's own)
            frame[col] = values
            if one_based:
                meta[f"{col}_printed_from"] = 1
            if totals is not None and len(np.unique(totals)) == 1:
                meta["n_epochs" if col == "epoch" else "iters_per_epoch"] = int(totals[0])
    frame = _print_counter_step(frame, meta)
    if (keras and "epoch" not in frame.columns and "batch" in frame.columns and meta.get("iters_per_epoch")
            and len(frame) > 1 and (frame["batch"] == meta["iters_per_epoch"] - 1).all()):
        # every row a Keras bar at its end ("547/547 [===] - d_loss: ..") with no "Epoch k/N" line: a notebook
        # calling fit() one epoch at a time; each row is one epoch's end
        frame["epoch"] = np.arange(len(frame))
    elif (keras and "epoch" not in frame.columns and "step" not in frame.columns and "batch" in frame.columns
          and "n_batches" in frame.columns and len(frame) > 1 and frame["n_batches"].notna().all()
          and frame["n_batches"].nunique() > 1
          and (frame["batch"].iloc[:-1] == frame["n_batches"].iloc[:-1] - 1).all()):
        # ... bars of different lengths, each at its end but the last (a progressive GAN's phases, '10000/10000 [===]'
        # then '20000/20000', then ' 9909/20000' cut off; held-out batch 564/03): each a phase of its own bar's
        # length, the steps counted through them
        lengths = frame["n_batches"].to_numpy(dtype="int64")
        frame["epoch"] = np.arange(len(frame))
        frame["step"] = np.concatenate([[0], np.cumsum(lengths[:-1])]) + frame["batch"].to_numpy(dtype="int64")
        bar_steps = ("Keras bars", "each row ends a Keras progress bar of its own length (no 'Epoch k/N' lines): the "
                                   "steps are counted through the bars")
    if ({"d1", "d2"} <= set(frame.columns) and meta.get("batch_printed_from") == 1 and "epoch_printed_from" not in meta
            and "epoch" in frame.columns and frame["epoch"].notna().all() and (frame["epoch"] >= 1).all()):
        # machinelearningmastery's ">%d, %d/%d" prints i + 1 and j + 1: a copy cut at its head (">10, 150/468")
        # starts past epoch 1, so only the batch shows it counts from 1
        frame["epoch"] = frame["epoch"] - 1
        meta["epoch_printed_from"] = 1
    if keras and {"epoch", "batch"} <= set(frame.columns):
        # a Keras progress bar prints the same (epoch, batch) again as it redraws (Keras 3 once before an
        # epoch-end callback's output and once after): the running mean updated, so the last line counts
        key = frame[["epoch", "batch"]]
        frame = frame[(key != key.shift(-1)).any(axis=1).to_numpy()].reset_index(drop=True)
        frame = _keras_throttled_redraws(frame)
    if wgan and "g_iter" in frame.columns and frame["g_iter"].notna().all():
        fmt = "wgan-console"
        frame, meta, guesses = _wgan_conventions(frame, meta)
    elif dcgan:
        fmt = "dcgan-console"
        why = "the PyTorch DCGAN tutorial's print format; its code"
        guesses = {"loss": ("nsgan", f"{why} trains G on real labels with BCE"),
                   "d_loss_reduction": ("sum", f"{why} logs errD = errD_real + errD_fake"),
                   "scores": ("probability", f"{why} ends D with a sigmoid")}
    elif pytorch_gan:
        fmt = "pytorch-gan-console"
        guesses = {"lsgan_terms": ("plain", "PyTorch-GAN's lsgan.py uses nn.MSELoss, without the LSGAN paper's 1/2")}
        # a hint, not a format fact: copies of the print also sum D's terms, which the numbers then show
        meta["d_loss_reduction_hint"] = ("mean", "PyTorch-GAN's scripts print d_loss = (real_loss + fake_loss) / 2")
    elif keras_gan:
        fmt = "keras-gan-console"
        guesses = {"d_loss_reduction": ("mean", "Keras-GAN's GANs print d_loss = 0.5 * (real + fake)"),
                   "lsgan_terms": ("plain", "Keras-GAN's lsgan.py compiles with loss='mse', without the LSGAN paper's 1/2")}
        frame, one_minus = _keras_gan_one_minus(frame)
        meta.update(one_minus)
        if any(normalise_name(c) == "gmse" for c in frame.columns):
            # aae.py: "[G loss: .., mse: ..]", the adversarial autoencoder's combined model compiled with
            # loss_weights [0.999, 0.001] on the reconstruction MSE and the adversarial BCE: G's loss is a total
            meta["g_loss_composite"] = ("Keras-GAN's aae.py prints G's total: 0.999 x the reconstruction MSE plus "
                                        "0.001 x the adversarial binary cross-entropy")
            guesses["loss"] = ("nsgan", "Keras-GAN's aae.py trains its discriminator with binary cross-entropy")
        if any(normalise_name(c) == "dopacc" for c in frame.columns):
            # acgan.py: "[D loss: .., acc.: .., op_acc: ..]", D and G compiled with binary + sparse
            # categorical cross-entropy (the auxiliary classifier's term is in both printed losses)
            guesses["loss"] = ("nsgan", "Keras-GAN's acgan.py trains with binary cross-entropy (plus the auxiliary "
                                        "classifier's sparse categorical cross-entropy)")
            meta["g_loss_composite"] = ("Keras-GAN's acgan.py prints G's total: its binary cross-entropy plus the "
                                        "auxiliary classifier's sparse categorical cross-entropy")
    elif {"d1", "d2"} <= set(frame.columns) and not any(canonical_column(c) == "d_loss" for c in frame.columns) \
            and (any(canonical_column(c) == "g_loss" for c in frame.columns) or "gl" in frame.columns):
        # (without its g the tutorial's shape is not there: a radar GAN's ">100, d1=0.357, d2=1.665" prints D's
        # loss and G's, which the user names with --columns; "gl=" is the tutorial's g renamed)
        fmt = "keras-mlm-console"
        if not any(canonical_column(c) == "g_loss" for c in frame.columns):
            frame = frame.rename(columns={"gl": "g_loss"})
        frame, file_meta, guesses = _mlm_conventions(frame)
        meta.update(file_meta)
    elif {"c1", "c2"} <= set(frame.columns) and not any(canonical_column(c) == "d_loss" for c in frame.columns) \
            and any(canonical_column(c) == "g_loss" for c in frame.columns):
        fmt = "keras-mlm-wgan-console"
        frame, file_meta, guesses = _mlm_wgan_conventions(frame)
        meta.update(file_meta)
    elif keras:
        fmt = "keras-console"
        guesses = {"averaged": (True, "Keras progress lines print the running mean since the epoch began")}
        # a hint, not a format fact: copies of the examples' train_step also return real_loss + fake_loss,
        # which the numbers then show (a level held above a mean's, an untrained first loss)
        meta["d_loss_reduction_hint"] = ("mean", "the Keras GAN examples' custom train_step computes d_loss on the "
                                                 "real and fake batch together (a mean of the two halves)")
    elif basicsr.is_basicsr(frame.columns):
        fmt = "basicsr-console"
        frame, file_meta, guesses = basicsr.conventions(text, frame)
        meta.update(file_meta)
    elif lucidrains and not {"step", "epoch", "batch"} & set(frame.columns):
        fmt = "stylegan2-pytorch-console"
        frame, guesses = _lucidrains_conventions(frame)
    elif ({"g_loss_u", "e_loss_t0", "d_loss"} <= {str(c).lower() for c in frame.columns}
          and "g_loss" not in {str(c).lower() for c in frame.columns}):
        fmt = "timegan-console"      # (its PyTorch ports print "D_loss: .., G_loss_U: .., E_loss_t0: ..")
        frame = frame.rename(columns={c: str(c).lower() for c in frame.columns
                                      if str(c).lower() in ("d_loss", "g_loss_u", "g_loss_s", "g_loss_v", "e_loss_t0")})
        frame, file_meta, guesses = _timegan_conventions(frame)
        meta.update(file_meta)
    elif keyvalue:
        fmt = "key-value"
    else:
        fmt = "console"
    if config := studiogan_config(head):
        meta.update(config)
        fmt = "studiogan-console"
    elif config := sagan_config(head):
        meta.update(config)
    meta["source_format"] = fmt
    if bar_steps is not None:
        guesses = {**guesses, "step_from": bar_steps}
    return Parsed(frame=frame, meta=meta, guesses=guesses)


#: Keras-GAN's wgan.py prints 1 - each loss: every value within this of 1 reads so
ONE_MINUS_BAND = 0.01


def _keras_gan_one_minus(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Keras-GAN's ``wgan.py`` prints ``1 - d_loss[0]`` and ``1 - g_loss[0]`` (its Wasserstein losses,
    mean(y_true * y_pred) with outputs clipped to +-0.01, are tiny), so every printed value sits
    within :data:`ONE_MINUS_BAND` of 1 and moves in the fifth decimal; a BCE loss at 1.0 +- 1e-4 on
    every row of both networks would be a D and G frozen at one level. Such a log gets its losses
    back (1 - printed) and the critic loss family; others are returned as they are."""
    d = [c for c in frame.columns if canonical_column(c) == "d_loss"]
    g = [c for c in frame.columns if canonical_column(c) == "g_loss"]
    if len(d) != 1 or len(g) != 1 or len(frame) < 10:
        return frame, {}
    dv, gv = (pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64") for c in (d[0], g[0]))
    ok = np.isfinite(dv) & np.isfinite(gv)
    if ok.sum() < 10 or not (np.abs(dv[ok] - 1) < ONE_MINUS_BAND).all() or not (np.abs(gv[ok] - 1) < ONE_MINUS_BAND).all() \
            or np.ptp(dv[ok]) == 0:
        return frame, {}
    frame = frame.assign(**{d[0]: 1 - dv, g[0]: 1 - gv})
    return frame, {"loss": "wgan-gp", "loss_from": "Keras-GAN's wgan.py prints 1 - each Wasserstein loss (every value "
                                                    f"within {ONE_MINUS_BAND} of 1): read back as the losses"}


#: PyTorch-StudioGAN writes its configuration as a Python dict line at the top of each log
_STUDIOGAN_KEY = re.compile(r"'(adv_loss|conditional_strategy|d_lr|g_lr|d_steps_per_iter|g_steps_per_iter)':\s*"
                            r"'?([\w.+-]+)'?")
_STUDIOGAN_LOSSES = {"vanilla": "nsgan", "least_square": "lsgan", "wasserstein": "wgan-gp", "hinge": "hinge"}
#: StudioGAN's conditional strategies that add a classifier's (or contrastive) loss to D's and G's
_STUDIOGAN_EXTRA_TERMS = {"ACGAN", "ContraGAN", "TACGAN", "ReACGAN", "ADCGAN"}


def _summed_halves(frame: pd.DataFrame, real: str, fake: str, what: str) -> tuple[pd.DataFrame, dict]:
    """``real`` / ``fake`` columns as D's two terms and D's loss as their sum (``what`` they are, for the metadata)."""
    frame = frame.rename(columns={real: "d_loss_real", fake: "d_loss_fake"})
    frame["d_loss"] = frame["d_loss_real"] + frame["d_loss_fake"]
    return frame, {"d_loss_reduction": "sum", "d_loss_from": f"{real} + {fake}, {what}"}


def _mlm_conventions(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict, dict]:
    """machinelearningmastery's Keras GAN tutorials (``print('>%d, %d/%d, d1=%.3f, d2=%.3f g=%.3f')``, copied
    into many repositories): ``d1`` is D's ``train_on_batch`` loss on a half batch of reals, ``d2`` on a
    half batch of fakes (binary cross-entropy, each a mean over its half), ``g`` G's loss through the
    frozen D against "real" labels (non-saturating). D's loss is their sum, on the real + fake scale."""
    frame, meta = _summed_halves(frame, "d1", "d2", "D's losses on its real and fake half batches")
    why = "machinelearningmastery's Keras GAN print (d1 / d2: D's loss on the real / fake half batch)"
    guesses = {"loss": ("nsgan", f"{why}: binary cross-entropy, G trained against 'real' labels"),
               "scores": ("probability", f"{why}: D ends in a sigmoid"),
               "averaged": (False, f"{why}: each value is one train_on_batch call's, however smooth the rows")}
    return frame, meta, guesses


def _mlm_wgan_conventions(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict, dict]:
    """machinelearningmastery's Keras WGAN tutorial (``print('>%d, c1=%.3f, c2=%.3f g=%.3f')``, copied into
    many repositories; held-out batch 421): its ``wasserstein_loss`` is ``mean(y_true * y_pred)`` with reals
    labelled -1 and fakes +1, so ``c1`` is the critic's loss on the reals (-mean D(x)), ``c2`` on the fakes
    (mean D(G(z))), each the mean of the iteration's critic updates (5), and ``g`` G's loss against the reals'
    label (-mean D(G(z))). The critic's loss is their sum, negative while it separates the two."""
    frame, meta = _summed_halves(frame, "c1", "c2", "the critic's losses on the reals and the fakes")
    why = "machinelearningmastery's Keras WGAN print (c1 / c2: the critic's loss on the reals / the fakes)"
    guesses = {"loss": ("wgan-gp", f"{why}: a Wasserstein critic (the tutorial clips its weights; no penalty)"),
               "scores": ("critic", f"{why}: the critic ends in a linear unit"),
               "averaged": (False, f"{why}: one line per iteration (c1 and c2 the means of its critic updates)")}
    return frame, meta, guesses


def _timegan_conventions(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict, dict]:
    """TimeGAN's joint-training print (jsyoon0823/TimeGAN: ``step: 1000/50000, d_loss: .., g_loss_u: ..,
    g_loss_s: .., g_loss_v: .., e_loss_t0: ..``): ``g_loss_u`` is G's adversarial loss (sigmoid cross-entropy
    of D's output on the fakes against ones: non-saturating); ``d_loss`` adds three such terms (real, fake,
    and the fakes of the embedding path, gamma 1), so two thirds of it is on the usual real + fake scale
    (kept as printed in ``d_loss_three_terms``). D is updated only while its loss is above 0.15."""
    frame = frame.rename(columns={"d_loss": "d_loss_three_terms"})
    frame["d_loss"] = frame["d_loss_three_terms"] * 2.0 / 3.0
    frame["g_loss"] = frame["g_loss_u"]
    why = "TimeGAN's print"
    meta = {"d_loss_reduction": "sum",
            "d_loss_from": "2/3 of TimeGAN's d_loss, which adds three BCE terms (real, fake, embedded fake): on the "
                           "scale of a real + fake sum (D is trained only while its loss is above 0.15)"}
    guesses = {"loss": ("nsgan", f"{why}: G_loss_U is sigmoid cross-entropy of D on the fakes against ones"),
               "scores": ("probability", f"{why}: D ends in a sigmoid cross-entropy")}
    return frame, meta, guesses


def studiogan_config(head: str) -> dict:
    """What PyTorch-StudioGAN's configuration line (``{'model': ..., 'loss_function': {'adv_loss':
    'hinge'}, 'optimization': {'d_lr': ..., 'd_steps_per_iter': 5, ...}}``) states, as run metadata:
    the loss (its ``loss_*_dis`` are sums of the real and fake terms; its least squares keeps the
    paper's 1/2), the learning rates and update ratio, and, for a conditional strategy that adds a
    classifier's loss (ACGAN, ContraGAN, ...), that G's logged loss holds it. Empty without one."""
    found = dict(_STUDIOGAN_KEY.findall(head)) if "'adv_loss'" in head else {}
    if found.get("adv_loss") not in _STUDIOGAN_LOSSES:
        return {}
    meta = {"loss": _STUDIOGAN_LOSSES[found["adv_loss"]], "loss_from": f"the log's config: adv_loss {found['adv_loss']}",
            "d_loss_reduction": "sum", "d_loss_from": "StudioGAN's D losses add the real and fake terms"}
    hp = {}
    for key, ours in (("d_lr", "lr_d"), ("g_lr", "lr_g"), ("d_steps_per_iter", "d_steps"), ("g_steps_per_iter", "g_steps")):
        try:
            hp[ours] = float(found[key])
        except (KeyError, ValueError):
            continue
    if hp:
        meta["hparams"] = hp
    strategy = found.get("conditional_strategy", "")
    if strategy in _STUDIOGAN_EXTRA_TERMS:
        meta["g_loss_composite"] = (f"the log's config: conditional_strategy {strategy} adds a classifier's loss to "
                                    "G's (and D's) adversarial loss")
    return meta


#: the SAGAN trainers' printed arguments (heykeetae's parameter.py: "Namespace(model='sagan', adv_loss='hinge', ..,
#: g_lr=0.0001, d_lr=0.0004, ..)"): its adv_loss is the run's loss (held-out batch 595/01: read as least squares)
_SAGAN_NAMESPACE = re.compile(r"\bNamespace\((?=[^\n]*\bmodel='sagan')[^\n]*\badv_loss='(hinge|wgan-gp)'")
_NAMESPACE_LR = re.compile(r"\b([gd])_lr=([0-9.eE+-]+)")


def sagan_config(head: str) -> dict:
    """What a SAGAN trainer's printed arguments state (:data:`_SAGAN_NAMESPACE`), as run metadata: the loss (its D
    loss adds the real and fake terms, ``d_loss_real + d_loss_fake``) and the learning rates. Empty without them."""
    m = _SAGAN_NAMESPACE.search(head) if "Namespace(" in head else None
    if m is None:
        return {}
    meta = {"loss": m.group(1), "loss_from": f"the log's printed arguments: adv_loss='{m.group(1)}' (SAGAN's trainer)",
            "d_loss_reduction": "sum", "d_loss_from": "SAGAN's trainer adds D's real and fake terms"}
    line = head[m.start():head.find("\n", m.start()) if "\n" in head[m.start():] else len(head)]
    hp = {}
    for who, value in _NAMESPACE_LR.findall(line):
        try:
            hp[f"lr_{who}"] = float(value)
        except ValueError:
            continue
    if hp:
        meta["hparams"] = hp
    return meta


def _progress(frame: pd.DataFrame) -> np.ndarray | None:
    """How far each row is into its run as the counters print it ((epoch, step), step, else epoch and batch),
    or None when the rows print no counter."""
    named = {c: c for c in ("step", "epoch", "batch") if c in frame.columns}
    for c in frame.columns:                      # a table's own names ("Epoch", "iteration")
        if (canon := canonical_column(c)) in ("step", "epoch") and canon not in named:
            named[canon] = c
    frame = frame[list(named.values())].rename(columns={v: k for k, v in named.items()})

    def num(c):
        return pd.to_numeric(frame[c], errors="coerce").to_numpy(dtype="float64")

    def full(c):
        return c in frame.columns and bool(np.isfinite(num(c)).all())

    if full("step") and full("epoch"):     # (epoch, step): a step counter may start again with each epoch
        step = num("step")
        return num("epoch") * (max(float(step.max()), 0.0) + 1) + step
    if full("step"):
        return num("step")
    if full("epoch"):
        epoch = num("epoch")
        if full("batch"):
            batch = num("batch")
            return epoch * (batch.max() + 1) + batch
        return epoch
    return None


#: a counter going back this often, on at least this share of the lines after its first going back,
#: comes from two processes appending to one file at once (a resume goes back once and counts on)
INTERLEAVED_BACKS, INTERLEAVED_SHARE = 3, 0.25


def _refuse_interleaved(key: np.ndarray) -> None:
    """Refuse a log whose lines alternate between runs written at the same time (a ``logging``
    file two training processes append to): no rule tells which line belongs to which run."""
    goes_back = np.flatnonzero(key[1:] < key[:-1])
    if len(goes_back) < INTERLEAVED_BACKS:
        return
    after = len(key) - 1 - goes_back[0]
    if len(goes_back) >= INTERLEAVED_SHARE * after:
        raise GanalyzeError(f"the lines of two or more runs are interleaved in this log: its step or epoch counter "
                            f"goes back {len(goes_back)} times in the {after + 1} lines from its first going back "
                            "(two processes wrote the same file at once); allowed: one run per log (split the "
                            "lines by process, e.g. by a time-since-start column that rises in each)")


def split_runs(parsed: Parsed) -> list[Parsed]:
    """A console log whose counter goes back to where the file began holds runs written one after
    another (a script run again from scratch, SinGAN's scales, appended sessions): one Parsed per
    run, ``run1`` .. ``runN`` (``--pair runN``), instead of the later run replacing the earlier as a
    resume does (a resume goes back to a checkpoint's step, later than the first)."""
    key = _progress(parsed.frame)
    if key is None or len(key) < 4:
        return [parsed]
    _refuse_interleaved(key)
    bounds = _without_excerpts(parsed.frame, appended_run_bounds(key))
    if len(bounds) == 1:
        a, b = bounds[0]
        return [parsed if (a, b) == (0, len(parsed.frame)) else
                Parsed(frame=parsed.frame.iloc[a:b].reset_index(drop=True), meta=dict(parsed.meta),
                       guesses=dict(parsed.guesses), fixed=dict(parsed.fixed))]
    return _runs_at(parsed, bounds)


def _runs_at(parsed: Parsed, bounds: list) -> list[Parsed]:
    """One Parsed per row range of ``bounds``, ``run1`` .. ``runN``, each with the file's metadata."""
    return [Parsed(frame=parsed.frame.iloc[a:b].reset_index(drop=True), meta=dict(parsed.meta, runs_in_file=len(bounds)),
                   guesses=dict(parsed.guesses), suffix=f"run{k}", fixed=dict(parsed.fixed))
            for k, (a, b) in enumerate(bounds, start=1)]


def split_finished_runs(parsed: Parsed) -> list[Parsed]:
    """A notebook cell's runs printed one after another, each to its last epoch: a loop over settings that
    trains afresh each time ("=== Training with discriminator_update_steps = 1 ===", 'Epoch [1/50]' ..
    'Epoch [50/50]', then "= 5" from 'Epoch [1/50]' again; held-out batch 646/00, whose four runs had been read as
    restarts, the last replacing the rest): one Parsed per run, ``run1`` .. ``runN``, as :func:`split_runs` makes
    for a file, where every run but the last ends at the epoch total its lines print ("50/50"), or at the same step
    as every other (three Keras GANs, one per class, each printed from '0 [D loss: ..' to '4500 [D loss: ..',
    held-out batch 657/06). Otherwise one Parsed: in a notebook a counter that goes back may be a cell run again
    after an interrupted start, whose later rows replace the earlier."""
    frame = parsed.frame
    if (key := _progress(frame)) is None or len(key) < 4:
        return [parsed]
    bounds = _without_excerpts(frame, appended_run_bounds(key))
    if len(bounds) < 2:
        return [parsed]
    if len({float(key[b - 1]) for _, b in bounds}) == 1 and _fresh_starts(frame, bounds):
        pass                # every run to the same step, each from an untrained start: equal schedules
    elif not {"epoch", "n_epochs"} <= set(frame.columns):
        return [parsed]
    else:
        epoch = pd.to_numeric(frame["epoch"], errors="coerce").to_numpy(dtype=float) + (parsed.meta.get("epoch_printed_from") or 0)
        total = pd.to_numeric(frame["n_epochs"], errors="coerce").to_numpy(dtype=float)
        if not all(np.isfinite(total[b - 1]) and epoch[b - 1] >= total[b - 1] for _, b in bounds[:-1]):
            return [parsed]
    return _runs_at(parsed, bounds)


#: at most this many runs of equal schedules are read in one cell (more are an epoch's own step counter, printed
#: without the epoch)
MAX_EQUAL_RUNS = 10


def _fresh_starts(frame: pd.DataFrame, bounds: list) -> bool:
    """Whether each run after the first starts where the first did, not where the one before it ended (its first
    row's losses nearer the first run's first row's than the last run's last row's, D's and G's summed): a fresh
    network's losses, not an epoch's own step counter going on (held-out batch 657/06's three Keras GANs start at
    D 0.68-0.70, G 0.71 each; "Step [0/469] .." printed again each epoch goes on from the last epoch's levels)."""
    if len(bounds) > MAX_EQUAL_RUNS:
        return False
    cols = [c for c in frame.columns if canonical_column(str(c)) in ("d_loss", "g_loss")]
    if not cols:
        return False
    x = frame[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    scale = np.nanstd(x, axis=0)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)

    start = x[bounds[0][0]] / scale
    for (a, _), (_, pb) in zip(bounds[1:], bounds[:-1]):
        here, ended = x[a] / scale, x[pb - 1] / scale
        if not np.nansum(np.abs(here - start)) < np.nansum(np.abs(here - ended)):
            return False
    return True


def _without_excerpts(frame: pd.DataFrame, bounds: list) -> list:
    """``bounds`` less the runs that only repeat rows of a longer run in the file (the first and last
    line of a log quoted above it as a preview, a README's excerpt of the run it then pastes whole):
    every row of theirs, values and all, is a row of another run."""
    if len(bounds) < 2:
        return bounds
    num = frame.apply(pd.to_numeric, errors="coerce").round(12)     # NaN never matches: such runs stay
    rows = [set(map(tuple, num.iloc[a:b].to_numpy().tolist())) for a, b in bounds]
    keep = [k for k, (a, b) in enumerate(bounds)
            if not any(j != k and (b - a) < (bounds[j][1] - bounds[j][0]) and rows[k] <= rows[j]
                       for j in range(len(bounds)))]
    return [bounds[k] for k in keep]


# "FID: 280.1", "Fretchet Distance:  397.27" (sic), "Frechet Inception Distance = 41.2": an evaluation alone on
# its line, without a step of its own
_FID_ONLY_LINE = re.compile(r"(?i)^\s*(?:\[?\s*epoch\s*\d+\s*(?:/\s*\d+)?\s*\]?\s*[,:]?\s*)?\[?\s*"
                            r"(?:fid(?:\s*score)?|fr[eé]t?chet(?:\s+inception)?\s+distance)"
                            r"(?:\s+(?:at|after|for)\s+(?:epoch|iteration|iter|step)\s*\d+)?\s*[:=]\s*(" + NUM
                            + r")\s*\]?\s*$")      # "[Epoch 4/60] [FID score: 156.6]" (PyTorch-GAN forks) too
# ("FID score at Epoch 3: 276.5", printed after that epoch's losses, goes to the row before it as well)


_FID_ONLY_LINE_ANYWHERE = re.compile(_FID_ONLY_LINE.pattern.replace("(?i)", "(?im)", 1))


#: the share of epoch rows a finished tqdm bar of one length must precede to give the iterations per epoch
EPOCH_BAR_SHARE = 0.8


def _complete_bars(rows: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Rows whose only counter is a tqdm bar at its end, of one length N on every row (``g_loss 2.04 d_loss
    0.51: 100%|███| 1093/1093 [01:21<..]``: a notebook's ``t.set_description(..)`` over ``trange(steps)``, one
    bar an epoch): row k ends epoch k, N iterations long (epoch = k, batch = N done, ``n_batches`` = N), and
    the metadata says so. Otherwise (a bar stopped mid-way, lengths that differ, a row without a bar, another
    counter printed) the bar's count is dropped and the rows stay as they were. Returns (rows, metadata)."""
    if "_bar_done" not in rows:
        return rows, {}
    done, total = rows["_bar_done"], rows["_bar_total"]
    rows = rows.drop(columns=["_bar_done", "_bar_total"])
    if ({"epoch", "batch", "step"} & set(rows.columns) or len(rows) < 2 or total.isna().any()
            or (done != total).any() or total.nunique() != 1 or total.iloc[0] < 2):
        return rows, {}
    n = float(total.iloc[0])
    return (rows.assign(epoch=np.arange(len(rows)), batch=n, n_batches=n, _tqdm_done=1.0),
            {"epoch_from": f"the rows: each ends a complete tqdm bar of {int(n)} iterations and no epoch is printed"})


def _epoch_bars(lines: list[str], rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of one epoch each, printed after that epoch's own tqdm bar on a line of its own (a notebook's
    ``for batch in tqdm(loader)`` then ``print(f"Epoch {e} ...")``): the bar's length is the iterations
    per epoch, set as the rows' batch (the last one) and ``n_batches`` where a bar ("| 450/450 [", or a
    notebook's first frame of it, "| 0/497 [") comes between each row and the one before on >=
    :data:`EPOCH_BAR_SHARE` of the rows, the last one each time of one length N >= 2 (an evaluation's "1/1"
    bars between them do not count; nor does a bar over the epochs themselves, N = the epochs printed).
    Rows that print no epoch at all (``print(f"d_loss: {d}; g_loss: {g}")`` after each epoch's bar, held-out batch
    539/00: ten epochs of 2,533 iterations read as 100 iterations, all warm-up) are those epochs, counted from 0.
    Otherwise unchanged."""
    if ("batch" in rows or "step" in rows or len(rows) < 3 or ("epoch" in rows and rows["epoch"].isna().any())
            or not any("|" in ln and "/" in ln for ln in lines)):
        return rows
    at = rows["_line"].to_numpy(dtype="int64")
    epochs = set(rows["n_epochs"].dropna().astype(int)) if "n_epochs" in rows else set()
    bars = []
    for k, line_no in enumerate(at):
        start = at[k - 1] + 1 if k else 0
        found = None
        for ln in lines[start:line_no]:
            for done, total in _TQDM_BAR.findall(ln):
                if int(done) <= int(total) and int(total) >= 2 and int(total) not in epochs:
                    found = (int(done), int(total))
        bars.append(found)
    known = [b for b in bars if b is not None]
    # one length, and each time the same count done (all finished, or all a first frame): a bar whose
    # count moves on row by row ("1/30", "2/30", ..) runs over the epochs themselves
    if len(known) < EPOCH_BAR_SHARE * len(rows) or len(set(known)) != 1:
        return rows
    n = known[0][1]
    if "epoch" not in rows:
        if len(known) < len(rows):      # (with no epoch printed, every row must end a bar: the bars are its count)
            return rows
        rows = rows.assign(epoch=np.arange(len(rows), dtype="float64"))
    return rows.assign(batch=float(n), n_batches=float(n), _tqdm_done=1.0)


def _own_line_fid(text: str, lines: list[str], rows: pd.DataFrame) -> pd.DataFrame:
    """An FID printed alone on its line after a loss line (a course notebook's per-epoch evaluation)
    goes to the row printed before it, as ``fid``; a log that prints FID with its losses, or with its
    step (:func:`_evaluations`), keeps those."""
    if "fid" in {canonical_column(c) for c in rows.columns} or not _FID_ONLY_LINE_ANYWHERE.search(text):
        return rows
    found = [(k, float(m.group(1))) for k, line in enumerate(lines)
             if ("FID" in line or "istance" in line or "fid" in line) and (m := _FID_ONLY_LINE.match(line))]
    if not found:
        return rows
    at = rows["_line"].to_numpy(dtype="int64")       # sorted: rows are in line order here
    fid = np.full(len(rows), np.nan)
    for k, value in found:
        i = int(np.searchsorted(at, k)) - 1
        if i >= 0:
            fid[i] = value
    return rows.assign(fid=fid) if np.isfinite(fid).any() else rows


def _evaluations(text: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The FID / Inception Score evaluations printed on lines of their own with their step
    (:data:`_EVAL_LINE`), as columns ``fid`` / ``inception_score`` on the rows of those steps
    (NaN elsewhere); only for rows that print their step."""
    if "step" not in frame.columns or not ("FID" in text or "nception" in text):
        return frame
    found: dict[str, dict[int, float]] = {}
    for name, step, value in _EVAL_LINE.findall(text):
        found.setdefault(_EVAL_COLUMNS[name.lower()], {})[int(step)] = float(value)
    if "Itr " in text:
        for step, rest in _BIGGAN_EVAL.findall(text):
            for name, value in _BIGGAN_METRIC.findall(rest):
                found.setdefault(_EVAL_COLUMNS[name.lower()], {})[int(step)] = float(value)
    for col, by_step in found.items():
        if col not in frame.columns:
            values = frame["step"].map(by_step)
            if values.notna().any():
                frame = frame.assign(**{col: values.astype("float64")})
    return frame


def _wgan_conventions(frame: pd.DataFrame, meta: dict) -> tuple[pd.DataFrame, dict, dict]:
    """The original WGAN code's prints: step = the generator iteration (printed after its
    increment, so from 1), ``Loss_D_fake`` negated where ``Loss_D = Loss_D_real - Loss_D_fake``
    holds (the code's critic scores fakes with the opposite sign to ``d_loss_fake``'s)."""
    g_iter = frame.pop("g_iter").to_numpy(dtype="int64")
    steps, one_based = _zero_based(g_iter, None)
    frame["step"] = steps
    meta["step_from"] = "generator iterations (the third counter)" + (", printed from 1" if one_based else "")
    col = {canonical_column(c): c for c in frame.columns}
    if {"d_loss", "d_loss_real", "d_loss_fake"} <= col.keys():
        d, real, fake = (frame[col[k]].to_numpy(dtype="float64") for k in ("d_loss", "d_loss_real", "d_loss_fake"))
        tol = 1e-6 + 1e-3 * np.abs(d)
        ok = np.isfinite(d) & np.isfinite(real) & np.isfinite(fake)
        if ok.any() and (np.abs(d - (real - fake)) <= tol)[ok].mean() > 0.95 \
                and (np.abs(d - (real + fake)) <= tol)[ok].mean() < 0.5:
            frame[col["d_loss_fake"]] = -frame[col["d_loss_fake"]]
            meta["d_loss_fake_from"] = f"-{col['d_loss_fake']} (the code prints the critic's mean on fakes)"
    why = "the original WGAN code's print format ([epoch/E][batch/B][generator iteration])"
    guesses = {"loss": ("wgan-gp", f"{why}: a critic (Wasserstein) loss, read with the wgan-gp family's levels"),
               "scores": ("critic", f"{why}: the critic outputs raw scores")}
    return frame, meta, guesses


LUCIDRAINS_EVERY = 50


def _lucidrains_conventions(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """lucidrains/stylegan2-pytorch's ``print_log``: ``G: .. | D: .. | GP: .. | PL: ..`` (two
    decimals; lightweight-gan's the same with ``SS``), printed after every 50th step and without the
    step: row k is step 50 (k + 1), or the counter of the tqdm bar it was glued to. Its
    D loss is ``relu(1 + D(x)) + relu(1 - D(G(z)))`` and its G loss ``D(G(z))``: hinge with the
    critic's sign flipped (higher = fake), which reads the same as hinge for every level we use."""
    frame = frame.copy()
    why = "lucidrains' (stylegan2-pytorch, lightweight-gan) 'G: .. | D: .. | GP: ..' print"
    bar = frame.pop("bar_step").to_numpy(dtype="float64") if "bar_step" in frame.columns else None
    every = bar[0] + LUCIDRAINS_EVERY * np.arange(len(frame)) if bar is not None else None
    if bar is not None and np.isfinite(bar).all() and (np.abs(bar - every) <= LUCIDRAINS_EVERY).all():
        # the bar's counter lags its refresh; the print itself comes every 50th step from the first
        frame.insert(0, "step", every.astype("int64"))
        step_guess = (f"the first print's tqdm counter + row number x {LUCIDRAINS_EVERY}",
                      f"{why} comes after every {LUCIDRAINS_EVERY}th step and holds no step; the tqdm bar it "
                      f"follows gives the first print's step ({int(bar[0])}: a resumed run counts on from its step)")
    else:
        frame.insert(0, "step", (np.arange(len(frame), dtype="int64") + 1) * LUCIDRAINS_EVERY)
        step_guess = (f"(row number + 1) x {LUCIDRAINS_EVERY}",
                      f"{why} comes after every {LUCIDRAINS_EVERY}th step and holds no step")
    guesses = {"step_from": step_guess,
               "loss": ("hinge", f"{why}: its D loss is relu(1 + D(x)) + relu(1 - D(G(z))), hinge with the sign flipped"),
               "d_loss_reduction": ("sum", f"{why}: the two hinge terms are added"),
               "scores": ("critic", f"{why}: its D outputs raw scores")}
    return frame, guesses
