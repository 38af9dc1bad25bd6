"""Fuzz every command with hostile inputs and count the outcomes per class.

    python scripts/fuzz.py --n 5000 --seed 0            # the issue's long run
    python scripts/fuzz.py --n 200 --commands summary,diagnose

Each input is built (seeded) from one of the hostile kinds below: run files and folders
(CSV, Parquet, console logs, TensorBoard events, run directories with FIFOs, symlink loops,
hostile metadata, config.json and sample PNGs) and checkpoints (hostile ``arch``/``config``
entries, truncated or foreign files, a malicious pickle). Every command that takes the input
runs on it in a forked child of this process (ganalyze, torch and matplotlib imported once, so
a run costs only its own work), with a wall-clock limit (``--timeout``, default 60 s) and its
peak resident memory measured (``wait4``'s ``ru_maxrss``, which includes the ~0.5 GB of
imported libraries the child shares with this process; a child passing ``--kill-gb`` is killed).

Outcome classes (one per run):
  ok           exit 0 (and the kind allows success)
  clean-error  exit 2 with exactly one ``ganalyze: error:`` line and nothing else unexpected
  traceback    a Python traceback, or any other exit status / signal
  hang         still running after ``--timeout`` seconds (killed)
  silently-wrong  exit 0 on an input of a checked class that must be refused
                  (timestamp loss, uint64 step > 2**63, duplicated columns, NaN metadata, ...),
                  or exit 0 without the warning a kind must give (duplicate steps: kept last,
                  with one ``ganalyze: warning:`` line)
  memory>2GB   peak RSS above ``--mem-gb`` (default 2)
  raw-stderr   exit 0/2 but stderr has a line that is neither ``ganalyze:`` nor progress
               (a raw Python warning, a library's print)
  numeric-warning  a ``ganalyze: warning:`` line that is a RuntimeWarning (overflow,
               divide by zero, empty slice) -- handled, but not where it arose
  refused-valid  exit 2 on an input of a kind that must be read (a valid run, a documented
               fallback such as kept-last duplicate steps)
``--jobs J`` runs J inputs at once in forked workers (each input is drawn from its own seed, so
the inputs and their classes do not depend on J; only the timing does). ``--max-seconds S``
starts no input after S seconds and prints the counts of the inputs run (``inputs: k of n``).
Printed: counts per class (overall and per command), peak memory, the first examples of every
class other than ok/clean-error; last line ``name=value ...``.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import pickle
import random
import shutil
import signal
import struct
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

RUN_COMMANDS = ("summary", "diagnose", "diagnose --json", "report")
CKPT_COMMANDS = ("surface", "diversity", "diagnose --with-samples")
ALL_COMMANDS = RUN_COMMANDS + CKPT_COMMANDS


# ---- building blocks ------------------------------------------------------------------------
def _frame(rng: random.Random, n: int | None = None, every: int = 1) -> pd.DataFrame:
    n = n or rng.randint(20, 400)
    r = np.random.default_rng(rng.randrange(2 ** 32))
    return pd.DataFrame({
        "step": np.arange(n, dtype=np.int64) * every,
        "d_loss": 1.3 + 0.2 * r.standard_normal(n),
        "g_loss": 0.8 + 0.2 * r.standard_normal(n),
        "d_x": np.clip(0.7 + 0.1 * r.standard_normal(n), 0, 1),
        "d_g_z1": np.clip(0.3 + 0.1 * r.standard_normal(n), 0, 1),
    })


def _meta_bytes(meta) -> bytes:
    return json.dumps(meta).encode() if not isinstance(meta, bytes) else meta


def _parquet(path: Path, table: pa.Table, meta=None) -> Path:
    if meta is not None:
        table = table.replace_schema_metadata({b"ganalyze": _meta_bytes(meta)})
    pq.write_table(table, path)
    return path


def _good_meta() -> dict:
    return {"schema_version": 1, "loss": "nsgan", "d_loss_reduction": "sum", "scores": "probability"}


def _png_header(w: int, h: int) -> bytes:
    """A PNG whose header claims w x h pixels, with one tiny IDAT (an 'image bomb' header)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def _valid_png(path: Path) -> None:
    from PIL import Image

    Image.fromarray((np.arange(64 * 64) % 255).astype(np.uint8).reshape(64, 64)).save(path)


def _run_dir(d: Path, rng: random.Random, meta=None) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    _parquet(d / "run.parquet", pa.Table.from_pandas(_frame(rng), preserve_index=False),
             meta if meta is not None else _good_meta())
    return d


# ---- run inputs: (kind, expect) -> builder(rng, dir) -> path ---------------------------------
def k_csv_ok(rng, d):
    p = d / "run.csv"
    _frame(rng, every=rng.choice([1, 5, 50])).to_csv(p, index=False)
    return p


