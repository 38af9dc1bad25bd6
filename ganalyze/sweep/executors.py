"""Where the per-run work runs: in this process, a local process pool, or a Dask cluster.

Each executor is a generator of ``(index, row)`` pairs in completion order; the caller puts rows
back in input order. At most ``in_flight`` runs are submitted ahead of the results, so the
driver's memory does not grow with the number of runs. A run whose worker process dies is
submitted again up to ``retries`` times, then becomes an error row; the other runs in flight
when it died are simply re-run: no sweep is lost to one run (or one machine).
"""
from __future__ import annotations

import multiprocessing
import os
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from ganalyze.errors import GanalyzeError
from ganalyze.sweep.config import SweepConfig
from ganalyze.sweep.row import analyse_run, error_row

_PRELOAD = ["ganalyze.sweep.row", "ganalyze.sweep.read", "ganalyze.diagnose", "pyarrow.parquet"]


def local_workers(config: SweepConfig) -> int:
    return (os.cpu_count() or 1) if config.workers is None else config.workers


def warm_worker(environ: dict | None = None) -> None:
    """Pool initializer: take the driver's environment as it is now (a forkserver started by an
    earlier sweep would hand down its own, older one: credentials set since would be missing),
    and import the analysis once per worker, before the first run arrives."""
    import importlib

    if environ is not None:
        os.environ.clear()
        os.environ.update(environ)
    for name in _PRELOAD:
        importlib.import_module(name)


def run_serial(refs, config: SweepConfig):
    """In this process, one run after the other (``workers=0``; debugging, tiny sweeps)."""
    for i, ref in enumerate(refs):
        yield i, analyse_run(ref, config)


def run_local(refs, config: SweepConfig, fn=analyse_run):
    """A pool of ``config.workers`` processes (forkserver start: no fork of a threaded driver).

    ``fn(ref, config=config) -> row`` is the per-run work (a module-level function).
    If a worker dies (OOM killer, segfault in a reader), the pool breaks and every run in flight
    fails with it. Those runs are then re-run one at a time in a fresh pool, so that a death can
    be blamed on the one run that was in flight: such a run is tried ``retries`` more times, then
    becomes an error row; the innocent ones simply complete."""
    workers = local_workers(config)
    window = config.in_flight or 4 * workers
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    pending = deque(enumerate(refs))
    suspects: deque = deque()          # in flight when a pool broke: re-run alone
    deaths: dict[int, int] = {}
    task = partial(fn, config=config)
    while pending or suspects:
        running: dict = {}
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm_worker,
                                 initargs=(dict(os.environ),)) as pool:
            broken = False
            while (pending or suspects or running) and not broken:
                try:
                    if suspects:
                        if not running:
                            i, ref = suspects.popleft()
                            running[pool.submit(task, ref)] = (i, ref)
                    else:
                        while pending and len(running) < window:
                            i, ref = pending.popleft()
                            running[pool.submit(task, ref)] = (i, ref)
                except BrokenProcessPool:
                    (suspects if suspects else pending).appendleft((i, ref))
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    if isinstance(fut.exception(), BrokenProcessPool):
                        broken = True      # handled below with the rest in flight
                        continue
                    i, ref = running.pop(fut)
                    yield i, fut.result()
            failed = []
            for fut, (i, ref) in running.items():
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    yield i, fut.result()
                else:
                    failed.append((i, ref))
            if len(failed) == 1:           # alone in flight: this run killed its worker
                i, ref = failed[0]
                deaths[i] = deaths.get(i, 0) + 1
                if deaths[i] > config.retries:
                    yield i, error_row(ref, f"worker process died while analysing this run ({deaths[i]} attempts)")
                else:
                    suspects.appendleft((i, ref))
            else:
                suspects.extend(failed)


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """Fail fast (one line) when nothing listens at a ``tcp://host:port`` scheduler address;
    Dask's own connect retries a refused connection until its timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    if parts.scheme != "tcp" or not parts.hostname or not parts.port:
        return
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=timeout_s).close()
    except OSError as err:
        raise GanalyzeError(f"scheduler: cannot reach {address!r} ({err.strerror or err}); allowed: the "
                            "address of a running dask scheduler, e.g. tcp://host:8786") from None


def run_dask(refs, config: SweepConfig, client=None):
    """On a Dask distributed cluster (``config.scheduler`` or an existing ``client``).

    Runs are sent by reference (path/URL), so each worker reads its own runs. Dask re-runs the
    tasks of a worker that dies; a run that kills ``retries + 1`` workers (``KilledWorker``) or
    whose task is lost otherwise becomes an error row."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise GanalyzeError("scheduler: Dask distributed is not installed; allowed: pip install 'dask[distributed]'") from None
    own = client is None
    if own:
        _check_reachable(config.scheduler)
        try:
            client = Client(config.scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise GanalyzeError(f"scheduler: cannot reach {config.scheduler!r} ({str(err).splitlines()[0]}); "
                                "allowed: the address of a running dask scheduler, e.g. tcp://host:8786") from None
    try:
        n_workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        window = config.in_flight or 4 * n_workers
        pending = deque(enumerate(refs))
        index = {}
        ac = as_completed()
        tag = uuid.uuid4().hex[:12]   # keys unique per sweep: a client may run several

        def submit_next() -> None:
            i, ref = pending.popleft()
            fut = client.submit(analyse_run, ref, config, key=f"ganalyze-sweep-{tag}-{i}",
                                retries=config.retries, pure=False)
            index[fut.key] = (i, ref)
            ac.add(fut)

        while pending and len(index) < window:
            submit_next()
        for fut in ac:
            i, ref = index.pop(fut.key)
            try:
                row = fut.result()
            except Exception as err:  # noqa: BLE001 - KilledWorker, lost task, cancelled
                row = error_row(ref, f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")
            fut.release()
            yield i, row
            if pending:
                submit_next()
    finally:
        if own:
            client.close()


def run_rows(refs, config: SweepConfig, client=None):
    """``(index, row)`` pairs from the executor ``config`` (and ``client``) selects."""
    if client is not None or config.scheduler:
        return run_dask(refs, config, client)
    if local_workers(config) == 0:
        return run_serial(refs, config)
    return run_local(refs, config)
