"""``RunSpec`` (one corpus run, fully determined) and the random search that draws them.

The search samples every knob independently from the ranges of issue #10, so the corpus is not a
hand-picked list: learning rates log-uniform (base 5e-5..2e-3, D/G ratio 1/50..50), Adam betas,
batch sizes 16-256, capacity imbalance (G and D widths drawn separately), one-sided label
smoothing, D updates per G update (n_critic), optimiser (Adam or RMSprop for critics), run length
(short and >= 5,000 steps), and 0-2 regime changes mid-run (learning-rate switches, a frozen
player, momentum change, NaN injection). ``draw_specs(n, seed)`` is deterministic in ``seed``.
"""
from __future__ import annotations

import dataclasses
import json
import math
import random
from dataclasses import dataclass, field

from ganalyze.corpus.schedule import Event

LOOPS = ("trainer", "dcgan", "pacgan", "critic")
LOSSES_BY_LOOP = {
    "trainer": ("nsgan", "minimax", "lsgan", "wgan-gp", "hinge"),
    "dcgan": ("nsgan", "minimax"),
    "pacgan": ("nsgan", "minimax", "lsgan"),
    "critic": ("wgan-gp", "hinge"),
    "keras": ("nsgan", "lsgan"),          # the fifth loop, drawn only by the "keras" profile
    "r1": ("nsgan", "hinge"),             # the sixth, drawn only by the "r1" profile
    "tfsim": ("nsgan", "lsgan"),          # the seventh ("tfsim" profile)
    "sngan": ("hinge", "nsgan"),          # the eighth ("sngan" profile)
    "pytorchgan": ("nsgan", "lsgan", "wgan-gp"),  # the ninth ("pytorchgan" profile)
    "goodfellow": ("minimax", "nsgan"),   # the tenth ("goodfellow" profile)
    "wganclip": ("wgan-gp",),             # the eleventh ("wganclip" profile): WGAN's critic loss, weight clipping
    "dcgantf": ("nsgan", "lsgan"),        # the twelfth ("dcgantf" profile): DCGAN-tensorflow, G twice per iteration
    "ganhacks": ("nsgan", "minimax"),     # the thirteenth ("ganhacks" profile): soft noisy labels, instance noise
    "dragan": ("nsgan", "lsgan"),         # the fourteenth ("dragan" profile): a gradient penalty near the real data
}


@dataclass(frozen=True)
class RunSpec:
    run_id: str
    loop: str
    dataset: str
    loss: str
    steps: int
    batch_size: int
    lr_d: float
    lr_g: float
    beta1: float
    beta2: float
    optimizer: str = "adam"          # adam | rmsprop
    n_critic: int = 1                # D updates per iteration
    g_width: int = 128
    d_width: int = 128
    latent_dim: int = 16
    label_smoothing: float = 0.0
    d_design: str = "plain"          # pacgan loop: pac2 | spectral | dropout | minibatch
    check_every: int = 50
    seed: int = 0
    events: tuple[Event, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["events"] = [e.to_dict() for e in self.events]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict) -> "RunSpec":
        d = dict(d)
        d["events"] = tuple(Event(**e) for e in d.get("events", ()))
        return cls(**d)


def _log_uniform(r: random.Random, lo: float, hi: float) -> float:
    return math.exp(r.uniform(math.log(lo), math.log(hi)))


def _events(r: random.Random, steps: int, profile: str = "uniform") -> tuple[Event, ...]:
    w_n, w_kind = PROFILES[profile]["n_events"], PROFILES[profile]["kinds"]
    n = r.choices((0, 1, 2), weights=w_n)[0]
    out = []
    for _ in range(n):
        step = int(r.uniform(0.15, 0.8) * steps)
        # a profile may list a sixth weight for "surge"; a trailing zero weight leaves the draws of
        # the five-kind profiles exactly as they were
        weights = tuple(w_kind) + (0.0,) * (len(EVENT_KINDS) - len(w_kind))
        kind = r.choices(EVENT_KINDS, weights=weights)[0]
        if kind == "surge":                            # both players far too fast: finite blow-ups
            f = _log_uniform(r, 100, 1000)
            out.append(Event(step, "lr", f, f))
        elif kind == "lr":
            if r.random() < 0.4:                       # both players faster: oscillation territory
                f = _log_uniform(r, 5, 50)
                out.append(Event(step, "lr", f, f))
            else:
                out.append(Event(step, "lr", _log_uniform(r, 1 / 50, 50), _log_uniform(r, 1 / 50, 50)))
        elif kind == "beta1":
            out.append(Event(step, "beta1", 0.9, 0.9))
        else:
            out.append(Event(step, kind))
    return tuple(sorted(out, key=lambda e: e.step))


