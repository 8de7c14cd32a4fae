"""Kind wasword: placements, vacancies, persons, fte limits, eenheden checked against
the current formatie; and the views fte_per_eenheid and span_per_coach."""
from __future__ import annotations

import pytest

import fixtures as fx
from etl import store

KNOWN = "Belastingen, Financiën, ICT, Inwonersloket"
HEADER = fx.WASWORD["Blad1"][0]


def _ww(*rows, header=HEADER, name="Blad1") -> dict:
    return {name: [list(header), *[list(r) for r in rows]]}


def _row(pnr="000200", naam="Test", eenheid="Inwonersloket", fte=1, schaal=8, vorm=None, functie="Medewerker"):
    return [pnr, naam, None, functie, eenheid, schaal, fte, vorm]


# --- the standard list: exact figures --------------------------------------------------------
def test_fte_per_eenheid(full_db):
    assert fx.query_dicts(full_db, "SELECT * FROM fte_per_eenheid") == [
        {"cluster": "Bedrijfsvoering", "eenheid": "Financiën", "formatie_fte": 8.0, "bezetting_fte": 0.9,
         "vacature_fte": 7.1, "personen": 1, "open_plaatsen": 0, "open_plaatsen_fte": 0.0},
        {"cluster": "Bedrijfsvoering", "eenheid": "ICT", "formatie_fte": 0.5, "bezetting_fte": 1.0,
         "vacature_fte": -0.5, "personen": 1, "open_plaatsen": 1, "open_plaatsen_fte": 1.0},
        {"cluster": "Dienstverlening", "eenheid": "Belastingen", "formatie_fte": 6.5, "bezetting_fte": 1.6,
         "vacature_fte": 4.9, "personen": 2, "open_plaatsen": 0, "open_plaatsen_fte": 0.0},
        {"cluster": "Dienstverlening", "eenheid": "Inwonersloket", "formatie_fte": 12.0, "bezetting_fte": 2.2,
         "vacature_fte": 9.8, "personen": 3, "open_plaatsen": 1, "open_plaatsen_fte": 1.0},
    ]


def test_span_per_coach(full_db):
    assert fx.query(full_db, "SELECT coach, eenheden, fte, personen, norm_fte, boven_norm FROM span_per_coach") == [
        ("Anna", "Belastingen, Inwonersloket", 3.0, 4.0, 22.0, False),
        ("Carla", "Financiën, ICT", 1.9, 2.0, 22.0, False),
        ("Bram", "Belastingen", 0.8, 1.0, 22.0, False),
    ]


def test_span_norm_is_configurable(full_db):
    with store.writer(full_db) as con:
        con.execute("UPDATE instelling SET waarde = '2' WHERE sleutel = 'span_norm_fte'")
    assert fx.query(full_db, "SELECT coach, norm_fte, boven_norm FROM span_per_coach ORDER BY coach") == [
        ("Anna", 2.0, True), ("Bram", 2.0, False), ("Carla", 2.0, False)]


def test_span_shares_and_rounding(org_db, load):
    sheets = fx.organisatie_sheets(opbouw=False)
    sheets["Coaches"][1:] = [[c, e, None] for e in ("Inwonersloket", "Belastingen") for c in ("Anna", "Bram", "Carla")]
    sheets["Coaches"] += [["Dirk", "Financiën", None], ["Dirk", "ICT", None]]
    assert load(sheets, "org2.xlsx", peildatum=fx.PEILDATUM).loaded
    assert load(fx.wasword_sheets(), "ww.xlsx", peildatum=fx.PEILDATUM).loaded
    # each of Anna/Bram/Carla: fte (2,2 + 1,6) / 3 = 1,26667; personen (3 + 2) / 3 = 1,667 -> 1,7
    assert fx.query(org_db, "SELECT coach, eenheden, fte, personen FROM span_per_coach") == [
        ("Dirk", "Financiën, ICT", 1.9, 2.0),
        ("Anna", "Belastingen, Inwonersloket", 1.2667, 1.7),
        ("Bram", "Belastingen, Inwonersloket", 1.2667, 1.7),
        ("Carla", "Belastingen, Inwonersloket", 1.2667, 1.7),
    ]


def test_placements_as_stored(full_db):
    rows = fx.query(full_db, "SELECT rij, personeelsnummer, eenheid, schaal, fte, plaatsingsvorm, is_vacature "
                             "FROM ww_plaatsing ORDER BY rij")
    assert rows == [
        (2, "000123", "Inwonersloket", 8, 1.0, "functievolgend", False),
        (3, "000124", "Inwonersloket", 8, 0.5, None, False),          # " inwonersloket ", "schaal 8", "0,5"
        (4, "000124", "Inwonersloket", 8, 0.3, "passend", False),
        (5, "000125", "Belastingen", 10, 0.6, None, False),
        (6, "000125", "Inwonersloket", 10, 0.4, None, False),
        (7, "000126", "Belastingen", 9, 1.0, "uitwisselbaar", False),  # "BELASTINGEN", "Uitwisselbaar"
        (8, None, "Inwonersloket", 8, 1.0, None, True),                # no number, no name: vacancy
        (9, "000127", "Financiën", 11, 0.9, None, False),
        (10, None, "ICT", 9, 1.0, "vacature", True),                   # Plaatsingsvorm vacature
        (11, "000129", "ICT", 9, 1.0, None, False),
    ]


