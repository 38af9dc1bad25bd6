"""The rule-based diagnosis (``method="rules"``): each label on a synthetic run that plants it,
contiguous segments, short runs, NaN, missing optional columns, each loss type, and the real DCGAN
console log. The planted stretches are the rules' own definitions (white-noise losses with one
stretch moved past a threshold), so they test the rules, not the truth; the default method (auto)
is tested on real runs (test_diagnose_sample_runs) and on the failure shapes of issue 11
(test_diagnose_failures)."""
import math
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose import LABELS, helix_stats
from ganalyze.diagnose import diagnose as _diagnose
from ganalyze.errors import GanalyzeError

diagnose = partial(_diagnose, method="rules")

REPO = Path(__file__).resolve().parents[2]


def _run(n=3000, seed=0, loss="nsgan", scores="probability", **stretches):
    """A BCE-sum run: healthy everywhere, with ``stretches`` = {kind: (start, end)} overridden."""
    rng = np.random.default_rng(seed)
    step = np.arange(n)
    wob = rng.normal(0, 1, n)
    d = 1.25 + 0.12 * wob
    g = 0.95 - 0.15 * wob + 0.05 * rng.normal(0, 1, n)
    d_x = np.clip(0.72 + 0.05 * rng.normal(0, 1, n), 0, 1)
    d_g_z = np.clip(0.3 + 0.05 * wob, 0, 1)
    div = np.where(step % 25 == 0, 0.95 + 0.03 * rng.normal(0, 1, n), np.nan)
    for kind, (a, b) in stretches.items():
        s = slice(a, b)
        m = b - a
        if kind == "d_dominant":
            d[s] = 0.04 + 0.01 * rng.random(m); g[s] = 5 + 0.5 * rng.normal(0, 1, m)
            d_x[s] = 0.98; d_g_z[s] = 0.01
        elif kind == "g_dominant":
            d[s] = 1.7 + 0.1 * rng.normal(0, 1, m); g[s] = 0.3 + 0.05 * rng.normal(0, 1, m); d_g_z[s] = 0.72
        elif kind == "mode_collapse":
            div[s] = np.where(step[s] % 25 == 0, 0.08, np.nan)
        elif kind == "stagnation":      # flat away from the equilibrium (flat at it is a converged run)
            d[s] = 0.9 + 1e-4 * rng.normal(0, 1, m); g[s] = 1.4 + 1e-4 * rng.normal(0, 1, m)
        elif kind == "oscillation":
            d[s] = 1.25 + 0.8 * wob[s]; g[s] = 0.95 + 1.2 * rng.normal(0, 1, m)
        elif kind == "divergence":
            d[s] = np.nan; g[s] = np.inf
    df = pd.DataFrame({"step": step, "d_loss": d, "g_loss": g, "d_x": d_x, "d_g_z1": d_g_z,
                       "div_pdist_ratio": div})
    df.attrs = {"loss": loss, "d_loss_reduction": "sum", "scores": scores}
    return df


def _share(d, df, label, a, b):
    ph = d.phases(df)
    return float((ph.iloc[a:b] == label).mean())


def _check_segments(d, df):
    segs = d.segments
    assert segs[0].start_step == df.step.iloc[0] and segs[-1].end_step == df.step.iloc[-1]
    for s, t in zip(segs, segs[1:]):
        nxt = df.step[df.step > s.end_step].iloc[0]
        assert t.start_step == nxt and t.label != s.label
    assert all(s.label in LABELS and 0 <= s.confidence <= 1 for s in segs)
    assert len(d.phases(df)) == len(df)


@pytest.mark.parametrize("kind", ["d_dominant", "g_dominant", "mode_collapse", "stagnation", "oscillation"])
def test_each_pathology_is_found_where_it_is(kind):
    df = _run(**{kind: (1500, 2300)})
    d = diagnose(df)
    _check_segments(d, df)
    assert _share(d, df, kind, 1600, 2200) > 0.8, d.text()
    assert _share(d, df, "healthy", 400, 1300) > 0.8, d.text()
    assert _share(d, df, "warmup", 0, 150) == 1.0
    seg = next(s for s in d.segments if s.label == kind)
    assert seg.evidence and seg.advice, seg


def test_divergence_from_first_non_finite_step_on():
    df = _run(divergence=(2000, 3000))
    d = diagnose(df)
    ph = d.phases(df)
    assert (ph.iloc[2000:] == "divergence").all() and (ph.iloc[:2000] != "divergence").all()
    assert d.summary["first_nonfinite_step"] == 2000
    assert d.segments[-1].start_step == 2000


def test_a_loss_not_written_at_a_step_is_no_divergence():
    """D and G written at different steps (G every 5th step) leave one loss NaN on the other rows,
    and a log cut between D's write and G's ends on such a row (a public TensorBoard file): not
    written, not non-finite. Both losses NaN, or one NaN on the way to both, still are."""
    df = _run()
    gaps = df.assign(g_loss=df.g_loss.where(df.step % 5 == 0))
    cut = pd.concat([df, df.tail(1).assign(step=df.step.max() + 1, g_loss=np.nan)], ignore_index=True)
    for frame in (gaps, cut):
        d = diagnose(frame)
        assert d.summary["first_nonfinite_step"] is None and "divergence" not in set(d.phases(frame)), d.text()
    dying = df.assign(d_loss=df.d_loss.where(df.step < 2000), g_loss=df.g_loss.where(df.step < 2003))
    d = diagnose(dying)
    assert d.summary["first_nonfinite_step"] == 2000 and d.segments[-1].label == "divergence"


