"""One load pipeline for every kind and both doors (command line and upload page).

    bytes ─► open_workbook (safety checks) ─► plan: detect kind, sheets, headers (contract)
          ─► read sheets (etl.sheets or etl.columnar) ─► kind rules (etl.kinds.BUILD)
          ─► one transaction: file, version, rows, pointer

`prepare` does everything but writing (the upload page's preview uses it);
`commit` writes a prepared load; `load` is both under the writer lock.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from typing import TYPE_CHECKING

from . import columnar
from . import contract as c
from . import logboek, plan, store
from .kinds import BUILD, Built, Context
from .sheets import Issue, ParsedSheet
from .values import fold
from .workbook import FileRefused, Limits, check_size, check_type, open_workbook

if TYPE_CHECKING:
    import pyarrow as pa

MAX_ERRORS = 200


@dataclass
class Prepared:
    """The outcome of reading and validating one file, before anything is written."""
    file_name: str
    sha256: str
    data: bytes
    kind: str | None = None
    peildatum: date | None = None
    peildatum_bron: str | None = None        # 'opgegeven' | 'bestand' | 'vandaag'
    built: Built | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    same_as_version: int | None = None       # an existing version with this very file
    same_is_current: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> int:
        return self.built.rows if self.built else 0


@dataclass
class LoadResult:
    prepared: Prepared
    version: int | None = None
    loaded: bool = False

    @property
    def ok(self) -> bool:
        return self.prepared.ok

    def summary(self) -> str:
        """Short Dutch summary for people."""
        p = self.prepared
        if not p.ok:
            n = len(p.errors)
            return f"'{p.file_name}' is geweigerd: {n} {'fout' if n == 1 else 'fouten'}. Er is niets gewijzigd."
        label = c.KINDS[p.kind].label
        if not self.loaded:
            extra = "" if p.same_is_current else f" Gebruik 'restore {p.kind} {p.same_as_version}' om die terug te zetten."
            return (f"'{p.file_name}' is al geladen als {label} versie {p.same_as_version}; "
                    f"er is geen nieuwe versie gemaakt.{extra}")
        return (f"'{p.file_name}' geladen als {label} versie {self.version} (peildatum "
                f"{p.peildatum:%d-%m-%Y}): {p.rows} rijen, {len(p.skipped)} overgeslagen, "
                f"{len(p.warnings)} waarschuwingen.")

    def as_json(self) -> dict:
        p = self.prepared
        if not p.ok:
            return {"errors": [str(e) for e in p.errors]}
        return {"kind": p.kind, "version": self.version if self.loaded else p.same_as_version,
                "rows": p.rows, "skipped_rows": len(p.skipped), "warnings": [str(w) for w in p.warnings],
                "loaded": self.loaded}


def read_context(con) -> Context:
    """What validation needs of the store: the current formatie's eenheden."""
    ctx = Context()
    row = con.execute("SELECT version FROM huidige_versie WHERE kind = 'organisatie'").fetchone()
    if row:
        ctx.organisatie_version = row[0]
        for (name,) in con.execute("SELECT eenheid FROM org_eenheid WHERE version = ?", [row[0]]).fetchall():
            ctx.eenheden[fold(name)] = name
    return ctx


def _find_same(con, kind: str, sha: str) -> tuple[int | None, bool]:
    row = con.execute("SELECT version, is_current FROM versies WHERE kind = ? AND sha256 = ? "
                      "ORDER BY is_current DESC, version DESC LIMIT 1", [kind, sha]).fetchone()
    return (row[0], bool(row[1])) if row else (None, False)


def read_file(data: bytes, file_name: str, kind: str | None = None,
              limits: Limits | None = None) -> tuple[Prepared, dict[str, ParsedSheet] | None]:
    """Safety checks, kind detection and sheet reading: everything that needs no database
    (so a load holds the database only for its short validation-and-commit step)."""
    prep = Prepared(file_name=os.path.basename(file_name), sha256=hashlib.sha256(data).hexdigest(), data=data)
    try:
        wb = open_workbook(data, prep.file_name, limits, keep_xml_rows=columnar.min_rows())
        headers = plan.Headers(wb)
        kind_spec = c.KINDS[kind] if kind else c.KINDS[plan.detect_kind(wb, headers)]
        prep.kind = kind_spec.name
        plans, errors, warnings = plan.plan_kind(wb, kind_spec, headers)
        prep.errors.extend(errors)
        prep.warnings.extend(warnings)
        return prep, plan.read_sheets(wb, kind_spec, plans)
    except FileRefused as exc:  # also a part that passed the checks but cannot be parsed
        prep.errors.append(Issue(str(exc)))
        return prep, None


def finish(prep: Prepared, sheets: dict[str, ParsedSheet] | None, con=None, peildatum: date | None = None) -> Prepared:
    """The kind's rules against the current store (`con`; None = empty store), same-file
    detection, peildatum and the error cap. Writes nothing."""
    if sheets is None:
        return prep
    if con is not None:
        prep.same_as_version, prep.same_is_current = _find_same(con, prep.kind, prep.sha256)
        if prep.same_as_version is not None:
            return prep
    ctx = read_context(con) if con is not None else Context()
    # a sheet without a header row has no records: its kind rules would only add noise
    # ("eenheid X staat niet op het blad Eenheden") to the one message that matters
    if not prep.errors and all(sheet.columns for sheet in sheets.values()):
        prep.built = BUILD[prep.kind](sheets, ctx)
    for sheet in sheets.values():
        prep.errors.extend(sheet.errors)
        prep.warnings.extend(sheet.warnings)
        prep.skipped.extend(sheet.skipped)
    if prep.built is not None and prep.built.rows == 0 and not prep.errors:  # e.g. an empty template
        prep.errors.extend(Issue(f"er staan geen gegevens onder de kopregel (rij {sheet.header_row}).", sheet.name)
                           for sheet in sheets.values() if sheet.spec.required and not sheet.n_rows)
        if not prep.errors:
            prep.errors.append(Issue("Het bestand bevat geen gegevensrijen onder de kopregel."))
    _resolve_peildatum(prep, peildatum, sheets)
    if len(prep.errors) > MAX_ERRORS:
        rest = len(prep.errors) - MAX_ERRORS
        prep.errors = prep.errors[:MAX_ERRORS] + [Issue(f"… en nog {rest} fouten (alleen de eerste "
                                                          f"{MAX_ERRORS} worden getoond).")]
    return prep


def prepare(data: bytes, file_name: str, kind: str | None = None, peildatum: date | None = None,
            con=None, limits: Limits | None = None) -> Prepared:
    """Read and validate a file against the contract and the current store; write nothing.
    `con` is an open connection for context (current formatie, earlier files); None = empty store."""
    prep, sheets = read_file(data, file_name, kind, limits)
    return finish(prep, sheets, con, peildatum)


def _resolve_peildatum(prep: Prepared, given: date | None, sheets: dict[str, ParsedSheet]) -> None:
    if given is not None:
        prep.peildatum, prep.peildatum_bron = given, "opgegeven"
        return
    found = next((s.peildatum for s in sheets.values() if s.peildatum), None)
    if found is not None:
        prep.peildatum, prep.peildatum_bron = found, "bestand"
        return
    prep.peildatum, prep.peildatum_bron = date.today(), "vandaag"
    prep.warnings.append(Issue("Geen peildatum opgegeven of in het bestand gevonden; de datum van vandaag "
                               f"({date.today():%d-%m-%Y}) is gebruikt."))


# --- writing -----------------------------------------------------------------------
def _table(con, name: str) -> list[str]:
    """The columns of a table, in order (information_schema is a slow catalog scan)."""
    return [d[0] for d in con.execute(f'SELECT * FROM "{name}" LIMIT 0').description]


def _insert(con, table: str, version: int, rows: list[dict] | pa.Table) -> None:
    """Insert a kind's rows (list of dicts, or a pyarrow Table from a columnar kind)."""
    import pyarrow as pa  # imported here: on the CLI it is already loaded while fastexcel parses
    if not len(rows):
        return
    if isinstance(rows, pa.Table):
        cols = [col for col in _table(con, table) if col in rows.column_names]
        arrow = rows
    else:
        cols = [col for col in _table(con, table) if col != "version"]
        arrow = pa.Table.from_pylist([{col: r.get(col) for col in cols} for r in rows])
    con.register("_incoming", arrow)
    try:
        con.execute(f"INSERT INTO {table} (version, {', '.join(cols)}) "
                    f"SELECT ?, {', '.join(cols)} FROM _incoming", [version])
    finally:
        con.unregister("_incoming")


