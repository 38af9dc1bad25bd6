"""On-disk layout of a run and its commit protocol: ``run.parquet`` plus ``run.parquet.parts/``.

Files
-----
- ``run.parquet``: the merged run. Its Parquet key-value metadata ``ganalyze_parts`` (JSON
  ``[lo, hi]``) records the part numbers it contains; a file written by ``write_run`` has none.
- ``run.parquet.parts/part-N.parquet``: one logger flush (covers part number N);
- ``run.parquet.parts/chunk-LO-HI.parquet``: a compaction of the parts LO..HI;
- ``run.parquet.lock``: the writer lock (:mod:`ganalyze.runlog.lock`);
- ``.NAME.PID.tmp``: a file being written (ignored by readers, removed by the next writer).

Every file is written to a temporary name and renamed into place (atomic on POSIX). Part
numbers are never reused within a run directory, so a file is identified by the range of
part numbers it covers, and every state the disk can be in reads back complete:

- a file whose range lies inside ``run.parquet``'s range, or inside a larger chunk's, is a
  leftover of a merge whose cleanup was interrupted and is ignored (it is never applied
  after the newer merged file, so it cannot supersede it);
- the remaining files ("the cover") are disjoint and applied in part-number order with the
  resume rule: each source replaces the rows collected so far whose step is >= its first
  step (a resumed session restarted at an earlier step). This is done in one pass: the
  rows of source i kept are those with step < min(first step of every later source).

Checksums: every page is written with a CRC (``write_page_checksum``) and verified on read;
the footer, which Parquet does not checksum, carries ``ganalyze_footer_crc``: a CRC32 of
the column names and types, the row count and our metadata, checked on open. The first and
last step of every file (footer statistics, used to apply the resume rule) are checked
against the data read.
A finished file that fails to read is a :class:`GanalyzeError` naming it; a part whose footer
is readable but whose data is not (bit rot) is a :class:`GanalyzeError` naming it and the
steps it holds; a part with no readable footer (torn by power loss without ``fsync``) is
skipped with a one-line warning naming the steps that are missing around it.

Fault injection (tests and ``scripts/bench_runlog.py``): every step of the protocol calls
:func:`fault_point` with a stage name; ``fault_hook`` (or the environment variable
``GANALYZE_RUNLOG_KILL_AT=stage`` / ``stage#n``, the n-th time) kills the process there.
"""
from __future__ import annotations

import json
import os
import re
import signal
import warnings
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.schema import META_KEY, meta_from_json, meta_to_json

RUN_FILE = "run.parquet"
PARTS_DIR = "run.parquet.parts"
LOCK_FILE = "run.parquet.lock"
COVERS_KEY = b"ganalyze_parts"
FOOTER_KEY = b"ganalyze_footer_crc"
COMPACT_FANOUT = 10           # files of one size merged at once (files stay <= ~9 per size class)
ROW_GROUP_ROWS = 1 << 19      # rows per row group of merged files
_FILE_RE = re.compile(r"^(?:part-(\d+)|chunk-(\d+)-(\d+))\.parquet$")
_WRITE_OPTIONS = {"compression": "snappy", "write_page_checksum": True}


# ---- fault injection --------------------------------------------------------------------
def _kill_at(spec: str) -> Callable[[str], None]:
    stage, _, nth = spec.partition("#")
    want = int(nth or 1)
    hits = [0]

    def hook(name: str) -> None:
        if name == stage:
            hits[0] += 1
            if hits[0] == want:
                os.kill(os.getpid(), signal.SIGKILL)
    return hook


fault_hook: Callable[[str], None] | None = (
    _kill_at(os.environ["GANALYZE_RUNLOG_KILL_AT"]) if os.environ.get("GANALYZE_RUNLOG_KILL_AT") else None)

#: Every stage the writer passes, in protocol order (for tests and the benchmark).
STAGES = (
    "open:locked", "open:cleaned",
    "flush:tmp-written", "flush:renamed",
    "compact:tmp-written", "compact:renamed", "compact:removed-one", "compact:removed-all",
    "close:flushed", "close:tmp-written", "close:renamed", "close:removed-one", "close:removed-all",
)