def test_numeric_personeelsnummer_cell_and_text_with_zeros(org_db, load):
    result = load(_ww(_row(pnr=123), _row(pnr="000124"), _row(pnr=" 0042 ")), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(org_db, "SELECT personeelsnummer FROM ww_plaatsing ORDER BY rij") == [("123",), ("000124",), ("0042",)]


# --- sheet naming and detection ------------------------------------------------------------
@pytest.mark.parametrize("sheet_name", ["Was-wordt", "Export juni 2021"])
def test_single_sheet_any_name_is_detected(org_db, load, sheet_name):
    result = load(fx.wasword_sheets(sheet_name), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert result.prepared.kind == "wasword"
    assert fx.query(org_db, "SELECT sum(bezetting_fte) FROM fte_per_eenheid") == [(pytest.approx(5.7),)]


def test_named_sheet_among_others(org_db, load):
    sheets = {"Uitleg": [["Uitleg"]], " was-wordt ": fx.WASWORD["Blad1"]}
    result = load(sheets, kind="wasword", peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == ["Blad 'Uitleg': onbekend blad; het is overgeslagen."]


def test_sheet_found_by_its_columns_among_others(org_db, load):
    sheets = {"Uitleg": [["Uitleg"]], "Lijst": fx.WASWORD["Blad1"], "Toelichting": [["Sjabloon"]]}
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert result.prepared.kind == "wasword"
    assert fx.warnings(result) == ["Blad 'Uitleg': onbekend blad; het is overgeslagen."]


def test_a_single_sheet_with_any_name_beside_the_toelichting(org_db, load):
    """A filled template whose data sheet was renamed: the Toelichting does not count as a sheet."""
    sheets = {"Juni": fx.WASWORD["Blad1"], "Toelichting": [["Sjabloon"]]}
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert (result.loaded, result.prepared.kind, fx.warnings(result)) == (True, "wasword", [])


def test_synonym_headers_and_title_rows(org_db, load):
    header = ["Pers.nr.", "Naam medewerker", "Functie (was)", "Functie (wordt)", "Eenheid (wordt)", "Salarisschaal",
              "Omvang (fte)", "Plaatsing"]
    sheet = [["Was/wordt-lijst Wassenaar"], ["Peildatum: 01-06-2021"], header, *fx.WASWORD["Blad1"][1:]]
    result = load({"Export": sheet})
    assert result.loaded, fx.errors(result)
    assert result.prepared.peildatum == fx.PEILDATUM
    assert fx.query(org_db, "SELECT sum(bezetting_fte), sum(personen) FROM fte_per_eenheid") == [
        (pytest.approx(5.7), 7)]


def test_total_row_is_skipped_and_not_counted(org_db, load):
    rows = [*fx.WASWORD["Blad1"][1:], ["Totaal", None, None, None, None, None, 8.2, None]]
    result = load(_ww(*rows), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Blad1': rij 12 ('Totaal') is een totaalregel en is overgeslagen."]
    assert fx.query(org_db, "SELECT sum(bezetting_fte) FROM fte_per_eenheid") == [(pytest.approx(5.7),)]


# --- rules -----------------------------------------------------------------------------------
def test_two_placements_up_to_1_2_fte_is_fine(org_db, load):
    result = load(_ww(_row(fte="0,9"), _row(fte=0.3, eenheid="ICT")), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)


def test_person_above_1_2_fte_is_refused(org_db, load):
    before = fx.snapshot(org_db)
    result = load(_ww(_row(fte=1), _row(pnr="000201"), _row(fte="0,3", eenheid="ICT")), peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Blad1', cel G4: personeelsnummer 000200 heeft samen 1,3 fte (cellen G2, G4); "
        "meer dan 1,2 fte per persoon is niet toegestaan."]
    assert fx.snapshot(org_db) == before


def test_unknown_eenheid_is_named_with_known_ones(org_db, load):
    before = fx.snapshot(org_db)
    result = load(_ww(_row(), _row(pnr="000201", eenheid="Burgerzaken")), peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Blad1', cel E3: eenheid 'Burgerzaken' bestaat niet in de huidige formatie (organisatie versie 1). "
        f"Bekende eenheden: {KNOWN}."]
    assert fx.snapshot(org_db) == before


def test_without_organisatie_is_a_clear_error(db, load):
    before = fx.snapshot(db)
    result = load(fx.wasword_sheets(), peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Blad1': er is nog geen formatie (soort 'organisatie') geladen, dus de eenheden zijn onbekend. "
        "Laad eerst het formatiebestand met de bladen Eenheden en Coaches."]
    assert fx.snapshot(db) == before


def test_bad_fte_values(org_db, load):
    rows = [_row(pnr=f"00030{i}", fte=fte) for i, fte in enumerate([0, "1,5", "-0,5", "heel", None, 1.25])]
    assert fx.errors(load(_ww(*rows), peildatum=fx.PEILDATUM)) == [
        "Blad 'Blad1', cel G2: '0' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn.",
        "Blad 'Blad1', cel G3: '1,5' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn.",
        "Blad 'Blad1', cel G4: '-0,5' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn.",
        "Blad 'Blad1', cel G5: 'heel' is geen getal.",
        "Blad 'Blad1', cel G6: Fte ontbreekt (verplicht).",
        "Blad 'Blad1', cel G7: '1,25' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn."]


def test_schaal_accepted(org_db, load):
    schalen = ["schaal 10", "10", 18, 1, None, " Schaal  3 "]
    rows = [_row(pnr=f"00030{i}", schaal=schaal) for i, schaal in enumerate(schalen)]
    assert load(_ww(*rows), peildatum=fx.PEILDATUM).loaded
    assert fx.query(org_db, "SELECT schaal FROM ww_plaatsing ORDER BY rij") == [(10,), (10,), (18,), (1,), (None,), (3,)]


def test_bad_schaal_values(org_db, load):
    rows = [_row(pnr=f"00030{i}", schaal=schaal) for i, schaal in enumerate([19, "schaal 19", 0, "tien", 8.5])]
    assert fx.errors(load(_ww(*rows), peildatum=fx.PEILDATUM)) == [
        "Blad 'Blad1', cel F2: '19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn.",
        "Blad 'Blad1', cel F3: 'schaal 19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn.",
        "Blad 'Blad1', cel F4: '0' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn.",
        "Blad 'Blad1', cel F5: 'tien' is geen salarisschaal (1 tot en met 18).",
        "Blad 'Blad1', cel F6: '8,5' is geen salarisschaal (1 tot en met 18)."]


def test_vacancies_are_not_persons(org_db, load):
    """Plaatsingsvorm vacature (even with a number), or neither number nor name: an open position."""
    rows = [_row(), _row(pnr="000300", naam="Vacature X", vorm="Vacature", fte="0,8"),
            _row(pnr=None, naam=None, vorm="passend", fte="0,6")]
    assert load(_ww(*rows), peildatum=fx.PEILDATUM).loaded
    assert fx.query(org_db, "SELECT bezetting_fte, personen, open_plaatsen, open_plaatsen_fte FROM fte_per_eenheid "
                            "WHERE eenheid = 'Inwonersloket'") == [(1.0, 1, 2, 1.4)]


def test_bad_plaatsingsvorm_lists_choices(org_db, load):
    assert fx.errors(load(_ww(_row(vorm="herplaatst")), peildatum=fx.PEILDATUM)) == [
        "Blad 'Blad1', cel H2: 'herplaatst' is geen geldige waarde; kies uit: functievolgend, uitwisselbaar, "
        "passend, geschikt, boventallig, vacature."]


def test_person_without_personeelsnummer_is_an_error(org_db, load):
    assert fx.errors(load(_ww(_row(pnr=None, naam="Karin")), peildatum=fx.PEILDATUM)) == [
        "Blad 'Blad1', cel A2: Personeelsnummer ontbreekt (verplicht, behalve bij een vacature)."]


def test_all_errors_of_a_list_at_once(org_db, load):
    result = load(_ww(_row(fte="1,5"), _row(pnr="000201", eenheid="Burgerzaken", schaal=19),
                      _row(pnr="000202", vorm="x", functie=None)), peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Blad1', cel G2: '1,5' valt buiten het bereik: Fte moet groter dan 0 en hoogstens 1,2 zijn.",
        "Blad 'Blad1', cel F3: '19' valt buiten het bereik: Schaal moet tussen 1 en 18 zijn.",
        "Blad 'Blad1', cel D4: Nieuwe functie ontbreekt (verplicht).",
        "Blad 'Blad1', cel H4: 'x' is geen geldige waarde; kies uit: functievolgend, uitwisselbaar, passend, "
        "geschikt, boventallig, vacature.",
        "Blad 'Blad1', cel E3: eenheid 'Burgerzaken' bestaat niet in de huidige formatie (organisatie versie 1). "
        f"Bekende eenheden: {KNOWN}.",
    ]


def test_new_wasword_version_replaces_the_figures(full_db, load):
    result = load(_ww(_row(fte="0,8"), _row(pnr="000201", eenheid="ICT", fte="0,5")), "ww2.xlsx",
                  peildatum=fx.PEILDATUM)
    assert result.loaded and result.version == 2
    assert fx.query(full_db, "SELECT eenheid, bezetting_fte, vacature_fte, personen FROM fte_per_eenheid") == [
        ("Financiën", 0.0, 8.0, 0), ("ICT", 0.5, 0.0, 1), ("Belastingen", 0.0, 6.5, 0),
        ("Inwonersloket", 0.8, 11.2, 1)]
