"""Per-bin labels from the window statistics (vectorised), with a confidence per bin.

Priority when several apply: divergence > warmup > oscillation of the logged diversity (swings) >
mode_collapse > d_dominant > g_dominant > oscillation of the losses > stagnation > healthy.
Thresholds are the healthy bands of ganalyze.gan (D(x) 0.7-0.9, D(G(z)) 0.1-0.4; D loss < 0.3 and
D(G(z)) small = D too strong (window mean < 0.05 here, see RuleConfig); D(G(z)) > 0.5 = G too strong;
recent loss std > 2x the history's = oscillation) scaled per loss type (see thresholds.py).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ganalyze.diagnose.log_facts import LR_FROZEN
from ganalyze.diagnose.metadata import SUPPORTED_LOSSES
from ganalyze.diagnose.model import LABELS
from ganalyze.gan import D_FAKE_BAND

#: a log whose first row is at this step or later starts after the run's warm-up (LABELS.md: the
#: generator first produces something persistent within hundreds of steps on MNIST), so its first
#: rows are not labelled warmup (a resumed run, a log kept from step 37,350 on)
LATE_START = 1000


@dataclass(frozen=True)
class RuleConfig:
    """Thresholds of the rules (units in brackets).

    ``d_fake_low`` [probability]: window-mean D(G(z)) below this = D dominant ([practitioner-loss-curves]'s band
    edge is 0.1; 0.05 here: a window mean of 0.05-0.1 is still a D that accepts some fakes, and
    on the labelled set D rejects > 98 % of fresh fakes only below about 0.05);
    ``d_fake_high`` [probability]: above this = G dominant ([practitioner-loss-curves]: 0.5);
    ``var_ratio_high`` [ratio of stds]: recent G-loss std over the history's ([practitioner-loss-curves]: 2), which
    must hold in at least half of the window's bins (a single spike is not an oscillation);
    ``div_collapse`` [ratio]: div_pdist_ratio below this fraction of the run's best = collapse
    (only once the best exceeded ``div_best_min``); after such a fall the run stays collapsed while
    div_pdist_ratio < ``div_low`` [ratio to a real batch's spread];
    ``div_swing`` [ratio] / ``d_fake_swing`` [probability]: window std of the logged
    div_pdist_ratio / D(G(z)) above this = G's output swings (oscillation, overrides collapse), with
    each half of the window above ``swing_half`` x it (a single fall fills only one half);
    ``lr_frozen`` [Adam lr]: a logged learning rate below this means that network barely moves
    (an Adam step is about lr per parameter), so G (or both) stagnate;
    ``stagnant_std`` [relative]: loss std below this fraction of the equilibrium level and
    ``stagnant_trend`` [relative]: window-mean change below this = nothing moves;
    ``stagnant_eq_band`` [relative]: flat losses whose D loss sits within this fraction of its
    equilibrium level (a loss type with one) are no stagnation: a converged run's losses are flat
    there too, and a frozen G lets D pull away from it (LABELS.md's stagnation is G's sample drift);
    ``grad_explode`` [L2 norm]: gradient norm over this (ganhacks: > 100) counts toward divergence
    when the losses also leave their range;
    ``div_never`` [ratio] / ``div_never_steps`` [steps]: a generator whose logged div_pdist_ratio
    stays below this (LABELS.md's image threshold, diversity_ratio <= 0.3) for at least this many
    steps after warm-up has collapsed although it never fell from a best value (it never spread);
    a shorter low stretch is a generator still learning (the healthy MNIST run spreads by step ~500);
    ``d_loss_dead`` [fraction of the equilibrium D loss]: a D loss below this with D(x) > 0.9 and
    D(G(z)) < 0.1 (both outside [practitioner-loss-curves]'s bands) is a D that has won, whatever D(G(z))'s exact level.
    """

    d_fake_low: float = 0.05
    d_fake_high: float = 0.5
    var_ratio_high: float = 2.0
    div_collapse: float = 0.7
    div_best_min: float = 0.2
    div_low: float = 0.5
    div_swing: float = 0.1
    d_fake_swing: float = 0.15
    swing_half: float = 0.75
    lr_frozen: float = LR_FROZEN
    stagnant_std: float = 0.01
    stagnant_trend: float = 0.01
    stagnant_eq_band: float = 0.15
    grad_explode: float = 100.0
    div_never: float = 0.3
    div_never_steps: int = 600
    d_loss_dead: float = 0.1


def classify_bins(f: dict, profile, assumptions: dict, cfg: RuleConfig = RuleConfig(), warmup_steps: int = 200):
    """Returns (labels: int array of LABELS indices per bin, confidence per bin, deciding-rule mask dict)."""
    nb = f["n_bins"]
    L = {name: i for i, name in enumerate(LABELS)}
    lab = np.full(nb, L["healthy"], dtype=np.int8)
    conf = np.full(nb, 0.6)
    prob = assumptions["scores"] == "probability"
    supported = profile.name in SUPPORTED_LOSSES
    averaged = bool(assumptions.get("averaged", False))
    min_rows = assumptions.get("min_rows", 1)
    enough = np.nan_to_num(f["rows"], nan=0.0) >= max(3, min_rows // 2)
    d_mean, g_mean = f["d_loss_mean"], f["g_loss_mean"]
    dgz = f.get("d_g_z")
    dx = f.get("d_x")

    # ---- healthy confidence: inside [practitioner-loss-curves]'s bands and a twisting helix ---------------
    ac = f["anticorrelation"]
    helix_ok = np.nan_to_num(ac, nan=0.0) > 0.2
    conf = np.where(helix_ok, 0.75, 0.6)
    if prob and dgz is not None:
        in_band = D_FAKE_BAND.contains(dgz)
        conf = np.where(in_band & helix_ok, 0.85, conf)

    # ---- stagnation: flat, nothing moves (relative to the loss's own level) ---------------
    def level(x):       # the loss's own median level (NaN, not numpy's warning, when no window has one)
        x = np.abs(x[np.isfinite(x)])
        return float(np.median(x)) + 1e-6 if len(x) else np.nan

    scale_d = abs(profile.d_eq) if profile.comparable and profile.d_eq else level(d_mean)
    scale_g = abs(profile.g_eq) if profile.comparable and profile.g_eq and profile.g_level_known else level(g_mean)
    # flat losses only count where they can be told from averaging (a pre-averaged log is flat by
    # construction), on a supported loss, and over a window with enough rows to have a variance
    flat = ((f["d_loss_std"] / scale_d < cfg.stagnant_std * 5) & (f["g_loss_std"] / scale_g < cfg.stagnant_std * 5)
            & (np.abs(np.nan_to_num(f["d_loss_trend"])) / scale_d < cfg.stagnant_trend)
            & (np.abs(np.nan_to_num(f["g_loss_trend"])) / scale_g < cfg.stagnant_trend)
            & enough & (not averaged) & supported)
    if profile.comparable and profile.d_eq:
        flat = flat & ~(np.abs(np.nan_to_num(d_mean, nan=np.inf) / profile.d_eq - 1.0) < cfg.stagnant_eq_band)
    if "grad_norm_g" in f:
        flat = flat | (np.nan_to_num(f["grad_norm_g"], nan=1.0) < 1e-4)
    if "lr_g" in f:
        flat = flat | (np.nan_to_num(f["lr_g"], nan=1.0) < cfg.lr_frozen)
    lab = np.where(flat, L["stagnation"], lab)
    conf = np.where(flat, 0.7, conf)

    # ---- oscillation: [practitioner-loss-curves]'s early-stop rule (recent std > 2x the history's) --------
    vr = np.nan_to_num(f["var_ratio"], nan=1.0)
    osc = (vr > cfg.var_ratio_high) & (f["g_loss_std"] / scale_g > 0.05) & (f["loud_share"] >= 0.5) & enough \
        & supported
    lab = np.where(osc, L["oscillation"], lab)
    conf = np.where(osc, np.clip(0.5 + 0.1 * (vr - cfg.var_ratio_high), 0.5, 0.9), conf)

    # ---- G dominant ---------------------------------------------------------------------
    if prob and dgz is not None:
        gdom = np.nan_to_num(dgz, nan=0.0) > cfg.d_fake_high
        gconf = np.clip(0.6 + (np.nan_to_num(dgz) - cfg.d_fake_high) * 2, 0.6, 0.95)
    elif not prob and "d_fake_q50" in f and "d_real_q50" in f:
        # critic: D rates the typical fake above the typical real
        gdom = np.nan_to_num(f["d_fake_q50"] - f["d_real_q50"], nan=-np.inf) > 0
        gconf = np.full(nb, 0.55)
    else:
        g_fooled = (g_mean < profile.g_low) if profile.g_level_known else np.ones(nb, bool)
        gdom = g_fooled & (d_mean > profile.d_eq * 1.1) if profile.comparable else np.zeros(nb, bool)
        gconf = np.full(nb, 0.55)
    lab = np.where(gdom, L["g_dominant"], lab)
    conf = np.where(gdom, gconf, conf)

    # ---- D dominant ---------------------------------------------------------------------
    if prob and dgz is not None:
        strong_real = (np.nan_to_num(dx, nan=0.0) > 0.85) if dx is not None else np.zeros(nb, bool)
        ddom = (np.nan_to_num(dgz, nan=1.0) < cfg.d_fake_low) & ((d_mean < profile.d_eq * 0.5) | strong_real)
        dconf = np.clip(0.65 + (cfg.d_fake_low - np.nan_to_num(dgz)) * 3, 0.65, 0.95)
        # D loss at ~0 with D(x) ~1 and D(G(z)) ~0: both outside [practitioner-loss-curves]'s bands, D has won
        if dx is not None:
            dead = ((d_mean < cfg.d_loss_dead * profile.d_eq) & (np.nan_to_num(dx, nan=0.0) > 0.9)
                    & (np.nan_to_num(dgz, nan=1.0) < 0.1))
            dconf = np.where(dead & ~ddom, 0.7, dconf)
            ddom = ddom | dead
    elif not prob and "d_real_q05" in f and "d_fake_q95" in f:
        # critic scores: D separates the batches when 95 % of the reals score above 95 % of the fakes
        # (LABELS.md's critic predicate asks d_acc_fake >= 0.98 and accuracy >= 0.9 at the midpoint)
        ddom = np.nan_to_num(f["d_real_q05"] - f["d_fake_q95"], nan=-np.inf) > 0
        dconf = np.full(nb, 0.6)
    elif profile.comparable:
        ddom = (d_mean < profile.d_low) & ((g_mean > profile.g_high) if profile.g_level_known else True)
        dconf = np.full(nb, 0.6)
    else:   # a critic without per-sample D outputs: not checkable (see explain.not_checkable)
        ddom = np.zeros(nb, bool)
        dconf = np.full(nb, 0.5)
    lab = np.where(ddom, L["d_dominant"], lab)
    conf = np.where(ddom, dconf, conf)

    # ---- mode collapse: logged diversity falls from its best, then stays low ----------
    # div_pdist_ratio is G's mean pairwise distance over a real batch's (1 = as spread as the
    # data), so a low absolute level is itself evidence: once a fall from the run's best has been
    # seen, the run stays collapsed while the ratio stays below ``div_low`` (a collapsed generator
    # does not become healthy again while its samples stay bunched). A run that was never diverse
    # (best < ``div_best_min``) is not called collapsed here: its low spread is G not having
    # learned yet, or D dominating (d_dominant below explains it).
    if "div_pdist_ratio" in f:
        div, best = f["div_pdist_ratio"], np.nan_to_num(f["div_pdist_ratio_best"], nan=0.0)
        divf = np.nan_to_num(div, nan=np.inf)
        fall = (divf < cfg.div_collapse * best) & (best > cfg.div_best_min)
        started = np.maximum.accumulate(fall) if nb else fall
        # never spread: collapse, unless D or G dominates (LABELS.md: the cause to act on first)
        never = _never_diverse(f, divf, cfg, warmup_steps) & ~np.isin(lab, (L["d_dominant"], L["g_dominant"]))
        coll = fall | (started & (divf < cfg.div_low)) | never
        rel = np.nan_to_num(div / np.where(best > 0, best, np.nan), nan=1.0)
        cconf = np.clip(0.6 + (cfg.div_collapse - rel) + 0.3 * (cfg.div_low - np.nan_to_num(div, nan=cfg.div_low)),
                        0.6, 0.95)
        lab = np.where(coll, L["mode_collapse"], lab)
        conf = np.where(coll, cconf, conf)

    # ---- oscillation of the generator itself: its logged diversity (or D(G(z))) swings --------
    # within one window. A collapsed G stays bunched (low, steady ratio); one that swings from
    # bunched to spread and back is moving its mass around (the centroid swings of the labelled
    # set), so this overrides a collapse reading.
    # Only once G has settled (some window after the first ``warmup_steps`` with the swing
    # statistic below half its threshold): before that, G hopping about is it learning the data.
    swing = np.zeros(nb, bool)
    after_warm = f["bin_start"] >= f["bin_start"][0] + warmup_steps if nb else np.zeros(0, bool)
    for key, thr, use in (("div_pdist_ratio_std", cfg.div_swing, True),):
        if use and key in f:
            sd = np.nan_to_num(f[key], nan=np.inf)
            settled = np.maximum.accumulate(after_warm & (sd < thr / 2)) if nb else after_warm
            both = np.nan_to_num(f.get(key.replace("_std", "_half_std"), f[key]), nan=0.0)
            swing |= settled & (np.nan_to_num(f[key], nan=0.0) > thr) & (both > thr * cfg.swing_half)
            if key == "div_pdist_ratio_std":   # the swing reaches a real-like spread (not noise on a collapse)
                swing &= np.nan_to_num(f["div_pdist_ratio"] + 1.5 * f[key], nan=0.0) > cfg.div_low
    lab = np.where(swing, L["oscillation"], lab)
    conf = np.where(swing, 0.6, conf)

    # ---- warmup -------------------------------------------------------------------------
    span = f["bin_start"][-1] - f["bin_start"][0] + f["bin_steps"]
    warm_end = f["bin_start"][0] + min(warmup_steps, span / 5)
    warm = f["bin_start"] + f["bin_steps"] <= warm_end
    if nb > 0 and not warm.any() and nb >= 3:
        warm[0] = True
    if nb > 0 and f["bin_start"][0] >= LATE_START:      # a log that starts mid-run: its warm-up is long past
        warm[:] = False
    lab = np.where(warm, L["warmup"], lab)
    conf = np.where(warm, 0.9, conf)

    # ---- divergence: from the first non-finite loss on, or exploding losses ------------
    div_mask = np.zeros(nb, bool)
    if f["first_bad_step"] is not None:
        div_mask |= f["bin_start"] + f["bin_steps"] > f["first_bad_step"]
    gmax = f.get("grad_norm_d_max")
    if gmax is not None:
        # sustained: the window-mean norm, not one spike (a lr x50 run has single 1e5 spikes
        # while its outputs stay finite)
        explode = (gmax > cfg.grad_explode * 1e3) & (np.nan_to_num(f.get("grad_norm_d", np.zeros(nb)), nan=0.0) > cfg.grad_explode * 1e2)
        div_mask |= explode
    # G's loss only where its level is G's adversarial one: a G loss that holds a content term of 1e5 from
    # its first row (SRGAN's MSE on 0-255 pixels; metadata marks it composite) has not exploded
    big = (_exploded(d_mean, None if profile.comparable else f["d_loss_first"])
           | (_exploded(g_mean, None if profile.comparable else f["g_loss_first"]) & profile.g_level_known))
    div_mask |= big
    if div_mask.any():
        div_mask[np.argmax(div_mask):] = True
    lab = np.where(div_mask, L["divergence"], lab)
    conf = np.where(div_mask, 0.95, conf)
    return lab, np.clip(conf, 0.0, 1.0)


def _exploded(loss_mean: np.ndarray, first: float | None) -> np.ndarray:
    """Windows whose mean loss is beyond 1e4 in magnitude. A loss with no fixed level (a critic's, an
    unsupported type's; ``first``, its first logged value, else None) must also be beyond 20 x that
    first value: a course notebook printing each epoch's critic loss summed over its 391 iterations
    starts at -1.3e4 and shrinks, which is the log's scale, not an explosion (no corpus critic run
    starts above 63 in magnitude, so no corpus label moves)."""
    big = np.abs(np.nan_to_num(loss_mean)) > 1e4
    if first is None or not np.isfinite(first):
        return big
    return big & (np.abs(np.nan_to_num(loss_mean)) > 20 * abs(first))


def _never_diverse(f: dict, divf: np.ndarray, cfg: RuleConfig, warmup_steps: int) -> np.ndarray:
    """Bins inside a stretch, after warm-up, where the logged diversity stays below ``div_never``
    for at least ``div_never_steps`` (or half of the post-warm-up run when it is shorter): a
    generator that never spread is collapsed, no fall from a best value needed."""
    nb = f["n_bins"]
    out = np.zeros(nb, bool)
    if nb == 0:
        return out
    start = f["bin_start"]
    warm_end = start[0] + min(warmup_steps, (start[-1] - start[0] + f["bin_steps"]) / 5)
    low = (divf < cfg.div_never) & (start >= warm_end)
    need = min(cfg.div_never_steps, 0.5 * (start[-1] + f["bin_steps"] - warm_end))
    change = np.flatnonzero(np.diff(low.astype(np.int8))) + 1
    bounds = np.concatenate([[0], change, [nb]])
    for a, b in itertools.pairwise(bounds):   # loop over stretches, not bins
        if low[a] and (b - a) * f["bin_steps"] >= max(need, f["bin_steps"]):
            out[a:b] = True
    return out
