"""Which runs a sweep covers: paths, shell globs and fsspec URLs expanded into :class:`RunRef` s.

An argument may be
- a run: a run directory (``run.parquet``, live ``run.parquet.parts/`` or TensorBoard events), a
  ``run.parquet``, or any file ``read_run`` reads (CSV, DCGAN console log, ...);
- a folder of runs: its immediate sub-folders that are runs and its ``.parquet``/``.csv``/``.tsv``
  files (``ganalyze sweep sweeps/lr/``);
- a glob over either (``'runs/lr_*'``, ``'runs/*/run.parquet'``);
- an fsspec URL (``s3://bucket/sweep/*/run.parquet``, ``gs://...``, ``file:///...``), with or without
  a glob: a ``run.parquet`` object, a "folder" holding one, or a folder of such folders. Remote runs
  must be finished (one ``run.parquet``); credentials come from the environment (AWS_*, GOOGLE_*,
  ``~/.aws``, fsspec config) and are never printed: URLs are shown without any ``user:secret@``.

Runs keep the order of the arguments (each glob sorted); duplicates are dropped. Run names are the
folder names, lengthened by parent folders where two runs would otherwise share a name.
"""
from __future__ import annotations

import glob as _glob
import re
from dataclasses import dataclass
from pathlib import Path

from ganalyze.errors import GanalyzeError

RUN_FILE = "run.parquet"
PARTS_DIR = "run.parquet.parts"
_RUN_SUFFIXES = (".parquet", ".csv", ".tsv")   # files in a folder of runs that are runs themselves
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@")


@dataclass(frozen=True)
class RunRef:
    """One run of a sweep. ``source`` is a local path or an fsspec URL (``is_url``); for URLs it
    names the ``run.parquet`` object. ``name`` is unique within the sweep."""

    name: str
    source: str
    is_url: bool
    #: which run of a file holding several (a CycleGAN loss_log's ``A`` / ``B``), as ``read_run(pair=)``
    pair: str | None = None

    @property
    def shown(self) -> str:
        """``source`` safe to print (no credentials)."""
        return redact(self.source)


def is_url(arg: str) -> bool:
    return bool(_URL.match(str(arg)))


def redact(url: str) -> str:
    """``s3://key:secret@bucket/x`` -> ``s3://***@bucket/x``; anything else unchanged."""
    return _USERINFO.sub(r"\1***@", str(url))


def _has_magic(arg: str) -> bool:
    return any(c in arg for c in "*?[")


# ---- local ------------------------------------------------------------------------------
def _is_local_run_dir(p: Path) -> bool:
    if (p / RUN_FILE).is_file() or (p / PARTS_DIR).is_dir():
        return True
    return any(p.glob("*tfevents*"))


def _local_runs(arg: str) -> list[str]:
    matches = sorted(_glob.glob(arg)) if _has_magic(arg) else [arg]
    if not matches:
        raise GanalyzeError(f"runs: {arg!r} matches nothing; allowed: run directories, run files, globs or URLs")
    out = []
    for m in matches:
        p = Path(m)
        if p.is_file():
            out.append(str(p))
        elif p.is_dir() and _is_local_run_dir(p):
            out.append(str(p))
        elif p.is_dir():
            children = sorted(str(c) for c in p.iterdir() if (c.is_dir() and _is_local_run_dir(c))
                              or (c.is_file() and c.suffix.lower() in _RUN_SUFFIXES))
            if not children and not _has_magic(arg):
                raise GanalyzeError(f"runs: {m!r} is neither a run directory nor a folder of runs; "
                                    "allowed: a folder with run.parquet, or a folder of such folders")
            out.extend(children)
        elif not _has_magic(arg):
            raise GanalyzeError(f"runs: {m!r} does not exist; allowed: run directories, run files, globs or URLs")
    return out


# ---- fsspec URLs ------------------------------------------------------------------------
def _url_runs(arg: str) -> list[str]:
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(arg)
    except (ImportError, ValueError) as err:   # unknown protocol or its package missing
        raise GanalyzeError(f"runs: cannot open {redact(arg)!r} ({str(err).splitlines()[0]}); allowed: "
                            "s3:// (s3fs), gs:// (gcsfs), file:// and other fsspec URLs") from None
    try:
        matches = sorted(fs.glob(path)) if _has_magic(path) else [path]
        out = []
        for m in matches:
            m = m.rstrip("/")
            if m.endswith("/" + RUN_FILE) or m == RUN_FILE:
                if fs.isfile(m):
                    out.append(m)
            elif fs.isfile(f"{m}/{RUN_FILE}"):
                out.append(f"{m}/{RUN_FILE}")
            elif fs.isdir(m):
                out.extend(sorted(fs.glob(f"{m}/*/{RUN_FILE}")))
            elif fs.isfile(m) and m.endswith(".parquet"):
                out.append(m)
    except Exception as err:  # noqa: BLE001 - no credentials, no such bucket, no network (botocore, gcsfs, ...)
        raise GanalyzeError(f"runs: cannot list {redact(arg)!r} ({type(err).__name__}: "
                            f"{redact(str(err).splitlines()[0] if str(err) else '')}); allowed: a readable URL "
                            "(credentials from the environment)") from None
    if not out:
        raise GanalyzeError(f"runs: {redact(arg)!r} matches no run.parquet; allowed: URLs of run.parquet objects "
                            "or of folders holding one")
    return [fs.unstrip_protocol(m) for m in out]


# ---- names ------------------------------------------------------------------------------
def _name_parts(source: str) -> list[str]:
    parts = [p for p in re.split(r"[/\\]+", redact(source).split("://", 1)[-1]) if p and p != "."]
    if len(parts) > 1 and parts[-1] == RUN_FILE:
        parts = parts[:-1]
    if parts and "." in parts[-1] and not Path(source).is_dir():
        parts[-1] = parts[-1].rsplit(".", 1)[0] or parts[-1]
    return parts or [source]


def unique_names(sources: list[str]) -> list[str]:
    """Last folder name of each source, with parents added (``a/x``, ``b/x``) until all differ."""
    parts = [_name_parts(s) for s in sources]
    depth = [1] * len(sources)
    for _ in range(64):
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth)]
        seen: dict[str, list[int]] = {}
        for i, n in enumerate(names):
            seen.setdefault(n, []).append(i)
        clash = [i for idx in seen.values() if len(idx) > 1 for i in idx if depth[i] < len(parts[i])]
        if not clash:
            break
        for i in clash:
            depth[i] += 1
    names = ["/".join(p[-d:]) for p, d in zip(parts, depth)]
    counts: dict[str, int] = {}
    out = []
    for n in names:   # identical full paths cannot happen (deduplicated); be safe anyway
        counts[n] = counts.get(n, 0) + 1
        out.append(n if counts[n] == 1 else f"{n}#{counts[n]}")
    return out


def discover(args) -> list[RunRef]:
    """Expand paths, globs and URLs (module doc) into runs; GanalyzeError if there are none."""
    if isinstance(args, (str, Path)):
        args = [args]
    sources: list[tuple[str, bool]] = []
    seen = set()
    for arg in args:
        arg = str(arg)
        url = is_url(arg)
        for s in (_url_runs(arg) if url else _local_runs(arg)):
            key = s if url else str(Path(s).resolve())
            if key not in seen:
                seen.add(key)
                sources.append((s, url))
    if not sources:
        raise GanalyzeError("runs: no run given; allowed: run directories, run files, globs or URLs")
    names = unique_names([s for s, _ in sources])
    return [r for n, (s, u) in zip(names, sources) for r in _file_runs(RunRef(n, s, u))]


def _may_hold_several(p: Path) -> bool:
    """Whether reading ``p`` in full at discovery can find several runs: a table only when its
    header names a D loss per domain or W&B's ``RUN - metric`` columns (a sweep over a folder of
    CSV runs is not read twice); other text logs (loss_logs, notebooks, consoles) always."""
    if p.suffix.lower() not in (".csv", ".tsv"):
        return True
    from ganalyze.runlog.formats.domains import domain_loss

    with p.open("r", encoding="utf-8", errors="replace") as fh:
        header = next((line for line in fh if line.strip()), "")[:65536]
    return " - " in header or any(domain_loss(n.strip().strip('"')) is not None for n in re.split(r"[,\t;]", header))


def _file_runs(ref: RunRef) -> list[RunRef]:
    """``ref`` as one RunRef per run of a local log file holding several (a CycleGAN loss_log's A
    and B, a notebook's training cells, a per-domain history), named ``NAME:PAIR``; ``[ref]`` for
    a run directory, a Parquet run, a URL, a single run, or a file that cannot be read (its row
    then says why)."""
    p = Path(ref.source)
    if ref.is_url or not p.is_file() or p.suffix.lower() == ".parquet" or not _may_hold_several(p):
        return [ref]
    import warnings

    from ganalyze.runlog.readers import read_runs

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            names = list(read_runs(p))
    except Exception:   # noqa: BLE001  (the run's own row reads it again and says why it cannot)
        return [ref]
    pairs = [n.rsplit(":", 1)[1] for n in names if ":" in n]
    if len(names) < 2 or len(pairs) != len(names):
        return [ref]
    return [RunRef(f"{ref.name}:{pair}", ref.source, False, pair) for pair in pairs]
