"""Kind opgaven: references between sheets, money, the 'afgesloten' rule, and the view
opgave_voortgang (milestones late at the version's peildatum, capacity sums)."""
from __future__ import annotations

from datetime import date

import pytest

import fixtures as fx

KNOWN_OPGAVEN = "Digitale dienstverlening, Duurzaam Wassenaar, Sportpark"
KNOWN_EENHEDEN = "Belastingen, Financiën, ICT, Inwonersloket"


def test_standard_opgave_voortgang(full_db):
    assert fx.query_dicts(full_db, "SELECT * EXCLUDE (start, evaluatie_gereed, evaluatie_datum) "
                                   "FROM opgave_voortgang") == [
        {"opgave": "Duurzaam Wassenaar", "opdrachtgever": "A. Adviseur", "portefeuillehouder": "Wethouder Groen",
         "fase": "uitvoering", "voortgang": 0.4, "einde_gepland": date(2022, 12, 31), "budget": 1250000.0,
         "besteed": 83950.5, "mijlpalen": 4, "mijlpalen_gehaald": 2, "mijlpalen_te_laat": 2,
         "gevraagd_fte": 2.0, "toegezegd_fte": 1.0},
        {"opgave": "Digitale dienstverlening", "opdrachtgever": "B. Adviseur", "portefeuillehouder": None,
         "fase": "ontwerp", "voortgang": 0.1, "einde_gepland": None, "budget": None, "besteed": None,
         "mijlpalen": 1, "mijlpalen_gehaald": 0, "mijlpalen_te_laat": 0, "gevraagd_fte": 2.0, "toegezegd_fte": 2.0},
        {"opgave": "Sportpark", "opdrachtgever": "C. Adviseur", "portefeuillehouder": None, "fase": "afgesloten",
         "voortgang": 1.0, "einde_gepland": None, "budget": 400000.0, "besteed": 398000.5, "mijlpalen": 0,
         "mijlpalen_gehaald": 0, "mijlpalen_te_laat": 0, "gevraagd_fte": 0.0, "toegezegd_fte": 0.0},
    ]


def test_stored_references_use_canonical_names(full_db):
    assert fx.query(full_db, "SELECT project, opgave, intern_extern, voortgang FROM opg_project") == [
        ("Zonnepanelen op daken", "Duurzaam Wassenaar", "extern", 0.5)]
    assert fx.query(full_db, "SELECT opgave, eenheid, gevraagd_fte, toegezegd_fte FROM opg_capaciteit ORDER BY rij") == [
        ("Duurzaam Wassenaar", "Inwonersloket", 1.5, 1.0), ("Duurzaam Wassenaar", "Financiën", 0.5, None),
        ("Digitale dienstverlening", "ICT", 2.0, 2.0)]
    assert fx.query(full_db, "SELECT mijlpaal, gepland, gerealiseerd FROM opg_mijlpaal ORDER BY rij") == [
        ("Plan vastgesteld", date(2021, 3, 1), date(2021, 2, 15)),
        ("Subsidie aangevraagd", date(2021, 4, 1), date(2021, 4, 15)),
        ("Aanbesteding", date(2021, 5, 1), None), ("Oplevering", date(2021, 9, 1), None),
        ("Start", date(2021, 6, 1), None)]


@pytest.mark.parametrize("peildatum, duurzaam, digitaal", [
    (date(2021, 4, 10), 1, 0),   # only 'Subsidie' (realised after planned)
    (date(2021, 5, 1), 1, 0),    # planned on the peildatum itself is not yet late
    (date(2021, 5, 2), 2, 0),    # + 'Aanbesteding'
    (date(2021, 6, 2), 2, 1),    # + 'Start' of Digitale dienstverlening
    (date(2021, 9, 2), 3, 1),    # + 'Oplevering'
])
def test_mijlpalen_te_laat_at_the_versions_peildatum(org_db, load, peildatum, duurzaam, digitaal):
    assert load(fx.opgaven_sheets(), peildatum=peildatum).loaded
    assert fx.query(org_db, "SELECT opgave, mijlpalen_te_laat FROM opgave_voortgang") == [
        ("Duurzaam Wassenaar", duurzaam), ("Digitale dienstverlening", digitaal), ("Sportpark", 0)]