def fault_point(stage: str) -> None:
    """Called at every protocol step; a no-op unless a fault hook is installed."""
    if fault_hook is not None:
        fault_hook(stage)


# ---- names ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    """One file of a run and the part numbers ``lo..hi`` it covers (``run.parquet``: 0..hi)."""

    lo: int
    hi: int
    path: Path

    @property
    def is_part(self) -> bool:
        return self.path.name != RUN_FILE

    @property
    def span(self) -> int:
        return self.hi - self.lo + 1


def part_path(run_dir: Path, number: int) -> Path:
    return Path(run_dir) / PARTS_DIR / f"part-{number:06d}.parquet"


def chunk_path(run_dir: Path, lo: int, hi: int) -> Path:
    return Path(run_dir) / PARTS_DIR / f"chunk-{lo:06d}-{hi:06d}.parquet"


def list_parts(run_dir: Path) -> list[tuple[int, Path]]:
    """Every complete-looking part or chunk file (not temporaries) as (last part number, path),
    sorted by first part number."""
    return [(s.hi, s.path) for s in list_files(Path(run_dir))]


def list_files(run_dir: Path) -> list[Source]:
    """Every part and chunk file of ``run_dir`` (temporaries excluded), sorted by (lo, -hi)."""
    parts_dir = run_dir / PARTS_DIR
    out = []
    try:
        entries = list(os.scandir(parts_dir))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        m = _FILE_RE.match(entry.name)
        if m:
            lo = int(m.group(1) or m.group(2))
            hi = int(m.group(1) or m.group(3))
            out.append(Source(lo, hi, Path(entry.path)))
    out.sort(key=lambda s: (s.lo, -s.hi))
    return out


def cover(files: Iterable[Source], above: int = 0) -> list[Source]:
    """The files to apply: those starting after part ``above`` and not inside a larger file.

    Files are nested or disjoint by construction (a merge covers exactly the files it merged),
    so after sorting by (lo, -hi) one pass keeps the outermost ones."""
    out: list[Source] = []
    last = above
    for s in sorted(files, key=lambda s: (s.lo, -s.hi)):
        if s.lo > last:
            out.append(s)
            last = s.hi
    return out


def next_part_number(run_dir: Path) -> int:
    """One past the highest part number on disk (in the parts, or recorded in run.parquet)."""
    hi = run_covers(Path(run_dir))
    files = list_files(Path(run_dir))
    if files:
        hi = max(hi, max(s.hi for s in files))
    return hi + 1


def run_covers(run_dir: Path) -> int:
    """Highest part number contained in ``run.parquet`` (0: none, or no run.parquet)."""
    path = Path(run_dir) / RUN_FILE
    try:
        raw = (pq.read_schema(path).metadata or {}).get(COVERS_KEY)
    except FileNotFoundError:
        return 0
    except (pa.ArrowInvalid, OSError) as err:
        raise _corrupt_file(path, err) from None
    return _parse_covers(raw, path)


def _parse_covers(raw: bytes | None, path: Path) -> int:
    if raw is None:
        return 0
    try:
        _, hi = json.loads(raw)
        return int(hi)
    except (ValueError, TypeError):
        raise GanalyzeError(f"path: {path} is corrupted (unreadable {COVERS_KEY.decode()} metadata); "
                            "allowed: an intact run file (restore it from a copy)") from None


def _footer_crc(schema: pa.Schema, num_rows: int) -> bytes:
    """CRC32 of what the footer tells a reader: column names and types, rows, our metadata."""
    meta = schema.metadata or {}
    desc = json.dumps([[f.name, str(f.type)] for f in schema] + [num_rows]).encode()
    crc = zlib.crc32(desc + b"\0" + meta.get(META_KEY, b"") + b"\0" + meta.get(COVERS_KEY, b""))
    return f"{crc:08x}".encode()


def _check_footer(pf: pq.ParquetFile, source: Source) -> None:
    stored = (pf.metadata.metadata or {}).get(FOOTER_KEY)      # raw key-value metadata
    if stored is not None and stored != _footer_crc(pf.schema_arrow, pf.metadata.num_rows):
        raise _corrupt(source, ValueError("footer checksum mismatch"), None, None)


