"""SQLite's write-ahead log copied into the database on a thread of its own, not in the commits of the loop.

In WAL mode a commit appends the changed pages to the ``-wal`` file; a *checkpoint* copies them into the
database file and syncs both, so the log can start again. By default SQLite checkpoints in the commit that
takes the log past 1,000 pages: on the event loop's thread (see :mod:`thidua_shared.store.sqlite_driver`),
where one checkpoint took about 6 ms here every 75 or so transactions of ten events: a quarter of the time of
``python -m bench``'s appends.

Here a :class:`Checkpointer` per database file and process does a ``PASSIVE`` checkpoint on its own connection
and thread shortly after commits (a passive checkpoint waits for no one and blocks no writer, and SQLite
releases the GIL while it copies and syncs). The writers' own checkpoint stays as a bound on the log's length
(:data:`WRITER_CHECKPOINT_PAGES`): under writes that never pause, no passive checkpoint catches up with the last
commit, and only a checkpoint that does lets the log start again; the writer's then finds most pages copied.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import structlog

PAUSE_SECONDS = 0.02
"""After a checkpoint, how long the thread lets commits gather before the next: one checkpoint copies each
page once however many commits changed it, and syncs twice."""

WRITER_CHECKPOINT_PAGES = 10_000
"""``PRAGMA wal_autocheckpoint`` of the writers' connections: the log's length (pages of 4 KiB, about 40 MB)
at which a commit checkpoints itself, so the log starts again even under writes that never pause."""

_log = structlog.get_logger("thidua.store.wal")


class Checkpointer:
    """Checkpoints one database file on a daemon thread while connections of this process use it."""

    def __init__(self, database: str) -> None:
        self.database = database
        self._users = 0
        self._wanted = threading.Event()
        self._halted = threading.Event()
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        """A transaction committed: checkpoint soon (cheap; called in every commit)."""
        wanted = self._wanted
        if not wanted.is_set():
            wanted.set()

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self.database, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:  # the writers' own checkpoints still bound the log
            _log.warning("wal_checkpointer_not_started", database=self.database, error=str(error))
            return
        try:
            while True:
                self._wanted.wait()
                if self._halted.is_set():
                    return
                self._wanted.clear()
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as error:  # the next commit tries again; the writers' bound still holds
                    _log.warning("wal_checkpoint_failed", database=self.database, error=str(error))
                if self._halted.wait(PAUSE_SECONDS):
                    return
        finally:
            connection.close()  # the last connection to the file: SQLite checkpoints and removes the log

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"wal-checkpoint {Path(self.database).name}",
                                        daemon=True)
        self._thread.start()

    def _stop(self) -> None:
        self._halted.set()
        self._wanted.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()


_lock = threading.Lock()
_running: dict[str, Checkpointer] = {}
_orphans: list[Checkpointer] = []
"""Checkpointers of connections collected unclosed while ``_lock`` was held: let go at the next attach or detach."""


def attach(database: str) -> Checkpointer | None:
    """The checkpointer of a database file, started with its first connection; ``None`` for a database in
    memory (which has no log)."""
    if database == ":memory:" or database.startswith("file:") or not database:
        return None
    key = str(Path(database).resolve())
    with _lock:
        stopping = _let_go_of_orphans()
        checkpointer = _running.get(key)
        if checkpointer is None:
            checkpointer = _running[key] = Checkpointer(key)
            checkpointer._start()
        checkpointer._users += 1
    for stopped in stopping:
        stopped._stop()
    return checkpointer


def detach(checkpointer: Checkpointer) -> None:
    """A connection closed: with the file's last one, the thread stops (and its own connection, closing last,
    leaves the database file complete, as before there was a thread)."""
    with _lock:
        stopping = [*_let_go_of_orphans(), *_let_go(checkpointer)]
    for stopped in stopping:
        stopped._stop()


def orphaned(checkpointer: Checkpointer) -> None:
    """A connection was collected without being closed (its finalizer): as :func:`detach`, unless the collection
    interrupted this thread inside ``_lock``, which cannot be waited for here."""
    if not _lock.acquire(blocking=False):
        _orphans.append(checkpointer)
        return
    try:
        stopping = [*_let_go_of_orphans(), *_let_go(checkpointer)]
    finally:
        _lock.release()
    for stopped in stopping:
        stopped._stop()


def _let_go(checkpointer: Checkpointer) -> list[Checkpointer]:
    """One user fewer (under ``_lock``): the checkpointer to stop, if that was its last."""
    checkpointer._users -= 1
    if checkpointer._users > 0:
        return []
    if _running.get(checkpointer.database) is checkpointer:
        del _running[checkpointer.database]
    return [checkpointer]


def _let_go_of_orphans() -> list[Checkpointer]:
    stopping: list[Checkpointer] = []
    while _orphans:
        stopping += _let_go(_orphans.pop())
    return stopping