def test_restoring_an_older_version_uses_its_own_peildatum(org_db, load):
    from etl import pipeline
    sheets = fx.opgaven_sheets()
    assert load(sheets, "a.xlsx", peildatum=date(2021, 9, 2)).version == 1
    sheets["Opgaven"][2][1] = "B. Adviseur (nieuw)"
    assert load(sheets, "b.xlsx", peildatum=date(2021, 4, 10)).version == 2
    te_laat = "SELECT mijlpalen_te_laat FROM opgave_voortgang WHERE opgave = 'Duurzaam Wassenaar'"
    assert fx.query(org_db, te_laat) == [(1,)]
    pipeline.restore("opgaven", 1, db=org_db)
    assert fx.query(org_db, te_laat) == [(3,)]


def test_money_notations(org_db, load):
    sheets = fx.opgaven_sheets()
    sheets["Opgaven"][1][7:9] = ["€ 1.250.000", "83.950,50"]
    sheets["Opgaven"][2][7:9] = ["1.250", "0,5"]
    sheets["Opgaven"][3][7:9] = [1250000, "1250000.75"]
    assert load(sheets, peildatum=fx.PEILDATUM).loaded
    assert fx.query(org_db, "SELECT budget, besteed FROM opgave_voortgang") == [
        (1250000.0, 83950.5), (1250.0, 0.5), (1250000.0, 1250000.75)]


# --- the 'afgesloten' rule ----------------------------------------------------------------------
@pytest.mark.parametrize("evaluatie", [None, "nee", "Nee"])
def test_afgesloten_without_evaluation_is_a_warning(org_db, load, evaluatie):
    sheets = fx.opgaven_sheets()
    sheets["Opgaven"][3][9] = evaluatie
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.warnings(result) == [
        "Blad 'Opgaven', cel D4: opgave 'Sportpark' staat op 'afgesloten' zonder afgeronde evaluatie; een opgave "
        "wordt pas afgesloten nadat de evaluatie is voltooid en het succes is gevierd."]
    assert fx.query(org_db, "SELECT fase FROM opgave_voortgang WHERE opgave = 'Sportpark'") == [("afgesloten",)]


@pytest.mark.parametrize("evaluatie, gereed, datum", [
    ("ja", True, None), ("15-05-2021", True, date(2021, 5, 15)), (date(2021, 5, 15), True, date(2021, 5, 15)),
])
def test_afgesloten_with_evaluation(org_db, load, evaluatie, gereed, datum):
    sheets = fx.opgaven_sheets()
    sheets["Opgaven"][3][9] = evaluatie
    result = load(sheets, peildatum=fx.PEILDATUM)
    assert result.loaded and fx.warnings(result) == []
    assert fx.query(org_db, "SELECT evaluatie_gereed, evaluatie_datum FROM opgave_voortgang "
                            "WHERE opgave = 'Sportpark'") == [(gereed, datum)]


# --- references --------------------------------------------------------------------------------
def test_unknown_opgave_in_each_sheet_is_refused(org_db, load):
    sheets = fx.opgaven_sheets()
    sheets["Projecten"].append(["Nieuw project", "Zwembad", "Q. Leider", None, None, None])
    sheets["Mijlpalen"].append(["Haven", "Start", "01-01-2022", None])
    sheets["Capaciteit"].append(["Duinen", "ICT", 1, None])
    sheets["Capaciteit"].append(["Sportpark", "Burgerzaken", 1, None])
    before = fx.snapshot(org_db)
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        f"Blad 'Projecten', cel B3: opgave 'Zwembad' staat niet op het blad 'Opgaven'. Bekende opgaven: {KNOWN_OPGAVEN}.",
        f"Blad 'Mijlpalen', cel A7: opgave 'Haven' staat niet op het blad 'Opgaven'. Bekende opgaven: {KNOWN_OPGAVEN}.",
        f"Blad 'Capaciteit', cel A5: opgave 'Duinen' staat niet op het blad 'Opgaven'. Bekende opgaven: {KNOWN_OPGAVEN}.",
        "Blad 'Capaciteit', cel B6: eenheid 'Burgerzaken' bestaat niet in de huidige formatie. "
        f"Bekende eenheden: {KNOWN_EENHEDEN}.",
    ]
    assert fx.snapshot(org_db) == before


def test_capaciteit_without_organisatie_is_a_clear_error(db, load):
    assert fx.errors(load(fx.opgaven_sheets(), peildatum=fx.PEILDATUM)) == [
        "Blad 'Capaciteit': er is nog geen formatie (soort 'organisatie') geladen, dus de eenheden zijn onbekend. "
        "Laad eerst de formatie."]


