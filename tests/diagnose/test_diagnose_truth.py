"""diagnose.truth: LABELS.md's predicates at and beside their boundary values, priority, persistence,
check-to-step mapping with uneven gaps, divergence finality, the oscillation zig-zag, and scoring
on hand-made arrays with known answers."""
import math

import numpy as np
import pandas as pd
import pytest

from ganalyze.diagnose.truth import (
    LABELS,
    PRIORITY,
    SIGNALS,
    TruthSpec,
    check_candidates,
    check_labels,
    check_predicates,
    label_run,
    score,
    segments,
    step_labels,
    zigzag_turning_points,
)
from ganalyze.errors import GanalyzeError

RING8 = TruthSpec(data_kind="mixture", n_modes=8, critic=False, data_abs_mean=1.0, fd_floor=0.1)
RING8_CRITIC = TruthSpec(data_kind="mixture", n_modes=8, critic=True, data_abs_mean=1.0, fd_floor=0.1)
GRID25 = TruthSpec(data_kind="mixture", n_modes=25, critic=False, data_abs_mean=1.0, fd_floor=0.1)
MNIST = TruthSpec(data_kind="image", n_modes=10, critic=False, data_abs_mean=0.5, fd_floor=20.0)

# a check where no predicate holds (mixture and image alike)
NEUTRAL = dict(modes_covered=3, class_histogram_kl=0.5, high_quality_fraction=0.5, frechet_distance=30.0,
               diversity_ratio=0.4, sample_drift=0.1, d_acc_real=0.7, d_acc_fake=0.7, d_accuracy=0.7,
               d_fake_mean=0.3, finite=True, sample_abs_mean=1.0)
NEUTRAL_MIX = dict(NEUTRAL, modes_covered=8)


def _table(rows, steps=None, base=NEUTRAL):
    """A signal table: ``rows`` are dicts of overrides of ``base``; checks every 100 steps from 100."""
    steps = list(range(100, 100 * len(rows) + 1, 100)) if steps is None else list(steps)
    df = pd.DataFrame([dict(base, **r) for r in rows])
    df.insert(0, "step", steps)
    return df[list(SIGNALS)]


def _preds(sets):
    """A predicate table from one set of holding labels per check (``'nonfinite'`` may be in a set)."""
    return pd.DataFrame({name: [name in s for s in sets] for name in PRIORITY + ("nonfinite",)})


def _holding(pred_row):
    return {name for name in PRIORITY if pred_row[name]}


def test_constants_match_labels_md():
    assert LABELS == ("warmup", "healthy", "d_dominant", "g_dominant", "mode_collapse", "stagnation",
                      "oscillation", "divergence")
    assert PRIORITY == ("divergence", "stagnation", "d_dominant", "g_dominant", "oscillation",
                        "mode_collapse", "healthy")


@pytest.mark.parametrize("spec,base", [(RING8, NEUTRAL_MIX), (MNIST, NEUTRAL), (RING8_CRITIC, NEUTRAL_MIX)])
def test_neutral_checks_hold_nothing(spec, base):
    pred = check_predicates(_table([{}, {}, {}], base=base), spec)
    assert list(pred.columns) == list(PRIORITY) + ["nonfinite"]
    assert not pred.to_numpy().any()
    assert check_candidates(pred).isna().all()


