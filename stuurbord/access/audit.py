"""The app's side of the audit trail (etl.logboek): downloads and raadspakketten.

Writes with data (a load, a restore, a note, a setting) record their audit row inside their
own transaction in etl. What only leaves Stuurbord (an export, an original file, a
raadspakket) is recorded here, with the identity captured when the page was drawn: a
download's callable runs in its own thread after the click, where there is no session.
"""
from __future__ import annotations

import logging

from etl import logboek

from .. import data
from .identity import Identity, log_id

log = logging.getLogger("stuurbord")


def download(make, who: Identity, name: str, versions: dict, what: str = "download"):
    """The `data` of a download button: when clicked, record who downloads `name` of which
    versions, then make the file (`make`: bytes or a callable returning them). If the record
    cannot be written the download fails: nothing leaves Stuurbord unrecorded."""
    db = data.db_path()
    text = logboek.versions_text(versions)

    def produce():
        try:
            logboek.add(who, what, name, text, db=db)
        except Exception:
            log.exception("Download van %s niet vastgelegd (subject %s); de download gaat niet door", name,
                          log_id(who))
            raise
        return make() if callable(make) else make
    return produce


def raadspakket(who: Identity, name: str, versions: dict, details: str | None = None) -> None:
    """Record that a raadspakket was made (the files it offers are recorded when downloaded)."""
    data.release()  # DuckDB: no read-write connection while this run holds a read-only one
    logboek.add(who, "raadspakket", name, logboek.versions_text(versions), details, db=data.db_path())
