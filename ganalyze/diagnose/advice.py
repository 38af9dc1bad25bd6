"""Advice: per segment (phrased with the segment's numbers) and once per run (from the run's
configuration when it is known), each item citing where the rule comes from.

Sources (``SOURCES``): [practitioner-loss-curves]'s tuning rules (D loss < 0.3 -> D's lr x0.8, at LABELS.md's level
0.214 here, ``thresholds.D_WINS_SUM``; G loss > 1.5 -> G's
lr x1.2; |G - D| > 0.5 -> weaker side's lr x1.5; gap > 0.7 -> 2:1 updates; recent loss std > 2x
history's -> early stop), ganhacks (gradient norms > 100 or D loss at 0 = failure; label
smoothing; the non-saturating G loss), the DCGAN paper (Adam 2e-4, beta1 0.5, one D step per G
step), TTUR (separate learning rates, D a few times faster), WGAN-GP (gradient penalty lambda =
10), Salimans et al. 2016 (one-sided label smoothing, minibatch discrimination), Goodfellow et al.
2014 (the saturating minimax G loss gives vanishing gradients early), Metz et al. 2016 (unrolled
GANs against mode collapse). Loss levels are [practitioner-loss-curves]'s for a summed BCE, rescaled per loss type.

When the configuration is known and is itself the problem (lr_D = 40 x lr_G, 3 D steps per G step,
the minimax loss), the run-level advice says so and [practitioner-loss-curves]'s small multiplications are not given.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganalyze.diagnose.log_facts import BCE_CLAMP_LEVELS, CLAMP_NOTE_SHARE
from ganalyze.diagnose.metadata import RunMetadata
from ganalyze.diagnose.reduction import SATURATED_LEVEL
from ganalyze.gan import is_bce

SOURCES = {
    "seed000": "a practitioner's tuning rules of thumb [practitioner-loss-curves]",
    "ganhacks": "ganhacks (Chintala et al. 2016)",
    "dcgan": "DCGAN paper (Radford et al. 2016)",
    "ttur": "TTUR (Heusel et al. 2017)",
    "wgangp": "WGAN-GP (Gulrajani et al. 2017)",
    "salimans": "Salimans et al. 2016",
    "goodfellow": "Goodfellow et al. 2014",
    "metz": "Metz et al. 2016 (unrolled GANs)",
    "adam": "Adam (Kingma & Ba 2015)",
    "torch-bce": "PyTorch's nn.BCELoss / nn.BCEWithLogitsLoss documentation",
    "torch-zero-grad": "PyTorch's Optimizer.zero_grad documentation (backward() accumulates gradients)",
    "torch-optimizer-step": "PyTorch's Optimizer.step documentation (only step() changes the parameters)",
    "torch-optim-params": "PyTorch's torch.optim documentation (an optimiser updates only the parameters it was built on)",
    "torch-autograd-leaf": "PyTorch's autograd documentation (requires_grad can be set only on leaf tensors; "
                           "detach() and no_grad() cut a tensor from the graph)",
}
LR_RATIO_MAX = 4.0      # TTUR's own settings run D at most a few times faster than G


@dataclass(frozen=True)
class Advice:
    """One piece of advice: ``key`` identifies the rule (advice with the same key is given once per
    run), ``text`` the sentence with the run's numbers, ``source`` a key of ``SOURCES``."""

    key: str
    text: str
    source: str

    def render(self) -> str:
        return f"{self.text} [{SOURCES[self.source]}]"


def _fmt(x):
    return f"{x:.3g}" if x is not None and np.isfinite(x) else "n/a"


def _config_is_the_problem(label: str, meta: RunMetadata) -> bool:
    cfg = meta.config
    r = cfg.lr_ratio
    if label == "d_dominant":
        return (np.isfinite(r) and r > LR_RATIO_MAX) or meta.loss == "minimax" or \
            (cfg.d_steps or 1) > (cfg.g_steps or 1)
    if label in ("g_dominant", "mode_collapse"):
        return (np.isfinite(r) and r < 1 / LR_RATIO_MAX) or (cfg.g_steps or 1) > (cfg.d_steps or 1)
    return False


