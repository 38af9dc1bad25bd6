"""Train the 8x8-digits classifier the corpus ground truth uses and write it beside the package.

Usage: python scripts/train_digits8_classifier.py [--epochs 60] [--seed 0]
Prints the held-out accuracy (360 of scikit-learn's 1,797 digits never seen in training) and writes
ganalyze/corpus/digits8_mlp.pt (plain tensors, weights_only-loadable).
"""
from __future__ import annotations

import argparse

import torch

from ganalyze.corpus.classifiers import DIGITS8_WEIGHTS, save_digits8, train_digits8


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, info = train_digits8(args.epochs, args.seed)
    save_digits8(model, info)
    print(f"held-out accuracy {info['heldout_accuracy']:.4f} on {info['heldout']} digits -> {DIGITS8_WEIGHTS}")
    print(f"heldout_accuracy={info['heldout_accuracy']:.4f}")


if __name__ == "__main__":
    main()
