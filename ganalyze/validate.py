"""Sanity checks at every boundary where outside data enters ganalyze.

Every check raises :class:`~ganalyze.errors.GanalyzeError` with one line of the form
``<what>: <got>; allowed: <what>``, which the CLI prints as ``ganalyze: error: ...`` (exit 2).
The boundaries and their checks:

- paths (:func:`regular_file`, :func:`readable_dir`, :func:`run_path`): only regular files are
  opened (a FIFO would block forever, a device or directory is not a run); symlink loops,
  permission denied and path components over :data:`MAX_NAME_BYTES` bytes are refused by name;
- run frames (:func:`validate_frame`): the ``step`` column is finite, integer-valued (not boolean) and within
  int64 (uint64 steps over 2**63 - 1 and ``inf`` are refused, not wrapped), the other columns are
  numbers (a timestamp, timedelta or complex column is refused, not read as nanoseconds),
  column names are unique; values with ``|x| > MAX_ABS_VALUE`` are taken as an overflow (±inf,
  one warning), so that no statistic or plot overflows on them;
- metadata (:func:`validate_meta`) and ``config.json`` (:func:`load_json_file`,
  :func:`validate_config`): JSON objects with string keys, nested at most
  :data:`MAX_JSON_DEPTH` deep, finite numbers only, the documented keys with their types;
- checkpoint ``arch`` entries (:func:`validate_arch`): known architecture name and positive
  integer sizes within the limits below, checked *before* any network is allocated;
- sample images (:func:`safe_image`): the size is read from the PNG header and checked against
  :data:`MAX_IMAGE_PIXELS` before anything is decoded.

The limits are generous for the networks ganalyze trains (latent 100, 28x28 or 64x64 images,
8 ring modes) and small enough that nothing a file claims can make ganalyze allocate more than a
few hundred MiB before the claim is checked against real data.
"""
from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import struct
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ganalyze.errors import GanalyzeError
from ganalyze.gan import LSGAN_TERMS

#: Longest file or directory name (one path component) in bytes, as on ext4/APFS/NTFS.
MAX_NAME_BYTES = 255
#: Deepest nesting of JSON objects/arrays in metadata and config.json (ours are 3 deep).
MAX_JSON_DEPTH = 32
#: Largest metadata / config.json document read, in bytes.
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Largest generator noise size (``arch["latent_dim"]``); the seeds use 100 (16 for mlp2d).
MAX_LATENT_DIM = 4096
#: Largest image side in ``arch["img_shape"]``, and most values per image (C*H*W).
MAX_IMAGE_SIDE = 1024
MAX_IMAGE_VALUES = 4 * 128 * 128
#: Most channels in ``arch["img_shape"]`` (gray, RGB, RGBA).
MAX_IMAGE_CHANNELS = 4
#: Widest hidden layer (``arch["hidden"]``) and conv base width (``arch["ngf"]``/``["ndf"]``).
MAX_HIDDEN = 4096
MAX_CONV_WIDTH = 256
#: Most modes of a ring target (``config["ring_modes"]``); the testbed uses 8.
MAX_MODES = 1024
#: Most pixels of one sample PNG (a 30,000 x 30,000 "image bomb" decodes to 3.4 GiB).
MAX_IMAGE_PIXELS = 4096 * 4096
#: Largest magnitude of a logged value taken as a number; beyond it a value is an overflow
#: (a float32 loss overflows at 3.4e38) and is read as +-inf, i.e. divergence.
MAX_ABS_VALUE = 1e30

_INT64_MAX = np.iinfo(np.int64).max
_INT64_MIN = np.iinfo(np.int64).min


def _fail(what: str, got: str, allowed: str) -> GanalyzeError:
    return GanalyzeError(f"{what}: {got}; allowed: {allowed}")


def _short(value, limit: int = 60) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---- paths ----------------------------------------------------------------------------------
_KIND = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KIND if test(mode)), "not a regular file")


def _check_name_lengths(path: Path, what: str) -> None:
    for part in path.parts:
        n = len(os.fsencode(part))
        if n > MAX_NAME_BYTES:
            raise _fail(what, f"a path component of {n} bytes ({part[:40]!r}...)",
                        f"names of at most {MAX_NAME_BYTES} bytes")


def _stat(path: Path, what: str, expected: str) -> os.stat_result:
    """``os.stat`` with every OSError turned into one line."""
    _check_name_lengths(path, what)
    try:
        return os.stat(path)
    except OSError as err:
        raise _os_error(err, path, what, expected) from None


