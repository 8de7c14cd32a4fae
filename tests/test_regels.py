"""The memo's rules (issue #15): the view regelcontrole and the page "Regels uit de notitie"
on the demo (everything complies where the memo holds) and on deviating organisations
loaded through the real pipeline: a shared pair other than the memo's, an unexpected split,
a missing exception, a coach over the norm, an eenheid of the memo that is not in the data,
an opgave without opdrachtgever, a closed opgave without evaluation, kinds not loaded."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import fixtures as fx
from etl import pipeline, store
from stuurbord.data import queries
from stuurbord.domain import opgaven as og
from stuurbord.domain import regels
from stuurbord.ui import fmt
from test_pages import _demo_template, all_markdown, demo_db, metric, run_page  # noqa: F401 (fixtures)

CONTRACT = ["regel", "onderwerp", "status", "toelichting", "bron"]
NORM_ZIN = "§3c Coach/coördinatoren: “Daarmee is de span of attention voor alle coach/coördinatoren goed " \
           "behapbaar (maximaal 22 fte).”"


def statuses(db) -> dict[tuple[str, str], str]:
    return {(r["regel_id"], r["onderwerp"]): r["status"] for r in fx.query_dicts(db, "SELECT * FROM regelcontrole")}


def zin(db, regel_id: str, onderwerp: str) -> str:
    rows = fx.query(db, "SELECT toelichting FROM regelcontrole WHERE regel_id = ? AND onderwerp = ?",
                    [regel_id, onderwerp])
    assert len(rows) == 1, (regel_id, onderwerp, rows)
    return rows[0][0]


def demo_coaches(db) -> list[list]:
    return [list(r) for r in fx.query(db, "SELECT coach, eenheid, aandeel FROM org_coach WHERE version = 1 ORDER BY rij")]


def load_org(db, tmp_path, coaches: list[list], rename: dict[str, str] | None = None) -> None:
    """A new organisatie version: the demo's eenheden and Opbouw (eenheden renamed by
    `rename`), with these coach rows; the demo's was/wordt-lijst stays current."""
    rename = rename or {}
    eenheden = fx.query(db, "SELECT cluster, eenheid, formatie_fte FROM org_eenheid WHERE version = 1 ORDER BY rij")
    opbouw = fx.query(db, "SELECT onderdeel, fte_onderdeel, percentage, bewerking, fte_opgegeven FROM org_opbouw "
                          "WHERE version = 1 ORDER BY volgorde")
    sheets = {
        "Eenheden": [["Cluster", "Eenheid", "Formatie fte"]] + [[c, rename.get(e, e), f] for c, e, f in eenheden],
        "Coaches": [["Coach", "Eenheid", "Aandeel"]] + [[c, rename.get(e, e), a] for c, e, a in coaches],
        "Opbouw": [["Onderdeel", "Fte onderdeel", "Percentage", "Bewerking", "Fte opgegeven"]]
                  + [[o, f, f"{round(p * 100)}%", b, s] for o, f, p, b, s in opbouw],
    }
    result = pipeline.load(fx.write_xlsx(tmp_path / "organisatie-variant.xlsx", sheets), db=db,
                           peildatum=date(2021, 7, 1), user="test")
    assert result.loaded, fx.errors(result)


def issue_case(db, tmp_path) -> None:
    """The organisation of the issue: Financiën en control and Post & Archief share one coach
    (18,2779 + 8,7501 = 27,028 fte), Inwonersloket is split 50/50 over two coaches, and
    Ondersteuning and OOV each have their own coach."""
    coaches = []
    for coach, eenheid, aandeel in demo_coaches(db):
        if eenheid == "Post & Archief":
            coach = "Ayşe Denkbeeld"
        elif eenheid == "Inwonersloket":
            coaches.append(["Sanne Nieuwkoop", eenheid, 0.5])
            aandeel = 0.5
        elif eenheid == "Openbare Orde en Veiligheid":
            coach = "Tim Apart"
        coaches.append([coach, eenheid, aandeel])
    load_org(db, tmp_path, coaches)


