"""Reading an uploaded workbook for the upload page: pipeline.read_file, in a worker process
for large files so other sessions' page runs are not slowed down; and what the page keeps of
it (a Report, never the parsed file or its bytes) and gives back (release_memory, forget)."""
from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from concurrent.futures.process import BrokenProcessPool

log = logging.getLogger("stuurbord")

# --- validation in a worker process ------------------------------------------------------------
# Reading a large workbook holds the GIL for most of a second (50,000 rows), which slows every
# other session's page run in this process by about 2× meanwhile (numbers in
# docs/architecture.md, "Uploads and other sessions"). So `read_file` of a large upload runs in
# one worker process. Its result (Prepared with the file bytes, and the parsed sheets with Arrow
# columns) pickles in a few milliseconds. The kind rules, the diff and the commit stay here.
ISOLATE_MIN_BYTES = 256 * 1024   # smaller files read in well under 0,1 s: not worth the round trip
_POOL = None
_POOL_LOCK = threading.Lock()
# A `__main__` without a file. spawn re-imports the parent's __main__ in the child, and while a
# Streamlit script runs, sys.modules["__main__"] is that script (app.py): the worker would run
# the app. The worker process is started inside `submit`, so it is swapped only for that call.
_NEUTRAL_MAIN = types.ModuleType("__main__")


def _read_in_worker(content: bytes, name: str, kind: str | None, limits):
    from etl import pipeline
    return pipeline.read_file(content, name, kind, limits)


# --- what a session keeps ------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    """What the upload page shows of a validated file: the messages and the facts of the
    preview, without the file's bytes or its parsed rows (a near-limit file is ~25 MB of
    bytes and hundreds of MB of rows; a session, also an abandoned one, keeps only this)."""
    file_name: str
    sha256: str
    kind: str | None
    peildatum: date | None
    peildatum_bron: str | None
    rows: int
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    same_as_version: int | None = None
    same_is_current: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @classmethod
    def of(cls, prep) -> "Report":
        return cls(prep.file_name, prep.sha256, prep.kind, prep.peildatum, prep.peildatum_bron, prep.rows,
                   list(prep.errors), list(prep.warnings), list(prep.skipped), prep.same_as_version,
                   prep.same_is_current)


def release_memory() -> None:
    """Give memory that Python has freed back to the operating system: after a large file
    has been read and only its Report is kept. Python returns freed blocks to the C
    allocator, but glibc keeps them in its per-thread arenas (every Streamlit session is a
    thread), so without malloc_trim the process stays as large as its largest upload.
    What trim cannot reach is the fragmentation of many arenas (glibc gives threads up to 8
    per core): run the app with MALLOC_ARENA_MAX=2 (the Makefile does; docs/architecture.md,
    "Memory")."""
    gc.collect()
    try:
        import pyarrow
        pyarrow.default_memory_pool().release_unused()
    except Exception:  # pyarrow missing or a pool without the call
        pass
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def forget(uploaded) -> None:
    """Drop an uploaded file's bytes from Streamlit's file store now (it keeps them until the
    user removes the file or the session ends): for a refused file, whose report has been
    kept. The page then shows a new, empty uploader."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
        ctx = get_script_run_ctx()
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, uploaded.file_id)
    except Exception:  # an uploader without remove_file (not the in-memory store): freed with the session
        log.info("Geüploade bestand niet direct vrijgegeven", exc_info=True)
    uploaded.close()  # the UploadedFile's own buffer (a BytesIO), whoever still refers to the object


def _warm_imports() -> None:
    """In the worker: the imports of a read (0,5 s), before the first upload needs them."""
    from etl import pipeline  # noqa: F401
    try:
        import fastexcel  # noqa: F401  (the columnar fast path)
        import pyarrow.compute  # noqa: F401
    except ImportError:
        pass


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: end the worker once the app process is gone, also after a kill -9
    (a graceful stop of Streamlit shuts the pool down itself)."""
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _submit(fn, *args):
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_exit_with_parent, initargs=(os.getpid(),))
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = _NEUTRAL_MAIN
        try:
            return _POOL.submit(fn, *args)
        finally:
            sys.modules["__main__"] = main


def warm_up() -> None:
    """Start the worker (and its imports) in the background, e.g. when the upload page opens."""
    if _POOL is not None:
        return
    try:
        _submit(_warm_imports)
    except Exception:
        log.warning("Kon het werkproces voor uploads niet starten", exc_info=True)


def read_file(content: bytes, name: str, kind: str | None = None):
    """pipeline.read_file: in the worker process for a file of ISOLATE_MIN_BYTES or more,
    otherwise here. The limits are read here, so both give the same answer. If the worker
    cannot be used, it reads here after all (and logs why)."""
    from etl import pipeline
    from etl.workbook import Limits
    limits = Limits.from_env()
    if len(content) >= ISOLATE_MIN_BYTES:
        global _POOL
        try:
            result = _submit(_read_in_worker, content, name, kind, limits).result()
            _submit(release_memory)  # then the worker gives back what the read took (queued: runs next)
            return result
        except (BrokenProcessPool, OSError, pickle.PickleError):
            log.warning("Werkproces voor uploads niet bruikbaar; het bestand wordt in de app gelezen",
                        exc_info=True)
            with _POOL_LOCK:
                _POOL = None
    return pipeline.read_file(content, name, kind, limits)
