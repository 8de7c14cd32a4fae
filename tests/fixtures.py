"""Workbooks made by code for the tests — the ONE place that builds them.

Everything here is plain functions (no pytest), so any test module can
`from fixtures import ...` (tests/ is on sys.path through conftest.py).

* `write_xlsx(path, {"Blad": [[header...], [row...], ...]})` writes a real .xlsx
  with xlsxwriter: `date`/`datetime` values become true Excel date cells, text
  stays text ("0,89" and "000123" are written as strings, never converted), and
  `None` is an empty cell. `engine="openpyxl"` writes with openpyxl instead;
  openpyxl turns strings starting with "=" into formulas *without* a saved value.
* `organisatie_sheets()`, `wasword_sheets()`, `kpi_sheets()`, `opgaven_sheets()`
  return fresh (mutable) copies of a small valid workbook per kind, with the
  hand-computed figures documented below; `write_*` write them to a path.
* `snapshot(db)` reads the contents of every table and view (for "the database
  is unchanged" assertions); `errors(result)` / `warnings(result)` give the
  messages of a `pipeline.LoadResult` as strings.
"""
from __future__ import annotations

import copy
import io
import os
import struct
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEILDATUM = date(2021, 6, 1)


# --- writing workbooks ------------------------------------------------------------
def write_xlsx(path, sheets: dict[str, list[list]], engine: str = "xlsxwriter",
               vba_project: bytes | None = None) -> Path:
    """Write `sheets` (name -> rows, each a list of cell values from column A) to `path`.
    `vba_project` adds those bytes as xl/vbaProject.bin (a macro workbook; name it .xlsm)."""
    path = Path(path)
    if engine == "openpyxl":
        import openpyxl
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in sheets.items():
            ws = wb.create_sheet(name)
            for r, row in enumerate(rows, start=1):
                for col, value in enumerate(row, start=1):
                    if value is not None:
                        cell = ws.cell(row=r, column=col, value=value)
                        if isinstance(value, (date, datetime)):
                            cell.number_format = "dd-mm-yyyy"
        wb.save(path)
        return path
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (date, datetime)):
                    ws.write_datetime(r, col, value if isinstance(value, datetime)
                                      else datetime(value.year, value.month, value.day), date_fmt)
                elif isinstance(value, bool):
                    ws.write_boolean(r, col, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, str(value))
    if vba_project is not None:
        bin_path = path.with_name(path.name + ".vbaProject.bin")
        bin_path.write_bytes(vba_project)
        wb.add_vba_project(str(bin_path))
    wb.close()
    return path


# --- hostile files -------------------------------------------------------------------
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None,
          compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the zip `data` with members replaced (None = dropped) and added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression) as zout:
        for info in zin.infolist():
            content = replace.get(info.filename, zin.read(info.filename))
            if content is not None:
                zout.writestr(info.filename, content)
        for name, content in add.items():
            zout.writestr(name, content)
    return out.getvalue()


def patch_member_header(data: bytes, member: str, *, file_size: int | None = None, crc: int | None = None,
                        flag_bits: int | None = None) -> bytes:
    """Overwrite fields of `member` in both its local header and the central directory:
    a lying uncompressed size, a CRC, or general-purpose flags (bit 0 = encrypted)."""
    buf = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    local = info.header_offset
    assert buf[local:local + 4] == b"PK\x03\x04"
    pos = buf.find(b"PK\x01\x02")
    central = None
    while pos != -1:
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + name_len]) == member.encode():
            central = pos
            break
        pos = buf.find(b"PK\x01\x02", pos + 4)
    assert central is not None
    if file_size is not None:
        struct.pack_into("<I", buf, local + 22, file_size)
        struct.pack_into("<I", buf, central + 24, file_size)
    if crc is not None:
        struct.pack_into("<I", buf, local + 14, crc)
        struct.pack_into("<I", buf, central + 16, crc)
    if flag_bits is not None:
        struct.pack_into("<H", buf, local + 6, flag_bits)
        struct.pack_into("<H", buf, central + 8, flag_bits)
    return bytes(buf)


