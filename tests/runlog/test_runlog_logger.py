"""RunLogger + read_run/write_run on Parquet runs: round trip, parts, resume, crash safety."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
import torch

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import RunLogger, read_run, write_run
from ganalyze.runlog.schema import KNOWN_COLUMNS

META = {"loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability", "arch": "mlp",
        "dataset": "ring8", "data_source": "synthetic", "hparams": {"lr": 2e-4, "betas": [0.5, 0.999]},
        "seed": 7}


def _row(step):
    return {c: float(step) * 0.5 + i for i, c in enumerate(KNOWN_COLUMNS) if c != "step"}


def test_round_trip_every_column_and_metadata(tmp_path):
    with RunLogger(tmp_path / "r", meta=META, background=False, record_time=False) as log:
        for step in range(25):
            values = _row(step)
            values["d_loss"] = torch.tensor(values["d_loss"])           # 0-d tensor
            values["g_loss"] = torch.tensor(values["g_loss"], dtype=torch.float64, requires_grad=True) * 1
            values["gt_modes_covered"] = step % 8
            log.log(step, **values)
    assert (tmp_path / "r" / "run.parquet").exists()
    assert not (tmp_path / "r" / "run.parquet.parts").exists()
    df = read_run(tmp_path / "r")
    assert list(df.columns[: len(KNOWN_COLUMNS)]) == list(KNOWN_COLUMNS)
    assert df["step"].dtype == np.int64 and df["step"].tolist() == list(range(25))
    for step in (0, 13, 24):
        for c, v in _row(step).items():
            assert df.loc[step, c] == pytest.approx(v, rel=1e-6), c
    assert df["gt_modes_covered"].tolist() == [s % 8 for s in range(25)]
    for k, v in META.items():
        assert df.attrs[k] == v
    assert df.attrs["schema_version"] == 1 and df.attrs["source_format"] == "ganalyze"
    assert "torch" in df.attrs["versions"] and "python" in df.attrs["versions"]
    # The same via the file path, and write_run round trip.
    df2 = read_run(tmp_path / "r" / "run.parquet")
    pd.testing.assert_frame_equal(df, df2)
    write_run(df, tmp_path / "copy", {"seed": 8})
    df3 = read_run(tmp_path / "copy")
    pd.testing.assert_frame_equal(df, df3)
    assert df3.attrs["seed"] == 8 and df3.attrs["hparams"] == META["hparams"]


def test_parts_and_late_columns_become_nan(tmp_path):
    log = RunLogger(tmp_path, flush_every_rows=10, background=False)
    for step in range(35):
        extra = {"div_pdist_ratio": 1.0} if step >= 20 and step % 5 == 0 else {}
        log.log(step, d_loss=1.0, g_loss=2.0, **extra)
    parts = sorted(os.listdir(tmp_path / "run.parquet.parts"))
    assert parts == [f"part-{i:06d}.parquet" for i in (1, 2, 3)]      # 30 rows flushed, 5 buffered
    live = read_run(tmp_path)                                         # a run still being written
    assert live["step"].tolist() == list(range(30))
    assert live["div_pdist_ratio"].notna().sum() == 2 and np.isnan(live.loc[0, "div_pdist_ratio"])
    log.close()
    df = read_run(tmp_path)
    assert len(df) == 35 and df["div_pdist_ratio"].notna().sum() == 3
    assert df["time_s"].is_monotonic_increasing


def test_time_based_flush_by_background_thread(tmp_path):
    log = RunLogger(tmp_path, flush_every_s=0.2)
    log.log(0, d_loss=1.0, g_loss=1.0)
    time.sleep(0.8)                       # the loop stalls; the thread flushes anyway
    assert len(read_run(tmp_path)) == 1
    log.close()


def test_resume_supersedes_rows_without_gaps_or_duplicates(tmp_path):
    with RunLogger(tmp_path, meta=META, background=False) as log:
        for step in range(100):
            log.log(step, d_loss=1.0, g_loss=1.0)
    # The trainer restarts from a checkpoint taken at step 60.
    with RunLogger(tmp_path, resume=True, background=False, flush_every_rows=7) as log:
        for step in range(60, 150):
            log.log(step, d_loss=2.0, g_loss=2.0)
            if step == 90:
                mid = read_run(tmp_path)     # live, resumed run: run.parquet + parts
                assert mid["step"].is_unique and mid["step"].tolist() == list(range(mid["step"].max() + 1))
    df = read_run(tmp_path)
    assert df["step"].tolist() == list(range(150))
    assert (df.loc[df.step < 60, "d_loss"] == 1.0).all() and (df.loc[df.step >= 60, "d_loss"] == 2.0).all()
    assert df.attrs["loss"] == "nsgan"                  # metadata carried over


def test_existing_run_without_resume_is_an_error(tmp_path):
    with RunLogger(tmp_path, background=False) as log:
        log.log(0, d_loss=1.0, g_loss=1.0)
    with pytest.raises(GanalyzeError, match="resume=True"):
        RunLogger(tmp_path)


@pytest.mark.parametrize("bad", [{"d_loss": "high"}, {"d_loss": torch.ones(3)}, {"d_loss": None}])
def test_log_rejects_non_numbers(tmp_path, bad):
    log = RunLogger(tmp_path, background=False)
    with pytest.raises(GanalyzeError):
        log.log(0, g_loss=1.0, **bad)
    log.close()


def test_log_rejects_non_increasing_step(tmp_path):
    log = RunLogger(tmp_path, background=False)
    log.log(3, d_loss=1.0, g_loss=1.0)
    with pytest.raises(GanalyzeError, match="strictly increasing"):
        log.log(3, d_loss=1.0, g_loss=1.0)
    log.close()


def test_nan_and_inf_are_data(tmp_path):
    with RunLogger(tmp_path, background=False) as log:
        log.log(0, d_loss=float("nan"), g_loss=torch.tensor(float("inf")))
        log.log(1, d_loss=1.0, g_loss=-float("inf"))
    df = read_run(tmp_path)
    assert np.isnan(df.d_loss[0]) and df.g_loss.tolist() == [np.inf, -np.inf]


_WRITER = textwrap.dedent("""
    import sys, time, torch
    from ganalyze.runlog import RunLogger
    log = RunLogger(sys.argv[1], flush_every_s=0.5, flush_every_rows=1000)
    step = 0
    while True:
        log.log(step, d_loss=torch.tensor(step * 1.0), g_loss=float(step))
        if step % 20 == 0:
            print(step, time.time(), flush=True)
        step += 1
        time.sleep(0.002)
