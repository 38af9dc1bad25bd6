"""The committed sample runs (sample_runs/README.md has their independent generator evidence)."""
from pathlib import Path

import numpy as np
import pytest

from ganalyze.diagnose import diagnose
from ganalyze.runlog import read_run

SAMPLES = Path(__file__).resolve().parents[2] / "sample_runs"


def _share_after(name, label, step, method="auto"):
    df = read_run(SAMPLES / name)
    d = diagnose(df, method=method)
    steps = df["step"].to_numpy()
    rows = [(s.start_step, s.end_step, s.label) for s in d.segments]
    labels = {label} if isinstance(label, str) else set(label)
    n = sum(min(e, steps[-1]) - max(a, step) + 1 for a, e, l in rows if l in labels and e >= step)
    return n / (steps[-1] - step + 1), rows


@pytest.mark.parametrize("method", ["auto", "rules"])
@pytest.mark.parametrize("name,label,after,share", [
    # 1/10 classes from step 600 on; D(G(z)) ~0.002 from step 500 on, so LABELS.md's d_dominant
    # (first in its order) holds there too: the default reads parts of it as d_dominant
    ("mnist_collapse", ("mode_collapse", "d_dominant"), 600, 0.95),
    ("ring8_vanilla_collapse", "mode_collapse", 300, 0.95),  # <= 1/8 modes all run; never healthy again
    ("mnist_d_dominant", "d_dominant", 300, 0.9),          # D(G(z)) -> 0, G never learns
])
def test_sample_runs_read_as_their_generator_evidence(name, label, after, share, method):
    got, rows = _share_after(name, label, after, method)
    assert got >= share, rows
    if method == "rules" and name == "mnist_collapse":
        assert _share_after(name, "mode_collapse", after, method)[0] >= share


def test_diverging_sample_run_is_divergence():
    """The critic's loss grows 135-fold (|d_loss| 1e2 -> 1e5) from step 50 on. The rules call that
    divergence at once; the model gives divergence only from step ~690: LABELS.md's divergence
    needs the samples themselves to blow up or go non-finite, and a tanh generator's cannot, so the
    corpus taught the model to read an exploding critic loss as something else (oscillation)
    until it also swings wildly. Both make divergence the run's main finding."""
    got, rows = _share_after("mnist_diverging", "divergence", 100, "rules")
    assert got >= 0.95, rows
    got, rows = _share_after("mnist_diverging", "divergence", 100, "auto")
    assert rows[-1][2] == "divergence" and got >= 0.1, rows


def test_collapsed_sample_run_never_turns_healthy_while_diversity_stays_low():
    _, rows = _share_after("ring8_vanilla_collapse", "healthy", 300)
    assert not [r for r in rows if r[2] == "healthy" and r[1] > 300], rows


def test_diagnosis_helix_table_equals_helix_stats():
    from ganalyze.diagnose import helix_stats

    df = read_run(SAMPLES / "mnist_mlp_healthy")
    d = diagnose(df)
    a, b = d.helix_stats(df), helix_stats(df)
    assert a.index.equals(b.index)
    np.testing.assert_allclose(a[["crossing_rate", "anticorrelation"]].to_numpy(),
                               b[["crossing_rate", "anticorrelation"]].to_numpy(), equal_nan=True)
    shuffled = df.sample(frac=1.0, random_state=0)
    np.testing.assert_allclose(diagnose(shuffled).helix_stats(shuffled)["crossing_rate"].to_numpy(),
                               helix_stats(shuffled)["crossing_rate"].to_numpy(), equal_nan=True)


def test_oscillating_labelled_run_reads_oscillation_where_the_generator_swings():
    """data/labelled_runs/lr_x10_beta09: ring8, lr x10 and momentum 0.9 from step 1200; ground truth
    = G's fixed-noise centroid swinging back and forth (scripts/make_labelled_runs.py)."""
    import pandas as pd

    from ganalyze.diagnose import LABELS

    df = pd.read_parquet(SAMPLES.parent / "data" / "labelled_runs" / "lr_x10_beta09.parquet")
    gt = np.asarray(LABELS, dtype=object)[df["gt_label"].to_numpy().astype(int)]
    ours = diagnose(df).phases(df).astype(str).to_numpy()
    swing = gt == "oscillation"
    assert swing.sum() > 500
    assert (ours[swing] == "oscillation").mean() > 0.7
    assert (ours[df["step"].to_numpy() < 1100] == "oscillation").mean() < 0.05   # not before the switch