EVENT_KINDS = ("lr", "freeze_g", "freeze_d", "beta1", "nan", "surge")

PROFILES = {
    # the main search: every knob from its full range
    "uniform": {"n_events": (0.35, 0.5, 0.15), "kinds": (0.45, 0.17, 0.13, 0.1, 0.15), "weak_d": 0.0},
    # a second search over the same ranges that draws more often what the rarer labels need
    # (frozen players: stagnation; a slow or small D: g_dominant), drawn with its own seed
    "rare": {"n_events": (0.1, 0.6, 0.3), "kinds": (0.3, 0.3, 0.3, 0.05, 0.05), "weak_d": 0.5},
    # a third, drawn after the first two left g_dominant at 3.6 % of the steps: only the loops whose
    # D outputs probabilities (g_dominant is defined on them) and a slow D more often still
    "rare_g": {"n_events": (0.2, 0.6, 0.2), "kinds": (0.3, 0.35, 0.35, 0.0, 0.0), "weak_d": 0.8,
               "loops": ("trainer", "dcgan", "pacgan"), "losses": ("nsgan", "minimax", "lsgan")},
    # a fourth, after the third still left g_dominant at 4.7 %: one frozen D per run (the event that
    # produced most g_dominant steps in the first three), probability loops only
    "frozen_d": {"n_events": (0.0, 1.0, 0.0), "kinds": (0.0, 0.0, 1.0, 0.0, 0.0), "weak_d": 0.8,
                 "loops": ("trainer", "dcgan", "pacgan"), "losses": ("nsgan", "minimax", "lsgan")},
    # a fifth, for the learned diagnosis: long runs (2,000-5,000 steps) on the fast datasets, so
    # that regimes last longer than the widest feature window, with learning-rate surges of 100-1,000x
    # (divergence with finite, exploding losses rather than an injected NaN)
    "long": {"n_events": (0.15, 0.5, 0.35), "kinds": (0.35, 0.12, 0.12, 0.06, 0.03, 0.32), "weak_d": 0.0,
             "datasets": ("ring8", "grid25", "digits8"), "steps": (2000, 5000)},
    # a sixth: long MNIST runs (1,500-3,000 steps; the other searches stop MNIST at 300-800 steps,
    # while practitioners' MNIST runs last thousands), every loop that supports images
    "long_mnist": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.45, 0.12, 0.12, 0.06, 0.05, 0.2), "weak_d": 0.0,
                   "loops": ("trainer", "dcgan", "pacgan", "critic"), "datasets": ("mnist",), "steps": (1500, 3000)},
    # a seventh: the fifth, Keras-style loop (written after the first four, so that leaving one loop
    # out trains on four), every knob from the uniform ranges, surges included, a slow D sometimes
    "keras": {"n_events": (0.35, 0.45, 0.2), "kinds": (0.4, 0.15, 0.15, 0.08, 0.07, 0.15), "weak_d": 0.2,
              "loops": ("keras",)},
    # an eighth: the sixth loop (StyleGAN2-ADA's conventions: G first, lazy R1, G_ema measured)
    "r1": {"n_events": (0.35, 0.45, 0.2), "kinds": (0.4, 0.15, 0.15, 0.08, 0.07, 0.15), "weak_d": 0.2,
           "loops": ("r1",)},
    # a ninth and a tenth: the seventh loop (the TensorFlow 2 tutorial's simultaneous updates) and the
    # eighth (SNGAN: conv nets, spectral norm everywhere in D, n_critic 5 most often, linear lr decay)
    "tfsim": {"n_events": (0.35, 0.45, 0.2), "kinds": (0.4, 0.15, 0.15, 0.08, 0.07, 0.15), "weak_d": 0.2,
              "loops": ("tfsim",)},
    "sngan": {"n_events": (0.35, 0.45, 0.2), "kinds": (0.4, 0.15, 0.15, 0.08, 0.07, 0.15), "weak_d": 0.2,
              "loops": ("sngan",)},
    # an eleventh, after the four newest loops brought no stagnation (their generators use batch norm,
    # whose running statistics keep changing G's eval-mode samples with a learning rate of 0): one
    # frozen G per run in loops whose generators have no batch norm
    "frozen_g": {"n_events": (0.0, 1.0, 0.0), "kinds": (0.0, 1.0, 0.0, 0.0, 0.0), "weak_d": 0.0,
                 "loops": ("r1", "critic", "pacgan")},
    # a twelfth, after the SNGAN loop brought almost no g_dominant (0.3 % of its steps) and would have
    # left it under 5 %: one frozen D per run, as the fourth search, in the two newest probability loops
    "frozen_d_new": {"n_events": (0.0, 1.0, 0.0), "kinds": (0.0, 0.0, 1.0, 0.0, 0.0), "weak_d": 0.8,
                     "loops": ("keras", "tfsim"), "losses": ("nsgan",)},
    # a thirteenth: the ninth loop (the "PyTorch-GAN" scripts: G first, mean D loss, WGAN-GP with G every
    # n_critic-th batch); a frozen player a little more often (stagnation and g_dominant are the labels the
    # held-out scores were weakest on)
    "pytorchgan": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
                   "loops": ("pytorchgan",)},
    # a fourteenth: the tenth loop (the original GAN paper: SGD with momentum, maxout D with dropout)
    "goodfellow": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
                   "loops": ("goodfellow",)},
    # a fifteenth: the eleventh loop (the original WGAN: weight clipping, RMSprop, 100 critic steps early
    # and every 500th G step)
    "wganclip": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
                 "loops": ("wganclip",)},
    # a sixteenth, after the critic-only eleventh loop (no g_dominant: it needs a probability) left
    # g_dominant at 4.7 %: one frozen D per run, as the fourth and twelfth, in loops 9 and 10
    "frozen_d_910": {"n_events": (0.0, 1.0, 0.0), "kinds": (0.0, 0.0, 1.0, 0.0, 0.0), "weak_d": 0.8,
                     "loops": ("pytorchgan", "goodfellow"), "losses": ("nsgan", "minimax")},
    # a seventeenth, not in the committed corpus: runs as long as practitioners' (8,000-20,000 steps;
    # the corpus stops at 5,000) on the 2-D datasets, every loop, to check the shipped model on long
    # logs it was never fitted on (scripts/eval_long_runs.py)
    "very_long": {"n_events": (0.35, 0.45, 0.2), "kinds": (0.4, 0.15, 0.15, 0.08, 0.07, 0.15), "weak_d": 0.2,
                  "loops": ("trainer", "dcgan", "pacgan", "critic", "keras", "r1", "tfsim", "sngan", "pytorchgan",
                            "goodfellow", "wganclip"),
                  "datasets": ("ring8", "grid25"), "steps": (8000, 20000)},
    # an eighteenth: the twelfth loop (carpedm20's DCGAN-tensorflow: G twice per iteration, losses printed
    # after the updates), written after the model of loops 1-11 shipped, the same knobs as the fifteenth
    "dcgantf": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
                "loops": ("dcgantf",)},
    # a nineteenth: the thirteenth loop (the ganhacks tips: soft and flipped labels, instance noise, SGD for D),
    # written after the model of loops 1-11 shipped, the same knobs
    "ganhacks": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
                 "loops": ("ganhacks",)},
    # a twentieth: the fourteenth loop (DRAGAN: a gradient penalty near the real data, inside the logged D loss),
    # written after the refit on loops 1-13 was started, the same knobs
    "dragan": {"n_events": (0.3, 0.5, 0.2), "kinds": (0.35, 0.2, 0.2, 0.06, 0.07, 0.12), "weak_d": 0.2,
               "loops": ("dragan",)},
}


