"""The learned diagnosis' pieces: window features, the segmenter and the shipped model file."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose.segmenter import points_to_steps, viterbi
from ganalyze.diagnose.window_features import LogMeta, equilibrium, eval_points, window_features
from ganalyze.errors import GanalyzeError

LABELS = ("warmup", "healthy", "d_dominant", "g_dominant", "mode_collapse", "stagnation", "oscillation", "divergence")


def _log(n=3000, every=1, scale=1.0, seed=0):
    rng = np.random.default_rng(seed)
    step = np.arange(0, n, every)
    return pd.DataFrame({"step": step, "d_loss": scale * (1.3 + 0.1 * rng.standard_normal(len(step))),
                         "g_loss": scale * (0.8 + 0.1 * rng.standard_normal(len(step))),
                         "d_x": 0.7 + 0.01 * rng.standard_normal(len(step))})


def test_eval_points_follow_the_logging_interval_and_cap_the_count():
    assert np.array_equal(eval_points(np.arange(0, 1000)), np.arange(0, 1000, 25))
    assert np.array_equal(eval_points(np.arange(0, 10_000, 200)), np.arange(0, 9801, 200))
    assert len(eval_points(np.array([0, 10**9]))) <= 4001          # cost follows rows, not steps


def test_features_are_scale_free_where_they_claim_to_be():
    meta = LogMeta("wgan-gp", "sum", "critic")
    a = window_features(_log(scale=1.0), meta)
    b = window_features(_log(scale=37.0), meta)
    for col in ("d_loss_z_c400", "g_loss_std_c1600", "d_loss_slope_c400", "dg_corr_c400"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-4, atol=1e-5, equal_nan=True)


def test_missing_columns_give_missing_features_not_errors():
    f = window_features(_log()[["step", "d_loss", "g_loss"]], LogMeta())
    assert f["grad_norm_d_log_c400"].isna().all() and f["div_mean_c400"].isna().all()
    assert f["d_loss_z_c400"].notna().mean() > 0.9


def test_trajectory_features_count_swings_not_noise_and_remember_where_the_run_started():
    from ganalyze.diagnose.window_features import _zigzag_turns

    assert _zigzag_turns(np.array([[0, 1, 0, 1, 0, 1.0], [0, 0.1, 0, 0.1, 0, 0.1]]), np.array([0.25, 0.25])).tolist() == [4, 0]
    steps = np.arange(4000)
    rng = np.random.default_rng(0)
    swinging = np.where(steps >= 2000, 0.5 * np.sin(2 * np.pi * steps / 300), 0.0)   # period 300 from step 2000
    df = pd.DataFrame({"step": steps, "d_loss": 1.3 + swinging + 0.02 * rng.normal(size=4000),
                       "g_loss": 0.7 + 0.02 * rng.normal(size=4000)})
    f = window_features(df, LogMeta("nsgan", "sum", "probability"))
    assert (f.loc[[500, 1500], "d_loss_z_turns_c800"] == 0).all()          # noise of 0.02: no turn
    assert (f.loc[[2600, 3500], "d_loss_z_turns_c800"] >= 4).all()         # ~5 half-periods in ±400 steps
    assert f.loc[3500, "d_loss_z_swing_c800"] > 50 * f.loc[1500, "d_loss_z_swing_c800"]
    assert (f["g_loss_z_turns_c800"].dropna() == 0).all()
    moved = f["d_loss_z_moved_so_far"].to_numpy()
    assert (np.diff(moved) >= 0).all() and moved[-1] > 10 * moved[len(moved) // 4]
    assert f["div_mean_swing_c800"].isna().all()                          # no diversity column logged


def test_equilibrium_levels_per_loss_and_reduction():
    assert equilibrium("nsgan", "sum") == pytest.approx((2 * np.log(2), np.log(2)))
    assert equilibrium("nsgan", "mean")[0] == pytest.approx(np.log(2))
    assert equilibrium("minimax", "sum")[1] == pytest.approx(-np.log(2))
    assert np.isnan(equilibrium("wgan-gp", "sum")[0])


def test_viterbi_ignores_one_point_blips_and_never_returns_to_warmup():
    k = len(LABELS)
    seq = [0] * 5 + [1] * 10 + [4] + [1] * 10 + [0] * 3 + [1] * 5
    proba = np.full((len(seq), k), 0.02)
    proba[np.arange(len(seq)), seq] = 0.86
    path = viterbi(proba, LABELS)
    assert list(path[:5]) == [0] * 5 and set(path[5:]) == {1}


def test_viterbi_forces_divergence_after_a_nonfinite_loss():
    proba = np.full((10, len(LABELS)), 0.02)
    proba[:, 1] = 0.86
    nonfinite = np.arange(10) >= 6
    path = viterbi(proba, LABELS, nonfinite)
    assert list(path[6:]) == [7] * 4 and list(path[:6]) == [1] * 6


def test_points_to_steps_uses_the_nearest_point():
    out = points_to_steps(np.array([0, 10, 20]), np.array(["a", "b", "c"]), np.arange(25))
    assert "".join(out) == "a" * 6 + "b" * 10 + "c" * 9


def test_shipped_model_loads_and_a_tampered_one_is_refused(tmp_path):
    from ganalyze.diagnose import learned

    model = learned.load_model()
    assert model.labels == LABELS and len(model.features) > 50
    assert model.info["heldout"]                                   # held-out scores travel with it
    txt, info = tmp_path / "m.txt", tmp_path / "m.json"
    shutil.copy(learned.MODEL_TEXT, txt)
    shutil.copy(learned.MODEL_INFO, info)
    txt.write_text(txt.read_text().replace("num_leaves", "num_leavez", 1))
    with pytest.raises(GanalyzeError, match="does not match the sha256"):
        learned.load_model(str(txt), str(info))
    bad = json.loads(learned.MODEL_INFO.read_text())
    bad["format"] = "pickle"
    info.write_text(json.dumps(bad))
    with pytest.raises(GanalyzeError, match="not a ganalyze-diagnoser file"):
        learned.load_model(str(learned.MODEL_TEXT), str(info))


def test_shipped_model_reads_exactly_the_features_the_code_computes():
    from ganalyze.diagnose import learned
    from ganalyze.diagnose.window_features import feature_columns

    assert list(learned.load_model().features) == feature_columns()
    assert "run_share" not in feature_columns()         # would change as a live log grows


def test_learned_labels_cover_every_row():
    from ganalyze.diagnose.learned import learned_labels

    df = _log(2000, every=10)
    out = learned_labels(df, LogMeta("nsgan", "sum", "probability"))
    assert len(out.row_labels) == len(df) and set(out.row_labels) <= set(LABELS)
    assert ((out.row_confidence > 0) & (out.row_confidence <= 1)).all()
    assert out.proba.shape == (len(out.points), len(LABELS))
    np.testing.assert_allclose(out.proba.sum(1), 1.0, rtol=1e-6)


def test_shipped_model_carries_its_heldout_calibration_and_switch_cost(load_script):
    from ganalyze.diagnose import learned

    model = learned.load_model()
    cal, seg = model.info["calibration"], model.info["segmenter"]
    assert model.temperature == cal["temperature"] and model.temperature > 1   # boosted trees were overconfident
    train_diagnoser = load_script("train_diagnoser")
    # the cost the leave-one-loop-out folds chose, from the grid the training script tries
    assert model.switch_cost == seg["switch_cost"] == seg["loop"]["switch_cost_all_folds"]
    assert seg["switch_cost"] in train_diagnoser.SWITCH_COSTS
    # the figures the README quotes are held out and calibrated
    lolo = model.info["heldout"]["leave_one_loop_out"]["diversity<=100"]
    assert lolo["ece"] < lolo["ece_uncalibrated"]


def test_learned_confidence_is_the_calibrated_probability_of_the_chosen_label():
    from ganalyze.diagnose.calibration import softmax_with_temperature
    from ganalyze.diagnose.learned import learned_labels, load_model

    model = load_model()
    res = learned_labels(_log(n=4000), LogMeta("nsgan", "sum", "probability"), model)
    np.testing.assert_allclose(res.proba.sum(1), 1.0, rtol=1e-9)
    raw = model.predict_raw(res.features)
    np.testing.assert_allclose(res.proba, softmax_with_temperature(raw, model.temperature))
    code = {lab: i for i, lab in enumerate(model.labels)}
    chosen = np.array([code[x] for x in res.point_labels])
    assert np.allclose(np.unique(res.row_confidence), np.unique(res.proba[np.arange(len(chosen)), chosen]))
    # calibration flattens: the calibrated confidence is below the model's own
    top = chosen == raw.argmax(1)
    own = softmax_with_temperature(raw, 1.0)[np.arange(len(chosen)), chosen]
    assert top.any() and (res.proba[np.arange(len(chosen)), chosen][top] <= own[top] + 1e-12).all()


def test_rules_vote_adds_its_nats_to_the_rules_label_only():
    from ganalyze.diagnose.learned import with_rules_vote, without_labels

    raw = np.zeros((3, 4))
    out = with_rules_vote(raw, np.array([0, 2, 3]), 2.0)
    assert out[0, 0] == out[1, 2] == out[2, 3] == 2.0 and out.sum() == 6.0 and raw.sum() == 0.0
    assert with_rules_vote(raw, np.array([0, 2, 3]), 0.0) is raw and with_rules_vote(raw, None, 2.0) is raw
    # labels the rules are blind to share every point's vote (a final vote of 60 shares only the bonus)
    blind = with_rules_vote(raw, np.array([0, 2, 3]), np.array([2.0, 2.0, 2.0, 60.0]), blind=[2])
    assert blind[:, 2].tolist() == [2.0, 2.0, 2.0] and blind[0, 0] == 2.0 and blind[2, 3] == 60.0
    assert blind[:, 1].sum() == 0 and blind.sum() == 2 + 6 + 60
    half = with_rules_vote(raw, np.array([0, 2, 3]), 2.0, blind=[2], blind_share=0.5)
    assert half[:, 2].tolist() == [1.0, 2.0, 1.0]
    dropped = without_labels(raw, ("a", "b", "c", "d"), ("b", "x"))
    assert (dropped[:, 1] == -30).all() and (dropped[:, [0, 2, 3]] == 0).all()


def test_auto_is_the_model_with_the_rules_vote_of_the_shipped_json(load_script):
    """The default method: the model's scores plus the shipped rules_bonus for the rules' label.
    Where the model is sure it keeps its label; where it is not, the rules' label wins."""
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.learned import load_model

    model = load_model()
    assert model.rules_vote.bonus == model.info["ensemble"]["rules_bonus"] == load_script("train_diagnoser").RULES_BONUS
    df = _log(n=4000)
    auto, learned, rules = (diagnose(df, method=m) for m in ("auto", "learned", "rules"))
    assert auto.assumptions["method"] == learned.assumptions["method"] == "learned"
    a, lrn, r = (x.phases(df).astype(str).to_numpy() for x in (auto, learned, rules))
    agree = lrn == r
    assert (a[agree] == lrn[agree]).mean() > 0.9        # where both say the same, so does auto (but near switches)
    assert diagnose(df).phases(df).astype(str).tolist() == a.tolist()   # auto is the default


