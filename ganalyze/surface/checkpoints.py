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
from ganalyze.validate import regular_file, validate_arch, validate_checkpoint_fields

ROLES = ("generator", "discriminator")


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


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]


def read_checkpoint(path: str | Path, param: str, role: str) -> Checkpoint:
    """Load ``path`` safely; ``param`` names the CLI argument in error messages."""
    p = regular_file(path, param, "a generator/discriminator checkpoint file (.pth)")
    if p.stat().st_size == 0:
        raise GanalyzeError(f"{param}: {str(path)!r} is empty; pass a checkpoint written by torch.save")
    try:
        obj = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - any failure of an untrusted file is a user error
        raise GanalyzeError(
            f"{param}: {str(path)!r} refused by torch.load(weights_only=True) ({type(err).__name__}: {_first_line(err)}); "
            "only tensors and plain containers are accepted"
        ) from None
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


def check_state_dict(net: nn.Module, state_dict: dict, param: str, what: str) -> None:
    """Raise one line naming the first layer whose name or shape does not match ``net``."""
    expected = net.state_dict()
    for name, t in expected.items():
        if name not in state_dict:
            raise GanalyzeError(f"{param}: checkpoint has no entry {name!r} that the {what} needs (wrong --arch?)")
        got = state_dict[name]
        if tuple(got.shape) != tuple(t.shape):
            raise GanalyzeError(
                f"{param}: layer {name!r} has shape {tuple(got.shape)} in the checkpoint but {tuple(t.shape)} in the {what}"
            )
        if t.is_floating_point() and not got.is_floating_point():
            raise GanalyzeError(f"{param}: layer {name!r} has dtype {got.dtype} in the checkpoint; expected a float tensor")
    extra = [k for k in state_dict if k not in expected]
    if extra:
        raise GanalyzeError(f"{param}: checkpoint has entry {extra[0]!r} that the {what} does not (wrong --arch?)")
    for name, t in state_dict.items():
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise GanalyzeError(f"{param}: layer {name!r} holds NaN or inf; the checkpoint is from a diverged run")


def build_network(ckpt: Checkpoint, role: str, param: str, arch: str | None = None) -> nn.Module:
    """Rebuild the network for ``ckpt`` (``arch`` overrides/provides the architecture name), eval mode."""
    from ganalyze.train.models import build_discriminator, build_generator

    if ckpt.arch is None and arch is None:
        raise GanalyzeError(
            f"--arch: {ckpt.path!r} is a plain state dict without an architecture; name it with --arch (e.g. mlp, dcgan28, dcgan64, mlp2d)"
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
        raise GanalyzeError(f"--arch: cannot build a {role} from {spec!r} ({_first_line(err)})") from None
    what = f"{spec.get('name')} {role}"
    check_state_dict(net, ckpt.state_dict, param, what)
    net.load_state_dict(ckpt.state_dict)
    return net.eval()
