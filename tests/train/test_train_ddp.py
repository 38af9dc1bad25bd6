"""The reference trainer under torchrun: 2 processes, gloo on CPU, one log written by rank 0."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

from ganalyze.runlog import read_run
from ganalyze.train import TrainConfig, train

ROOT = Path(__file__).resolve().parents[2]
OPTS = dict(arch="mlp2d", dataset="ring8", steps=12, batch_size=16, signal_every=4, checkpoint_every=0,
            sample_every=0, device="cpu")


def test_two_process_gloo_run_has_the_single_process_log_shape(tmp_path):
    args = [str(tmp_path / "ddp"), "--no-progress"]
    for k, v in OPTS.items():
        args += [f"--{k.replace('_', '-')}", str(v)]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
                           "-m", "ganalyze.train", *args], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert proc.stdout.count("steps: 12") == 2, proc.stderr[-3000:]     # both ranks trained to the end
    # once, on a loaded machine, gloo's worker threads aborted the exit after both ranks had finished
    # and closed the group ("terminate called without an active exception": pytorch/pytorch#179291's
    # teardown race, upstream); that exit code alone is tolerated, the log is checked below
    teardown = "terminate called without an active exception" in proc.stderr
    assert proc.returncode == 0 or teardown, proc.stderr[-3000:]

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        train(TrainConfig(progress=False, **OPTS), tmp_path / "solo")
    finally:
        torch.set_num_threads(n)
    ddp, solo = read_run(tmp_path / "ddp"), read_run(tmp_path / "solo")
    assert list(ddp.columns) == list(solo.columns)
    assert ddp.dtypes.equals(solo.dtypes)
    assert ddp["step"].tolist() == list(range(12))                  # one row per step, not one per rank
    assert (ddp.isna() == solo.isna()).all().all()                  # same every-k signal rows
    assert np.isfinite(ddp[["d_loss", "g_loss", "d_x", "grad_norm_d"]].to_numpy()).all()
    assert ddp.attrs["world_size"] == 2 and ddp.attrs["ddp_backend"] == "gloo"
    assert "world_size" not in solo.attrs
    # rank 0 alone wrote the run folder: no per-rank folders, one checkpoint pair
    assert sorted(p.name for p in (tmp_path / "ddp").iterdir()) == sorted(p.name for p in (tmp_path / "solo").iterdir())
