"""Kind organisatie, and the general rules of the import contract shown on it:
sheet and header detection, synonyms, column order, skipped rows, exact messages."""
from __future__ import annotations

from datetime import date

import pytest

import fixtures as fx

KNOWN = "Belastingen, Financiën, ICT, Inwonersloket"


def _org(**changes) -> dict:
    """The standard organisatie sheets without Opbouw, with sheets replaced by `changes`."""
    sheets = fx.organisatie_sheets(opbouw=False)
    sheets.update(changes)
    return sheets


# --- the standard workbook: exact figures ------------------------------------------------
def test_standard_load_figures(org_db):
    assert fx.query(org_db, "SELECT cluster, eenheid, formatie_fte FROM fte_per_eenheid") == [
        ("Bedrijfsvoering", "Financiën", 8.0), ("Bedrijfsvoering", "ICT", 0.5),
        ("Dienstverlening", "Belastingen", 6.5), ("Dienstverlening", "Inwonersloket", 12.0)]
    assert fx.query(org_db, "SELECT coach, eenheid, aandeel, aandeel_opgegeven FROM org_coach ORDER BY rij") == [
        ("Anna", "Inwonersloket", 1.0, False), ("Anna", "Belastingen", 0.5, True),
        ("Bram", "Belastingen", 0.5, True), ("Carla", "Financiën", 1.0, False), ("Carla", "ICT", 1.0, False)]
    assert fx.query(org_db, "SELECT kind, version, peildatum, rows, skipped_rows, is_current FROM versies") == [
        ("organisatie", 1, date(2021, 6, 1), 12, 1, True)]


def test_formatie_opbouw_is_the_memos_table(org_db):
    rows = fx.query_dicts(org_db, "SELECT * FROM formatie_opbouw ORDER BY volgorde")
    assert [r["onderdeel"] for r in rows] == ["Totaal fte in de WODV", "MO in de hosting",
                                              "Informatie & Automatisering en Post & Archief", "Totaal"]
    basis, mo, ia, totaal = rows
    assert (basis["fte_onderdeel"], basis["percentage"], basis["bewerking"]) == (380, pytest.approx(0.52), "basis")
    assert basis["fte_berekend"] == pytest.approx(197.6)
    assert basis["fte_opgegeven"] == pytest.approx(200.11)
    assert basis["verschil"] == pytest.approx(2.51)
    assert (mo["bewerking"], mo["fte_berekend"], mo["verschil"]) == ("-", pytest.approx(23.6964), pytest.approx(0))
    assert (ia["bewerking"], ia["fte_berekend"], ia["verschil"]) == ("+", pytest.approx(13.536), pytest.approx(0))
    assert totaal["fte_berekend"] == pytest.approx(187.4396)
    assert totaal["fte_opgegeven"] == pytest.approx(189.9496)
    assert totaal["verschil"] == pytest.approx(2.51)
    assert totaal["volgorde"] == 4 and totaal["bewerking"] is None


def test_opbouw_final_total_row_is_skipped_and_reported(load):
    result = load(fx.organisatie_sheets(), peildatum=fx.PEILDATUM)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Opbouw': rij 5 ('Totaal fte in Wassenaarse organisatie') is een totaalregel en is overgeslagen."]


def test_opbouw_bewerking_words(load, db):
    sheets = fx.organisatie_sheets()
    sheets["Opbouw"][2][3] = "min"
    sheets["Opbouw"][3][3] = "Plus"
    sheets["Opbouw"][0][3] = "Teken"
    assert load(sheets, peildatum=fx.PEILDATUM).loaded
    assert fx.query(db, "SELECT fte_berekend FROM formatie_opbouw WHERE onderdeel = 'Totaal'") == [
        (pytest.approx(187.4396),)]


def test_opbouw_without_basis_line_is_refused(load, db):
    sheets = fx.organisatie_sheets()
    sheets["Opbouw"][1][3] = "+"
    before = fx.snapshot(db)
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Opbouw': er is geen regel met bewerking 'basis'; de opbouw begint met een basisregel."]
    assert fx.snapshot(db) == before


