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
EXCEL_CELL_MAX = 32_767  # characters Excel (and xlsxwriter, openpyxl) write in one cell


def write_xlsx(path, sheets: dict[str, list[list]], engine: str = "xlsxwriter",
               vba_project: bytes | None = None) -> Path:
    """Write `sheets` (name -> rows, each a list of cell values from column A) to `path`.
    `vba_project` adds those bytes as xl/vbaProject.bin (a macro workbook; name it .xlsm).
    A text longer than Excel's 32.767 characters (a hostile file can hold one) is written
    as a placeholder and put into xl/sharedStrings.xml afterwards."""
    path = Path(path)
    longs = {}
    if engine == "xlsxwriter" and any(isinstance(v, str) and len(v) > EXCEL_CELL_MAX
                                      for rows in sheets.values() for row in rows for v in row):
        def short(v):
            if isinstance(v, str) and len(v) > EXCEL_CELL_MAX:
                key = f"LANGE-TEKST-{len(longs)}-LANGE-TEKST"
                longs[key] = v
                return key
            return v
        sheets = {name: [[short(v) for v in row] for row in rows] for name, rows in sheets.items()}
        write_xlsx(path, sheets, engine, vba_project)
        from xml.sax.saxutils import escape
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            strings = z.read("xl/sharedStrings.xml").decode()
        for key, text in longs.items():
            strings = strings.replace(f">{key}<", f">{escape(text)}<")
        path.write_bytes(rezip(data, {"xl/sharedStrings.xml": strings.encode()}))
        return path
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


# --- hostile text ----------------------------------------------------------------------
# Text an attacker can put in any text cell of a valid workbook, a note or a file name: Markdown,
# Streamlit directives, emoji and logo shortcodes, typographic arrows, LaTeX, HTML, an image (a
# tracking pixel: every viewer's browser would fetch it), links, bare URLs, an e-mail address,
# an entity, a formula, a bidirectional override that turns "0,17" into "71,0", zero-width
# characters. `.invalid` never resolves, so a leak cannot reach anyone.
HOSTILE = ("**vet** _schuin_ `code` ~~weg~~ :red[rood] :blue-background[blauw] :material/warning: :smile: "
           ":streamlit: a -> b >= c $x^2$ $$\\int_0^1 x$$ <b>html</b> <img src=x onerror=alert(1)> "
           "![pixel](http://elders.invalid/p.png) [link](http://elders.invalid/l) <http://elders.invalid/a> "
           "http://elders.invalid/kaal www.elders.invalid jan@elders.invalid &amp; &lt;i&gt; %{x} "
           "\n# kop\n- lijst\n1. lijst\n> citaat | a | b | =HYPERLINK(\"http://elders.invalid\",\"klik\") "
           "\u202e0,17\u202c z\u200bero\u200dwidth\ufeff\u2066x\u2069")
# what a reader must see of HOSTILE as typed (the part before the invisible characters)
HOSTILE_VISIBLE = ("**vet** _schuin_ `code` ~~weg~~ :red[rood] :blue-background[blauw] :material/warning: :smile: "
                   ":streamlit: a -> b >= c $x^2$")
LONG = 100_000  # characters of the long variant


