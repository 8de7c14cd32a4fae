"""The embedded demo: synthetic workbooks in data/demo, loaded in a fixed order; or, with
`scale` > 1, a synthetic organisation that many times larger (etl/scale.py)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from . import pipeline, store

DEMO_DIR = store.ROOT / "data" / "demo"
DEMO_USER = "demo"
# (file, kind, peildatum) in load order: formatie first, its eenheden are the reference
DEMO_FILES = (
    ("organisatie.xlsx", "organisatie", date(2021, 6, 1)),
    ("wasword-2021-05.xlsx", "wasword", date(2021, 5, 1)),
    ("wasword-2021-06.xlsx", "wasword", date(2021, 6, 1)),
    ("kpi.xlsx", "kpi", date(2022, 12, 31)),
    ("opgaven.xlsx", "opgaven", date(2021, 6, 1)),
)


def load_demo(db=None, log=print, scale: int = 1) -> list[pipeline.LoadResult]:
    """(Re)load the demo; a demo file loaded before becomes current again (restore).
    scale > 1: the synthetic organisation of that scale instead (etl/scale.py)."""
    if scale != 1:
        from .scale import load_scale
        return load_scale(scale, db=db, log=log)
    return load_files([(DEMO_DIR / name, kind, peildatum) for name, kind, peildatum in DEMO_FILES], db=db, log=log)


def load_files(files: list[tuple[Path, str, date]], db=None, log=print,
               user: str = DEMO_USER) -> list[pipeline.LoadResult]:
    """Load (path, kind, peildatum) in order; a file loaded before becomes current again (restore).
    Missing files are passed over; a refused file stops the run (SystemExit 1)."""
    results = []
    for path, kind, peildatum in files:
        if not path.exists():
            continue
        result = pipeline.load(path, kind=kind, peildatum=peildatum, user=user, db=db)
        if result.ok and not result.loaded and not result.prepared.same_is_current:
            pipeline.restore(kind, result.prepared.same_as_version, user=user, db=db)
        log(result.summary())
        if not result.ok:
            for err in result.prepared.errors:
                log(f"  {err}")
            raise SystemExit(1)
        results.append(result)
    return results
