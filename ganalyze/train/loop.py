"""The training loop: ``train(config, run_dir, on_interval=None)``.

One iteration (= one logged row, ``step`` 0-based) is ``d_steps`` discriminator updates followed by
``g_steps`` generator updates. As in [practitioner-loss-curves] and [dcgan-tutorial], the first G update reuses the
fake batch of the last D update (``d_g_z1`` = D(G(z)) before the D update, ``d_g_z2`` = D(G(z)) on the
same z after it); further G updates draw fresh noise. Logged values of an iteration come from its last
D / G update. Every value is logged as a 0-d tensor (no ``.item()`` in the step); the only host syncs
are the labelled progress-bar update every ``progress_every`` steps and the interval work
(signals, callbacks, checkpoints, samples).
"""
from __future__ import annotations

import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.train import ddp, losses
from ganalyze.train.checkpoint import save_checkpoint
from ganalyze.train.config import TrainConfig, default_threads
from ganalyze.train.data import IndexBatches, load_dataset
from ganalyze.train.device import resolve_device
from ganalyze.train.models import arch_spec, build_discriminator, build_generator, dcgan_weights_init

QUANTILES = (0.05, 0.5, 0.95)


@dataclass(frozen=True)
class TrainResult:
    run_dir: Path
    steps: int
    data_source: str
    device: str
    seconds: float
    it_per_s: float


def _grad_norm(params: list[torch.Tensor]) -> torch.Tensor:
    return torch.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None])


def _signals(loss: str, real: torch.Tensor, fake: torch.Tensor, d_real: torch.Tensor, d_fake: torch.Tensor) -> dict:
    """div_pdist_ratio and D-output quantiles on the current batches (no extra forward passes)."""
    with torch.no_grad():
        ratio = torch.pdist(fake.detach().flatten(1).float()).mean() / torch.pdist(real.flatten(1).float()).mean()
        q = torch.tensor(QUANTILES, device=d_real.device)
        qr = torch.quantile(losses.scores(loss, d_real.detach().float()), q)
        qf = torch.quantile(losses.scores(loss, d_fake.detach().float()), q)
    out = {"div_pdist_ratio": ratio}
    for i, name in enumerate(("q05", "q50", "q95")):
        out[f"d_real_{name}"] = qr[i]
        out[f"d_fake_{name}"] = qf[i]
    return out


def _save_samples(path: Path, gen: nn.Module, fixed_noise: torch.Tensor, dataset: str) -> None:
    from torchvision.utils import make_grid, save_image

    path.parent.mkdir(parents=True, exist_ok=True)
    was = gen.training
    gen.eval()
    with torch.no_grad():
        out = gen(fixed_noise).float().cpu()
    gen.train(was)
    if dataset == "ring8":
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        from ganalyze.train.data import ring8_centres

        fig, ax = plt.subplots(figsize=(4, 4))
        c = ring8_centres()
        ax.scatter(out[:, 0], out[:, 1], s=3, alpha=0.5, label="generated")
        ax.scatter(c[:, 0], c[:, 1], marker="x", color="red", label="mode centres")
        ax.set(xlim=(-3, 3), ylim=(-3, 3), aspect="equal", title=path.stem)
        ax.legend(loc="upper right", fontsize=7)
        fig.savefig(path, dpi=80)
        plt.close(fig)
        return
    save_image(make_grid(out, nrow=8, normalize=True, value_range=(-1, 1)), path)


def _checkpoint(folder: Path, gen, disc, spec, config: TrainConfig, step: int) -> None:
    cfg = config.to_dict()
    for name, net, role in (("gen.pth", gen, "generator"), ("disc.pth", disc, "discriminator")):
        save_checkpoint(folder / name, net, role=role, arch=spec, loss=config.loss, step=step, config=cfg,
                        storage_dtype=config.storage_dtype)