# --- sheets ------------------------------------------------------------------------------
def test_sheet_names_case_and_whitespace_insensitive(load, db):
    sheets = fx.organisatie_sheets()
    result = load({" eenheden ": sheets["Eenheden"], "COACHES": sheets["Coaches"], "opbouw": sheets["Opbouw"]},
                  peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert result.prepared.kind == "organisatie"
    assert fx.query(db, "SELECT count(*) FROM fte_per_eenheid") == [(4,)]
    assert fx.query(db, "SELECT count(*) FROM formatie_opbouw") == [(4,)]


def test_unknown_sheet_is_a_warning(load):
    result = load(_org(Notities=[["Dit blad is uitleg"]]), peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.warnings(result) == ["Blad 'Notities': onbekend blad; het is overgeslagen."]


def test_a_toelichting_sheet_is_known_and_skipped_silently(load):
    """The templates' explanation sheet is part of the contract: no warning, in any case."""
    result = load(_org(**{" toelichting ": [["Eenheid", "Cluster"], ["uitleg", "over kolommen"]]}),
                  peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == []


def test_missing_required_sheet_is_named(load, db):
    before = fx.snapshot(db)
    result = load({"Eenheden": fx.ORGANISATIE["Eenheden"], "Opbouw": fx.ORGANISATIE["Opbouw"]},
                  kind="organisatie", peildatum=fx.PEILDATUM)
    assert fx.errors(result) == ["Blad 'Coaches' ontbreekt. Aanwezige bladen: Eenheden, Opbouw."]
    assert fx.snapshot(db) == before


def test_kind_detection_unrecognised_lists_the_kinds(load):
    result = load({"Blad1": [["Wat", "Anders"], ["a", 1]]})
    [message] = fx.errors(result)
    assert message.startswith("Niet herkend welke soort gegevens dit bestand bevat (bladen: Blad1).")
    for kind in ("organisatie", "wasword", "kpi", "opgaven"):
        assert kind in message


def test_kind_detection_ambiguous(load):
    sheets = _org(Opgaven=fx.OPGAVEN["Opgaven"])
    [message] = fx.errors(load(sheets))
    assert message.startswith("Het bestand past bij meer dan één soort (organisatie, opgaven). Kies de soort zelf.")
    assert load(sheets, kind="organisatie", peildatum=fx.PEILDATUM).loaded


# --- header row, peildatum in a title cell ----------------------------------------------------
def test_header_after_title_rows_and_peildatum_from_title(load, db):
    sheets = _org()
    sheets["Eenheden"] = [["Formatie gemeente Wassenaar"], ["Peildatum: 01-06-2021"], [], *sheets["Eenheden"]]
    result = load(sheets)
    assert result.loaded, fx.errors(result)
    assert (result.prepared.peildatum, result.prepared.peildatum_bron) == (date(2021, 6, 1), "bestand")
    assert fx.warnings(result) == []
    assert fx.query(db, "SELECT peildatum FROM versies") == [(date(2021, 6, 1),)]
    assert fx.query(db, "SELECT rij, eenheid FROM org_eenheid ORDER BY rij") == [
        (5, "Inwonersloket"), (6, "Belastingen"), (7, "Financiën"), (8, "ICT")]


@pytest.mark.parametrize("title", ["peildatum 1 juni 2021", "Formatie per peildatum 1-6-2021", "PEILDATUM: 2021-06-01"])
def test_peildatum_spellings_in_a_title_cell(prepare, title):
    sheets = _org()
    sheets["Coaches"] = [[None, title], [], *sheets["Coaches"]]
    prep = prepare(sheets)
    assert prep.ok, fx.errors(prep)
    assert (prep.peildatum, prep.peildatum_bron) == (date(2021, 6, 1), "bestand")


def test_peildatum_as_date_cell_next_to_its_label(prepare):
    sheets = _org()
    sheets["Eenheden"] = [["Peildatum:", date(2021, 6, 1)], *sheets["Eenheden"]]
    assert prepare(sheets).peildatum == date(2021, 6, 1)


def test_given_peildatum_wins_over_the_file(prepare):
    sheets = _org()
    sheets["Eenheden"] = [["Peildatum: 01-06-2021"], *sheets["Eenheden"]]
    prep = prepare(sheets, peildatum=date(2021, 7, 1))
    assert (prep.peildatum, prep.peildatum_bron) == (date(2021, 7, 1), "opgegeven")


def test_no_peildatum_anywhere_uses_today_with_warning(load):
    result = load(_org())
    assert result.loaded
    assert result.prepared.peildatum == date.today()
    assert fx.warnings(result) == [
        f"Geen peildatum opgegeven of in het bestand gevonden; de datum van vandaag ({date.today():%d-%m-%Y}) "
        "is gebruikt."]


def test_header_not_found_names_missing_columns(load, db):
    sheets = _org(Eenheden=[["Cluster", "Eenheid", "Opmerking"], ["A", "Inwonersloket", "x"]])
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert fx.errors(result) == [
        "Blad 'Eenheden': geen kopregel gevonden: rij 1 lijkt de kopregel, maar de verplichte kolom(men) "
        "Formatie fte ontbreken. Verplicht zijn: Cluster, Eenheid, Formatie fte."]


def test_header_beyond_row_20_is_not_found(load):
    sheets = _org()
    sheets["Eenheden"] = [["titel"]] * 20 + sheets["Eenheden"]
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Eenheden': geen kopregel gevonden in de eerste 20 rijen met de verplichte kolommen "
        "Cluster, Eenheid, Formatie fte."]


# --- column names ------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["Formatie (fte)", "formatie_fte", "FORMATIE FTE", "Formatie",
                                    "Begrote fte", "Toegestane formatie", "Fte formatie", " Formatie\u00a0fte "])
