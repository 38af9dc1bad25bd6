"""Writer lock: two writers on one run directory, a stale lock after SIGKILL, a lock held by an
orphaned child of a killed writer."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from ganalyze.errors import GanalyzeError
from ganalyze.runlog import RunLogger, read_run, store


def test_second_writer_is_refused_with_the_holder(tmp_path):
    first = RunLogger(tmp_path, background=False)
    with pytest.raises(GanalyzeError, match=rf"being written by another RunLogger \(pid {os.getpid()} on "):
        RunLogger(tmp_path, resume=True, background=False)
    first.log(0, d_loss=1.0, g_loss=1.0)
    first.close()
    assert not (tmp_path / store.LOCK_FILE).exists()
    with RunLogger(tmp_path, resume=True, background=False) as second:     # free again after close()
        second.log(1, d_loss=1.0, g_loss=1.0)
    assert read_run(tmp_path)["step"].tolist() == [0, 1]


def test_writer_in_another_process_is_refused(tmp_path):
    code = textwrap.dedent("""
        import sys, time
        from ganalyze.runlog import RunLogger
        log = RunLogger(sys.argv[1], background=False)
        print("ready", flush=True)
        sys.stdin.readline()
        log.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        with pytest.raises(GanalyzeError, match=rf"pid {proc.pid} on "):
            RunLogger(tmp_path, resume=True, background=False)
    finally:
        proc.communicate("\n", timeout=60)
    assert proc.returncode == 0


def _spawn_writer(run, fork_child=False):
    code = textwrap.dedent("""
        import os, sys, time
        from ganalyze.runlog import RunLogger
        log = RunLogger(sys.argv[1], background=False, flush_every_rows=5)
        for step in range(12):
            log.log(step, d_loss=1.0, g_loss=1.0)
        child = 0
        if sys.argv[2] == "fork":
            child = os.fork()                # a worker that inherits the lock's file descriptor
            if child == 0:
                time.sleep(60)
                os._exit(0)
        print("ready", child, flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code, str(run), "fork" if fork_child else "-"],
                            stdout=subprocess.PIPE, text=True)
    ready, child = proc.stdout.readline().split()
    assert ready == "ready"
    return proc, int(child)


def test_stale_lock_after_sigkill_is_taken_over(tmp_path):
    proc, _ = _spawn_writer(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    holder = json.loads((tmp_path / store.LOCK_FILE).read_text())
    assert holder["pid"] == proc.pid                    # the lock file is still there...
    log = RunLogger(tmp_path, resume=True, background=False)   # ...but stale: taken over
    assert log._writer_lock.took_over["pid"] == proc.pid
    log.log(12, d_loss=2.0, g_loss=2.0)
    log.close()
    assert read_run(tmp_path)["step"].tolist() == list(range(10)) + [12]   # 10, 11 were never flushed


def test_lock_kept_by_an_orphaned_child_of_a_dead_writer_is_taken_over(tmp_path):
    proc, child = _spawn_writer(tmp_path, fork_child=True)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    try:
        log = RunLogger(tmp_path, resume=True, background=False)
        assert log._writer_lock.took_over["pid"] == proc.pid
        with pytest.raises(GanalyzeError, match="being written"):    # the new holder is protected
            RunLogger(tmp_path, resume=True, background=False)
        log.close()
    finally:
        os.kill(child, signal.SIGKILL)
