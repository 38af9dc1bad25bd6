"""Paths that are not regular files: one line each, and never a hang (FIFO) or a spin (loop)."""
from __future__ import annotations

import errno
import os

import pytest
from hostile import assert_clean_error, cli, run_dir

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import read_run
from ganalyze.validate import MAX_NAME_BYTES, readable_dir, regular_file, run_path


def test_fifo_in_place_of_run_parquet_is_refused_not_waited_on(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    os.mkfifo(run / "run.parquet")
    for args in (["summary", run], ["diagnose", run], ["summary", run / "run.parquet"]):
        assert_clean_error(cli(args), "named pipe (FIFO)")


def test_fifo_part_and_fifo_event_file_are_refused(tmp_path):
    run = run_dir(tmp_path / "run")
    (run / "run.parquet.parts").mkdir()
    os.mkfifo(run / "run.parquet.parts" / "part-000001.parquet")
    with pytest.raises(GanalyzeError, match="part-000001.parquet' is a named pipe"):
        read_run(run)
    tb = tmp_path / "tb"
    tb.mkdir()
    os.mkfifo(tb / "events.out.tfevents.1.host")
    with pytest.raises(GanalyzeError, match="named pipe"):
        read_run(tb)


def test_symlink_loops_are_named(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    os.symlink("run.parquet", run / "run.parquet")
    assert_clean_error(cli(["summary", run]), "symlink loop")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    assert_clean_error(cli(["diagnose", tmp_path / "a"]), "symlink loop")


def test_directory_where_a_file_belongs(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "run.parquet").mkdir()
    assert_clean_error(cli(["summary", tmp_path / "run"]), "is a directory")
    with pytest.raises(GanalyzeError, match="is a directory; allowed: a readable regular file"):
        regular_file(tmp_path / "run")


def test_path_component_over_255_bytes(tmp_path):
    long = tmp_path / ("é" * 200) / "run.parquet"     # 400 bytes in UTF-8
    assert_clean_error(cli(["summary", long]), "400 bytes", f"at most {MAX_NAME_BYTES} bytes")


def test_permission_denied_is_one_line(tmp_path, monkeypatch):
    # root reads everything, so the OS error is simulated where ganalyze meets it
    target = run_dir(tmp_path / "run") / "run.parquet"
    real_stat = os.stat

    def denied(path, *a, **k):
        if str(path) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *a, **k)

    monkeypatch.setattr(os, "stat", denied)
    with pytest.raises(GanalyzeError, match=r"cannot be read \(permission denied\); allowed"):
        run_path(target)
    monkeypatch.setattr(os, "stat", real_stat)
    monkeypatch.setattr(os, "access", lambda *_: False)
    with pytest.raises(GanalyzeError, match="permission denied"):
        regular_file(target)


def test_unlistable_directory(tmp_path, monkeypatch):
    real = os.scandir

    def denied(path="."):
        if str(path) == str(tmp_path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)
    with pytest.raises(GanalyzeError, match="permission denied"):
        readable_dir(tmp_path)
