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


def add(code: str, periode: str, tekst: str, auteur: str, db=None) -> dict:
    """Store one note; returns the stored row. Whitespace is trimmed (and runs of it
    collapsed); an empty note, one longer than MAX_TEKST characters, an unknown code or
    an unreadable period is refused with InvalidNote. The periode is stored in its
    canonical form ("2022-03", "2022-Q1", "2022-T1", "2022").

    `auteur`: the writer as the app knows them (an Identity; a name or None on the server,
    see etl.logboek.as_actor). The note shows the name; the audit trail records the whole
    identity in the same transaction."""
    return add_many([(code, periode, tekst)], auteur, db=db)[0]


def _checked(code: str, periode: str, tekst: str) -> tuple[str, str, str]:
    tekst = _clean(tekst)
    if not tekst:
        raise InvalidNote("Een lege notitie wordt niet opgeslagen; schrijf eerst wat er aan de hand was.")
    if len(tekst) > MAX_TEKST:
        raise InvalidNote(f"Een notitie is maximaal {MAX_TEKST} tekens; deze heeft er {len(tekst)}. "
                          "Maak hem korter.")
    try:
        periode = parse_period(_clean(periode))[0]
    except BadValue as exc:
        raise InvalidNote(str(exc)) from None
    return _clean(code), periode, tekst


def add_many(notes: list[tuple[str, str, str]], auteur, db=None) -> list[dict]:
    """Store several notes (code, periode, tekst) by one author in one transaction (one write,
    one snapshot); all or nothing, with the checks of `add`, each with its audit row."""
    checked = [_checked(*n) for n in notes]
    actor = logboek.as_actor(auteur)
    auteur = (_clean(actor.name) or "onbekend")[:MAX_AUTEUR]
    tijdstip = datetime.now().replace(microsecond=0)
    stored = []
    with store.writer(db) as con:
        con.begin()
        try:
            for code, periode, tekst in checked:
                row = con.execute("SELECT code FROM kpi_norm WHERE lower(code) = lower(?) ORDER BY version DESC "
                                  "LIMIT 1", [code]).fetchone()
                if row is None:
                    raise InvalidNote(f"Er is geen norm met code '{code}'.")
                one = {"code": row[0], "periode": periode, "tekst": tekst, "auteur": auteur, "tijdstip": tijdstip}
                con.execute("INSERT INTO kpi_notitie (code, periode, tekst, auteur, tijdstip) VALUES (?, ?, ?, ?, ?)",
                            list(one.values()))
                logboek.record(con, actor, "notitie", f"{one['code']} {periode}", None, tekst, when=tijdstip)
                stored.append(one)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return stored