def test_formatie_header_spellings(prepare, header):
    sheets = _org()
    sheets["Eenheden"][0][2] = header
    prep = prepare(sheets, peildatum=fx.PEILDATUM)
    assert prep.ok and fx.warnings(prep) == []
    assert [r["formatie_fte"] for r in prep.built.tables["org_eenheid"]] == [12.0, 6.5, 8.0, 0.5]


def test_synonyms_accents_and_free_column_order(load, db):
    eenheden = [["Formatie (fte)", "TEAM", "Clusternaam"]] + [[r[2], r[1], r[0]] for r in fx.ORGANISATIE["Eenheden"][1:]]
    coaches = [["Verdeling", "afdeling", "Coach/coördinator"]] + [[r[2], r[1], r[0]] for r in fx.ORGANISATIE["Coaches"][1:]]
    result = load({"Eenheden": eenheden, "Coaches": coaches}, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == []
    assert fx.query(db, "SELECT coach, eenheden FROM span_per_coach ORDER BY coach") == [
        ("Anna", "Belastingen, Inwonersloket"), ("Bram", "Belastingen"), ("Carla", "Financiën, ICT")]
    assert fx.query(db, "SELECT eenheid, formatie_fte FROM fte_per_eenheid WHERE eenheid = 'Belastingen'") == [
        ("Belastingen", 6.5)]


@pytest.mark.parametrize("header", ["Coach/coördinator", "Coach/coordinator", "COÖRDINATOR", "Leidinggevende"])
def test_coach_header_spellings(prepare, header):
    sheets = _org()
    sheets["Coaches"][0][0] = header
    prep = prepare(sheets, peildatum=fx.PEILDATUM)
    assert prep.ok and fx.warnings(prep) == []
    assert [r["coach"] for r in prep.built.tables["org_coach"]] == ["Anna", "Anna", "Bram", "Carla", "Carla"]


def test_unknown_and_duplicate_columns_are_warnings_naming_the_cell(load, db):
    sheets = _org()
    sheets["Eenheden"][0] += ["Opmerking", "formatie"]
    sheets["Eenheden"][1] += ["zie notitie", 99]
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.warnings(result) == [
        "Blad 'Eenheden', cel D1: kolom 'Opmerking' is onbekend en is genegeerd.",
        "Blad 'Eenheden', cel E1: kolom 'formatie' komt dubbel voor; alleen de eerste is gebruikt."]
    assert fx.query(db, "SELECT formatie_fte FROM fte_per_eenheid WHERE eenheid = 'Inwonersloket'") == [(12.0,)]


# --- rows ----------------------------------------------------------------------------------
def test_total_and_blank_rows_are_skipped_and_not_added(load, db):
    sheets = _org()
    sheets["Eenheden"][3:3] = [["Subtotaal Dienstverlening", None, 18.5], [None, None, None]]
    sheets["Eenheden"] += [["  ", None, ""], ["Totaal", None, 27], ["TOTAAL:", "", 27], [None, "Generaal totaal", 27]]
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Eenheden': rij 4 ('Subtotaal Dienstverlening') is een totaalregel en is overgeslagen.",
        "Blad 'Eenheden': rij 9 ('Totaal') is een totaalregel en is overgeslagen.",
        "Blad 'Eenheden': rij 10 ('TOTAAL:') is een totaalregel en is overgeslagen.",
        "Blad 'Eenheden': rij 11 ('Generaal totaal') is een totaalregel en is overgeslagen."]
    assert fx.query(db, "SELECT sum(formatie_fte), count(*) FROM fte_per_eenheid") == [(27.0, 4)]
    assert fx.query(db, "SELECT skipped_rows FROM versies") == [(4,)]


