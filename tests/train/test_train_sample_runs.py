"""The committed sample runs show what sample_runs/README.md says, by their logged ground truth."""
import importlib.util
from pathlib import Path

import pytest

from ganalyze.runlog import read_run
from ganalyze.train.checkpoint import build_from_checkpoint, load_checkpoint

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("make_sample_runs", ROOT / "scripts" / "make_sample_runs.py")
make_sample_runs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_sample_runs)


@pytest.mark.parametrize("name", sorted(make_sample_runs.RUNS))
def test_sample_run_behaves_as_documented(name):
    run = ROOT / "sample_runs" / name
    df = read_run(run)
    ok, msg = make_sample_runs.check(name, df)
    assert ok, f"{name}: {msg}"
    assert len(df) == make_sample_runs.RUNS[name].steps
    ckpt = load_checkpoint(run / "gen.pth")
    assert ckpt["storage_dtype"] == "float16"
    build_from_checkpoint(ckpt)
    assert list((run / "samples").glob("step_*.png"))


def test_healthy_covers_more_classes_than_collapse():
    healthy = read_run(ROOT / "sample_runs" / "mnist_mlp_healthy")["gt_classes_covered"].dropna()
    collapse = read_run(ROOT / "sample_runs" / "mnist_collapse")["gt_classes_covered"].dropna()
    assert healthy.iloc[-1] > collapse.iloc[-1]


def test_readme_table_is_what_check_only_prints():
    """sample_runs/README.md's table is generated (make_sample_runs.py --check-only --write-readme)."""
    import torch

    torch.set_num_threads(1)
    rows = [make_sample_runs.table_row(name, ROOT / "sample_runs" / name) for name in make_sample_runs.RUNS]
    table = make_sample_runs.readme_table(rows)
    assert table in (ROOT / "sample_runs" / "README.md").read_text(encoding="utf-8")
