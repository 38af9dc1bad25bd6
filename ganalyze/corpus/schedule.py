"""Regime changes during a run, applied the same way by every corpus loop.

An :class:`Event` happens once, before the iteration at ``step`` (so the row logged at ``step`` is
the first one trained under the new regime):

``lr``       multiply D's learning rate by ``d`` and G's by ``g`` (1/50 .. 50 in the search)
``freeze_g`` G's learning rate -> 0 (G stops moving; D keeps training)
``freeze_d`` D's learning rate -> 0
``beta1``    set both optimisers' first momentum coefficient to ``d`` (e.g. 0.9: overshooting players;
             SGD: its momentum; RMSprop: unchanged)
``nan``      fill the generator's last weight tensor with NaN (a numerical blow-up)
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

KINDS = ("lr", "freeze_g", "freeze_d", "beta1", "nan")


@dataclass(frozen=True)
class Event:
    step: int
    kind: str
    d: float = 1.0
    g: float = 1.0

    def to_dict(self) -> dict:
        return {"step": self.step, "kind": self.kind, "d": self.d, "g": self.g}


def _scale_lr(opt, factor: float) -> None:
    for group in opt.param_groups:
        group["lr"] = group["lr"] * factor


def apply_events(events: tuple[Event, ...], step: int, opt_d, opt_g, gen: torch.nn.Module) -> None:
    """Apply the events scheduled for ``step`` (call once at the start of every iteration)."""
    for ev in events:
        if ev.step != step:
            continue
        if ev.kind == "lr":
            _scale_lr(opt_d, ev.d)
            _scale_lr(opt_g, ev.g)
        elif ev.kind == "freeze_g":
            _scale_lr(opt_g, 0.0)
        elif ev.kind == "freeze_d":
            _scale_lr(opt_d, 0.0)
        elif ev.kind == "beta1":
            for opt in (opt_d, opt_g):
                for group in opt.param_groups:
                    if "betas" in group:
                        group["betas"] = (ev.d, group["betas"][1])
                    elif "alpha" in group:           # RMSprop has no first momentum; leave it
                        pass
                    elif "momentum" in group:        # SGD: its momentum takes the value
                        group["momentum"] = ev.d
        elif ev.kind == "nan":
            with torch.no_grad():
                list(gen.parameters())[-1].fill_(float("nan"))
        else:
            raise ValueError(f"event kind: got {ev.kind!r}; allowed: {', '.join(KINDS)}")
