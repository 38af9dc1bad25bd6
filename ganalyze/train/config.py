"""``TrainConfig``: every knob of the reference trainer; the CLI takes its defaults from here."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES

DATASETS = ("mnist", "ring8")
ARCHS = ("mlp", "dcgan28", "dcgan64", "mlp2d")


def default_threads() -> int:
    """Torch CPU threads for training when none are given: half the cores this process may run on
    (``os.sched_getaffinity``), at least 1, at most 8. The trainer's networks are small: on a busy
    2-core machine torch's default (all cores) ran at 1.3 s/iteration against ~28 it/s with one
    thread, because its threads wait for each other while other processes hold the cores."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:                 # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores // 2))


@dataclass(frozen=True)
class TrainConfig:
    """One training run. Units: learning rates per Adam step; ``steps`` counts iterations, one
    iteration = ``d_steps`` discriminator updates then ``g_steps`` generator updates (one logged row).

    ``label_smoothing`` s is one-sided (Salimans et al. 2016): D's real target is 1 - s; BCE losses only.
    ``grad_clip``: max global L2 norm per network (None = no clipping); logged norms are before clipping.
    ``dcgan_init``: N(0, 0.02) conv / N(1, 0.02) BatchNorm init ([dcgan-paper], [dcgan-tutorial]); None = on for dcgan archs.
    ``signal_every``: steps between div_pdist_ratio / D-output quantile rows (NaN elsewhere).
    ``storage_dtype``: float16 halves checkpoint files (weights cast back to float32 on load).
    """

    arch: str = "mlp"
    dataset: str = "mnist"
    loss: str = "nsgan"
    steps: int = 2000
    epochs: float | None = None          # if set, overrides steps: epochs over the training set
    batch_size: int = 64
    lr_d: float = 2e-4
    lr_g: float = 2e-4
    beta1: float = 0.5
    beta2: float = 0.999
    d_steps: int = 1
    g_steps: int = 1
    label_smoothing: float = 0.0
    grad_clip: float | None = None
    gp_weight: float = 10.0              # wgan-gp gradient-penalty weight (lambda)
    latent_dim: int | None = None        # None: the arch default (100; 16 for mlp2d)
    dcgan_init: bool | None = None
    seed: int = 0
    device: str = "auto"                 # auto = cuda if available else cpu
    signal_every: int = 50
    eval_every: int = 100
    checkpoint_every: int = 500          # 0 = only the final gen.pth/disc.pth
    sample_every: int = 500              # 0 = only the final grid
    progress_every: int = 50             # steps between progress-bar updates (one host sync each)
    progress: bool = True
    storage_dtype: str = "float32"
    mnist_root: str | None = None        # torchvision-format MNIST folder (e.g. ./data with MNIST/raw)
    mnist_download: bool = False         # ask torchvision to download into mnist_root (needs internet)
    ring8_points: int = 10000
    threads: int | None = None           # torch CPU threads while training; None: default_threads()

    def __post_init__(self):
        def bad(name, allowed):
            raise GanalyzeError(f"{name}: got {getattr(self, name)!r}; allowed: {allowed}")

        if self.arch not in ARCHS:
            bad("arch", " | ".join(ARCHS))
        if self.dataset not in DATASETS:
            bad("dataset", " | ".join(DATASETS))
        if self.loss not in LOSSES:
            bad("loss", " | ".join(LOSSES))
        if (self.dataset == "ring8") != (self.arch == "mlp2d"):
            raise GanalyzeError(f"arch: got {self.arch!r} with dataset {self.dataset!r}; "
                                "allowed: mlp2d for ring8, mlp/dcgan28/dcgan64 for mnist")
        for name in ("steps", "batch_size", "d_steps", "g_steps", "signal_every", "eval_every", "progress_every"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                bad(name, "an integer >= 1")
        for name in ("checkpoint_every", "sample_every"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 0):
                bad(name, "an integer >= 0 (0 = only at the end)")
        for name in ("lr_d", "lr_g"):
            if not getattr(self, name) > 0:
                bad(name, "a number > 0")
        if not (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1):
            raise GanalyzeError(f"betas: got ({self.beta1}, {self.beta2}); allowed: each in [0, 1)")
        if not 0 <= self.label_smoothing < 0.5:
            bad("label_smoothing", "a number in [0, 0.5)")
        if self.grad_clip is not None and not self.grad_clip > 0:
            bad("grad_clip", "a number > 0 or None")
        if self.epochs is not None and not self.epochs > 0:
            bad("epochs", "a number > 0 or None")
        if self.storage_dtype not in ("float32", "float16", "bfloat16"):
            bad("storage_dtype", "float32 | float16 | bfloat16")
        if self.threads is not None and not (isinstance(self.threads, int) and self.threads >= 1):
            bad("threads", "an integer >= 1 or None")
        if self.batch_size < 2:
            bad("batch_size", "an integer >= 2")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)
