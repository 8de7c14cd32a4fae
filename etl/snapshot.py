"""Immutable read-only snapshots of the store, so readers never wait for a writer.

DuckDB lets one process hold a file read-write, and that excludes every reader. So after
every committed write, still under the writer lock, the writer publishes a copy of the
database file as a new snapshot and switches a pointer to it atomically:

    <db>.snapshots/
        snapshot-000041.duckdb     (older ones are kept a little while, then removed)
        snapshot-000042.duckdb
        CURRENT                    {"name": "snapshot-000042.duckdb", "db": [size, mtime_ns]}
                                   (replaced with os.replace)

The app reads the snapshot named by CURRENT: a file nobody ever writes, so it can keep one
read-only connection to it for all sessions (a cursor per script run), and several app
processes (replicas) can share the folder. Writers keep working on the main file.

The pointer also records the size and mtime of the main file it was copied from. A reader
that finds the main file changed since (a crash between commit and publish, a failed
publish, a database file replaced by hand) reads the main file itself, as before snapshots:
never stale data, only the old waiting. The next write, or `python -m etl snapshot`,
publishes again.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
from pathlib import Path

log = logging.getLogger("stuurbord")

POINTER = "CURRENT"
KEEP = 3  # snapshots kept besides the current one's predecessors that readers may still hold open
_NAME = re.compile(r"^snapshot-(\d{6,})\.duckdb$")


def folder(db: Path) -> Path:
    return Path(os.environ.get("STUURBORD_SNAPSHOTS") or str(db) + ".snapshots")


def _stat(db: Path) -> list[int] | None:
    try:
        st = db.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def current(db: Path) -> Path | None:
    """The current snapshot file, or None when there is none or it is not the main file's
    committed state (then read the main file)."""
    d = folder(db)
    try:
        pointer = json.loads((d / POINTER).read_text(encoding="utf-8"))
        name, source = pointer["name"], pointer["db"]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None
    main = _stat(db)  # None on a reader node that has only the snapshot folder: trust CURRENT
    if not _NAME.match(str(name)) or (main is not None and source != main) or Path(str(db) + ".wal").exists():
        return None
    path = d / name
    return path if path.exists() else None


def publish(db: Path) -> Path:
    """Copy the (checkpointed) database to a new snapshot and make it current.
    Call with the writer lock held and no read-write connection open."""
    fresh = current(db)
    if fresh is not None:  # nothing committed since the last publish (a refused or same-file load)
        return fresh
    d = folder(db)
    d.mkdir(mode=0o750, parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in d.iterdir() if (m := _NAME.match(p.name))]
    name = f"snapshot-{(max(numbers) + 1 if numbers else 1):06d}.duckdb"
    tmp = d / (name + ".tmp")
    wal = Path(str(db) + ".wal")
    if wal.exists():  # not checkpointed (a writer was killed after its commit): fold it in first
        import duckdb
        duckdb.connect(str(db)).close()
    try:
        _copy(db, tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, d / name)
    pointer_tmp = d / (POINTER + ".tmp")
    pointer_tmp.write_text(json.dumps({"name": name, "db": _stat(db)}), encoding="utf-8")
    os.replace(pointer_tmp, d / POINTER)
    _fsync_dir(d)
    _prune(d, name)
    return d / name


def _copy(src: Path, dest: Path) -> None:
    """Copy to a new file that only the owner and the group can read (it holds names), on disk
    before it gets its final name."""
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with open(src, "rb") as f, os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(f, out, 1024 * 1024)
        out.flush()
        os.fsync(out.fileno())


def try_publish(db: Path) -> Path | None:
    """publish(), but a failure is logged, not raised: the write itself has been committed,
    and readers fall back to the main file until the next publish."""
    try:
        return publish(db)
    except Exception:
        log.warning("Snapshot van %s niet gepubliceerd; lezers lezen het hoofdbestand", db.name, exc_info=True)
        return None


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(d: Path, keep_name: str) -> None:
    """Remove all but the newest KEEP snapshots. A reader that still has an old one open
    keeps reading it (an unlinked file lives until its last descriptor is closed)."""
    snaps = sorted((p for p in d.iterdir() if _NAME.match(p.name)), key=lambda p: p.name)
    for p in snaps[:-KEEP]:
        if p.name != keep_name:
            p.unlink(missing_ok=True)
    for p in d.glob("*.tmp"):
        if p.name != POINTER + ".tmp":
            p.unlink(missing_ok=True)
