"""Configuration of a loss-surface slice (the CLI takes its defaults from here; no torch import)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from ganalyze.errors import GanalyzeError

DIRECTION_KINDS = ("filter", "layer", "random", "checkpoint")
BN_MODES = ("eval",)


@dataclass(frozen=True)
class SurfaceConfig:
    """How the (α, β) slice is made.

    ``grid`` points per axis (odd, so the checkpoint α = β = 0 is a grid point), axes span
    ``[−span, span]`` in units of the direction (one filter norm for ``filter``, the whole
    step to the second checkpoint for ``checkpoint``). ``samples`` is the size of the one
    fixed noise batch and the one fixed real batch. ``seed`` seeds the directions, the noise
    and the choice of real samples. ``bn_mode='eval'``: BatchNorm uses its running statistics
    (the network as it would generate at test time). ``chunk_mb``: working-memory budget for
    one vmapped chunk of grid points.
    """

    grid: int = 41
    span: float = 1.0
    directions: str = "filter"
    samples: int = 256
    seed: int = 0
    device: str = "auto"
    bn_mode: str = "eval"
    chunk_mb: int = 512

    def __post_init__(self):
        if self.grid < 3 or self.grid % 2 == 0:
            raise GanalyzeError(f"grid: got {self.grid}; must be an odd integer >= 3 so the checkpoint is a grid point")
        if not (self.span > 0 and self.span < float("inf")):
            raise GanalyzeError(f"span: got {self.span}; must be a positive finite number")
        if self.directions not in DIRECTION_KINDS:
            raise GanalyzeError(f"directions: got {self.directions!r}; allowed: {', '.join(DIRECTION_KINDS)}")
        if self.samples < 2:
            raise GanalyzeError(f"samples: got {self.samples}; must be >= 2")
        if self.bn_mode not in BN_MODES:
            raise GanalyzeError(f"bn_mode: got {self.bn_mode!r}; allowed: {', '.join(BN_MODES)}")
        if self.chunk_mb < 1:
            raise GanalyzeError(f"chunk_mb: got {self.chunk_mb}; must be >= 1")

    def to_dict(self) -> dict:
        return asdict(self)
