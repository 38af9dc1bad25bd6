"""Load a generator checkpoint and draw samples from it (noise from a seeded torch.Generator)."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.train.device import resolve_device


def load_generator(path: str | Path, device: str | torch.device = "cpu") -> tuple[nn.Module, dict]:
    """Rebuild a generator from a ganalyze checkpoint (weights_only=True); returns
    (module in eval mode on ``device``, checkpoint dict without the state_dict)."""
    from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint

    device = resolve_device(device)
    ckpt = load_checkpoint(str(path))
    if ckpt.get("role") != "generator":
        raise GanalyzeError(f"checkpoint: {str(path)!r} has role {ckpt.get('role')!r}; "
                            "expected a generator checkpoint (gen.pth)")
    net = build_from_checkpoint(ckpt).to(device).eval().requires_grad_(False)
    meta = {k: v for k, v in ckpt.items() if k != "state_dict"}
    return net, meta


def latent_dim_of(meta: dict) -> int:
    """The generator's noise size from the checkpoint's ``arch`` (default 100)."""
    return int((meta.get("arch") or {}).get("latent_dim", 100))


@torch.inference_mode()
def sample(generator: nn.Module, n: int, latent_dim: int, seed: int = 0,
           device: str | torch.device = "cpu", batch_size: int = 5000) -> torch.Tensor:
    """``n`` generator outputs for standard-normal noise drawn with ``torch.Generator``
    seeded by ``seed`` on ``device``; returned on the CPU as float32."""
    if n < 1:
        raise GanalyzeError(f"n: got {n}; the number of samples must be at least 1")
    gen = torch.Generator(device=device).manual_seed(int(seed))
    noise = torch.randn(n, latent_dim, generator=gen, device=device)
    return torch.cat([generator(z).float().cpu() for z in noise.split(batch_size)])
