"""RunLogger under ``torchrun`` / DistributedDataParallel.

Every rank runs the same loop; only one log should come out of it. ``rank_logger`` returns a
:class:`~ganalyze.runlog.RunLogger` on rank 0 and a :class:`NullLogger` (same methods, writes
nothing) on the other ranks, or, with ``per_rank=True``, one RunLogger per rank writing
``run_dir/rank_NNN/run.parquet``. ``reduce_for_log`` averages a row's tensors across ranks first
(one all-reduce for the whole row, no host sync), so rank 0 logs the global batch's losses and
D outputs rather than its own shard's. Under DDP the gradients are already averaged across ranks
before ``optimizer.step()``, so gradient norms computed after ``backward()`` agree on every rank
and averaging leaves them unchanged; reduce them anyway when ranks compute norms of local grads.

::

    import torch.distributed as dist
    from ganalyze.runlog.distributed import rank_logger, reduce_for_log

    dist.init_process_group("gloo")                      # torchrun sets RANK, WORLD_SIZE, ...
    with rank_logger("runs/ddp", meta={"loss": "nsgan", "d_loss_reduction": "sum"}) as log:
        for step in range(steps):
            ...                                           # D and G updates of this rank's batch
            row = {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(), "d_x": d_x, "lr_d": lr}
            log.log(step, **reduce_for_log(row))          # every rank calls it: it is a collective

The rank and world size come from ``torch.distributed`` once it is initialised, else from the
``RANK`` / ``WORLD_SIZE`` environment variables torchrun sets, else (0, 1): without torchrun the
wrapper is a plain RunLogger. The metadata of a distributed log records ``world_size`` (and
``rank`` for per-rank files).
"""
from __future__ import annotations

import os
from pathlib import Path

REDUCE_OPS = ("mean", "sum", "max", "min")


def rank_and_world() -> tuple[int, int]:
    """(rank, world size) of this process (module doc for where they come from)."""
    try:
        import torch.distributed as dist

        if dist.is_available() and dist.is_initialized():
            return dist.get_rank(), dist.get_world_size()
    except ImportError:   # pragma: no cover - torch is a dependency
        pass
    try:
        return int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    except ValueError:
        return 0, 1


class NullLogger:
    """What the ranks that do not write get: RunLogger's interface, doing nothing."""

    run_dir = None
    meta: dict = {}

    def log(self, step: int, **values) -> None:
        pass

    def __call__(self, step: int, **values) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "NullLogger":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        pass


def rank_logger(run_dir, meta: dict | None = None, per_rank: bool = False, rank: int | None = None,
                world_size: int | None = None, **logger_kwargs):
    """A RunLogger on rank 0 (all ranks with ``per_rank``: ``run_dir/rank_NNN``), a NullLogger
    elsewhere. ``rank``/``world_size`` default to :func:`rank_and_world`; ``logger_kwargs`` go to
    RunLogger (``flush_every_s``, ``resume``, ...)."""
    from ganalyze.runlog.logger import RunLogger

    r, w = rank_and_world()
    rank = r if rank is None else rank
    world_size = w if world_size is None else world_size
    meta = dict(meta or {})
    if world_size > 1:
        meta["world_size"] = world_size
    if per_rank:
        return RunLogger(Path(run_dir) / f"rank_{rank:03d}", meta={**meta, "rank": rank}, **logger_kwargs)
    if rank == 0:
        return RunLogger(run_dir, meta=meta, **logger_kwargs)
    return NullLogger()


def reduce_for_log(values: dict, op: str = "mean", group=None) -> dict:
    """``values`` with every tensor replaced by its ``op`` over all ranks; Python numbers pass.

    All tensors (0-d or one element) are stacked into one float64 vector and reduced with a
    single ``all_reduce`` (a collective: every rank must call it with the same keys in the same
    order). The result stays on the device (no ``.item()``); without an initialised process
    group the row is returned as it is.
    """
    if op not in REDUCE_OPS:
        from ganalyze.errors import GanalyzeError

        raise GanalyzeError(f"op: got {op!r}; allowed: {', '.join(REDUCE_OPS)}")
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return dict(values)
    keys = [k for k, v in values.items() if isinstance(v, torch.Tensor)]
    if not keys:
        return dict(values)
    first = values[keys[0]]
    # float64 where the backend allows it, so the mean is exact to the values' own precision
    work = torch.float64 if first.device.type == "cpu" else torch.float32
    flat = torch.stack([values[k].detach().reshape(()).to(device=first.device, dtype=work) for k in keys])
    red = {"mean": dist.ReduceOp.SUM, "sum": dist.ReduceOp.SUM, "max": dist.ReduceOp.MAX,
           "min": dist.ReduceOp.MIN}[op]
    dist.all_reduce(flat, op=red, group=group)
    if op == "mean":
        flat = flat / dist.get_world_size(group)
    out = dict(values)
    for i, k in enumerate(keys):   # back to each value's own dtype: the log's shape does not change
        out[k] = flat[i].to(values[k].dtype)
    return out
