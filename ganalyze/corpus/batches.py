"""Real batches in shuffled passes over the data, as the corpus loops draw them."""
from __future__ import annotations

import torch


class EpochBatches:
    """Batches of ``data`` (first dimension: samples) in shuffled passes, as a ``DataLoader`` with
    ``shuffle=True, drop_last=True`` gives them: ``batch_size`` (at most the data's size) samples
    per :meth:`next`, a new permutation from ``rng`` when the pass has fewer left; ``epoch`` counts
    the finished passes (0 during the first). One ``torch.randperm`` per pass, drawn from ``rng``
    at construction and at each wrap, so a loop's other draws from ``rng`` interleave with it
    deterministically."""

    def __init__(self, data: torch.Tensor, batch_size: int, rng: torch.Generator):
        self.data, self.rng = data, rng
        self.n = len(data)
        self.batch_size = min(batch_size, self.n)
        self.perm = torch.randperm(self.n, generator=rng)
        self.pos = 0
        self.epoch = 0

    def next(self) -> torch.Tensor:
        if self.pos + self.batch_size > self.n:
            self.perm, self.pos, self.epoch = torch.randperm(self.n, generator=self.rng), 0, self.epoch + 1
        batch = self.data[self.perm[self.pos:self.pos + self.batch_size]]
        self.pos += self.batch_size
        return batch