def _os_error(err: OSError, path, what: str, expected: str) -> GanalyzeError:
    code = err.errno
    if code == errno.ENOENT:
        got = f"{str(path)!r} does not exist"
    elif code == errno.ELOOP:
        got = f"{str(path)!r} is a symlink loop"
    elif code in (errno.EACCES, errno.EPERM):
        got = f"{str(path)!r} cannot be read (permission denied)"
    elif code == errno.ENAMETOOLONG:
        got = f"{str(path)[:60]!r}... has a name too long for the file system"
    elif code == errno.ENOTDIR:
        got = f"{str(path)!r} goes through a file as if it were a directory"
    else:
        got = f"{str(path)!r} cannot be opened ({os.strerror(code) if code else type(err).__name__})"
    return _fail(what, got, expected)


def regular_file(path, what: str = "path", expected: str = "a readable regular file") -> Path:
    """``path`` as a Path if it is a readable regular file (symlinks to one are fine).

    Refused with one line: missing, a directory, FIFO, device or socket, a symlink loop,
    permission denied, a path component over MAX_NAME_BYTES bytes.
    """
    p = Path(path)
    st = _stat(p, what, expected)
    if not stat.S_ISREG(st.st_mode):
        raise _fail(what, f"{str(p)!r} is {_kind(st.st_mode)}", expected)
    if not os.access(p, os.R_OK):
        raise _fail(what, f"{str(p)!r} cannot be read (permission denied)", expected)
    return p


def readable_dir(path, what: str = "path", expected: str = "a readable directory") -> Path:
    """``path`` as a Path if it is a directory whose entries can be listed."""
    p = Path(path)
    st = _stat(p, what, expected)
    if not stat.S_ISDIR(st.st_mode):
        raise _fail(what, f"{str(p)!r} is {_kind(st.st_mode) if not stat.S_ISREG(st.st_mode) else 'a file'}",
                    expected)
    try:
        with os.scandir(p) as it:
            next(it, None)
    except OSError as err:
        raise _os_error(err, p, what, expected) from None
    return p


_RUN_EXPECTED = "a run directory, .parquet, .csv, console .log or TensorBoard directory (regular files)"


def _is_run_input(name: str) -> bool:
    return name.endswith(".parquet") or "tfevents" in name


def run_path(path) -> Path:
    """Check what ``read_run(path)`` is about to open: a regular file, or a readable directory
    whose run files (``*.parquet``, TensorBoard ``*tfevents*``, at any depth, symlinked
    directories not followed) are all regular files. Returns ``Path(path)``."""
    p = Path(path)
    st = _stat(p, "path", _RUN_EXPECTED)
    if stat.S_ISREG(st.st_mode):
        regular_file(p, "path", _RUN_EXPECTED)
        _check_table_header(p)
        return p
    if not stat.S_ISDIR(st.st_mode):
        raise _fail("path", f"{str(p)!r} is {_kind(st.st_mode)}", _RUN_EXPECTED)
    readable_dir(p, "path", _RUN_EXPECTED)

    def on_error(err: OSError):
        if isinstance(err, FileNotFoundError) and err.filename and Path(err.filename) != p:
            return      # a sub-folder removed since the listing (a closing writer's run.parquet.parts/)
        raise _os_error(err, err.filename or p, "path", _RUN_EXPECTED)

    for root, dirs, files in os.walk(p, onerror=on_error):
        for name in files + dirs:
            if _is_run_input(name):
                entry = Path(root) / name
                if name in dirs and name.endswith(".parquet"):
                    raise _fail("path", f"{str(entry)!r} is a directory", "run files that are regular files")
                if name in files:
                    try:
                        regular_file(entry, "path", "run files that are regular files")
                    except GanalyzeError:
                        if os.path.lexists(entry):
                            raise
                        # removed since the listing (a live writer compacting or closing): the
                        # store's reader lists again and retries, so it is not an error here

    return p