# ---- writing ----------------------------------------------------------------------------
def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _commit(tmp: Path, path: Path, fsync: bool, stage: str) -> None:
    fault_point(f"{stage}:tmp-written")
    os.replace(tmp, path)
    if fsync:
        _fsync_dir(path.parent)
    fault_point(f"{stage}:renamed")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _schema_meta(schema_meta: dict | None, meta: dict, covers: tuple[int, int] | None) -> dict:
    out = dict(schema_meta or {})
    out.pop(b"pandas", None)
    out.pop(FOOTER_KEY, None)
    out[META_KEY] = meta_to_json(meta)
    if covers is not None:
        out[COVERS_KEY] = json.dumps(list(covers)).encode()
    else:
        out.pop(COVERS_KEY, None)
    return out


def write_table_atomic(table: pa.Table, path: Path, meta: dict, fsync: bool = False,
                       covers: tuple[int, int] | None = None, stage: str = "write") -> None:
    """Write ``table`` with ``meta`` (JSON under key ``ganalyze``) to ``path`` atomically,
    with page checksums. ``covers``: the part numbers a merged ``run.parquet`` contains."""
    table = table.replace_schema_metadata(_schema_meta(table.schema.metadata, meta, covers))
    schema_meta = dict(table.schema.metadata)
    schema_meta[FOOTER_KEY] = _footer_crc(table.schema, table.num_rows)
    table = table.replace_schema_metadata(schema_meta)
    path = Path(path)
    tmp = _tmp_name(path)
    try:
        with open(tmp, "wb") as fh:
            pq.write_table(table, fh, row_group_size=ROW_GROUP_ROWS, **_WRITE_OPTIONS)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        _commit(tmp, path, fsync, stage)
    finally:
        if tmp.exists():
            tmp.unlink()


def remove_stale_temporaries(run_dir: Path) -> None:
    """Remove ``.*.tmp`` files left by a killed writer (call only while holding the lock)."""
    for directory in (Path(run_dir), Path(run_dir) / PARTS_DIR):
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    pass


class MergeAborted(Exception):
    """A background merge was told to stop (the logger is closing)."""


def merge_files(sources: list[Source], out: Path, meta: dict, covers: tuple[int, int], *,
                fsync: bool = False, stage: str = "compact",
                should_stop: Callable[[], bool] = lambda: False) -> int:
    """Stream ``sources`` (applied with the resume rule) into one file ``out`` (atomic).

    Memory: one row group of output (``ROW_GROUP_ROWS`` rows) plus one source row group,
    whatever the number or size of the sources. Returns the rows written."""
    plans = _plan(sources)
    column_types(plans)                  # files whose columns cannot be unified are refused here
    schema = _union_schema([p.schema for p in plans])
    schema = schema.with_metadata(_schema_meta(None, meta, covers))
    tmp = _tmp_name(out)
    rows = 0
    try:
        with pq.ParquetWriter(tmp, schema, **_WRITE_OPTIONS) as writer:
            pending: list[pa.Table] = []
            n_pending = 0
            for plan in plans:
                for table in plan.tables():
                    if should_stop():
                        raise MergeAborted
                    pending.append(_conform(table, schema))
                    n_pending += table.num_rows
                    if n_pending >= ROW_GROUP_ROWS:
                        writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
                        rows += n_pending
                        pending, n_pending = [], 0
            if pending:
                writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
                rows += n_pending
            writer.add_key_value_metadata({FOOTER_KEY: _footer_crc(schema, rows)})
        if fsync:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        _commit(tmp, out, fsync, stage)
    finally:
        if tmp.exists():
            tmp.unlink()
    return rows


def remove_merged(sources: list[Source], stage: str) -> None:
    """Delete the files a merge replaced (each is now inside the merged file's range).

    Newest first: correctness rests on the ranges alone (any subset left behind is ignored),
    and this order is the one where a reader that ignored the ranges would lose rows."""
    for i, s in enumerate(reversed(sources)):
        try:
            s.path.unlink()
        except FileNotFoundError:
            pass
        if i == 0:
            fault_point(f"{stage}:removed-one")
    fault_point(f"{stage}:removed-all")


