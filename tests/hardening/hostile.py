"""Shared helpers of the hardening tests: a small valid run, hostile files built in tmp_path,
and the CLI's "one clean line" check."""
from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from ganalyze.cli import main


def frame(n: int = 60, every: int = 1, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"step": np.arange(n, dtype=np.int64) * every,
                         "d_loss": 1.3 + 0.2 * rng.standard_normal(n),
                         "g_loss": 0.8 + 0.2 * rng.standard_normal(n)})


GOOD_META = {"schema_version": 1, "loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}


def write_parquet(path, table: pa.Table, meta=GOOD_META):
    """``table`` to ``path`` with ``meta`` (a dict, or raw bytes) as the ganalyze metadata."""
    if meta is not None:
        raw = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
        table = table.replace_schema_metadata({b"ganalyze": raw})
    pq.write_table(table, path)
    return path


def run_dir(path, n: int = 60):
    path.mkdir(parents=True, exist_ok=True)
    write_parquet(path / "run.parquet", pa.Table.from_pandas(frame(n), preserve_index=False))
    return path


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels with one tiny IDAT (an image bomb's head)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def cli(args) -> "click.testing.Result":  # noqa: F821
    return CliRunner().invoke(main, [str(a) for a in args])


def assert_clean_error(result, *needles):
    """Exit 2, exactly one stderr line ``ganalyze: error: ...`` containing every needle."""
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ganalyze: error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]



def assert_no_raw_stderr(result):
    """Every stderr line is ours (``ganalyze: ...`` or progress), never a raw Python warning."""
    for ln in result.stderr.splitlines():
        if ln.strip():
            assert ln.startswith(("ganalyze: ", "report: ")), result.stderr
