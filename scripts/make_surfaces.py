"""Loss-surface slices of the sample runs: out/surfaces/<run>/ and the README picture in docs/img/.

For every ``sample_runs/<run>/`` holding ``gen.pth`` and ``disc.pth`` it computes the 41x41 slice
(filter-normalised directions, seed 0, 256 samples) with the run's checkpoints overlaid as the
training path, writes grid.parquet, surface.json, surface.png and contour.png, and prints one
line per run with the verdict. ``--readme RUN`` copies that run's contour map to
docs/img/surface_contour.png (small, for the README).

    .venv/bin/python scripts/make_surfaces.py [--runs-dir sample_runs] [--out out/surfaces] [--readme healthy]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ganalyze.surface.api import compute_surface, save_surface
from ganalyze.surface.config import SurfaceConfig


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs-dir", default="sample_runs")
    ap.add_argument("--out", default="out/surfaces")
    ap.add_argument("--grid", type=int, default=41)
    ap.add_argument("--directions", default="filter")
    ap.add_argument("--readme", default=None, help="run whose contour map goes to docs/img/surface_contour.png")
    args = ap.parse_args()
    runs = sorted(p.parent for p in Path(args.runs_dir).glob("*/gen.pth") if (p.parent / "disc.pth").is_file())
    if not runs:
        print(f"no runs with gen.pth + disc.pth under {args.runs_dir}", file=sys.stderr)
        return 1
    config = SurfaceConfig(grid=args.grid, directions=args.directions, device="cpu")
    for run in runs:
        has_path = (run / "checkpoints").is_dir()
        surf = compute_surface(run / "gen.pth", run / "disc.pth", config, run_dir=run if has_path else None)
        out = Path(args.out) / run.name
        files = save_surface(surf, out, title=f"{run.name}: {surf.meta['loss']}, {config.directions} directions")
        c = surf.characterisation
        print(f"{run.name}: {c.verdict} | g'' {c.g_curvature_alpha:.3g}, V'' {c.v_curvature_beta:.3g} -> {out}")
        if args.readme == run.name:
            img = Path("docs/img")
            img.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(files["contour_png"], img / "surface_contour.png")
            print(f"README picture: {img / 'surface_contour.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