def hostile(tag: str, length: int | None = None) -> str:
    """`tag` followed by HOSTILE (tags keep names unique); `length`: repeated up to that many
    characters (a 100.000-character name)."""
    text = f"{tag} {HOSTILE}"
    if length:
        text = (text + " ") * (length // (len(text) + 1) + 1)
        text = text[:length].rstrip() + " einde"
    return text


def hostile_sheets(long: bool = True) -> dict[str, dict[str, list[list]]]:
    """Per kind a valid workbook with a hostile text in every text column (the columns of
    enumerations excepted: those only accept their choices). The first data row of every
    sheet carries the LONG variant in every text column when `long`. Loaded after the
    standard workbooks (same eenheden for capaciteit), each kind becomes its version 2.
    Tags: E eenheid, C cluster, K coach, O onderdeel, P personeelsnummer, N naam, F functie,
    A afdeling, Q code, D omschrijving, U kpi-eenheid, B bron, G opgave, R opdrachtgever,
    W portefeuillehouder, J project, L projectleider, M mijlpaal."""
    def h(tag, row):
        return hostile(tag, LONG if long and row == 1 else None)
    # every signal fires, so every sentence that names data is on a page: K1 leads 24 fte (above the
    # span norm), E3 is overbezet, E4 has no coach, G1 is late, over budget and asks too much of E1,
    # G2 is closed without evaluation, G3 has no opdrachtgever
    e = [h("E1", 1), h("E2", 2), h("E3", 3), h("E4", 4)]  # referenced by coaches, plaatsingen, capaciteit
    c = [h("C1", 1), h("C2", 2)]
    organisatie = {
        "Eenheden": [["Cluster", "Eenheid", "Formatie fte"], [c[0], e[0], 30], [c[0], e[1], "6,5"], [c[1], e[2], 2],
                     [c[1], e[3], 1]],
        "Coaches": [["Coach", "Eenheid", "Aandeel"], [h("K1", 1), e[0], None], [h("K2", 2), e[1], None],
                    [h("K2", 2), e[2], None]],
        "Opbouw": [["Onderdeel", "Fte onderdeel", "Percentage", "Bewerking", "Fte opgegeven"],
                   [h("O1", 1), 380, "52%", "basis", "200,11"], [h("O2", 2), "45,57", "52%", "-", 23.6964],
                   ["Totaal fte in Wassenaarse organisatie", None, None, None, "189,95"]],
    }
    wasword = {"Blad1": [
        ["Personeelsnummer", "Naam", "Huidige functie", "Huidige afdeling", "Nieuwe functie", "Eenheid", "Schaal",
         "Fte", "Plaatsingsvorm"]]
        + [[h(f"P{i}", i), h(f"N{i}", i), h(f"F{i}", i), h(f"A{i}", i), h(f"V{i}", i),
            e[0] if i <= 24 else e[1] if i <= 27 else e[2], 8, 1, "functievolgend"] for i in range(1, 31)]
        # P2 also works 0,2 fte in E2: a double placement
        + [[h("P2", 2), h("N2", 2), h("F2", 2), h("A2", 2), h("V2", 2), e[1], 8, 0.2, "functievolgend"]]}
    q = [h("Q1", 1), h("Q2", 2)]
    kpi = {
        "Normen": [["Code", "Omschrijving", "Eenheid", "Streefwaarde", "Richting", "Meeteenheid", "Bron"],
                   [q[0], h("D1", 1), h("U1", 1), "80%", "hoger", "%", h("B1", 1)],
                   [q[1], h("D2", 2), None, 56, "lager", "dagen", h("B2", 2)]],
        "Scores": [["Code", "Periode", "Waarde", "Aantal"], [q[0], "2021-01", "0,93", 120], [q[0], "2021-02", "75%", 98],
                   [q[1], "2021-Q1", 60, 12], [q[1], "2021-Q2", 50, 10]],
    }
    g = [h("G1", 1), h("G2", 2)]
    opgaven = {
        "Opgaven": [["Opgave", "Opdrachtgever", "Portefeuillehouder", "Fase", "Start", "Einde gepland", "Voortgang",
                     "Budget", "Besteed", "Evaluatie gereed"],
                    [g[0], h("R1", 1), h("W1", 1), "uitvoering", date(2021, 1, 4), date(2022, 12, 31), "40%",
                     100000, 120000, None],
                    [g[1], h("R2", 2), h("W2", 2), "afgesloten", date(2020, 1, 1), date(2021, 3, 1), 1, 50000, 1000,
                     None],
                    [h("G3", 3), "n.t.b.", None, "verkenning", None, None, None, None, None, None]],
        "Projecten": [["Project", "Opgave", "Projectleider", "Intern/extern", "Fase", "Voortgang"],
                      [h("J1", 1), g[0], h("L1", 1), "extern", "uitvoering", "50%"]],
        "Mijlpalen": [["Opgave", "Mijlpaal", "Gepland", "Gerealiseerd"],
                      [g[0], h("M1", 1), date(2021, 3, 1), None], [g[0], h("M2", 2), date(2021, 2, 1), date(2021, 2, 20)],
                      [g[1], h("M3", 3), date(2021, 9, 1), None]],
        "Capaciteit": [["Opgave", "Eenheid", "Gevraagd fte", "Toegezegd fte"], [g[0], e[0], 8, 1], [g[0], e[1], 0.5, None],
                       [g[1], e[2], 1, 1]],
    }
    return {"organisatie": organisatie, "wasword": wasword, "kpi": kpi, "opgaven": opgaven}


def load_hostile(db, directory, long: bool = True) -> None:
    """Into an initialised `db`: the standard workbook of each kind (version 1), then the
    hostile one (version 2, file name and user hostile too), a hostile note and a scenario with
    a hostile name and author. Some texts then get invisible characters written straight into
    the store, as if they predated the import's cleaning. Peildatum 1-6-2021."""
    from etl import annotations, pipeline
    directory = Path(directory)
    standard = {"organisatie": organisatie_sheets(), "wasword": wasword_sheets(), "kpi": kpi_sheets(),
                "opgaven": opgaven_sheets()}
    for kind, sheets in standard.items():
        result = pipeline.load(write_xlsx(directory / f"{kind}.xlsx", sheets), db=db, peildatum=PEILDATUM,
                               user="test")
        assert result.loaded, errors(result)
    for kind, sheets in hostile_sheets(long).items():
        data = write_xlsx(directory / f"{kind}-hostile.xlsx", sheets).read_bytes()
        result = pipeline.load(data, file_name=f"{kind} {HOSTILE[:60]} .xlsx", db=db, peildatum=PEILDATUM,
                               user=hostile("U")[:80])
        assert result.loaded, (kind, errors(result)[:5])
    code = query(db, "SELECT code FROM kpi_norm WHERE version = (SELECT version FROM huidige_versie "
                     "WHERE kind = 'kpi') ORDER BY length(code) DESC LIMIT 1")[0][0]
    annotations.add(code, "2021-02", hostile("T")[:200], hostile("X")[:60], db=db)
    # text stored before the import removed invisible characters (an older Stuurbord, a DuckDB
    # client): the screen and the exports must still not show them (stuurbord.ui.safe)
    import duckdb
    con = duckdb.connect(str(db))
    try:
        for table, column in (("org_coach", "coach"), ("kpi_norm", "omschrijving"), ("opg_opgave", "opdrachtgever"),
                              ("opg_mijlpaal", "mijlpaal"), ("org_eenheid", "cluster")):
            con.execute(f"UPDATE {table} SET {column} = {column} || ' \u202e71,0\u202c\u200b\u2066x\u2069' "
                        "WHERE version = 2")
    finally:
        con.close()
    # a saved scenario: its name and its author are a user's text
    from stuurbord.access import identity
    from stuurbord.data import queries
    from stuurbord.data import scenarios
    from stuurbord.domain import scenario as sc
    from etl import store
    with store.reader(db) as con:
        org = sc.uit_invoer(queries.regel_invoer(con))
    eenheid = query(db, "SELECT eenheid FROM org_eenheid WHERE version = 2 ORDER BY length(eenheid) LIMIT 1")[0][0]
    coach = query(db, "SELECT coach FROM org_coach WHERE version = 2 ORDER BY length(coach) LIMIT 1")[0][0]
    edit = {"soort": sc.VERPLAATS_EENHEID, "eenheid": eenheid, "naar": coach}
    current = identity.current
    identity.current = lambda: identity.Identity(hostile("S")[:80], role="beheer")
    try:
        scenarios.opslaan(hostile("SC")[:scenarios.MAX_NAAM], sc.toepassen(org, edit), [edit],
                          {"organisatie": 2, "wasword": 2, "opgaven": 2}, db=db)
    finally:
        identity.current = current


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
