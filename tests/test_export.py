"""Exports for the raad: suppression of small numbers (with complementary suppression),
the allow-list, formula-injection safety, Dutch Excel/CSV formats, provenance, PNG, and
the raadspakket (PDF read back with pypdf, Excel with openpyxl)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

import fixtures as fx
from stuurbord.ui import fmt
from stuurbord.access import privacy
from stuurbord.data import queries
from stuurbord.export import cells, csvfile, excel, images, pack, views
from stuurbord.export.table import Column, Herkomst, Table
from test_pages import _demo_template, demo_db  # noqa: F401 (fixtures)

PAYLOAD = '=HYPERLINK("http://x","klik")'
NEEDS_CHROMIUM = pytest.mark.skipif(not images.available(), reason="Chromium ontbreekt")


def con_of(path):
    return duckdb.connect(str(path), read_only=True)


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


def all_cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so Excel reads ë and ö"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


# --- suppression ------------------------------------------------------------------------------------
def test_suppress_hides_small_cells_and_one_complement_per_sum():
    counts = {"e1": 3, "e2": 12, "e3": 20, "A": 35, "f1": 15, "f2": 30, "B": 45, "T": 80}
    eq = [("A", ["e1", "e2", "e3"]), ("B", ["f1", "f2"]), ("T", ["A", "B"])]
    # e1 (3 persons) primary; then A = e1 + e2 + e3 would reveal it: the smallest other member goes too
    assert privacy.suppress(counts, eq) == {"e1", "e2"}


def test_suppress_propagates_through_the_hierarchy():
    # cluster B has 4 persons in all: B and both its members are primary; T = A + B then reveals B,
    # so A is hidden too, and A = a1 + a2 then needs a second hidden member
    counts = {"a1": 10, "a2": 30, "A": 40, "b1": 1, "b2": 3, "B": 4, "T": 44}
    eq = [("A", ["a1", "a2"]), ("B", ["b1", "b2"]), ("T", ["A", "B"])]
    hidden = privacy.suppress(counts, eq)
    assert hidden == {"b1", "b2", "B", "A", "a1"}
    for total, members in eq:  # never exactly one hidden cell in a published sum
        assert sum(c in hidden for c in [total, *members]) != 1


def test_zero_is_not_suppressed_and_not_chosen_as_complement_when_avoidable():
    counts = {"x": 0, "y": 2, "z": 7, "w": 9, "T": 18}
    assert privacy.suppress(counts, [("T", ["x", "y", "z", "w"])]) == {"y", "z"}


def test_formatie_table_hides_person_figures_of_small_eenheden_but_keeps_formatie():
    fte = pd.DataFrame({
        "cluster": ["A", "A", "A", "B", "B"], "eenheid": ["e1", "e2", "e3", "f1", "f2"],
        "formatie_fte": [3.0, 11.0, 18.0, 14.0, 28.0], "bezetting_fte": [2.5, 10.8, 17.0, 13.9, 27.5],
        "vacature_fte": [0.5, 0.2, 1.0, 0.1, 0.5], "personen": [3, 12, 20, 15, 30]})
    table, hidden_eenheden = views.formatie_tabel(fte)
    rows = {r: i for i, r in enumerate(table.frame["eenheid"])}
    col = {c.key: c for c in table.columns}
    assert hidden_eenheden == {"e1", "e2"}
    # e1 (3 persons) is about fewer than 5 persons: "<5"; e2 (12 persons) is hidden only so that the
    # cluster total cannot reveal e1: "×" with its footnote, never an untrue "<5"
    for e, mark in (("e1", "<5"), ("e2", "×")):
        for key in ("bezetting_fte", "vacature_fte", "personen"):
            assert table.text(rows[e], col[key]) == mark
        assert table.text(rows[e], col["formatie_fte"]) not in ("<5", "×")  # formatie is not about persons
    assert table.footnotes() == ["<5 = berekend uit minder dan 5 personen; weggelaten",
                                 "× = weggelaten om een ander cijfer te beschermen"]
    assert table.text(rows["e3"], col["personen"]) == "20"
    assert table.text(rows["Totaal A"], col["bezetting_fte"]) == "30,30"  # two hidden members: total is safe
    assert table.text(rows["Hele organisatie"], col["personen"]) == "80"
    # the span of a coach who leads only e1 is e1's bezetting: hidden too
    span = pd.DataFrame({"coach": ["Anna", "Bram"], "eenheden": ["e1", "e3"], "fte": [2.5, 17.0],
                         "personen": [3.0, 20.0], "norm_fte": [22, 22], "boven_norm": [False, False]})
    st = views.span_tabel(span, fte)
    fte_col = next(c for c in st.columns if c.key == "fte")
    texts = {st.frame.at[i, "leidt"]: st.text(i, fte_col) for i in st.rows()}
    assert texts == {"e1": "<5", "e3": "17,00"}


def test_plaatsingsvormen_cross_table_is_suppressed_in_both_directions():
    cross = pd.DataFrame({"cluster": ["A", "A", "B", "B"], "plaatsingsvorm": ["functievolgend", "passend"] * 2,
                          "plaatsingen": [40, 2, 30, 9]})
    t = views.plaatsingsvormen_tabel(cross)
    shown = [[t.text(i, c) for c in t.columns] for i in t.rows()]
    assert shown[0] == ["A", "<5", "<5", "<5"] or shown[0][2] == "<5"
    hidden = t.hidden
    # every row and every column with a hidden cell has at least two
    for i in t.rows():
        assert sum((i, c.key) in hidden for c in t.columns) != 1
    for c in t.columns[1:]:
        assert sum((i, c.key) in hidden for i in t.rows()) != 1
    assert shown[-1][-1] == "81"  # grand total stays


# --- allow-list and names ------------------------------------------------------------------------------
def test_a_raad_table_refuses_a_name_column():
    with pytest.raises(ValueError, match="names"):
        Table("x", "X", [Column("coach", "Coach")], pd.DataFrame({"coach": ["Anna"]}))


def test_only_declared_columns_leave(full_db):
    with con_of(full_db) as con:
        span = queries.span_per_coach(con)
        fte = queries.fte_per_eenheid(con)
    t = views.span_tabel(span, fte)
    assert "coach" in span.columns and "coach" not in t.frame.columns
    data = excel.table_xlsx(t, Herkomst.of({}))
    assert not {"Anna", "Bram", "Carla"} & set(map(str, all_cells(data)))


# --- formula injection ---------------------------------------------------------------------------
def test_cells_neutralises_every_trigger_but_not_plain_text():
    for t in ("=1+1", "+31", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert cells.neutralise(t) == "'" + t
    assert cells.neutralise("Anna") == "Anna"


@pytest.fixture
def hyperlink_db(db, load):
    """The standard data with a coach named =HYPERLINK(...)."""
    sheets = fx.organisatie_sheets()
    sheets["Coaches"][1][0] = PAYLOAD
    assert load(sheets, "org.xlsx", peildatum=fx.PEILDATUM).loaded
    assert load(fx.wasword_sheets(), "ww.xlsx", peildatum=fx.PEILDATUM).loaded
    return db


def test_a_coach_named_like_a_formula_stays_text_in_xlsx_and_csv(hyperlink_db):
    with con_of(hyperlink_db) as con:
        span, fte = queries.span_per_coach(con), queries.fte_per_eenheid(con)
        herkomst = Herkomst.of(queries.current_versions(con))
    assert PAYLOAD in set(span["coach"])
    intern = views.span_tabel(span, fte, audience="intern")
    data = excel.table_xlsx(intern, herkomst)
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml, "no formula element in any sheet"
    assert PAYLOAD in all_cells(data)  # shown as the text it is
    assert 'quotePrefix="1"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    rows = read_csv(csvfile.csv_bytes(intern))
    coach_cells = [r[0] for r in rows[1:] if r]
    assert "'" + PAYLOAD in coach_cells and PAYLOAD not in coach_cells
    # for the raad the coach is not named at all
    raad = views.span_tabel(span, fte)
    assert PAYLOAD not in csvfile.csv_bytes(raad).decode("utf-8-sig")
    assert PAYLOAD not in map(str, all_cells(excel.table_xlsx(raad, herkomst)))


# --- Dutch formats, provenance ------------------------------------------------------------------------
def test_formatie_xlsx_has_header_block_numbers_with_formats_and_footer(demo_db):
    with con_of(demo_db) as con:
        fte = queries.fte_per_eenheid(con)
        versions = queries.current_versions(con)
    herkomst = Herkomst.of(versions, ("organisatie", "wasword"))
    table, _ = views.formatie_tabel(fte)
    wb = openpyxl.load_workbook(io.BytesIO(excel.table_xlsx(table, herkomst)))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Formatie en bezetting per eenheid"
    assert values[1][0] == "Peildatum: 1 juni 2021"
    assert "Was/wordt-lijst versie 2" in values[2][0] and "Formatie en coaches versie 1" in values[2][0]
    assert values[3][0].startswith("Gemaakt op: ")
    header = values.index(["Cluster", "Eenheid", "Formatie (fte)", "Bezetting (fte)", "Vacatures (fte)", "Personen"])
    body = {r[1]: r for r in values[header + 1:] if r[1]}
    oov = body["Openbare Orde en Veiligheid"]
    assert oov[2] == 9.0 and isinstance(oov[4], float) and oov[4] < 0, "negative numbers stay numbers"
    total = body["Hele organisatie"]
    assert total[2] == pytest.approx(189.95) and total[3] == pytest.approx(189.5)
    cell = ws.cell(row=header + 2, column=3)
    assert cell.number_format == "#,##0.00" and cell.data_type == "n"
    footer = " ".join(str(v[0]) for v in values[-5:] if v[0])
    for kind in ("organisatie", "wasword"):
        assert versions[kind]["sha256"] in footer
    assert "minder dan 5 personen" in footer
    assert "Pagina &P van &N" in ws.oddFooter.right.text


def _formatie_csv(db) -> tuple[bytes, Herkomst]:
    with con_of(db) as con:
        table, _ = views.formatie_tabel(queries.fte_per_eenheid(con), queries.fte_per_cluster(con),
                                        queries.kerncijfers(con)["personen"])
        herkomst = Herkomst.of(queries.current_versions(con), table.kinds)
    return csvfile.csv_bytes(table, herkomst), herkomst


def test_csv_is_dutch_excel_csv_with_its_provenance_below(demo_db):
    data, herkomst = _formatie_csv(demo_db)
    rows = read_csv(data)
    assert rows[0] == ["Cluster", "Eenheid", "Formatie (fte)", "Bezetting (fte)", "Vacatures (fte)", "Personen"]
    by = {r[1]: r for r in rows[1:] if len(r) > 1}
    assert by["Hele organisatie"][2:] == ["189,95", "189,50", "0,45", "224"]  # distinct persons, as the Kerncijfers
    assert by["Openbare Orde en Veiligheid"][4] == "-0,31", "a negative number is not neutralised"
    assert by["Financiën en control"][1] == "Financiën en control"
    tail = rows[rows.index([csvfile.HERKOMST]) - 1:]
    assert tail[0] == [] and [r[0] for r in tail[2:]] == herkomst.lines()
    for kind in ("organisatie", "wasword"):
        assert herkomst.versions[kind]["sha256"] in tail[-1][0]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) ontbreekt")
def test_libreoffice_still_reads_the_csv_as_a_table_of_numbers(demo_db, tmp_path):
    """The provenance below the table does not disturb a spreadsheet: LibreOffice (as Dutch
    Excel: ; separated, UTF-8, Dutch locale) converts the CSV to xlsx with the header in row 1,
    the figures as numbers and the provenance as text in column A below."""
    data, herkomst = _formatie_csv(demo_db)
    src = tmp_path / "formatie.csv"
    src.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--infilter=CSV:59,34,76,1,,1043", "--outdir", str(tmp_path),
                    str(src)], check=True, capture_output=True, timeout=180)
    ws = openpyxl.load_workbook(tmp_path / "formatie.xlsx").active
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[0][:6] == ("Cluster", "Eenheid", "Formatie (fte)", "Bezetting (fte)", "Vacatures (fte)", "Personen")
    by = {r[1]: r for r in rows[1:] if r[1]}
    assert by["Hele organisatie"][2:6] == (189.95, 189.5, 0.45, 224)
    assert by["Openbare Orde en Veiligheid"][4] == -0.31
    col_a = [r[0] for r in rows if r[0]]
    assert col_a[-len(herkomst.lines()):] == herkomst.lines() and csvfile.HERKOMST in col_a


def test_kpi_values_follow_their_unit_in_every_format(demo_db):
    with con_of(demo_db) as con:
        s = views.dienstverlening(queries.kpi_scores(con), queries.kpi_normen(con), queries.kpi_notities(con))
    t = s.tables[0]
    score = next(c for c in t.columns if c.key == "waarde")
    rows = read_csv(csvfile.csv_bytes(t))
    by_code = {r[0]: r for r in rows[1:]}
    i = next(i for i in t.rows() if t.frame.at[i, "code"] == "DV-TEL30")
    assert t.text(i, score) == fmt.pct(t.frame.at[i, "waarde"])
    assert by_code["DV-TEL30"][3] == fmt.kaal(t.frame.at[i, "waarde"] * 100, 1) + "%"
    j = next(i for i in t.rows() if t.frame.at[i, "meeteenheid"] == "dagen")
    assert t.text(j, score).endswith("dagen")
    assert "meeteenheid" not in rows[0]


def test_kpi_notes_travel_with_their_period_but_not_their_author(demo_db):
    from etl import annotations
    with con_of(demo_db) as con:
        periode = queries.kpi_scores(con)["periode"].max()
    annotations.add("DV-TEL30", periode, "storing telefooncentrale", "Marieke Schrijver")
    with con_of(demo_db) as con:
        s = views.dienstverlening(queries.kpi_scores(con), queries.kpi_normen(con), queries.kpi_notities(con))
    t = s.tables[0]
    i = next(i for i in t.rows() if t.frame.at[i, "code"] == "DV-TEL30")
    assert t.frame.at[i, "toelichting"] == "storing telefooncentrale"
    fig = next(f for f in s.figures if f.slug == "trend-DV-TEL30").fig
    assert any("storing telefooncentrale" in a.text for a in fig.layout.annotations), "note beside its point"
    assert "Marieke Schrijver" not in csvfile.csv_bytes(t).decode("utf-8-sig")
    # the raadspakket draws the trends as small multiples, six per figure; the note is still there
    with con_of(demo_db) as con:
        grid = views.dienstverlening(queries.kpi_scores(con), queries.kpi_normen(con), queries.kpi_notities(con),
                                     grid=True)
    assert [f.slug for f in grid.figures] == ["trends-1", "trends-2"]  # ten norms
    notes = [a["text"] for f in grid.figures for a in f.fig["layout"]["annotations"] if a["text"].startswith("✎")]
    assert notes == ["✎ storing telefooncentrale"]


# --- PNG and the raadspakket ------------------------------------------------------------------------
@NEEDS_CHROMIUM
def test_png_has_title_and_provenance(demo_db):
    with con_of(demo_db) as con:
        sec = views.formatie(queries.fte_per_eenheid(con))
        herkomst = Herkomst.of(queries.current_versions(con), sec.kinds)
    spec = images.for_print(sec.figures[0].fig, sec.figures[0].title)
    assert "Formatie en bezetting per eenheid" in spec["layout"]["title"]["text"]
    assert "Was/wordt-lijst versie 2" in images.footer(herkomst)[0]
    assert images.footer(herkomst, "× = weggelaten")[0] == "× = weggelaten"
    data = images.png(sec.figures[0].fig, sec.figures[0].title, herkomst)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    width, height = Image.open(io.BytesIO(data)).size
    assert width == 2 * images.WIDTH
    assert height > 2 * spec["layout"]["height"] + 2 * 3 * 10, "the chart plus a footer band of three lines or more"
    # the file hash: the SHA-256 of each source workbook, in the footer and in the PNG's text chunks
    lines = images.footer(herkomst)
    for kind in sec.kinds:
        assert herkomst.versions[kind]["sha256"] in lines[-1] and lines[-1].startswith("SHA-256 bronbestanden")
    info = Image.open(io.BytesIO(data)).info
    assert info["Title"] == "Formatie en bezetting per eenheid"
    assert all(herkomst.versions[k]["sha256"] in info["Source"] for k in sec.kinds)


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory):
    from etl.demo import load_demo
    path = tmp_path_factory.mktemp("pak") / "demo.duckdb"
    load_demo(db=path, log=lambda *_: None)
    with con_of(path) as con:
        return pack.build(con), fx.query_dicts(path, "SELECT * FROM versies WHERE is_current"), path


def _pdf_pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


@NEEDS_CHROMIUM
def test_raadspakket_pdf_has_cover_footer_on_every_page_and_dutch_figures(demo_pack):
    pakket, versions, _ = demo_pack
    pages = _pdf_pages(pakket.pdf)
    assert len(pages) == pakket.pages >= 8
    cover = " ".join(pages[0].split())
    assert "Raadspakket Stuurbord" in cover and "synthetische demogegevens" in cover
    for n, text in enumerate(pages, 1):
        flat = text.replace("\n", " ")
        assert f"Pagina {n} van {len(pages)}" in flat
        for v in versions:  # every page traces to the uploads
            assert v["sha256"] in re.sub(r"\s+", "", text)
    body = " ".join(pages).replace("\u00a0", " ")
    for figure in ("189,95", "189,50", "200,1100", "Hele organisatie", "Span of attention", "Dienstverleningsnormen"):
        assert figure in body
    assert "minder dan 5 personen" in body


@NEEDS_CHROMIUM
def test_raadspakket_holds_no_personal_data(demo_pack):
    pakket, _, path = demo_pack
    names = {r["naam"] for r in fx.query_dicts(path, "SELECT naam FROM ww_plaatsing WHERE naam IS NOT NULL")}
    numbers = {r["personeelsnummer"] for r in fx.query_dicts(
        path, "SELECT personeelsnummer FROM ww_plaatsing WHERE personeelsnummer IS NOT NULL")}
    coaches = {r["coach"] for r in fx.query_dicts(path, "SELECT coach FROM org_coach")}
    opdrachtgevers = {r["opdrachtgever"] for r in fx.query_dicts(
        path, "SELECT opdrachtgever FROM opg_opgave WHERE opdrachtgever IS NOT NULL")}
    assert names and numbers and coaches
    pdf_text = " ".join(_pdf_pages(pakket.pdf))
    xlsx_text = " ".join(map(str, all_cells(pakket.xlsx)))
    for text in (pdf_text, xlsx_text):
        for personal in names | coaches | opdrachtgevers:
            assert personal not in text, personal
        assert not any(re.search(rf"\b{n}\b", text) for n in numbers)


@NEEDS_CHROMIUM
def test_raadspakket_xlsx_has_one_sheet_per_view_and_provenance(demo_pack):
    pakket, versions, _ = demo_pack
    wb = openpyxl.load_workbook(io.BytesIO(pakket.xlsx))
    assert wb.sheetnames == [s.title for s in pakket.sections if s.tables]
    for ws in wb:
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
        for v in versions:
            assert v["sha256"] in text
        assert "Pagina &P van &N" in ws.oddFooter.right.text
    assert "<f>" not in sheet_xml(pakket.xlsx)


def test_without_chromium_the_pack_is_excel_only(full_db, monkeypatch):
    monkeypatch.setattr(images, "browser", lambda: None)
    with con_of(full_db) as con:
        pakket = pack.build(con)
    assert pakket.pdf is None and "Chromium ontbreekt" in pakket.melding
    wb = openpyxl.load_workbook(io.BytesIO(pakket.xlsx))
    assert "Formatie en bezetting" in wb.sheetnames


def test_small_standard_data_is_suppressed_in_the_pack_workbook(full_db, monkeypatch):
    """The standard test organisation has 1–3 persons per eenheid: every person figure is
    suppressed, except the organisation total. Totals count distinct persons (Kees has
    placements in Belastingen and Inwonersloket): Totaal Dienstverlening is 4 persons, so
    "<5" (as placements it would be 5), and the organisation 6, as in the Kerncijfers."""
    monkeypatch.setattr(images, "browser", lambda: None)
    with con_of(full_db) as con:
        pakket = pack.build(con)
        personen = queries.kerncijfers(con)["personen"]
    ws = openpyxl.load_workbook(io.BytesIO(pakket.xlsx))["Formatie en bezetting"]
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r and r[1]}
    for e in ("Inwonersloket", "Belastingen", "Financiën", "ICT", "Totaal Bedrijfsvoering", "Totaal Dienstverlening"):
        assert rows[e][3] == "<5" and rows[e][5] == "<5", e
    assert rows["Inwonersloket"][2] == 12  # formatie is published
    assert rows["Hele organisatie"][5] == personen == 6


# --- the pages -----------------------------------------------------------------------------------------
def test_raadspakket_page_without_chromium_makes_the_excel_and_says_why(demo_db, monkeypatch):
    from test_pages import run_page
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run_page("raadspakket.py")
    assert any("Chromium ontbreekt" in w.value for w in at.warning)
    at.button(key="pakket_maken").click().run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Excel downloaden"], labels
    assert any("Pakket van" in s.value and "peildatum 1 juni 2021" in s.value for s in at.success)
    assert not at.exception and not at.error


@NEEDS_CHROMIUM
def test_raadspakket_page_offers_pdf_and_excel(demo_db):
    from test_pages import run_page
    at = run_page("raadspakket.py")
    at.button(key="pakket_maken").click().run(timeout=120)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["PDF downloaden", "Excel downloaden"]
    assert any("pagina’s" in s.value for s in at.success)


def test_the_command_line_builds_the_pack_and_records_it_as_the_os_user(demo_db, tmp_path):
    """`python -m stuurbord.export MAP --db PATH`: PDF and Excel in MAP, Dutch output, and the
    raadspakket in the audit trail with the OS user as the subject (the administrator's door)."""
    import getpass
    import subprocess
    import sys
    out = tmp_path / "pakket"
    done = subprocess.run([sys.executable, "-m", "stuurbord.export", str(out), "--db", str(demo_db)],
                          cwd=fx.ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".pdf", ".xlsx"] and "Raadspakket gemaakt in" in done.stdout
    assert re.search(r"gemaakt in \d+,\d\d s \(", done.stdout), done.stdout  # a Dutch decimal comma
    row = fx.query_dicts(demo_db, "SELECT * FROM logboek WHERE actie = 'raadspakket'")[-1]
    assert row["subject"] == f"os:{getpass.getuser()}" and row["versies"].startswith("kpi v1")
    assert row["onderwerp"] == str(out)
    usage = subprocess.run([sys.executable, "-m", "stuurbord.export"], cwd=fx.ROOT, capture_output=True, text=True)
    assert usage.returncode == 2 and "deze argumenten ontbreken: MAP" in usage.stderr
