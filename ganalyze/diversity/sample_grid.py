"""A sample grid as a picture shows it: split into its tiles, and how far the tiles differ.

Notebooks show a GAN's samples as a picture of many tiles: matplotlib subplots (one small image per
axes, on the figure's background), one image of ``torchvision.utils.make_grid`` (tiles between
lines of one padding colour) or tiles pasted edge to edge into one image (Udacity's ``images_square_grid``).
:func:`split_sample_grid` finds the tiles of each; :func:`tile_spread`
says how far they differ, in units of their own contrast, so that a grid of near copies of one image
(a collapsed generator) reads as such whatever the data set.

Neither needs the real data or a classifier, and neither knows what the tiles show: a loss plot whose
grid lines box equal cells can read as tiles too (they are then near-blank; :data:`MIN_TILE_CONTRAST`).
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

#: a grid's tiles differ by less than this share of their own contrast (:func:`tile_spread`): near copies
#: of one image. Set on 318 public notebooks whose last samples a person judged (stops 39-44's held-out
#: batches): below it 0 of 313 with varied samples, 7 of 25 collapsed and 9 of 27 failed runs; above 0.15
#: sit, e.g., one class drawn with varied strokes (0.18) and a few repeated textures among others.
NEAR_COPIES_SPREAD = 0.15
#: ... and varied samples measure this much or more: the 5th percentile of the 313 notebooks' grids judged varied
#: (in-sample, as above). Between the two a grid is partly alike: a few images repeated among others (a partial
#: collapse), tinted copies, or one class drawn many ways; it is said so, not read as either
VARIED_SPREAD = 0.44
#: tiles whose own pixel variance (pixels in [0, 1], averaged over the tiles) is below this hold next to
#: nothing: blank images, or the empty boxes of a plot's grid lines; their spread is not judged
MIN_TILE_CONTRAST = 0.003
#: the fewest tiles a grid is read from (and the smallest tile side, in pixels)
MIN_TILES = 4
MIN_TILE_SIDE = 8
#: the least share of the picture a grid's tiles cover: a plot's tick marks, legend boxes or a model diagram's
#: boxes repeat at one size too, but cover a few percent of it (on 312 public notebooks' grids of varied samples
#: 11 cover less, and none of the collapsed or failed runs' near copies do)
MIN_GRID_COVER = 0.05
#: a tile whose pixels vary by less than this (std, pixels in [0, 1]) is one colour: make_grid's fill for a last
#: row's missing images (dropped where few: MAX_BLANK_SHARE)
BLANK_TILE_STD = 0.004
#: ... where they are at most this share of the tiles (a heat map's cells of one colour each are no fills)
MAX_BLANK_SHARE = 0.25


def _largest_same_size(boxes: list[tuple[int, int, int, int]], tol: float = 0.12) -> list[tuple[int, int, int, int]]:
    """The largest group of boxes ``(top, left, bottom, right)`` of (nearly) one height and width."""
    best: list = []
    for h, w in {(b[2] - b[0], b[3] - b[1]) for b in boxes}:
        group = [b for b in boxes if abs(b[2] - b[0] - h) <= tol * h + 1 and abs(b[3] - b[1] - w) <= tol * w + 1]
        if len(group) > len(best):
            best = group
    return best


def background_colour(rgb: np.ndarray) -> np.ndarray:
    """A picture's background: the median colour of its border pixels (``(3,)``, in ``rgb``'s units)."""
    return np.median(np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]), axis=0)


def _foreground(rgb: np.ndarray) -> np.ndarray:
    """The pixels more than 10 of 255 off the background in some channel."""
    return np.abs(rgb - background_colour(rgb)).max(axis=2) > 10


def panel_boxes(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Subplot panels: solid regions off the figure's background (the colour of its border), text and tick
    marks removed (an opening of 5 x 5 pixels), at least 12 pixels a side, not within another's box (the dark
    inside of a light 0 or 6 in an imshow panel of digits on black is a hole of the panel, no panel of its own:
    held-out batch 700/07's make_grid of real digits was cut to two such holes and not split), the largest group
    of one size."""
    fg = ndimage.binary_opening(_foreground(rgb), structure=np.ones((5, 5)))
    lab, _ = ndimage.label(fg)
    boxes = [(s[0].start, s[1].start, s[0].stop, s[1].stop) for s in ndimage.find_objects(lab)
             if s is not None and s[0].stop - s[0].start >= 12 and s[1].stop - s[1].start >= 12]
    boxes = [b for b in boxes if not any(o != b and _inside(b, o) for o in boxes)]
    return _largest_same_size(boxes)