# (spec, base, overrides, expected holding set at the second check)
BOUNDARY_CASES = [
    # divergence: not finite, or mean |x| strictly above 10 x the data's
    (RING8, NEUTRAL_MIX, dict(finite=False), {"divergence"}),
    (RING8, NEUTRAL_MIX, dict(sample_abs_mean=10.0), set()),
    (RING8, NEUTRAL_MIX, dict(sample_abs_mean=10.001), {"divergence"}),
    (MNIST, NEUTRAL, dict(sample_abs_mean=5.0), set()),
    (MNIST, NEUTRAL, dict(sample_abs_mean=5.001), {"divergence"}),
    # stagnation: drift per 100 steps <= 0.005 (gap 100 here)
    (RING8, NEUTRAL_MIX, dict(sample_drift=0.005), {"stagnation"}),
    (RING8, NEUTRAL_MIX, dict(sample_drift=0.00501), set()),
    (RING8, NEUTRAL_MIX, dict(sample_drift=np.nan), set()),
    # d_dominant, probabilities: d_fake_mean <= 0.05 and d_accuracy >= 0.85
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.05, d_accuracy=0.85), {"d_dominant"}),
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.0501, d_accuracy=0.85), set()),
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.05, d_accuracy=0.8499), set()),
    # d_dominant, critics: d_acc_fake >= 0.98 and d_accuracy >= 0.9; the probability rule does not apply
    (RING8_CRITIC, NEUTRAL_MIX, dict(d_acc_fake=0.98, d_accuracy=0.9), {"d_dominant"}),
    (RING8_CRITIC, NEUTRAL_MIX, dict(d_acc_fake=0.9799, d_accuracy=0.9), set()),
    (RING8_CRITIC, NEUTRAL_MIX, dict(d_acc_fake=0.98, d_accuracy=0.8999), set()),
    (RING8_CRITIC, NEUTRAL_MIX, dict(d_fake_mean=0.01, d_accuracy=0.88), set()),
    (RING8, NEUTRAL_MIX, dict(d_acc_fake=0.99, d_accuracy=0.95), set()),
    # g_dominant: d_fake_mean >= 0.55 and d_acc_fake <= 0.5 (an untrained D at 0.5 does not count)
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.55, d_acc_fake=0.5), {"g_dominant"}),
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.5, d_acc_fake=0.5), set()),
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.5499, d_acc_fake=0.2), set()),
    (RING8, NEUTRAL_MIX, dict(d_fake_mean=0.7, d_acc_fake=0.5001), set()),
    # mode collapse, mixture: kl >= ln 2, or (hq >= 0.05 and modes <= n_modes / 2)
    (RING8, NEUTRAL_MIX, dict(class_histogram_kl=math.log(2)), {"mode_collapse"}),
    (RING8, NEUTRAL_MIX, dict(class_histogram_kl=0.6931), set()),
    (RING8, NEUTRAL_MIX, dict(high_quality_fraction=0.05, modes_covered=4), {"mode_collapse"}),
    (RING8, NEUTRAL_MIX, dict(high_quality_fraction=0.05, modes_covered=5), set()),
    (RING8, NEUTRAL_MIX, dict(high_quality_fraction=0.0499, modes_covered=1), set()),
    (GRID25, dict(NEUTRAL_MIX, modes_covered=25), dict(high_quality_fraction=0.9, modes_covered=12), {"mode_collapse"}),
    (GRID25, dict(NEUTRAL_MIX, modes_covered=25), dict(high_quality_fraction=0.9, modes_covered=13), set()),
    # mode collapse, images: (modes <= 2 and kl >= 1.5) or diversity <= 0.3
    (MNIST, NEUTRAL, dict(modes_covered=2, class_histogram_kl=1.5), {"mode_collapse"}),
    (MNIST, NEUTRAL, dict(modes_covered=3, class_histogram_kl=2.0), set()),
    (MNIST, NEUTRAL, dict(modes_covered=1, class_histogram_kl=1.4999), set()),
    (MNIST, NEUTRAL, dict(diversity_ratio=0.3), {"mode_collapse"}),
    (MNIST, NEUTRAL, dict(diversity_ratio=0.3001), set()),
    # healthy, mixture: FD <= 0.1 and kl <= 0.2
    (RING8, NEUTRAL_MIX, dict(frechet_distance=0.1, class_histogram_kl=0.2), {"healthy"}),
    (RING8, NEUTRAL_MIX, dict(frechet_distance=0.1001, class_histogram_kl=0.2), set()),
    (RING8, NEUTRAL_MIX, dict(frechet_distance=0.05, class_histogram_kl=0.2001), set()),
    # healthy, images: modes >= 4 and diversity >= 0.5
    (MNIST, NEUTRAL, dict(modes_covered=4, diversity_ratio=0.5), {"healthy"}),
    (MNIST, NEUTRAL, dict(modes_covered=3, diversity_ratio=0.9), set()),
    (MNIST, NEUTRAL, dict(modes_covered=10, diversity_ratio=0.4999), set()),
]


