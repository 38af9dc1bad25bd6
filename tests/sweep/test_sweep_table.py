"""A 200-run sweep on the local process pool: every row equals what single-run diagnose says."""
import json

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import LABELS, diagnose
from ganalyze.runlog import read_run
from ganalyze.sweep import SweepConfig, analyse, discover
from ganalyze.sweep.row import verdict_of
from ganalyze.sweep.table import swept_hparams


@pytest.fixture(scope="module")
def table_200(sweep_200):
    folder, dirs = sweep_200
    return analyse([str(folder / "*")], SweepConfig(workers=2, progress=False)), dirs


def test_one_row_per_run_in_order_with_the_broken_runs_as_error_rows(table_200):
    table, dirs = table_200
    assert len(table) == 202
    assert list(table["run"]) == sorted(p.name if p.is_dir() else p.stem for p in dirs)
    bad = table.set_index("run").loc[["run_bad_parquet", "run_bad"], "error"]
    assert "not a Parquet run file" in bad["run_bad_parquet"]
    assert "g_loss" in bad["run_bad"]                          # read_run's own message names the column
    assert table["error"].notna().sum() == 2
    assert table.loc[table["error"].isna(), "verdict"].isin(LABELS).all()
    assert table["worker"].nunique() >= 2                      # both pool processes did work


def test_every_row_equals_single_run_diagnose(table_200):
    table, dirs = table_200
    for run_dir in dirs[:200]:
        row = table.set_index("run").loc[run_dir.name]
        df = read_run(run_dir)
        d = diagnose(df).to_dict()
        fractions = d["summary"]["label_fractions"]
        assert row["verdict"] == verdict_of(d)
        for lab in LABELS:
            assert row[f"share_{lab}"] == pytest.approx(fractions.get(lab, 0.0), abs=1e-12)
        patho = [s for s in d["segments"] if s["label"] not in ("warmup", "healthy")]
        if patho:
            assert (row["onset_label"], row["onset_step"]) == (patho[0]["label"], patho[0]["start_step"])
        else:
            assert row["onset_label"] is None and pd.isna(row["onset_step"])
        assert row["n_segments"] == len(d["segments"])
        assert row["rows"] == len(df) and row["last_step"] == df["step"].iloc[-1]
        np.testing.assert_allclose(row["final_d_loss"], df["d_loss"].to_numpy()[-50:].mean(), rtol=1e-12)
        np.testing.assert_allclose(row["final_d_x"], df["d_x"].to_numpy()[-50:].mean(), rtol=1e-12)
        cfg = run_dir / "config.json"
        hp = json.loads(cfg.read_text()) if cfg.exists() else df.attrs["hparams"]
        assert row["hp.lr_d"] == pytest.approx(hp["lr_d"])
        assert row["hp.source_run"] == hp["source_run"]
        assert (row["hp.sweep_index"] == hp["sweep_index"]) if cfg.exists() else pd.isna(row["hp.sweep_index"])


def test_diverged_runs_end_nan_and_name_their_first_nonfinite_step(table_200):
    table, _ = table_200
    div = table[table["hp.source_run"].eq("nan_at_1800") & table["share_divergence"].gt(0)]
    assert len(div) >= 1
    assert (div["verdict"] == "divergence").all()
    assert div["final_d_loss"].isna().all()
    assert (div["first_nonfinite_step"] == div["onset_step"]).all()   # slices rebase steps: same in both


def test_swept_hyperparameters_are_those_that_vary(table_200):
    table, _ = table_200
    swept = swept_hparams(table)
    assert {"lr_d", "lr_g", "loss", "source_run", "slice_start"} <= set(swept)
    assert "beta2" not in swept                                  # 0.999 in every corpus run
    assert table["hp.lr_d"].dtype == np.float64 and table["hp.slice_start"].dtype == "Int64"


def test_serial_and_pool_give_the_same_rows(table_200, sweep_200):
    table, dirs = table_200
    refs = [r for r in discover([str(sweep_200[0] / "*")]) if r.name in {d.name for d in dirs[:12:3]}]
    serial = analyse(refs, SweepConfig(workers=0, progress=False))
    cols = [c for c in serial.columns if c not in ("worker", "analyse_s")]
    pooled = table.set_index("run").loc[serial["run"]].reset_index()
    pd.testing.assert_frame_equal(serial[cols].reset_index(drop=True), pooled[cols], check_dtype=False)