_HEADER_NAME = re.compile(r"^[A-Za-z_][\w()./\- ]*$")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_table_header(p: Path) -> None:
    """A CSV/TSV whose header names a column twice is refused (pandas would silently rename
    the second ``d_loss`` to ``d_loss.1`` and analyse the first)."""
    try:
        with open(p, "rb") as fh:
            head = fh.read(65536)
    except OSError as err:
        raise _os_error(err, p, "path", _RUN_EXPECTED) from None
    if head[:4] == b"PAR1" or b"\x00" in head:
        return
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    sep = next((c for c in (",", "\t", ";") if c in first), None)
    if sep is None and p.suffix.lower() not in (".csv", ".tsv"):
        return
    names = [n.strip().strip('"').strip() for n in (first.split(sep) if sep else first.split())]
    if len(names) < 2 or not all(_HEADER_NAME.match(n) for n in names) or any(_is_number(n) for n in names):
        return   # not a header line (console log, data without header, "nan" values): the reader decides
    seen = set()
    for n in names:
        if n in seen:
            raise _fail(f"{str(p)}: column {n!r}", f"appears {names.count(n)} times in the header",
                        "each column name once")
        seen.add(n)


# ---- run frames -----------------------------------------------------------------------------
def _is_refused_dtype(dtype) -> str | None:
    """Name of a dtype that is not a number but converts to one silently, else None."""
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return "timestamps"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "durations"
    if isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype)):
        return str(dtype)
    if pd.api.types.is_complex_dtype(dtype):
        return "complex numbers"
    if isinstance(dtype, pd.CategoricalDtype):
        return "categories"
    return None


def _check_step_column(values: pd.Series, source: str) -> None:
    dtype = values.dtype
    if pd.api.types.is_unsigned_integer_dtype(dtype):
        arr = values.to_numpy()
        if len(arr) and arr.max() > _INT64_MAX:
            i = int(np.argmax(arr > _INT64_MAX))
            raise _fail(f"{source}: column 'step'", f"{int(arr[i])} at row {i} (beyond int64)",
                        f"integers from {_INT64_MIN} to {_INT64_MAX}")
        return
    if pd.api.types.is_bool_dtype(dtype):     # would read as steps 0/1, every other row a "restart"
        raise _fail(f"{source}: column 'step'", f"holds booleans ({dtype})",
                    f"integers from {_INT64_MIN} to {_INT64_MAX}")
    if pd.api.types.is_integer_dtype(dtype):
        return
    if pd.api.types.is_float_dtype(dtype):
        num = values.to_numpy(dtype="float64", na_value=np.nan)
    else:
        num = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(num) | (num >= 2.0 ** 63) | (num < -(2.0 ** 63))
    if bad.any():
        i = int(np.argmax(bad))
        raise _fail(f"{source}: column 'step'", f"{_short(values.iloc[i])} at row {i}",
                    f"finite integers from {_INT64_MIN} to {_INT64_MAX}")


def validate_frame(df: pd.DataFrame, source: str = "run", float32: bool = False) -> pd.DataFrame:
    """The run frame checked and converted (``step`` int64, the rest float64, sorted by step;
    ``float32``: float32 columns are kept as they are).

    Before conversion: unique column names, no timestamp/duration/complex/categorical columns,
    ``step`` finite and within int64. Then the format's own check
    (:func:`ganalyze.runlog.schema.validate_frame`: required columns, numbers, unique steps).
    After: values beyond ``MAX_ABS_VALUE`` become ±inf (one warning naming the columns) and the
    metadata in ``df.attrs`` is checked (:func:`validate_meta`).
    """
    from ganalyze.runlog.schema import validate_frame as format_check

    if not isinstance(df, pd.DataFrame):
        raise _fail("df", f"got {type(df).__name__}", "a pandas DataFrame")
    names = pd.Index(df.columns)
    if names.has_duplicates:
        dup = names[names.duplicated()][0]
        raise _fail(f"{source}: column {str(dup)!r}", f"appears {int((names == dup).sum())} times",
                    "each column name once")
    for col in df.columns:
        kind = _is_refused_dtype(df[col].dtype)
        if kind is not None:
            raise _fail(f"{source}: column {str(col)!r}", f"holds {kind} ({df[col].dtype})",
                        "numbers (step: integers)")
    if "step" in df.columns:
        _check_step_column(df["step"], source)
    with warnings.catch_warnings():   # conversions of odd values are checked here, not warned
        warnings.simplefilter("ignore", RuntimeWarning)
        frame = format_check(df, source=source, float32=float32)
    huge = []
    for col in frame.columns:
        if col == "step":
            continue
        x = frame[col].to_numpy()
        with np.errstate(invalid="ignore"):
            over = np.abs(x) > MAX_ABS_VALUE
        over &= np.isfinite(x)
        if over.any():
            huge.append(f"{col} ({int(over.sum())})")
            frame[col] = np.where(over, np.copysign(np.inf, x), x)
    if huge:
        warnings.warn(f"{source}: values beyond ±{MAX_ABS_VALUE:g} read as overflow (±inf) in "
                      f"{', '.join(huge)}", stacklevel=2)
    frame.attrs = validate_meta(dict(df.attrs))
    return frame