def _period(uniform: np.ndarray, lo: int = MIN_TILE_SIDE) -> tuple[int, int, int] | None:
    """The smallest period ``p`` at which every p-th line is uniform (a grid's padding): ``(offset, p, lines)``."""
    n_lines = len(uniform)
    for p in range(lo, n_lines // 2 + 1):
        n = n_lines // p
        hit = uniform[: n * p].reshape(n, p).all(axis=0)
        if hit.any():
            off = int(np.argmax(hit))
            if uniform[off::p].all() and len(range(off, n_lines, p)) >= 3:
                return off, p, len(range(off, n_lines, p))
    return None


#: how far (pixels) a resampled grid's padding line may sit from where a whole-pixel period puts it
RESAMPLED_SLACK = 1.5
#: the most runs of uniform lines searched for a fractional period (a grid of 63 tiles a side; the search grows with
#: the cube of the runs: 400 runs of a striped picture took 3 s)
MAX_RESAMPLED_RUNS = 64


def _resampled_bounds(uniform: np.ndarray, lo: int = MIN_TILE_SIDE) -> list[tuple[int, int]] | None:
    """A panel's padding lines at a period that is no whole number of pixels (a make_grid shown by imshow at another
    scale: held-out batch 454/03's lines 0, 56, 112, 167, 223, ..): ``[(first, last)]`` of each run of uniform lines
    in the longest chain, 3 or more, each within :data:`RESAMPLED_SLACK` of the step its predecessors set; the
    panel's outermost lines count as padding (resampling blends a grid's outer line with the figure around it).
    None where no chain is found."""
    u = uniform.copy()
    u[[0, -1]] = True
    idx = np.flatnonzero(u)
    runs = [(int(r[0]), int(r[-1])) for r in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1)]
    if len(runs) > MAX_RESAMPLED_RUNS:
        return None
    centre = [(a + b) / 2 for a, b in runs]
    best: list[int] = []
    for i in range(len(runs)):
        for j in range(i + 1, len(runs)):
            step = centre[j] - centre[i]
            if step < lo:
                continue
            chain = [i, j]
            for k in range(j + 1, len(runs)):
                expected = centre[chain[-1]] + (centre[chain[-1]] - centre[chain[0]]) / (len(chain) - 1)
                if abs(centre[k] - expected) <= RESAMPLED_SLACK:
                    chain.append(k)
                elif centre[k] > expected + RESAMPLED_SLACK:
                    break
            if len(chain) > len(best):
                best = chain
    return [runs[k] for k in best] if len(best) >= 3 else None


def padded_grid_boxes(rgb: np.ndarray, tol: float = 3.0) -> list[tuple[int, int, int, int]]:
    """make_grid's tiles: rows and columns of one colour (grey-level std < ``tol`` of 255) repeating at one
    period each way; the tiles are the blocks between them."""
    grey = rgb.mean(axis=2)
    rows, cols = _period(grey.std(axis=1) < tol), _period(grey.std(axis=0) < tol)
    if rows is None or cols is None:
        return []
    (r0, rp, rn), (c0, cp, cn) = rows, cols
    return [(r0 + i * rp + 1, c0 + j * cp + 1, r0 + (i + 1) * rp, c0 + (j + 1) * cp)
            for i in range(rn - 1) for j in range(cn - 1)]


def resampled_grid_boxes(rgb: np.ndarray, tol: float = 3.0) -> list[tuple[int, int, int, int]]:
    """make_grid's tiles in a panel cut from a figure (its outermost lines count as padding) where the padding lines
    repeat at a period of no whole number of pixels (:func:`_resampled_bounds`); [] where none is found."""
    grey = rgb.mean(axis=2)
    row_bounds, col_bounds = _resampled_bounds(grey.std(axis=1) < tol), _resampled_bounds(grey.std(axis=0) < tol)
    if row_bounds is None or col_bounds is None:
        return []
    return [(r[1] + 1, c[1] + 1, r_next[0], c_next[0]) for r, r_next in zip(row_bounds, row_bounds[1:])
            for c, c_next in zip(col_bounds, col_bounds[1:])]


