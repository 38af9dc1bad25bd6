"""EpochBatches: shuffled passes over the data, drop_last, one permutation per pass."""
import torch

from ganalyze.corpus.batches import EpochBatches


def test_each_pass_draws_every_sample_at_most_once_and_counts_epochs():
    data = torch.arange(10).float().unsqueeze(1)
    b = EpochBatches(data, 3, torch.Generator().manual_seed(0))
    seen, epochs = [], []
    for _ in range(9):                      # 3 batches per pass (the tenth sample is dropped), 3 passes
        seen.append(b.next().squeeze(1).long().tolist())
        epochs.append(b.epoch)
    assert epochs == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    for k in range(3):
        one_pass = sum(seen[3 * k:3 * k + 3], [])
        assert len(set(one_pass)) == 9 and set(one_pass) <= set(range(10))
    assert seen[:3] != seen[3:6]            # a new permutation each pass


def test_batch_size_is_capped_at_the_data_and_draws_are_reproducible():
    data = torch.randn(4, 2)
    a, b = (EpochBatches(data, 16, torch.Generator().manual_seed(1)) for _ in range(2))
    assert a.batch_size == 4 and a.next().shape == (4, 2) and a.epoch == 0
    assert a.next().shape == (4, 2) and a.epoch == 1
    b.next(), b.next()
    assert torch.equal(a.perm, b.perm) and b.epoch == 1
