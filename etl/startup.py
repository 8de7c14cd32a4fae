"""Start-up tricks of the loader, in one place. Each keeps a measured cost off a
`python -m etl load` of the 50,000-row bench file (figures: docs/performance.md);
tricks worth less than 20 ms were dropped.

* `block_pandas`: pyarrow imports pandas on first use only to check types
  (+0,17 s); the loader never needs pandas.
* `lazy`: pyarrow.compute costs 50 ms to import; imported on first use, it is
  imported while fastexcel parses instead (`while_parsing`).
* `while_parsing`: fastexcel's parse releases the GIL for 0,25 s or more; a
  thread does the imports the load needs afterwards meanwhile (numpy, pyarrow,
  pyarrow.compute, and for the command line DuckDB, `store.warm_up`).
"""
from __future__ import annotations

import importlib
import sys
import threading

# Jobs to run while fastexcel parses a large sheet; each runs once (etl/__main__.py adds
# store.warm_up for `load`).
WHILE_PARSING: list = []


class _BlockPandas:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"{name} is not used by python -m etl")
        return None


def block_pandas() -> None:
    """Refuse `import pandas` in this process (the command-line loader); pyarrow and DuckDB
    work without it."""
    if "pandas" not in sys.modules and not any(isinstance(f, _BlockPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _BlockPandas())


class lazy:
    """A module imported on first attribute access."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


def while_parsing() -> None:
    """Start the thread that imports pyarrow (with numpy) and pyarrow.compute and runs
    WHILE_PARSING, once."""
    jobs = [lambda: importlib.import_module("pyarrow.compute"), *WHILE_PARSING]
    WHILE_PARSING.clear()
    if "pyarrow.compute" in sys.modules and len(jobs) == 1:
        return

    def run():
        for job in jobs:
            try:
                job()
            except Exception:
                pass  # whoever needs it later gets the error there

    threading.Thread(target=run, name="etl-while-parsing").start()
