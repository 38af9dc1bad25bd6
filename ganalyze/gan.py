"""The GAN facts every package shares, each written once: loss types, D-loss reductions, score
kinds, the equilibrium value of each logged loss, the healthy D-output bands with their sources,
and the one normalisation of the two losses that the helix picture and the diagnosis' crossing
rate both use. Sources: docs/references.md.

Imports nothing heavy at module level (numpy inside the functions that compute), so the CLI can
take its choices from here cheaply.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:                         # annotations only: numpy is imported where it computes
    import numpy as np

LN2 = math.log(2.0)

#: Loss types the reference trainer implements (train/losses.py has the formulas).
LOSSES = ("minimax", "nsgan", "lsgan", "wgan-gp", "hinge")
#: Loss types a log may declare that ganalyze recognises but has no levels for: the diagnosis
#: reports them as unsupported and judges only loss-free signals.
UNSUPPORTED_LOSSES = ("began", "relativistic", "other")
#: Loss types a log may declare; ``unknown`` = let the diagnosis infer it.
LOSS_CHOICES = LOSSES + UNSUPPORTED_LOSSES + ("unknown",)
#: Losses whose D is trained with binary cross-entropy (probability scores, ln 2 levels).
BCE_LOSSES = ("minimax", "nsgan")

#: How ``d_loss`` combines its real and fake parts.
REDUCTIONS = ("sum", "mean")
REDUCTION_CHOICES = REDUCTIONS + ("unknown",)

#: What ``d_x`` / ``d_g_z1`` / ``d_g_z2`` hold: sigmoid probabilities or raw critic outputs.
SCORE_KINDS = ("probability", "critic")
SCORE_CHOICES = SCORE_KINDS + ("unknown",)
#: The score kind each trainable loss logs.
SCORE_KIND_OF = {"minimax": "probability", "nsgan": "probability", "lsgan": "critic",
                 "wgan-gp": "critic", "hinge": "critic"}


def is_bce(loss: str) -> bool:
    """True for the BCE losses (minimax, nsgan)."""
    return loss in BCE_LOSSES


@dataclass(frozen=True)
class Level:
    """A loss value at the equilibrium, with a label that says the convention."""

    value: float
    label: str


@dataclass(frozen=True)
class Equilibrium:
    """Each logged loss at the GAN equilibrium (D cannot tell real from fake: D = 1/2 for BCE and
    LSGAN, D = 0 for hinge), in the run's own loss units. ``None`` where the loss has no fixed value
    there (WGAN-GP's G loss: the critic is defined up to a constant) or where the D-loss reduction
    is unknown (a wrong line misleads more than none)."""

    d: Level | None = None        # d_loss (real + fake combined by the reduction)
    g: Level | None = None        # g_loss
    d_part: Level | None = None   # d_loss_real and d_loss_fake, each


LSGAN_TERMS = ("half", "plain")   # LSGAN terms: 0.5 (D - target)^2 (Mao et al.) or plain MSE (most code)


def equilibrium(loss: str, reduction: str = "sum", lsgan_terms: str = "half") -> Equilibrium:
    """The :class:`Equilibrium` of a loss type and D-loss reduction.

    - minimax / nsgan (BCE, Goodfellow et al. 2014): each D part is -ln(1/2) = ln 2, so the D loss
      is 2 ln 2 = 1.386 summed or ln 2 = 0.693 averaged; nsgan's G loss -ln D(G(z)) = ln 2; minimax's
      G loss ln(1 - D(G(z))) = -ln 2.
    - lsgan (targets 0/1, Mao et al. 2017): each D part 0.5 (1/2)^2 = 0.125 and G 0.125 with the
      paper's ½ (``lsgan_terms="half"``, ganalyze's trainer); 0.25 each with plain MSE
      (``"plain"``: ``nn.MSELoss`` as in the CycleGAN/pix2pix, PyTorch-GAN and Keras-GAN code).
    - hinge (Lim & Ye 2017; Miyato et al. 2018): at D = 0 each D part relu(1 -+ 0) = 1, G -D(G(z)) = 0.
    - wgan-gp (Gulrajani et al. 2017): D loss -E[D(x)] + E[D(G(z))] = 0 when the critic cannot
      separate them; the parts and G have no fixed value.
    Unknown loss types give an empty Equilibrium.
    """
    scale = {"sum": 2.0, "mean": 1.0}.get(reduction)
    how = {"sum": "real + fake", "mean": "mean of real and fake"}.get(reduction, "")
    if loss in BCE_LOSSES:
        part = Level(LN2, "ln 2 = 0.693 (BCE part at D = ½)")
        d = {"sum": Level(2 * LN2, "2·ln 2 = 1.386 (BCE, D loss = real + fake)"),
             "mean": Level(LN2, "ln 2 = 0.693 (BCE, D loss = mean of parts)")}.get(reduction)
        g = (Level(LN2, "ln 2 = 0.693 (non-saturating G, −ln D(G(z)))") if loss == "nsgan"
             else Level(-LN2, "−ln 2 = −0.693 (minimax G, ln(1 − D(G(z))))"))
        return Equilibrium(d, g, part)
    if loss == "lsgan":
        v, terms = (0.25, "plain MSE") if lsgan_terms == "plain" else (0.125, "½·MSE")
        part = Level(v, f"{v:g} (LSGAN part at D = ½, {terms})")
        d = Level(scale * v, f"{scale * v:g} (LSGAN at D = ½, {terms}, D loss = {how})") if scale else None
        return Equilibrium(d, Level(v, f"{v:g} (LSGAN G at D = ½, {terms})"), part)
    if loss == "hinge":
        part = Level(1.0, "1 (hinge part at D = 0)")
        d = Level(scale * 1.0, f"{scale:g} (hinge at D = 0, D loss = {how})") if scale else None
        return Equilibrium(d, Level(0.0, "0 (hinge G, −D(G(z)) at D = 0)"), part)
    if loss == "wgan-gp":
        return Equilibrium(Level(0.0, "0 (WGAN-GP: critic gap closed)"))
    return Equilibrium()


@dataclass(frozen=True)
class Band:
    """A healthy range of a D output (probabilities), and where it comes from."""

    low: float
    high: float
    source: str

    def contains(self, x):
        """Elementwise low <= x <= high (NaN -> False)."""
        import numpy as np

        return (np.asarray(x) >= self.low) & (np.asarray(x) <= self.high)

    def __str__(self) -> str:
        return f"{self.low:g}–{self.high:g}"


#: Healthy window-mean D(x) on real data, for probability scores only.
D_REAL_BAND = Band(0.7, 0.9, "practitioner rule of thumb for a BCE GAN that learns (docs/references.md "
                             "'Healthy D-output bands'); the PyTorch DCGAN tutorial reports D(x) falling from "
                             "near 1 towards 0.5 as G improves")
#: Healthy window-mean D(G(z)) on fakes, for probability scores only (the spec's healthy label).
D_FAKE_BAND = Band(0.1, 0.4, "practitioner rule of thumb (docs/references.md 'Healthy D-output bands'); "
                             "below 0.1 D rejects nearly every fake (DCGAN tutorial, ganhacks 'D loss goes to 0'), "
                             "above 0.5 G fools D")
#: The bands by logged column.
SCORE_BANDS = {"d_x": D_REAL_BAND, "d_g_z": D_FAKE_BAND, "d_g_z1": D_FAKE_BAND, "d_g_z2": D_FAKE_BAND}


def _robust_z(x: np.ndarray) -> np.ndarray:
    """(x - median) / (IQR / 1.349): a z-score robust to spikes (1.349 = IQR of N(0, 1))."""
    import numpy as np

    fx = x[np.isfinite(x)]
    if len(fx) == 0:
        return x
    med = np.median(fx)
    q75, q25 = np.percentile(fx, [75, 25])
    spread = (q75 - q25) / 1.349 or float(np.std(fx)) or 1.0
    return (x - med) / spread


def helix_strands(d_loss, g_loss, d_eq: float | None, g_eq: float | None) -> tuple[np.ndarray, np.ndarray, str]:
    """The two losses on one scale: the strands of the DNA-helix picture and of the crossing rate.

    With both equilibrium values known and non-zero (BCE, LSGAN): ``1 + (loss - eq) / |eq|`` per
    loss, so 1 = at equilibrium for both and *higher = that player losing* (for nsgan this is
    loss / eq; minimax's negative G loss is oriented the same way: ln(1 - D(G(z))) rises to 0 as
    D wins). Otherwise (WGAN-GP, hinge G): each loss as a robust z-score over the run, so the order
    of the strands says which loss is further above its usual level, not who wins.
    ``g - d > 0``: G's loss relatively higher, i.e. D is winning.
    Returns (d_norm, g_norm, one-line description of the scale).
    """
    import numpy as np

    d = np.asarray(d_loss, dtype=np.float64)
    g = np.asarray(g_loss, dtype=np.float64)
    if d_eq and g_eq and math.isfinite(d_eq) and math.isfinite(g_eq):
        with np.errstate(invalid="ignore", over="ignore"):
            dn = 1.0 + (d - d_eq) / abs(d_eq)
            gn = 1.0 + (g - g_eq) / abs(g_eq)
        return dn, gn, f"1 + (loss − equilibrium)/|equilibrium|, equilibrium D {d_eq:.3g}, G {g_eq:.3g}"
    with np.errstate(invalid="ignore", over="ignore"):
        return _robust_z(d), _robust_z(g), "each loss as a robust z-score over the run (levels not comparable)"