@pytest.mark.parametrize("spec,base,overrides,expected", BOUNDARY_CASES)
def test_each_predicate_fires_at_its_boundary_and_not_beside_it(spec, base, overrides, expected):
    pred = check_predicates(_table([{}, overrides], base=base), spec)
    assert _holding(pred.iloc[1]) == expected
    assert not pred.iloc[0].any()


def test_nonfinite_samples_are_final_divergence_and_nan_abs_mean_counts():
    pred = check_predicates(_table([{}, dict(finite=False), dict(sample_abs_mean=np.nan), dict(sample_abs_mean=50.0)],
                                   base=NEUTRAL_MIX), RING8)
    assert pred["divergence"].tolist() == [False, True, True, True]
    assert pred["nonfinite"].tolist() == [False, True, True, False]


def test_stagnation_scales_drift_by_the_actual_gap_and_never_holds_at_the_first_check():
    steps = [0, 50, 250, 300, 500]
    drift = [0.0, 0.0025, 0.01, 0.00251, 0.0101]     # per 100 steps: -, 0.005, 0.005, 0.00502, 0.00505
    pred = check_predicates(_table([dict(sample_drift=d) for d in drift], steps=steps, base=NEUTRAL_MIX), RING8)
    assert pred["stagnation"].tolist() == [False, True, True, False, False]


def test_priority_picks_the_first_holding_label_in_order():
    sets = [set(PRIORITY[i:]) for i in range(len(PRIORITY))] + [set()]
    cand = check_candidates(_preds(sets))
    assert cand.tolist()[:-1] == list(PRIORITY)
    assert cand.iloc[-1] is None
    # the label a run was built to show goes first where it holds; non-finite stays divergence
    cand = check_candidates(_preds([{"stagnation", "mode_collapse"}, {"stagnation"}, {"divergence", "nonfinite",
                                                                                       "mode_collapse"}]),
                            intended="mode_collapse")
    assert cand.tolist() == ["mode_collapse", "stagnation", "divergence"]
    with pytest.raises(GanalyzeError, match="intended"):
        check_candidates(_preds([set()]), intended="warmup")


def test_check_to_step_mapping_with_uneven_gaps_and_tail():
    steps = [0, 50, 250, 300, 700]
    pred = _preds([set(), {"mode_collapse"}, {"mode_collapse"}, {"healthy"}, {"healthy"}])
    assert check_labels(pred).tolist() == ["warmup", "warmup", "mode_collapse", "mode_collapse", "healthy"]
    lab = step_labels(steps, pred, n_steps=800)
    assert lab.dtype == object and len(lab) == 800
    assert segments(lab) == [("warmup", 0, 49), ("mode_collapse", 50, 299), ("healthy", 300, 799)]


def test_checks_past_the_run_and_runs_without_checks():
    pred = _preds([{"healthy"}, {"healthy"}, {"stagnation"}])
    lab = step_labels([100, 200, 300], pred, n_steps=250)
    assert segments(lab) == [("warmup", 0, 99), ("healthy", 100, 249)]
    assert segments(step_labels([], _preds([]), n_steps=5)) == [("warmup", 0, 4)]


def test_persistence_ignores_one_check_blips_and_empty_checks_keep_the_label():
    pred = _preds([{"healthy"}, {"healthy"}, {"mode_collapse"}, {"healthy"}, set(), set(), {"oscillation"},
                   {"oscillation"}])
    assert check_labels(pred).tolist() == ["warmup", "healthy", "healthy", "healthy", "healthy", "healthy",
                                           "healthy", "oscillation"]


