"""The embedded demo: synthetic workbooks in data/demo, loaded in a fixed order."""
from __future__ import annotations

from datetime import date

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


def load_demo(db=None, log=print) -> list[pipeline.LoadResult]:
    """(Re)load the demo; a demo file loaded before becomes current again (restore)."""
    results = []
    for name, kind, peildatum in DEMO_FILES:
        path = DEMO_DIR / name
        if not path.exists():
            continue
        result = pipeline.load(path, kind=kind, peildatum=peildatum, user=DEMO_USER, db=db)
        if result.ok and not result.loaded and not result.prepared.same_is_current:
            pipeline.restore(kind, result.prepared.same_as_version, user=DEMO_USER, db=db)
        log(result.summary())
        if not result.ok:
            for err in result.prepared.errors:
                log(f"  {err}")
            raise SystemExit(1)
        results.append(result)
    return results