#: an unpadded grid's tile boundaries stand out from the strongest edges elsewhere in the picture by at least this
#: factor, both ways (:func:`unpadded_grid_boxes`; set a priori at 1.5: on stop 46's 10 Udacity face notebooks
#: the true boundaries score 1.8-3.3; a single upscaled sample, whose pixel blocks repeat at one period, about 1)
UNPADDED_BOUNDARY_RATIO = 1.5
#: the most tiles a side an unpadded grid is read with
UNPADDED_MAX_SIDE = 12


def _edge_profile(grey: np.ndarray, axis: int) -> np.ndarray:
    """How sharply each pair of neighbouring columns (``axis=1``) or rows (``axis=0``) differs: the median over the
    other axis of the absolute grey-level difference (a tile boundary differs along its whole length, an edge
    inside a sample along part of it)."""
    return np.median(np.abs(np.diff(grey, axis=axis)), axis=1 - axis)


def _boundary_score(profile: np.ndarray, k: int) -> float:
    """How far the ``k - 1`` evenly spaced lines that would cut ``profile``'s picture into ``k`` tiles stand out:
    the weakest of them (the strongest difference within a pixel of each) over the mean of the ``k - 1`` strongest
    differences elsewhere (the picture's own border left out)."""
    n = len(profile) + 1
    near = np.zeros(len(profile), dtype=bool)
    near[:3] = near[-3:] = True
    peaks = []
    for i in range(1, k):
        at = i * n / k - 1
        lo, hi = max(int(np.floor(at)) - 1, 0), min(int(np.ceil(at)) + 1, len(profile) - 1)
        peaks.append(profile[lo:hi + 1].max())
        near[max(lo - 1, 0):hi + 2] = True
    others = np.sort(profile[~near])
    if len(others) < k - 1:
        return 0.0
    return float(min(peaks) / (others[-(k - 1):].mean() + 1.0))


def _tiles_a_side(profile: np.ndarray) -> int | None:
    """The most tiles (2 .. :data:`UNPADDED_MAX_SIDE`, at least :data:`MIN_TILE_SIDE` pixels each) whose
    boundaries score :data:`UNPADDED_BOUNDARY_RATIO` or more, or None."""
    n = len(profile) + 1
    found = None
    for k in range(2, UNPADDED_MAX_SIDE + 1):
        if n / k < MIN_TILE_SIDE:
            break
        if _boundary_score(profile, k) >= UNPADDED_BOUNDARY_RATIO:
            found = k
    return found


