"""Writer lock of a run directory: one RunLogger writes a run at a time.

The lock is ``run.parquet.lock``, held with ``flock`` (the kernel drops it when its process
dies, SIGKILL included) and holding ``{"pid", "host", "since"}`` for messages. A second writer
gets a :class:`GanalyzeError` naming the holder. A lock file left by a killed writer is
stale and taken over. A lock still held by a forked child (a DataLoader worker) of a writer
that died on this host is stale too (its pid is gone): the taker replaces the lock file
with a new one (atomic rename) and locks that. Where the filesystem has no ``flock`` the
pid and host alone decide (a live pid on this host, or any other host, holds the lock).
"""
from __future__ import annotations

import errno
import json
import os
import socket
import time
from pathlib import Path

from ganalyze.errors import GanalyzeError
from ganalyze.runlog.store import LOCK_FILE

try:
    import fcntl
except ImportError:   # pragma: no cover - not POSIX
    fcntl = None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_holder(path: Path) -> dict:
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


class WriterLock:
    """``acquire()`` / ``release()`` the lock of ``run_dir``; ``took_over`` is the holder
    record of a stale lock that was taken over (None otherwise)."""

    def __init__(self, run_dir: Path):
        self.path = Path(run_dir) / LOCK_FILE
        self._fd: int | None = None
        self.took_over: dict | None = None

    def _record(self) -> bytes:
        return json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode()

    def _refuse(self, holder: dict) -> GanalyzeError:
        who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')} since {holder.get('since', '?')}"
        return GanalyzeError(
            f"run_dir: {self.path.parent} is being written by another RunLogger ({who}); "
            "allowed: one writer per run directory (close the other one, or use another directory)")

    def _stale(self, holder: dict) -> bool:
        pid = holder.get("pid")
        return (isinstance(pid, int) and holder.get("host") == socket.gethostname()
                and pid != os.getpid() and not _pid_alive(pid))

    def acquire(self) -> None:
        for _ in range(50):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                locked = self._flock(fd)
            except BaseException:
                os.close(fd)
                raise
            holder = _read_holder(self.path)
            if locked is False:
                os.close(fd)
                if self._stale(holder):        # held only by an orphaned child of a dead writer
                    self._replace(holder)
                    return
                raise self._refuse(holder)
            if locked is None and holder and not self._stale(holder) and holder.get("pid") is not None:
                os.close(fd)                   # no flock here: the record decides
                raise self._refuse(holder)
            try:                               # the file we locked must still be the lock file
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            self.took_over = holder or None
            self._fd = fd
            self._write(fd)
            return
        raise GanalyzeError(f"run_dir: could not take the writer lock {self.path}; allowed: a run "
                            "directory no other process keeps replacing")

    def _flock(self, fd: int) -> bool | None:
        """True: locked; False: someone else holds it; None: no flock on this filesystem."""
        if fcntl is None:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        except OSError as err:
            if err.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                return None
            raise

    def _write(self, fd: int) -> None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, self._record(), 0)

    def _replace(self, holder: dict) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        if self._flock(fd) is False:
            os.close(fd)
            raise self._refuse(holder)
        self._write(fd)
        os.replace(tmp, self.path)
        self.took_over = holder
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file and drop the lock (a no-op if not held)."""
        if self._fd is None:
            return
        try:
            if os.path.samestat(os.fstat(self._fd), os.stat(self.path)):
                os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None