def test_opgaven_without_capaciteit_need_no_organisatie(db, load):
    result = load(fx.opgaven_sheets(capaciteit=False), peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(db, "SELECT opgave, gevraagd_fte, toegezegd_fte FROM opgave_voortgang") == [
        ("Duurzaam Wassenaar", 0.0, 0.0), ("Digitale dienstverlening", 0.0, 0.0), ("Sportpark", 0.0, 0.0)]


def test_only_the_opgaven_sheet(db, load):
    result = load({"Opgaven": fx.OPGAVEN["Opgaven"]}, peildatum=fx.PEILDATUM)
    assert result.loaded
    assert fx.query(db, "SELECT count(*), sum(mijlpalen) FROM opgave_voortgang") == [(3, 0)]


def test_duplicate_opgave_is_refused(db, load):
    sheets = {"Opgaven": [*fx.OPGAVEN["Opgaven"], ["duurzaam wassenaar", "X", None, "ontwerp"]]}
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Opgaven', cel A5: opgave 'duurzaam wassenaar' komt dubbel voor."]


def test_bad_cells_all_at_once(org_db, load):
    sheets = fx.opgaven_sheets()
    sheets["Opgaven"][1][3:10] = ["klaar", "volgend jaar", None, "150%", "veel", None, "misschien"]
    sheets["Opgaven"][2][7] = "-5"
    sheets["Projecten"][1][3] = "gemengd"
    sheets["Mijlpalen"][3][2] = None
    sheets["Mijlpalen"][4][2] = "31-04-2021"
    sheets["Capaciteit"][1][2] = "-1"
    before = fx.snapshot(org_db)
    assert fx.errors(load(sheets, peildatum=fx.PEILDATUM)) == [
        "Blad 'Opgaven', cel D2: 'klaar' is geen geldige waarde; kies uit: verkenning, ontwerp, besluitvorming, "
        "uitvoering, evaluatie, afgesloten.",
        "Blad 'Opgaven', cel E2: 'volgend jaar' is geen datum (gebruik dd-mm-jjjj of een Excel-datum).",
        "Blad 'Opgaven', cel G2: '150%' valt buiten het bereik: Voortgang moet tussen 0 % en 100 % zijn.",
        "Blad 'Opgaven', cel H2: 'veel' is geen getal.",
        "Blad 'Opgaven', cel J2: 'misschien' is geen ja/nee en geen datum.",
        "Blad 'Opgaven', cel H3: '-5' valt buiten het bereik: Budget moet minstens 0 zijn.",
        "Blad 'Projecten', cel D2: 'gemengd' is geen geldige waarde; kies uit: intern, extern.",
        "Blad 'Mijlpalen', cel C4: Gepland ontbreekt (verplicht).",
        "Blad 'Mijlpalen', cel C5: '31-04-2021' is geen datum (gebruik dd-mm-jjjj of een Excel-datum).",
        "Blad 'Capaciteit', cel C2: '-1' valt buiten het bereik: Gevraagd fte moet minstens 0 zijn.",
    ]
    assert fx.snapshot(org_db) == before


def test_single_sheet_with_any_name(db, load):
    """General rule: a workbook holding one sheet may use any name for the kind it carries."""
    result = load({"Blad1": fx.OPGAVEN["Opgaven"]}, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert result.prepared.kind == "opgaven"
    assert fx.query(db, "SELECT opgave FROM opgave_voortgang") == [
        ("Duurzaam Wassenaar",), ("Digitale dienstverlening",), ("Sportpark",)]


def test_gereed_and_gereed_percent_are_two_columns(db, load):
    """'Gereed' is a synonym of Einde gepland, 'Gereed %' of Voortgang: they differ only by '%'."""
    sheet = [["Naam opgave", "Strategisch adviseur", "Status", "Gereed", "Gereed %", "Budget (€)"],
             ["Duurzaam Wassenaar", "A. Adviseur", "uitvoering", "31-12-2022", "40%", "1.250.000"]]
    result = load({"Opgaven": sheet}, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.warnings(result) == []
    assert fx.query(db, "SELECT einde_gepland, voortgang, budget FROM opgave_voortgang") == [
        (date(2022, 12, 31), 0.4, 1250000.0)]