def _against(d: float, profile) -> str:
    """D's loss level against the profile's "D wins" level, in words that hold: ``(< d_low)``
    only when it is below it; else its share of the equilibrium (a critic loss's level is the
    run's own scale, so a D found winning by other signals need not be below ``d_low``)."""
    if d < profile.d_low:
        return f" (< {_fmt(profile.d_low)})"
    eq = getattr(profile, "d_eq", None)
    if eq is not None and np.isfinite(eq) and eq > 0:
        return f" ({_fmt(d / eq)} x its equilibrium {_fmt(eq)})"
    return ""


def _saturated(d: float, g: float, meta: RunMetadata) -> bool:
    """A BCE run whose D loss holds beyond ``SATURATED_LEVEL`` over the run, or a segment whose mean
    D or G loss is at or past half BCELoss's clamp (a term at -log 0): levels of a saturated D."""
    seg = np.nanmax([d, g]) if np.isfinite([d, g]).any() else np.nan
    return bool(meta.d_loss_median > SATURATED_LEVEL or seg >= min(BCE_CLAMP_LEVELS))


def segment_advice(label: str, ev: dict, profile, meta: RunMetadata, lr: dict, start: int, end: int,
                   shown: bool = True, at_log_start: bool = False) -> list:
    """:class:`Advice` items for one segment. ``lr``: the logged learning rates over the segment
    ({'lr_d': x, 'lr_g': y}, NaN when not logged) so the advice names concrete values. ``shown``:
    for divergence, the log shows it (a non-finite or exploded value the rules name) rather than
    the model reading it into finite, moderate losses. ``at_log_start``: the segment starts at the
    log's first row (or right after its warm-up), so nothing earlier in the log compares with it or
    holds a checkpoint worth rolling back to."""
    out = []
    d, g = ev.get("d_loss_mean", np.nan), ev.get("g_loss_mean", np.nan)
    lr_d, lr_g = lr.get("lr_d", np.nan), lr.get("lr_g", np.nan)

    def new(lr_val, mult):
        return f" (from {_fmt(lr_val)} to {_fmt(lr_val * mult)})" if np.isfinite(lr_val) else ""

    bce = is_bce(profile.name)
    cfg_problem = _config_is_the_problem(label, meta)
    c = meta.config
    if any(f is not None and start >= f[0] for f in (c.lr_d_frozen, c.lr_g_frozen, c.lr_d_raised, c.lr_g_raised)):
        cfg_problem = True      # a player's lr froze or jumped before this segment: the run advice says so, and
        #                         a small multiplication of it (x0.8, x1.5 of 1e-07 or of a 20-fold lr) says nothing
    if bce and _saturated(d, g, meta):
        cfg_problem = True      # a saturated D's levels (-log of an output at 0, BCELoss's clamp) are no balance
        #                         that a learning-rate tweak read off them restores
    if label == "d_dominant":
        if not cfg_problem:
            # a D loss above its equilibrium (least squares, hinge) is D doing worse than chance there: the
            # label then comes from other signals, and "weaken D" cannot follow from D's loss
            above_eq = profile.comparable and np.isfinite(profile.d_eq) and d >= profile.d_eq
            if np.isfinite(d) and (d < profile.d_low if bce else not above_eq):
                out.append(Advice("d_lr_down", f"D loss averages {_fmt(d)}{_against(d, profile)} over steps "
                                  f"{start}-{end}: multiply D's learning rate by 0.8{new(lr_d, 0.8)}.", "seed000"))
            if bce and profile.g_level_known and np.isfinite(g) and g > profile.g_high:
                out.append(Advice("g_lr_up", f"G loss averages {_fmt(g)} (> {_fmt(profile.g_high)}): multiply G's "
                                  f"learning rate by 1.2{new(lr_g, 1.2)}.", "seed000"))
            if np.isfinite(g - d) and abs(g - d) > 0.5 and profile.comparable and profile.g_level_known:
                out.append(Advice("weaker_side", f"the G-D loss gap is {_fmt(g - d)} (> 0.5): raise the weaker side's "
                                  f"(G's) learning rate x1.5{new(lr_g, 1.5)}, or update G twice per D update (2:1).",
                                  "seed000"))
        # (D at one-sided smoothing's floor shows its real labels are smoothed already, whatever the code says; at
        # the floor of noised targets they are softened already too)
        if bce and not meta.config.label_smoothing and meta.smoothing_floor is None and meta.noise_floor is None:
            out.append(Advice("label_smoothing", "weaken D with one-sided label smoothing (real targets 0.9).",
                              "salimans"))
        if bce and np.isfinite(d) and d < 0.05 * (profile.d_eq / 1.386):
            out.append(Advice("d_loss_zero", f"D loss is at 0 ({_fmt(d)}) over steps {start}-{end}: D has won and "
                              "G's gradients vanish.", "ganhacks"))
    elif label == "g_dominant":
        if not cfg_problem:
            dgz = ev.get("d_g_z", np.nan)
            if np.isfinite(dgz) and dgz > 0.5:
                why = f"D(G(z)) is {_fmt(dgz)} (> 0.5) over steps {start}-{end}"
            elif np.isfinite(d) and np.isfinite(profile.d_eq) and profile.d_eq > 0:
                # a D loss below its equilibrium is D doing better than chance there: the label then comes
                # from other signals, and "D is too weak" cannot follow from D's loss (a public DCGAN's
                # one-row g_dominant segment at 0.15 x the equilibrium was told to strengthen D)
                why = (f"D loss averages {_fmt(d)} ({_fmt(d / profile.d_eq)} x its equilibrium {_fmt(profile.d_eq)}) "
                       f"over steps {start}-{end}") if d >= profile.d_eq or not profile.comparable else None
            else:
                why = f"G fools D over steps {start}-{end}"
            if why is not None:
                out.append(Advice("d_lr_up", f"{why}: D is too weak; raise D's learning rate x1.5{new(lr_d, 1.5)} or "
                                  "update D twice per G update (2:1).", "seed000"))
        out.append(Advice("check_diversity", "check the generated samples' diversity: a fooled D often hides a "
                          "narrowing generator.", "ganhacks"))
    elif label == "mode_collapse":
        div = ev.get("div_pdist_ratio", np.nan)
        how = f" (div_pdist_ratio {_fmt(div)}, 1 = as spread as the data)" if np.isfinite(div) else ""
        out.append(Advice("collapse", f"sample diversity is low over steps {start}-{end}{how}: add minibatch "
                          "discrimination or feature matching, or restart from an earlier checkpoint.", "salimans"))
        out.append(Advice("unrolled", "if it persists, unroll D for a few steps in G's update.", "metz"))
    elif label == "oscillation":
        vr, swing = ev.get("var_ratio", np.nan), ev.get("div_pdist_ratio_std", np.nan)
        if np.isfinite(vr) and vr > 2:
            why = f"recent G-loss std is {_fmt(vr)}x the history's (> 2): the early-stop rule fires"
        elif np.isfinite(swing):
            why = (f"the generator's sample spread swings (div_pdist_ratio std {_fmt(swing)} within the "
                   "window): its mass is moving back and forth")
        elif at_log_start:
            why = "the losses swing from the start of the log"
        elif np.isfinite(vr):     # swings no larger than the history's: no early-stop point to roll back to
            why = f"the loss patterns read as oscillation, though G's recent loss swings are {_fmt(vr)}x the history's"
        else:
            why = "the losses swing far more than earlier in the run"
        back = ("" if at_log_start or (np.isfinite(vr) and vr <= 2 and not np.isfinite(swing))
                else f"stop or roll back to the checkpoint before step {start}, then ")
        out.append(Advice("oscillation", f"{why} (steps {start}-{end}); {back}lower both learning rates "
                          f"(e.g. x0.5{new(lr_d, 0.5)}).", "seed000"))
    elif label == "stagnation":
        critic = meta.loss == "wgan-gp"     # a critic's usual settings are not DCGAN's
        usual = ("the WGAN-GP settings are Adam 1e-4, betas (0, 0.9), 5 critic steps per G step (the original WGAN's "
                 "weight clipping: RMSprop 5e-5)" if critic else "the DCGAN settings are Adam 2e-4, beta1 0.5")
        out.append(Advice("stagnation", f"nothing moves over steps {start}-{end}: check the gradient flow "
                          f"(grad norms D {_fmt(ev.get('grad_norm_d', np.nan))}, G {_fmt(ev.get('grad_norm_g', np.nan))}) "
                          f"and the learning rates (lr_g {_fmt(lr_g)}); {usual}.", "wgangp" if critic else "dcgan"))
    elif label == "divergence" and shown:
        out.append(Advice("divergence", f"losses are non-finite or exploded from about step {start}: restart from "
                          "the last finite checkpoint with lower learning rates and gradient clipping.", "ganhacks"))
    elif label == "divergence":
        out.append(Advice("divergence", f"no logged loss is non-finite or exploded from step {start} on, so look at "
                          "the samples there (--with-samples on the run's checkpoints); if they blew up, restart "
                          + ("" if at_log_start else f"from the last checkpoint before step {start} ")
                          + "with lower learning rates and gradient clipping.",
                          "ganhacks"))
    gmax = max(ev.get("grad_norm_d_max", np.nan), ev.get("grad_norm_g_max", np.nan))
    if np.isfinite(gmax) and gmax > 100 and label != "warmup":
        out.append(Advice("grad_clip", f"gradient norms reach {_fmt(gmax)} (> 100): clip gradients (e.g. max norm 10).",
                          "ganhacks"))
    return out


