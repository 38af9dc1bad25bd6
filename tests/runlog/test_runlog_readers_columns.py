"""read_runs(keep=..., float32=True): only the columns asked for, float32 where that is exact."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ganalyze.runlog.logger import RunLogger
from ganalyze.runlog.readers import read_runs, write_run
from ganalyze.runlog.store import float32_when_exact


def _frame(n=500):
    rng = np.random.default_rng(0)
    d = (1.3 + 0.1 * rng.standard_normal(n)).astype(np.float32).astype(np.float64)   # like loss.item()
    return pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": d / 2,
                         "lr_d": np.full(n, 0.1),                    # 0.1 is no float32
                         "epoch": np.arange(n) // 100 * 1.0, "d_x": np.where(np.arange(n) % 3, np.nan, 0.75)})


def _keep(names):
    return [c for c in names if c in ("lr_d", "d_x", "absent")]


def test_run_directory_reads_only_kept_columns_and_exact_float32(tmp_path):
    df = _frame()
    write_run(df, tmp_path / "run")
    (got,) = read_runs(tmp_path / "run", keep=_keep, float32=True).values()
    assert list(got.columns) == ["step", "d_loss", "g_loss", "lr_d", "d_x"]
    assert [str(t) for t in got.dtypes] == ["int64", "float32", "float32", "float64", "float32"]
    for c in got.columns:
        np.testing.assert_array_equal(got[c].to_numpy(np.float64), df[c].to_numpy(np.float64))
    (full,) = read_runs(tmp_path / "run").values()
    assert list(full.columns) == list(df.columns) and (full.dtypes.iloc[1:] == np.float64).all()


def test_live_run_and_text_log_are_projected_and_narrowed_too(tmp_path):
    df = _frame(50)
    log = RunLogger(tmp_path / "live", background=False, flush_every_rows=10, record_time=False)
    for row in df.to_dict("records"):
        log.log(int(row.pop("step")), **row)
    log.flush()                                     # parts only: not closed
    (live,) = read_runs(tmp_path / "live", keep=_keep, float32=True).values()
    assert set(live.columns) == {"step", "d_loss", "g_loss", "lr_d", "d_x"}
    assert live["d_loss"].dtype == np.float32 and live["lr_d"].dtype == np.float64
    np.testing.assert_array_equal(live["d_loss"].to_numpy(np.float64), df["d_loss"].to_numpy())
    log.close()
    df.to_csv(tmp_path / "log.csv", index=False)
    (csv,) = read_runs(tmp_path / "log.csv", keep=_keep, float32=True).values()
    assert list(csv.columns) == ["step", "d_loss", "g_loss", "lr_d", "d_x"]
    assert csv["g_loss"].dtype == np.float32


def test_float32_only_when_every_value_survives():
    x = np.array([1.5, np.nan, np.inf, -0.0, 3.0])
    assert float32_when_exact(x).dtype == np.float32
    for bad in (0.1, 1e300, 1 + 2.0 ** -30):
        y = x.copy()
        y[-1] = bad
        assert float32_when_exact(y, block=2) is y


def test_a_later_row_group_that_is_no_float32_widens_the_column(tmp_path, monkeypatch):
    from ganalyze.runlog import store

    monkeypatch.setattr(store, "ROW_GROUP_ROWS", 64)
    df = _frame(300)
    df.loc[250, "d_x"] = 0.1                         # row group 4 of 5: no float32
    write_run(df, tmp_path / "run")
    assert pq.ParquetFile(tmp_path / "run" / store.RUN_FILE).metadata.num_row_groups == 5
    (got,) = read_runs(tmp_path / "run", keep=_keep, float32=True).values()
    assert got["d_x"].dtype == np.float64 and got["d_loss"].dtype == np.float32
    np.testing.assert_array_equal(got["d_x"].to_numpy(), df["d_x"].to_numpy())
