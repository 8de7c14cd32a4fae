"""Reading an uploaded workbook for the upload page: pipeline.read_file, in a worker process
for large files so other sessions' page runs are not slowed down."""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor
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
            return _submit(_read_in_worker, content, name, kind, limits).result()
        except (BrokenProcessPool, OSError, pickle.PickleError):
            log.warning("Werkproces voor uploads niet bruikbaar; het bestand wordt in de app gelezen",
                        exc_info=True)
            with _POOL_LOCK:
                _POOL = None
    return pipeline.read_file(content, name, kind, limits)