def draw_spec(r: random.Random, index: int, profile: str = "uniform") -> RunSpec:
    prof = PROFILES[profile]
    loop = r.choice(prof["loops"]) if "loops" in prof else r.choices(LOOPS, weights=(0.25, 0.25, 0.25, 0.25))[0]
    if "datasets" in prof:
        if loop == "trainer":          # the trainer's two datasets (no draw: earlier specs stay as drawn)
            dataset = "mnist" if prof["datasets"] == ("mnist",) else "ring8"
        else:
            dataset = r.choice(prof["datasets"])
    elif loop == "trainer":
        dataset = r.choices(("ring8", "mnist"), weights=(0.93, 0.07))[0]
    else:
        dataset = r.choices(("ring8", "grid25", "digits8", "mnist"), weights=(0.28, 0.28, 0.28, 0.16))[0]
    loss = r.choice([x for x in LOSSES_BY_LOOP[loop] if x in prof.get("losses", LOSSES_BY_LOOP[loop])])
    image = dataset in ("mnist", "digits8")
    if "steps" in prof:
        steps = int(_log_uniform(r, *prof["steps"]))
    elif dataset == "mnist":
        steps = int(_log_uniform(r, 300, 800 if loop != "trainer" else 500))
    elif dataset == "digits8":
        steps = int(_log_uniform(r, 400, 1000))
    else:
        steps = 5000 if r.random() < 0.05 else int(_log_uniform(r, 400, 1500))
    base = _log_uniform(r, 5e-5, 2e-3)
    ratio = _log_uniform(r, 1 / 3, 3) if r.random() < 0.5 else _log_uniform(r, 1 / 50, 50)
    if PROFILES[profile]["weak_d"] and r.random() < PROFILES[profile]["weak_d"]:
        ratio = _log_uniform(r, 1 / 50, 1)
    lr_d, lr_g = base * math.sqrt(ratio), base / math.sqrt(ratio)
    widths = (64, 128, 256, 512) if image else (32, 64, 128, 256)
    n_critic = r.choices((1, 2, 5), weights=(0.2, 0.2, 0.6))[0] if loop in ("critic", "sngan", "pytorchgan", "wganclip") else r.choices((1, 2), weights=(0.85, 0.15))[0]
    if loop == "pytorchgan" and loss != "wgan-gp":
        n_critic = 1                   # the scripts' nsgan / LSGAN update both players every batch
    return RunSpec(
        run_id=f"r{index:04d}_{loop}_{dataset}_{loss}",
        loop=loop, dataset=dataset, loss=loss, steps=steps,
        batch_size=r.choice((16, 32, 64, 128, 256)) if not (dataset == "mnist" and loop == "trainer") else r.choice((32, 64)),
        lr_d=lr_d, lr_g=lr_g,
        beta1=r.choice((0.0, 0.5, 0.5, 0.9)), beta2=r.choice((0.9, 0.999)),
        optimizer=("rmsprop" if (loop == "critic" and r.random() < 0.4) or loop == "wganclip" else "adam"),
        n_critic=n_critic,
        g_width=r.choice(widths), d_width=r.choice(widths),
        latent_dim=(r.choice((16, 32, 64)) if image else r.choice((2, 8, 16))),
        label_smoothing=(r.uniform(0.1, 0.3) if loss in ("nsgan", "minimax") and r.random() < 0.25 else 0.0),
        d_design=(r.choice(("pac2", "spectral", "dropout", "minibatch")) if loop == "pacgan" else "plain"),
        check_every=50,
        seed=r.randrange(1_000_000),
        events=_events(r, steps, profile),
    )


def draw_specs(n: int, seed: int = 0, profile: str = "uniform", start: int = 0) -> list[RunSpec]:
    """``n`` specs from the random search ``profile`` (see PROFILES), numbered from ``start``."""
    r = random.Random(seed)
    return [draw_spec(r, start + i, profile) for i in range(n)]