def compaction_batch(files: list[Source], fanout: int = COMPACT_FANOUT) -> list[Source] | None:
    """The first run of ``fanout`` consecutive files of one size class (``floor(log_fanout
    span)``), or None. Merging such runs keeps at most ``fanout - 1`` files per size class,
    so a run of N parts has at most ~(fanout - 1) * log_fanout(N) files (each row rewritten
    log_fanout(N) times)."""
    if len(files) < fanout:
        return None
    levels = [_level(s.span, fanout) for s in files]
    start = 0
    for i in range(1, len(files) + 1):
        if i == len(files) or levels[i] != levels[start]:
            if i - start >= fanout:
                return files[start:start + fanout]
            start = i
    return None


def _level(span: int, fanout: int) -> int:
    level = 0
    while span >= fanout:
        span //= fanout
        level += 1
    return level


# ---- reading ----------------------------------------------------------------------------
class _Vanished(Exception):
    """A file disappeared while reading: the writer merged it (compaction or close())."""


@dataclass
class _Plan:
    """How one source is applied: rows with step < ``cutoff`` (None: all) are kept. Only the
    footer is kept between planning and reading (no file stays open: 10,000 parts need no
    10,000 descriptors)."""

    source: Source
    schema: pa.Schema
    first: int | None
    last: int | None
    num_rows: int = 0
    cutoff: int | None = None
    columns: list[str] | None = None

    def tables(self):
        """The kept rows, one row group at a time (checked: checksums, step statistics)."""
        if self.num_rows == 0:
            return
        pf = _open(self.source)
        if pf is None:             # readable when planned, torn now: replaced under us
            raise _Vanished(self.source.path)
        with pf:
            if pf.metadata.num_rows != self.num_rows or _step_range(pf, self.source) != (self.first, self.last):
                raise _Vanished(self.source.path)     # run.parquet replaced by close() since planning
            yield from self._read(pf)

    def _read(self, pf: pq.ParquetFile):
        names = _wanted(self.columns, self.schema.names)
        if names is not None:
            names = [c for c in names if c in self.schema.names]
        n_groups = pf.metadata.num_row_groups
        prev = None
        for rg in range(n_groups):
            try:
                table = pf.read_row_group(rg, columns=names, use_threads=False)
                steps = table.column("step").to_numpy()
            except (pa.ArrowInvalid, OSError) as err:
                raise _corrupt(self.source, err, self.first, self.last) from None
            if steps.size and ((prev is not None and steps[0] <= prev)
                               or (rg == 0 and steps[0] != self.first)
                               or (rg == n_groups - 1 and steps[-1] != self.last)
                               or (steps.size > 1 and not (steps[1:] > steps[:-1]).all())):
                raise _corrupt(self.source, ValueError("steps disagree with the footer statistics"),
                               self.first, self.last)
            if steps.size:
                prev = steps[-1]
            if self.cutoff is not None and steps.size and steps[-1] >= self.cutoff:
                table = table.slice(0, int(np.searchsorted(steps, self.cutoff)))
            yield table


def _corrupt_file(path: Path, err: BaseException) -> GanalyzeError:
    return GanalyzeError(f"path: {path} is corrupted or not a Parquet run file ({_reason(err)}); "
                         "allowed: an intact run file (restore it from a copy)")


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:160] if text else type(err).__name__


def _corrupt(source: Source, err: BaseException, first, last) -> GanalyzeError:
    if not source.is_part:
        return _corrupt_file(source.path, err)
    steps = f"steps {first}-{last}" if first is not None else "its steps"
    return GanalyzeError(
        f"run part {source.path} is corrupted ({_reason(err)}): {steps} cannot be read; "
        "allowed: restore the file, or delete it to read the run without those steps")


