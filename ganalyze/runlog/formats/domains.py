"""Logs of a two-domain model (CycleGAN and its kin) written with one D loss per domain and no
plain ``d_loss``: CycleGAN-style histories (``D_X_loss`` / ``D_Y_loss``, ``D_A`` / ``D_B``, a G per
domain or one G total) and Keras CycleGAN examples' ``fit()`` prints (``monet_disc_loss``,
``photo_gen_loss``; ``x_disc_loss`` ...; keras.io's ``disc_X_loss`` / ``gen_G_loss``). Any reader's run of that shape becomes one run per domain
(``--pair X``) in the shared finishing, as the pix2pix/CycleGAN ``loss_log`` reader does for its
``D_A`` / ``D_B`` lines.
"""
from __future__ import annotations

import re

from ganalyze.runlog.formats.common import Parsed
from ganalyze.runlog.schema import canonical_column

#: a D (or G) loss column of one of two domains named by a letter: D_X_loss, d_A, loss_D_B, D_Y
_LETTER = re.compile(r"^(?:loss_?)?([dg])_?([a-z])(?:[_ ]?loss)?$", re.IGNORECASE)
#: ... the CycleGAN paper's own names for its two generators, G (X to Y, judged by D_Y) and F (Y to X, judged by
#: D_X), each its own loss beside D_X and D_Y ("D_X Loss: 0.0138, D_Y Loss: 0.0039, G Loss: 5.7706, F Loss: 5.41",
#: held-out batch 558/05)
_PAPER_G = re.compile(r"^(?:loss_?)?([gf])(?:[_ ]?loss)?$", re.IGNORECASE)
_PAPER_JUDGED_BY = {"G": "Y", "F": "X"}
#: ... or a generator named by the domains it maps, judged by its target's D: "loss_G_A2B: 2.95, loss_G_B2A: 2.71,
#: loss_D_A: 0.24, loss_D_B: 0.23" (CycleGAN re-implementations' G_A2B / G_B2A, held-out batch 620/07)
_MAPS_TO = re.compile(r"^(?:loss_?)?(?:g|gen)_?([a-z])2([a-z])(?:[_ ]?loss)?$", re.IGNORECASE)
#: ... between CycleGAN's own letters, also with "to" or nothing between them: "loss_Gxy / loss_Gyx" beside "loss_Dx /
#: loss_Dy" (held-out batch 649/02), "g_XtoY_loss", "G_XY" (letters of other pairs need the "2": "g_lr" is no map)
_MAPS_PAIR = re.compile(r"^(?:loss_?)?(?:g|gen)_?(?:([ab])_?(?:to_?)?([ab])|([xy])_?(?:to_?)?([xy]))(?:[_ ]?loss)?$",
                        re.IGNORECASE)
#: ... or by a word before the network: monet_disc_loss, photo_gen_loss, x_disc_loss
#: (or "dsc", and the loss after a space: a TF Monet CycleGAN's "m_gen loss" / "p_dsc loss", held-out batch 596/02)
_PREFIXED = re.compile(r"^(?:total_)?([a-z][a-z0-9]*?)_(disc|dis|dsc|discriminator|d|gen|generator|g)[_ ]loss$",
                       re.IGNORECASE)
#: ... or by a word after the network: discriminator_ap_loss, discriminator_pa_loss (a chest X-ray CycleGAN's
#: "Discriminator AP loss" / "Discriminator PA loss" beside one "Generator loss", held-out batch 540/02)
#: (a total first: a Kaggle Monet CycleGAN's "total_gen_monet_loss" beside "disc_monet_loss", held-out batch 570/08)
_SUFFIXED = re.compile(r"^(?:total[_ ])?(disc|dis|discriminator|d|gen|generator|g)[_ ]([a-z][a-z0-9]*?)[_ ]loss$",
                       re.IGNORECASE)
