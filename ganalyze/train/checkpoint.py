"""Self-describing checkpoints (docs/ARCHITECTURE.md): a dict of plain types that loads with
``torch.load(..., weights_only=True)``, so an untrusted file can never run code.

``save_checkpoint`` writes atomically (temporary file in the same folder, then ``os.replace``),
so a reader never sees half a checkpoint. ``storage_dtype="float16"`` halves the file: floating
tensors are stored in half precision and cast back to float32 by ``load_checkpoint``; the cast
loses ~3 decimal digits per weight (fine for sampling and surfaces, not for resuming training
bit-exactly). Such files carry ``"storage_dtype": "float16"``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch
from torch import nn

from ganalyze.errors import GanalyzeError
from ganalyze.validate import regular_file, validate_checkpoint_fields

FORMAT = "ganalyze-checkpoint"
FORMAT_VERSION = 1
ROLES = ("generator", "discriminator")
STORAGE_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def save_checkpoint(path: str | Path, net: nn.Module, *, role: str, arch: dict, loss: str,
                    step: int, config: dict | None = None, storage_dtype: str = "float32") -> Path:
    """Write ``net``'s weights plus what is needed to rebuild it to ``path`` (atomic); returns the path."""
    if role not in ROLES:
        raise GanalyzeError(f"role: got {role!r}; expected one of {', '.join(ROLES)}")
    if storage_dtype not in STORAGE_DTYPES:
        raise GanalyzeError(f"storage_dtype: got {storage_dtype!r}; expected one of {', '.join(STORAGE_DTYPES)}")
    dtype = STORAGE_DTYPES[storage_dtype]
    state = {k: (v.detach().to("cpu", dtype) if v.is_floating_point() else v.detach().cpu()).clone()
             for k, v in net.state_dict().items()}
    ckpt = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "role": role,
        "arch": dict(arch),
        "loss": str(loss),
        "step": int(step),
        "config": dict(config or {}),
        "storage_dtype": storage_dtype,
        "state_dict": state,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            torch.save(ckpt, fh)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def first_line(err: BaseException) -> str:
    """The first line of an exception's message (its type name when empty), at most 200 characters."""
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]


def load_weights_only(path: str | Path, param: str = "checkpoint", map_location: str | torch.device = "cpu"):
    """The one safe loader of untrusted torch files: ``torch.load(..., weights_only=True)`` (no code
    in a pickle runs), after checking the file exists, is a file and is not empty. Every failure is
    a GanalyzeError naming ``param`` (the parameter that gave the path) and the file."""
    p = regular_file(path, param, "a checkpoint file (.pth)")   # no FIFO, device, loop or directory
    if p.stat().st_size == 0:
        raise GanalyzeError(f"{param}: {str(p)!r} is empty; expected a checkpoint written by torch.save")
    try:
        return torch.load(p, map_location=map_location, weights_only=True)
    except Exception as err:  # noqa: BLE001 - any failure of an untrusted file is one line
        raise GanalyzeError(f"{param}: {str(p)!r} refused by torch.load(weights_only=True) "
                            f"({type(err).__name__}: {first_line(err)}); only tensors and plain containers "
                            "are accepted") from None


def check_state_dict(net: nn.Module, state_dict: dict, param: str, what: str) -> None:
    """Raise one line naming the first layer whose name, shape or dtype does not match ``net``
    (``what`` names the network, e.g. "mlp generator"), or that holds NaN/inf."""
    expected = net.state_dict()
    for name, t in expected.items():
        if name not in state_dict:
            raise GanalyzeError(f"{param}: checkpoint has no entry {name!r} that the {what} needs (wrong arch?)")
        got = state_dict[name]
        if tuple(got.shape) != tuple(t.shape):
            raise GanalyzeError(
                f"{param}: layer {name!r} has shape {tuple(got.shape)} in the checkpoint but {tuple(t.shape)} in the {what}"
            )
        if t.is_floating_point() and not got.is_floating_point():
            raise GanalyzeError(f"{param}: layer {name!r} has dtype {got.dtype} in the checkpoint; expected a float tensor")
    extra = [k for k in state_dict if k not in expected]
    if extra:
        raise GanalyzeError(f"{param}: checkpoint has entry {extra[0]!r} that the {what} does not (wrong arch?)")
    for name, t in state_dict.items():
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise GanalyzeError(f"{param}: layer {name!r} holds NaN or inf; the checkpoint is from a diverged run")


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict:
    """Load a ganalyze checkpoint with :func:`load_weights_only`; floating weights come back as float32.

    Raises GanalyzeError for a missing, empty, corrupt or non-ganalyze file (e.g. a plain state dict).
    """
    p = Path(path)
    ckpt = load_weights_only(p, "checkpoint", map_location)
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise GanalyzeError(f"checkpoint: {str(p)!r} is not a ganalyze checkpoint (no format={FORMAT!r}); "
                            "plain state dicts need the architecture named separately")
    if ckpt.get("format_version") != FORMAT_VERSION:
        raise GanalyzeError(f"checkpoint: {str(p)!r} has format_version {ckpt.get('format_version')!r}; "
                            f"this ganalyze reads {FORMAT_VERSION}")
    for key, typ in (("role", str), ("arch", dict), ("state_dict", dict)):
        if not isinstance(ckpt.get(key), typ):
            raise GanalyzeError(f"checkpoint: {str(p)!r} has no valid {key!r} entry; the file is damaged")
    if ckpt["role"] not in ROLES:
        raise GanalyzeError(f"checkpoint: {str(p)!r} has role {ckpt['role']!r}; expected one of {', '.join(ROLES)}")
    validate_checkpoint_fields(ckpt, f"checkpoint {str(p)!r}")
    ckpt["state_dict"] = {k: (v.float() if torch.is_tensor(v) and v.is_floating_point() else v)
                          for k, v in ckpt["state_dict"].items()}
    ckpt["path"] = str(p)
    return ckpt


def build_from_checkpoint(ckpt: dict) -> nn.Module:
    """Rebuild the network described by ``ckpt`` (from :func:`load_checkpoint`) with its weights, eval mode.

    Raises GanalyzeError naming the first layer whose shape differs (both shapes), or a missing/extra layer.
    """
    from ganalyze.train.models import build_discriminator, build_generator

    role = ckpt.get("role")
    build = build_generator if role == "generator" else build_discriminator
    net = build(ckpt["arch"])
    check_state_dict(net, ckpt["state_dict"], f"checkpoint {ckpt.get('path', '(in memory)')}",
                     f"{ckpt['arch'].get('name')} {role}")
    net.load_state_dict(ckpt["state_dict"])
    return net.eval()