def lr_change_advice(cfg) -> list:
    """Advice on a logged learning rate that froze (below ``LR_FROZEN``) or jumped (x ``RAISED_FACTOR``
    or more) mid-run, given whatever the labels say: the log itself shows that player's updates
    changed there. D and G changed alike at the same step share one item."""
    changes = {}
    for kind, side, change in (("frozen", "D", cfg.lr_d_frozen), ("frozen", "G", cfg.lr_g_frozen),
                               ("raised", "D", cfg.lr_d_raised), ("raised", "G", cfg.lr_g_raised)):
        if change is not None:
            step, lr, first = change
            changes.setdefault((kind, step, _fmt(lr), _fmt(first)), []).append(side)
    out = []
    for (kind, step, lr, first), sides in changes.items():
        who = " and ".join(f"lr_{x}" for x in sides)
        players = " and ".join(f"{x}'s" for x in sides)
        factor = _fmt(float(lr) / float(first)) if float(first) > 0 else "n/a"
        if kind == "frozen":
            after = "; a batch-norm G can still change its samples through its running statistics" if "G" in sides \
                else ""
            after += "; G then learns to fool a fixed D" if sides == ["D"] else ""
            text = (f"{who} {'fall' if len(sides) > 1 else 'falls'} to {lr} from step {step} ({factor} x the first "
                    f"value {first}): {players} weights barely move from there on (an Adam step is about lr per "
                    f"weight), whatever the labels after it say{after}. If the freeze was not meant, restore it "
                    f"(e.g. {first}).")
        else:
            text = (f"{who} {'jump' if len(sides) > 1 else 'jumps'} to {lr} at step {step} ({factor} x the first value "
                    f"{first}; DCGAN's Adam runs at 2e-4): {players} steps are that much larger from there on; if "
                    f"the trouble starts there, go back to {first} rather than tune around it.")
        out.append(Advice(f"lr_{kind}_{'_'.join(x.lower() for x in sides)}", text, "adam" if kind == "frozen" else "dcgan"))
    return out


