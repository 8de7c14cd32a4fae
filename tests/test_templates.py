"""Excel templates (etl/templates.py): derived from the contract, with a Dutch Toelichting
and drop-down lists; empty they are refused clearly; filled with the demo data they load
as-is into exactly the figures of the demo workbooks themselves."""
from __future__ import annotations

import dataclasses
import io
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

import fixtures as fx
from etl import contract as c
from etl import pipeline, store, templates
from etl.demo import DEMO_DIR, DEMO_FILES, load_demo
from etl.sheets import Issue

KINDS = ("organisatie", "wasword", "kpi", "opgaven")


def open_template(kind: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(templates.template_bytes(kind)))


def header(ws) -> list[str]:
    return [cell.value for cell in ws[templates.HEADER_ROW] if cell.value is not None]


def lists(ws) -> dict[str, tuple[str, str]]:
    """Drop-down lists of a sheet: header of the column -> (range, formula)."""
    names = header(ws)
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        (rng,) = dv.sqref.ranges
        out[names[rng.min_col - 1]] = (rng.coord, dv.formula1)
    return out


def column_format(ws, letter: str) -> tuple[float, str]:
    """(width, number format) of a column; xlsxwriter groups equal adjacent columns."""
    index = openpyxl.utils.column_index_from_string(letter)
    dim = next(d for d in ws.column_dimensions.values() if d.min <= index <= d.max)
    return dim.width, dim.number_format


def toelichting(wb) -> dict[tuple[str, str], dict]:
    """The column table of the Toelichting sheet: (blad, kolom) -> row as a dict."""
    rows = list(wb[templates.TOELICHTING].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:3] == ("Blad", "Kolom", "Verplicht"))
    head = rows[top]
    return {(r[0], r[1]): dict(zip(head, r)) for r in rows[top + 1:] if r[1]}


# --- derived from the contract ---------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_template_has_the_contracts_sheets_headers_and_a_toelichting(kind):
    wb = open_template(kind)
    spec = c.KINDS[kind]
    assert wb.sheetnames == [s.name for s in spec.sheets] + ["Toelichting"]
    for sheet in spec.sheets:
        assert header(wb[sheet.name]) == [col.name for col in sheet.columns]
        assert wb[sheet.name].freeze_panes == f"A{templates.FIRST_DATA_ROW}"
    table = toelichting(wb)
    assert set(table) == {(s.name + ("" if s.required else " (optioneel)"), col.name)
                          for s in spec.sheets for col in s.columns}
    assert all(row["Betekenis"] for row in table.values()), "every contract column has a meaning"
    assert wb.active.title == spec.sheets[0].name
    assert wb[spec.sheets[0].name]["A1"].value == "Peildatum:"


def test_canonical_headers_as_in_the_import_contract():
    wb = open_template("wasword")
    assert header(wb["Was-wordt"]) == ["Personeelsnummer", "Naam", "Huidige functie", "Huidige afdeling",
                                       "Nieuwe functie", "Eenheid", "Schaal", "Fte", "Plaatsingsvorm"]
    assert header(open_template("organisatie")["Eenheden"]) == ["Cluster", "Eenheid", "Formatie fte"]