def test_persistence_is_of_the_candidates_predicate_not_of_the_previous_candidate():
    # mode collapse holds throughout, stagnation flickers on top: mode collapse is persistent
    pred = _preds([{"stagnation", "mode_collapse"}, {"mode_collapse"}, {"stagnation", "mode_collapse"},
                   {"mode_collapse"}])
    assert check_labels(pred).tolist() == ["warmup", "mode_collapse", "mode_collapse", "mode_collapse"]
    # the candidate at a check must have held at the one before: stagnation (new) does not switch
    pred = _preds([{"mode_collapse"}, {"stagnation", "mode_collapse"}, {"stagnation", "mode_collapse"}])
    assert check_labels(pred).tolist() == ["warmup", "warmup", "stagnation"]


def test_warmup_lasts_until_the_first_persistent_candidate_and_never_returns():
    pred = _preds([set(), {"healthy"}, {"d_dominant"}, {"healthy"}, {"g_dominant"}, {"g_dominant"}, set(),
                   {"healthy"}, {"healthy"}])
    lab = check_labels(pred)
    assert lab.tolist() == ["warmup"] * 5 + ["g_dominant"] * 3 + ["healthy"]
    steps = np.array([0, 30, 90, 200, 260, 400, 420, 500, 900])
    labels = step_labels(steps, pred, n_steps=1000)
    assert segments(labels) == [("warmup", 0, 259), ("g_dominant", 260, 499), ("healthy", 500, 999)]


def test_divergence_switches_at_once_and_is_final_only_when_non_finite():
    finite_spike = _preds([{"healthy"}, {"healthy"}, {"divergence"}, {"healthy"}, {"healthy"}])
    assert check_labels(finite_spike).tolist() == ["warmup", "healthy", "divergence", "divergence", "healthy"]
    nan = _preds([{"healthy"}, {"healthy"}, {"divergence", "nonfinite"}, {"healthy"}, {"healthy"}])
    assert check_labels(nan).tolist() == ["warmup", "healthy", "divergence", "divergence", "divergence"]
    lab = step_labels([100, 200, 300, 400, 500], nan, n_steps=600)
    assert segments(lab) == [("warmup", 0, 99), ("healthy", 100, 199), ("divergence", 200, 599)]
    # at the very first check, too, without waiting for a second one
    assert check_labels(_preds([{"divergence"}, set()])).tolist() == ["divergence", "divergence"]


def test_label_run_end_to_end_on_a_signal_table():
    # checks every 100 steps up to 1000: warmup, collapse from the check at 300, NaN at 800
    rows = ([{}] * 2 + [dict(class_histogram_kl=1.2)] * 5
            + [dict(finite=False, frechet_distance=np.nan, sample_abs_mean=np.nan)] + [{}] * 2)
    signals = _table(rows, base=NEUTRAL_MIX)
    out = label_run(signals, RING8, n_steps=1000)
    assert list(out.columns) == ["step", "gt_label"] and out["step"].tolist() == list(range(1000))
    # collapse holds at 300 and 400 -> the check at 400 switches (it labels 300..399)
    assert segments(out["gt_label"].to_numpy()) == [("warmup", 0, 299), ("mode_collapse", 300, 699),
                                                    ("divergence", 700, 999)]
    checks = out.attrs["checks"]
    assert checks["step"].tolist() == list(range(100, 1001, 100))
    assert checks["candidate"].tolist()[:4] == [None, None, "mode_collapse", "mode_collapse"]
    assert checks["label"].tolist()[-3:] == ["divergence"] * 3


def test_zigzag_turning_points_definition():
    # exact swings of 0.5: turning points at 1, 2, 3; the start (0) is never one
    assert zigzag_turning_points([0.0, 1.0, 0.5, 1.0, 0.5], 0.5).tolist() == [1, 2, 3]
    assert zigzag_turning_points([0.0, 1.0, 0.5, 1.0, 0.5], 0.5000001).tolist() == []
    # NaN skipped, positions refer to the input
    assert zigzag_turning_points([0.0, np.nan, 1.0, 0.5, np.nan, 1.0, 0.5], 0.5).tolist() == [2, 3, 5]
    # a leg's extreme is confirmed only by a retrace of the swing; the end of the series is not one
    assert zigzag_turning_points([3.0, 2.0, 1.0, 0.0], 0.5).tolist() == []
    assert zigzag_turning_points([0.0, 0.3, 0.1, 1.0, 1.2, 0.6, 0.9, 0.2, 0.25], 0.5).tolist() == [4]
    assert zigzag_turning_points([0.0, 0.3, 0.1, 1.0, 1.2, 0.6, 0.9, 0.2, 0.25, 0.8], 0.5).tolist() == [4, 7]


