"""SIGKILL at every stage of the commit protocol (flush, compaction, close(), resume): every
row flushed before the kill reads back, contiguous, and a resumed writer takes the stale
lock over and closes the run into one run.parquet.

One helper process imports the package once and forks a writer per (scenario, stage); the
writer installs ``store.fault_hook`` to SIGKILL itself when it reaches the stage, so the
whole matrix runs in seconds."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ganalyze.runlog import RunLogger, read_run, store

_ZYGOTE = textwrap.dedent("""
    import json, os, signal, sys
    from ganalyze.runlog import RunLogger, store

    def session(run, first, last, value_offset, progress, resume):
        log = RunLogger(run, resume=resume, background=False, flush_every_rows=10**9, flush_every_s=1e9)
        fd = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        for step in range(first, last + 1):
            log.log(step, d_loss=float(step + value_offset), g_loss=1.0)
            if step % 2 == 1:
                log.flush()
                os.write(fd, f"{step}\\n".encode())     # durable: flushed before any later stage
        return log

    def run_child(fn):
        pid = os.fork()
        if pid == 0:
            try:
                fn()
            finally:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    results = {}
    for case in json.loads(sys.argv[1]):
        run, scenario, stage = case["run"], case["scenario"], case["stage"]
        if scenario == "resume":   # session 1 (steps 0..39) killed after its last flush
            def setup():
                session(run, 0, 39, 0, run + ".setup", False)
                os.kill(os.getpid(), signal.SIGKILL)
            run_child(setup)

        def victim():
            store.fault_hook = store._kill_at(stage)
            if scenario == "fresh":
                session(run, 0, 49, 0, run + ".progress", False).close()
            else:
                session(run, 30, 79, 1000, run + ".progress", True).close()
        results[run] = run_child(victim)
    print(json.dumps(results))
""")

_STAGES = [s if s.startswith(("open", "close")) else s + "#2" for s in store.STAGES]


def _durable(path):
    try:
        return [int(x) for x in open(path).read().split()]
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def killed_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("kills")
    cases = [{"run": str(root / f"{sc}-{i}"), "scenario": sc, "stage": st}
             for sc in ("fresh", "resume") for i, st in enumerate(_STAGES)]
    out = subprocess.run([sys.executable, "-c", _ZYGOTE, json.dumps(cases)], capture_output=True, text=True, check=False,
                         timeout=300, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert out.returncode == 0, out.stderr
    return cases, json.loads(out.stdout.splitlines()[-1])


def _check_rows(df, scenario, durable):
    steps = df["step"].to_numpy()
    assert steps.tolist() == list(range(len(steps))), "rows missing or duplicated"
    if durable:
        assert steps.max() >= max(durable), f"flushed step {max(durable)} lost (have up to {steps.max()})"
    d = df["d_loss"].to_numpy()
    if scenario == "fresh":
        assert (d == steps).all()
        return
    if not durable:
        assert steps.max() >= 39                          # session 1 flushed everything before it died
    assert (d[steps < 30] == steps[steps < 30]).all()    # rows before the resume point: session 1
    late = steps >= 30
    if durable:                                           # session 2 flushed: it supersedes 30.. wholesale
        assert (d[late] == steps[late] + 1000).all()
    else:
        assert ((d[late] == steps[late]).all() or (d[late] == steps[late] + 1000).all())


@pytest.mark.parametrize("scenario", ["fresh", "resume"])
def test_kill_at_every_stage_loses_no_flushed_row(killed_runs, scenario):
    cases, killed = killed_runs
    for case in (c for c in cases if c["scenario"] == scenario):
        run, stage = case["run"], case["stage"]
        assert killed[run], f"{stage}: the writer never reached the stage"
        durable = _durable(run + ".progress")
        on_disk = os.path.exists(os.path.join(run, "run.parquet")) or store.list_parts(run)
        if not on_disk:
            assert scenario == "fresh" and not durable, stage
            continue
        try:
            df = read_run(run)
            _check_rows(df, scenario, durable)
            # A new writer takes the dead writer's lock over and closes the run cleanly.
            log = RunLogger(run, resume=True, background=False)
            assert log._writer_lock.took_over is not None and log._writer_lock.took_over["pid"] != os.getpid()
            log.close()
            assert sorted(os.listdir(run)) == ["run.parquet"]
            after = read_run(run)
            assert after["step"].tolist() == df["step"].tolist()
            np.testing.assert_array_equal(after["d_loss"].to_numpy(), df["d_loss"].to_numpy())
        except AssertionError as err:
            raise AssertionError(f"{scenario} killed at {stage}: {err}") from None


def test_leftover_parts_never_supersede_the_merged_file(tmp_path):
    """The failure of the old protocol: killed after run.parquet appeared, before the parts
    were removed; the part from step 0 used to replace the whole merged file."""
    log = RunLogger(tmp_path, background=False, flush_every_rows=5)
    for step in range(23):
        log.log(step, d_loss=float(step), g_loss=1.0)
    log.close()
    # Put back parts 1 and 3 (a cleanup interrupted after the rename of run.parquet).
    parts = tmp_path / store.PARTS_DIR
    parts.mkdir()
    for number, first in ((1, 0), (3, 10)):
        import pyarrow as pa

        table = pa.table({"step": np.arange(first, first + 5), "d_loss": np.full(5, -1.0), "g_loss": np.ones(5)})
        store.write_table_atomic(table, store.part_path(tmp_path, number), {})
    df = read_run(tmp_path)
    assert df["step"].tolist() == list(range(23)) and (df["d_loss"] >= 0).all()