# --- the demo ----------------------------------------------------------------------------------------
def test_demo_complies_where_the_memo_holds(demo_db):
    got = statuses(demo_db)
    afwijkend = {k for k, s in got.items() if s != regels.VOLDOET}
    # the demo's real deviations: one coach above the norm, two overbezette eenheden, one closed
    # opgave without evaluation (etl/demo_data.py); everything else holds
    assert afwijkend == {("span-norm", "Bram Schijnvliet"), ("bezetting-formatie", "Openbare Orde en Veiligheid"),
                         ("bezetting-formatie", "Vergunningen, toezicht en handhaving"),
                         ("evaluatie", "Ledverlichting openbare ruimte")}
    assert {got[k] for k in afwijkend} == {regels.WIJKT_AF}
    assert got[("uitzondering-ondersteuning-oov", "Ondersteuning en Openbare Orde en Veiligheid")] == regels.VOLDOET
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")] == regels.VOLDOET
    assert len([k for k in got if k[0] == "coach-per-eenheid"]) == 11
    assert zin(demo_db, "span-norm", "Bram Schijnvliet") == (
        "Bram Schijnvliet leidt 22,43 fte (Wijkbeheer en groenonderhoud 60\u00a0%), 0,43 fte boven de norm van 22 fte.")
    assert zin(demo_db, "uitzondering-ondersteuning-oov", "Ondersteuning en Openbare Orde en Veiligheid") == (
        "Ondersteuning en Openbare Orde en Veiligheid delen coach/coördinator Kees Verzinsel, zoals de notitie "
        "beschrijft.")
    assert zin(demo_db, "coach-per-eenheid", "Openbare Orde en Veiligheid") == (
        "Openbare Orde en Veiligheid deelt coach/coördinator Kees Verzinsel met Ondersteuning, zoals de notitie "
        "toestaat.")
    assert zin(demo_db, "opbouw-totaal", "Organisatie") == (
        "De eenheden hebben samen 189,95 fte formatie, de opbouw komt uit op 189,95 fte (opgegeven).")
    assert zin(demo_db, "evaluatie", "Wilhelminaplein De Kieviet") == (
        "Wilhelminaplein De Kieviet is afgesloten en de evaluatie is voltooid (20 april 2021).")
    cols = [r[0] for r in fx.query(demo_db, "SELECT column_name FROM (DESCRIBE SELECT * FROM regelcontrole)")]
    assert cols[:5] == CONTRACT  # the analytics contract; extras only at the end
    assert fx.query(demo_db, "SELECT DISTINCT bron FROM regelcontrole WHERE regel_id = 'span-norm'") == [(NORM_ZIN,)]


def test_span_rule_equals_the_span_view(demo_db):
    span = {r["coach"]: r for r in fx.query_dicts(demo_db, "SELECT * FROM span_per_coach")}
    rows = fx.query_dicts(demo_db, "SELECT * FROM regelcontrole WHERE regel_id = 'span-norm'")
    assert {r["onderwerp"] for r in rows} == set(span)
    for r in rows:
        assert r["waarde"] == span[r["onderwerp"]]["fte"] and r["grens"] == 22
        assert (r["status"] == regels.WIJKT_AF) == span[r["onderwerp"]]["boven_norm"]


def test_the_evaluator_is_the_view(demo_db, tmp_path):
    """One definition: the in-memory evaluation of the current inputs equals the view, to the
    last character, on the demo and on a deviating organisation."""
    def same() -> None:
        with store.reader(demo_db) as con:
            pd.testing.assert_frame_equal(regels.evalueer(queries.regel_invoer(con)), queries.regelcontrole(con))
    same()
    issue_case(demo_db, tmp_path)
    same()


def test_dutch_text_in_sql_is_fmt(demo_db):
    values = [0, 0.125, 1.005, 2.675, 22.4332, 1234.5, 1234567.891, -0.001, -0.45, 9.3055 - 9, 189.9496]
    with store.reader(demo_db) as con:
        for v in values:
            assert con.execute("SELECT regel_fte(?::DOUBLE)", [v]).fetchone()[0] == fmt.fte(v), v
        for v in (0.6, 0.4, 0.125, 0.5, 1, 0.335):
            assert con.execute("SELECT regel_pct(?::DOUBLE)", [v]).fetchone()[0] == fmt.pct(v, 0), v
        assert con.execute("SELECT regel_datum(DATE '2021-04-20')").fetchone()[0] == fmt.datum(date(2021, 4, 20))
        assert con.execute("SELECT regel_en(['a']), regel_en(['a', 'b, c', 'd'])").fetchone() == ("a", "a, b, c en d")


def test_placeholder_words_are_the_opgaven_pages(demo_db):
    namen = fx.query(demo_db, "SELECT namen FROM regel WHERE id = 'opdrachtgever'")[0][0]
    assert set(namen) == og.PLACEHOLDERS


