"""The one parser of device names (``auto``, ``cpu``, ``cuda``, ``cuda:N``) that the trainer, the loss
surface and the diversity metrics share."""
from __future__ import annotations

import torch

from ganalyze.errors import GanalyzeError


def resolve_device(device: str | torch.device) -> torch.device:
    """``auto`` -> CUDA when available, else CPU; any other torch device name (or a torch.device) as
    given, which must be available here. Raises GanalyzeError naming ``device`` otherwise."""
    if isinstance(device, torch.device):
        dev = device
    elif device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    else:
        try:
            dev = torch.device(device)
        except (RuntimeError, TypeError):
            raise GanalyzeError(f"device: got {device!r}; allowed: auto, cpu, cuda, cuda:N") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise GanalyzeError(f"device: got {str(device)!r} but CUDA is not available here; allowed: auto, cpu")
    return dev
