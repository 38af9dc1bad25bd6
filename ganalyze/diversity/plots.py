"""Pictures of diversity: per-class sample grid (torchvision make_grid / save_image) and
diversity against training step."""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import torch


def per_class_grid(images: torch.Tensor, labels: torch.Tensor, confidence: torch.Tensor | None = None,
                   per_class: int = 10, n_classes: int = 10) -> torch.Tensor:
    """Grid image (3, H, W) in [0, 1]: row c shows up to ``per_class`` samples classified as
    digit c (the first ones drawn, or the most confident if ``confidence`` is given); empty
    slots of a missing or rare class stay mid-grey, so a collapsed generator shows grey rows."""
    from torchvision.utils import make_grid  # imported when drawn: 2-6 s, not worth paying for an error

    x = images.detach().float().cpu().reshape(len(images), 1, *images.shape[-2:])
    h, w = x.shape[-2:]
    tiles = torch.zeros(n_classes * per_class, 1, h, w)  # 0 = mid-grey in [-1, 1]
    for c in range(n_classes):
        idx = torch.nonzero(labels.cpu() == c).flatten()
        if confidence is not None and len(idx):
            idx = idx[confidence.cpu()[idx].argsort(descending=True)]
        idx = idx[:per_class]
        tiles[c * per_class:c * per_class + len(idx)] = x[idx]
    return make_grid(tiles, nrow=per_class, padding=2, normalize=True, value_range=(-1, 1),
                     pad_value=1.0)


def save_per_class_grid(images, labels, path: str | Path, confidence=None, per_class: int = 10) -> Path:
    """Write :func:`per_class_grid` as a PNG (torchvision save_image); returns the path."""
    from torchvision.utils import save_image

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_image(per_class_grid(images, labels, confidence, per_class), path)
    return path


_PANELS = {  # column -> (label, reference key)
    "modes_covered": ("modes covered", "modes_covered"),
    "kl_uniform": ("KL from uniform (nats)", "kl_uniform"),
    "coverage": ("coverage (Naeem, k=5)", "coverage"),
    "p_all_ten_in_100": ("P(all 10 in 100)", "p_all_ten_in_100"),
    "high_quality": ("high-quality share", "high_quality"),
}


def plot_diversity_over_steps(table: pd.DataFrame, ax=None):
    """Diversity metrics of each checkpoint against training step (table from
    :func:`ganalyze.diversity.run.diversity_over_run`). Dashed lines: the metric on held-out
    real digits (``table.attrs["real_heldout"]``); red line: ``table.attrs["collapse_onset_step"]``
    when a fall in diversity was found. ``ax``: one Axes (draws modes covered and KL only) or
    None (a figure with one panel per available metric). Returns the Figure."""
    cols = [c for c in _PANELS if c in table.columns and table[c].notna().any()]
    if ax is not None:
        cols = [c for c in ("modes_covered", "kl_uniform") if c in cols][:1]
        axes, fig = [ax], ax.figure
    else:
        fig, axes = plt.subplots(len(cols), 1, figsize=(7, 1.9 * len(cols) + 0.6), sharex=True,
                                 squeeze=False)
        axes = list(axes[:, 0])
    ref = table.attrs.get("real_heldout", {}) or {}
    onset = table.attrs.get("collapse_onset_step")
    for a, col in zip(axes, cols):
        label, ref_key = _PANELS[col]
        a.plot(table["step"], table[col], marker="o", ms=3, label=label)
        if ref_key and ref_key in ref:
            a.axhline(ref[ref_key], ls="--", c="0.4", lw=1, label="real held-out")
        if onset is not None and not (isinstance(onset, float) and math.isnan(onset)):
            a.axvline(onset, c="tab:red", lw=1.5, label=f"diversity falls (step {onset})")
        a.set_ylabel(label, fontsize=8)
        a.legend(fontsize=7, loc="best")
    axes[-1].set_xlabel("training step")
    fig.suptitle(table.attrs.get("title", "diversity over training"), fontsize=10)
    fig.tight_layout()
    return fig
