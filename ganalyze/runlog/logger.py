"""RunLogger: crash-safe, sync-free logging of a training loop into a run directory.

``log(step, **values)`` only appends to an in-memory buffer: values may be Python numbers
or 0-d tensors on any device; tensors are detached (if they need grad) and kept where they
are, so a call never waits for the device. A *flush* moves all buffered tensors to the
host in one batch per (device, dtype) (``torch.stack(...).cpu()``: one sync per flush) and
writes them as a new part file ``run.parquet.parts/part-NNNNNN.parquet`` (atomic rename).

When a flush happens:
- in ``log()``, once ``flush_every_rows`` rows are buffered or ``flush_every_s`` seconds
  have passed since the last flush (whichever first);
- from a background daemon thread (``background=True``, the default) that wakes every
  ``flush_every_s`` seconds, so a loop that stalls (or a long evaluation) still gets its
  rows onto disk. Buffer swaps are guarded by a lock; the thread only flushes rows older
  than the interval it waited. The thread's transfer runs on its thread's current CUDA
  stream (the default one); a loop that computes logged values on its own non-default
  streams should pass ``background=False`` (flushes then happen in ``log()`` only).

Crash safety: after SIGKILL, every row logged more than one flush interval before the
kill is in a complete part file and ``read_run`` recovers it. ``close()`` (or leaving the
``with`` block, or interpreter exit if neither happened) flushes, merges ``run.parquet`` and all parts into one ``run.parquet``
(atomic rename; the file records the part numbers it contains, so parts left by a kill
during the cleanup are ignored, never re-applied) and deletes the parts. The commit
protocol and its fault-injection stages are described in :mod:`ganalyze.runlog.store`.

Compaction: a thread (or, with ``background=False``, the flush itself) merges every
``store.COMPACT_FANOUT`` parts of one size class into one larger file, so a run of N
flushes keeps about 9 * log10(N) files (<= 100 for any practical run) and ``read_run`` and
``close()`` stay linear in the rows.

Writer lock: one RunLogger per run directory (``run.parquet.lock``, see
:mod:`ganalyze.runlog.lock`); a second one gets a GanalyzeError, a lock left by a killed
writer is taken over.

Metadata: stored only in the Parquet key-value metadata (key ``ganalyze``, JSON) of every
part and of the merged file; the logger writes no separate meta.json.

Resume: ``RunLogger(dir, resume=True)`` keeps what is on disk; the rows with step >= the
first step logged in the new session are superseded by the new ones (no duplicates, no
gaps). Without ``resume``, a directory that already holds a run is an error.
"""
from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass
from numbers import Real
from pathlib import Path

import numpy as np
import pyarrow as pa

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import store
from ganalyze.runlog.lock import WriterLock
from ganalyze.runlog.schema import normalise_meta, package_versions


@dataclass(frozen=True)
class LoggerConfig:
    """Flush policy of :class:`RunLogger` (defaults match the crash-safety promise)."""

    flush_every_s: float = 2.0      # seconds between flushes at most
    flush_every_rows: int = 1000    # rows buffered at most
    background: bool = True         # daemon thread that flushes a stalled loop
    record_time: bool = True        # add time_s (seconds since run start) if not given
    fsync: bool = False             # fsync part files (power-loss safety; SIGKILL-safe without)


_DEFAULT = LoggerConfig()