def _open(source: Source) -> pq.ParquetFile | None:
    """Open with checksum verification. None: a part with no readable footer (torn)."""
    try:
        pf = pq.ParquetFile(source.path, page_checksum_verification=True, memory_map=False)
    except FileNotFoundError:
        raise _Vanished(source.path) from None
    except (pa.ArrowInvalid, OSError) as err:
        try:
            with open(source.path, "rb"):   # the file opens: its content is bad, not the system
                pass
        except FileNotFoundError:
            raise _Vanished(source.path) from None
        except OSError as os_err:           # e.g. too many open files, permission
            raise GanalyzeError(f"path: cannot open {source.path} ({os_err.strerror})") from None
        if source.is_part:
            return None
        if source.path.stat().st_size == 0:
            raise GanalyzeError(f"path: {source.path} is empty; allowed: a Parquet run file") from None
        raise _corrupt_file(source.path, err) from None
    _check_footer(pf, source)
    return pf


def _step_range(pf: pq.ParquetFile, source: Source) -> tuple[int | None, int | None]:
    """First and last step from the footer's statistics (verified against the data later)."""
    md = pf.metadata
    if md.num_rows == 0:
        return None, None
    try:
        idx = pf.schema_arrow.get_field_index("step")
        first = md.row_group(0).column(idx).statistics
        last = md.row_group(md.num_row_groups - 1).column(idx).statistics
        if idx < 0 or first is None or last is None or not first.has_min_max:
            raise ValueError
        return int(first.min), int(last.max)
    except (ValueError, IndexError, KeyError, TypeError):
        raise GanalyzeError(f"path: {source.path} has no 'step' column statistics; "
                            "allowed: a run file written by ganalyze") from None


def _plan(sources: list[Source]) -> list[_Plan]:
    """Open every source, drop torn parts (one warning each) and compute the cutoffs."""
    plans: list[_Plan] = []
    torn: list[int] = []
    for s in sources:
        pf = _open(s)
        if pf is None:
            torn.append(len(plans))
            plans.append(_Plan(s, pa.schema([]), None, None, -1))
            continue
        with pf:
            first, last = _step_range(pf, s)
            plans.append(_Plan(s, pf.schema_arrow, first, last, pf.metadata.num_rows))
    for i in torn:
        before = next((p.last for p in reversed(plans[:i]) if p.last is not None), None)
        after = next((p.first for p in plans[i + 1:] if p.first is not None), None)
        gap = (f"steps {before + 1 if before is not None else 0}-{after - 1}" if after is not None
               else f"the steps after {before}" if before is not None else "its steps")
        warnings.warn(f"skipping torn run part {plans[i].source.path} (no readable Parquet footer; "
                      f"{gap} are missing)", stacklevel=4)
    plans = [p for p in plans if p.num_rows >= 0]
    cutoff = None
    for plan in reversed(plans):
        if cutoff is not None and plan.last is not None and plan.last >= cutoff:
            plan.cutoff = cutoff
        if plan.first is not None:
            cutoff = plan.first if cutoff is None else min(cutoff, plan.first)
    return plans


def _numeric(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t)


