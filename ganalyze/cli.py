"""Command line: parses options and calls library functions, nothing more.

Results go to stdout, progress to stderr. A :class:`~ganalyze.errors.GanalyzeError`
becomes one line on stderr (``ganalyze: error: ...``) and exit code 2.

Each sub-command lives in its own section below, owned by its subpackage.
"""
from __future__ import annotations

import sys

import click

from ganalyze.errors import GanalyzeError


class _Group(click.Group):
    """Turns user errors from the library into one line and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GanalyzeError as err:
            click.echo(f"ganalyze: error: {err}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="ganalyze")
def main() -> None:
    """Analyse logged GAN training runs: what happened, what went wrong, what to change."""


# ---- runlog: summary -------------------------------------------------------------------
@main.command()
@click.argument("run", type=click.Path())
@click.option("--loss", type=click.Choice(["minimax", "nsgan", "lsgan", "wgan-gp", "hinge", "unknown"]),
              default=None, help="Declare the loss type (overrides the log's metadata).")
@click.option("--d-loss-reduction", type=click.Choice(["sum", "mean", "unknown"]), default=None,
              help="Declare whether d_loss is the sum or the mean of its real and fake parts.")
@click.option("--scores", type=click.Choice(["probability", "critic", "unknown"]), default=None,
              help="Declare whether d_x/d_g_z are sigmoid probabilities or raw critic outputs.")
@click.option("--tb-tags", default=None, metavar="TAG=COL,...",
              help="TensorBoard tag -> column mapping, e.g. 'critic=d_loss,gen=g_loss'.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def summary(run, loss, d_loss_reduction, scores, tb_tags, as_json):
    """Rows, steps, columns, metadata and loss statistics of RUN (directory, .parquet, .csv,
    DCGAN console log or TensorBoard directory)."""
    import json as _json

    from ganalyze.runlog import read_run
    from ganalyze.runlog.summary import format_summary, run_summary

    df = read_run(run, loss=loss, d_loss_reduction=d_loss_reduction, scores=scores, tb_tags=tb_tags)
    result = run_summary(df)
    click.echo(_json.dumps(result, indent=2, default=str) if as_json else format_summary(result, name=str(run)))


# ---- train -------------------------------------------------------------------------------

# ---- diagnose ----------------------------------------------------------------------------

# ---- report ------------------------------------------------------------------------------

def _report_defaults():
    from ganalyze.report.prepare import ReportConfig

    return ReportConfig()


@main.command("report")
@click.argument("runs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="report", show_default=True,
              help="Output directory (created): report.html and one PNG per figure.")
@click.option("--format", "fmt", type=click.Choice(["html", "png", "pdf"]), default="html", show_default=True,
              help="html: self-contained HTML + PNGs; png: PNGs only; pdf: report.pdf + PNGs.")
@click.option("--span", type=float, default=_report_defaults().span,
              help="EMA span in steps for the smoothed curves [default: 1% of the run's steps, >= 5].")
@click.option("--columns", "n_columns", type=click.IntRange(min=10), default=_report_defaults().n_columns,
              show_default=True, help="Pixel columns a long series is reduced to (min and max kept in each).")
@click.option("--dpi", type=click.IntRange(min=30, max=600), default=_report_defaults().dpi, show_default=True)
def report_cmd(runs, out_dir, fmt, span, n_columns, dpi):
    """Render the report of one or more RUNS (run dir, run.parquet, CSV, TensorBoard dir,
    DCGAN console log). Several runs are compared side by side. Prints the written files."""
    from dataclasses import replace

    from ganalyze.report import render_report

    config = replace(_report_defaults(), span=span, n_columns=n_columns, dpi=dpi)
    for path in render_report(runs, out_dir, fmt=fmt, config=config):
        click.echo(str(path))


# ---- surface -----------------------------------------------------------------------------

# ---- diversity ---------------------------------------------------------------------------

def _diversity_defaults():
    from ganalyze.diversity.mnist import DiversityConfig
    return DiversityConfig()


@main.command("diversity")
@click.argument("path", type=click.Path(exists=True))
@click.option("--n", "n", type=click.IntRange(min=10), default=None,
              help="Samples per generator [default: 10000 for one checkpoint, 2000 per "
                   "checkpoint of a run].")
@click.option("--seed", type=int, default=_diversity_defaults().seed, show_default=True,
              help="Seed of the generator noise and the resampling.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="diversity_out",
              show_default=True, help="Folder for the PNGs (and the run's CSV).")
@click.option("--device", default="cpu", show_default=True, help="torch device, e.g. cuda:0.")
def diversity_cmd(path, n, seed, as_json, out_dir, device):
    """Diversity of a generator (GEN.pth) or of every checkpoint of a run (RUN_DIR).

    MNIST generators: modes covered, P(100 samples show all ten digits), KL from uniform,
    confidence, inception score, Fréchet distance, precision/recall, density/coverage,
    near-duplicate rate, each beside its value on held-out real digits; per-class grid PNG.
    ring8 generators: modes covered, high-quality share, KL over modes; scatter PNG.
    """
    import json as _json
    from dataclasses import replace
    from pathlib import Path

    from ganalyze.diversity import output
    from ganalyze.diversity.run import diversity_over_run, score_checkpoint

    if Path(path).is_dir():
        table = diversity_over_run(path, n=n or 2000, seed=seed, device=device)
        files = output.write_run_files(table, out_dir)
        click.echo(_json.dumps(output.run_dict(table, files), indent=2) if as_json
                   else output.run_text(table))
    else:
        config = replace(_diversity_defaults(), n=n or _diversity_defaults().n, seed=seed)
        res = score_checkpoint(path, config, device)
        files = output.write_checkpoint_files(res, out_dir)
        click.echo(_json.dumps(output.checkpoint_dict(res, files), indent=2) if as_json
                   else output.checkpoint_text(res))
    for f in files:
        click.echo(f"wrote {f}", err=True)



if __name__ == "__main__":
    main()