def test_an_export_with_a_remarks_first_column_and_a_total_row_loads(load, db):
    """Issue #14: the total label stands in a column the contract does not map, the eenheid and
    cluster cells are empty and the fte cell holds the sum. The first non-empty cell of the row,
    in any column, decides."""
    eenheden = [["Opmerking", "Cluster", "Eenheid", "Formatie fte"],
                [None, "Dienstverlening", "Inwonersloket", 12],
                ["herzien", "Dienstverlening", "Belastingen", "6,5"],
                [None, "Bedrijfsvoering", "Financiën", 8],
                ["nieuw", "Bedrijfsvoering", "ICT", 0.5],
                ["alleen een opmerking", None, None, None],
                ["Totaal", None, None, 27]]
    result = load(_org(Eenheden=eenheden), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Eenheden': rij 7 ('Totaal') is een totaalregel en is overgeslagen."]
    assert fx.warnings(result) == ["Blad 'Eenheden', cel A1: kolom 'Opmerking' is onbekend en is genegeerd."]
    assert fx.query(db, "SELECT sum(formatie_fte), count(*) FROM fte_per_eenheid") == [(27.0, 4)]


def test_a_total_label_in_the_key_column_and_a_number_before_it(load, db):
    eenheden = [["Nr", "Eenheid", "Cluster", "Formatie fte"],
                [1, "Inwonersloket", "Dienstverlening", 12], [2, "Belastingen", "Dienstverlening", 6.5],
                [None, "Subtotaal Dienstverlening", None, 18.5],
                [3, "Financiën", "Bedrijfsvoering", 8], [4, "ICT", "Bedrijfsvoering", 0.5],
                [5, "Totaal", None, 27]]   # a number comes first: not a total row, so its gaps are errors
    result = load(_org(Eenheden=eenheden), peildatum=fx.PEILDATUM)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Eenheden': rij 4 ('Subtotaal Dienstverlening') is een totaalregel en is overgeslagen."]
    assert fx.errors(result) == ["Blad 'Eenheden', cel C7: Cluster ontbreekt (verplicht)."]


def test_a_total_line_with_every_required_column_filled_is_data(load, db):
    """The exception of the contract, on any sheet: the memo's 'Totaal fte in de WODV' basis line
    of the Opbouw, or an eenheid whose name starts with Totaal."""
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"].append(["Bedrijfsvoering", "Totaalbeheer", 1])
    sheets["Coaches"].append(["Carla", "Totaalbeheer", None])
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert [str(s) for s in result.prepared.skipped] == [
        "Blad 'Opbouw': rij 5 ('Totaal fte in Wassenaarse organisatie') is een totaalregel en is overgeslagen."]
    assert fx.query(db, "SELECT onderdeel, bewerking FROM org_opbouw ORDER BY volgorde")[0] == (
        "Totaal fte in de WODV", "basis")
    assert ("Totaalbeheer", 1.0) in fx.query(db, "SELECT eenheid, formatie_fte FROM fte_per_eenheid")


def test_invisible_characters_in_a_small_sheet(load, db):
    """Bidirectional overrides turn '0,17' into '71,0' on screen: removed at import, per cell a
    warning; markup stays data, stored as written."""
    sheets = _org()
    sheets["Eenheden"][1][1] = "\u202eInwonersloket\u202c"
    sheets["Eenheden"][2][0] = "**Dienst**\u200bverlening"
    sheets["Coaches"][1][0] = "![x](http://elders/p.png)"
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == [
        "Blad 'Eenheden', cel B2: onzichtbare tekens verwijderd (U+202E RIGHT-TO-LEFT OVERRIDE, "
        "U+202C POP DIRECTIONAL FORMATTING).",
        "Blad 'Eenheden', cel A3: onzichtbaar teken verwijderd (U+200B ZERO WIDTH SPACE)."]
    assert fx.query(db, "SELECT cluster FROM org_eenheid WHERE eenheid = 'Belastingen'") == [("**Dienst**verlening",)]
    assert fx.query(db, "SELECT count(*) FROM org_eenheid WHERE eenheid = 'Inwonersloket'") == [(1,)]
    assert fx.query(db, "SELECT coach FROM org_coach ORDER BY rij LIMIT 1") == [("![x](http://elders/p.png)",)]


def test_table_not_starting_in_a1(load, db):
    """Cell references stay real Excel coordinates when the table starts at B3."""
    sheets = _org()
    sheets["Eenheden"] = [[], [], *[[None, *row] for row in sheets["Eenheden"]]]
    sheets["Eenheden"][5][3] = "twintig"
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == ["Blad 'Eenheden', cel D6: 'twintig' is geen getal."]


def test_names_are_trimmed_and_matched_case_folded(load, db):
    sheets = _org()
    sheets["Eenheden"][1][1] = "  Inwonersloket  "
    sheets["Eenheden"][2][0] = "Dienst   verlening"
    sheets["Coaches"][1][1] = " inwonersloket "
    sheets["Coaches"][2][1] = "BELASTINGEN"
    sheets["Coaches"][3][0] = " bram "
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT coach, eenheid FROM org_coach ORDER BY rij") == [
        ("Anna", "Inwonersloket"), ("Anna", "Belastingen"), ("bram", "Belastingen"),
        ("Carla", "Financiën"), ("Carla", "ICT")]
    assert fx.query(db, "SELECT cluster FROM org_eenheid WHERE eenheid = 'Belastingen'") == [("Dienst verlening",)]