def column_types(plans: list[_Plan], columns=None) -> dict[str, pa.DataType]:
    """The type each column is read as when the files of one run disagree on it.

    A column whose type is the same in every file (or all-null in some) is left out (read as
    it is). Files that disagree only between integer and floating types are unified: ``step``
    as int64 (all integer types; silently, it is lossless), the other columns as float64 with
    one warning naming the columns and files. Any other disagreement (text in one part,
    numbers in another; floating steps next to integer ones) is a :class:`GanalyzeError`
    naming the file, the type found and the one the other files have: pyarrow cannot
    concatenate them, and guessing would mix units. ``columns``: only those read (as
    :func:`read_run_dir`). Returns {column: type to cast to}."""
    seen: dict[str, dict[pa.DataType, Source]] = {}
    for plan in plans:
        wanted = _wanted(columns, plan.schema.names)
        for field in plan.schema:
            if wanted is not None and field.name not in wanted:
                continue
            if pa.types.is_null(field.type):
                continue
            seen.setdefault(field.name, {}).setdefault(field.type, plan.source)
    out: dict[str, pa.DataType] = {}
    mixed = []
    for name, by_type in seen.items():
        if len(by_type) < 2:
            continue
        (t0, s0), *rest = by_type.items()
        if name == "step" and all(pa.types.is_integer(t) for t in by_type):
            out[name] = pa.int64()       # lossless (a value beyond int64 is refused when cast)
            continue
        if name != "step" and all(_numeric(t) for t in by_type):
            out[name] = pa.float64()
            mixed.append(f"{name}: " + ", ".join(f"{t} in {s.path.name}" for t, s in by_type.items()))
            continue
        bad_t, bad_s = next(((t, s) for t, s in rest if not _numeric(t)), rest[0])
        if not _numeric(t0):
            bad_t, bad_s, t0, s0 = t0, s0, bad_t, bad_s
        what = f"run part {bad_s.path}" if bad_s.is_part else f"path: {bad_s.path}"
        allowed = ("integers in every file of the run" if name == "step" else
                   "the same column type in every file of the run (integer and floating numbers mix)")
        raise GanalyzeError(f"{what}: column {name!r} is {bad_t} while {s0.path.name} has {t0}; "
                            f"allowed: {allowed}")
    if mixed:
        first = plans[0].source
        run_dir = first.path.parent.parent if first.is_part else first.path.parent
        warnings.warn(f"{run_dir}: the run's files store some columns as different number types "
                      f"({'; '.join(mixed)}); read as float64", stacklevel=4)
    return out


def _cast_to(table: pa.Table, types: dict[str, pa.DataType], source: Source) -> pa.Table:
    """``table`` with the columns named in ``types`` cast to those types (see column_types)."""
    for name, target in types.items():
        i = table.schema.get_field_index(name)
        if i < 0 or table.schema.field(i).type == target:
            continue
        try:
            col = table.column(i).cast(target, safe=name == "step")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
            allowed = (f"integers from {-2 ** 63} to {2 ** 63 - 1}" if name == "step"
                       else "numbers (the column's type in the run's other files)")
            raise GanalyzeError(f"run part {source.path}: column {name!r} cannot be read as {target} "
                                f"({_reason(err)}); allowed: {allowed}") from None
        table = table.set_column(i, pa.field(name, target), col)
    return table


