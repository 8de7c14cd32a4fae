"""The audit trail: who did what, recorded in the table `logboek` (etl/schema.sql).

An actor is the person as the identity provider names them (the app passes its
stuurbord.access.identity.Identity, which has the same attributes), or, on the command
line, the operating-system user: shell access to the server is the administrator's door,
so `python -m etl load` records `os:<user>` as the subject even when `--user` gives a
display name. Writers record inside their own transaction (`record`), so a load and its
audit row are committed together or not at all; actions that write nothing else (an export
download, a raadspakket) use `add`, which takes the writer lock for one row.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

from . import store

DEMO = "demo"  # the name the demo loads record (etl.demo.DEMO_USER)


@dataclass(frozen=True)
class Actor:
    name: str
    email: str | None = None
    subject: str | None = None
    role: str | None = None
    via: str = "opdrachtregel"

    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "onbekend"


def cli_actor(name: str | None = None) -> Actor:
    """The command line: the OS user, with `--user` as an optional display name."""
    user = os_user()
    return Actor(name=(name or "").strip() or user, subject=f"os:{user}", role="server", via="opdrachtregel")


def as_actor(user) -> Actor:
    """An Actor from what callers pass as `user`: an Identity (the app), an Actor, a name
    (code on the server: tests, the demo, `--user`) or None (the OS user)."""
    if isinstance(user, Actor):
        return user
    if user is None or isinstance(user, str):
        return cli_actor(user)
    name = str(getattr(user, "name", "") or "").strip()
    if not name:
        raise ValueError("an actor needs a name")
    return Actor(name=name, email=getattr(user, "email", None), subject=getattr(user, "subject", None),
                 role=getattr(user, "role", None), via=str(getattr(user, "via", None) or "app"))


def versions_text(versions: dict) -> str:
    """{'wasword': 2, 'organisatie': 1} or {kind: {'version': 2, ...}} -> 'organisatie v1, wasword v2'."""
    parts = []
    for kind in sorted(versions):
        v = versions[kind]
        parts.append(f"{kind} v{v['version'] if isinstance(v, dict) else v}")
    return ", ".join(parts)


def record(con, user, actie: str, onderwerp: str | None = None, versies: str | None = None,
           details: str | None = None, when: datetime | None = None) -> None:
    """One audit row on the caller's connection (inside the caller's transaction)."""
    a = as_actor(user)
    con.execute("INSERT INTO logboek (tijdstip, naam, email, subject, rol, via, actie, onderwerp, versies, details) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [when or datetime.now(), a.name, a.email, a.subject, a.role, a.via, actie, onderwerp, versies, details])


def add(user, actie: str, onderwerp: str | None = None, versies: str | None = None, details: str | None = None,
        db=None) -> None:
    """One audit row in its own write (takes the writer lock; raises store.StoreBusy when the
    store stays busy, so a caller that must not act unrecorded can refuse)."""
    with store.writer(db) as con:
        record(con, user, actie, onderwerp, versies, details)


COLUMNS = ("tijdstip", "naam", "email", "subject", "rol", "via", "actie", "onderwerp", "versies", "details")


def rows(con, limit: int | None = None) -> list[dict]:
    """The audit trail, newest first (for `python -m etl history --logboek` and tests)."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM logboek ORDER BY tijdstip DESC" + (f" LIMIT {int(limit)}" if limit else "")
    return [dict(zip(COLUMNS, r)) for r in con.execute(sql).fetchall()]