def _sine_fd(amplitude_decades, n_checks=41, every=50, period=400):
    steps = np.arange(n_checks) * every                    # 0 .. 2000
    log_fd = amplitude_decades * np.sin(2 * np.pi * steps / period)
    return steps, _table([dict(frechet_distance=10.0 ** v) for v in log_fd], steps=steps, base=NEUTRAL_MIX)


def test_oscillation_on_a_sine_in_log_fd_holds_between_first_and_last_turning_point():
    # 0.6-decade swings (amplitude 0.3): turning points at 100, 300, ..., 1700 (1900 is never retraced)
    steps, signals = _sine_fd(0.3)
    osc = check_predicates(signals, RING8)["oscillation"].to_numpy()
    assert steps[osc].tolist() == list(range(100, 1701, 50))
    # 0.4-decade swings: no turning point at all
    _, signals = _sine_fd(0.2)
    assert not check_predicates(signals, RING8)["oscillation"].any()
    # the floor flattens swings below it (here FD 10^-1.5 .. 10^-0.9, floor 0.1)
    _, signals = _sine_fd(0.3)
    signals["frechet_distance"] *= 10.0 ** -1.2
    assert not check_predicates(signals, RING8)["oscillation"].any()


def test_oscillation_on_d_accuracy_swings_of_0_3():
    steps = np.arange(41) * 50
    for amplitude, expected in [(0.16, True), (0.14, False)]:
        acc = 0.6 + amplitude * np.sin(2 * np.pi * steps / 400)
        pred = check_predicates(_table([dict(d_accuracy=a) for a in acc], steps=steps, base=NEUTRAL_MIX), RING8)
        assert pred["oscillation"].any() == expected


def test_oscillation_needs_three_turning_points_within_400_steps():
    # d_accuracy turning points at steps 200 (peak), 600 (trough), 1000 (peak): all three lie within
    # +-400 steps only of the check at 600
    acc = {0: 0.6, 100: 0.6, 200: 0.95, 300: 0.62, 400: 0.62, 500: 0.62, 600: 0.55, 700: 0.62, 800: 0.62,
           900: 0.62, 1000: 0.95, 1100: 0.6, 1200: 0.6}
    pred = check_predicates(_table([dict(d_accuracy=a) for a in acc.values()], steps=acc.keys(),
                                   base=NEUTRAL_MIX), RING8)
    assert pred.index[pred["oscillation"]].tolist() == [6]


def test_segments():
    assert segments([]) == []
    assert segments(["a"]) == [("a", 0, 0)]
    assert segments(np.array(["a", "a", "b", "a"], dtype=object)) == [("a", 0, 1), ("b", 2, 2), ("a", 3, 3)]


