"""The read options every command that reads a run takes, defined once.

``@read_options`` adds ``--loss``, ``--d-loss-reduction``, ``--scores``, ``--tb-tags``,
``--columns``, ``--step-from``, ``--averaged/--per-step``, ``--pair``, ``--on-duplicate`` and
``--lsgan-terms`` to a click command and hands the command one
:class:`~ganalyze.runlog.formats.options.ReadOptions` as ``read``; the command passes it to
``read_runs(path, options=read)``. While the command runs, every Python warning becomes one
``ganalyze: warning: ...`` line on stderr (shown when raised, so also when the read then fails).
"""
from __future__ import annotations

import functools
import warnings
from contextlib import contextmanager

import click

from ganalyze.errors import warning_line
from ganalyze.gan import LOSS_CHOICES as LOSSES
from ganalyze.gan import LSGAN_TERMS
from ganalyze.gan import REDUCTION_CHOICES as D_LOSS_REDUCTIONS
from ganalyze.gan import SCORE_CHOICES as SCORES

ON_DUPLICATE = ("last", "error")          # == runlog.formats.options.ON_DUPLICATE (imported lazily: pandas)

_NAMES = ("loss", "d_loss_reduction", "scores", "tb_tags", "columns", "step_from", "averaged", "pair", "on_duplicate",
          "lsgan_terms")

_OPTIONS = [
    click.option("--loss", type=click.Choice(LOSSES), default=None,
                 help="Declare the loss type (wins over the log's metadata and any guess)."),
    click.option("--d-loss-reduction", type=click.Choice(D_LOSS_REDUCTIONS), default=None,
                 help="Declare whether d_loss is the sum or the mean of its real and fake parts."),
    click.option("--scores", type=click.Choice(SCORES), default=None,
                 help="Declare whether d_x/d_g_z are sigmoid probabilities or raw critic outputs."),
    click.option("--tb-tags", default=None, metavar="TAG=COL,...",
                 help="TensorBoard tag -> column, e.g. 'critic=d_loss,gen=g_loss'."),
    click.option("--columns", "columns", default=None, metavar="OURS=THEIRS,...",
                 help="Map the log's columns or labels to ours, e.g. 'd_loss=D,g_loss=G'."),
    click.option("--step-from", default=None, metavar="epoch,batch|kimg|row|row*N|COLUMN",
                 help="How to make the step: EPOCH,BATCH columns (epoch x batches + batch), kimg "
                      "(x 1000), row number, row*N (row number x N: a log printed every N steps "
                      "without the step), or one column."),
    click.option("--averaged/--per-step", default=None,
                 help="Declare that each logged value is (or is not) a mean over the interval since the previous line."),
    click.option("--pair", default=None, metavar="NAME",
                 help="Read only this run of a file holding several (A|B for a CycleGAN loss_log, a "
                      "sub-directory for a TensorBoard directory)."),
    click.option("--on-duplicate", type=click.Choice(ON_DUPLICATE), default=None,
                 help="A step written twice (a restart): keep the last write [default], or refuse."),
    click.option("--lsgan-terms", type=click.Choice(LSGAN_TERMS), default=None,
                 help="Declare LSGAN's terms: half = 0.5 (D - target)^2 (the paper), plain = nn.MSELoss (twice the levels)."),
]


@contextmanager
def warnings_as_lines():
    """Show each distinct Python warning once, as one ``ganalyze: warning: ...`` line on stderr."""
    seen = set()

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ARG001 - warnings.showwarning's signature
        text = warning_line(message, category)
        if text not in seen:
            seen.add(text)
            click.echo(text, err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        yield


def read_options(command):
    """Decorator (below ``@main.command`` and the arguments): add the read options; the command
    receives them as one ``read: ReadOptions`` keyword argument."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name) for name in _NAMES}
        with warnings_as_lines():
            from ganalyze.runlog.formats.options import ReadOptions

            kwargs["read"] = ReadOptions.make(**values)
            return command(*args, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper
