"""Who is using Stuurbord, and what they may do.

The interface the rest of the app codes against: `current()` gives the person behind this
script run (name, e-mail, subject, role) and `allowed(permission)` answers whether they may
do something. Every write records `current().label()` and checks `allowed(...)` at the
moment of writing.

Interim implementation (until login through the identity provider is built): the identity
comes from the server environment (STUURBORD_USER, STUURBORD_ROLE).
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

# permissions
BEKIJKEN = "bekijken"                  # every view, aggregates, exports for the raad
PERSOONSGEGEVENS = "persoonsgegevens"  # employee-level rows: names, personeelsnummers, placement lists
LADEN = "laden"                        # Gegevens laden: upload and commit a new version
TERUGZETTEN = "terugzetten"            # Versies: restore an older version, download original files
NOTITIE = "notitie"                    # write a note on a KPI point
SCENARIO = "scenario"                  # save, change and delete what-if scenarios
INSTELLINGEN = "instellingen"          # settings (span norm, thresholds)

ROLE_PERMISSIONS = {
    "raad": {BEKIJKEN},
    "lezer": {BEKIJKEN, NOTITIE, SCENARIO},
    "controller": {BEKIJKEN, NOTITIE, SCENARIO, PERSOONSGEGEVENS, LADEN, TERUGZETTEN},
    "beheer": {BEKIJKEN, NOTITIE, SCENARIO, PERSOONSGEGEVENS, LADEN, TERUGZETTEN, INSTELLINGEN},
}


@dataclass(frozen=True)
class Identity:
    name: str
    email: str | None = None
    subject: str | None = None
    role: str = "lezer"

    def label(self) -> str:
        """How a write records this person: 'Name <e-mail>' (or the name alone)."""
        return f"{self.name} <{self.email}>" if self.email else self.name


def current() -> Identity:
    """The person behind this script run (interim: from the server environment)."""
    role = os.environ.get("STUURBORD_ROLE", "beheer").strip().lower()
    name = os.environ.get("STUURBORD_USER", "").strip() or getpass.getuser()
    return Identity(name=name, role=role if role in ROLE_PERMISSIONS else "raad")


def allowed(permission: str, who: Identity | None = None) -> bool:
    who = who or current()
    return permission in ROLE_PERMISSIONS.get(who.role, set())