def test_score_on_hand_made_arrays():
    w, h, m, s = "warmup", "healthy", "mode_collapse", "stagnation"
    truth = [w, w, h, h, h, m, m, m, s, s]
    pred = [w, h, h, w, h, h, m, m, h, h]
    res = score(truth, pred)
    t = res.table
    assert list(t.index) == list(LABELS)
    assert t.loc[w, ["support", "predicted", "tp"]].tolist() == [2, 2, 1]
    assert t.loc[w, "precision"] == 0.5 and t.loc[w, "recall"] == 0.5 and t.loc[w, "f1"] == 0.5
    assert t.loc[h, ["support", "predicted", "tp"]].tolist() == [3, 6, 2]
    assert t.loc[h, "precision"] == pytest.approx(2 / 6) and t.loc[h, "recall"] == pytest.approx(2 / 3)
    assert t.loc[h, "f1"] == pytest.approx(4 / 9)
    assert t.loc[m, "precision"] == 1.0 and t.loc[m, "recall"] == pytest.approx(2 / 3)
    assert t.loc[m, "f1"] == pytest.approx(0.8)
    assert t.loc[s, "f1"] == 0.0 and np.isnan(t.loc[s, "precision"]) and t.loc[s, "recall"] == 0.0
    assert np.isnan(t.loc["divergence", "f1"])                  # neither true nor predicted
    assert res.macro_f1 == pytest.approx((0.5 + 4 / 9 + 0.8 + 0.0) / 4)
    assert res.delays[["label", "start", "end"]].values.tolist() == [[w, 0, 1], [h, 2, 4], [m, 5, 7], [s, 8, 9]]
    assert res.delays["delay"].tolist() == [0, 0, 1, None]
    assert t.loc[m, "median_delay"] == 1.0 and t.loc[s, "found"] == 0 and t.loc[s, "segments"] == 1
    assert res.median_delay == 0.0


def test_score_pools_steps_over_runs_but_keeps_segments_per_run():
    h, w = "healthy", "warmup"
    res = score([[h, h], [h, h, h]], [[w, h], [h, w, h]])
    assert res.table.loc[h, ["support", "predicted", "tp"]].tolist() == [5, 3, 3]
    assert res.table.loc[w, "precision"] == 0.0
    assert res.delays[["run", "start", "end", "delay"]].values.tolist() == [[0, 0, 1, 1], [1, 0, 2, 0]]
    assert res.macro_f1 == pytest.approx(2 * 3 / 8)            # only healthy is in the truth
    assert res.median_delay == 0.5
    with pytest.raises(GanalyzeError, match="run 1"):
        score([[h], [h, h]], [[h], [h]])


def test_bad_input_is_a_ganalyze_error():
    signals = _table([{}, {}], base=NEUTRAL_MIX)
    with pytest.raises(GanalyzeError, match="sample_drift"):
        check_predicates(signals.drop(columns="sample_drift"), RING8)
    with pytest.raises(GanalyzeError, match="strictly increasing"):
        check_predicates(signals.assign(step=[100, 100]), RING8)
    with pytest.raises(GanalyzeError, match="finite"):
        check_predicates(signals.assign(finite=[True, None]), RING8)
    with pytest.raises(GanalyzeError, match="data_kind"):
        TruthSpec(data_kind="audio", n_modes=8, critic=False, data_abs_mean=1.0, fd_floor=0.1)
    with pytest.raises(GanalyzeError, match="fd_floor"):
        TruthSpec(data_kind="mixture", n_modes=8, critic=False, data_abs_mean=1.0, fd_floor=0.0)
    with pytest.raises(GanalyzeError, match="predicate rows"):
        step_labels([100, 200], _preds([set()]), n_steps=300)


def test_oscillation_holds_only_between_the_first_and_last_turning_point():
    # turning points at 100, 200, 300; the checks at 0 and 400..500 have all three within +-400 steps
    # but lie outside them
    steps = list(range(0, 1000, 100))
    acc = [0.6, 0.95, 0.6, 0.95, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]
    pred = check_predicates(_table([dict(d_accuracy=a) for a in acc], steps=steps, base=NEUTRAL_MIX), RING8)
    assert np.asarray(steps)[pred["oscillation"].to_numpy()].tolist() == [100, 200, 300]


def test_score_counts_missing_predictions_as_no_label():
    res = score(["healthy", "healthy", "healthy"], [None, "healthy", "other"])
    t = res.table
    assert t.loc["healthy", ["support", "predicted", "tp"]].tolist() == [3, 1, 1]
    assert t.loc["other", "predicted"] == 1 and t.loc["other", "f1"] == 0.0
    assert res.macro_f1 == pytest.approx(0.5)
    assert res.delays["delay"].tolist() == [1]
