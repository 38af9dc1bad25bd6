"""The Dask path: a LocalCluster of 2 worker processes started and stopped here, one killed mid-sweep."""
import os
import signal

import pandas as pd
import pytest

from ganalyze.sweep import SweepConfig, analyse, discover
from ganalyze.sweep.executors import run_dask
from ganalyze.sweep.table import build_table


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", silence_logs=40) as lc, Client(lc) as client:
        yield lc, client


def test_a_worker_killed_mid_sweep_loses_no_run(cluster, sweep_factory, tmp_path):
    lc, client = cluster
    dirs = sweep_factory(tmp_path / "runs", 24, seed=5)
    refs = discover([str(tmp_path / "runs" / "*")])
    expected = analyse(refs[:5], SweepConfig(workers=0, progress=False))
    rows, killed = {}, None
    for i, row in run_dask(refs, SweepConfig(in_flight=6), client):
        rows[i] = row
        if len(rows) == 8 and killed is None:   # mid-sweep: most runs still queued or running
            pids = client.run(os.getpid)
            killed = sorted(pids.items())[0]
            os.kill(killed[1], signal.SIGKILL)
    assert killed is not None and sorted(rows) == list(range(len(refs)))
    errors = {refs[i].name: r["error"] for i, r in rows.items() if r["error"]}
    assert set(errors) == {"run_bad_parquet", "run_bad"}          # only the broken runs, never the killed worker's
    table = build_table([rows[i] for i in range(len(refs))])
    cols = ["run", "verdict", "onset_label", "onset_step", "share_healthy", "final_g_loss", "rows", "hp.lr_d"]
    pd.testing.assert_frame_equal(table.loc[:4, cols], expected[cols], check_dtype=False)
    workers = {r["worker"] for r in rows.values() if r.get("worker")}
    assert workers and all(w.startswith("tcp://127.0.0.1:") for w in workers)
    assert len(dirs) == 26


def test_cli_scheduler_option(cluster, sweep_factory, tmp_path):
    from click.testing import CliRunner

    from ganalyze.cli import main

    lc, _ = cluster
    sweep_factory(tmp_path / "runs", 4, seed=6, broken=False)
    res = CliRunner().invoke(main, ["sweep", str(tmp_path / "runs"), "--scheduler", lc.scheduler_address,
                                    "-o", str(tmp_path / "out"), "--no-progress"])
    assert res.exit_code == 0, res.output
    table = pd.read_parquet(tmp_path / "out" / "sweep.parquet")
    assert len(table) == 4 and table["error"].isna().all()
    assert table["worker"].str.startswith("tcp://").all()
    res = CliRunner().invoke(main, ["sweep", str(tmp_path / "runs"), "--scheduler", "tcp://127.0.0.1:9"])
    assert res.exit_code == 2 and "scheduler: cannot reach 'tcp://127.0.0.1:9' (Connection refused)" in res.output
