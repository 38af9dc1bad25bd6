"""RunLogger under DDP: rank 0 writes (or one file per rank), rows reduced across ranks first."""
import numpy as np
import pytest
import torch
import torch.multiprocessing as mp

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import RunLogger, read_run
from ganalyze.runlog.distributed import NullLogger, rank_and_world, rank_logger, reduce_for_log

STEPS = 5


def _worker(rank, world, init, out):
    import torch.distributed as dist

    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=init, rank=rank, world_size=world)
    try:
        assert rank_and_world() == (rank, world)
        for per_rank in (False, True):
            folder = f"{out}/{'per_rank' if per_rank else 'run'}"
            with rank_logger(folder, meta={"loss": "nsgan"}, per_rank=per_rank, background=False) as log:
                assert isinstance(log, RunLogger) == (per_rank or rank == 0)
                for step in range(STEPS):
                    row = {"d_loss": torch.tensor(float(rank + step)), "g_loss": torch.tensor(10.0 * rank),
                           "grad_norm_d": torch.tensor(3.0), "lr_d": 2e-4}
                    log.log(step, **(row if per_rank else reduce_for_log(row)))
    finally:
        dist.destroy_process_group()


@pytest.fixture(scope="module")
def two_ranks(tmp_path_factory):
    """Two spawned processes in a gloo group (a file store in tmp): both logging modes."""
    tmp = tmp_path_factory.mktemp("ddp")
    mp.start_processes(_worker, args=(2, (tmp / "store").as_uri(), str(tmp)), nprocs=2, start_method="spawn")
    return tmp


def test_rank0_writes_the_mean_over_ranks_and_rank1_nothing(two_ranks):
    tmp_path = two_ranks
    df = read_run(tmp_path / "run")
    assert df["step"].tolist() == list(range(STEPS))
    np.testing.assert_allclose(df["d_loss"], np.arange(STEPS) + 0.5)    # mean of rank 0 (s) and rank 1 (s + 1)
    np.testing.assert_allclose(df["g_loss"], 5.0)
    np.testing.assert_allclose(df["grad_norm_d"], 3.0)                # equal on every rank: unchanged
    np.testing.assert_allclose(df["lr_d"], 2e-4)                      # numbers pass untouched
    assert df.attrs["world_size"] == 2
    assert not [p for p in (tmp_path / "run").iterdir() if p.name.startswith("rank_")]


def test_per_rank_files_keep_each_ranks_own_values(two_ranks):
    for rank in (0, 1):
        df = read_run(two_ranks / "per_rank" / f"rank_{rank:03d}")
        np.testing.assert_allclose(df["d_loss"], np.arange(STEPS) + rank)
        assert df.attrs["rank"] == rank and df.attrs["world_size"] == 2


def test_without_a_process_group(tmp_path, monkeypatch):
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "2")
    log = rank_logger(tmp_path / "r1")
    assert isinstance(log, NullLogger)
    with log:
        log.log(0, d_loss=1.0, g_loss=1.0)
    assert not (tmp_path / "r1").exists()
    monkeypatch.delenv("RANK")
    monkeypatch.delenv("WORLD_SIZE")
    row = {"d_loss": torch.tensor(1.5), "lr_d": 1e-3}
    assert reduce_for_log(row) == row                                 # no group: nothing to reduce
    with rank_logger(tmp_path / "r0", background=False) as log:
        assert isinstance(log, RunLogger)
        log.log(0, d_loss=1.0, g_loss=2.0)
    assert "world_size" not in read_run(tmp_path / "r0").attrs
    with pytest.raises(GanalyzeError, match="op: got 'median'"):
        reduce_for_log(row, op="median")
