"""Numbers and types in a run's columns: refused in one line where analysing them would be
silently wrong, handled without warnings where they are data."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hostile import assert_clean_error, assert_no_raw_stderr, cli, frame, write_parquet

from ganalyze.diagnose import diagnose
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.validate import MAX_ABS_VALUE, validate_frame


@pytest.mark.parametrize("value", ["inf", "-inf", "1e20", "99999999999999999999", "nan", "1.5"])
def test_bad_step_values_in_csv(tmp_path, value):
    p = tmp_path / "run.csv"
    p.write_text(f"step,d_loss,g_loss\n0,1,1\n{value},1,1\n")
    assert_clean_error(cli(["summary", p]), "column 'step'", "row 1")


def test_boolean_steps_are_refused_not_read_as_restarts(tmp_path):
    """A bool ``step`` would read as 0, 1, 0, 1, ... and collapse to two rows as 'restarts'."""
    flags = [bool(i % 2) for i in range(10)]
    p = write_parquet(tmp_path / "b.parquet", pa.table({"step": flags, "d_loss": [1.0] * 10, "g_loss": [1.0] * 10}))
    assert_clean_error(cli(["diagnose", p]), "column 'step'", "holds booleans", "allowed: integers")
    csv = tmp_path / "b.csv"
    csv.write_text("step,d_loss,g_loss\nFalse,1,1\nTrue,1,1\nFalse,1,1\n")
    assert_clean_error(cli(["summary", csv]), "column 'step'", "holds booleans")


def test_duplicate_steps_keep_the_last_write_with_one_warning(tmp_path):
    """Documented (docs/run_format.md, issue #12): a step written again (a restart) replaces the
    earlier rows, with one warning; never silently."""
    steps = np.array([0, 1, 2, 3, 2, 3, 4], dtype=np.int64)
    p = write_parquet(tmp_path / "d.parquet", pa.table({"step": steps, "d_loss": np.arange(7.0), "g_loss": [1.0] * 7}))
    result = cli(["summary", p])
    assert result.exit_code == 0, result.stderr
    warned = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(warned) == 1 and warned[0].startswith("ganalyze: warning:") and "2 row(s) replaced" in warned[0]
    df = read_run(p)
    assert df["step"].tolist() == [0, 1, 2, 3, 4] and df["d_loss"].tolist() == [0, 1, 4, 5, 6]
    assert_clean_error(cli(["summary", "--on-duplicate", "error", p]), "step 2 is written again")


def test_uint64_steps_over_2_63_are_refused_not_wrapped(tmp_path):
    steps = np.array([0, 2 ** 63 + 7], dtype=np.uint64)
    p = write_parquet(tmp_path / "u.parquet", pa.table({"step": steps, "d_loss": [1.0, 1.0], "g_loss": [1.0, 1.0]}))
    assert_clean_error(cli(["diagnose", p]), "9223372036854775815", "beyond int64")
    small = write_parquet(tmp_path / "s.parquet", pa.table({"step": np.array([0, 7], dtype=np.uint64), "d_loss": [1.0, 1.0],
                                                            "g_loss": [1.0, 1.0]}))
    assert read_run(small)["step"].tolist() == [0, 7]


@pytest.mark.parametrize("kind", ["timestamp", "duration"])
def test_timestamp_column_as_loss_is_refused(tmp_path, kind):
    values = (pa.array(pd.date_range("2024-01-01", periods=3, freq="s")) if kind == "timestamp"
              else pa.array(pd.to_timedelta([1, 2, 3], unit="s")))
    p = write_parquet(tmp_path / "t.parquet", pa.table({"step": [0, 1, 2], "d_loss": values, "g_loss": [1.0, 1.0, 1.0]}))
    assert_clean_error(cli(["summary", p]), "column 'd_loss'", "allowed: numbers")


def test_duplicated_column_names_are_refused(tmp_path):
    t = pa.Table.from_arrays([pa.array([0, 1]), pa.array([1.0, 1.0]), pa.array([5.0, 5.0]), pa.array([1.0, 1.0])],
                             names=["step", "d_loss", "d_loss", "g_loss"])
    with pytest.raises(GanalyzeError):
        read_run(write_parquet(tmp_path / "d.parquet", t))
    csv = tmp_path / "d.csv"
    csv.write_text("step,d_loss,g_loss,d_loss\n0,1,2,9\n1,1,2,9\n")
    assert_clean_error(cli(["diagnose", csv]), "column 'd_loss'", "appears 2 times")
    df = pd.DataFrame([[0, 1.0, 2.0, 9.0]], columns=["step", "d_loss", "g_loss", "d_loss"])
    with pytest.raises(GanalyzeError, match="appears 2 times; allowed: each column name once"):
        validate_frame(df)


def test_write_run_and_the_accessor_use_the_same_validation_as_the_readers(tmp_path):
    """``write_run`` and ``df.gan.validate()`` used the format check alone, which read a timestamp
    loss as nanoseconds and a bool step as 0/1; now one layer (validate.validate_frame) for all."""
    import ganalyze.accessor  # noqa: F401  (registers df.gan)
    from ganalyze.runlog import write_run

    stamps = pd.DataFrame({"step": [0, 1, 2], "d_loss": pd.date_range("2024-01-01", periods=3, freq="s"),
                           "g_loss": [1.0, 1.0, 1.0]})
    flags = pd.DataFrame({"step": [False, True, False], "d_loss": [1.0] * 3, "g_loss": [1.0] * 3})
    for df, needle in ((stamps, "holds timestamps"), (flags, "holds booleans")):
        with pytest.raises(GanalyzeError, match=needle):
            write_run(df, tmp_path / "run")
        with pytest.raises(GanalyzeError, match=needle):
            df.gan.validate()
    assert not (tmp_path / "run" / "run.parquet").exists()
    good = frame(5)
    good.loc[2, "d_loss"] = 1e35
    with pytest.warns(UserWarning, match="overflow"):
        path = write_run(good, tmp_path / "run")
    back = read_run(path)
    assert back["d_loss"].iloc[2] == np.inf and back["d_loss"].drop(index=2).tolist() == good["d_loss"].drop(index=2).tolist()
    with pytest.warns(UserWarning, match="overflow"):
        assert good.gan.validate()["d_loss"].iloc[2] == np.inf


def test_values_beyond_the_limit_are_overflow_with_one_warning():
    df = frame(200)
    df.loc[50:, "d_loss"] = 1e308
    df.loc[60, "g_loss"] = -1.7e308
    with pytest.warns(UserWarning, match=r"read as overflow .* in d_loss \(150\), g_loss \(1\)"):
        out = validate_frame(df)
    assert np.isposinf(out["d_loss"][50:]).all() and out["g_loss"][60] == -np.inf
    assert out["d_loss"][:50].abs().max() < MAX_ABS_VALUE
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # no overflow / invalid-value warnings downstream
        d = diagnose(out)
    assert d.summary["first_nonfinite_step"] == 50
    assert d.segments[-1].label == "divergence"


def test_both_losses_overflowing_at_one_row_raise_no_invalid_value_warning():
    df = frame(300)                               # inf - inf and inf x 0 in the D-vs-G window features
    df.loc[100:120, ["d_loss", "g_loss"]] = 1e308
    df.loc[121:, "g_loss"] = 0.0
    with pytest.warns(UserWarning, match="overflow"):
        out = validate_frame(df)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        d = diagnose(out)
    assert d.summary["first_nonfinite_step"] == 100


def test_huge_losses_in_diagnose_json_and_report_have_no_warnings(tmp_path):
    p = tmp_path / "huge.csv"
    df = frame(300)
    df.loc[::7, "d_loss"] = 1e308
    df.to_csv(p, index=False)
    for args in (["diagnose", "--json", p], ["report", p, "-o", tmp_path / "rep", "--format", "png", "--dpi", "30"]):
        result = cli(args)
        assert result.exit_code == 0, result.stderr
        assert_no_raw_stderr(result)
        assert "RuntimeWarning" not in result.stderr


EXTREME_STEPS = {
    "gap 1e9": [0, 10 ** 9],                                  # 153 MiB of bins before
    "gap 2**62": [0, 1, 2, 2 ** 62],
    "int64 limit": [2 ** 63 - 1000, 2 ** 63 - 500, 2 ** 63 - 1],
    "whole int64 range": [-(2 ** 63), 0, 2 ** 63 - 1],         # int64 differences overflow
}


def _extreme_steps_csv(tmp_path, steps):
    df = pd.DataFrame({"step": np.array(steps, dtype=np.int64), "d_loss": np.linspace(1.2, 1.4, len(steps)),
                       "g_loss": np.linspace(0.9, 0.7, len(steps))})
    p = tmp_path / "run.csv"
    df.to_csv(p, index=False)
    return p


@pytest.mark.parametrize("name", list(EXTREME_STEPS))
def test_extreme_steps_diagnose_cleanly(tmp_path, name):
    steps = EXTREME_STEPS[name]
    p = _extreme_steps_csv(tmp_path, steps)
    result = cli(["diagnose", "--json", p])
    assert result.exit_code == 0, (result.stderr, result.exception)
    # nothing on stderr but, for a jump of 2**62 after steps 0-2, the one line that says the log has a gap
    assert all(ln.startswith("ganalyze: warning: ") and "the logged steps jump from 2 to" in ln
               for ln in result.stderr.splitlines()), result.stderr
    assert f'"last_step": {steps[-1]}' in result.stdout


@pytest.mark.parametrize("name", ["int64 limit", "whole int64 range"])
def test_extreme_steps_with_the_learned_method_fall_back_to_the_rules_in_one_line(tmp_path, name):
    steps = EXTREME_STEPS[name]
    p = _extreme_steps_csv(tmp_path, steps)
    result = cli(["diagnose", "--json", "--method", "learned", p])
    assert result.exit_code == 0, (result.stderr, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "2**52" in lines[0] and "rules labelled it" in lines[0]
    assert '"method": "rules"' in result.stdout and f'"last_step": {steps[-1]}' in result.stdout


def test_extreme_steps_report_without_warnings(tmp_path):
    from ganalyze.report import render_report
    from ganalyze.report.prepare import ReportConfig

    for name in ("int64 limit",):
        steps = EXTREME_STEPS[name]
        df = pd.DataFrame({"step": np.array(steps, dtype=np.int64), "d_loss": [1.2] * len(steps),
                           "g_loss": [0.8] * len(steps)})
        df.to_csv(tmp_path / "run.csv", index=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error")     # overflow, singular limits, empty slices
            files = render_report([tmp_path / "run.csv"], tmp_path / "rep", fmt="png", config=ReportConfig(dpi=30))
        assert any(f.name.endswith("_losses.png") for f in files)
