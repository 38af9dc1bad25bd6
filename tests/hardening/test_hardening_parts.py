"""Parts of a live run that do not fit together: one line naming the part, or one warning when
the only difference is integer vs floating numbers (found by ``scripts/fuzz.py``: pyarrow's
"Unable to merge" traceback)."""
from __future__ import annotations

import warnings

import numpy as np
import pyarrow as pa
import pytest
from hostile import assert_clean_error, cli, frame, run_dir, write_parquet

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.runlog.store import _plan, column_types, merge_files, snapshot


def _part(run, table: pa.Table, number: int = 1):
    parts = run / "run.parquet.parts"
    parts.mkdir(exist_ok=True)
    return write_parquet(parts / f"part-{number:06d}.parquet", table)


def _later(n: int = 10) -> dict:
    f = frame(n, seed=1)
    return {"step": f["step"].to_numpy() + 1000, "d_loss": f["d_loss"].to_numpy(), "g_loss": f["g_loss"].to_numpy()}


@pytest.mark.parametrize("command", ["summary", "diagnose", "report"])
def test_text_loss_in_one_part_is_refused_naming_the_part(tmp_path, command):
    run = run_dir(tmp_path / "run")
    cols = _later()
    cols["d_loss"] = cols["d_loss"].astype(str)
    _part(run, pa.table(cols))
    args = [command, run] + (["-o", tmp_path / "out", "--format", "png"] if command == "report" else [])
    assert_clean_error(cli(args), "part-000001.parquet", "column 'd_loss'", "string", "run.parquet has double",
                       "allowed: the same column type")


def test_timestamp_column_in_a_later_part_is_refused(tmp_path):
    run = run_dir(tmp_path / "run")
    _part(run, pa.table(_later()), 1)
    cols = _later()
    cols["step"] = cols["step"] + 100
    cols["g_loss"] = pa.array(np.arange(10).astype("datetime64[s]"))
    _part(run, pa.table(cols), 2)
    with pytest.raises(GanalyzeError, match=r"part-000002\.parquet: column 'g_loss' is timestamp\[ms\] while "
                                            r"run\.parquet has double"):
        read_run(run)


def test_string_steps_in_a_part_are_refused(tmp_path):
    run = run_dir(tmp_path / "run")
    cols = _later()
    cols["step"] = cols["step"].astype(str)
    _part(run, pa.table(cols))
    assert_clean_error(cli(["summary", run]), "part-000001.parquet", "column 'step'", "allowed: integers")


@pytest.mark.parametrize("kind", ["missing", "all-null"])
def test_part_without_step_values_is_refused(tmp_path, kind):
    run = run_dir(tmp_path / "run")
    cols = _later()
    if kind == "missing":
        del cols["step"]
    else:
        cols["step"] = pa.array([None] * 10, pa.int64())
    _part(run, pa.table(cols))
    assert_clean_error(cli(["diagnose", run]), "part-000001.parquet", "'step'")


def test_integer_and_float_parts_are_unified_with_one_warning(tmp_path):
    run = run_dir(tmp_path / "run", n=60)
    cols = _later()
    cols["step"] = pa.array(cols["step"], pa.int32())                 # a narrower step: silent, lossless
    cols["d_loss"] = np.arange(10, dtype=np.int64)                    # integer losses: read as float64
    _part(run, pa.table(cols))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = read_run(run)
    texts = [str(w.message) for w in caught if "number types" in str(w.message)]
    assert len(texts) == 1 and "d_loss: double in run.parquet, int64 in part-000001.parquet" in texts[0]
    assert "step" not in texts[0].split("(", 1)[1]
    assert df["step"].dtype == np.int64 and df["d_loss"].dtype == np.float64
    assert len(df) == 70 and df["step"].iloc[-1] == 1009
    assert df["d_loss"].iloc[-10:].tolist() == [float(i) for i in range(10)]
    result = cli(["summary", run])
    assert result.exit_code == 0, result.stderr
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("ganalyze: warning:")] == \
        [f"ganalyze: warning: {texts[0]}"]


def test_uint64_step_beyond_int64_in_a_part_is_refused_not_wrapped(tmp_path):
    run = run_dir(tmp_path / "run")
    cols = _later()
    steps = cols["step"].astype(np.uint64)
    steps[-1] = np.uint64(2 ** 63 + 5)
    cols["step"] = steps
    _part(run, pa.table(cols))
    assert_clean_error(cli(["summary", run]), "part-000001.parquet", "column 'step'", "9223372036854775813",
                       "allowed: integers from -9223372036854775808 to 9223372036854775807")


def test_merge_refuses_parts_that_cannot_be_unified(tmp_path):
    """The writer's compaction reads parts the same way: text in one part is refused before any
    file is written, naming the part."""
    run = tmp_path / "run"
    run.mkdir()
    _part(run, pa.table(_later()), 1)
    cols = _later()
    cols["step"] = cols["step"] + 100
    cols["d_loss"] = cols["d_loss"].astype(str)
    _part(run, pa.table(cols), 2)
    sources = snapshot(run).sources
    with pytest.raises(GanalyzeError, match="part-000002.parquet: column 'd_loss'"):
        merge_files(sources, run / "run.parquet", {}, (1, 2))
    assert not (run / "run.parquet").exists()
    assert column_types(_plan(sources[:1])) == {}


@pytest.mark.parametrize("kind", ["symlink loop", "dangling symlink", "directory"])
def test_a_part_that_is_not_a_regular_file_is_named(tmp_path, kind):
    run = run_dir(tmp_path / "run")
    parts = run / "run.parquet.parts"
    parts.mkdir()
    part = parts / "part-000001.parquet"
    if kind == "symlink loop":
        part.symlink_to(part.name)
    elif kind == "dangling symlink":
        part.symlink_to("nowhere.parquet")
    else:
        part.mkdir()
    for command in ("summary", "diagnose"):
        assert_clean_error(cli([command, run]), "part-000001.parquet")


def test_a_mismatch_in_a_column_diagnose_does_not_read_does_not_stop_it(tmp_path):
    from ganalyze.diagnose.inputs import diagnose_columns
    from ganalyze.runlog.readers import read_runs

    run = run_dir(tmp_path / "run")
    cols = _later()
    cols["note"] = np.arange(10).astype(str)          # text here, absent/number elsewhere
    _part(run, pa.table(cols), 1)
    cols = _later()
    cols["step"] = cols["step"] + 100
    cols["note"] = np.arange(10, dtype=np.float64)
    _part(run, pa.table(cols), 2)
    df = next(iter(read_runs(run, keep=diagnose_columns, float32=True).values()))
    assert "note" not in df.columns and len(df) > 20
    with pytest.raises(GanalyzeError, match="column 'note'"):
        read_run(run)                                  # reading every column still names the clash
