"""What every format reader shares: the result type, the "not this format" signal, number
patterns and the clean-up applied to any text log before it is parsed."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# A number as logs print it: 1, -1.5, .5, 1e-3, nan, inf, -Infinity.
NUM = r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|NaN|NAN|inf|Inf|INF|infinity|Infinity)"
# PyTorch's repr of a 0-d tensor: tensor(10.529, grad_fn=<AddBackward0>), tensor(0.5, device='cuda:0').
TENSOR = re.compile(r"tensor\(\s*(" + NUM + r")\s*(?:,[^()]*)?\)")
# TensorFlow's repr of an eager scalar, tf.Tensor(0.90203, shape=(), dtype=float32), and NumPy 2's of a
# scalar, np.float32(0.69) (a loss printed without .numpy() or .item())
TF_TENSOR = re.compile(r"tf\.Tensor\(\s*(" + NUM + r")\s*,\s*shape=\(\)\s*,\s*dtype=\w+\s*\)")
NP_SCALAR = re.compile(r"np\.(?:float|int)(?:16|32|64)\(\s*(" + NUM + r")\s*\)")


# Portuguese, Spanish, French, Italian and German words for "loss" and "epoch" before a label or counter:
# "Época [0/200] Batch 0/8 | Perda D: 1.7180 | Perda G: 4.7658" (the console reader writes them "Loss" and
# "Epoch"; a user's --columns naming the original label is read the same way)
FOREIGN_LOSS = re.compile(r"(?i)\b(?:perda|p[ée]rdida|perte|perdita|verlust|потер[иья]|ошибка|ロス)(?=\s*(?:[_ ]?(?:de[l]?|du|der|des)\s+)?"
                           r"_?(?:d|g|disc\w*|gen\w*|discriminador\w*|gerador\w*|generador\w*|g[ée]n[ée]rateur|"
                           r"critic\w*|дискриминатор\w*|генератор\w*|критик\w*)?\b)")
# labels the console reader writes another way before reading them (machinelearningmastery's spelt-out prints,
# ">1, 1/5, d1_loss=0.69,d2_loss=0.97, gan_loss=0.69": d1, d2 and g); a user's --columns naming the printed label
# reads the same way
# (D's halves d1 / d2 are then read as D's real and fake terms; the tutorial's d1 / d2 / g, and "gl" for its g, as
# they were printed; Chollet's "discriminator loss" / "adversarial loss" once rewritten "D loss" / "G loss")
_D1, _D2, _G = ("d1", "d_loss_real"), ("d2", "d_loss_fake"), ("g",)
REWRITTEN_LABELS = {"d1_loss": _D1, "d2_loss": _D2, "gan_loss": _G, "dloss1": _D1, "dloss2": _D2, "d_loss1": _D1,
                    "d_loss2": _D2, "d_loss_1": _D1, "d_loss_2": _D2, "g1": _G, "gloss1": _G, "g_loss1": _G,
                    "g_loss_1": _G, "d1": _D1, "d2": _D2, "gl": ("gl", "g_loss"), "g": ("g", "g_loss"),
                    "discriminator loss": ("D loss",), "adversarial loss": ("G loss",), "generator loss": ("G loss",)}
# ... and the network named after it in Spanish, Portuguese, French, Italian or German ("Loss del discriminador" once
# FOREIGN_LOSS read "Pérdida del discriminador"; "Loss do gerador"): D's or G's loss
FOREIGN_NET_LOSS = re.compile(r"(?i)\bLoss(?:(?:[_ ]+(?:de[l]?|do|da|du|des|dello|della))?[_ ]+(discriminador|"
                              r"discriminateur|discriminatore|generador|gerador|g[ée]n[ée]rateur|generatore|"
                              r"дискриминатор\w*|генератор\w*|критик\w*)|"
                              r"[_ ]+(?:des|der)[_ ]+(diskriminators?|generators?))\b")    # (German after its article only)


def foreign_net_loss(m: re.Match) -> str:
    """:data:`FOREIGN_NET_LOSS`'s match as the console reader writes it: "D loss" or "G loss"."""
    return f"{'D' if (m.group(1) or m.group(2))[0].lower() in 'dдк' else 'G'} loss"


# labels as printed that the console reader writes another way (stop 43): "Generator 손실함수(g_loss)" -> "g_loss",
# "D: loss" -> "D_loss", "Discriminator Loss EPOCH" -> "Discriminator Loss", "The discriminator loss is" -> "discriminator loss"
_PRINTED_AS = ((re.compile(r"^.*\(([A-Za-z_][\w ]*?)\)\s*$"), r"\1"),
               (re.compile(r"(?i)^\s*(D|G|disc|gen|dis|discriminator|generator|critic)\s*:\s*(loss|err|error)\s*$"), r"\1_\2"),
               # the network's name alone, as a refusal of "Discriminator: loss -> 7.99" had listed it
               (re.compile(r"(?i)^\s*(D|G|disc|gen|dis|discriminator|generator|critic)\s*$"), r"\1_loss"),
               (re.compile(r"(?i)^\s*(.*?\bloss)\s+(?:epoch|step|iteration|iter)\s*$"), r"\1"),
               (re.compile(r"(?i)^\s*(?:the\s+)?(.*?\b(?:loss|error))\s+(?:is|was)\s*$"), r"\1"))


