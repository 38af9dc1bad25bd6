"""The trainer's DistributedDataParallel path (``torchrun --nproc-per-node N -m ganalyze.train``).

``setup(device)`` reads what torchrun sets (``WORLD_SIZE``, ``RANK``, ``LOCAL_RANK``, and the
rendezvous variables). With one process it returns a :class:`Parallel` whose methods change
nothing, so the single-process trainer is exactly what it was. With N processes it initialises
the process group (``nccl`` on CUDA, one GPU per local rank; ``gloo`` on CPU) and:

- ``wrap`` puts G and D into DDP (gradients averaged across ranks in ``backward``); rank 0's
  weights are broadcast at wrap time, so all ranks start equal;
- ``seed_offset`` = rank: each rank shuffles and draws noise with ``seed + rank`` (independent
  shuffles of the whole data set, not a partition). ``batch_size`` is per rank; the global batch
  is ``batch_size * world_size``;
- ``logger`` is ``ganalyze.runlog.distributed.rank_logger``: rank 0 writes the run, one row per
  step, same columns as a single-process run; ``reduce`` averages each row's tensors (losses,
  D outputs, gradient norms, diversity and quantile signals) across ranks in one all-reduce;
- ``is_main``: only rank 0 writes config.json, checkpoints, sample grids and the progress bar.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import torch

from ganalyze.errors import GanalyzeError


@dataclass
class Parallel:
    rank: int = 0
    world_size: int = 1
    device: torch.device = torch.device("cpu")
    backend: str | None = None

    @property
    def active(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def seed_offset(self) -> int:
        return self.rank

    def wrap(self, module: torch.nn.Module) -> torch.nn.Module:
        if not self.active:
            return module
        from torch.nn.parallel import DistributedDataParallel as DDP

        ids = [self.device.index] if self.device.type == "cuda" else None
        return DDP(module, device_ids=ids)

    def logger(self, run_dir, meta: dict):
        from ganalyze.runlog import RunLogger

        if not self.active:
            return RunLogger(run_dir, meta=meta)
        from ganalyze.runlog.distributed import rank_logger

        return rank_logger(run_dir, meta={**meta, "ddp_backend": self.backend}, rank=self.rank,
                           world_size=self.world_size)

    def reduce(self, row: dict) -> dict:
        if not self.active:
            return row
        from ganalyze.runlog.distributed import reduce_for_log

        return reduce_for_log(row)

    def close(self) -> None:
        if self.active:
            import torch.distributed as dist

            if dist.is_initialized():
                dist.barrier()
                dist.destroy_process_group()


def setup(device: str, resolve) -> Parallel:
    """A :class:`Parallel` for this process (module doc); ``resolve`` maps ``device`` to a torch
    device on the single-process path (the trainer's ``resolve_device``)."""
    try:
        world = int(os.environ.get("WORLD_SIZE", "1"))
        rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
    except ValueError:
        raise GanalyzeError("WORLD_SIZE/RANK/LOCAL_RANK: not integers; allowed: what torchrun sets") from None
    if world <= 1:
        return Parallel(0, 1, resolve(device), None)
    import torch.distributed as dist

    dev = resolve(device)
    if dev.type == "cuda":
        dev = torch.device("cuda", local)
        torch.cuda.set_device(dev)
    backend = "nccl" if dev.type == "cuda" else "gloo"
    if not dist.is_initialized():
        dist.init_process_group(backend)
    return Parallel(rank, world, dev, backend)

