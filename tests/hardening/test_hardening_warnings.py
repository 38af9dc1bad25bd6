"""No raw Python warnings on stderr: the CLI shows each as one ``ganalyze: warning:`` line."""
from __future__ import annotations

import io
import warnings

from hostile import cli, frame

from ganalyze.errors import install_warning_handler


def test_handler_prints_one_line_per_warning():
    stream = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        install_warning_handler(stream)
        warnings.warn("skipping torn run part x\n(second line)", UserWarning)
        warnings.warn("overflow encountered in add", RuntimeWarning)
    assert stream.getvalue().splitlines() == [
        "ganalyze: warning: skipping torn run part x (second line)",
        "ganalyze: warning: overflow encountered in add (RuntimeWarning)",
    ]


def test_cli_warning_is_one_line(tmp_path):
    df = frame(50)
    df.loc[10, "g_loss"] = 1e300
    df.to_csv(tmp_path / "run.csv", index=False)
    result = cli(["diagnose", tmp_path / "run.csv"])
    assert result.exit_code == 0
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("ganalyze: warning: ") and "g_loss (1)" in lines[0]
