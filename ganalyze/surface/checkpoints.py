"""Reading untrusted checkpoints for the surface: ganalyze checkpoints or plain state dicts.

Files are loaded with ``torch.load(..., weights_only=True)`` (no code in a pickle runs) and
hashed (sha256 of the file bytes, for the output JSON). A ganalyze checkpoint (see
docs/ARCHITECTURE.md) describes its own architecture; a plain ``state_dict`` from other code
needs ``arch`` (``--arch``). Shapes are checked layer by layer before loading, so a mismatch
is one line naming the first mismatching layer and both shapes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.train.checkpoint import ROLES, check_state_dict, first_line, load_weights_only
from ganalyze.validate import validate_arch, validate_checkpoint_fields


@dataclass(frozen=True)
class Checkpoint:
    """One loaded checkpoint file (not yet a network)."""

    path: str
    sha256: str
    role: str | None  # None for plain state dicts
    arch: dict | None
    loss: str | None
    step: int | None
    state_dict: dict = field(repr=False)
    config: dict = field(default_factory=dict, repr=False)

    @property
    def plain(self) -> bool:
        return self.arch is None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_checkpoint(path: str | Path, param: str, role: str) -> Checkpoint:
    """Load ``path`` safely; ``param`` names the CLI argument in error messages."""
    p = Path(path)
    obj = load_weights_only(p, param)
    digest = _sha256(p)
    if isinstance(obj, dict) and obj.get("format") == "ganalyze-checkpoint":
        got_role = obj.get("role")
        if got_role not in ROLES:
            raise GanalyzeError(f"{param}: {str(path)!r} has role {got_role!r}; allowed: {', '.join(ROLES)}")
        if got_role != role:
            raise GanalyzeError(f"{param}: {str(path)!r} is a {got_role} checkpoint; expected a {role} here")
        sd = obj.get("state_dict")
        if not isinstance(sd, dict) or not sd:
            raise GanalyzeError(f"{param}: {str(path)!r} has no state_dict; it is not a complete ganalyze checkpoint")
        arch = obj.get("arch")
        if not isinstance(arch, dict) or "name" not in arch:
            raise GanalyzeError(f"{param}: {str(path)!r} has no arch description; pass --arch")
        validate_checkpoint_fields(obj, f"{param} {str(path)!r}")
        return Checkpoint(str(path), digest, role, dict(arch), obj.get("loss"), obj.get("step"), sd, obj.get("config") or {})
    if isinstance(obj, dict) and obj and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in obj.items()):
        sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in obj.items()}  # DataParallel prefix
        return Checkpoint(str(path), digest, None, None, None, None, sd)
    raise GanalyzeError(
        f"{param}: {str(path)!r} holds a {type(obj).__name__}, not a ganalyze checkpoint or a state dict of tensors"
    )


def build_network(ckpt: Checkpoint, role: str, param: str, arch: str | None = None) -> nn.Module:
    """Rebuild the network for ``ckpt`` (``arch`` overrides/provides the architecture name), eval mode."""
    from ganalyze.train.models import build_discriminator, build_generator

    if ckpt.arch is None and arch is None:
        raise GanalyzeError(
            f"arch: {ckpt.path!r} is a plain state dict without an architecture; name it (e.g. mlp, dcgan28, dcgan64, mlp2d)"
        )
    spec = dict(ckpt.arch or {})
    if arch is not None:
        spec["name"] = arch
    validate_arch(spec, f"{param} arch")   # sizes checked before anything is allocated
    build = build_generator if role == "generator" else build_discriminator
    try:
        net = build(spec)
    except GanalyzeError:
        raise
    except (KeyError, ValueError, TypeError) as err:
        raise GanalyzeError(f"arch: cannot build a {role} from {spec!r} ({first_line(err)})") from None
    what = f"{spec.get('name')} {role}"
    check_state_dict(net, ckpt.state_dict, param, what)
    net.load_state_dict(ckpt.state_dict)
    return net.eval()