# --- kind organisatie -------------------------------------------------------------
# Hand-computed with wasword_sheets() below:
#   eenheid        cluster          formatie  bezetting  vacature  personen
#   Belastingen    Dienstverlening     6.5        1.6        4.9        2
#   Inwonersloket  Dienstverlening    12          2.2        9.8        3
#   Financiën      Bedrijfsvoering     8          0.9        7.1        1
#   ICT            Bedrijfsvoering     0.5        1.0       -0.5        1   (overbezetting)
# Coaches: Anna leads Inwonersloket (share empty -> 1) and half of Belastingen;
# Bram the other half of Belastingen ("50%"); Carla Financiën and ICT (empty -> 1).
#   coach  eenheden                     fte                      personen
#   Anna   Belastingen, Inwonersloket   2.2 + 0.5*1.6 = 3.0      3 + 0.5*2 = 4.0
#   Bram   Belastingen                  0.5*1.6 = 0.8            1.0
#   Carla  Financiën, ICT               0.9 + 1.0 = 1.9          2.0
# Opbouw is the memo's table: computed total 187.4396, stated 189.9496, difference 2.51.
ORGANISATIE = {
    "Eenheden": [
        ["Cluster", "Eenheid", "Formatie fte"],
        ["Dienstverlening", "Inwonersloket", 12],
        ["Dienstverlening", "Belastingen", "6,5"],
        ["Bedrijfsvoering", "Financiën", 8],
        ["Bedrijfsvoering", "ICT", 0.5],
    ],
    "Coaches": [
        ["Coach", "Eenheid", "Aandeel"],
        ["Anna", "Inwonersloket", None],
        ["Anna", "Belastingen", 0.5],
        ["Bram", "Belastingen", "50%"],
        ["Carla", "Financiën", None],
        ["Carla", "ICT", None],
    ],
    "Opbouw": [
        ["Onderdeel", "Fte onderdeel", "Percentage", "Bewerking", "Fte opgegeven"],
        ["Totaal fte in de WODV", 380, "52%", "basis", "200,11"],
        ["MO in de hosting", "45,57", "52%", "-", 23.6964],
        ["Informatie & Automatisering en Post & Archief", "28,2", "48%", "+", 13.536],
        ["Totaal fte in Wassenaarse organisatie", None, None, None, "189,95"],
    ],
}


def organisatie_sheets(opbouw: bool = True) -> dict[str, list[list]]:
    """A fresh copy of the standard valid organisatie workbook (see the table above)."""
    sheets = copy.deepcopy(ORGANISATIE)
    if not opbouw:
        del sheets["Opbouw"]
    return sheets


def write_organisatie(path, opbouw: bool = True) -> Path:
    return write_xlsx(path, organisatie_sheets(opbouw))


# --- kind wasword -----------------------------------------------------------------
WASWORD = {
    "Blad1": [
        ["Personeelsnummer", "Naam", "Huidige functie", "Nieuwe functie", "Eenheid", "Schaal", "Fte",
         "Plaatsingsvorm"],
        ["000123", "Jan", "Baliemedewerker", "Medewerker loket", "Inwonersloket", 8, 1, "functievolgend"],
        ["000124", "Piet", "Baliemedewerker", "Medewerker loket", " inwonersloket ", "schaal 8", "0,5", None],
        ["000124", "Piet", "Baliemedewerker", "Coördinator loket", "Inwonersloket", 8, 0.3, "passend"],
        ["000125", "Kees", "Medewerker heffingen", "Adviseur", "Belastingen", 10, "0,6", None],
        ["000125", "Kees", "Medewerker heffingen", "Adviseur", "Inwonersloket", 10, 0.4, None],
        ["000126", "Els", "Medewerker WOZ", "Medewerker", "BELASTINGEN", 9, 1, "Uitwisselbaar"],
        [None, None, None, "Medewerker loket", "Inwonersloket", 8, 1, None],            # vacancy
        ["000127", "Fatima", "Controller", "Controller", "Financiën", 11, 0.9, None],
        [None, "NN", None, "Applicatiebeheerder", "ICT", 9, 1, "vacature"],          # vacancy
        ["000129", "Hans", "Beheerder", "Applicatiebeheerder", "ICT", 9, 1, None],
    ],
}


def wasword_sheets(sheet_name: str = "Blad1") -> dict[str, list[list]]:
    """A fresh copy of the standard was/wordt-lijst (one sheet, any name) matching ORGANISATIE."""
    return {sheet_name: copy.deepcopy(WASWORD["Blad1"])}


def write_wasword(path, sheet_name: str = "Blad1") -> Path:
    return write_xlsx(path, wasword_sheets(sheet_name))


# --- kind kpi ---------------------------------------------------------------------
# KCC-01 is a %-norm (target 80 %, higher is better), VERG-01 a number of days
# (target 56, lower is better), on quarters.
KPI = {
    "Normen": [
        ["Code", "Omschrijving", "Eenheid", "Streefwaarde", "Richting", "Meeteenheid", "Bron"],
        ["KCC-01", "Telefoon binnen 30 seconden opgenomen", "Inwonersloket", "80%", "hoger", "%",
         "dienstverleningsmanifest"],
        ["VERG-01", "Doorlooptijd omgevingsvergunning", None, 56, "Lager", "dagen", "wettelijk"],
    ],
    "Scores": [
        ["Code", "Periode", "Waarde", "Aantal"],
        ["KCC-01", "2021-01", "0,93", 120],
        ["KCC-01", "feb 2021", "75%", 98],
        ["kcc-01", "maart 2021", 80, None],
        ["VERG-01", "2021-Q1", 60, 12],
        ["VERG-01", "Q2 2021", 56, 10],
        ["VERG-01", "2021 K3", "40,5", 9],
    ],
}


