"""Where a run directory keeps its checkpoints (see docs/ARCHITECTURE.md, "Run directory").

Torch-free on purpose: ``ganalyze diagnose`` asks whether a run has checkpoints before deciding
to load any, and importing torch just to list a folder costs ~0.5 GB of memory and seconds.
"""
from __future__ import annotations

import re
from pathlib import Path

from ganalyze.errors import GanalyzeError

_STEP_DIR = re.compile(r"^step_(\d+)$")


def find_checkpoints(run_dir: str | Path) -> list[tuple[int | None, Path]]:
    """``checkpoints/step_*/gen.pth`` sorted by step, then the final ``gen.pth`` (its step
    is read from the file later; None here)."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise GanalyzeError(f"run_dir: {str(run_dir)!r} is not a directory; pass a run folder "
                            "with checkpoints/step_*/gen.pth or gen.pth")
    found = []
    ck = run_dir / "checkpoints"
    if ck.is_dir():
        for d in ck.iterdir():
            m = _STEP_DIR.match(d.name)
            if m and (d / "gen.pth").is_file():
                found.append((int(m.group(1)), d / "gen.pth"))
    found.sort(key=lambda t: t[0])
    if (run_dir / "gen.pth").is_file():
        found.append((None, run_dir / "gen.pth"))
    if not found:
        raise GanalyzeError(f"run_dir: {str(run_dir)!r} has no generator checkpoints; expected "
                            "checkpoints/step_*/gen.pth or gen.pth")
    return found