def _union_schema(schemas: list[pa.Schema]) -> pa.Schema:
    """``step`` (int64) then every other column (float64) in order of first appearance."""
    names: dict[str, None] = {"step": None}
    for schema in schemas:
        for name in schema.names:
            names.setdefault(name, None)
    return pa.schema([pa.field("step", pa.int64())] +
                     [pa.field(n, pa.float64()) for n in names if n != "step"])


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    n = table.num_rows
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            col = table.column(field.name)
            arrays.append(col if col.type == field.type else col.cast(field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


@dataclass(frozen=True)
class Snapshot:
    """The files of a run directory at one moment: ``run.parquet`` (or None) and the cover."""

    run: Source | None
    parts: list[Source]
    files: tuple
    stamp: tuple

    @property
    def sources(self) -> list[Source]:
        return ([self.run] if self.run is not None else []) + self.parts


def snapshot(run_dir: Path) -> Snapshot:
    run_dir = Path(run_dir)
    path = run_dir / RUN_FILE
    try:
        st = os.stat(path)
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = None
    run = None
    if stamp is not None:
        try:
            run = Source(0, run_covers(run_dir), path)
        except _Vanished:
            run = None
    files = list_files(run_dir)
    parts = cover(files, above=run.hi if run is not None else 0)
    return Snapshot(run, parts, tuple((s.lo, s.hi) for s in files), stamp)


def _consistent(run_dir: Path, before: Snapshot) -> bool:
    after = snapshot(run_dir)
    return after.files == before.files and after.stamp == before.stamp


def _wanted(columns, names: list[str]) -> list[str] | None:
    """The columns to read from a file with columns ``names``: all (None), the listed ones, or
    those a callable picks from ``names``; ``step`` always."""
    if columns is None:
        return None
    picked = columns(list(names)) if callable(columns) else columns
    return ["step"] + [c for c in picked if c != "step"]


def float32_when_exact(values: np.ndarray, block: int = 1 << 20) -> np.ndarray:
    """``values`` as float32 when every value (NaN and inf included) is exactly a float32,
    else unchanged: half the memory, the same numbers. Checked block by block."""
    if values.dtype != np.float64:
        return values
    with np.errstate(over="ignore"):          # a value beyond float32 becomes inf: not exact, kept as is
        narrow = values.astype(np.float32)
    for lo in range(0, len(values), block):
        if not np.array_equal(narrow[lo:lo + block], values[lo:lo + block], equal_nan=True):
            return values
    return narrow


def read_run_dir(run_dir: Path, columns=None) -> tuple[pa.Table | None, dict]:
    """Everything readable in a run directory as one Arrow table, and the newest metadata.

    Linear in the number and size of the files. A read that races the writer (a compaction
    or ``close()`` replacing files) is retried on a fresh snapshot, so a reader sees a
    complete run, never a partial one. ``columns``: read only these (a list, or a callable
    picking from a file's column names; ``step`` always)."""
    run_dir = Path(run_dir)
    for attempt in range(20):
        snap = snapshot(run_dir)
        try:
            result = _read_snapshot(snap, columns)
        except _Vanished:
            continue
        if attempt == 19 or _consistent(run_dir, snap):
            return result
    return _read_snapshot(snapshot(run_dir), columns)


def _read_snapshot(snap: Snapshot, columns) -> tuple[pa.Table | None, dict]:
    plans = _plan(snap.sources)
    if not plans:
        return None, {}
    meta = meta_from_json((plans[-1].schema.metadata or {}).get(META_KEY))
    types = column_types(plans, columns)
    tables = []
    for plan in plans:
        plan.columns = columns
        for table in plan.tables():
            tables.append(_cast_to(table.replace_schema_metadata(None), types, plan.source))
    if not tables:
        return pa.table({"step": pa.array([], pa.int64())}), meta
    if len(tables) == 1:
        return tables[0], meta
    return pa.concat_tables(tables, promote_options="permissive"), meta


def read_run_frame(run_dir: Path, columns=None, float32: bool = False):
    """A run directory as (pandas DataFrame, metadata), with the least memory the state
    allows: a finished run column by column; a live or killed one via one Arrow table.
    ``columns``: as :func:`read_run_dir`; ``float32``: float64 columns whose values are all
    exactly float32 come back as float32 (:func:`float32_when_exact`)."""
    run_dir = Path(run_dir)
    snap = snapshot(run_dir)
    if snap.run is not None and not snap.parts:
        return read_frame_columnwise(snap.run.path, columns, float32)
    table, meta = read_run_dir(run_dir, columns)
    if table is None:
        raise GanalyzeError(f"path: {str(run_dir)!r} holds no complete rows yet; "
                            "allowed: a run with at least one flushed part")
    holder = [table]
    del table
    frame = holder.pop().to_pandas(self_destruct=True, split_blocks=True, use_threads=False)
    if float32:
        for name in frame.columns:
            if name != "step" and frame[name].dtype == np.float64:
                frame[name] = float32_when_exact(frame[name].to_numpy())
    return frame, meta


def read_table(path: Path, *, tolerate_torn: bool) -> pa.Table | None:
    """Read one Parquet file (checksums verified); a torn file is None (warning) if tolerated."""
    path = Path(path)
    source = Source(0, 0, path) if not tolerate_torn else Source(1, 1, path)
    pf = _open(source) if tolerate_torn else _open_file(path)
    if pf is None:
        warnings.warn(f"skipping torn run part {path} (no readable Parquet footer)", stacklevel=3)
        return None
    with pf:
        try:
            return pf.read(use_threads=False)
        except (pa.ArrowInvalid, OSError) as err:
            raise _corrupt(source, err, None, None) from None


def _open_file(path: Path) -> pq.ParquetFile:
    try:
        pf = pq.ParquetFile(path, page_checksum_verification=True, memory_map=False)
    except (pa.ArrowInvalid, OSError) as err:
        if path.exists() and path.stat().st_size == 0:
            raise GanalyzeError(f"path: {path} is empty; allowed: a Parquet run file") from None
        raise GanalyzeError(f"path: {path} is not a readable Parquet file ({_reason(err)})") from None
    _check_footer(pf, Source(0, 0, path))
    return pf


def read_frame_columnwise(path: Path, columns=None, float32: bool = False):
    """A finished ``run.parquet`` as a DataFrame, one column at a time.

    Each column goes Arrow -> numpy (zero-copy where possible) before the next is read and
    the frame is assembled without consolidation, so peak memory is about the frame plus
    one column's read buffers (a whole-table read + to_pandas holds ~2 copies). ``columns``
    and ``float32``: as :func:`read_run_frame`."""
    import pandas as pd

    path = Path(path)
    pf = _open_file(path)
    with pf:
        meta = meta_from_json((pf.schema_arrow.metadata or {}).get(META_KEY))
        names = pf.schema_arrow.names
        wanted = _wanted(columns, names)
        if wanted is not None:
            names = [c for c in names if c in wanted]
        out = {}
        for name in names:
            if float32 and name != "step" and pa.types.is_floating(pf.schema_arrow.field(name).type):
                out[name] = _float_column(pf, path, name)
                continue
            try:
                table = pf.read(columns=[name], use_threads=False)
            except (pa.ArrowInvalid, OSError) as err:
                raise _corrupt_file(path, err) from None
            col = table.column(0)
            if pa.types.is_floating(col.type) or (pa.types.is_integer(col.type) and col.null_count == 0):
                out[name] = col.to_numpy()
                if float32 and name != "step":
                    out[name] = float32_when_exact(out[name])
            else:
                out[name] = col.to_pandas()
            del table, col
    frame = pd.DataFrame(out, copy=False)
    pa.default_memory_pool().release_unused()    # hand the read buffers back to the OS
    return frame, meta


def _float_column(pf: pq.ParquetFile, path: Path, name: str) -> np.ndarray:
    """A floating column as float32 when every value is exactly a float32 (else float64), read
    one row group at a time into the result: beyond the result, only one row group's buffers."""
    n = pf.metadata.num_rows
    out = np.empty(n, dtype=np.float32)
    pos = 0
    for rg in range(pf.metadata.num_row_groups):
        try:
            values = pf.read_row_group(rg, columns=[name], use_threads=False).column(0).to_numpy()
        except (pa.ArrowInvalid, OSError) as err:
            raise _corrupt_file(path, err) from None
        part = float32_when_exact(values) if out.dtype == np.float32 else values
        if part.dtype != out.dtype:             # the first value that is no float32: widen
            wide = np.empty(n, dtype=np.float64)
            wide[:pos] = out[:pos]
            out, part = wide, values
        out[pos:pos + len(part)] = part
        pos += len(part)
    pa.default_memory_pool().release_unused()
    return out


def table_meta(table: pa.Table) -> dict:
    return meta_from_json((table.schema.metadata or {}).get(META_KEY))


def last_value(run_dir: Path, column: str) -> float | None:
    """Largest finite value of ``column`` over the run's files (footer statistics; a column
    with NaN-only or missing statistics is read). None if the column is absent."""
    best = None
    for source in snapshot(Path(run_dir)).sources:
        pf = _open(source)
        if pf is None:
            continue
        with pf:
            if column not in pf.schema_arrow.names:
                continue
            try:
                values = pf.read(columns=[column], use_threads=False).column(0).to_numpy(zero_copy_only=False)
            except (pa.ArrowInvalid, OSError) as err:
                raise _corrupt(source, err, None, None) from None
        values = values[np.isfinite(values)]
        if values.size:
            best = float(values.max()) if best is None else max(best, float(values.max()))
    return best


def newest_meta(run_dir: Path) -> dict:
    """The metadata of the newest readable file of a run directory ({} if none)."""
    for source in reversed(snapshot(Path(run_dir)).sources):
        try:
            schema = pq.read_schema(source.path)
        except FileNotFoundError:
            continue
        except (pa.ArrowInvalid, OSError) as err:
            if source.is_part:
                continue
            raise _corrupt_file(source.path, err) from None
        return meta_from_json((schema.metadata or {}).get(META_KEY))
    return {}
