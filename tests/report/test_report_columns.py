"""What the report reads of a long run: only its own columns (float32 where exact), the helix
table at two rows per window bin, and float32 / integer series reduced without float64 copies,
with the same figures' numbers as reading everything."""
import numpy as np
import pandas as pd

from ganalyze.diagnose import diagnose
from ganalyze.report import build, prepare
from ganalyze.report.columns import ColumnPick, report_columns
from ganalyze.report.decimate import first_at_or_after, minmax_decimate
from ganalyze.runlog import write_run


def _run_with_extras(run_factory, tmp_path):
    df = run_factory(n=3000)
    df["epoch"] = (df["step"] // 500).astype("float64")      # only named in the header
    df["time_s"] = df["step"] * 0.013                          # only its max is shown
    df["ssim_extra"] = np.nan                                  # never logged
    write_run(df, tmp_path / "run")
    return df


def test_report_columns_keep_drawn_and_diagnosed_only():
    names = ["step", "epoch", "d_loss", "g_loss", "d_x", "time_s", "d_real_q50", "lr_d", "div_pdist_ratio", "foo"]
    assert report_columns(names) == ["step", "d_loss", "g_loss", "d_x", "time_s", "d_real_q50", "lr_d",
                                     "div_pdist_ratio"]
    pick = ColumnPick()
    assert pick(names) == report_columns(names)
    assert pick.unread(report_columns(names)) == ["epoch", "foo"]


def test_report_reads_projected_float32_frame_and_header_still_names_everything(run_factory, tmp_path):
    full = _run_with_extras(run_factory, tmp_path)
    pick = ColumnPick()
    [(suffix, df, run_dir)] = build.load_runs(tmp_path / "run", pick=pick)
    assert suffix is None and run_dir == tmp_path / "run"
    assert "epoch" not in df.columns and "ssim_extra" not in df.columns and "d_loss" in df.columns
    assert df["d_x"].dtype == np.float64 or np.array_equal(df["d_x"].to_numpy(np.float64), full["d_x"].to_numpy())
    rr = build.RunReport(name="run", source=tmp_path / "run", df=df, run_dir=run_dir,
                         unread=pick.unread(df.columns), log_columns=list(pick.offered))
    build._keep_wall_time(rr)
    assert "time_s" not in rr.df.columns and rr.wall_time_s == full["time_s"].max()
    header = dict(build.header_rows(rr))
    everything = build.RunReport(name="run", source=tmp_path / "run", df=full, run_dir=run_dir)
    # a column not read is named as in the log (whether it holds a value is not known unread)
    assert header["columns logged"].split(", ") == [c for c in full.columns if c != "step"]
    assert dict(build.header_rows(everything))["columns logged"].split(", ") == [
        c for c in full.columns if c not in ("step", "ssim_extra")]
    assert header["wall time"] == dict(build.header_rows(everything))["wall time"]


def test_report_of_a_run_renders_from_the_projected_frame(run_factory, tmp_path):
    _run_with_extras(run_factory, tmp_path)
    written = build.render_report([tmp_path / "run"], tmp_path / "out", fmt="html")
    names = sorted(p.name for p in written)
    assert "run_losses.png" in names and "run_helix.png" in names and "report.html" in names
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "epoch" in html and "time_s" in html


def test_helix_table_is_the_per_row_table_at_two_rows_per_bin(run_factory):
    df = run_factory(n=3000)
    d = diagnose(df)
    per_row = d.helix_stats(df)
    table = prepare.helix_table(d)
    assert list(table.columns) == ["step", "rows", "crossing_rate", "anticorrelation"]
    assert len(table) < len(per_row) and table["rows"].sum() == len(per_row)
    # every logged row's value is the value of the bin whose step range holds it
    firsts = table.iloc[0::2].reset_index(drop=True)
    lasts = table.iloc[1::2].reset_index(drop=True)
    which = np.searchsorted(firsts["step"].to_numpy(), per_row["step"].to_numpy(), side="right") - 1
    assert (per_row["step"].to_numpy() <= lasts["step"].to_numpy()[which]).all()
    for col in ("crossing_rate", "anticorrelation"):
        np.testing.assert_array_equal(per_row[col].to_numpy(), firsts[col].to_numpy()[which])
        np.testing.assert_allclose(prepare.helix_mean(table, col), np.nanmean(per_row[col]), rtol=1e-12)
        assert prepare.helix_mean(per_row, col) == np.nanmean(per_row[col])


def test_float32_and_integer_steps_reduce_to_the_float64_numbers():
    rng = np.random.default_rng(3)
    x = np.arange(0, 3_000_000, 3, dtype=np.int64) + 7
    y = rng.standard_normal(len(x)).astype(np.float32)
    y[12345] = np.nan
    y[54321] = np.inf
    xd, yd = minmax_decimate(x, y, 700)
    xd64, yd64 = minmax_decimate(x.astype(np.float64), y.astype(np.float64), 700)
    assert xd.dtype == yd.dtype == np.float64
    np.testing.assert_array_equal(xd, xd64)
    np.testing.assert_array_equal(yd, yd64)
    at = np.linspace(x[0], x[-1], 999)
    np.testing.assert_array_equal(first_at_or_after(x, at), np.searchsorted(x.astype(np.float64), at))


def test_curve_of_a_float32_frame_equals_the_float64_one(run_factory):
    df = run_factory(n=5000)
    narrow = df.astype({c: np.float32 for c in ("d_loss", "g_loss")})
    wide = narrow.astype({c: np.float64 for c in ("d_loss", "g_loss")})
    for col in ("d_loss", "g_loss"):
        a, b = prepare.curve(narrow, col, 50.0, 300), prepare.curve(wide, col, 50.0, 300)
        np.testing.assert_array_equal(a["raw"][1], b["raw"][1])
        np.testing.assert_allclose(a["smooth"][1], b["smooth"][1], rtol=1e-12)
    frame32, _ = prepare.helix_frame(narrow, 50.0)
    frame64, _ = prepare.helix_frame(wide, 50.0)
    pd.testing.assert_frame_equal(frame32, frame64, rtol=1e-12)


def test_helix_of_a_composite_g_loss_is_on_z_scores_as_the_diagnosis_crossings():
    """A G loss holding other terms (pix2pix's 100 x L1) has no equilibrium level: the helix draws
    both losses as robust z-scores, the scale the diagnosis' crossing rate is computed on."""
    rng = np.random.default_rng(0)
    t = np.arange(2000)
    df = pd.DataFrame({"step": t, "d_loss": np.where(t == 0, 0.716, 0.1 + 0.05 * rng.random(2000)),
                       "g_loss": np.where(t == 0, 38.4, 15 + rng.normal(0, 1, 2000))})
    d = diagnose(df)
    assert d.assumptions["g_loss_terms"] == "composite"
    _, scale = prepare.helix_frame(df, 50.0, assumptions=d.assumptions)
    assert "z-score" in scale
    _, plain = prepare.helix_frame(df.assign(g_loss=np.where(t == 0, 0.69, 1.5)), 50.0)
    assert "equilibrium" in plain
