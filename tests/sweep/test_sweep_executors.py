"""The local pool survives a worker process that dies: its runs are retried, a run that always
kills its worker becomes an error row, every other run still gets its row."""
import os

from ganalyze.sweep import SweepConfig, discover
from ganalyze.sweep.executors import run_local
from ganalyze.sweep.row import analyse_run


def _kills_its_worker(ref, config):
    """analyse_run, except that the run named run_002 kills the process analysing it."""
    if ref.name == "run_002":
        os._exit(9)
    return analyse_run(ref, config)


def test_a_run_that_kills_its_worker_is_an_error_row_and_the_rest_complete(sweep_factory, tmp_path):
    sweep_factory(tmp_path / "runs", 6, seed=8, broken=False)
    refs = discover([str(tmp_path / "runs")])
    rows = dict(run_local(refs, SweepConfig(workers=2, retries=1, in_flight=2), fn=_kills_its_worker))
    assert sorted(rows) == list(range(6))
    assert "worker process died while analysing this run (2 attempts)" == rows[2]["error"]
    assert rows[2]["run"] == "run_002"
    assert all(rows[i]["error"] is None and rows[i]["verdict"] for i in (0, 1, 3, 4, 5))
