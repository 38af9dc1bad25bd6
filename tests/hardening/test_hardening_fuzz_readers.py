"""Property tests (hypothesis) of the readers and the metadata schema: whatever the bytes or
values, the result is a valid run frame or one GanalyzeError line, never another exception,
never a raw warning, and never more memory than the rows need."""
from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hostile import write_parquet
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.runlog.schema import meta_from_json, normalise_meta
from ganalyze.validate import MAX_ABS_VALUE, MAX_JSON_DEPTH, validate_frame, validate_meta

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_CELLS = st.one_of(
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "nan", "inf", "-inf", "NaN", "1e308", "-1e999", "x", "2024-01-01 00:00:00",
                     "18446744073709551615", " 1 ", "1,5", '"', "\x00"]),
)
_HEADERS = st.lists(st.sampled_from(["step", "d_loss", "g_loss", "Loss_D", "errG", "iter", "d_x", "time",
                                     "junk", "D(G(z))"]), min_size=1, max_size=6)


def _read(path):
    """read_run under 'every warning is an error' except our own one-line UserWarnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UserWarning)      # our own one-line notices
        try:
            return read_run(path)
        except GanalyzeError as err:
            assert "\n" not in str(err)
            return None


def _check_valid(df):
    assert df["step"].dtype == np.int64
    s = df["step"].to_numpy()
    assert (s[1:] > s[:-1]).all()                                  # no np.diff: it wraps at the int64 limits
    for c in df.columns:
        if c != "step":
            x = df[c].to_numpy()
            assert x.dtype == np.float64
            finite = x[np.isfinite(x)]
            assert (np.abs(finite) <= MAX_ABS_VALUE).all()
    validate_meta(df.attrs)


@SETTINGS
@given(header=_HEADERS, rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), max_size=12))
@example(header=["step", "d_loss", "g_loss"], rows=[["0", "x"]])       # a text D loss beside an empty G column
def test_any_csv_reads_or_is_refused_in_one_line(tmp_path, header, rows):
    p = tmp_path / "run.csv"
    p.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\n", encoding="utf-8",
                 errors="surrogatepass")
    df = _read(p)
    if df is not None:
        _check_valid(df)


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".log", ".parquet", ".txt", ""]))
def test_any_bytes_read_or_are_refused_in_one_line(tmp_path, data, suffix):
    p = tmp_path / f"blob{suffix}"
    p.write_bytes(data)
    df = _read(p)
    if df is not None:
        _check_valid(df)


_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2 ** 64), 2 ** 64))


@SETTINGS
@given(steps=st.lists(st.one_of(st.integers(-(2 ** 63), 2 ** 64 - 1), st.floats()), min_size=1, max_size=20),
       loss=st.lists(_NUMBERS, min_size=1, max_size=20))
def test_any_step_and_loss_values(steps, loss):
    n = min(len(steps), len(loss))
    df = pd.DataFrame({"step": pd.Series(steps[:n], dtype=object), "d_loss": pd.Series(loss[:n], dtype=object),
                       "g_loss": np.ones(n)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UserWarning)     # "read as overflow": tested elsewhere
        try:
            out = validate_frame(df)
        except GanalyzeError as err:
            assert "\n" not in str(err)
            return
    _check_valid(out)
    ints = [s for s in steps[:n]]
    assert sorted(int(s) for s in ints) == out["step"].tolist()      # no wrapping, no rounding


@SETTINGS
@given(steps=st.lists(st.integers(0, 2 ** 64 - 1), min_size=1, max_size=10, unique=True))
def test_parquet_uint64_steps_never_wrap(tmp_path, steps):
    t = pa.table({"step": pa.array(steps, type=pa.uint64()), "d_loss": [1.0] * len(steps), "g_loss": [1.0] * len(steps)})
    df = _read(write_parquet(tmp_path / "u.parquet", t))
    if max(steps) >= 2 ** 63:
        assert df is None
    else:
        assert df["step"].tolist() == sorted(steps)


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20,
)
_META_KEYS = st.sampled_from(["loss", "d_loss_reduction", "scores", "declared", "inferred", "hparams", "seed",
                              "tb_tags", "versions", "arch", "n_epochs", "schema_version", "free"])


@SETTINGS
@given(meta=st.dictionaries(_META_KEYS, _JSON, max_size=6))
def test_metadata_is_valid_or_refused(meta):
    try:
        out = normalise_meta(meta, loss="nsgan")
    except GanalyzeError as err:
        assert "\n" not in str(err)
        return
    assert out["loss"] == "nsgan" and "loss" in out["declared"]
    text = json.dumps(out, allow_nan=False)          # what is accepted is plain, finite JSON
    assert validate_meta(json.loads(text)) == json.loads(text)


def test_a_metadata_key_with_a_line_break_is_quoted_in_the_one_line_error():
    with pytest.raises(GanalyzeError, match=r"meta.loss\['\\n'\]: inf") as err:
        normalise_meta({"loss": {"\n": math.inf}}, loss="nsgan")
    assert "\n" not in str(err.value)


@SETTINGS
@given(depth=st.integers(0, 3000), kind=st.sampled_from(["[", '{"a":']))
def test_metadata_depth_limit_never_recurses(depth, kind):
    doc = b'{"x": ' + (kind * depth + "1" + ("]" if kind == "[" else "}") * depth).encode() + b"}"
    if depth + 1 <= MAX_JSON_DEPTH:              # the outer object is one level
        assert "x" in meta_from_json(doc)
    else:
        with pytest.raises(GanalyzeError, match=f"nested {depth + 1} levels deep"):
            meta_from_json(doc)


@pytest.mark.parametrize("raw,needle", [
    (b'{"loss": "nsgan", "x": NaN}', "NaN"), (b'{"declared": 3}', "declared: 3"), (b"[1, 2]", "a list"),
    (b'{"loss": 3}', "metadata.loss: 3"), (b'{"hparams": [1]}', "hparams: a list"), (b'{"seed": "x"}', "seed"),
    (b'{"tb_tags": {"a": 1}}', "tb_tags"), (b'{"inferred": ["loss", {}]}', "inferred"),
    (b'{"h": {"lr": Infinity}}', "Infinity"),
])
def test_metadata_classes_from_the_issue(tmp_path, raw, needle):
    t = pa.table({"step": [0, 1], "d_loss": [1.0, 1.0], "g_loss": [1.0, 1.0]})
    with pytest.raises(GanalyzeError, match="allowed") as err:
        read_run(write_parquet(tmp_path / "m.parquet", t, raw))
    assert needle in str(err.value)


def test_object_steps_mixing_floats_and_big_ints_stay_exact():
    """Found by the test above: an int 2**53 + 1 beside a float went through float64 and lost 1."""
    df = pd.DataFrame({"step": pd.Series([0.0, 2 ** 53 + 1], dtype=object), "d_loss": [0.0, 0.0], "g_loss": [1.0, 1.0]})
    assert validate_frame(df)["step"].tolist() == [0, 2 ** 53 + 1]
