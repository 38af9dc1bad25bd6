"""Runs in object storage: an S3-compatible server (moto) on 127.0.0.1, started and stopped here."""
import pandas as pd
import pytest

from ganalyze.sweep import SweepConfig, analyse, discover
from ganalyze.sweep.read import read_ref

SECRET = "s3cr3t-never-printed"
BUCKET = "ganalyze-sweep-test"


@pytest.fixture(scope="module")
def s3(tmp_path_factory, sweep_factory):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": f"http://{host}:{port}"}
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)     # the pool's worker processes inherit the environment
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    fs.mkdir(BUCKET)
    local = tmp_path_factory.mktemp("s3src")
    dirs = sweep_factory(local, 12, seed=3, broken=False)
    for d in dirs:
        fs.put(str(d / "run.parquet"), f"{BUCKET}/lr/{d.name}/run.parquet")
        if (d / "config.json").exists():
            fs.put(str(d / "config.json"), f"{BUCKET}/lr/{d.name}/config.json")
    fs.pipe(f"{BUCKET}/lr/zz_garbage/run.parquet", b"PAR1 not parquet at all PAR1")
    yield local, dirs
    s3fs.S3FileSystem.clear_instance_cache()
    mp.undo()
    server.stop()


def test_s3_glob_gives_the_same_rows_as_the_local_copies(s3):
    local, dirs = s3
    remote = analyse([f"s3://{BUCKET}/lr/*/run.parquet"], SweepConfig(workers=2, progress=False))
    here = analyse([str(local / "*")], SweepConfig(workers=0, progress=False))
    assert list(remote["run"]) == [d.name for d in dirs] + ["zz_garbage"]
    bad = remote.set_index("run").loc["zz_garbage"]
    assert "not a readable Parquet" in bad["error"] and bad["source"].startswith("s3://")
    remote = remote[remote["run"] != "zz_garbage"].reset_index(drop=True)
    assert remote["error"].isna().all()
    cols = [c for c in here.columns if c not in ("source", "worker", "analyse_s")]
    pd.testing.assert_frame_equal(remote[cols], here[cols], check_dtype=False)
    assert remote["source"].str.startswith(f"s3://{BUCKET}/lr/run_").all()


@pytest.mark.usefixtures("s3")
def test_a_folder_url_finds_its_runs_and_only_needed_columns_are_read():
    refs = discover([f"s3://{BUCKET}/lr"])
    assert len(refs) == 13 and refs[0].is_url and refs[0].source.endswith("/run_000/run.parquet")
    df, cfg = read_ref(refs[0])
    assert not [c for c in df.columns if c.startswith("gt_")]      # present in the object, never read
    assert {"d_loss", "g_loss", "d_x", "div_pdist_ratio"} <= set(df.columns)
    assert df.attrs["loss"] in ("nsgan", "minimax", "wgan-gp") and cfg is None   # run_000 has no config.json


@pytest.mark.usefixtures("s3")
def test_credentials_are_never_shown(tmp_path):
    from click.testing import CliRunner

    from ganalyze.cli import main

    res = CliRunner().invoke(main, ["sweep", f"s3://{BUCKET}/lr/run_00[12]", "-o", str(tmp_path / "out"),
                                    "--workers", "0", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "runs: 2 (0 failed)" in res.output
    for f in ("sweep.csv", "sweep.html"):
        assert SECRET not in (tmp_path / "out" / f).read_text()
    assert SECRET not in res.output
    res = CliRunner().invoke(main, ["sweep", f"s3://key:{SECRET}@{BUCKET}/nothing/*/run.parquet"])
    assert res.exit_code == 2 and SECRET not in res.output and "***@" in res.output
