"""Compaction keeps the number of files bounded while a run is written; reading any number of
files applies the resume rule in one pass."""
import os
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from ganalyze.runlog import RunLogger, read_run, store


def _n_files(run):
    return len([f for f in os.listdir(Path(run) / store.PARTS_DIR) if f.endswith(".parquet")])


def test_inline_compaction_bounds_files_and_keeps_every_row(tmp_path):
    log = RunLogger(tmp_path, background=False, flush_every_rows=1, record_time=False)
    most = 0
    for step in range(650):
        log.log(step, d_loss=float(step), g_loss=1.0, **({"div_pdist_ratio": 0.5} if step % 50 == 0 else {}))
        most = max(most, _n_files(tmp_path))
    # 650 flushes: 6 files of 100 parts, 5 of 10 -> 11 files; never more than 9 per size + the batch.
    assert _n_files(tmp_path) == 11 and most <= 3 * (store.COMPACT_FANOUT - 1) + 1
    names = sorted(os.listdir(tmp_path / store.PARTS_DIR))
    assert names[0] == "chunk-000001-000100.parquet" and names[-1] == "chunk-000641-000650.parquet"
    live = read_run(tmp_path)
    assert live["step"].tolist() == list(range(650)) and (live["d_loss"] == live["step"]).all()
    assert live["div_pdist_ratio"].notna().sum() == 13          # late/sparse columns survive merges
    log.close()
    assert read_run(tmp_path).equals(live)


def test_background_compaction_thread(tmp_path):
    log = RunLogger(tmp_path, flush_every_rows=1)
    for step in range(120):
        log.log(step, d_loss=float(step), g_loss=1.0)
    deadline = time.monotonic() + 30
    while _n_files(tmp_path) > store.COMPACT_FANOUT and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _n_files(tmp_path) <= store.COMPACT_FANOUT + 1
    log.close()
    assert read_run(tmp_path)["step"].tolist() == list(range(120))


def test_compaction_merges_across_resumed_sessions(tmp_path):
    """Parts of a killed session and of the session that resumed it at an earlier step end up
    in one chunk with the resume rule applied inside it."""
    parts = tmp_path / store.PARTS_DIR
    parts.mkdir()
    for number in range(1, 7):                                   # session 1: steps 0..59
        first = (number - 1) * 10
        store.write_table_atomic(pa.table({"step": np.arange(first, first + 10), "d_loss": np.ones(10),
                                           "g_loss": np.ones(10)}), store.part_path(tmp_path, number), {})
    log = RunLogger(tmp_path, resume=True, background=False, flush_every_rows=10, record_time=False)
    for step in range(35, 75):                                   # session 2 restarts at 35: parts 7..10
        log.log(step, d_loss=2.0, g_loss=2.0)
    assert sorted(os.listdir(parts)) == ["chunk-000001-000010.parquet"]
    df = read_run(tmp_path)
    assert df["step"].tolist() == list(range(75))
    assert (df["d_loss"] == np.where(df["step"] < 35, 1.0, 2.0)).all()
    log.close()


def test_cover_keeps_outermost_files_only():
    src = [store.Source(1, 10, Path("a")), store.Source(1, 1, Path("b")), store.Source(11, 11, Path("c")),
           store.Source(5, 5, Path("d")), store.Source(11, 20, Path("e")), store.Source(21, 21, Path("f"))]
    assert [s.path.name for s in store.cover(src)] == ["a", "e", "f"]
    assert [s.path.name for s in store.cover(src, above=20)] == ["f"]


def test_compaction_batch_picks_ten_files_of_one_size():
    def files(*spans):
        out, lo = [], 1
        for span in spans:
            out.append(store.Source(lo, lo + span - 1, Path(str(lo))))
            lo += span
        return out
    assert store.compaction_batch(files(*[1] * 9)) is None
    batch = store.compaction_batch(files(100, 10, 10, *[1] * 10))
    assert [s.span for s in batch] == [1] * 10
    batch = store.compaction_batch(files(100, *[10] * 10, 1))
    assert [s.span for s in batch] == [10] * 10 and batch[0].lo == 101


def test_read_of_many_parts_applies_the_resume_rule_in_order(tmp_path):
    """600 parts where every 50th restarts 30 steps back (a resumed session): one pass."""
    parts = tmp_path / store.PARTS_DIR
    parts.mkdir()
    step, expected = 0, {}
    for number in range(1, 601):
        if number % 50 == 0:
            step -= 30
        steps = np.arange(step, step + 5)
        store.write_table_atomic(pa.table({"step": steps, "d_loss": np.full(5, float(number)),
                                           "g_loss": np.ones(5)}), store.part_path(tmp_path, number), {})
        for old in range(int(steps[0]), int(steps[0]) + 30):     # superseded by this part
            expected.pop(old, None)
        expected.update({int(s): float(number) for s in steps})
        step += 5
    df = read_run(tmp_path)
    assert df["step"].tolist() == sorted(expected)
    assert df["d_loss"].tolist() == [expected[s] for s in sorted(expected)]


def test_reading_many_parts_keeps_no_file_open(tmp_path):
    """A killed run of more parts than the process may open files (ulimit -n is often 1024)."""
    import subprocess
    import sys

    parts = tmp_path / store.PARTS_DIR
    parts.mkdir()
    for number in range(1, 201):
        store.write_table_atomic(pa.table({"step": np.array([number - 1]), "d_loss": np.ones(1), "g_loss": np.ones(1)}),
                                 store.part_path(tmp_path, number), {})
    code = ("import resource, sys\nresource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))\n"
            "from ganalyze.runlog import read_run\nprint(len(read_run(sys.argv[1])))\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["200"]
