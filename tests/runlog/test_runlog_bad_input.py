"""Bad input: one GanalyzeError line from the library, one stderr line + exit 2 from the CLI."""
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run, write_run


def _cases(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "fake.parquet").write_text("step,d_loss,g_loss\n0,1,2\n")
    (tmp_path / "torn.parquet").write_bytes(b"PAR1" + b"\x00" * 64)
    (tmp_path / "nocols.csv").write_text("step,Loss_D,accuracy\n0,1,0.5\n")
    (tmp_path / "text.csv").write_text("step,d_loss,g_loss\n0,1.0,2.0\n1,high,2.0\n")
    (tmp_path / "dup.csv").write_text("step,d_loss,g_loss\n0,1,2\n1,1,2\n1,1,2\n")
    (tmp_path / "prose.log").write_text("hello\nthis is not a training log\n")
    (tmp_path / "emptydir").mkdir()
    return {
        "missing": (tmp_path / "nope.parquet", "does not exist"),
        "empty": (tmp_path / "empty.csv", "is empty"),
        "binary": (tmp_path / "blob.bin", "unknown format"),
        "not parquet": (tmp_path / "fake.parquet", "not a Parquet file"),
        "torn parquet": (tmp_path / "torn.parquet", "not a readable Parquet"),
        "missing columns": (tmp_path / "nocols.csv", r"missing required column\(s\) g_loss .*Loss_G"),
        "non-numeric": (tmp_path / "text.csv", "column 'd_loss' has non-numeric value 'high' at row 1"),
        "not a log": (tmp_path / "prose.log", "no log format ganalyze reads .*tried: .*console progress lines"),
        "empty dir": (tmp_path / "emptydir", "holds no run.parquet"),
    }


CASES = ["missing", "empty", "binary", "not parquet", "torn parquet", "missing columns", "non-numeric",
         "not a log", "empty dir"]


@pytest.mark.parametrize("case", CASES)
def test_library_raises_one_line(tmp_path, case):
    path, message = _cases(tmp_path)[case]
    with pytest.raises(GanalyzeError, match=message) as info:
        read_run(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("case", CASES)
def test_cli_prints_one_line_and_exits_2(tmp_path, case):
    path, _ = _cases(tmp_path)[case]
    result = CliRunner().invoke(main, ["summary", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ganalyze: error: ")
    assert "Traceback" not in result.stderr


def test_duplicate_steps_refused_on_request(tmp_path):
    _cases(tmp_path)
    p = tmp_path / "dup.csv"
    with pytest.raises(GanalyzeError, match="step 1 is written again later") as info:
        read_run(p, on_duplicate="error")
    assert "\n" not in str(info.value)
    result = CliRunner().invoke(main, ["summary", str(p), "--on-duplicate", "error"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("ganalyze: error: ") and result.stderr.count("\n") == 1


def test_cli_bad_option_exits_2():
    result = CliRunner().invoke(main, ["summary", "x", "--loss", "bce"])
    assert result.exit_code == 2 and "bce" in result.stderr


def test_bad_tb_tags_and_meta_values(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("step,d_loss,g_loss\n0,1,2\n")
    with pytest.raises(GanalyzeError, match="loss: got 'bce'"):
        read_run(p, loss="bce")
    with pytest.raises(GanalyzeError, match="d_loss_reduction"):
        write_run(read_run(p), tmp_path / "r", {"d_loss_reduction": "avg"})


def test_write_run_rejects_bad_frames(tmp_path):
    with pytest.raises(GanalyzeError, match="missing required column"):
        write_run(pd.DataFrame({"step": [0], "d_loss": [1.0]}), tmp_path)
    with pytest.raises(GanalyzeError, match="duplicate step 0"):
        write_run(pd.DataFrame({"step": [0, 0], "d_loss": [1.0, 1], "g_loss": [1.0, 2]}), tmp_path)
    with pytest.raises(GanalyzeError, match="DataFrame"):
        write_run({"step": [0]}, tmp_path)


def test_nan_inf_and_unsorted_steps_are_data(tmp_path):
    p = tmp_path / "ok.csv"
    p.write_text("step,d_loss,g_loss\n5,inf,-inf\n0,nan,1\n")
    df = read_run(p)
    assert df.step.tolist() == [0, 5] and np.isnan(df.d_loss[0]) and df.d_loss[1] == np.inf