# --- deviating organisations ------------------------------------------------------------------------
def test_the_issue_case_is_not_approved(demo_db, tmp_path):
    issue_case(demo_db, tmp_path)
    got = statuses(demo_db)
    assert got[("span-norm", "Ayşe Denkbeeld")] == regels.WIJKT_AF
    assert zin(demo_db, "span-norm", "Ayşe Denkbeeld") == (
        "Ayşe Denkbeeld leidt 27,03 fte (Financiën en control en Post & Archief), 5,03 fte boven de norm van 22 fte.")
    assert got[("coach-per-eenheid", "Financiën en control")] == regels.WIJKT_AF
    assert zin(demo_db, "coach-per-eenheid", "Post & Archief") == (
        "Post & Archief deelt coach/coördinator Ayşe Denkbeeld met Financiën en control, terwijl volgens de notitie "
        "elke eenheid één eigen coach/coördinator heeft en alleen Ondersteuning en Openbare Orde en Veiligheid er "
        "een delen.")
    assert zin(demo_db, "coach-per-eenheid", "Inwonersloket") == (
        "Inwonersloket heeft 2 coach/coördinatoren (Sanne Nieuwkoop 50\u00a0% en Youssef Bedachtveld 50\u00a0%), "
        "terwijl volgens de notitie elke eenheid één eigen coach/coördinator heeft en alleen Wijkbeheer en "
        "groenonderhoud (2) er meer heeft.")
    # each with an own coach: the general rule holds for both, the memo's exception no longer does
    assert got[("coach-per-eenheid", "Ondersteuning")] == got[("coach-per-eenheid", "Openbare Orde en Veiligheid")] \
        == regels.VOLDOET
    assert got[("uitzondering-ondersteuning-oov", "Ondersteuning en Openbare Orde en Veiligheid")] == regels.WIJKT_AF
    assert zin(demo_db, "uitzondering-ondersteuning-oov", "Ondersteuning en Openbare Orde en Veiligheid") == (
        "Ondersteuning (Kees Verzinsel) en Openbare Orde en Veiligheid (Tim Apart) delen niet één "
        "coach/coördinator, terwijl de notitie hier een gedeelde coach noemt: een wijziging ten opzichte van de "
        "notitie.")
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")] == regels.VOLDOET
    assert got[("aandelen", "Inwonersloket")] == regels.VOLDOET


def test_the_issue_case_on_the_pages(demo_db, tmp_path):
    issue_case(demo_db, tmp_path)
    at = run_page("regels.py")
    assert metric(at, "Wijken af") == "5"  # span, coach per eenheid, the OOV exception; the demo: bezetting, evaluatie
    table = pd.concat([df.value for df in at.dataframe])
    row = table[(table["Onderwerp"] == "Inwonersloket") & (table["Status"] == "Wijkt af")]
    assert row["Toelichting"].str.startswith("Inwonersloket heeft 2 coach/coördinatoren").all() and len(row) == 1
    at = run_page("span.py")
    warnings = " ".join(w.value for w in at.warning)
    successes = " ".join(s.value for s in at.success)
    assert "deelt coach/coördinator Ayşe Denkbeeld met Financiën en control" in warnings.replace("\\", "")
    assert "Inwonersloket heeft 2 coach/coördinatoren" in warnings.replace("\\", "")
    assert "delen niet één coach/coördinator" in warnings.replace("\\", "")
    # the memo's words of approval only next to the case the memo covers
    assert len(at.success) == 1 and successes.replace("\\", "").startswith(
        "**Voldoet** — Wijkbeheer en groenonderhoud heeft 2 coach/coördinatoren")


def test_a_missing_exception_is_a_change_from_the_memo(demo_db, tmp_path):
    coaches = [c for c in demo_coaches(demo_db) if c[0] != "Noor Fictiefsma"]
    for c in coaches:
        if c[1] == "Wijkbeheer en groenonderhoud":
            c[2] = 1
    load_org(demo_db, tmp_path, coaches)
    got = statuses(demo_db)
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")] == regels.WIJKT_AF
    assert zin(demo_db, "uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud") == (
        "Wijkbeheer en groenonderhoud heeft 1 coach/coördinator (Bram Schijnvliet), terwijl de notitie er 2 noemt: "
        "een wijziging ten opzichte van de notitie.")
    assert got[("coach-per-eenheid", "Wijkbeheer en groenonderhoud")] == regels.VOLDOET  # one own coach: the rule
    assert zin(demo_db, "span-norm", "Bram Schijnvliet").startswith("Bram Schijnvliet leidt 37,39 fte")


