"""The CLI as a whole: fast start (no heavy imports), one-line usage errors, flags in library errors."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

from ganalyze.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import sys, atexit; atexit.register(lambda: print('LOADED', sorted(m for m in ('torch', 'torchvision', "
         "'matplotlib', 'pandas') if m in sys.modules), file=sys.stderr)); "
         "from ganalyze.cli import main; sys.argv[0] = 'ganalyze'; main()")


def _loaded(*args) -> tuple[int, list]:
    res = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    line = [x for x in res.stderr.splitlines() if x.startswith("LOADED")][-1]
    return res.returncode, line[len("LOADED "):].strip("[]").replace("'", "").split(", ")


def test_help_version_and_csv_summary_import_no_torch_or_matplotlib(tmp_path):
    code, loaded = _loaded("--help")
    assert code == 0 and loaded == [""]                       # not even pandas
    code, loaded = _loaded("--version")
    assert code == 0 and loaded == [""]
    s = np.arange(1000)
    pd.DataFrame({"step": s, "d_loss": 1.3 + 0.1 * np.sin(s), "g_loss": 0.8}).to_csv(tmp_path / "r.csv", index=False)
    code, loaded = _loaded("summary", str(tmp_path / "r.csv"))
    assert code == 0 and loaded == ["pandas"]


def test_click_usage_errors_are_one_line_exit_2():
    runner = CliRunner()
    for args, words in ((["summary", "x.csv", "--loss", "foo"], "'--loss': 'foo' is not one of"),
                        (["summary"], "Missing argument 'RUN'"),
                        (["train", "r", "--steps", "many"], "'--steps': 'many' is not a valid integer"),
                        (["surface", "g.pth", "d.pth", "--directions", "up"], "'--directions'"),
                        (["nonsense"], "No such command 'nonsense'")):
        res = runner.invoke(main, args)
        assert res.exit_code == 2, args
        assert res.stderr.startswith("ganalyze: error: ") and res.stderr.count("\n") == 1, res.stderr
        assert words in res.stderr
    assert runner.invoke(main, ["--help"]).exit_code == 0


def test_library_errors_name_the_parameter_and_the_cli_names_the_flag():
    from ganalyze.errors import GanalyzeError
    from ganalyze.surface.config import SurfaceConfig

    try:
        SurfaceConfig(grid=4)
    except GanalyzeError as err:
        assert str(err).startswith("grid: got 4")
    res = CliRunner().invoke(main, ["surface", "g.pth", "d.pth", "--grid", "4"])
    assert res.exit_code == 2 and res.stderr.startswith("ganalyze: error: --grid: got 4")


def test_train_threads_option_is_validated_and_documented():
    from ganalyze.train.config import TrainConfig, default_threads

    assert 1 <= default_threads() <= 8
    res = CliRunner().invoke(main, ["train", "--help"])
    assert "--threads" in res.stdout and "busy machine" in res.stdout
    res = CliRunner().invoke(main, ["train", "r", "--threads", "0"])
    assert res.exit_code == 2 and "--threads" in res.stderr
    assert TrainConfig(threads=2).threads == 2
