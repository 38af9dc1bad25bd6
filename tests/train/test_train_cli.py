from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.runlog import read_run


def test_train_cli_runs_and_prints_result(tmp_path):
    res = CliRunner().invoke(main, ["train", str(tmp_path / "r"), "--arch", "mlp2d", "--dataset", "ring8",
                                    "--steps", "3", "--batch-size", "8", "--lr-g", "0.001", "--betas", "0.5", "0.9",
                                    "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "steps: 3" in res.stdout and "ring8 synthetic" in res.stdout
    df = read_run(tmp_path / "r")
    assert df.attrs["hparams"]["beta2"] == 0.9 and (df["lr_g"] == 0.001).all()


def test_train_cli_bad_option_is_one_line_exit_2(tmp_path):
    res = CliRunner().invoke(main, ["train", str(tmp_path / "r"), "--arch", "mlp", "--dataset", "ring8"])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "arch" in res.stderr
    res = CliRunner().invoke(main, ["train", str(tmp_path / "r"), "--mnist-root", str(tmp_path / "none")])
    assert res.exit_code == 2 and "--mnist-root" in res.stderr   # the library says mnist_root, the CLI the flag
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "run.parquet").write_bytes(b"x")
    res = CliRunner().invoke(main, ["train", str(tmp_path / "old"), "--arch", "mlp2d", "--dataset", "ring8"])
    assert res.exit_code == 2 and res.stderr.startswith("ganalyze: error: run_dir")
