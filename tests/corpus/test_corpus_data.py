"""Datasets, the shipped 8x8-digits classifier, the random search, log variants and the store."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from ganalyze.corpus import datasets
from ganalyze.corpus.classifiers import digits8_split, load_digits8
from ganalyze.corpus.spec import RunSpec, draw_specs
from ganalyze.corpus.variants import COLUMN_SETS, averaged, every_k, make_variant


def test_mixtures_have_the_documented_geometry():
    ring, grid = datasets.load("ring8"), datasets.load("grid25")
    assert ring.n_modes == 8 and np.allclose(ring.centres.norm(dim=1), 2.0)
    assert grid.n_modes == 25 and set(grid.centres[:, 0].tolist()) == {-4.0, -2.0, 0.0, 2.0, 4.0}
    # every real point lies within 3 std of its own centre (up to a 1e-3 tail)
    d = torch.cdist(grid.data, grid.centres).min(1).values
    assert (d <= 3 * grid.std).float().mean() > 0.98


def test_digits8_classifier_is_accurate_on_its_held_out_digits():
    x, y = datasets.digits8_images_and_labels()
    _, held = digits8_split()
    with torch.no_grad():
        acc = (load_digits8()(x[held]).argmax(1) == y[held]).float().mean()
    assert held.sum() == 360 and acc >= 0.95


def test_random_search_is_deterministic_and_spans_the_ranges():
    a, b = draw_specs(200, seed=5), draw_specs(200, seed=5)
    assert [s.to_json() for s in a] == [s.to_json() for s in b]
    assert RunSpec.from_dict(a[0].to_dict()) == a[0]
    ratios = np.array([s.lr_d / s.lr_g for s in a])
    assert ratios.min() < 1 / 10 and ratios.max() > 10
    assert {s.loop for s in a} == {"trainer", "dcgan", "pacgan", "critic"}
    assert {s.dataset for s in a} == {"ring8", "grid25", "mnist", "digits8"}
    assert {e.kind for s in a for e in s.events} == {"lr", "freeze_g", "freeze_d", "beta1", "nan"}
    assert min(s.batch_size for s in a) == 16 and max(s.batch_size for s in a) == 256


def _run(n=300):
    step = np.arange(n)
    return pd.DataFrame({"step": step, "d_loss": step.astype(float), "g_loss": 1.0, "d_x": 0.5,
                         "div_pdist_ratio": np.where(step % 50 == 0, step / 100.0, np.nan),
                         "gt_label": np.where(step < 100, "warmup", "healthy")})


def test_long_profiles_draw_long_runs_with_surges_and_leave_earlier_searches_unchanged():
    import hashlib

    long = draw_specs(80, seed=4, profile="long", start=3000)
    assert all(2000 <= s.steps <= 5000 and s.dataset in ("ring8", "grid25", "digits8") for s in long)
    assert all(s.dataset == "ring8" for s in long if s.loop == "trainer")
    surges = [e for s in long for e in s.events if e.kind == "lr" and e.d == e.g and e.d >= 100]
    assert len(surges) >= 10 and max(e.d for e in surges) <= 1000
    assert long[0].run_id.startswith("r3000_")
    mnist = draw_specs(12, seed=5, profile="long_mnist", start=4000)
    assert all(s.dataset == "mnist" and 1500 <= s.steps <= 3000 for s in mnist)
    # the surge kind was added with a zero weight elsewhere: the first search draws exactly as before
    digest = hashlib.md5("".join(s.to_json() for s in draw_specs(330, seed=0)).encode()).hexdigest()
    assert digest == "01ab5fe372b43e545cba3ca9c4a539c9"


def test_new_loop_profiles_draw_only_their_loop():
    for profile, seed, start, losses in (("keras", 6, 5000, {"nsgan", "lsgan"}), ("r1", 7, 6000, {"nsgan", "hinge"}),
                                         ("tfsim", 8, 7000, {"nsgan", "lsgan"}), ("sngan", 9, 8000, {"hinge", "nsgan"}),
                                         ("pytorchgan", 12, 10000, {"nsgan", "lsgan", "wgan-gp"}),
                                         ("goodfellow", 13, 11000, {"minimax", "nsgan"}),
                                         ("wganclip", 14, 12000, {"wgan-gp"}),
                                         ("dcgantf", 17, 14000, {"nsgan", "lsgan"}),
                                         ("ganhacks", 18, 15000, {"nsgan", "minimax"}),
                                         ("dragan", 19, 16000, {"nsgan", "lsgan"})):
        specs = draw_specs(120, seed=seed, profile=profile, start=start)
        assert {s.loop for s in specs} == {profile} and {s.loss for s in specs} == losses
        assert {s.dataset for s in specs} == {"ring8", "grid25", "digits8", "mnist"}
        assert specs[0].run_id.startswith(f"r{start}_{profile}_")
    assert sum(s.n_critic == 5 for s in draw_specs(120, seed=9, profile="sngan")) > 60     # SNGAN's n_dis
    ptg = draw_specs(160, seed=12, profile="pytorchgan", start=10000)
    assert all(s.n_critic == 1 for s in ptg if s.loss != "wgan-gp") and any(s.n_critic == 5 for s in ptg)
    assert all(s.optimizer == "rmsprop" for s in draw_specs(120, seed=14, profile="wganclip", start=12000))


def test_frozen_player_profiles_freeze_once_per_run():
    frozen_g = draw_specs(60, seed=10, profile="frozen_g", start=9000)
    assert {s.loop for s in frozen_g} == {"r1", "critic", "pacgan"}
    assert all(len(s.events) == 1 and s.events[0].kind == "freeze_g" for s in frozen_g)
    frozen_d = draw_specs(40, seed=11, profile="frozen_d_new", start=9500)
    assert {s.loop for s in frozen_d} == {"keras", "tfsim"} and {s.loss for s in frozen_d} == {"nsgan"}
    assert all(len(s.events) == 1 and s.events[0].kind == "freeze_d" for s in frozen_d)
    frozen_d = draw_specs(60, seed=15, profile="frozen_d_910", start=12500)
    assert {s.loop for s in frozen_d} == {"pytorchgan", "goodfellow"} and {s.loss for s in frozen_d} <= {"nsgan", "minimax"}
    assert all(len(s.events) == 1 and s.events[0].kind == "freeze_d" for s in frozen_d)


def test_build_add_keeps_the_corpus_runs_and_adds_the_new_ones(tmp_path, load_script):
    import torch

    from ganalyze.corpus.generate import run_one
    from ganalyze.corpus.spec import RunSpec
    from ganalyze.corpus.store import build_corpus, check_corpus, load_checks, load_manifest, load_steps

    torch.set_num_threads(1)

    def spec(run_id, loop):
        return RunSpec(run_id=run_id, loop=loop, dataset="ring8", loss="nsgan", steps=40, batch_size=32,
                       lr_d=5e-4, lr_g=5e-4, beta1=0.5, beta2=0.999, g_width=32, d_width=32, latent_dim=8,
                       check_every=20, seed=1)

    first, second = tmp_path / "w1", tmp_path / "w2"
    for s in (spec("r0001_dcgan", "dcgan"), spec("r0002_pacgan", "pacgan")):
        assert run_one(s, first)["status"] == "ok"
    assert run_one(spec("r5000_keras", "keras"), second)["status"] == "ok"
    out = tmp_path / "corpus"
    build_corpus([first], out)
    before = load_steps(out).sort_values(["run_id", "step"]).reset_index(drop=True)
    build_corpus([second], out, add=True)
    man = load_manifest(out)
    assert man["run_id"].tolist() == ["r0001_dcgan", "r0002_pacgan", "r5000_keras"]
    after = load_steps(out).sort_values(["run_id", "step"]).reset_index(drop=True)
    kept = after[after["run_id"] != "r5000_keras"].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, before, check_categorical=False)
    assert (after["run_id"] == "r5000_keras").sum() == 40
    assert set(load_checks(out)["run_id"]) == set(man["run_id"])
    assert not (tmp_path / "corpus.building").exists() and not (tmp_path / "corpus.old").exists()
    assert check_corpus(out) == 1          # too small for issue #10's bar, but the files agree:
    build_corpus([second], out, add=True)  # adding the same run again replaces it, never doubles it
    assert len(load_manifest(out)) == 3 and len(load_steps(out)) == len(after)
    mine = tmp_path / "mine"               # a folder that is not a corpus is never replaced
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    for add in (False, True):
        with pytest.raises(SystemExit, match="holds no corpus"):
            build_corpus([second], mine, add=add)
    assert (mine / "notes.txt").read_text() == "keep me"
    # the training examples of this small corpus: the same rows whether featurised in 1 or 2 processes
    from ganalyze.corpus.examples import ALL_VARIANTS, build_examples

    some = [v for v in ALL_VARIANTS if v.every in (1, 10)][:4]
    one = build_examples(out, variants=some, progress=False)
    two = build_examples(out, variants=some, progress=False, workers=2)
    pd.testing.assert_frame_equal(one, two)
    assert set(one["run_id"]) == set(man["run_id"]) and one["label"].notna().all()
    # a run added later is featurised alone and merged where a rebuild would put it: the same frame
    from ganalyze.corpus.store import run_order

    part = build_examples(out, variants=some, progress=False, run_ids={"r0002_pacgan"})
    assert set(part["run_id"]) == {"r0002_pacgan"}
    train_diagnoser = load_script("train_diagnoser")
    cached = one[one["run_id"] != "r0002_pacgan"].reset_index(drop=True)
    features = [c for c in one.columns if c not in train_diagnoser.META_COLUMNS]
    assert train_diagnoser.runs_added_since(cached, man, features) == {"r0002_pacgan"}
    assert train_diagnoser.runs_added_since(cached.drop(columns=features[0]), man, features) == set()
    pd.testing.assert_frame_equal(train_diagnoser.add_examples(cached, part, run_order(out)), one)
    # a feature computed differently under the same name (stop 29 capped log_step) makes the cache stale
    assert train_diagnoser.cache_definition_problem(one, out, features) == ""
    moved = one.assign(log_step=one["log_step"] + 0.5)
    assert "feature log_step is computed differently" in train_diagnoser.cache_definition_problem(moved, out, features)


def test_variants_every_k_averaged_and_subsets():
    df = _run()
    ev = every_k(df, 100)
    assert ev["step"].tolist() == [0, 100, 200] and ev["div_pdist_ratio"].tolist() == [0.0, 1.0, 2.0]
    av = averaged(df, 100)
    assert av["step"].tolist() == [99, 199, 299] and av["d_loss"].tolist() == [49.5, 149.5, 249.5]
    assert av["gt_label"].tolist() == ["warmup", "healthy", "healthy"]
    assert list(make_variant(df, "losses", 10).columns) == ["step", "d_loss", "g_loss", "gt_label"]
    assert "div_pdist_ratio" in make_variant(df, "diversity", 10).columns
    assert list(COLUMN_SETS) == ["losses", "d_outputs", "grad_norms", "diversity", "lr"]


def test_the_committed_corpus_is_what_make_corpus_draws_by_default(load_script):
    """Every run of data/corpus has exactly the spec that ``make_corpus.py generate`` draws with its
    defaults (so the corpus can be regenerated), and only the first search is incomplete (261 of
    its 330 runs finished in the session that built it; the rest are the next ones drawn)."""
    import json

    from ganalyze.corpus.store import load_manifest

    make_corpus = load_script("make_corpus")
    drawn = {s.run_id: s.to_dict() for s in make_corpus.all_specs(make_corpus.parser().parse_args(["generate"]))}
    man = load_manifest()
    assert set(man["run_id"]) <= set(drawn)
    for row in man.itertuples():
        assert json.loads(row.spec) == json.loads(json.dumps(drawn[row.run_id])), row.run_id
    missing = set(drawn) - set(man["run_id"])
    assert len(missing) == 69 and all(int(r[1:5]) < 330 for r in missing)


def test_very_long_search_is_outside_the_default_corpus_and_draws_long_2d_runs(load_script, capsys):
    """The ``very_long`` search (scripts/eval_long_runs.py's runs) draws nothing by default, so the
    committed corpus stays what ``generate`` draws; asked for, it draws 8,000-20,000-step runs on
    the 2-D datasets from every loop. The evaluation script refuses a folder without a corpus in
    one line."""
    make_corpus = load_script("make_corpus")
    args = make_corpus.parser().parse_args(["generate"])
    assert args.n_very_long == 0
    specs = make_corpus.all_specs(make_corpus.parser().parse_args(["generate", "--only", "very_long", "--n-very-long=30"]))
    assert len(specs) == 30 and all(8000 <= s.steps <= 20000 and s.dataset in ("ring8", "grid25") for s in specs)
    assert len({s.loop for s in specs}) >= 6 and all(int(s.run_id[1:6]) >= 13000 for s in specs)
    assert load_script("eval_long_runs").main(["/nonexistent"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds no manifest.parquet" in err[0]
