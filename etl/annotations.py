"""Annotations on KPI scores: a short note on a (norm, period), e.g. "storing
telefooncentrale", with author and time. Stored in kpi_notitie keyed by code and
periode, not by version, so a note stays when a new KPI file is loaded or an older
version is restored. The app calls `add` after `stuurbord.data.release()` (DuckDB
refuses a read-write connection while the same process holds a read-only one)."""
from __future__ import annotations

import re
from datetime import datetime

from . import logboek, store
from .values import BadValue, parse_period

MAX_TEKST = 200
MAX_AUTEUR = 80


class InvalidNote(ValueError):
    """The note cannot be stored; the message is Dutch and meant for the user."""


def _clean(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def add(code: str, periode: str, tekst: str, auteur, db=None) -> dict:
    """Store one note; returns the stored row. Whitespace is trimmed (and runs of it
    collapsed); an empty note, one longer than MAX_TEKST characters, an unknown code or
    an unreadable period is refused with InvalidNote. The periode is stored in its
    canonical form ("2022-03", "2022-Q1", "2022-T1", "2022").

    `auteur`: the writer as the app knows them (an Identity; a name or None on the server,
    see etl.logboek.as_actor). The note shows the name; the audit trail records the whole
    identity in the same transaction."""
    actor = logboek.as_actor(auteur)
    tekst, auteur = _clean(tekst), _clean(actor.name) or "onbekend"
    if not tekst:
        raise InvalidNote("Een lege notitie wordt niet opgeslagen; schrijf eerst wat er aan de hand was.")
    if len(tekst) > MAX_TEKST:
        raise InvalidNote(f"Een notitie is maximaal {MAX_TEKST} tekens; deze heeft er {len(tekst)}. "
                          "Maak hem korter.")
    auteur = auteur[:MAX_AUTEUR]
    try:
        periode = parse_period(_clean(periode))[0]
    except BadValue as exc:
        raise InvalidNote(str(exc)) from None
    with store.writer(db) as con:
        row = con.execute("SELECT code FROM kpi_norm WHERE lower(code) = lower(?) ORDER BY version DESC LIMIT 1",
                          [_clean(code)]).fetchone()
        if row is None:
            raise InvalidNote(f"Er is geen norm met code '{_clean(code)}'.")
        stored = {"code": row[0], "periode": periode, "tekst": tekst, "auteur": auteur,
                  "tijdstip": datetime.now().replace(microsecond=0)}
        con.begin()
        try:
            con.execute("INSERT INTO kpi_notitie (code, periode, tekst, auteur, tijdstip) VALUES (?, ?, ?, ?, ?)",
                        list(stored.values()))
            logboek.record(con, actor, "notitie", f"{stored['code']} {periode}", None, tekst,
                           when=stored["tijdstip"])
            con.commit()
        except Exception:
            con.rollback()
            raise
    return stored