# --- organisatie rules ---------------------------------------------------------------------
def test_duplicate_eenheid_is_refused(load, db):
    sheets = _org()
    sheets["Eenheden"].append(["Bedrijfsvoering", " inwonersloket", 3])
    before = fx.snapshot(db)
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Eenheden', cel B6: eenheid 'inwonersloket' komt dubbel voor (ook in rij 2); "
        "elke eenheid staat één keer in de formatie."]
    assert fx.snapshot(db) == before


def test_coach_of_unknown_eenheid_lists_known_ones(load):
    sheets = _org()
    sheets["Coaches"].append(["Dirk", "Burgerzaken", None])
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        f"Blad 'Coaches', cel B7: eenheid 'Burgerzaken' staat niet op het blad 'Eenheden'. Bekende eenheden: {KNOWN}."]


def test_missing_shares_split_evenly(load, db):
    sheets = _org()
    sheets["Coaches"][1:] = [
        ["Anna", "Inwonersloket", None], ["Bram", "Inwonersloket", None], ["Carla", "Inwonersloket", None],
        ["Anna", "Belastingen", "50%"], ["Bram", "Belastingen", None], ["Carla", "Belastingen", None],
        ["Dirk", "Financiën", None], ["Dirk", "ICT", None],
    ]
    assert load(sheets, peildatum=fx.PEILDATUM).loaded
    shares = fx.query(db, "SELECT coach, eenheid, aandeel FROM org_coach ORDER BY rij")
    assert shares == [
        ("Anna", "Inwonersloket", pytest.approx(1 / 3)), ("Bram", "Inwonersloket", pytest.approx(1 / 3)),
        ("Carla", "Inwonersloket", pytest.approx(1 / 3)), ("Anna", "Belastingen", 0.5),
        ("Bram", "Belastingen", 0.25), ("Carla", "Belastingen", 0.25),
        ("Dirk", "Financiën", 1.0), ("Dirk", "ICT", 1.0)]


def test_shares_not_adding_up_to_one_are_refused(load, db):
    sheets = _org()
    sheets["Coaches"][3][2] = "30%"                    # Belastingen: 0,5 + 0,3
    before = fx.snapshot(db)
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Coaches', cel C3: de aandelen van eenheid 'Belastingen' tellen op tot 80,0 % in plaats van 100 % "
        "(cellen C3, C4)."]
    assert fx.snapshot(db) == before


def test_shares_within_tolerance_are_accepted(load):
    sheets = _org()
    sheets["Coaches"][3][2] = "0,505"                  # 0,5 + 0,505 = 1,005: within ±0,01
    assert load(sheets, peildatum=fx.PEILDATUM).loaded