#: ... or keras.io's CycleGAN example's ``fit()`` names: disc_X_loss, disc_Y_loss, gen_G_loss, gen_F_loss, where
#: G maps X to Y (judged by disc_Y) and F maps Y to X (judged by disc_X): a G is paired by the D that judges it
#: (also printed in words, its own letters: "Gen G Loss: 2.15, Gen F Loss: 2.17 / Disc X Loss: 0.05, Disc Y Loss: 0.12",
#: held-out batch 619/00; "Disc A loss" in words stays a domain named by a word, below)
_KERAS_IO = re.compile(r"^(disc|gen)_([a-z])_loss$|^(disc) ([xy]) loss$|^(gen) ([gf]) loss$", re.IGNORECASE)
_KERAS_IO_JUDGED_BY = {"G": "Y", "F": "X"}
_LETTER_PAIRS = (["A", "B"], ["X", "Y"])
#: ... or a network's letter before a domain's word: a tqdm postfix's g_monet, g_photo, d_monet, d_photo (held-out
#: batch 538/09); taken only where both letters come with each of two words (d_acc beside d_lr are no domains)
_NET_WORD = re.compile(r"^([dg])_([a-z][a-z0-9]+)$", re.IGNORECASE)
#: words before ``_disc_loss`` / ``_gen_loss`` that name a term or part of one loss, not a domain
#: (``real_disc_loss`` and ``fake_disc_loss`` are D's two terms)
_NOT_DOMAINS = {"real", "fake", "total", "adv", "adversarial", "gan", "gp", "aux", "cls", "class", "rec", "recon",
                "l1", "l2", "fm", "feat", "vgg", "cycle", "cyc", "idt", "identity", "content", "perceptual", "kl",
                "mse", "bce", "train", "val", "valid", "test", "mean", "avg", "epoch", "batch", "step"}


#: words after a network's letter that name one of its numbers, not a domain (d_acc, g_lr, d_grad_norm)
_NOT_NET_WORDS = {"acc", "accuracy", "lr", "grad", "gradnorm", "norm", "score", "scores", "prob", "out", "output",
                  "loss", "losses", "cost", "err", "error", "x", "z", "gz", "steps", "iters", "weight", "time"}


def net_word_loss(name: str) -> tuple[str, str] | None:
    """("d" or "g", domain) of a name made of a network's letter and a word (``d_monet``, ``g_photo``), or None (a
    column of ours, ``d_real``; a number of the network's own, ``d_acc``). :func:`per_domain_runs` takes such names
    only as two words' four losses."""
    m = _NET_WORD.fullmatch(str(name).strip())
    if m is None or canonical_column(str(name)) is not None or m.group(2).lower() in _NOT_DOMAINS | _NOT_NET_WORDS:
        return None
    return m.group(1).lower(), m.group(2).lower()


def domain_loss(name: str) -> tuple[str, str] | None:
    """("d" or "g", domain) of a per-domain loss column name, or None. A G is named by the domain of
    the D that judges its output (keras.io's ``gen_G_loss`` maps X to Y: domain ``Y``)."""
    name = str(name).strip()
    if (m := _LETTER.fullmatch(name)) and name.lower() not in ("d_x", "dx"):   # D_x: D's output on real data
        return m.group(1).lower(), m.group(2).upper()
    if (m := _MAPS_TO.fullmatch(name)) and m.group(1).lower() != m.group(2).lower():
        return "g", m.group(2).upper()
    if m := _MAPS_PAIR.fullmatch(name):
        source, target = (g for g in m.groups() if g is not None)
        return ("g", target.upper()) if source.lower() != target.lower() else None
    if m := _KERAS_IO.fullmatch(name):
        net, letter = (g for g in m.groups() if g is not None)
        letter = letter.upper()
        if net.lower() == "disc":
            return "d", letter
        return ("g", _KERAS_IO_JUDGED_BY[letter]) if letter in _KERAS_IO_JUDGED_BY else None
    if (m := _PREFIXED.fullmatch(name)) and m.group(1).lower() not in _NOT_DOMAINS:
        return m.group(2)[0].lower(), m.group(1).lower()    # ("dsc": d)
    if (m := _SUFFIXED.fullmatch(name)) and m.group(2).lower() not in _NOT_DOMAINS | _NOT_NET_WORDS \
            and canonical_column(name) is None:
        return m.group(1)[0].lower(), m.group(2).lower()
    return None