def printed_label_names(label: str) -> list[str]:
    """The names the console reader may have given a label the user named as printed (:data:`_PRINTED_AS`)."""
    return [pat.sub(repl, label) for pat, repl in _PRINTED_AS if pat.match(label)]


# a Chinese or Korean label of D's or G's loss as the console reader names it ("판별자 손실", "적대적 손실": Chollet's
# Korean edition, held-out batches 327 and 332, whose retry named the printed label)
_CJK_NET_LOSS = re.compile(r"^\s*(?:(判别器|鉴别器|판별(?:자|망|기))|(生成器|생성(?:자|망|기)|적대적))(?:의)?\s*(?:损失|손실|성능)?\s*$")


#: a run of letters outside ASCII (Korean, Chinese, Cyrillic, accented Latin ...)
NON_ASCII_WORD = re.compile(r"[^\W\d_A-Za-z]+")


def ascii_word(word: str) -> str:
    """A word of letters outside ASCII spelt in ASCII, the same each time, so that a label the readers cannot
    translate still names a column of its own (and ``--columns`` can name it as printed): a Hangul syllable by its
    romanisation ("경찰" -> "gyeongchal"), an accented letter without its accent ("é" -> "e"), any other letter by
    its code point ("u5224")."""
    out = []
    for ch in word:
        name = unicodedata.name(ch, "")
        if name.startswith("HANGUL SYLLABLE "):
            out.append(name.rsplit(" ", 1)[-1].lower())
        elif (plain := unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()).isalpha():
            out.append(plain)
        else:
            out.append(f"u{ord(ch):04x}")
    return "".join(out)


def ascii_label(label: str) -> str:
    """``label`` with each run of non-ASCII letters spelt by :func:`ascii_word` ("경찰 Loss" -> "gyeongchal Loss")."""
    return NON_ASCII_WORD.sub(lambda m: ascii_word(m.group(0)), label)


def english_label(label: str) -> str:
    """A label as the console reader rewrites a foreign one ("Pérdida del discriminador" -> "D loss", "판별자 손실" ->
    "D_loss")."""
    if (m := _CJK_NET_LOSS.match(label)) is not None:
        return "D_loss" if m.group(1) else "G_loss"
    return FOREIGN_NET_LOSS.sub(foreign_net_loss, FOREIGN_LOSS.sub("Loss", label))


FOREIGN_EPOCH = re.compile(r"(?i)(?<![\w/])(?:[ée]poca|[ée]poque|epoche|эпоха|エポック数?)\b(?=\s*[\[(:#]?\s*\d)")
class NotThisFormat(Exception):
    """A reader's one-line reason why a file is not in its format (the dispatcher collects them)."""


@dataclass
class Parsed:
    """One run as a reader found it, before the shared finishing (``finish.finish``).

    ``frame``: one row per logged line/record in write order; columns as the file names them
    (or already our names); may hold ``step``, ``epoch``, ``batch`` (0-based, within the epoch)
    and ``n_batches``, from which ``step`` is made. ``meta``: what the file says.
    ``guesses``: ``{key: (value, reason)}``, what the reader assumes. ``segments``: a restart
    counter per row where the file marks restarts (else restarts are found where ``step``
    goes back). ``suffix``: the run's name within the file when it holds several (``"A"``).
    ``fixed``: raw column -> our column, mappings the format itself defines (wins over aliases).
    ``columns_applied``: the reader already applied the user's ``columns`` (TensorBoard tags).
    """

    frame: pd.DataFrame
    meta: dict
    guesses: dict = field(default_factory=dict)
    segments: object = None
    suffix: str | None = None
    fixed: dict = field(default_factory=dict)
    columns_applied: bool = False      # the reader already applied the user's ``columns``


#: the lines Comet ML's client writes ("COMET INFO:     discriminator_loss [4690] : (0.0025, 15.33)", its end-of-run
#: summary of each metric's count, least and greatest value, and "COMET INFO:     d_hidden : 64", a parameter): no row
#: of the run (held-out batch 656/05, whose summary had been read as a 3-row run that "diverged")
_COMET_LINE = re.compile(r"(?m)^(?:\x1b\[[0-9;]*m)*COMET (?:INFO|WARNING|ERROR|DEBUG):.*(?:\n|$)")


def clean_text(text: str) -> str:
    """Tensor reprs (PyTorch's, TensorFlow's, NumPy 2's scalars) -> their number; carriage returns (progress bars) -> line breaks;
    backspaces (Keras progress bars written to a file) removed; Comet ML's own lines (:data:`_COMET_LINE`) removed."""
    if "tensor(" in text:
        text = TENSOR.sub(r"\1", text)
    if "tf.Tensor(" in text:
        text = TF_TENSOR.sub(r"\1", text)
    if "np.float" in text or "np.int" in text:
        text = NP_SCALAR.sub(r"\1", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x08" in text:
        text = text.replace("\x08", "")
    if "COMET " in text:
        text = _COMET_LINE.sub("", text)
    return text


def read_text(path: Path) -> str:
    """The file as text (UTF-8, undecodable bytes replaced), cleaned by :func:`clean_text`."""
    return clean_text(path.read_text(encoding="utf-8", errors="replace"))


def first_lines(text: str, n: int = 3) -> str:
    """The first ``n`` non-empty lines, shortened, for messages."""
    lines = [ln.strip()[:60] for ln in text.splitlines() if ln.strip()][:n]
    return " | ".join(lines)