def k_csv_step_gap(rng, d):
    f = _frame(rng)
    f.loc[len(f) - 1, "step"] = rng.choice([10 ** 9, 10 ** 13, 2 ** 62, 2 ** 63 - 1])
    p = d / "gap.csv"
    f.to_csv(p, index=False)
    return p


def k_csv_bad_step(rng, d):
    f = _frame(rng).astype({"step": object})
    f.loc[rng.randrange(len(f)), "step"] = rng.choice(["inf", "-inf", "1e20", "99999999999999999999",
                                                       "18446744073709551615", "nan", "1.5", "-1e19"])
    p = d / "badstep.csv"
    f.to_csv(p, index=False)
    return p


def k_csv_huge_values(rng, d):
    f = _frame(rng)
    r = np.random.default_rng(rng.randrange(2 ** 32))
    col = rng.choice(["d_loss", "g_loss", "d_x"])
    idx = r.choice(len(f), size=max(1, len(f) // rng.choice([2, 10, 100])), replace=False)
    f.loc[idx, col] = rng.choice([1e308, -1e308, 1.7e308, 1e200, float("inf"), float("nan"), 5e-324])
    p = d / "huge.csv"
    f.to_csv(p, index=False)
    return p


def k_csv_timestamp_loss(rng, d):
    f = _frame(rng)
    f["d_loss"] = pd.date_range("2024-01-01", periods=len(f), freq="s").astype(str)
    p = d / "ts.csv"
    f.to_csv(p, index=False)
    return p


def k_csv_dup_columns(rng, d):
    f = _frame(rng)
    col = rng.choice(["d_loss", "g_loss", "step"])
    text = f.to_csv(index=False).splitlines()
    header = text[0].split(",")
    i = header.index(col)
    lines = [",".join(header + [col])] + [ln + "," + ln.split(",")[i] for ln in text[1:]]
    p = d / "dup.csv"
    p.write_text("\n".join(lines) + "\n")
    return p


def k_csv_mutated(rng, d):
    data = bytearray(_frame(rng).to_csv(index=False).encode())
    for _ in range(rng.randint(1, 8)):
        op = rng.choice(["flip", "cut", "insert", "dupline"])
        if op == "flip" and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == "cut" and data:
            del data[rng.randrange(len(data)):]
        elif op == "insert":
            pos = rng.randrange(len(data) + 1)
            data[pos:pos] = rng.choice([b",", b"\n", b"\x00", b"nan", b"1e999", b"\"", b";", b"\t", b"\xff\xfe"])
        elif op == "dupline":
            lines = bytes(data).split(b"\n")
            j = rng.randrange(len(lines))
            lines.insert(j, lines[j])
            data = bytearray(b"\n".join(lines))
    p = d / "mutated.csv"
    p.write_bytes(bytes(data))
    return p


def k_console(rng, d):
    n = rng.randint(5, 60)
    epoch_hi = rng.choice([5, 10 ** 6, 10 ** 12, 10 ** 19])
    vals = [rng.choice(["0.693", "1.2", "inf", "nan", "1e308", "-1e308", "0.5"]) for _ in range(5 * n)]
    lines = [f"[{i // 10}/{epoch_hi}][{(i % 10) * 50}/500]\tLoss_D: {vals[5*i]}\tLoss_G: {vals[5*i+1]}\t"
             f"D(x): {vals[5*i+2]}\tD(G(z)): {vals[5*i+3]} / {vals[5*i+4]}" for i in range(n)]
    if rng.random() < 0.5:
        lines.append(lines[-1][: rng.randrange(len(lines[-1]))])
    p = d / "train.log"
    p.write_text("Starting Training Loop...\n" + "\n".join(lines) + "\n")
    return p


def k_pq_ok(rng, d):
    return _parquet(d / "ok.parquet", pa.Table.from_pandas(_frame(rng), preserve_index=False), _good_meta())


def k_pq_steps_extreme(rng, d):
    f = _frame(rng, n=rng.randint(5, 50))
    base = rng.choice([2 ** 63 - 10 ** 6, -(2 ** 63), 2 ** 62, 0])
    spacing = rng.choice([1, 1000, 2 ** 40])
    f["step"] = np.array([min(base + i * spacing, 2 ** 63 - 1) for i in range(len(f))], dtype=np.int64)
    f = f.drop_duplicates("step")
    return _parquet(d / "extreme.parquet", pa.Table.from_pandas(f, preserve_index=False), _good_meta())


def k_pq_uint64_big(rng, d):
    f = _frame(rng, n=10)
    steps = np.arange(10, dtype=np.uint64)
    steps[-1] = np.uint64(2 ** 63 + rng.randrange(1000))
    t = pa.table({"step": pa.array(steps), "d_loss": f["d_loss"], "g_loss": f["g_loss"]})
    return _parquet(d / "u64.parquet", t, _good_meta())


def k_pq_timestamp_loss(rng, d):
    f = _frame(rng, n=10)
    col = rng.choice(["d_loss", "g_loss", "d_x"])
    t = pa.Table.from_pandas(f, preserve_index=False)
    i = t.schema.get_field_index(col)
    kind = rng.choice(["ts", "dur", "date"])
    arr = {"ts": pa.array(pd.date_range("2024-01-01", periods=10, freq="s")),
           "dur": pa.array(pd.to_timedelta(np.arange(10), unit="s")),
           "date": pa.array(pd.date_range("2024-01-01", periods=10).date)}[kind]
    t = t.set_column(i, col, arr)
    return _parquet(d / "ts.parquet", t, _good_meta())


def k_pq_dup_columns(rng, d):
    f = _frame(rng, n=10)
    col = rng.choice(["d_loss", "g_loss", "step", "d_x"])
    arrays = [pa.array(f[c]) for c in f.columns] + [pa.array(f[col])]
    t = pa.Table.from_arrays(arrays, names=list(f.columns) + [col])
    return _parquet(d / "dup.parquet", t, _good_meta())


def k_pq_bad_steps(rng, d):
    f = _frame(rng, n=10)
    kind = rng.choice(["string", "null", "float-inf", "float-frac", "bool"])
    cols = {c: pa.array(f[c]) for c in f.columns}
    if kind == "string":
        cols["step"] = pa.array([str(i) if i != 3 else "x" for i in range(10)])
    elif kind == "null":
        cols["step"] = pa.array([None] * 10, type=pa.int64())
    elif kind == "float-inf":
        cols["step"] = pa.array([float(i) if i != 5 else float("inf") for i in range(10)])
    elif kind == "float-frac":
        cols["step"] = pa.array([i + 0.5 for i in range(10)])
    else:
        cols["step"] = pa.array([bool(i % 2) for i in range(10)])
    return _parquet(d / "badstep.parquet", pa.table(cols), _good_meta())


def k_pq_no_step(rng, d):
    """No step column: documented fallback (docs/run_format.md): the row number is the step."""
    f = _frame(rng, n=rng.randint(10, 60)).drop(columns="step")
    return _parquet(d / "nostep.parquet", pa.Table.from_pandas(f, preserve_index=False), _good_meta())


def k_pq_dup_steps(rng, d):
    """A restarted run: some steps written again. Documented (issue #12, docs/run_format.md): the
    last write is kept, with one warning; exit 0 *without* that warning is silently wrong."""
    f = _frame(rng, n=rng.randint(20, 200))
    back = rng.randint(1, len(f) // 2)
    again = f.iloc[len(f) - back:].copy()
    again["d_loss"] += 1.0
    if rng.random() < 0.5:
        again = again.iloc[: rng.randint(1, len(again))]
    f = pd.concat([f, again], ignore_index=True)
    return _parquet(d / "dupsteps.parquet", pa.Table.from_pandas(f, preserve_index=False), _good_meta())


def k_pq_bad_meta(rng, d):
    # (JSON ``null`` metadata is read as "no metadata", like an absent key: not hostile)
    kind = rng.choice(["nan", "deep", "declared-int", "list", "int", "loss-int", "hparams-list",
                       "tb_tags-int", "seed-str", "inferred-junk", "not-json", "deep-dict", "inf"])
    meta = {
        "nan": b'{"loss": "nsgan", "d_loss_reduction": "sum", "lr": NaN}',
        "inf": b'{"loss": "nsgan", "hparams": {"lr": Infinity}}',
        "deep": b"[" * 20000 + b"]" * 20000,
        "deep-dict": (b'{"a":' * 5000) + b"1" + b"}" * 5000,
        "declared-int": {"declared": 3},
        "list": [1, 2, 3],
        "int": 7,
        "loss-int": {"loss": 3},
        "hparams-list": {"hparams": [1, 2]},
        "tb_tags-int": {"tb_tags": {"a": 1}},
        "seed-str": {"seed": "abc"},
        "inferred-junk": {"inferred": ["loss", {"x": 1}]},
        "not-json": b"{not json",
    }[kind]
    t = pa.Table.from_pandas(_frame(rng, n=20), preserve_index=False)
    return _parquet(d / "meta.parquet", t, meta)


def k_dir_special(rng, d):
    kind = rng.choice(["fifo", "loop", "dir", "longname", "dangling", "fifo-part", "loop-part", "fifo-tb"])
    run = d / "run"
    run.mkdir()
    if kind == "fifo":
        os.mkfifo(run / "run.parquet")
    elif kind == "loop":
        os.symlink("run.parquet", run / "run.parquet")
    elif kind == "dir":
        (run / "run.parquet").mkdir()
    elif kind == "dangling":
        os.symlink("nowhere.parquet", run / "run.parquet")
    elif kind == "longname":
        return run / ("x" * 300) / "run.parquet"
    elif kind in ("fifo-part", "loop-part"):
        _run_dir(run, rng)
        parts = run / "run.parquet.parts"
        parts.mkdir()
        if kind == "fifo-part":
            os.mkfifo(parts / "part-000001.parquet")
        else:
            os.symlink("part-000001.parquet", parts / "part-000001.parquet")
    elif kind == "fifo-tb":
        os.mkfifo(run / "events.out.tfevents.1.host")
    return run


def k_dir_parts(rng, d):
    """A live run's parts with a different schema / missing step / string steps (store's domain)."""
    run = _run_dir(d / "run", rng)
    parts = run / "run.parquet.parts"
    parts.mkdir()
    f = _frame(rng, n=10)
    f["step"] += 10 ** 4
    kind = rng.choice(["nostep", "string", "allnull", "schema"])
    if kind == "nostep":
        t = pa.Table.from_pandas(f.drop(columns="step"), preserve_index=False)
    elif kind == "string":
        t = pa.Table.from_pandas(f.astype({"step": str}), preserve_index=False)
    elif kind == "allnull":
        t = pa.table({"step": pa.array([None] * 10, type=pa.int64()), "d_loss": f["d_loss"], "g_loss": f["g_loss"]})
    else:
        t = pa.table({"step": f["step"], "d_loss": f["d_loss"].astype(str), "g_loss": f["g_loss"], "zz": f["d_x"]})
    _parquet(parts / "part-000001.parquet", t, _good_meta())
    return run


def k_dir_config(rng, d):
    run = _run_dir(d / "run", rng)
    kind = rng.choice(["list", "int", "null", "deep", "nan", "ring-huge", "arch-huge", "not-json", "dir", "fifo"])
    cfg = run / "config.json"
    if kind == "dir":
        cfg.mkdir()
    elif kind == "fifo":
        os.mkfifo(cfg)
    else:
        cfg.write_text({"list": "[1, 2]", "int": "3", "null": "null", "deep": "[" * 50000 + "]" * 50000,
                        "nan": '{"lr": NaN}', "ring-huge": '{"ring_modes": 1000000000}',
                        "arch-huge": '{"arch_spec": {"name": "mlp", "latent_dim": 1000000000}}',
                        "not-json": "{oops"}[kind])
    return run


def k_dir_samples(rng, d):
    run = _run_dir(d / "run", rng)
    s = run / "samples"
    s.mkdir()
    _valid_png(s / "step_000000.png")
    kind = rng.choice(["corrupt", "empty", "dir", "loop", "bomb", "fifo", "truncated", "jpeg"])
    bad = s / "step_000100.png"
    if kind == "corrupt":
        bad.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "dir":
        bad.mkdir()
    elif kind == "loop":
        os.symlink(bad.name, bad)
    elif kind == "bomb":
        bad.write_bytes(_png_header(30000, 30000))
    elif kind == "fifo":
        os.mkfifo(bad)
    elif kind == "truncated":
        _valid_png(bad)
        bad.write_bytes(bad.read_bytes()[:60])
    else:
        from PIL import Image
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(bad, format="JPEG")
    return run


def k_tb(rng, d):
    from torch.utils.tensorboard import SummaryWriter

    run = d / "tb"
    kind = rng.choice(["step-tag", "big-steps", "ok", "huge-values"])
    w = SummaryWriter(str(run))
    n = rng.randint(5, 40)
    for i in range(n):
        s = i * (10 ** 13 if kind == "big-steps" else 1)
        w.add_scalar("Loss/D", 1e308 if kind == "huge-values" and i % 3 == 0 else 1.3, s)
        w.add_scalar("Loss/G", 0.7, s)
        if kind == "step-tag":
            w.add_scalar("step", float(i), s)
    w.close()
    return run


RUN_KINDS = {
    # name: (builder, expect)   expect: "ok" must succeed, "error" must be refused, "any" either,
    # "warn:TEXT" must succeed with a ``ganalyze: warning:`` line containing TEXT
    "csv_ok": (k_csv_ok, "ok"),
    "csv_step_gap": (k_csv_step_gap, "ok"),
    "csv_bad_step": (k_csv_bad_step, "error"),
    "csv_huge_values": (k_csv_huge_values, "ok"),
    "csv_timestamp_loss": (k_csv_timestamp_loss, "error"),
    "csv_dup_columns": (k_csv_dup_columns, "error"),
    "csv_mutated": (k_csv_mutated, "any"),
    "console": (k_console, "any"),
    "pq_ok": (k_pq_ok, "ok"),
    "pq_steps_extreme": (k_pq_steps_extreme, "ok"),
    "pq_uint64_big": (k_pq_uint64_big, "error"),
    "pq_timestamp_loss": (k_pq_timestamp_loss, "error"),
    "pq_dup_columns": (k_pq_dup_columns, "error"),
    "pq_bad_steps": (k_pq_bad_steps, "error"),
    "pq_no_step": (k_pq_no_step, "ok"),
    "pq_dup_steps": (k_pq_dup_steps, "warn:replaced by a later write"),
    "pq_bad_meta": (k_pq_bad_meta, "error"),
    "dir_special": (k_dir_special, "error"),
    "dir_parts": (k_dir_parts, "any"),
    "dir_config": (k_dir_config, "ok"),
    "dir_samples": (k_dir_samples, "ok"),
    "tb": (k_tb, "any"),
}


# ---- checkpoints ----------------------------------------------------------------------------
class _Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/ganalyze_fuzz_pwned",))


def _ckpt_pair(d: Path, seed: int) -> tuple[Path, Path]:
    import torch

    from ganalyze.train.checkpoint import save_checkpoint
    from ganalyze.train.models import arch_spec, build_discriminator, build_generator

    torch.manual_seed(seed)
    spec = arch_spec("mlp2d")
    config = {"dataset": "ring8", "arch": "mlp2d", "loss": "nsgan"}
    g = save_checkpoint(d / "gen.pth", build_generator(spec), role="generator", arch=spec, loss="nsgan",
                        step=100, config=config)
    dd = save_checkpoint(d / "disc.pth", build_discriminator(spec), role="discriminator", arch=spec,
                         loss="nsgan", step=100, config=config)
    return g, dd


def _rewrite(path: Path, change) -> None:
    import torch

    obj = torch.load(path, weights_only=True)
    change(obj)
    torch.save(obj, path)


CKPT_MUTATIONS = {
    # name: (change, expect)
    "valid": (None, "ok"),
    "latent_1e9": (lambda o: o["arch"].update(latent_dim=10 ** 9), "error"),
    "img_1e4": (lambda o: o["arch"].update(name="mlp", img_shape=[1, 10 ** 4, 10 ** 4]), "error"),
    "latent_str": (lambda o: o["arch"].update(latent_dim="16"), "error"),
    "latent_none": (lambda o: o["arch"].update(latent_dim=None), "error"),
    "latent_neg": (lambda o: o["arch"].update(latent_dim=-4), "error"),
    "latent_dict": (lambda o: o["arch"].update(latent_dim={"a": 1}), "error"),
    "hidden_huge": (lambda o: o["arch"].update(hidden=10 ** 7), "error"),
    "name_dict": (lambda o: o["arch"].update(name={"x": 1}), "error"),
    "arch_list": (lambda o: o.update(arch=[1, 2]), "error"),
    "config_list": (lambda o: o.update(config=[1, 2]), "error"),
    "ring_1e9": (lambda o: o["config"].update(ring_modes=10 ** 9), "error"),
    "ring_std_nan": (lambda o: o["config"].update(ring_std=float("nan")), "error"),
    "step_str": (lambda o: o.update(step="abc"), "error"),
    "role_swap": (lambda o: o.update(role="discriminator"), "error"),
    "version_99": (lambda o: o.update(format_version=99), "error"),
    "shape_wrong": (lambda o: o["state_dict"].update({k: v[:1] for k, v in list(o["state_dict"].items())[:1]}), "error"),
    "nan_weights": (lambda o: [v.fill_(float("nan")) for v in list(o["state_dict"].values())[:1]], "any"),
}
CKPT_FILE_MUTATIONS = ("truncated", "random", "empty", "evil-pickle", "fifo", "dir", "zip-junk")


def build_ckpt_case(rng: random.Random, d: Path, name: str):
    """Returns (gen, disc, run_dir, expect) with gen.pth mutated by ``name``."""
    g, dd = _ckpt_pair(d, rng.randrange(1000))
    if name in CKPT_MUTATIONS:
        change, expect = CKPT_MUTATIONS[name]
        if change is not None:
            _rewrite(g, change)
    else:
        expect = "error"
        data = g.read_bytes()
        g.unlink()
        if name == "truncated":
            g.write_bytes(data[: rng.randrange(1, len(data))])
        elif name == "random":
            g.write_bytes(os.urandom(rng.randint(1, 4096)))
        elif name == "empty":
            g.write_bytes(b"")
        elif name == "evil-pickle":
            g.write_bytes(pickle.dumps({"format": "ganalyze-checkpoint", "x": _Evil()}))
        elif name == "fifo":
            os.mkfifo(g)
        elif name == "dir":
            g.mkdir()
        else:
            g.write_bytes(b"PK\x03\x04" + os.urandom(300))
    _parquet(d / "run.parquet", pa.Table.from_pandas(_frame(rng), preserve_index=False), _good_meta())
    return g, dd, d, expect


# ---- running one command in a forked child --------------------------------------------------
def _child(args: list[str], out: Path, err: Path, cwd: Path) -> None:
    os.chdir(cwd)
    fo = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    fe = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fo, 1)
    os.dup2(fe, 2)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", 0), write_through=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", 0), write_through=True)
    code = 1
    try:
        import torch

        torch.set_num_threads(1)
        from ganalyze.cli import main

        main(args, prog_name="ganalyze", standalone_mode=True)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(code)