def test_a_third_coach_and_a_coachless_eenheid_deviate(demo_db, tmp_path):
    coaches = [c for c in demo_coaches(demo_db) if c[1] != "Realisatieregie"]
    coaches = [[c, e, 0.4 if c == "Bram Schijnvliet" else a] for c, e, a in coaches]
    coaches.append(["Derde Coach", "Wijkbeheer en groenonderhoud", 0.2])
    load_org(demo_db, tmp_path, coaches)
    got = statuses(demo_db)
    assert got[("coach-per-eenheid", "Wijkbeheer en groenonderhoud")] == regels.WIJKT_AF
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")] == regels.WIJKT_AF
    assert zin(demo_db, "coach-per-eenheid", "Realisatieregie") == "Realisatieregie heeft geen coach/coördinator."
    assert zin(demo_db, "aandelen", "Realisatieregie") == (
        "Realisatieregie heeft geen coach/coördinator, dus 0 % van de eenheid is toegewezen.")


def test_a_memo_eenheid_spelled_otherwise_is_not_judged_until_configured(demo_db, tmp_path):
    load_org(demo_db, tmp_path, demo_coaches(demo_db),
             rename={"Openbare Orde en Veiligheid": "Openbare orde & veiligheid"})
    key = ("uitzondering-ondersteuning-oov", "Ondersteuning en Openbare Orde en Veiligheid")
    assert statuses(demo_db)[key] == regels.NIET_TE_BEOORDELEN
    assert zin(demo_db, *key) == (
        "De eenheid Openbare Orde en Veiligheid uit de notitie staat niet in de formatie (lijkt op Openbare orde & "
        "veiligheid, maar een gelijkende naam telt niet: voeg die spelling toe aan de regel).")
    # the sharing of a pair the rule set cannot find is a deviation: no fuzzy permission
    assert statuses(demo_db)[("coach-per-eenheid", "Openbare orde & veiligheid")] == regels.WIJKT_AF
    with store.writer(demo_db) as con:
        con.execute("UPDATE regel SET namen = ['Ondersteuning', 'Openbare Orde en Veiligheid|Openbare orde & "
                    "veiligheid|OOV'] WHERE id = 'uitzondering-ondersteuning-oov'")
    assert statuses(demo_db)[key] == regels.VOLDOET
    assert statuses(demo_db)[("coach-per-eenheid", "Openbare orde & veiligheid")] == regels.VOLDOET
    # the configuration survives a schema re-run; the texts follow the code
    with store.writer(demo_db) as con:
        con.execute("DELETE FROM schema_info")
        con.execute("UPDATE regel SET regel = 'oud' WHERE id = 'uitzondering-ondersteuning-oov'")
    with store.writer(demo_db):
        pass
    assert fx.query(demo_db, "SELECT regel, namen[2] FROM regel WHERE id = 'uitzondering-ondersteuning-oov'") == [
        ("Uitzondering: Ondersteuning en Openbare Orde en Veiligheid delen één coach/coördinator",
         "Openbare Orde en Veiligheid|Openbare orde & veiligheid|OOV")]


def test_opgaven_rules(demo_db, tmp_path):
    sheets = fx.opgaven_sheets(capaciteit=False)
    opg = sheets["Opgaven"]
    opg[1][1] = "Sem Schijnvliet"    # Beleidsadviseur in the demo was/wordt-lijst
    opg[2][1] = "n.t.b."
    opg[3][9] = "nee"                # Sportpark: afgesloten, evaluation not done
    opg.append(["Bibliotheek", "bart de  verzinsel", None, "verkenning", None, None, None, None, None, None])
    result = pipeline.load(fx.write_xlsx(tmp_path / "opgaven.xlsx", sheets), db=demo_db, peildatum=date(2021, 7, 1),
                           user="test")
    assert result.loaded, fx.errors(result)
    got = statuses(demo_db)
    assert zin(demo_db, "opdrachtgever", "Duurzaam Wassenaar") == (
        "Duurzaam Wassenaar: opdrachtgever Sem Schijnvliet is volgens de was/wordt-lijst Beleidsadviseur, geen "
        "strategisch adviseur.")
    assert got[("opdrachtgever", "Digitale dienstverlening")] == regels.WIJKT_AF
    assert zin(demo_db, "opdrachtgever", "Digitale dienstverlening") == \
        "Digitale dienstverlening heeft geen opdrachtgever (‘n.t.b.’)."
    assert got[("opdrachtgever", "Bibliotheek")] == regels.VOLDOET  # case and spaces folded, no fuzzy match
    assert zin(demo_db, "opdrachtgever", "Bibliotheek") == (
        "Bibliotheek: opdrachtgever is bart de verzinsel, strategisch adviseur volgens de was/wordt-lijst.")
    assert got[("opdrachtgever", "Sportpark")] == regels.VOLDOET
    assert zin(demo_db, "evaluatie", "Sportpark") == "Sportpark staat op afgesloten, maar de evaluatie is niet voltooid."
    assert got[("evaluatie", "Sportpark")] == regels.WIJKT_AF


