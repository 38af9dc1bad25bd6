"""df.gan accessor, debiased EMA against the exact recursion, and `ganalyze summary`."""
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import ganalyze  # noqa: F401  registers df.gan
from ganalyze.cli import main
from ganalyze.errors import GanalyzeError
from ganalyze.runlog import RunLogger, read_run
from ganalyze.runlog.smooth import debiased_ema


def _reference_ema(x, steps, span):
    """TensorBoard's loop, generalised to step gaps: decay w**gap between points."""
    w = 1 - 2 / (span + 1)
    num = den = 0.0
    prev = None
    out = []
    for v, s in zip(x, steps):
        if not np.isfinite(v):
            out.append(v)
            continue
        d = 1.0 if prev is None else w ** (s - prev)
        num, den, prev = num * d + v, den * d + 1.0, s
        out.append(num / den)
    return np.array(out)


def test_debiased_ema_matches_tensorboard_on_regular_steps():
    rng = np.random.default_rng(0)
    x = rng.normal(size=500)
    span = 20
    w = 1 - 2 / (span + 1)
    last, tb = 0.0, []
    for n, v in enumerate(x, 1):                 # TensorBoard's smoothing, verbatim
        last = last * w + (1 - w) * v
        tb.append(last / (1 - w ** n))
    np.testing.assert_allclose(debiased_ema(x, np.arange(500), span), tb, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("gap,span", [(1, 7.0), (50, 400.0), (3, 1.5)])
def test_debiased_ema_evenly_spaced_fast_path_equals_the_recursion(gap, span):
    x = np.random.default_rng(3).standard_normal(3000)
    steps = np.arange(len(x)) * gap + 10
    np.testing.assert_allclose(debiased_ema(x, steps, span), _reference_ema(x, steps, span), rtol=1e-9, atol=1e-9)


def test_debiased_ema_irregular_steps_and_nonfinite():
    rng = np.random.default_rng(1)
    steps = np.cumsum(rng.integers(1, 60, 400))
    x = rng.normal(size=400)
    x[[10, 50]] = np.nan
    x[70] = np.inf
    got = debiased_ema(x, steps, 30)
    np.testing.assert_allclose(got, _reference_ema(x, steps, 30), rtol=1e-6, atol=1e-6)
    assert np.isnan(got[10]) and got[70] == np.inf
    assert debiased_ema(x, steps, 1)[5] == x[5]
    with pytest.raises(GanalyzeError, match="span"):
        debiased_ema(x, steps, 0.5)


def test_accessor_meta_smooth_validate(tmp_path):
    with RunLogger(tmp_path, meta={"loss": "hinge", "scores": "critic"}, background=False) as log:
        for s in range(0, 300, 3):
            log.log(s, d_loss=np.sin(s / 10), g_loss=float(s % 7))
    df = read_run(tmp_path)
    assert df.gan.meta["loss"] == "hinge" and df.gan.meta["d_loss_reduction"] == "unknown"
    sm = df.gan.smooth(10, columns=["d_loss", "g_loss"])
    assert list(sm.columns) == ["step", "d_loss", "g_loss"] and sm.attrs["loss"] == "hinge"
    np.testing.assert_allclose(sm.g_loss, _reference_ema(df.g_loss.to_numpy(), df.step.to_numpy(), 10), rtol=1e-6)
    assert sm.g_loss.std() < df.g_loss.std()
    assert "time_s" in df.gan.smooth(5).columns
    assert df.gan.validate().equals(df)
    with pytest.raises(GanalyzeError, match="not in the run"):
        df.gan.smooth(5, columns="nope")
    bad = pd.DataFrame({"step": [0, 1], "Loss_D": [1.0, 2.0]})
    with pytest.raises(GanalyzeError, match="missing required column"):
        bad.gan.validate()


def test_summary_cli_text_and_json(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("step,errD,errG,D(x)\n0,1.0,2.0,0.5\n10,3.0,nan,0.7\n20,2.0,inf,0.9\n")
    res = CliRunner().invoke(main, ["summary", str(p), "--loss", "nsgan", "--d-loss-reduction", "mean"])
    assert res.exit_code == 0, res.stderr
    assert "rows: 3" in res.stdout and "steps: 0 .. 20" in res.stdout and "d_loss_reduction: mean" in res.stdout
    res = CliRunner().invoke(main, ["summary", str(p), "--json", "--scores", "probability"])
    data = json.loads(res.stdout)
    assert data["rows"] == 3 and data["meta"]["scores"] == "probability"
    assert data["stats"]["d_loss"]["mean"] == pytest.approx(2.0) and data["stats"]["d_loss"]["median"] == 2.0
    assert data["stats"]["g_loss"] == {**data["stats"]["g_loss"], "finite": 1, "nan": 1, "inf": 1}
    assert data["columns"]["d_x"] == {"dtype": "float64", "non_null": 3}