class RunLogger:
    """Log one row per training step into ``run_dir`` (see module doc for the guarantees).

    >>> with RunLogger("runs/x", meta={"loss": "nsgan"}) as log:   # doctest: +SKIP
    ...     log.log(step, d_loss=d_loss, g_loss=g_loss, d_x=d_x)
    """

    def __init__(
        self,
        run_dir,
        meta: dict | None = None,
        flush_every_s: float = _DEFAULT.flush_every_s,
        flush_every_rows: int = _DEFAULT.flush_every_rows,
        resume: bool = False,
        background: bool = _DEFAULT.background,
        record_time: bool = _DEFAULT.record_time,
        fsync: bool = _DEFAULT.fsync,
    ):
        if not flush_every_s > 0:
            raise GanalyzeError(f"flush_every_s: got {flush_every_s!r}; allowed: seconds > 0")
        if not (isinstance(flush_every_rows, int) and flush_every_rows >= 1):
            raise GanalyzeError(f"flush_every_rows: got {flush_every_rows!r}; allowed: an int >= 1")
        self.run_dir = Path(run_dir)
        self.flush_every_s = float(flush_every_s)
        self.flush_every_rows = flush_every_rows
        self.record_time = record_time
        self.fsync = fsync
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._writer_lock = WriterLock(self.run_dir)
        self._writer_lock.acquire()
        store.fault_point("open:locked")
        try:
            store.remove_stale_temporaries(self.run_dir)
            store.fault_point("open:cleaned")
            (self.run_dir / store.PARTS_DIR).mkdir(exist_ok=True)
            has_run = (self.run_dir / store.RUN_FILE).exists() or bool(store.list_parts(self.run_dir))
            if has_run and not resume:
                raise GanalyzeError(
                    f"run_dir: {self.run_dir} already holds a run; allowed: a new directory, or resume=True"
                )
            old_meta = store.newest_meta(self.run_dir) if has_run else {}
            last_time = store.last_value(self.run_dir, "time_s") if has_run else None
            self._next_part = store.next_part_number(self.run_dir)
            self._run_covers = store.run_covers(self.run_dir)   # run.parquet changes only in close()
        except BaseException:
            self._writer_lock.release()
            raise
        self._time_offset = last_time or 0.0
        merged_meta = dict(old_meta)
        merged_meta.update(meta or {})
        merged_meta.setdefault("source_format", "ganalyze")
        merged_meta["versions"] = {**package_versions(), **(meta or {}).get("versions", {})}
        self.meta = normalise_meta(merged_meta)

        self._steps: list[int] = []
        self._rows: list[dict] = []
        self._last_step: int | None = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._compact_lock = threading.Lock()
        self._t0 = time.monotonic()
        self._last_flush = self._t0
        self._closed = False
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = None
        self._compactor = None
        self._compact_wake = threading.Event()
        self._compact_stop = False
        atexit.register(self._close_at_exit)   # a script that forgets close() still ends with run.parquet
        if background:
            self._thread = threading.Thread(target=self._background_flush, name="RunLogger-flush", daemon=True)
            self._thread.start()
            self._compactor = threading.Thread(target=self._background_compact, name="RunLogger-compact",
                                               daemon=True)
            self._compactor.start()

    # ---- logging ---------------------------------------------------------------------
    def log(self, step: int, **values) -> None:
        """Buffer one row. ``step``: int (strictly increasing); values: numbers or 0-d tensors."""
        if self._closed:
            raise GanalyzeError(f"RunLogger for {self.run_dir} is closed; allowed: log() before close()")
        if self._error is not None:
            err, self._error = self._error, None
            raise err
        if not isinstance(step, (int, np.integer)) or isinstance(step, bool):
            raise GanalyzeError(f"step: got {type(step).__name__} {step!r}; allowed: a Python int")
        step = int(step)
        if self._last_step is not None and step <= self._last_step:
            raise GanalyzeError(
                f"step: got {step} after {self._last_step}; allowed: strictly increasing steps"
            )
        for key, value in values.items():
            kind = type(value)
            if kind is float or kind is int:
                continue
            if hasattr(value, "detach"):  # a torch tensor (no import, no sync)
                if value.requires_grad:
                    value = values[key] = value.detach()
                if value.dim() != 0:
                    if value.numel() != 1:
                        raise GanalyzeError(
                            f"{key}: got a tensor of shape {tuple(value.shape)}; allowed: 0-d tensors or numbers"
                        )
                    values[key] = value.reshape(())
                continue
            if isinstance(value, Real):
                continue
            raise GanalyzeError(f"{key}: got {kind.__name__} {value!r}; allowed: numbers or 0-d tensors")
        now = time.monotonic()
        if self.record_time and "time_s" not in values:
            values["time_s"] = now - self._t0 + self._time_offset
        with self._lock:
            self._steps.append(step)
            self._rows.append(values)
            n = len(self._steps)
        self._last_step = step
        if n >= self.flush_every_rows or now - self._last_flush >= self.flush_every_s:
            self.flush()

    def __call__(self, step: int, **values) -> None:
        self.log(step, **values)

    # ---- flushing --------------------------------------------------------------------
    def _background_flush(self) -> None:
        # Sleep exactly until the interval since the last flush is up, so no row waits longer
        # than flush_every_s (plus the write) however the loop behaves.
        while not self._stop.wait(max(self._last_flush + self.flush_every_s - time.monotonic(), 0.005)):
            if time.monotonic() - self._last_flush >= self.flush_every_s:
                try:
                    self.flush()
                except BaseException as err:  # surfaced on the next log()/close()
                    self._error = err
                    return

    def flush(self) -> None:
        """Write the buffered rows as one new part file (no-op when nothing is buffered)."""
        with self._write_lock:
            with self._lock:
                steps, rows = self._steps, self._rows
                self._steps, self._rows = [], []
                self._last_flush = time.monotonic()
            if not steps:
                return
            table = _rows_to_table(steps, rows)
            store.write_table_atomic(table, store.part_path(self.run_dir, self._next_part), self.meta, self.fsync,
                                     stage="flush")
            self._next_part += 1
        if self._compactor is not None:
            self._compact_wake.set()
        elif not self._closed:
            self.compact()

    # ---- compaction ------------------------------------------------------------------
    def compact(self) -> int:
        """Merge parts while some size class has ``store.COMPACT_FANOUT`` files; returns
        the number of merges. Runs in the compaction thread (or in ``flush()`` without one)."""
        merges = 0
        with self._compact_lock:
            while not self._compact_stop:
                files = store.cover(store.list_files(self.run_dir), above=self._run_covers)
                batch = store.compaction_batch(files)
                if batch is None:
                    break
                out = store.chunk_path(self.run_dir, batch[0].lo, batch[-1].hi)
                try:
                    store.merge_files(batch, out, self.meta, (batch[0].lo, batch[-1].hi), fsync=self.fsync,
                                      stage="compact", should_stop=lambda: self._compact_stop)
                except store.MergeAborted:
                    break
                store.remove_merged(batch, "compact")
                merges += 1
        return merges

    def _background_compact(self) -> None:
        while True:
            self._compact_wake.wait()
            self._compact_wake.clear()
            if self._compact_stop:
                return
            try:
                self.compact()
            except BaseException as err:  # surfaced on the next log()/close()
                self._error = err
                return

    def close(self) -> None:
        """Flush and merge everything into a single ``run.parquet``; remove the parts.

        Protocol (each step atomic, each intermediate state reads back complete): flush;
        stop compaction; write ``run.parquet`` recording the part numbers it contains
        (rename); delete the parts; release the writer lock."""
        if self._closed:
            return
        atexit.unregister(self._close_at_exit)
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self.flush()
        finally:
            self._closed = True
            self._compact_stop = True
            self._compact_wake.set()
            if self._compactor is not None:
                self._compactor.join()
        try:
            with self._compact_lock:
                store.fault_point("close:flushed")
                snap = store.snapshot(self.run_dir)
                if snap.parts:
                    store.merge_files(snap.sources, self.run_dir / store.RUN_FILE, self.meta,
                                      (0, max(s.hi for s in snap.parts)), fsync=self.fsync, stage="close")
                store.remove_merged(store.list_files(self.run_dir), "close")
                try:
                    os.rmdir(self.run_dir / store.PARTS_DIR)
                except (FileNotFoundError, OSError):
                    pass
        finally:
            self._writer_lock.release()
        if self._error is not None:
            err, self._error = self._error, None
            raise err

    def _close_at_exit(self) -> None:
        try:
            self.close()
        except Exception as err:  # noqa: BLE001 - at exit, one line instead of a traceback
            import sys

            print(f"ganalyze: warning: could not close run {self.run_dir}: {err}", file=sys.stderr)

    def __enter__(self) -> "RunLogger":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()