def test_logged_every_k_steps_gives_the_same_reading():
    df = _run(d_dominant=(1500, 2300)).iloc[::10].reset_index(drop=True)
    d = diagnose(df)
    _check_segments(d, df)
    ph = d.phases(df)
    inside = (df.step >= 1600) & (df.step < 2200)
    assert (ph[inside] == "d_dominant").mean() > 0.8
    assert d.assumptions["log_every"] == 10


def test_only_required_columns_lowers_confidence_and_still_labels():
    full = _run(d_dominant=(1500, 2300))
    bare = full[["step", "d_loss", "g_loss"]].copy()
    bare.attrs = {}
    d_full, d_bare = diagnose(full), diagnose(bare)
    assert set(d_bare.assumptions["inferred"]) == {"loss", "d_loss_reduction", "scores"}
    assert d_bare.assumptions["d_loss_reduction"] == "sum"      # d_loss starts near 2 ln 2
    assert _share(d_bare, bare, "d_dominant", 1600, 2200) > 0.8
    c_full = max(s.confidence for s in d_full.segments if s.label == "d_dominant")
    c_bare = max(s.confidence for s in d_bare.segments if s.label == "d_dominant")
    assert c_bare < c_full


def test_mean_reduction_inferred_from_the_starting_level():
    df = _run()[["step", "d_loss", "g_loss"]]
    df = df.assign(d_loss=df.d_loss / 2)
    df.attrs = {}
    d = diagnose(df)
    assert d.assumptions["d_loss_reduction"] == "mean" and "ln 2" in d.assumptions["note"]
    assert _share(d, df, "healthy", 400, 3000) > 0.8


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_short_runs(n):
    df = _run(n=n)
    d = diagnose(df)
    _check_segments(d, df)
    assert d.to_dict("short")["segments"]


def test_declared_options_and_bad_values():
    df = _run()[["step", "d_loss", "g_loss"]]
    df.attrs = {}
    d = diagnose(df, loss="lsgan", d_loss_reduction="mean", scores="critic")
    assert d.assumptions["loss"] == "lsgan" and d.assumptions["inferred"] == []
    with pytest.raises(GanalyzeError, match="loss"):
        diagnose(df, loss="bce")
    with pytest.raises(GanalyzeError, match="g_loss"):
        diagnose(df[["step", "d_loss"]])
    with pytest.raises(GanalyzeError, match="empty"):
        diagnose(df.iloc[:0])


@pytest.mark.parametrize("loss,d_eq,g_eq,d_win,g_win", [
    ("lsgan", 0.25, 0.125, 0.01, 0.45), ("hinge", 2.0, 0.0, 0.05, 2.5), ("minimax", 2 * math.log(2), -math.log(2), 0.05, -0.02)])
def test_other_loss_types_use_their_own_levels(loss, d_eq, g_eq, d_win, g_win):
    rng = np.random.default_rng(1)
    n = 3000
    wob = rng.normal(0, 1, n)
    d = d_eq + 0.05 * abs(d_eq or 1) * wob + 0.02
    g = g_eq - 0.05 * abs(g_eq or 1) * wob
    d[1500:2300] = d_win * (1 + 0.1 * rng.random(800))
    g[1500:2300] = g_win + 0.01 * rng.normal(0, 1, 800)
    df = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g})
    df.attrs = {"loss": loss, "d_loss_reduction": "sum", "scores": "critic" if loss != "minimax" else "probability"}
    dg = diagnose(df)
    assert _share(dg, df, "d_dominant", 1600, 2200) > 0.8, dg.text()
    assert _share(dg, df, "d_dominant", 400, 1300) < 0.2, dg.text()


def test_wgan_gp_critic_is_not_read_as_probabilities():
    rng = np.random.default_rng(2)
    n = 2000
    d = -1.5 + 0.3 * rng.normal(0, 1, n)
    g = 0.5 + 0.5 * rng.normal(0, 1, n)
    df = pd.DataFrame({"step": np.arange(n), "d_loss": d, "g_loss": g, "d_x": 3 + rng.normal(0, 1, n),
                       "d_g_z1": -2 + rng.normal(0, 1, n)})
    df.attrs = {"loss": "wgan-gp", "d_loss_reduction": "sum", "scores": "critic"}
    dg = diagnose(df)
    assert _share(dg, df, "healthy", 400, 2000) > 0.8, dg.text()
    bare = df.copy(); bare.attrs = {}
    db = diagnose(bare)
    assert db.assumptions["loss"] == "wgan-gp" and db.assumptions["scores"] == "critic"


def test_helix_stats_twisting_vs_parallel():
    df = _run()
    h = helix_stats(df)
    assert list(h.columns) == ["step", "crossing_rate", "anticorrelation"] and h.index.equals(df.index)
    assert h.anticorrelation.iloc[500:].mean() > 0.5
    par = df.assign(g_loss=df.d_loss * 0.5)
    assert helix_stats(par).anticorrelation.iloc[500:].mean() < -0.9


def test_dcgan_console_log_reads_mostly_healthy():
    from ganalyze.runlog import read_run

    df = read_run(REPO / "sample_runs" / "dcgan_tutorial_console.log")
    for method in ("rules", "auto"):
        d = _diagnose(df, method=method)
        _check_segments(d, df)
        assert d.summary["label_fractions"].get("healthy", 0) > 0.8, (method, d.text())
        assert d.assumptions["log_every"] == 50


def test_consecutive_runs_of_the_same_length_do_not_share_bin_layouts():
    a = _run(n=3000, d_dominant=(1500, 2300)).iloc[::3].reset_index(drop=True)
    b = _run(n=1000).iloc[:1000]
    first, second = diagnose(a), diagnose(b)
    assert second.phases(b).iloc[400:].eq("healthy").mean() > 0.8
    assert first.phases(a)[(a.step > 1600) & (a.step < 2200)].eq("d_dominant").all()
