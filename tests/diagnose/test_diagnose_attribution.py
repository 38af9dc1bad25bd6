"""Why a segment got its label: the features that moved the learned model (TreeSHAP, bounded
cost, described in words with units) and, for the rules, the rule that fired."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ganalyze.cli import main
from ganalyze.diagnose import diagnose
from ganalyze.diagnose.attribution import BUDGET, attribute_segments, describe_feature, sample_points, short_name
from ganalyze.diagnose.learned import learned_labels, load_model
from ganalyze.diagnose.window_features import LogMeta
from ganalyze.runlog import read_run

REPO = Path(__file__).resolve().parents[2]
D_DOMINANT = REPO / "sample_runs" / "mnist_d_dominant"


def test_every_model_feature_has_words_and_units():
    for name in load_model().features:
        long, short = describe_feature(name), short_name(name)
        assert long != name and short != name, name
        assert len(short) <= len(long)
    assert describe_feature("g_loss_eq_c400").startswith("G loss mean over the 400 steps around, as a multiple of its "
                                                         "equilibrium level (LSGAN: at the paper's ½·MSE level")
    assert "probability" in describe_feature("d_gz_p_c100") and "per 1,000 steps" in describe_feature("d_loss_slope_a200")


def test_sample_points_are_bounded_evenly_spaced_and_never_empty():
    pts = np.arange(0, 10_000, 25)
    idx = sample_points(pts, 1000, 5000, 8)
    assert len(idx) == 8 and pts[idx[0]] == 1000 and pts[idx[-1]] == 5000
    assert len(sample_points(pts, 1001, 1010, 8)) == 1          # no point inside: the nearest one


def test_top_features_are_the_largest_mean_contributions_to_the_segment_label():
    df = read_run(D_DOMINANT)
    frame = df.sort_values("step").reset_index(drop=True)
    model = load_model()
    ll = learned_labels(frame, LogMeta("minimax", "sum", "probability"))
    segs = [(0, 150, "warmup"), (200, 799, "d_dominant")]
    effects = attribute_segments(model, ll.features, ll.points, segs, budget=8)
    assert [len(e) for e in effects] == [3, 3]
    eff = effects[1]
    assert all(x.label == "d_dominant" and x.points == 4 for x in eff)     # budget 8 over 2 segments
    # recompute by hand on the same points: the reported three are the top mean contributions
    pick = sample_points(ll.points, 200, 799, 4)
    x = ll.features.reindex(columns=list(model.features)).to_numpy(np.float32)[pick]
    c = model.booster.predict(x, pred_contrib=True).reshape(len(pick), len(model.labels), -1)[:, :, :-1]
    mean = c[:, model.labels.index("d_dominant"), :].mean(0)
    mean[~np.isfinite(x).any(axis=0)] = -np.inf           # absent features are not listed
    assert [e.feature for e in eff] == [model.features[i] for i in np.argsort(-mean)[:3]]
    assert eff[0].contribution == pytest.approx(mean.max()) and eff[0].contribution >= eff[2].contribution > 0
    v = x[:, list(model.features).index(eff[0].feature)]
    assert eff[0].value == pytest.approx(float(np.nanmean(v)), rel=1e-5)


def test_top_features_never_list_a_column_that_was_not_logged():
    df = read_run(D_DOMINANT)
    frame = df.sort_values("step").reset_index(drop=True)[["step", "d_loss", "g_loss"]]
    model = load_model()
    ll = learned_labels(frame, LogMeta("minimax", "sum", "probability"))
    segs = [(int(ll.points[0]), int(ll.points[-1]), lab) for lab in model.labels]
    for effects in attribute_segments(model, ll.features, ll.points, segs, budget=64):
        assert effects and all(e.value is not None for e in effects)
        assert not any(e.feature.startswith(("div_", "grad_norm", "d_x", "d_gz", "lr_")) for e in effects)
    text = diagnose(df[["step", "d_loss", "g_loss"]], method="learned").text()
    assert "not logged (" not in text


def test_learned_json_and_text_name_the_features_and_rules_json_names_the_rule():
    df = read_run(D_DOMINANT)
    d = diagnose(df, method="learned")
    for s in d.segments:
        assert s.rule is None and s.top_features and sum(x.points for x in s.top_features[:1]) <= BUDGET
        js = s.to_dict()["top_features"]
        assert {"feature", "description", "value", "contribution", "label"} <= set(js[0])
    assert "moved the model to d_dominant most (log-odds)" in d.text()
    r = diagnose(df, method="rules")
    dom = [s for s in r.segments if s.label == "d_dominant"]
    assert dom and "D(G(z)) < 0.05" in dom[0].rule and "rule: window-mean D(G(z)) < 0.05" in r.text()
    assert all(s.top_features is None and "top_features" not in s.to_dict() for s in r.segments)
    # the default (the model with the rules' vote) names both where the rules agree with its label
    a = diagnose(df)
    dom = [s for s in a.segments if s.label == "d_dominant"]
    assert dom and dom[0].top_features and "D(G(z)) < 0.05" in dom[0].rule
    assert "moved the model to d_dominant most (log-odds)" in a.text() and "rule: window-mean D(G(z))" in a.text()
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(D_DOMINANT), "--json", "--method", "learned",
                                               "--no-samples"]).stdout)
    assert all(len(s["top_features"]) == 3 and "rule" not in s for s in out["segments"])


def test_the_capped_step_feature_says_it_is_capped():
    """Public logs of 50,000+ steps listed 'log10 of the step 3' as a late segment's strongest push:
    the feature stops at 1,000 steps (window_features.STEP_CAP), so its words say so."""
    from ganalyze.diagnose.attribution import short_name
    from ganalyze.diagnose.window_features import STEP_CAP

    assert STEP_CAP == 1000 and short_name("log_step") == "log10 of the step (capped at 3 = step 1,000+)"