def _rows_to_table(steps: list[int], rows: list[dict]) -> pa.Table:
    """Columns in order of first appearance; NaN where a row lacks a column.

    Columns whose values are all tensors of one device and dtype (the usual case) are moved
    to the host together: one ``torch.stack(...).cpu()`` per (device, dtype) per flush.
    Mixed columns (floats and tensors) fall back to one small stack per column.
    """
    n = len(steps)
    keys: dict[str, None] = {}
    for row in rows:
        for key in row:
            if key not in keys:
                keys[key] = None
    if "step" in keys:
        raise GanalyzeError("values: 'step' is given as the first argument of log(), not as a keyword")
    nan = float("nan")
    columns: dict[str, np.ndarray | None] = {}
    batched: dict[tuple, list[tuple[str, list]]] = {}   # (device, dtype) -> [(column, tensors)]
    for key in keys:
        vals = [row.get(key, nan) for row in rows]
        first = vals[0]
        if hasattr(first, "detach") and all(
                hasattr(v, "detach") and v.device == first.device and v.dtype == first.dtype for v in vals):
            batched.setdefault((first.device, first.dtype), []).append((key, vals))
            columns[key] = None
            continue
        if not any(hasattr(v, "detach") for v in vals):
            columns[key] = np.asarray(vals, dtype=np.float64)
            continue
        col = np.full(n, np.nan)
        cells = [(i, v) for i, v in enumerate(vals) if hasattr(v, "detach")]
        for i, v in enumerate(vals):
            if not hasattr(v, "detach"):
                col[i] = v
        if cells:
            import torch

            host = torch.stack([v.to(cells[0][1].device) for _, v in cells]).cpu().double().numpy()
            col[[i for i, _ in cells]] = host
        columns[key] = col
    if batched:
        import torch

        for group in batched.values():
            flat = [t for _, vals in group for t in vals]
            host = torch.stack(flat).cpu().double().numpy().reshape(len(group), n)
            for (key, _), values in zip(group, host):
                columns[key] = values
    arrays = {"step": pa.array(np.asarray(steps, dtype=np.int64))}
    for key, col in columns.items():
        arrays[key] = pa.array(col, type=pa.float64())
    return pa.table(arrays)