def commit(con, prep: Prepared, user) -> int:
    """Write a prepared, valid load as a new version and make it current: one transaction.
    `user`: who loads it (an Identity from the app, a name, or None for the OS user;
    etl.logboek.as_actor); versie.loaded_by gets the name, the audit trail the whole identity."""
    assert prep.ok and prep.built is not None
    actor = logboek.as_actor(user)
    con.begin()
    try:
        version = con.execute("SELECT coalesce(max(version), 0) + 1 FROM versie WHERE kind = ?",
                              [prep.kind]).fetchone()[0]
        previous = con.execute("SELECT version FROM huidige_versie WHERE kind = ?", [prep.kind]).fetchone()
        # look first: INSERT OR IGNORE of a 2 MB blob costs ~90 ms, a plain INSERT ~10 ms
        if con.execute("SELECT 1 FROM bestand WHERE sha256 = ?", [prep.sha256]).fetchone() is None:
            con.execute("INSERT INTO bestand VALUES (?, ?, ?)", [prep.sha256, prep.data, len(prep.data)])
        con.execute("INSERT INTO versie VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [prep.kind, version, prep.peildatum, datetime.now(), actor.name, prep.file_name, prep.sha256,
                     prep.rows, len(prep.skipped), [str(w) for w in prep.warnings]])
        for table, rows in prep.built.tables.items():
            _insert(con, table, version, rows)
        con.execute("INSERT OR REPLACE INTO huidige_versie VALUES (?, ?)", [prep.kind, version])
        con.execute("INSERT INTO gebeurtenis VALUES (?, ?, ?, 'load', ?, ?)",
                    [datetime.now(), actor.name, prep.kind, version, previous[0] if previous else None])
        logboek.record(con, actor, "laden", f"{prep.kind} versie {version}: {prep.file_name}",
                       f"{prep.kind} v{version}", f"sha256 {prep.sha256}")
        if pause := float(os.environ.get("STUURBORD_TEST_PAUSE_IN_COMMIT", 0)):
            time.sleep(pause)  # test hook: lets the crash test kill -9 mid-transaction
        con.commit()
    except Exception:
        con.rollback()
        raise
    return version


def default_user() -> str:
    return logboek.os_user()


def load(source: str | os.PathLike | bytes, file_name: str | None = None, kind: str | None = None,
         peildatum: date | None = None, user=None, db=None) -> LoadResult:
    """Load one file end to end under the writer lock (the command line and the upload page)."""
    if isinstance(source, (bytes, bytearray)):
        data, name = bytes(source), file_name or "upload.xlsx"
    else:
        path = Path(source)
        name = file_name or path.name
        try:
            _check_path(path, name)
            data = path.read_bytes()
        except FileRefused as exc:
            return LoadResult(Prepared(name, "", b"", errors=[Issue(str(exc))]))
    with store.write_lock(db):
        prep, sheets = read_file(data, name, kind)  # readers keep the database meanwhile
        with store.writer(db, lock_held=True) as con:
            prep = finish(prep, sheets, con, peildatum)
            if not prep.ok:
                return LoadResult(prep)
            if prep.same_as_version is not None:
                return LoadResult(prep, prep.same_as_version, loaded=False)
            version = commit(con, prep, user)
    return LoadResult(prep, version, loaded=True)


def _check_path(path: Path, name: str) -> None:
    """Type and size are checked on the path, before the bytes are read into memory."""
    check_type(name)
    if not path.is_file():
        raise FileRefused(f"Bestand '{path}' bestaat niet.")
    check_size(path.stat().st_size, Limits.from_env())


def restore(kind: str, version: int, user=None, db=None) -> int | None:
    """Point the current version of `kind` at an earlier one; recorded as an event and in the
    audit trail (`user` as in `commit`). Returns the previous current version."""
    actor = logboek.as_actor(user)
    with store.writer(db) as con:
        exists = con.execute("SELECT 1 FROM versie WHERE kind = ? AND version = ?", [kind, version]).fetchone()
        if not exists:
            raise LookupError(f"Er is geen versie {version} van soort '{kind}'.")
        con.begin()
        try:
            prev = con.execute("SELECT version FROM huidige_versie WHERE kind = ?", [kind]).fetchone()
            con.execute("INSERT OR REPLACE INTO huidige_versie VALUES (?, ?)", [kind, version])
            con.execute("INSERT INTO gebeurtenis VALUES (?, ?, ?, 'restore', ?, ?)",
                        [datetime.now(), actor.name, kind, version, prev[0] if prev else None])
            logboek.record(con, actor, "terugzetten", f"{kind} versie {version} (was {prev[0] if prev else '-'})",
                           f"{kind} v{version}")
            con.commit()
        except Exception:
            con.rollback()
            raise
    return prev[0] if prev else None


def to_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
