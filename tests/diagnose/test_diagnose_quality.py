"""The run's own PSNR / SSIM (``ganalyze.diagnose.quality``), quoted beside the finding. Held-out batch 199: an
ESRGAN notebook printed 'Epoch 20: G_Loss=7.6448, D_Loss=0.0417, PSNR=21.0083, SSIM=0.4739'; the reading led with
a winning D and said nothing of its PSNR rising from 15.7 dB and holding."""
import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.diagnose.inputs import diagnose_columns
from ganalyze.diagnose.quality import logged_quality, quality_phrase


def _run(psnr, ssim=None):
    n = len(psnr)
    rng = np.random.default_rng(199)
    df = pd.DataFrame({"step": np.arange(n) * 50 + 49, "d_loss": rng.uniform(0.02, 0.08, n),
                       "g_loss": rng.uniform(7, 9, n), "psnr": psnr})
    return df if ssim is None else df.assign(ssim=ssim)


def test_psnr_and_ssim_that_rise_and_hold_read_as_improved_and_a_fall_after_the_best_as_worse():
    rising = np.r_[15.7, np.linspace(18.4, 21.0, 19)]
    q = logged_quality(_run(rising, np.linspace(0.17, 0.47, 20)))
    assert q["psnr"]["reading"] == "improved" and q["psnr"]["first"] == pytest.approx(15.7)
    assert q["ssim"]["reading"] == "improved" and q["ssim"]["last_step"] == 999
    assert quality_phrase(q) == ("by the run's own PSNR and SSIM, its outputs improved over the run "
                                 "(PSNR 15.7 -> 21, SSIM 0.17 -> 0.47)")
    fell = logged_quality(_run(np.r_[np.linspace(15, 24, 10), np.linspace(23, 16, 10)]))
    assert fell["psnr"]["reading"] == "worse" and "got worse after step 499" in quality_phrase(fell)
    flat = logged_quality(_run(np.full(20, 20.0) + np.random.default_rng(1).normal(0, 0.05, 20)))
    assert flat["psnr"]["reading"] == "" and quality_phrase(flat) == ""
    assert logged_quality(_run(np.r_[20.0, np.full(19, np.nan)])) == {}


def test_the_diagnosis_quotes_them_and_reads_them_from_a_column_subset():
    df = _run(np.r_[15.7, np.linspace(18.4, 21.0, 19)], np.linspace(0.17, 0.47, 20))
    res = diagnose(df, loss="nsgan")
    assert res.summary["logged_quality"]["psnr"]["reading"] == "improved"
    assert "by the run's own PSNR and SSIM, its outputs improved" in res.summary["main_finding"]
    assert {"psnr", "ssim"} <= set(diagnose_columns(df.columns))
    assert "logged_quality" not in diagnose(df.drop(columns=["psnr", "ssim"]), loss="nsgan").summary