def test_diversity_of_the_last_checkpoint_when_asked(sweep_200):
    from pathlib import Path

    from ganalyze.diversity.mnist import DiversityConfig
    from ganalyze.diversity.run import score_checkpoint

    run = Path(__file__).resolve().parents[2] / "sample_runs" / "ring8_vanilla_collapse"
    folder, dirs = sweep_200
    table = analyse([run, dirs[0]], SweepConfig(workers=0, diversity=True, diversity_n=300, progress=False))
    direct = score_checkpoint(run / "gen.pth", DiversityConfig(n=300), "cpu").row()
    row = table.iloc[0]
    assert row["div_modes_covered"] == direct["modes_covered"] and row["div_step"] == direct["step"]
    assert row["div_kl_uniform"] == pytest.approx(direct["kl_uniform"], nan_ok=True)
    assert row["div_modes_covered"] <= 2                            # the collapsed ring covers one or two modes
    assert pd.isna(table.iloc[1]["div_modes_covered"]) and table.iloc[1]["error"] is None   # no gen.pth: no value


def test_verdict_of_a_possible_finding_is_its_label():
    """A main finding the log cannot check reads "possible mode_collapse from step ..." (stop 29):
    its verdict is still the label, not the largest share."""
    d = {"summary": {"main_finding": "possible mode_collapse from step 4300 (62% of logged steps): ...",
                     "label_fractions": {"healthy": 0.7, "mode_collapse": 0.2, "stagnation": 0.1}}}
    assert verdict_of(d) == "mode_collapse"


def test_a_file_holding_several_runs_is_one_row_per_run(tmp_path):
    """A CycleGAN loss_log holds runs A and B: the sweep refused it ('holds 2 runs ... read them all
    with read_runs / any ganalyze command'); each run is a row now, named FILE:PAIR, equal to
    diagnosing that run alone."""
    import shutil
    from pathlib import Path

    log = tmp_path / "loss_log.txt"
    shutil.copy(Path(__file__).parents[1] / "data" / "logs" / "cyclegan_loss_log.txt", log)
    refs = discover([str(log)])
    assert [(r.name, r.pair) for r in refs] == [("loss_log:A", "A"), ("loss_log:B", "B")]
    table = analyse(refs, SweepConfig(workers=0, progress=False))
    assert table["error"].isna().all() and len(table) == 2
    with pytest.warns(UserWarning, match="replaced by a later write"):   # the fixture's restart
        alone = diagnose(read_run(log, pair="B"))
    assert table.iloc[1]["main_finding"] == alone.summary["main_finding"]
    # a table is read at discovery only when its header can hold several runs (a D loss per domain)
    from ganalyze.sweep.sources import _may_hold_several

    pd.DataFrame({"step": range(5), "D_X_loss": 0.25, "D_Y_loss": 0.22, "G_loss": 6.0}).to_csv(tmp_path / "h.csv", index=False)
    pd.DataFrame({"step": range(5), "d_loss": 1.2, "g_loss": 0.8}).to_csv(tmp_path / "one.csv", index=False)
    assert _may_hold_several(tmp_path / "h.csv") and not _may_hold_several(tmp_path / "one.csv")
    assert [r.pair for r in discover([str(tmp_path / "h.csv"), str(tmp_path / "one.csv")])] == ["X", "Y", None]


def test_the_report_of_one_run_of_a_multi_run_file_holds_that_run_alone(tmp_path):
    """The sweep's per-run report of ``loss_log:B`` rendered the whole file (runs A and B)."""
    import shutil
    import warnings
    from pathlib import Path

    from ganalyze.sweep.api import _render_one

    log = tmp_path / "loss_log.txt"
    shutil.copy(Path(__file__).parents[1] / "data" / "logs" / "cyclegan_loss_log.txt", log)
    ref = discover([str(log)])[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _render_one(ref, str(tmp_path / "rep"))
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "loss_log:B" in html and "loss_log:A" not in html
