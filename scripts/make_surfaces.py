"""Loss-surface slices of the sample runs: out/surfaces/<run>/ and the README picture in docs/img/.

For every ``sample_runs/<run>/`` holding ``gen.pth`` and ``disc.pth`` it computes two 41x41 slices
(seed 0, 256 samples): filter-normalised random directions, and the training direction (from the
final checkpoint towards the run's earliest one), each with the run's checkpoints overlaid as
the training path; writes grid.parquet, surface.json, surface.png and contour.png under
out/surfaces/<run>/<kind>/ and prints one line per slice with the verdict. ``--readme RUN``
copies that run's contour map (``--readme-kind``) to docs/img/surface_contour.png.

    .venv/bin/python scripts/make_surfaces.py [--runs-dir sample_runs] [--out out/surfaces] [--readme healthy]
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ganalyze.surface.api import compute_surface, run_checkpoints, save_surface
from ganalyze.surface.config import SurfaceConfig


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs-dir", default="sample_runs")
    ap.add_argument("--out", default="out/surfaces")
    ap.add_argument("--grid", type=int, default=41)
    ap.add_argument("--readme-kind", default="checkpoint", help="filter | checkpoint: which slice goes to the README")
    ap.add_argument("--readme", default=None, help="run whose contour map goes to docs/img/surface_contour.png")
    args = ap.parse_args()
    runs = sorted(p.parent for p in Path(args.runs_dir).glob("*/gen.pth") if (p.parent / "disc.pth").is_file())
    if not runs:
        print(f"no runs with gen.pth + disc.pth under {args.runs_dir}", file=sys.stderr)
        return 1
    for run in runs:
        steps = [gen for _, gen, _ in run_checkpoints(run)]  # (G, D) pairs only
        # 1) filter-normalised random directions (Li et al.), the standard view of the point;
        # 2) the training direction: from the final checkpoint (origin) towards the earliest one
        #    (alpha = beta = 1), where the run's checkpoints project faithfully (small residuals).
        slices = [("filter", None)]
        if steps:
            first = steps[0].parent
            slices.append(("checkpoint", (first / "gen.pth", first / "disc.pth")))
        for kind, to in slices:
            config = SurfaceConfig(grid=args.grid, directions=kind, device="cpu")
            surf = compute_surface(run / "gen.pth", run / "disc.pth", config, to=to,
                                   run_dir=run if steps else None)
            out = Path(args.out) / run.name / kind
            what = "filter-normalised directions" if kind == "filter" else f"towards {to[0].parent.name} (alpha=beta=1)"
            files = save_surface(surf, out, title=f"{run.name}: {surf.meta['loss']}, {what}")
            c = surf.characterisation
            print(f"{run.name} [{kind}]: {c.verdict} | g'' {c.g_curvature_alpha:.3g}, V'' {c.v_curvature_beta:.3g} -> {out}")
            if args.readme == run.name and kind == args.readme_kind:
                img = Path("docs/img")
                img.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(files["contour_png"], img / "surface_contour.png")
                print(f"README picture: {img / 'surface_contour.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