@pytest.mark.parametrize("name,headline", [
    ("mnist_mlp_healthy", "healthy"),        # 10/10 classes at the end: brief blips are not the verdict
    ("mnist_collapse", "mode_collapse"),
    ("mnist_d_dominant", "d_dominant"),
    ("mnist_diverging", "divergence"),
])
def test_main_finding_is_the_run_level_verdict(name, headline):
    d = diagnose(read_run(SAMPLES / name))
    assert d.summary["main_finding"].startswith(headline), d.summary["main_finding"]
    # a winning D unchecked by samples says how often held-out public runs so read still had good samples
    assert ("D winning is no sure sign of bad samples" in d.summary["main_finding"]) == (headline == "d_dominant")
    if headline == "healthy":   # advice left over from a brief blip is marked as such
        assert all(a.startswith("(steps ") for a in d.summary["advice"]), d.summary["advice"]


def test_an_early_transient_is_not_the_headline_of_a_run_that_ends_in_another_pathology():
    """data/labelled_runs/d_frozen: ring8, D's learning rate x 1e-4 from step 1,200; the trainer's
    ground truth is warm-up, healthy, then g_dominant from step 1,700 to the end. The default reads
    a brief mode collapse in the first 12 % of the run (the generator still spreading); that was the
    headline while the run ended g_dominant. It is now listed, and the ending pathology leads."""
    import pandas as pd

    df = pd.read_parquet(SAMPLES.parent / "data" / "labelled_runs" / "d_frozen.parquet")
    d = diagnose(df)
    early = [s for s in d.segments if s.label == "mode_collapse"]
    assert early and all(s.end_step < 0.15 * df["step"].iloc[-1] for s in early)     # the shape this is about
    assert d.segments[-1].label == "g_dominant", [(s.start_step, s.label) for s in d.segments]
    main = d.summary["main_finding"]
    assert main.startswith("g_dominant from step") and "also: mode_collapse 0-" in main, main


def test_a_logged_fid_is_quoted_and_changes_no_label():
    """A run that logs its own FID every 500 steps (NaN between): the summary quotes its first, best
    and last values with their steps; the labels are those of the same log without it (held out on
    the corpus a falling Frechet distance did not separate collapse from health, so it is not used)."""
    df = read_run(SAMPLES / "mnist_mlp_healthy")
    with_fid = df.copy()
    every = (with_fid["step"] % 500 == 0).to_numpy()
    with_fid["fid"] = np.where(every, 300.0 / (1 + with_fid["step"] / 500), np.nan)
    with_fid.loc[with_fid["step"] == 1000, "fid"] = np.inf          # an evaluation that failed
    plain, quoted = diagnose(df), diagnose(with_fid)
    assert [(s.start_step, s.end_step, s.label) for s in quoted.segments] == \
           [(s.start_step, s.end_step, s.label) for s in plain.segments]
    fid = quoted.summary["logged_fid"]
    last = int(with_fid["step"][every].iloc[-1])
    assert fid["first"] == 300.0 and fid["first_step"] == 0 and fid["last_step"] == last == fid["best_step"]
    assert fid["evaluations"] == int(every.sum()) - 1 and "logged_fid" not in plain.summary
    assert f"best {fid['best']:.4g} at step {last}" in quoted.text()
    assert fid["reading"].startswith("the samples improved over the run (FID 300 -> ")
    # a StudioGAN run whose FID was best at 110k and 12.6x worse at 200k: the log's own evidence, in words
    late = with_fid.assign(fid=np.where(every, np.where(with_fid["step"] <= 2000, 100.0, 250.0), np.nan))
    late.loc[late["step"] == 2000, "fid"] = 20.0
    worse = diagnose(late)
    assert worse.summary["logged_fid"]["reading"].startswith("the samples got worse after step 2000: the last FID is "
                                                             "12.5x its best")
    assert worse.summary["advice"][0].startswith("keep the checkpoint nearest step 2000")
    assert "; by the run's own FID, the samples got worse after step 2000" in worse.summary["main_finding"]
    assert [(s.start_step, s.end_step, s.label) for s in worse.segments] == \
           [(s.start_step, s.end_step, s.label) for s in plain.segments]        # still no label moves
    flat = with_fid.assign(fid=np.where(every, 50.0, np.nan))
    assert diagnose(flat).summary["logged_fid"]["reading"] == ""