def test_toelichting_explains_requirement_format_and_allowed_values():
    org, ww, opg = toelichting(open_template("organisatie")), toelichting(open_template("wasword")), \
        toelichting(open_template("opgaven"))
    fte = ww[("Was-wordt", "Fte")]
    assert (fte["Verplicht"], fte["Formaat"], fte["Toegestane waarden"]) == \
        ("ja", "getal met decimale komma (0,8889)", "groter dan 0 en hoogstens 1,2")
    assert fte["Ook herkend als"] == "Omvang (fte), Fte wordt, Deeltijdfactor"
    assert ww[("Was-wordt", "Naam")]["Verplicht"] == "nee"
    assert ww[("Was-wordt", "Personeelsnummer")]["Formaat"] == "tekst; voorloopnullen blijven staan (000123)"
    assert ww[("Was-wordt", "Plaatsingsvorm")]["Toegestane waarden"] == \
        "functievolgend, uitwisselbaar, passend, geschikt, boventallig, vacature"
    assert org[("Coaches", "Aandeel")]["Toegestane waarden"] == "groter dan 0 % en hoogstens 100 %"
    assert org[("Opbouw (optioneel)", "Bewerking")]["Toegestane waarden"] == \
        "basis, +, - (ook: plus = +; bij = +; min = -; af = -; – = -)"
    assert opg[("Opgaven", "Start")]["Formaat"] == "datum dd-mm-jjjj (01-06-2021)"
    text = " ".join(str(v) for r in open_template("wasword")["Toelichting"].iter_rows(values_only=True)
                    for v in r if v)
    assert "decimale komma" in text and "cel B1, als dd-mm-jjjj" in text
    org_text = " ".join(str(v) for r in open_template("organisatie")["Toelichting"].iter_rows(values_only=True)
                        for v in r if v)
    assert "behalve als alle verplichte kolommen zijn ingevuld: dan telt de regel mee" in org_text
    assert "Onzichtbare tekens" in org_text and "onbekend blad" not in org_text


EXPECTED_LISTS = {
    ("organisatie", "Opbouw"): {"Bewerking": ("D4:D1048576", '"basis,+,-"')},
    ("wasword", "Was-wordt"): {"Plaatsingsvorm": (
        "I4:I1048576", '"functievolgend,uitwisselbaar,passend,geschikt,boventallig,vacature"')},
    ("kpi", "Normen"): {"Richting": ("E4:E1048576", '"hoger,lager"'),
                        "Meeteenheid": ("F4:F1048576", '"%,dagen,aantal,uren,score"')},
    ("opgaven", "Opgaven"): {"Fase": (
        "D4:D1048576", '"verkenning,ontwerp,besluitvorming,uitvoering,evaluatie,afgesloten"')},
    ("opgaven", "Projecten"): {"Intern/extern": ("D4:D1048576", '"intern,extern"'),
                               "Fase": ("E4:E1048576", '"' + ",".join(c.FASEN) + '"')},
}


@pytest.mark.parametrize("kind", KINDS)
def test_drop_down_lists_for_every_enumeration(kind):
    wb = open_template(kind)
    for sheet in c.KINDS[kind].sheets:
        assert lists(wb[sheet.name]) == EXPECTED_LISTS.get((kind, sheet.name), {}), sheet.name
        for dv in wb[sheet.name].data_validations.dataValidation:
            if dv.type == "list":
                (rng,) = dv.sqref.ranges
                name = header(wb[sheet.name])[rng.min_col - 1]
                assert dv.errorStyle in (None, "stop") and dv.showErrorMessage and dv.showInputMessage
                assert dv.error.startswith(f"{name}: kies een van ")


def test_number_formats_and_widths():
    ww = open_template("wasword")["Was-wordt"]
    assert column_format(ww, "A")[1] == "@"                   # Personeelsnummer keeps its leading zeros
    assert column_format(ww, "H")[1] == "#,##0.00##"           # Fte
    opg = open_template("opgaven")["Opgaven"]
    assert column_format(opg, "E")[1] == "dd-mm-yyyy"          # Start
    assert column_format(opg, "G")[1] == "0.0%"                # Voortgang
    assert column_format(opg, "H")[1] == '"€" #,##0'           # Budget
    scores = open_template("kpi")["Scores"]
    assert column_format(scores, "B")[1] == "@"                # Periode: 2021-06 must stay text
    assert column_format(ww, "E")[0] > len("Nieuwe functie") and column_format(ww, "I")[0] > len("functievolgend")
    assert open_template("wasword")["Was-wordt"].row_dimensions[templates.HEADER_ROW].height == 30


