"""Saved what-if scenarios: the only writes the Scenario's page makes. A scenario lives in the
table `scenario` (etl/schema.sql); saving or deleting one never touches a loaded version.
Every write checks `identity.allowed(identity.SCENARIO)` itself (a page checking first is a
courtesy, not the guard) and records `identity.current().label()`. The app calls these after
`data.release()`: DuckDB refuses a read-write connection while this process holds a
read-only one to the same file."""
from __future__ import annotations

import json
from datetime import datetime

from etl import store

from ..access import identity
from ..domain.scenario import MAX_NAAM, Organisatie


class GeenToegang(PermissionError):
    """The person may not save or delete scenarios; the message is Dutch."""


class OngeldigScenario(ValueError):
    """The scenario cannot be saved as asked; the message is Dutch."""


def _check() -> identity.Identity:
    who = identity.current()
    if not identity.allowed(identity.SCENARIO, who):
        raise GeenToegang("Uw rol mag geen scenario’s opslaan of verwijderen.")
    return who


def schone_naam(naam) -> str:
    naam = " ".join(str(naam or "").split())
    if not naam:
        raise OngeldigScenario("Geef het scenario een naam.")
    if len(naam) > MAX_NAAM:
        raise OngeldigScenario(f"Een naam is maximaal {MAX_NAAM} tekens; deze heeft er {len(naam)}.")
    return naam


def opslaan(naam: str, org: Organisatie, wijzigingen: list[dict], basis: dict[str, int],
            overschrijven: bool = False, db=None) -> dict:
    """Store a scenario under `naam` (case- and whitespace-insensitive: one 'Variant B').
    An existing name is refused unless `overschrijven`; then the original author and time stay
    and the change is recorded. Returns the stored row."""
    who = _check()
    naam = schone_naam(naam)
    nu = datetime.now().replace(microsecond=0)
    inhoud = org.als_json()
    with store.writer(db) as con:
        bestaand = con.execute("SELECT naam, gemaakt_door, gemaakt_op FROM scenario "
                               "WHERE lower(trim(naam)) = lower(?)", [naam]).fetchone()
        if bestaand and not overschrijven:
            raise OngeldigScenario(f"Er is al een scenario ‘{bestaand[0]}’. Kies een andere naam of kies "
                                   "Overschrijven.")
        row = {"naam": naam, "gemaakt_door": bestaand[1] if bestaand else who.label(),
               "gemaakt_op": bestaand[2] if bestaand else nu, "gewijzigd_door": who.label(), "gewijzigd_op": nu,
               "basis": json.dumps(basis, sort_keys=True), "wijzigingen": json.dumps(wijzigingen, ensure_ascii=False),
               "eenheden": json.dumps({k: inhoud[k] for k in ("eenheden", "zonder_eenheid", "herkomst")},
                                      ensure_ascii=False),
               "coaches": json.dumps(inhoud["coaches"], ensure_ascii=False)}
        con.begin()
        if bestaand:
            con.execute("DELETE FROM scenario WHERE naam = ?", [bestaand[0]])
        con.execute("INSERT INTO scenario VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row.values()))
        con.commit()
    return row


def verwijderen(naam: str, db=None) -> bool:
    """Delete a saved scenario; False when there was none by that name."""
    _check()
    with store.writer(db) as con:
        n = con.execute("SELECT count(*) FROM scenario WHERE naam = ?", [naam]).fetchone()[0]
        con.execute("DELETE FROM scenario WHERE naam = ?", [naam])
    return bool(n)


def uitpakken(row: dict) -> tuple[Organisatie, list[dict], dict[str, int]]:
    """A stored row (queries.scenario) as (organisation, edits, base versions)."""
    e = json.loads(row["eenheden"])
    org = Organisatie.uit_json({"eenheden": e["eenheden"], "coaches": json.loads(row["coaches"]),
                                "zonder_eenheid": e.get("zonder_eenheid", []), "herkomst": e.get("herkomst", [])})
    return org, json.loads(row["wijzigingen"]), basis_uit(row["basis"])


def basis_uit(tekst: str) -> dict[str, int]:
    """The stored base versions (JSON) as {kind: version}."""
    return {k: int(v) for k, v in json.loads(tekst).items()}