# ---- JSON: metadata, config.json ------------------------------------------------------------
def _check_json_value(value, what: str, depth: int = 0) -> None:
    """Plain JSON value (numpy scalars, tuples and sets allowed), finite numbers, bounded depth."""
    if depth > MAX_JSON_DEPTH:
        raise _fail(what, f"nested more than {MAX_JSON_DEPTH} levels deep", f"at most {MAX_JSON_DEPTH} levels")
    if value is None or isinstance(value, (str, bool, np.bool_)):
        return
    if isinstance(value, (int, np.integer)):
        return
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(float(value)):
            raise _fail(what, f"{float(value)!r}", "finite numbers (NaN and inf are not JSON)")
        return
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise _fail(what, f"key {_short(k)} of type {type(k).__name__}", "string keys")
            _check_json_value(v, f"{what}.{k}" if k.isprintable() else f"{what}[{_short(k)}]", depth + 1)
        return
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        for i, v in enumerate(value.tolist() if isinstance(value, np.ndarray) else value):
            _check_json_value(v, f"{what}[{i}]", depth + 1)
        return
    raise _fail(what, f"a {type(value).__name__}", "JSON values (str, number, bool, null, list, dict)")


def _is_int(v) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _choices():
    from ganalyze.runlog import schema

    return {"loss": schema.LOSSES, "d_loss_reduction": schema.D_LOSS_REDUCTIONS, "scores": schema.SCORES}


_META_STR = ("arch", "dataset", "data_source", "source_format", "source_path", "device", "running_means")
_META_INT = ("schema_version", "seed", "n_epochs", "iters_per_epoch", "num_D")
_META_STR_DICT = ("versions", "tb_tags")


#: Metadata keys besides the loss/reduction/scores choices that a reader may record as declared or
#: guessed (ganalyze.runlog.formats.finish: read options and what a log format implies).
DECLARABLE_KEYS = ("averaged", "step_from", "columns", "tb_tags", "pair", "on_duplicate", "arch", "dataset",
                   "log_every", "critic_scale", "lsgan_terms", "running_means", "num_D")


def validate_meta(meta, what: str = "metadata") -> dict:
    """Check run metadata (docs/run_format.md) and return it as a dict.

    Any JSON object nested at most MAX_JSON_DEPTH deep, finite numbers only; the documented
    keys must have their documented types: ``loss``/``d_loss_reduction``/``scores`` one of
    their values, ``declared``/``inferred`` lists of those key names, ``hparams`` a dict,
    ``versions``/``tb_tags`` dicts of strings, ``seed``/``n_epochs``/``iters_per_epoch``/
    ``schema_version`` integers, ``arch``/``dataset``/``source_format``/... strings.
    """
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise _fail(what, f"a {type(meta).__name__}", "a JSON object (dict)")
    _check_json_value(meta, what)
    choices = _choices()
    for key, allowed in choices.items():
        if key in meta and meta[key] not in allowed:
            raise _fail(f"{what}.{key}", _short(meta[key]), ", ".join(allowed))
    if "lsgan_terms" in meta and meta["lsgan_terms"] not in LSGAN_TERMS:
        raise _fail(f"{what}.lsgan_terms", _short(meta["lsgan_terms"]), ", ".join(LSGAN_TERMS))
    named = (*choices, *DECLARABLE_KEYS)
    for key in ("declared", "inferred"):
        if key in meta:
            v = meta[key]
            if not isinstance(v, (list, tuple)) or any(not isinstance(x, str) or x not in named for x in v):
                raise _fail(f"{what}.{key}", _short(v), f"a list of key names from {', '.join(named)}")
    for key in _META_STR:
        if key in meta and not isinstance(meta[key], str):
            raise _fail(f"{what}.{key}", f"{_short(meta[key])} ({type(meta[key]).__name__})", "a string")
    for key in _META_INT:
        if key in meta and meta[key] is not None and not _is_int(meta[key]):
            raise _fail(f"{what}.{key}", f"{_short(meta[key])} ({type(meta[key]).__name__})", "an integer")
    for key in _META_INT[2:]:
        if _is_int(meta.get(key)) and meta[key] < 0:
            raise _fail(f"{what}.{key}", str(meta[key]), "an integer >= 0")
    if "hparams" in meta and meta["hparams"] is not None and not isinstance(meta["hparams"], dict):
        raise _fail(f"{what}.hparams", f"a {type(meta['hparams']).__name__}", "a dict")
    for key in _META_STR_DICT:
        if key in meta:
            v = meta[key]
            if not isinstance(v, dict) or any(not isinstance(x, str) for x in v.values()):
                raise _fail(f"{what}.{key}", _short(v), "a dict of strings")
    return dict(meta)