def train(config: TrainConfig, run_dir, on_interval=None, on_step=None) -> TrainResult:
    """Train per ``config`` into ``run_dir`` (a new folder); returns a :class:`TrainResult`.

    ``on_step(step, gen, disc, opt_d, opt_g)`` is called before every iteration: experiments use it
    to change the regime mid-run (learning-rate switches, freezing a player; see ganalyze.corpus).

    ``on_interval(step, gen, disc) -> dict | None`` is called every ``config.eval_every`` steps and
    after the last step, with both networks in eval mode (restored to train mode afterwards); its
    values are logged as extra columns of that step's row (ground truth, prefix them ``gt_``).
    Torch's CPU thread count is ``config.threads`` (None: :func:`default_threads`) while training,
    restored afterwards.
    """
    if not isinstance(config, TrainConfig):
        raise GanalyzeError(f"config: got {type(config).__name__}; allowed: a ganalyze.train.TrainConfig")
    previous = torch.get_num_threads()
    torch.set_num_threads(config.threads or default_threads())
    try:
        return _train(config, run_dir, on_interval, on_step)
    finally:
        torch.set_num_threads(previous)


def _train(config: TrainConfig, run_dir, on_interval, on_step) -> TrainResult:
    from tqdm.auto import tqdm

    run_dir = Path(run_dir)
    if (run_dir / "run.parquet").exists() or (run_dir / "run.parquet.parts").exists():
        raise GanalyzeError(f"run_dir: {str(run_dir)!r} already holds a run; allowed: a new directory")
    par = ddp.setup(config.device, resolve_device)      # DDP under torchrun; else a no-op (ddp.py)
    device = par.device
    torch.manual_seed(config.seed)                      # weight init only; batches/noise use `rng`
    rng = torch.Generator(device=device).manual_seed(config.seed + par.seed_offset)

    dataset = load_dataset(config, device)
    print(f"data: {dataset.source}", file=sys.stderr)
    sample_shape = list(dataset.data.shape[1:])
    spec = arch_spec(config.arch, latent_dim=config.latent_dim, img_shape=sample_shape)
    gen = build_generator(spec).to(device)
    disc = build_discriminator(spec).to(device)
    if config.dcgan_init if config.dcgan_init is not None else config.arch.startswith("dcgan"):
        gen.apply(dcgan_weights_init)
        disc.apply(dcgan_weights_init)
    # ---- DDP: train the wrapped nets; checkpoints, samples and callbacks use the bare ones ----
    gen_net, disc_net = gen, disc
    gen, disc = par.wrap(gen), par.wrap(disc)
    fused = device.type in ("cpu", "cuda")          # one fused kernel per Adam step instead of a loop per tensor
    opt_d = torch.optim.Adam(disc.parameters(), lr=config.lr_d, betas=(config.beta1, config.beta2), fused=fused)
    opt_g = torch.optim.Adam(gen.parameters(), lr=config.lr_g, betas=(config.beta1, config.beta2), fused=fused)
    # Without BatchNorm, D(real) and D(fake) in one forward of the concatenated batch is the same
    # maths with bigger matrix products; with BatchNorm it would mix the batch statistics.
    joint_d = not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in disc.modules())
    params_d, params_g = list(disc.parameters()), list(gen.parameters())
    clip = config.grad_clip

    batches = IndexBatches(dataset.data, config.batch_size, rng)
    steps = config.steps
    if config.epochs is not None:
        steps = max(1, math.ceil(config.epochs * batches.per_epoch / config.d_steps))
    latent = spec["latent_dim"]
    n_fixed = 1000 if config.dataset == "ring8" else 64
    fixed_noise = torch.randn(n_fixed, latent, generator=torch.Generator(device=device).manual_seed(config.seed + 1),
                              device=device)

    run_dir.mkdir(parents=True, exist_ok=True)
    if par.is_main:
        (run_dir / "config.json").write_text(json.dumps({**config.to_dict(), "arch_spec": spec}, indent=2))
    meta = {
        "loss": config.loss,
        "d_loss_reduction": "sum",
        "scores": losses.SCORES[config.loss],
        "arch": config.arch,
        "dataset": config.dataset,
        "data_source": dataset.source,
        "hparams": {**config.to_dict(), "steps_resolved": steps},
        "seed": config.seed,
        "device": str(device),
    }
    bar = tqdm(total=steps, disable=not (config.progress and par.is_main), file=sys.stderr, desc="train", unit="it", mininterval=0.5)
    t0 = time.perf_counter()
    with par.logger(run_dir, meta) as log:
        for step in range(steps):
            if on_step is not None:
                on_step(step, gen, disc, opt_d, opt_g)
            # ---- discriminator ------------------------------------------------------------
            for _ in range(config.d_steps):
                real = batches.next()
                z = torch.randn(real.shape[0], latent, generator=rng, device=device)
                fake = gen(z)
                if joint_d:
                    d_real, d_fake1 = disc(torch.cat([real, fake.detach()])).split([real.shape[0], fake.shape[0]])
                else:
                    d_real = disc(real)
                    d_fake1 = disc(fake.detach())
                d_loss_real, d_loss_fake = losses.d_loss_terms(config.loss, d_real, d_fake1, config.label_smoothing)
                d_total = d_loss_real + d_loss_fake
                if config.loss == "wgan-gp":
                    gp = losses.gradient_penalty(disc, real, fake.detach(), generator=rng)
                    d_total = d_total + config.gp_weight * gp
                opt_d.zero_grad(set_to_none=True)
                d_total.backward()
                grad_norm_d = _grad_norm(params_d)
                if clip is not None:
                    torch.nn.utils.clip_grads_with_norm_(params_d, clip, grad_norm_d)
                opt_d.step()
            # ---- generator ----------------------------------------------------------------
            for k in range(config.g_steps):
                if k > 0:
                    fake = gen(torch.randn(config.batch_size, latent, generator=rng, device=device))
                d_fake2 = disc(fake)
                g_loss = losses.g_loss(config.loss, d_fake2)
                opt_g.zero_grad(set_to_none=True)
                g_loss.backward()
                grad_norm_g = _grad_norm(params_g)
                if clip is not None:
                    torch.nn.utils.clip_grads_with_norm_(params_g, clip, grad_norm_g)
                opt_g.step()

            row = {
                "epoch": batches.epoch,
                "d_loss": (d_loss_real + d_loss_fake).detach(),
                "d_loss_real": d_loss_real.detach(),
                "d_loss_fake": d_loss_fake.detach(),
                "g_loss": g_loss.detach(),
                "d_x": losses.scores(config.loss, d_real.detach()).mean(),
                "d_g_z1": losses.scores(config.loss, d_fake1.detach()).mean(),
                "d_g_z2": losses.scores(config.loss, d_fake2.detach()).mean(),
                "grad_norm_d": grad_norm_d,
                "grad_norm_g": grad_norm_g,
                "lr_d": opt_d.param_groups[0]["lr"],   # python floats: no device sync
                "lr_g": opt_g.param_groups[0]["lr"],
            }
            if config.loss == "wgan-gp":
                row["gradient_penalty"] = gp.detach()
            last = step == steps - 1
            if step % config.signal_every == 0 or last:
                row.update(_signals(config.loss, real, fake, d_real, d_fake1))
            if on_interval is not None and (step % config.eval_every == 0 or last):
                gen.eval(), disc.eval()
                try:
                    extra = on_interval(step, gen_net, disc_net) or {}
                finally:
                    gen.train(), disc.train()
                row.update({k: v for k, v in extra.items()})
            log.log(step, **par.reduce(row))

            if par.is_main and config.checkpoint_every and step > 0 and step % config.checkpoint_every == 0 and not last:
                _checkpoint(run_dir / "checkpoints" / f"step_{step:06d}", gen_net, disc_net, spec, config, step)
            if par.is_main and config.sample_every and step % config.sample_every == 0 and not last:
                _save_samples(run_dir / "samples" / f"step_{step:06d}.png", gen_net, fixed_noise, config.dataset)
            if (step + 1) % config.progress_every == 0 or last:
                # host sync (progress bar): one transfer per progress_every steps
                shown = torch.stack([torch.as_tensor(row[k], dtype=torch.float32, device=device)
                                     for k in ("d_loss", "g_loss", "d_x")]).tolist()
                bar.set_postfix(d_loss=f"{shown[0]:.3f}", g_loss=f"{shown[1]:.3f}", d_x=f"{shown[2]:.2f}",
                                refresh=False)
                bar.update((step + 1) - bar.n)
        if par.is_main:
            _save_samples(run_dir / "samples" / f"step_{steps - 1:06d}.png", gen_net, fixed_noise, config.dataset)
            _checkpoint(run_dir, gen_net, disc_net, spec, config, steps - 1)   # the last step's checkpoint is gen.pth/disc.pth
    bar.close()
    par.close()
    seconds = time.perf_counter() - t0
    return TrainResult(run_dir, steps, dataset.source, str(device), seconds, steps / seconds)