def run_advice(labels: set, meta: RunMetadata) -> list:
    """Advice from the run's configuration (``meta.config``, loss type) for the labels found."""
    out = []
    cfg = meta.config
    r = cfg.lr_ratio
    if is_bce(meta.loss) and meta.bce_clamp_share >= CLAMP_NOTE_SHARE:
        out.append(Advice("bce_clamp", f"{meta.bce_clamp_share:.0%} of the rows hold BCELoss's clamp (a loss of "
                          "exactly 100): compute D's loss with nn.BCEWithLogitsLoss on D's raw logits (no sigmoid "
                          "layer), whose gradient sigmoid(x) - y stays finite where a saturated sigmoid followed by "
                          "BCELoss passes none; then check the real and fake targets and the samples.", "torch-bce"))
    if cfg.unzeroed_optimiser is not None:
        role, why = cfg.unzeroed_optimiser
        out.append(Advice("zero_grad", f"{why}: zero {role}'s gradients before each of its backward passes "
                          "(optimizer.zero_grad()), then judge the run again; every other reading of this run is of "
                          "updates that grew with the step count.", "torch-zero-grad"))
    if cfg.unstepped_optimiser is not None:
        role, why = cfg.unstepped_optimiser
        out.append(Advice("optimizer_step", f"{why}: call that optimiser's step() after each of {role}'s backward "
                          f"passes, then judge the run again; every other reading of this run is of a {role} that "
                          "never trained.", "torch-optimizer-step"))
    if cfg.crossed_optimiser is not None:
        role, why = cfg.crossed_optimiser
        out.append(Advice("optimizer_params", f"{why}: build {role}'s optimiser on {role}'s own parameters, "
                          "then judge the run again; every other reading of this run is of a "
                          f"{role} that never trained.", "torch-optim-params"))
    if cfg.detached_loss is not None:
        role, why = cfg.detached_loss
        out.append(Advice("loss_graph", f"{why}: remove the requires_grad line and compute the loss from the "
                          "networks' outputs with no .detach(), .item(), .data, torch.tensor(..) or torch.no_grad() "
                          "between them (except the fakes' detach() in D's step), then judge the run again; every "
                          f"other reading of this run is of {'networks' if ' and ' in role else 'a network'} that "
                          "never trained.", "torch-autograd-leaf"))
    lr_src = f" ({cfg.source})" if cfg.source else ""
    if "d_dominant" in labels:
        if meta.loss == "minimax":
            out.append(Advice("nonsaturating", "the G loss is the saturating minimax log(1 - D(G(z))), whose gradient "
                              "vanishes once D wins: use the non-saturating G loss -log D(G(z)) (--loss nsgan).",
                              "goodfellow"))
        if np.isfinite(r) and r > LR_RATIO_MAX:
            out.append(Advice("lr_ratio", f"lr_D = {r:.3g} x lr_G ({_fmt(cfg.lr_d)} vs {_fmt(cfg.lr_g)}{lr_src}): two "
                              f"time-scale updates run D faster by a few times at most; bring the ratio to <= "
                              f"{LR_RATIO_MAX:g} (e.g. lr_D {_fmt(LR_RATIO_MAX * cfg.lr_g)} or lr_G "
                              f"{_fmt(cfg.lr_d / LR_RATIO_MAX)}).", "ttur"))
        if (cfg.d_steps or 1) > (cfg.g_steps or 1):
            if meta.loss not in ("wgan-gp", "hinge"):
                out.append(Advice("update_ratio", f"D is updated {cfg.d_steps} times per {cfg.g_steps or 1} G update(s): "
                                  "use one D step per G step.", "dcgan"))
            else:      # several critic steps per G step are the method (WGAN-GP: 5), not a mistake
                out.append(Advice("update_ratio", f"D is updated {cfg.d_steps} times per {cfg.g_steps or 1} G update(s), "
                                  f"as critic losses usually are (WGAN-GP uses 5), but here it wins: try fewer "
                                  f"({max(1, cfg.d_steps // 2)}).", "wgangp"))
    if labels & {"g_dominant", "mode_collapse"}:
        if r == 0:
            out.append(Advice("lr_d_zero", f"lr_D is 0 ({_fmt(cfg.lr_d)} vs lr_G {_fmt(cfg.lr_g)}{lr_src}): D is frozen, "
                              "so G only learns to fool a fixed D; give D a learning rate (e.g. lr_D = lr_G).",
                              "ttur"))
        elif np.isfinite(r) and r < 1 / LR_RATIO_MAX:
            out.append(Advice("lr_ratio_g", f"lr_G = {1 / r:.3g} x lr_D ({_fmt(cfg.lr_g)} vs {_fmt(cfg.lr_d)}{lr_src}): "
                              "G outruns D; run D at least as fast as G (e.g. lr_G = lr_D, or lr_D up to 4x lr_G).",
                              "ttur"))
        if (cfg.g_steps or 1) > (cfg.d_steps or 1):
            out.append(Advice("update_ratio_g", f"G is updated {cfg.g_steps} times per {cfg.d_steps or 1} D update(s): "
                              "use one G step per D step.", "dcgan"))
    out += lr_change_advice(cfg)
    if meta.loss == "wgan-gp" and cfg.gp_weight is not None and cfg.gp_weight <= 0 and \
            labels & {"divergence", "oscillation", "d_dominant"}:
        out.append(Advice("gp", f"the gradient penalty is off (gp_weight {cfg.gp_weight:g}): an unconstrained critic "
                          "grows without bound; use lambda = 10.", "wgangp"))
    return out
