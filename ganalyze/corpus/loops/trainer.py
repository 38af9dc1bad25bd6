"""Corpus runs from ganalyze's own trainer (:func:`ganalyze.train.train`): ring8 (mlp2d) and
MNIST ([practitioner-loss-curves]'s MLP). The trainer's architectures are fixed, so the spec's widths, optimiser and
D design do not apply; regime changes go through ``train``'s ``on_step`` hook and the ground truth
through ``on_interval`` (called after the iteration, networks in eval mode). The log is the
trainer's own ``run.parquet`` (every SPEC column; d_loss a sum; probabilities for BCE losses).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ganalyze.corpus.record import Recorder, initial_check
from ganalyze.corpus.schedule import apply_events


def run(spec, data, rec: Recorder) -> dict:  # noqa: ARG001 - every loop takes (spec, data, rec); the trainer loads its own data
    from ganalyze.runlog import read_run
    from ganalyze.train import TrainConfig, train
    from ganalyze.train.losses import SCORES

    kind = {"minimax": "logit", "nsgan": "logit", "lsgan": "lsgan"}.get(spec.loss, "critic")
    config = TrainConfig(
        arch="mlp2d" if spec.dataset == "ring8" else "mlp", dataset=spec.dataset, loss=spec.loss,
        steps=spec.steps, batch_size=spec.batch_size, lr_d=spec.lr_d, lr_g=spec.lr_g,
        beta1=spec.beta1, beta2=spec.beta2, d_steps=spec.n_critic, label_smoothing=spec.label_smoothing,
        latent_dim=spec.latent_dim, seed=spec.seed, device="cpu",
        signal_every=rec.check_every, eval_every=rec.check_every,
        checkpoint_every=0, sample_every=0, progress=False)
    started = {"done": False}

    def on_step(step, gen, disc, opt_d, opt_g):
        if not started["done"]:
            started["done"] = True
            initial_check(rec, gen, disc, lambda x: (disc(x), kind))
        apply_events(spec.events, step, opt_d, opt_g, gen)

    def on_interval(step, gen, disc):
        # the trainer calls this after iterations 0, k, 2k, ... and the last; networks after step+1 iterations
        rec.truth.append(rec.probe(step + 1, gen, lambda x: (disc(x), kind)))
        return {}

    with tempfile.TemporaryDirectory(prefix="corpus_trainer_") as tmp:
        train(config, Path(tmp) / "run", on_interval=on_interval, on_step=on_step)
        df = read_run(Path(tmp) / "run")
    keep = [c for c in df.columns if c != "time_s"]
    rec.external_log = df[keep].copy()
    return {"loss": spec.loss, "d_loss_reduction": "sum", "scores": SCORES[spec.loss],
            "native_columns": [c for c in keep if c != "step"]}