def run_one(args: list[str], work: Path, timeout: float, kill_gb: float) -> dict:
    out, err = work / "stdout.txt", work / "stderr.txt"
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(args, out, err, work)
    status, usage, hung, killed_mem = None, None, False, False
    while True:
        wpid, status, usage = os.wait4(pid, os.WNOHANG)
        if wpid == pid:
            break
        if time.monotonic() - t0 > timeout:
            hung = True
        else:
            try:
                rss_kb = int(next(ln for ln in open(f"/proc/{pid}/status") if ln.startswith("VmRSS")).split()[1])
            except (OSError, StopIteration, ValueError):
                rss_kb = 0
            killed_mem = rss_kb > kill_gb * 2 ** 20
        if hung or killed_mem:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.01)
    return {"status": status, "peak_mb": usage.ru_maxrss / 1024, "hung": hung, "killed_mem": killed_mem,
            "stderr": err.read_text(errors="replace") if err.exists() else "",
            "seconds": time.monotonic() - t0}


def classify(res: dict, expect: str, mem_gb: float) -> str:
    if res["hung"]:
        return "hang"
    if res["killed_mem"] or res["peak_mb"] > mem_gb * 1024:
        return "memory>2GB"
    st = res["status"]
    code = os.WEXITSTATUS(st) if os.WIFEXITED(st) else -1
    err = res["stderr"]
    if "Traceback (most recent call last)" in err or code not in (0, 2):
        return "traceback"
    lines = [ln for ln in err.replace("\r", "\n").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ganalyze: error:")]
    if code == 0 and expect == "error":
        return "silently-wrong"
    if code == 0 and expect.startswith("warn:") and not any(
            ln.startswith("ganalyze: warning:") and expect[5:] in ln for ln in lines):
        return "silently-wrong"
    if code == 2 and len(errors) != 1:
        return "traceback"
    other = [ln for ln in lines if not ln.startswith("ganalyze: ") and not _is_progress(ln)]
    if other:
        return "raw-stderr"
    if any(ln.startswith("ganalyze: warning:") and "Warning)" in ln and "UserWarning" not in ln for ln in lines):
        return "numeric-warning"
    if code == 2 and (expect == "ok" or expect.startswith("warn:")):
        return "refused-valid"
    return "ok" if code == 0 else "clean-error"


def _is_progress(line: str) -> bool:
    return ("it/s" in line or "s/it" in line or "%|" in line or line.startswith("report: ")
            or line.startswith("wrote ") or line.startswith("surface (alpha rows)")
            or line.startswith("checkpoints:"))


def command_args(cmd: str, target: Path, out: Path, ckpt=None) -> list[str]:
    if cmd == "summary":
        return ["summary", str(target)]
    if cmd == "diagnose":
        return ["diagnose", str(target)]
    if cmd == "diagnose --json":
        return ["diagnose", "--json", str(target)]
    if cmd == "report":
        return ["report", str(target), "-o", str(out / "report"), "--format", "png", "--dpi", "30"]
    g, d, run = ckpt
    if cmd == "surface":
        return ["surface", str(g), str(d), "--grid", "3", "--samples", "16", "--no-path",
                "--directions", "random", "-o", str(out / "surface")]
    if cmd == "diversity":
        return ["diversity", str(g), "--n", "20", "-o", str(out / "div")]
    return ["diagnose", "--with-samples", str(run)]


#: Modules the commands import lazily, imported once in this process before any child forks
#: (a child importing torchvision for ``diversity`` took ~4 s of every input's time).
PRELOAD = ("torch.utils.tensorboard", "ganalyze.cli", "ganalyze.diagnose", "ganalyze.diagnose.samples",
           "ganalyze.diversity.run", "ganalyze.diversity.output", "ganalyze.diversity.plots",
           "ganalyze.report", "ganalyze.report.build", "ganalyze.report.plots", "ganalyze.report.prepare",
           "ganalyze.runlog.summary", "ganalyze.surface.api", "ganalyze.surface.plots", "ganalyze.train.models",
           "matplotlib.backends.backend_agg", "PIL.PngImagePlugin", "PIL.JpegImagePlugin")


def _preload() -> None:
    import importlib

    import torch

    torch.set_num_threads(1)
    import matplotlib

    matplotlib.use("Agg")
    for name in PRELOAD:
        importlib.import_module(name)
    import gc

    gc.collect()
    gc.freeze()     # children never walk (and so never copy) the parent's objects in their GC


def draw_plan(n: int, seed: int, use_ckpt_cmds: bool, use_run_cmds: bool, ckpt_share: float) -> list[tuple]:
    """(input number, checkpoint or not, case seed) for every input: the same draws whatever
    ``--jobs`` or ``--only``, so an input number always names the same input."""
    rng = random.Random(seed)
    plan = []
    for i in range(n):
        use_ckpt = bool(use_ckpt_cmds and (not use_run_cmds or rng.random() < ckpt_share))
        plan.append((i, use_ckpt, rng.randrange(2 ** 63)))
    return plan


def run_case(i: int, use_ckpt: bool, case_seed: int, root: Path, opts, run_cmds, ck_cmds) -> dict:
    """Build input ``i`` and run every command on it; returns its kind and one record per command."""
    case_rng = random.Random(case_seed)
    case_dir = root / f"case{i:05d}"
    case_dir.mkdir()
    if use_ckpt:
        kind = case_rng.choice(list(CKPT_MUTATIONS) + list(CKPT_FILE_MUTATIONS))
        g, d, run, expect = build_ckpt_case(case_rng, case_dir, kind)
        kind = f"ckpt_{kind}"
        jobs = [(c, command_args(c, None, case_dir, (g, d, run))) for c in ck_cmds]
    else:
        kind = case_rng.choice(list(RUN_KINDS))
        builder, expect = RUN_KINDS[kind]
        target = builder(case_rng, case_dir)
        jobs = [(c, command_args(c, target, case_dir)) for c in run_cmds]
    records = []
    for cmd, args in jobs:
        res = run_one(args, case_dir, opts.timeout, opts.kill_gb)
        tail = [ln for ln in res["stderr"].splitlines() if ln.strip()][-2:]
        records.append({"cmd": cmd, "cls": classify(res, expect, opts.mem_gb), "peak_mb": res["peak_mb"],
                        "seconds": res["seconds"], "tail": " | ".join(tail)[:300]})
    if not opts.keep:
        shutil.rmtree(case_dir, ignore_errors=True)
    return {"i": i, "kind": kind, "records": records}


def _worker(plan: list[tuple], out: Path, root: Path, opts, run_cmds, ck_cmds) -> None:
    """Forked worker: runs its share of the plan, one JSON line per input into ``out``."""
    code = 0
    try:
        with open(out, "w") as fh:
            for item in plan:
                if time.monotonic() > opts.stop_at:
                    break
                fh.write(json.dumps(run_case(*item, root, opts, run_cmds, ck_cmds)) + "\n")
                fh.flush()
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def run_plan(plan: list[tuple], jobs: int, root: Path, opts, run_cmds, ck_cmds):
    """Yield every input's result, ``jobs`` inputs at a time (forked workers, inputs dealt
    round-robin); results come back in input order per worker."""
    if jobs <= 1:
        for item in plan:
            if time.monotonic() > opts.stop_at:
                return
            yield run_case(*item, root, opts, run_cmds, ck_cmds)
        return
    outs, pids = [], []
    for w in range(jobs):
        out = root / f"worker{w}.jsonl"
        pid = os.fork()
        if pid == 0:
            _worker(plan[w::jobs], out, root, opts, run_cmds, ck_cmds)
        outs.append(out)
        pids.append(pid)
    offsets = [0] * jobs
    alive = set(pids)
    try:
        yield from _collect(outs, offsets, alive, pids)
    finally:
        for pid in alive:               # interrupted: stop the workers (their children end with them)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _collect(outs: list[Path], offsets: list[int], alive: set, pids: list[int]):
    while True:
        for w, out in enumerate(outs):
            if not out.exists():
                continue
            with open(out) as fh:
                fh.seek(offsets[w])
                for line in fh:
                    if not line.endswith("\n"):
                        break
                    offsets[w] += len(line)
                    yield json.loads(line)
        if not alive:
            break
        for pid in list(alive):
            wpid, status = os.waitpid(pid, os.WNOHANG)
            if wpid == pid:
                alive.discard(pid)
                if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                    raise SystemExit(f"fuzz: worker {pids.index(pid)} failed (status {status}); see its traceback above")
        time.sleep(0.2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="number of hostile inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--commands", default=",".join(ALL_COMMANDS), help="comma-separated subset of: " + ", ".join(ALL_COMMANDS))
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per command before it counts as a hang")
    ap.add_argument("--mem-gb", type=float, default=2.0, help="peak RSS above this counts as memory>2GB")
    ap.add_argument("--kill-gb", type=float, default=4.0, help="kill a child whose RSS passes this")
    ap.add_argument("--ckpt-share", type=float, default=0.25, help="share of inputs that are checkpoints")
    ap.add_argument("--examples", type=int, default=3, help="examples printed per bad class")
    ap.add_argument("--only", default="", help="comma-separated input numbers to run (the others are drawn, not built)")
    ap.add_argument("--jobs", type=int, default=1, help="inputs run at once (forked workers; same inputs, same classes)")
    ap.add_argument("--max-seconds", type=float, default=0.0,
                    help="start no new input after this many seconds (0: no limit); the counts cover the inputs run")
    ap.add_argument("--keep", action="store_true", help="keep the inputs (printed folder) for inspection")
    opts = ap.parse_args()
    commands = [c.strip() for c in opts.commands.split(",") if c.strip()]
    unknown = [c for c in commands if c not in ALL_COMMANDS]
    if unknown:
        ap.error(f"unknown command(s) {unknown}; allowed: {', '.join(ALL_COMMANDS)}")

    _preload()
    root = Path(tempfile.mkdtemp(prefix="ganalyze_fuzz_"))
    counts = Counter()
    per_cmd = defaultdict(Counter)
    per_kind = defaultdict(Counter)
    examples = defaultdict(list)
    peak = (0.0, "")
    t_start = time.monotonic()
    opts.stop_at = t_start + opts.max_seconds if opts.max_seconds > 0 else float("inf")
    run_cmds = [c for c in commands if c in RUN_COMMANDS]
    ck_cmds = [c for c in commands if c in CKPT_COMMANDS]
    only = {int(x) for x in opts.only.split(",") if x.strip()}
    plan = [p for p in draw_plan(opts.n, opts.seed, bool(ck_cmds), bool(run_cmds), opts.ckpt_share)
            if not only or p[0] in only]
    done = 0
    try:
        for result in run_plan(plan, opts.jobs, root, opts, run_cmds, ck_cmds):
            i, kind = result["i"], result["kind"]
            for rec in result["records"]:
                cmd, cls = rec["cmd"], rec["cls"]
                counts[cls] += 1
                per_cmd[cmd][cls] += 1
                per_kind[kind][cls] += 1
                if rec["peak_mb"] > peak[0]:
                    peak = (rec["peak_mb"], f"{kind} / {cmd}")
                if cls not in ("ok", "clean-error"):
                    examples[cls].append((i, f"input {i} {kind} / {cmd}: {rec['tail']}"))
            done += 1
            if done % 25 == 0:
                print(f"fuzz: {done}/{len(plan)} inputs, {sum(counts.values())} runs, "
                      f"{time.monotonic() - t_start:.0f} s", file=sys.stderr, flush=True)
    finally:
        if opts.keep:
            print(f"inputs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    pwned = Path("/tmp/ganalyze_fuzz_pwned").exists()
    classes = ["ok", "clean-error", "traceback", "hang", "silently-wrong", "memory>2GB", "raw-stderr",
               "numeric-warning", "refused-valid"]
    stopped = f", stopped by --max-seconds {opts.max_seconds:g}" if done < len(plan) else ""
    print(f"inputs: {done} of {opts.n} (seed {opts.seed}, jobs {opts.jobs}{stopped}); runs: {sum(counts.values())}; "
          f"{time.monotonic() - t_start:.0f} s; peak RSS {peak[0]:.0f} MiB ({peak[1]})")
    print("outcome counts:")
    for c in classes:
        print(f"  {c:16s} {counts[c]}")
    print("per command:")
    for cmd in commands:
        print(f"  {cmd:24s} " + ", ".join(f"{c} {per_cmd[cmd][c]}" for c in classes if per_cmd[cmd][c]))
    bad_kinds = {k: v for k, v in per_kind.items() if any(v[c] for c in classes[2:])}
    if bad_kinds:
        print("kinds with bad outcomes:")
        for k, v in sorted(bad_kinds.items()):
            print(f"  {k:24s} " + ", ".join(f"{c} {v[c]}" for c in classes if v[c]))
    for c in classes[2:]:
        for _, e in sorted(examples[c])[: opts.examples]:
            print(f"example {c}: {e}")
    bad_inputs = sorted({i for c in classes[2:] for i, _ in examples[c]})
    if bad_inputs:
        print(f"inputs with bad outcomes (rerun with --only): {','.join(map(str, bad_inputs))}")
    print(f"malicious pickle ran: {pwned}")
    print(" ".join(f"{c.replace('>', '_over_').replace('-', '_')}={counts[c]}" for c in classes)
          + f" peak_mb={peak[0]:.0f} inputs={done} seconds={time.monotonic() - t_start:.0f}")


if __name__ == "__main__":
    main()
