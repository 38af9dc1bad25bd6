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

# ---- train -------------------------------------------------------------------------------

# ---- diagnose ----------------------------------------------------------------------------

# ---- report ------------------------------------------------------------------------------

# ---- surface -----------------------------------------------------------------------------

# ---- diversity ---------------------------------------------------------------------------


if __name__ == "__main__":
    main()