def test_a_column_added_to_the_contract_appears_in_the_template():
    sheet = c.WASWORD.sheets[0]
    extra = c.Column("Contractsoort", "contractsoort", c.ENUM, False, (), ("vast", "tijdelijk"))
    kind = dataclasses.replace(c.WASWORD, sheets=(dataclasses.replace(sheet, columns=sheet.columns + (extra,)),))
    wb = openpyxl.load_workbook(io.BytesIO(templates.build_template(kind)))
    assert header(wb["Was-wordt"])[-1] == "Contractsoort"
    assert lists(wb["Was-wordt"])["Contractsoort"] == ("J4:J1048576", '"vast,tijdelijk"')
    assert toelichting(wb)[("Was-wordt", "Contractsoort")]["Toegestane waarden"] == "vast, tijdelijk"


# --- empty and filled templates through the pipeline ------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_template_is_refused_with_a_clear_message(org_db, kind):
    before = fx.snapshot(org_db)
    result = pipeline.load(templates.template_bytes(kind), file_name=templates.file_name(kind), user="t")
    assert result.prepared.kind == kind                       # recognised without --kind
    required = [s.name for s in c.KINDS[kind].sheets if s.required]      # each empty sheet is named
    assert fx.errors(result) == [f"Blad '{name}': er staan geen gegevens onder de kopregel (rij 3)."
                                 for name in required]
    n = len(required)
    assert result.summary() == f"'sjabloon-{kind}.xlsx' is geweigerd: {n} {'fout' if n == 1 else 'fouten'}. " \
                               "Er is niets gewijzigd."
    assert fx.snapshot(org_db) == before


def demo_rows(path: Path, kind: str) -> dict[str, tuple[int, list[dict]]]:
    """The data rows of a demo workbook per sheet: (Excel row of the first, rows as
    {canonical header: value}); blank rows are kept so that every row keeps its distance."""
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == len(c.KINDS[kind].sheets)
    out = {}
    for sheet in c.KINDS[kind].sheets:
        rows = list(wb[sheet.name].iter_rows(values_only=True))
        top = next(i for i, r in enumerate(rows) if {col.name for col in sheet.required_columns} <= set(r))
        out[sheet.name] = (top + 2, [{n: v for n, v in zip(rows[top], r) if n is not None} for r in rows[top + 1:]])
    return out


def fill_template(kind: str, source: Path, peildatum: date | None) -> tuple[bytes, dict[str, int]]:
    """The template of `kind` with the rows of `source` under its canonical headers (openpyxl,
    as a controller would paste them) and the peildatum in B1; also how many rows lower
    each sheet's data now is."""
    wb = open_template(kind)
    shift = {}
    for sheet_name, (first, rows) in demo_rows(source, kind).items():
        ws = wb[sheet_name]
        names = header(ws)
        assert set(rows[0]) <= set(names), set(rows[0]) - set(names)
        for i, row in enumerate(rows):
            for name, value in row.items():
                ws.cell(templates.FIRST_DATA_ROW + i, names.index(name) + 1, value)
        shift[sheet_name] = templates.FIRST_DATA_ROW - first
    if peildatum:
        wb.active[templates.PEILDATUM_CELL] = datetime(peildatum.year, peildatum.month, peildatum.day)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), shift


def moved(issues, shift: dict[str, int]) -> list[str]:
    """Issues as they read when their sheet's rows are `shift` rows lower (cell and 'rij N')."""
    def lower(issue):
        by = shift[issue.sheet]
        cell = issue.cell and re.sub(r"\d+", lambda m: str(int(m[0]) + by), issue.cell)
        return str(Issue(re.sub(r"\brij (\d+)", lambda m: f"rij {int(m[1]) + by}", issue.message), issue.sheet, cell))
    return [lower(i) for i in issues]


def _figures(db) -> dict[str, list]:
    """Every stable view and kind table (without Excel row numbers), and each version's facts."""
    out = {}
    with store.reader(db) as con:
        for view in ("fte_per_eenheid", "span_per_coach", "formatie_opbouw", "kpi_scores", "opgave_voortgang"):
            out[view] = sorted(con.execute(f"SELECT * FROM {view}").fetchall(), key=repr)
        for table in ("org_eenheid", "org_coach", "org_opbouw", "ww_plaatsing", "kpi_norm", "kpi_score",
                      "opg_opgave", "opg_project", "opg_mijlpaal", "opg_capaciteit"):
            cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = ? AND column_name <> 'rij'", [table]).fetchall()]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        out["versie"] = con.execute("SELECT kind, version, peildatum, rows, skipped_rows FROM versie "
                                    "ORDER BY kind, version").fetchall()
        out["huidig"] = con.execute("SELECT * FROM huidige_versie ORDER BY kind").fetchall()
    return out