def per_domain_runs(parsed: Parsed) -> list[Parsed] | None:
    """One run per domain (module doc) of a run whose columns hold a D loss for each of two domains
    (X and Y or A and B by letter, any two words by prefix) and no plain D loss: each with its D's
    loss as ``d_loss`` and its own G's loss, or the one G loss of the log, which then is the total
    of both generators' losses (their adversarial terms, the cycle and identity terms) and is
    marked composite (``g_loss_composite``): its level is not judged; so is a G loss per domain
    named by a word (the Keras examples' ``monet_gen_loss`` is that generator's total). With the
    domains named by letter (CycleGAN's own naming) the loss is guessed CycleGAN's (least squares,
    plain MSE terms, D's loss their mean), which the reader's own guesses and numbers that show
    another loss override; by word, the numbers decide (the Kaggle Monet example's D loss is BCE,
    keras-io's least squares). None when the run is not of that shape."""
    raw = parsed.frame
    found = {}
    for c in raw.columns:
        if (k := domain_loss(c)) is not None:
            found.setdefault(k, c)
    if not found:
        words = {k: c for c in raw.columns if (k := net_word_loss(c)) is not None}
        named = {w for _, w in words}
        if len(named) == 2 and len(words) == 4:
            found = words
    if ("d", "Y") in found and ("d", "X") not in found and ("g", "X") in found and ("g", "Y") in found:
        # "D_X" is D(x) in a DCGAN log; beside D_Y and the two maps' G losses it is domain X's D ("D_X: 0.30 D_Y: 0.31
        # G_XY: 0.90 G_YX: 0.80")
        found.update({("d", "X"): c for c in raw.columns if str(c).strip().lower() in ("d_x", "dx")})
    d_domains = sorted(k for n, k in found if n == "d")
    # (any two letters, where each has its own D and G: a night-to-day CycleGAN's "loss_G_n=.. D_n_loss=.. loss_G_d=..
    # D_d_loss=..", held-out batch 619/06)
    by_letter = d_domains in _LETTER_PAIRS or (len(d_domains) == 2 and all(len(k) == 1 for k in d_domains)
                                               and all(("g", k) in found for k in d_domains))
    by_word = len(d_domains) == 2 and all(len(k) > 1 or k.islower() for k in d_domains)
    if not (by_letter or by_word) or any(canonical_column(str(c)) == "d_loss" for c in raw.columns):
        return None     # D_r / D_f are D's real and fake terms, not domains
    paper = {m.group(1).upper(): c for c in raw.columns if (m := _PAPER_G.fullmatch(str(c).strip()))}
    if d_domains == ["X", "Y"] and set(paper) == {"G", "F"} and not any(("g", k) in found for k in d_domains):
        found.update({("g", _PAPER_JUDGED_BY[net]): c for net, c in paper.items()})
    own_g = all(("g", k) in found for k in d_domains)
    shared = [c for c in raw.columns if canonical_column(str(c)) == "g_loss"]
    if not own_g and len(shared) != 1:
        return None
    why = "a D loss per domain, as CycleGAN's"
    guesses = {"loss": ("lsgan", f"{why}: least squares, the CycleGAN paper's and its code's default"),
               "lsgan_terms": ("plain", f"{why}: CycleGAN's GANLoss is nn.MSELoss, without the LSGAN paper's 1/2"),
               "d_loss_reduction": ("mean", f"{why}: CycleGAN's D loss = (real + fake) * 0.5")} if by_letter else {}
    guesses.update(parsed.guesses)
    out = []
    for k in d_domains:
        other = next(j for j in d_domains if j != k)
        drop = [found[x] for x in (("d", other), ("g", other)) if x in found]
        fixed = {**parsed.fixed, found[("d", k)]: "d_loss"}
        meta = {**parsed.meta, "pair": k, "domains": d_domains}
        if own_g:
            fixed[found[("g", k)]] = "g_loss"
            if _KERAS_IO.fullmatch(str(found[("g", k)])):
                meta["g_loss_composite"] = (f"{found[('g', k)]!r}: keras.io's CycleGAN example prints each "
                                            "generator's total loss (adversarial, cycle and identity terms)")
            elif _PAPER_G.fullmatch(str(found[("g", k)]).strip()):
                meta["g_loss_composite"] = (f"{found[('g', k)]!r}: a loss per generator under the CycleGAN paper's "
                                            "names (G and F) beside a D loss per domain is that generator's total "
                                            "(adversarial, cycle and identity terms)")
            elif not by_letter:
                meta["g_loss_composite"] = (f"{found[('g', k)]!r}: a G loss per domain named by a word is that "
                                            "generator's total, as the Keras CycleGAN examples print it (adversarial, "
                                            "cycle and identity terms)")
        else:
            fixed[shared[0]] = "g_loss"
            meta["g_loss_composite"] = (f"{shared[0]!r} is one G loss beside a D loss per domain: the total of "
                                        "both generators' losses (their adversarial terms and the cycle terms)")
        out.append(Parsed(frame=raw.drop(columns=drop), meta=meta, guesses=dict(guesses), segments=parsed.segments,
                          suffix=k if parsed.suffix is None else f"{parsed.suffix}_{k}", fixed=fixed,
                          columns_applied=parsed.columns_applied))
    return out


def split_domains(found: list[Parsed]) -> list[Parsed]:
    """Every run of ``found`` split by :func:`per_domain_runs` where it has that shape."""
    return [q for p in found for q in (per_domain_runs(p) or [p])]