def _no_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def load_json(text: str | bytes, what: str):
    """Parse JSON text: refused when not JSON, nested deeper than MAX_JSON_DEPTH (checked
    without recursion limits: a 100,000-deep document is one line, not a RecursionError),
    or holding NaN/Infinity."""
    if len(text) > MAX_JSON_BYTES:
        raise _fail(what, f"{len(text):,} bytes", f"at most {MAX_JSON_BYTES:,} bytes")
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    depth = _max_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise _fail(what, f"nested {depth} levels deep", f"at most {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:
        raise _fail(what, f"not valid JSON ({str(err).splitlines()[0][:80]})", "a JSON document") from None


def _max_depth(text: str) -> int:
    """Deepest bracket nesting outside JSON strings (no recursion, no Python loop per char)."""
    if "[" not in text and "{" not in text:
        return 0
    bare = _JSON_STRING.sub('""', text)
    b = np.frombuffer(bare.encode("utf-8", errors="replace"), dtype=np.uint8)
    step = ((b == ord("[")) | (b == ord("{"))).astype(np.int64) - ((b == ord("]")) | (b == ord("}")))
    return int(np.cumsum(step).max(initial=0))


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def load_json_file(path, what: str = "JSON file"):
    """A JSON document from a regular file (see :func:`load_json`)."""
    p = regular_file(path, what, "a readable JSON file")
    size = p.stat().st_size
    if size > MAX_JSON_BYTES:
        raise _fail(what, f"{str(p)!r} has {size:,} bytes", f"at most {MAX_JSON_BYTES:,} bytes")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise _os_error(err, p, what, "a readable JSON file") from None
    return load_json(raw, what)


def validate_config(obj, what: str = "config.json") -> dict:
    """A run's training config (``config.json``, a checkpoint's ``config``): a JSON object;
    ``ring_modes`` an integer in 1..MAX_MODES, ``ring_radius``/``ring_std`` finite > 0,
    ``arch_spec`` (when present) a valid arch (:func:`validate_arch`)."""
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise _fail(what, f"a {type(obj).__name__}", "a JSON object (dict)")
    _check_json_value(obj, what)
    if "ring_modes" in obj:
        _int_in(obj["ring_modes"], f"{what}.ring_modes", 1, MAX_MODES)
    for key in ("ring_radius", "ring_std"):
        if key in obj:
            v = obj[key]
            if not (isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                    and math.isfinite(float(v)) and float(v) > 0 and float(v) <= 1e6):
                raise _fail(f"{what}.{key}", _short(v), "a number > 0 and <= 1e6")
    if "arch_spec" in obj:
        validate_arch(obj["arch_spec"], f"{what}.arch_spec")
    return obj


# ---- checkpoint arch ------------------------------------------------------------------------
def _int_in(v, what: str, lo: int, hi: int) -> int:
    if not _is_int(v):
        raise _fail(what, f"{_short(v)} ({type(v).__name__})", f"an integer from {lo} to {hi}")
    if not lo <= v <= hi:
        raise _fail(what, str(v), f"an integer from {lo} to {hi}")
    return int(v)


def validate_arch(arch, what: str = "arch") -> dict:
    """A checkpoint's ``arch`` entry, checked before any network is built.

    ``name`` one of the known architectures; ``latent_dim`` 1..MAX_LATENT_DIM;
    ``img_shape`` a list of 1 to 3 integers, each 1..MAX_IMAGE_SIDE (channels, when 3,
    1..MAX_IMAGE_CHANNELS) with at most MAX_IMAGE_VALUES values; ``ngf``/``ndf``
    1..MAX_CONV_WIDTH; ``hidden`` 1..MAX_HIDDEN. Other keys are ignored.
    """
    from ganalyze.train.models import ARCH_NAMES

    if not isinstance(arch, dict):
        raise _fail(what, f"a {type(arch).__name__}", f"a dict with a 'name' in {', '.join(ARCH_NAMES)}")
    name = arch.get("name")
    if not isinstance(name, str) or name not in ARCH_NAMES:
        raise _fail(f"{what}.name", _short(name), ", ".join(ARCH_NAMES))
    if "latent_dim" in arch:
        _int_in(arch["latent_dim"], f"{what}.latent_dim", 1, MAX_LATENT_DIM)
    if "img_shape" in arch:
        shape = arch["img_shape"]
        allowed = f"a list of 1 to 3 integers, each 1..{MAX_IMAGE_SIDE}, at most {MAX_IMAGE_VALUES:,} values"
        if not isinstance(shape, (list, tuple)) or not 1 <= len(shape) <= 3:
            raise _fail(f"{what}.img_shape", _short(shape), allowed)
        for i, s in enumerate(shape):
            _int_in(s, f"{what}.img_shape[{i}]", 1, MAX_IMAGE_CHANNELS if (len(shape) == 3 and i == 0) else MAX_IMAGE_SIDE)
        if math.prod(int(s) for s in shape) > MAX_IMAGE_VALUES:
            raise _fail(f"{what}.img_shape", f"{list(shape)} ({math.prod(int(s) for s in shape):,} values)", allowed)
    for key, hi in (("ngf", MAX_CONV_WIDTH), ("ndf", MAX_CONV_WIDTH), ("hidden", MAX_HIDDEN)):
        if key in arch:
            _int_in(arch[key], f"{what}.{key}", 1, hi)
    return arch


def validate_checkpoint_fields(ckpt: dict, what: str) -> dict:
    """The descriptive entries of a ganalyze checkpoint dict: ``arch`` (:func:`validate_arch`),
    ``config`` (:func:`validate_config`), ``step`` an integer >= 0, ``loss`` a string,
    ``format_version`` the one this ganalyze reads."""
    from ganalyze.train.checkpoint import FORMAT_VERSION

    if ckpt.get("format_version") != FORMAT_VERSION:
        raise _fail(f"{what}: format_version", _short(ckpt.get("format_version")), str(FORMAT_VERSION))
    validate_arch(ckpt.get("arch"), f"{what}: arch")
    validate_config(ckpt.get("config"), f"{what}: config")
    step = ckpt.get("step")
    if step is not None and not (_is_int(step) and 0 <= step <= _INT64_MAX):
        raise _fail(f"{what}: step", f"{_short(step)} ({type(step).__name__})", "an integer >= 0")
    loss = ckpt.get("loss")
    if loss is not None and not isinstance(loss, str):
        raise _fail(f"{what}: loss", f"{_short(loss)} ({type(loss).__name__})", "a string")
    return ckpt


# ---- sample images --------------------------------------------------------------------------
def check_image(path, what: str = "sample image") -> tuple[int, int]:
    """(width, height) of a PNG read from its header, without decoding the pixels.

    Refused: not a regular file (directory, symlink loop, FIFO...), empty, not a PNG, more
    than MAX_IMAGE_PIXELS pixels."""
    from PIL import Image

    expected = f"a PNG file of at most {MAX_IMAGE_PIXELS:,} pixels"
    p = regular_file(path, what, expected)
    if p.stat().st_size == 0:
        raise _fail(what, f"{str(p)!r} is empty", expected)
    with open(p, "rb") as fh:
        head = fh.read(24)
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR":   # size straight from the header
        w, h = struct.unpack(">II", head[16:24])
        if w * h > MAX_IMAGE_PIXELS:
            raise _fail(what, f"{str(p)!r} is {w} x {h} pixels", expected)
    try:
        with Image.open(p) as img:
            fmt, (w, h) = img.format, img.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as err:
        raise _fail(what, f"{str(p)!r} is not a readable image ({str(err).splitlines()[0][:80] if str(err) else type(err).__name__})",
                    expected) from None
    if fmt != "PNG":
        raise _fail(what, f"{str(p)!r} is a {fmt} image", expected)
    if w * h > MAX_IMAGE_PIXELS:
        raise _fail(what, f"{str(p)!r} is {w} x {h} pixels", expected)
    return w, h


def safe_image(path, what: str = "sample image") -> np.ndarray:
    """The pixels of a sample PNG (as ``matplotlib.pyplot.imread``: float32 in [0, 1]),
    after :func:`check_image`; a file that is corrupt past its header is refused too."""
    check_image(path, what)
    import matplotlib.image as mpimg
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return mpimg.imread(path)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as err:
        raise _fail(what, f"{str(path)!r} is corrupt ({str(err).splitlines()[0][:80] if str(err) else type(err).__name__})",
                    f"a PNG file of at most {MAX_IMAGE_PIXELS:,} pixels") from None