def test_the_template_filled_with_the_demo_data_loads_as_is_with_the_same_figures(tmp_path):
    demo_db, template_db = tmp_path / "demo.duckdb", tmp_path / "sjabloon.duckdb"
    demo_results = load_demo(db=demo_db, log=lambda *_: None)
    for (name, kind, peildatum), demo in zip(DEMO_FILES, demo_results):
        content, shift = fill_template(kind, DEMO_DIR / name, peildatum)
        result = pipeline.load(content, file_name=f"sjabloon-{name}", user="demo", db=template_db)  # no --kind
        assert result.loaded, fx.errors(result)
        prep = result.prepared
        assert (prep.kind, prep.peildatum, prep.peildatum_bron) == (kind, peildatum, "bestand")  # from B1
        assert (prep.rows, len(prep.skipped)) == (demo.prepared.rows, len(demo.prepared.skipped))
        assert fx.warnings(result) == moved(demo.prepared.warnings, shift)   # the Toelichting is known
        assert [str(i) for i in prep.skipped] == moved(demo.prepared.skipped, shift)
    demo_figures, template_figures = _figures(demo_db), _figures(template_db)
    assert template_figures == demo_figures
    # the comparison has teeth: the demo's own figures, e.g. bezetting of the current was/wordt-lijst
    assert len(demo_figures["ww_plaatsing"]) == 232 + 231 and len(demo_figures["kpi_score"]) == 236
    bezetting = fx.query(template_db, "SELECT round(sum(bezetting_fte), 2) FROM fte_per_eenheid")[0][0]
    assert bezetting == pytest.approx(189.5)


def test_optional_sheets_may_stay_empty(org_db):
    wb = open_template("opgaven")
    ws = wb["Opgaven"]
    for i, row in enumerate([["Nieuw gemeentehuis", "A. Adviseur", None, "verkenning"],
                             ["Hoe Wassenaar werkt", "B. Adviseur", "Wethouder", "uitvoering"]]):
        for j, value in enumerate(row):
            ws.cell(templates.FIRST_DATA_ROW + i, j + 1, value)
    buf = io.BytesIO()
    wb.save(buf)
    result = pipeline.load(buf.getvalue(), file_name="opgaven.xlsx", peildatum=fx.PEILDATUM, user="t")
    assert result.loaded, fx.errors(result)
    assert fx.query(org_db, "SELECT opgave, fase FROM opg_opgave ORDER BY opgave") == [
        ("Hoe Wassenaar werkt", "uitvoering"), ("Nieuw gemeentehuis", "verkenning")]
    assert fx.query(org_db, "SELECT count(*) FROM opg_project")[0][0] == 0


# --- command line ----------------------------------------------------------------------------------
def test_cli_writes_the_template_and_never_overwrites(cli, tmp_path):
    dest = tmp_path / "sjabloon-kpi.xlsx"
    done = cli("template", "kpi", dest)
    assert (done.returncode, done.stdout.strip()) == (0, f"Sjabloon dienstverleningsnormen en kpi's gemaakt: {dest}")
    assert dest.read_bytes() == templates.template_bytes("kpi")
    dest.write_bytes(b"ingevuld")
    again = cli("template", "kpi", dest)
    assert (again.returncode, again.stderr.strip()) == (
        1, f"'{dest}' bestaat al; kies een nieuwe bestandsnaam voor het sjabloon.")
    assert dest.read_bytes() == b"ingevuld"
    assert cli("template", "verzuim", tmp_path / "x.xlsx").returncode == 2
    missing = cli("template", "kpi", tmp_path / "geen-map" / "x.xlsx")
    assert missing.returncode == 1 and "Bestaat de map" in missing.stderr