def test_kinds_not_loaded_cannot_be_judged(org_db):
    """The test organisatie alone: no was/wordt-lijst, no opgaven, none of the memo's eenheden."""
    rows = fx.query_dicts(org_db, "SELECT * FROM regelcontrole")
    got = {(r["regel_id"], r["onderwerp"]): r for r in rows}
    assert {r["status"] for r in rows if r["regel_id"] == "span-norm"} == {regels.NIET_TE_BEOORDELEN}
    assert got[("span-norm", "Anna")]["toelichting"] == (
        "Zonder was/wordt-lijst is de bezetting onbekend, dus de span van Anna (Belastingen 50\u00a0% en "
        "Inwonersloket) is niet te berekenen.")
    assert got[("opdrachtgever", "Opgaven")]["status"] == regels.NIET_TE_BEOORDELEN
    assert got[("evaluatie", "Opgaven")]["toelichting"] == "Het opgavenregister is niet geladen."
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")]["status"] == regels.NIET_TE_BEOORDELEN
    assert got[("uitzondering-wijkbeheer", "Wijkbeheer en groenonderhoud")]["toelichting"] == \
        "De eenheid Wijkbeheer en groenonderhoud uit de notitie staat niet in de formatie."
    assert got[("omvang-eenheden", "Organisatie")]["toelichting"] == "De formatie telt 4 eenheden, de notitie noemt er 11."
    # Belastingen: two coaches (Anna, Bram), and Anna also leads Inwonersloket
    assert got[("coach-per-eenheid", "Belastingen")]["status"] == regels.WIJKT_AF
    assert {r["status"] for r in rows if r["regel_id"] == "bezetting-formatie"} == {regels.NIET_TE_BEOORDELEN}


def test_empty_store_has_no_rules_to_judge(db):
    rows = fx.query_dicts(db, "SELECT * FROM regelcontrole")
    assert {r["status"] for r in rows} == {regels.NIET_TE_BEOORDELEN}
    assert {r["onderwerp"] for r in rows} == {"Organisatie", "Opgaven"}
    assert len({r["regel_id"] for r in rows}) == 11


def test_shares_that_do_not_add_up(demo_db):
    """The loader refuses such a workbook; a scenario or a hand-edited store can still have it."""
    with store.reader(demo_db) as con:
        invoer = queries.regel_invoer(con)
    coach = invoer.coach.copy()
    coach.loc[coach["coach"] == "Noor Fictiefsma", "aandeel"] = 0.2
    res = regels.evalueer(invoer.met(coach=coach))
    r = res[(res["regel_id"] == "aandelen") & (res["onderwerp"] == "Wijkbeheer en groenonderhoud")].iloc[0]
    assert r["status"] == regels.WIJKT_AF
    assert r["toelichting"] == ("De aandelen van Wijkbeheer en groenonderhoud tellen op tot 80\u00a0% in plaats van "
                                "100 % (Bram Schijnvliet 60\u00a0% en Noor Fictiefsma 20\u00a0%).")


def test_a_page_norm_reevaluates_the_rules(demo_db):
    at = run_page("span.py")
    at.number_input(key="norm").set_value(20).run()
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Pieter Zogenaamd leidt 20,22 fte (Vergunningen, toezicht en handhaving), 0,22 fte boven de norm van 20 fte" \
        in text
    assert fx.query(demo_db, "SELECT count(*) FROM regelcontrole WHERE regel_id = 'span-norm' AND status = 'wijkt af'") \
        == [(1,)]  # the stored setting is unchanged


def test_attention_api_for_a_start_page(demo_db):
    with store.reader(demo_db) as con:
        res = queries.regelcontrole(con)
    a = regels.aandacht(res)
    assert list(a["onderwerp"])[:3] == ["Bram Schijnvliet", "Openbare Orde en Veiligheid",
                                        "Vergunningen, toezicht en handhaving"]
    assert a.loc[0, "verschil"] == pytest.approx(0.4332)
    s = regels.samenvatting(res)
    assert s.set_index("regel_id").loc["span-norm", ["voldoet", "wijkt_af", "status"]].tolist() == [10, 1, "wijkt af"]