def unpadded_grid_boxes(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Tiles pasted edge to edge into a square grid (Udacity's ``images_square_grid``, shown with ``plt.imshow``):
    as many evenly spaced lines each way where the picture changes along their whole length, more sharply than
    anywhere else (a grid whose boundaries show only one way, or a different count each way, is left unread:
    digits on black, whose tiles meet black to black, cut so into wrong tiles). A single
    image shown large is no grid (its sharpest edges lie anywhere, or, upscaled, at every pixel block alike); a
    grid of near copies whose tiles' edges match their neighbours' shows no boundaries and is not split."""
    grey = np.asarray(rgb, dtype=np.float32).mean(axis=2)
    rows, cols = _tiles_a_side(_edge_profile(grey, 0)), _tiles_a_side(_edge_profile(grey, 1))
    if rows is None or rows != cols:
        return []
    h, w = grey.shape
    return [(round(i * h / rows), round(j * w / cols), round((i + 1) * h / rows), round((j + 1) * w / cols))
            for i in range(rows) for j in range(cols)]


#: a panel whose pixels vary by less than this (grey std, 0-255) is blank, or one flat texture: no grid is read from
#: its brightness profile (:func:`periodic_grid_boxes`)
PERIODIC_MIN_STD = 8.0
#: the most tiles a side :func:`periodic_grid_boxes` looks for (a 16 x 16 grid of 28-pixel digits is 448 pixels wide)
PERIODIC_MAX_SIDE = 16
#: how far the profile's k-th harmonic must stand above every harmonic that is not k's multiple (up to 3 x
#: :data:`PERIODIC_MAX_SIDE`) for the panel to read as k tiles a side: set a priori at 3, and checked on the 9,003
#: pictures of held-out batches 550-678 (in-sample for this check: of the 156 panels no other search split, about
#: 120 were sample grids read at the right count, the rest blank panels, one pixel-art cross and one 10 x 10 grid
#: looked for with too few sides, which the blank and side limits now leave out)
PERIODIC_HARMONIC_RATIO = 3.0
#: ... and a harmonic at half its frequency holding at least this share of its size makes that half the count: the
#: fundamental of centred samples, of which the k-th harmonic's double is an overtone
PERIODIC_FUNDAMENTAL_SHARE = 0.5


def _periodic_side(profile: np.ndarray, largest: int) -> int | None:
    """The tiles a side of centred samples whose mean brightness along one axis is ``profile``: the frequency
    (3 .. ``largest``) of its strongest harmonic, halved while the half holds :data:`PERIODIC_FUNDAMENTAL_SHARE` of
    it, where it stands :data:`PERIODIC_HARMONIC_RATIO` above every harmonic that is not its multiple; else None."""
    spectrum = np.abs(np.fft.rfft(profile - profile.mean()))
    sides = range(3, min(largest, len(spectrum) - 1) + 1)
    if not len(sides):
        return None
    k = max(sides, key=lambda j: spectrum[j])
    while k % 2 == 0 and k // 2 >= 3 and spectrum[k // 2] >= PERIODIC_FUNDAMENTAL_SHARE * spectrum[k]:
        k //= 2
    others = [spectrum[j] for j in range(1, min(len(spectrum), 3 * PERIODIC_MAX_SIDE + 1)) if j % k]
    return k if others and spectrum[k] >= PERIODIC_HARMONIC_RATIO * max(others) else None


def periodic_grid_boxes(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Samples pasted edge to edge whose boundaries do not show (light digits on a black ground meet black to
    black, which :func:`unpadded_grid_boxes` and the padding searches cannot cut): a generator's samples are centred
    (MNIST's digits by their centre of mass, a face in its frame), so the picture's mean brightness along each axis
    rises and falls once per tile. Read as k tiles a side where both axes' profiles repeat k times
    (:func:`_periodic_side`) in a square picture that is not blank (:data:`PERIODIC_MIN_STD`). A single image shown
    large, a loss curve or a heat map repeats at no one count both ways. Where it misleads: samples that are not
    centred (text, wide scenes) are not split, and a picture of k x k equal cells of anything centred is read as a
    grid."""
    grey = np.asarray(rgb, dtype=np.float32)[..., :3].mean(axis=2)
    h, w = grey.shape
    if abs(h - w) > 0.1 * max(h, w) or float(grey.std()) < PERIODIC_MIN_STD:
        return []
    largest = min(PERIODIC_MAX_SIDE, min(h, w) // MIN_TILE_SIDE)
    rows, cols = _periodic_side(grey.mean(axis=1), largest), _periodic_side(grey.mean(axis=0), largest)
    if rows is None or rows != cols:
        return []
    return [(round(i * h / rows), round(j * w / cols), round((i + 1) * h / rows), round((j + 1) * w / cols))
            for i in range(rows) for j in range(cols)]


#: a tile found between background bands has the picture's foreground on at least this share of each of its four
#: edges (:func:`band_boxes`; set between held-out batch 422's binary-noise tiles, 0.18-0.25, and the boxes of
#: histogram subplots cut with their tick labels and titles, 0.00-0.03, the one false grid in 2,876 pictures of
#: stops 46-47's notebooks at a lower share: in-sample)
BAND_EDGE_FILL = 0.10


def _bands(mask: np.ndarray, least: int = 12) -> list[tuple[int, int]]:
    """The runs of True in ``mask``, ``(start, stop)``, at least ``least`` long."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return [(int(a), int(b)) for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)) if b - a >= least]


def band_boxes(rgb: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Subplots whose images hold the figure's background colour (binary noise on white, shown with its axes
    off): the columns and then, within each, the rows that hold anything off the background, cut where whole
    lines of background lie between them; a box is kept where its four edges hold foreground on
    :data:`BAND_EDGE_FILL` of their pixels (an axes box cut with its tick labels and title does not), the
    largest group of one size. :func:`panel_boxes` misses such panels: its opening erodes speckled tiles away."""
    fg = _foreground(rgb)
    boxes = []
    for c0, c1 in _bands(fg.any(axis=0)):
        for r0, r1 in _bands(fg[:, c0:c1].any(axis=1)):
            box = fg[r0:r1, c0:c1]
            if min(box[0].mean(), box[-1].mean(), box[:, 0].mean(), box[:, -1].mean()) >= BAND_EDGE_FILL:
                boxes.append((r0, c0, r1, c1))
    return _largest_same_size(boxes, tol=0.05)


def _inside(box: tuple[int, int, int, int], frame: tuple[int, int, int, int]) -> bool:
    """Whether ``box`` lies within ``frame`` (both ``(top, left, bottom, right)``)."""
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def framed_boxes(rgb: np.ndarray, panels: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Framed subplots (:func:`band_boxes`) where the solid "panels" :func:`panel_boxes` found are strokes inside
    them: dark digits on white (``cmap="gray_r"``) in 4 x 4 axes with their ticks cleared, the common tutorial
    figure, whose thick strokes survive the panel search's opening and read as 5-15 panels of one size. Taken where
    there are more frames than panels and every panel lies in one; else ``[]``."""
    frames = band_boxes(rgb)
    if len(frames) <= len(panels) or not all(any(_inside(p, f) for f in frames) for p in panels):
        return []
    return frames


def _tiles_fit(boxes: list[tuple[int, int, int, int]], shape: tuple) -> bool:
    """Whether ``boxes`` cut to their smallest height and width are samples: :data:`MIN_TILE_SIDE` a side or more, at
    most 3 times as long as wide, together :data:`MIN_GRID_COVER` of a picture of ``shape``."""
    h = min(b[2] - b[0] for b in boxes)
    w = min(b[3] - b[1] for b in boxes)
    return min(h, w) >= MIN_TILE_SIDE and max(h, w) <= 3 * min(h, w) and len(boxes) * h * w >= MIN_GRID_COVER * shape[0] * shape[1]


def _boxes_in(search, a: np.ndarray, box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """``search``'s boxes in the part ``box`` (``(top, left, bottom, right)``) of the picture ``a``, in the picture's
    coordinates."""
    t, left, b, r = box
    return [(t + x0, left + y0, t + x1, left + y1) for x0, y0, x1, y1 in search(a[t:b, left:r])]


def split_sample_grid(rgb: np.ndarray) -> np.ndarray | None:
    """The tiles of a picture of samples, ``(n, h, w, 3)`` floats in [0, 1], or None where the picture is no
    grid of at least :data:`MIN_TILES` tiles of one size covering :data:`MIN_GRID_COVER` of it (a loss curve, one
    image, text).

    ``rgb``: ``(H, W, 3)`` uint8 (a PNG as PIL decodes it). Subplot panels are tried first (or the frames around
    them where the "panels" are strokes inside framed axes: :func:`framed_boxes`); one panel (an
    imshow of a make_grid) is searched for a padded grid inside it; then the whole picture; then the one panel
    for tiles pasted edge to edge (:func:`unpadded_grid_boxes`); then subplots whose images hold the background's
    colour (:func:`band_boxes`); last, padding at a period of no whole number of pixels (:func:`resampled_grid_boxes`,
    in the one panel, or in the figure's foreground where nothing else was found), taken where its tiles are more and
    fit; then the period of the brightness profile of centred samples (:func:`periodic_grid_boxes`), whose count wins
    in the one panel, and which is tried over the figure's foreground where nothing found fits. Tiles are cut to the smallest tile's size (:func:`_tiles_fit`: a tile more than 3 times as long as wide is no
    sample); blank fills, a quarter of the tiles at most, are dropped."""
    a = np.asarray(rgb, dtype=np.float32)
    if a.ndim != 3 or a.shape[0] < 3 * MIN_TILE_SIDE or a.shape[1] < 3 * MIN_TILE_SIDE:
        return None
    a = a[..., :3]
    boxes = panel_boxes(a)
    if len(boxes) > 1 and (framed := framed_boxes(a, boxes)) and _tiles_fit(framed, a.shape):
        boxes = framed
    panel = boxes[0] if len(boxes) == 1 else None
    if panel is not None:
        boxes = _boxes_in(padded_grid_boxes, a, panel)
    if len(boxes) < MIN_TILES:
        boxes = padded_grid_boxes(a)
    if len(boxes) < MIN_TILES and panel is not None:
        boxes = _boxes_in(unpadded_grid_boxes, a, panel)
    if len(boxes) < MIN_TILES:
        boxes = band_boxes(a)
    # a make_grid drawn by imshow at a scale of no whole pixels (held-out batch 454/03: padding lines 55-56 pixels
    # apart): in its panel, or, where no panel and no grid was found, in the figure's foreground; taken where it finds
    # more tiles that fit than the searches above (a coarser period among its lines cut 4-6 tiles across the images).
    # (Light digits on black drawn so are still not split: their padding is as dark as their ground.)
    if panel is None and len(boxes) < MIN_TILES and (fg := np.argwhere(_foreground(a))).size:
        (t, left), (b, r) = fg.min(axis=0), fg.max(axis=0) + 1
        panel = (int(t), int(left), int(b), int(r))
    if panel is not None:
        scaled = _boxes_in(resampled_grid_boxes, a, panel)
        if len(scaled) > len(boxes) and _tiles_fit(scaled, a.shape):
            boxes = scaled
    # last, centred samples pasted edge to edge whose boundaries do not show (light digits on black: held-out batch
    # 667/00's 5 x 5 grid of 1s beside a loss curve), by the brightness profile's period; where the searches above
    # found another count in the one panel, the period's wins: their "padding" was then black columns and rows
    # between light digits on black (25 tiles cut as 10, 15 or 20; of 469 single-panel pictures of held-out batches
    # 550-678 whose profile repeats, 245 agreed and, of the 84 that did not, 30 looked at were all cut right by
    # the period: in-sample)
    if panel is not None:
        periodic = _boxes_in(periodic_grid_boxes, a, panel)
        if periodic and len(periodic) != len(boxes) and _tiles_fit(periodic, a.shape):
            boxes = periodic
    # ... and in the figure's foreground where the searches above found nothing that fits: subplots whose gaps are
    # uneven, some pairs of axes drawn touching, read as a dozen panels of mixed widths (held-out batch 685/09: 10 x
    # 10 digits in a viridis colour map)
    if (len(boxes) < MIN_TILES or not _tiles_fit(boxes, a.shape)) and (fg := np.argwhere(_foreground(a))).size:
        periodic = _boxes_in(periodic_grid_boxes, a, (*fg.min(axis=0), *(fg.max(axis=0) + 1)))
        if periodic and _tiles_fit(periodic, a.shape):
            boxes = periodic
    if len(boxes) < MIN_TILES or not _tiles_fit(boxes, a.shape):
        return None
    h = min(b[2] - b[0] for b in boxes)
    w = min(b[3] - b[1] for b in boxes)
    tiles = np.stack([a[b[0]:b[0] + h, b[1]:b[1] + w] for b in boxes]) / 255.0
    blank = tiles.reshape(len(tiles), -1).std(axis=1) < BLANK_TILE_STD
    # make_grid fills a last row's missing images with its padding colour (fewer than a row): no samples
    return tiles[~blank] if 0 < blank.sum() <= MAX_BLANK_SHARE * len(tiles) else tiles


def tile_contrast(tiles: np.ndarray) -> float:
    """Each tile's pixel variance around its own mean, averaged over the tiles (pixels in [0, 1])."""
    flat = np.asarray(tiles, dtype=np.float64).reshape(len(tiles), -1)
    return float(flat.var(axis=1).mean())


#: how far (pixels, each way) :func:`aligned_tile_spread` shifts a tile onto the grid's median tile
ALIGN_SHIFT = 2
#: the blur (Gaussian sigma, pixels) :func:`aligned_tile_spread` applies first
ALIGN_BLUR = 1.0
#: ... and the most tiles it reads (the first; 64 tiles of 256 x 256 take about 2 s on one core)
ALIGN_MAX_TILES = 64


def aligned_tile_spread(tiles: np.ndarray, shift: int = ALIGN_SHIFT, blur: float = ALIGN_BLUR) -> float:
    """:func:`tile_spread` of the tiles blurred by ``blur`` pixels, each then moved by the whole-pixel shift (up to
    ``shift`` each way) that brings it closest (squared difference) to their pixelwise median, all cut by
    ``shift`` at their edges (the first :data:`ALIGN_MAX_TILES` tiles).

    A grid drawn at a scale that is no whole number of screen pixels per sample pixel (``plt.imshow`` of a
    make_grid) samples each tile at another fraction of a pixel: copies of a speckled image then differ by
    that phase. Sixteen copies of one binary-noise image drawn so measure 0.46 as drawn (varied), 0.07 here;
    held-out batch 423/45's 16 copies 0.26 and 0.09; 16 real MNIST digits 0.64 and 0.59. Not a measure of its
    own: cutting the edges can raise it (grey blobs whose contrast lies at their edges), and empty frames are
    copies too, so ``diagnose.shown`` reads it only to find near copies among tiles that are none as drawn, and
    not on tiles that are mostly background."""
    t = np.asarray(tiles, dtype=np.float64)[:ALIGN_MAX_TILES]
    n, h, w = t.shape[:3]
    if blur > 0:
        t = ndimage.gaussian_filter(t, sigma=(0, blur, blur) + (0,) * (t.ndim - 3))
    if min(h, w) <= 4 * shift:
        return tile_spread(t)
    median = np.median(t[:, shift:h - shift, shift:w - shift], axis=0)
    moved = []
    for tile in t:
        cuts = [tile[shift + dy:h - shift + dy, shift + dx:w - shift + dx]
                for dy in range(-shift, shift + 1) for dx in range(-shift, shift + 1)]
        moved.append(min(cuts, key=lambda cut: float(((cut - median) ** 2).mean())))
    return tile_spread(np.stack(moved))


def tile_spread(tiles: np.ndarray) -> float:
    """How far a grid's tiles differ, in units of their own contrast: the variance across tiles at each
    pixel, averaged over pixels, over :func:`tile_contrast`.

    Reference values: identical tiles 0; tiles of independent noise about 1; the varied samples of 313
    public notebooks: 5 % below 0.44, median 0.68; collapsed runs: median 0.43, 28 % below
    :data:`NEAR_COPIES_SPREAD` (in-sample: the threshold was set on these notebooks). Misleads on a grid laid out by class (a conditional GAN drawing one digit
    per row still varies across rows) or an interpolation (neighbours alike by design)."""
    flat = np.asarray(tiles, dtype=np.float64).reshape(len(tiles), -1)
    contrast = flat.var(axis=1).mean()
    return float(flat.var(axis=0).mean() / contrast) if contrast > 0 else float("nan")


#: a grid whose neighbouring tiles are at most this share as far apart as its tiles are overall (:func:`neighbour_likeness`)
#: is laid out in order, not drawn at random: a walk between latent points, one class per row. Set a priori at half;
#: on the 6,666 grids the judged notebooks of held-out batches 550-684 show, 6,208 measure 0.85-1.15 and 70 under 0.45
#: (interpolation strips, latent traversals, conditional grids by class, and plots read as grids; `/work/s56/interp.py`)
ORDERED_NEIGHBOURS = 0.5


def neighbour_likeness(tiles: np.ndarray) -> float:
    """How far a grid's neighbouring tiles are apart as a share of how far its tiles are apart overall: the median
    root-mean-square pixel distance between tiles next to each other in reading order (and, for a square count, one
    above the other), the smaller of the two, over the median over all pairs (each tile's mean taken out). About 1 for
    samples drawn independently, whatever their spread; near 0 for a walk between latent points or a grid laid out
    by class (neighbours alike by design). NaN for fewer than 3 tiles or tiles all alike."""
    n = len(tiles)
    if n < 3:
        return float("nan")
    flat = np.asarray(tiles, dtype=np.float64).reshape(n, -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    sq = (flat * flat).sum(axis=1)
    dist = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2.0 * flat @ flat.T, 0.0) / flat.shape[1])
    overall = float(np.median(dist[np.triu_indices(n, 1)]))
    if not overall > 0:
        return float("nan")
    side = int(round(np.sqrt(n)))
    near = [float(np.median(np.diagonal(dist, 1)))]
    if side * side == n and side > 1:
        near.append(float(np.median(np.diagonal(dist, side))))
    return min(near) / overall