""")


def test_sigkill_mid_run_recovers_rows_older_than_flush_interval(tmp_path):
    run = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(run)], stdout=subprocess.PIPE, text=True)
    progress = []
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            step, t = line.split()
            progress.append((int(step), float(t)))
            if progress[-1][0] >= 20 and progress[-1][1] - progress[0][1] > 2.5:
                break
        proc.send_signal(signal.SIGKILL)
        killed_at = time.time()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL and progress
    # A torn part (power loss / foreign writer) must be skipped with a warning.
    parts = run / "run.parquet.parts"
    (parts / "part-999999.parquet").write_bytes(b"PAR1garbage")
    with pytest.warns(UserWarning, match="torn"):
        df = read_run(run)
    assert df["step"].tolist() == list(range(len(df)))            # no gaps, no duplicates
    assert (df["d_loss"] == df["step"]).all()
    old_enough = [s for s, t in progress if t < killed_at - 0.5 - 0.3]   # 0.3 s slack for a loaded CI box
    assert old_enough and df["step"].max() >= max(old_enough)
    assert not (run / "run.parquet").exists()


def test_cli_summary_of_killed_run_warns_in_one_line(tmp_path):
    from click.testing import CliRunner

    from ganalyze.cli import main

    log = RunLogger(tmp_path, background=False, flush_every_rows=5)
    for step in range(12):
        log.log(step, d_loss=1.0, g_loss=2.0)
    (tmp_path / "run.parquet.parts" / "part-000003.parquet").write_bytes(b"PAR1\x00\x01")   # torn
    res = CliRunner().invoke(main, ["summary", str(tmp_path)])
    assert res.exit_code == 0 and "rows: 10" in res.stdout
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("ganalyze: warning: skipping torn run part")


def test_reader_racing_a_closing_writer_never_sees_a_partial_run(tmp_path):
    import threading
    import warnings

    log = RunLogger(tmp_path, background=False, flush_every_rows=50)
    for step in range(2000):
        log.log(step, d_loss=1.0, g_loss=2.0)
    seen = []
    stop = threading.Event()

    errors = []

    def reader():
        while not stop.is_set():
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")        # a vanished part must not warn as torn
                    seen.append(len(read_run(tmp_path)))
            except Exception as err:                      # noqa: BLE001 - reported below
                errors.append(err)

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.2)
    log.close()
    time.sleep(0.2)
    stop.set()
    t.join()
    assert not errors and seen and set(seen) == {2000}


def test_forgotten_close_is_done_at_interpreter_exit(tmp_path):
    code = ("import sys\nfrom ganalyze.runlog import RunLogger\n"
            "log = RunLogger(sys.argv[1])\n"
            "for s in range(5):\n    log.log(s, d_loss=1.0, g_loss=2.0)\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, timeout=60)
    assert (tmp_path / "run.parquet").exists() and not (tmp_path / "run.parquet.parts").exists()
    assert read_run(tmp_path)["step"].tolist() == list(range(5))


def test_a_sub_folder_removed_during_the_path_check_is_no_error(tmp_path, monkeypatch):
    """The racing-reader test above failed once in CI: the path check walks the run directory, and a
    closing writer removed run.parquet.parts/ between the listing and the walk into it ('... does not
    exist'). A sub-folder gone since the listing is skipped; the run directory itself is still checked."""
    from ganalyze import validate

    (tmp_path / "run.parquet.parts").mkdir()
    scandir = os.scandir

    def vanishing(path="."):
        if str(path).endswith(".parts") and os.path.isdir(path):
            os.rmdir(path)                    # the writer's close, between the listing and the walk
        return scandir(path)

    monkeypatch.setattr(os, "scandir", vanishing)
    assert validate.run_path(tmp_path) == tmp_path
    monkeypatch.undo()
    with pytest.raises(GanalyzeError, match="does not exist"):
        validate.run_path(tmp_path / "gone")
