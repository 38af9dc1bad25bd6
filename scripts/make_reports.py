"""Render the reports of every bundled sample run, of the DCGAN tutorial's console log and a two-run
comparison into report/ (git-ignored), and the README's helix picture into docs/img/helix.png.

Usage: python scripts/make_reports.py [--out report] [--no-readme-image]
Prints the written report.html paths on stdout, progress on stderr.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_runs"
CONSOLE_LOG = SAMPLES / "dcgan_tutorial_console.log"
# preferred run for the README picture and the comparison (first that exists)
HEALTHY_NAMES = ("mnist_mlp_healthy", "mnist_dcgan_healthy")


def sample_run_dirs() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.is_dir() and (p / "run.parquet").exists()) \
        if SAMPLES.is_dir() else []


def readme_helix(run: Path, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ganalyze.diagnose import diagnose
    from ganalyze.report import helix_figure
    from ganalyze.runlog import read_run

    df = read_run(run)
    d = diagnose(df)
    fig = helix_figure(df, d.helix_stats(df), assumptions=d.assumptions)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=100, facecolor="white")
    plt.close(fig)
    print(f"make_reports: README helix picture from {run} -> {target}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "report"))
    ap.add_argument("--no-readme-image", action="store_true")
    args = ap.parse_args()
    from ganalyze.report import render_report

    out = Path(args.out)
    runs = sample_run_dirs()
    jobs = [(run.name, [run]) for run in runs]
    if CONSOLE_LOG.exists():
        jobs.append(("dcgan_tutorial_console", [CONSOLE_LOG]))
    healthy = next((SAMPLES / n for n in HEALTHY_NAMES if (SAMPLES / n / "run.parquet").exists()), None)
    others = [r for r in runs if r != healthy]
    if healthy is not None and others:
        jobs.append((f"compare_{healthy.name}_vs_{others[0].name}", [healthy, others[0]]))
    elif len(jobs) >= 2:
        jobs.append(("compare_" + "_vs_".join(n for n, _ in jobs[:2]), [p for _, ps in jobs[:2] for p in ps]))
    for name, paths in jobs:
        written = render_report(paths, out / name)
        print(next(p for p in written if p.suffix == ".html"))
    if not args.no_readme_image:
        source = healthy or (runs[0] if runs else CONSOLE_LOG)
        readme_helix(source, ROOT / "docs" / "img" / "helix.png")


if __name__ == "__main__":
    main()