def test_given_shares_leaving_nothing_for_a_coach_without_share(load):
    sheets = _org()
    sheets["Coaches"][2][2] = "60%"
    sheets["Coaches"][3][2] = "50%"
    sheets["Coaches"].append(["Dirk", "Belastingen", None])
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Coaches', cel C3: de aandelen van eenheid 'Belastingen' tellen op tot 110,0 % in plaats van 100 % "
        "(cellen C3, C4, C7); voor een coach zonder aandeel blijft niets over."]


def test_eenheid_without_coach_is_a_warning(load, db):
    sheets = _org()
    del sheets["Coaches"][5]                            # Carla - ICT
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.warnings(result) == ["Blad 'Coaches': eenheid 'ICT' heeft geen coach/coördinator."]
    assert fx.query(db, "SELECT coach, eenheden FROM span_per_coach WHERE coach = 'Carla'") == [("Carla", "Financiën")]


def test_same_coach_twice_for_one_eenheid_is_refused(load):
    sheets = _org()
    sheets["Coaches"].append(["anna", "Inwonersloket", None])
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Coaches', cel A7: coach 'Anna' staat al bij eenheid 'Inwonersloket' (rij 2)."]


# --- all errors at once, exact messages ------------------------------------------------------
def test_all_errors_of_a_file_at_once(load, db):
    eenheden = [
        ["Cluster", "Eenheid", "Formatie fte"],
        ["Dienstverlening", "Inwonersloket", 12],
        ["Dienstverlening", "Belastingen", 6.5],
        ["Bedrijfsvoering", "Financiën", 8],
        ["Bedrijfsvoering", "ICT", 4],
        ["Bedrijfsvoering", "Juridische zaken", -1],
        ["Bedrijfsvoering", "HRM", "twintig"],
        [None, "Communicatie", 3],
    ]
    coaches = [["Coach", "Eenheid", "Aandeel"], ["Anna", "Inwonersloket", "veel"], ["Bram", "Belastingen", 150],
               ["Carla", None, None]]
    before = fx.snapshot(db)
    result = load({"Eenheden": eenheden, "Coaches": coaches}, peildatum=fx.PEILDATUM)
    assert not result.ok and not result.loaded
    assert fx.errors(result) == [
        "Blad 'Eenheden', cel C6: '-1' valt buiten het bereik: Formatie fte moet minstens 0 zijn.",
        "Blad 'Eenheden', cel C7: 'twintig' is geen getal.",
        "Blad 'Eenheden', cel A8: Cluster ontbreekt (verplicht).",
        "Blad 'Coaches', cel C2: 'veel' is geen percentage.",
        "Blad 'Coaches', cel C3: '150' valt buiten het bereik: Aandeel moet groter dan 0 % en hoogstens 100 % zijn.",
        "Blad 'Coaches', cel B4: Eenheid ontbreekt (verplicht).",
    ]
    assert result.summary() == "'upload.xlsx' is geweigerd: 6 fouten. Er is niets gewijzigd."
    assert fx.snapshot(db) == before


def test_errors_are_capped(load):
    sheets = _org()
    sheets["Eenheden"][1:] = [["C", f"E{i}", "x"] for i in range(250)]
    sheets["Coaches"][1:] = [["K", "E0", None]]
    errs = fx.errors(load(sheets, peildatum=fx.PEILDATUM))
    assert len(errs) == 201
    assert errs[-1] == "… en nog 50 fouten (alleen de eerste 200 worden getoond)."


def test_empty_sheet_under_header_is_refused(load):
    assert fx.errors(load(_org(Eenheden=[["Peildatum: 1-6-2021"], ["Cluster", "Eenheid", "Formatie fte"]],
                               Coaches=[["Coach", "Eenheid"]]), peildatum=fx.PEILDATUM)) == [
        "Blad 'Eenheden': er staan geen gegevens onder de kopregel (rij 2).",
        "Blad 'Coaches': er staan geen gegevens onder de kopregel (rij 1)."]


def test_a_sheet_name_with_invisible_characters_is_shown_without_them(load):
    sheets = _org()
    sheets["\u202eEenheden"] = sheets.pop("Eenheden")
    sheets["Coaches"][1][1] = "Nergens"
    errors = fx.errors(load(sheets, peildatum=fx.PEILDATUM))
    assert errors[0].startswith("Blad 'Coaches', cel B2: eenheid 'Nergens' staat niet op het blad 'Eenheden'.")