def kpi_sheets() -> dict[str, list[list]]:
    """A fresh copy of the standard kpi workbook (long scores)."""
    return copy.deepcopy(KPI)


# --- kind opgaven -----------------------------------------------------------------
# At peildatum 1-6-2021, Duurzaam Wassenaar has 4 milestones: 2 realised (one on
# time, one late), 1 planned before the peildatum and not realised (late), 1 in
# the future: mijlpalen 4, gehaald 2, te laat 2. Capacity: asked 1,5 + 0,5 = 2,0,
# committed 1 (+ empty) = 1,0. Capaciteit needs the standard organisatie loaded.
OPGAVEN = {
    "Opgaven": [
        ["Opgave", "Opdrachtgever", "Portefeuillehouder", "Fase", "Start", "Einde gepland", "Voortgang",
         "Budget", "Besteed", "Evaluatie gereed"],
        ["Duurzaam Wassenaar", "A. Adviseur", "Wethouder Groen", "Uitvoering", date(2021, 1, 4), "31-12-2022",
         "40%", "1.250.000", "83.950,50", None],
        ["Digitale dienstverlening", "B. Adviseur", None, "ontwerp", None, None, "0,1", None, None, None],
        ["Sportpark", "C. Adviseur", None, "afgesloten", None, None, 100, 400000, 398000.5, "ja"],
    ],
    "Projecten": [
        ["Project", "Opgave", "Projectleider", "Intern/extern", "Fase", "Voortgang"],
        ["Zonnepanelen op daken", "duurzaam wassenaar", "P. Leider", "Extern", "uitvoering", "50%"],
    ],
    "Mijlpalen": [
        ["Opgave", "Mijlpaal", "Gepland", "Gerealiseerd"],
        ["Duurzaam Wassenaar", "Plan vastgesteld", "01-03-2021", date(2021, 2, 15)],
        ["Duurzaam Wassenaar", "Subsidie aangevraagd", date(2021, 4, 1), "15-04-2021"],
        ["Duurzaam Wassenaar", "Aanbesteding", "1 mei 2021", None],
        ["Duurzaam Wassenaar", "Oplevering", "2021-09-01", None],
        ["Digitale dienstverlening", "Start", "1-6-2021", None],
    ],
    "Capaciteit": [
        ["Opgave", "Eenheid", "Gevraagd fte", "Toegezegd fte"],
        ["Duurzaam Wassenaar", "Inwonersloket", "1,5", 1],
        ["Duurzaam Wassenaar", "financiën", 0.5, None],
        ["Digitale dienstverlening", "ICT", 2, 2],
    ],
}


def opgaven_sheets(capaciteit: bool = True) -> dict[str, list[list]]:
    """A fresh copy of the standard opgaven workbook (Capaciteit needs an organisatie loaded)."""
    sheets = copy.deepcopy(OPGAVEN)
    if not capaciteit:
        del sheets["Capaciteit"]
    return sheets


# --- reading results and the store -------------------------------------------------
def errors(result) -> list[str]:
    """The error messages of a pipeline.LoadResult (or Prepared) as strings."""
    prep = getattr(result, "prepared", result)
    return [str(e) for e in prep.errors]


def warnings(result) -> list[str]:
    prep = getattr(result, "prepared", result)
    return [str(w) for w in prep.warnings]


def query(db, sql: str, params=None) -> list[tuple]:
    """Rows of one query on a short-lived read-only connection."""
    from etl import store
    with store.reader(db) as con:
        return con.execute(sql, params or []).fetchall()


def query_dicts(db, sql: str, params=None) -> list[dict]:
    from etl import store
    with store.reader(db) as con:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


_SNAPSHOTS: dict[str, dict] = {}


def snapshot(db) -> dict[str, list]:
    """Contents of every table and view of the store (rows sorted), for before/after equality.

    Cached by the SHA-256 of the database file when there is no WAL: equal bytes are equal
    contents, so snapshots of copies of one template (and of a store a refused load did not
    touch) cost a hash instead of ~25 queries. Any change to the file misses the cache."""
    import hashlib
    from etl import store
    db = Path(db)
    key = None
    if not Path(str(db) + ".wal").exists():
        key = hashlib.sha256(db.read_bytes()).hexdigest()
        if key in _SNAPSHOTS:
            return _SNAPSHOTS[key]
    out = {}
    with store.reader(db) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "ORDER BY table_name").fetchall()]
        for name in names:
            rows = con.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
    if key is not None:
        _SNAPSHOTS[key] = out
    return out


def run_cli(*args, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` in a subprocess from the repository root (text output)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def popen_cli(*args, env: dict | None = None) -> subprocess.Popen:
    """`python -m etl ARGS` started in the background (for crash/concurrency tests)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "etl", *map(str, args)], cwd=ROOT, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