def test_the_model_lists_its_training_loops_and_score_loops_refuses_them(load_script, capsys):
    """``train_diagnoser.py --score-loops`` scores a loop the shipped model never saw; the model
    lists the loops it was fitted on (corpus loops), so asking for one of them is refused with one
    line, before any examples are built."""
    from pathlib import Path

    from ganalyze.corpus.store import load_manifest
    from ganalyze.diagnose.learned import load_model

    corpus = Path(__file__).resolve().parents[2] / "data" / "corpus"
    loops = load_model().info["trained_on"]["loops"]
    corpus_loops = set(load_manifest(corpus)["loop"])
    assert loops == sorted(loops) and set(loops) <= corpus_loops and "trainer" in loops
    train_diagnoser = load_script("train_diagnoser")
    unseen = sorted(corpus_loops - set(loops))
    assert train_diagnoser.unseen_loops_problem(unseen, corpus_loops) == ("" if unseen else
        "--score-loops: got no loop; allowed: the corpus loops the shipped model was not fitted on")
    for asked, says in (("trainer", "fitted on trainer"), ("nosuchloop", "no corpus runs of nosuchloop")):
        assert train_diagnoser.main(["--score-loops", asked, "--corpus", str(corpus)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and says in err[0], err
    assert train_diagnoser.main(["--exclude-loops", "dcgantf,nosuchloop", "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --exclude-loops: got nosuchloop, not a corpus loop"), err
    assert train_diagnoser.main(["--score-loops", "dcgantf", "--exclude-loops", "dcgantf", "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: --score-loops: got dcgantf, which --exclude-loops leaves out"), err
    assert train_diagnoser.main(["--score-loops", "wganclip", "--corpus", str(corpus / "nothing")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: --corpus: got {str(corpus / 'nothing')!r}, which holds no manifest.parquet; allowed: a corpus "
        "folder written by scripts/make_corpus.py build (data/corpus)"]


def test_rules_d_dominant_always_wins_in_auto(load_script):
    """The rules' d_dominant (window-mean D(G(z)) < 0.05 with D loss below half its equilibrium or
    D(x) > 0.85: LABELS.md's predicate on the logged D outputs) is final in auto; every other label
    has the vote train_diagnoser's LABEL_VOTES says (divergence 2 nats since stop 27: an exploded
    loss is a proxy, and a DRAGAN critic's penalty explodes while its samples stay finite). The
    model alone reads bench_diagnose's planted stretch (D(G(z)) 0.01 while the diversity column
    stays at 0.95) as healthy."""
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.learned import FINAL_VOTE, load_model

    model = load_model()
    td = load_script("train_diagnoser")
    assert model.rules_vote.final == td.RULES_FINAL == ("d_dominant",)
    assert model.rules_vote.label_votes == td.LABEL_VOTES and model.info["ensemble"] == td.ENSEMBLE_INFO
    votes = dict(zip(model.labels, model.rules_votes))
    assert votes.pop("d_dominant") == FINAL_VOTE and votes == {k: td.LABEL_VOTES.get(k, td.RULES_BONUS) for k in votes}
    df = load_script("bench_diagnose").make_run(100_000)
    planted = slice(50_000, 60_000)
    auto, learned = (diagnose(df, method=m).phases(df).astype(str).to_numpy()[planted] for m in ("auto", "learned"))
    assert (auto == "d_dominant").mean() > 0.9 and (learned == "d_dominant").mean() < 0.5


def test_the_sparsest_log_the_model_takes_is_the_sparsest_corpus_variant():
    from ganalyze.corpus.variants import INTERVALS
    from ganalyze.diagnose import diagnose
    from ganalyze.diagnose.learned import MAX_LOG_EVERY

    assert MAX_LOG_EVERY == max(INTERVALS)
    rng = np.random.default_rng(0)
    for every, method in ((MAX_LOG_EVERY, "learned"), (MAX_LOG_EVERY + 100, "rules")):
        steps = np.arange(0, 60 * every, every)
        df = pd.DataFrame({"step": steps, "d_loss": 1.3 + 0.05 * rng.normal(size=60), "g_loss": 0.8 + 0.05 * rng.normal(size=60)})
        assert diagnose(df).assumptions["method"] == method


def test_switch_cost_grows_with_the_square_root_of_a_long_logs_points():
    """Two near-tied labels whose log-probability difference wanders: at the fitted cost a 4,000-point
    log splits into many segments; the length-scaled cost (sqrt(n / 200) times it beyond 200
    points, the longest corpus logs) keeps it to a few, and a corpus-length log keeps its cost."""
    from ganalyze.diagnose.segmenter import FITTED_POINTS, SegmenterConfig, length_scaled_cost

    assert length_scaled_cost(1.0, 50) == 1.0 and length_scaled_cost(1.0, FITTED_POINTS) == 1.0
    assert length_scaled_cost(1.0, 4 * FITTED_POINTS) == pytest.approx(2.0)
    rng = np.random.default_rng(0)
    labels = ("warmup", "healthy", "oscillation")
    n = 4000
    p_osc = np.clip(0.45 + 0.12 * np.sin(np.cumsum(rng.normal(0, 0.3, n)) / 3) + rng.normal(0, 0.05, n), 0.05, 0.9)
    proba = np.column_stack([np.full(n, 0.01), 0.99 - p_osc, p_osc])

    def n_segments(cost):
        path = viterbi(proba, labels, None, SegmenterConfig(switch_cost=cost))
        return 1 + int((path[1:] != path[:-1]).sum())

    fixed, scaled = n_segments(1.0), n_segments(length_scaled_cost(1.0, n))
    assert fixed > 2 * scaled and scaled <= 20, (fixed, scaled)


def test_rules_votes_take_a_labels_own_vote_from_the_json():
    """``ensemble.label_votes`` (label -> nats) overrides ``rules_bonus`` for the labels it names;
    ``rules_final`` still wins, and a negative or non-numeric vote falls back to ``rules_bonus``."""
    from ganalyze.diagnose.learned import FINAL_VOTE, DiagnoserModel

    info = {"ensemble": {"rules_bonus": 1.0, "rules_final": ["c"],
                         "label_votes": {"a": 0.0, "b": 0.5, "c": 0.0, "d": -1, "e": "x"}}}
    model = DiagnoserModel(None, ("a", "b", "c", "d", "e", "f"), (), info)
    assert model.rules_votes.tolist() == [0.0, 0.5, FINAL_VOTE, 1.0, 1.0, 1.0]
    assert DiagnoserModel(None, ("a", "b"), (), {"ensemble": {"rules_bonus": 2.0}}).rules_votes.tolist() == [2.0, 2.0]


def test_labels_a_log_hides_from_the_rules_share_each_points_vote():
    """The labels a log's columns hide from the rules get ``blind_share`` of the rules' vote at every
    point (at most their own vote)."""
    from ganalyze.diagnose.learned import RulesVote, with_rules_vote

    vote = RulesVote.from_info({"rules_bonus": 1.0, "blind_share": 0.5, "label_votes": {"a": 2.0}})
    idx, shares = vote.blind_shares(("a", "b", "c"), blind=("b", "c", "z"))
    assert dict(zip(idx, shares)) == {1: 0.5, 2: 0.5}
    assert RulesVote.from_info({"rules_bonus": 1.0}).blind_shares(("a", "b"), blind=("b",)) == ([], [])  # share 0
    raw = np.zeros((3, 3))
    out = with_rules_vote(raw, np.array([0, 1, 2]), vote.votes(("a", "b", "c")), idx, shares)
    # rules say a (2 nats): b and c get half of min(2, 1); rules say b: c gets half of 1; rules say c: b half
    assert out.tolist() == [[2.0, 0.5, 0.5], [0.0, 1.0, 0.5], [0.0, 0.5, 1.0]]
