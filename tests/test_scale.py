"""The scale generator (`python -m etl demo --scale N`, etl/scale.py): a synthetic organisation
N times the demo, loaded through the real pipeline. Most assertions use N = 3 (one build per
module, ~1,5 s); one test builds N = 10, whose was/wordt-lijsten take the columnar fast path.

The expected counts follow the rules in etl/scale.py's docstring and docs/scale.md, computed
here from N, not read from the generator: per block of 11 eenheden as in the demo, 11 coaches
(one shared by two eenheden, one eenheid with two), 4 persons with two placements, 5 norms,
3 opgaven; about 5·√N clusters."""
from __future__ import annotations

import json
import math
import re
from datetime import date

import pytest

import fixtures as fx
from etl import columnar, scale
from etl.demo import DEMO_DIR, DEMO_FILES, load_demo

N = 3
WASWORD_PEILDATA = [date(2020, 9, 1), date(2020, 10, 1), date(2020, 11, 1), date(2020, 12, 1), date(2021, 1, 1),
                    date(2021, 2, 1), date(2021, 3, 1), date(2021, 4, 1), date(2021, 5, 1), date(2021, 6, 1)]
CURRENT_WASWORD = "(SELECT version FROM huidige_versie WHERE kind = 'wasword')"


def _build(tmp_path_factory, n: int, name: str):
    db = tmp_path_factory.mktemp(name) / "schaal.duckdb"
    log = []
    results = load_demo(db=db, log=log.append, scale=n)
    return db, results, log


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Scale 3 loaded in-process: (db, load results, log lines)."""
    return _build(tmp_path_factory, N, "schaal3")


@pytest.fixture(scope="module")
def built_by_cli(tmp_path_factory):
    """Scale 3 again, through `python -m etl demo --scale 3 --db PATH --json` as a real process."""
    db = tmp_path_factory.mktemp("schaal3-cli") / "cli.duckdb"
    return db, fx.run_cli("demo", "--scale", N, "--db", db, "--json", timeout=120)


def _one(db, sql: str):
    return fx.query(db, sql)[0][0]


def _figures(db) -> dict[str, list]:
    """Everything a page could show, without load times (loaded_at) or note times."""
    views = {name: fx.query(db, f"SELECT * FROM {name}") for name in
             ("fte_per_eenheid", "span_per_coach", "formatie_opbouw", "kpi_scores", "opgave_voortgang")}
    views["versies"] = fx.query(db, "SELECT kind, version, peildatum, file_name, sha256, rows, is_current "
                                    "FROM versies")
    views["ww_plaatsing"] = fx.query(db, "SELECT * FROM ww_plaatsing ORDER BY version, rij")
    views["kpi_notitie"] = fx.query(db, "SELECT code, periode, tekst, auteur FROM kpi_notitie ORDER BY ALL")
    return views


# --- counts ------------------------------------------------------------------------------------
def test_organisation_counts_scale_with_n(built):
    db, _, _ = built
    assert _one(db, "SELECT count(*) FROM org_eenheid") == 11 * N
    assert _one(db, "SELECT count(DISTINCT cluster) FROM org_eenheid") == round(5 * math.sqrt(N)) == 9
    assert _one(db, "SELECT count(DISTINCT coach) FROM org_coach") == 11 * N
    assert _one(db, "SELECT count(*) FROM org_coach") == 12 * N
    # per block one coach with two eenheden and one eenheid with two coaches, as in the demo
    assert _one(db, "SELECT count(*) FROM span_per_coach WHERE aantal_eenheden = 2") == N
    assert _one(db, "SELECT count(*) FROM (SELECT eenheid FROM org_coach GROUP BY eenheid "
                    "HAVING count(*) = 2)") == N


def test_placements_and_persons_scale_with_n(built):
    db, _, _ = built
    placements, persons, vacancies = fx.query(db, f"""
        SELECT count(*) FILTER (WHERE NOT is_vacature), count(DISTINCT personeelsnummer), count(*) FILTER (is_vacature)
        FROM ww_plaatsing WHERE version = {CURRENT_WASWORD}""")[0]
    assert 0.9 * 228 * N <= placements <= 1.1 * 228 * N   # the demo: 228 placements of 224 persons
    assert 0.9 * 224 * N <= persons <= 1.1 * 224 * N
    assert placements - persons == 4 * N  # the shared coach and three persons with two part-time placements
    assert vacancies > 0


def test_kpi_and_opgaven_counts_scale_with_n(built):
    db, _, _ = built
    norms, scores = _one(db, "SELECT count(*) FROM kpi_norm"), _one(db, "SELECT count(*) FROM kpi_score")
    assert norms == 5 * N
    assert 0.95 * norms * 60 <= scores <= norms * 60   # 60 months; a few norms lack the last months
    assert fx.query(db, "SELECT min(periode), max(periode), count(DISTINCT periode) FROM kpi_score") == \
        [("2018-01", "2022-12", 60)]
    assert _one(db, "SELECT count(*) FROM kpi_notitie") >= 1
    opgaven = _one(db, "SELECT count(*) FROM opg_opgave")
    assert opgaven == 3 * N
    projects, milestones, capacity = (_one(db, f"SELECT count(*) FROM {t}") for t in
                                      ("opg_project", "opg_mijlpaal", "opg_capaciteit"))
    assert 2 * opgaven <= projects <= 8 * opgaven and 4 * opgaven <= milestones <= 16 * opgaven
    assert opgaven <= capacity <= 5 * opgaven
    assert fx.query(db, "SELECT count(*) FROM opg_capaciteit WHERE eenheid NOT IN (SELECT eenheid FROM org_eenheid)") \
        == [(0,)]


def test_versions_and_peildata_follow_the_demo(built):
    db, results, _ = built
    assert all(r.loaded for r in results)
    rows = fx.query(db, "SELECT kind, version, peildatum, is_current, loaded_by FROM versies ORDER BY kind, version")
    assert [(k, v, p) for k, v, p, _, _ in rows] == (
        [("kpi", 1, date(2022, 12, 31)), ("opgaven", 1, date(2021, 6, 1)), ("organisatie", 1, date(2021, 6, 1))]
        + [("wasword", v, p) for v, p in enumerate(WASWORD_PEILDATA, start=1)])
    assert [k for k, v, _, current, _ in rows if current] == ["kpi", "opgaven", "organisatie", "wasword"]
    assert _one(db, "SELECT version FROM huidige_versie WHERE kind = 'wasword'") == 10
    assert {who for *_, who in rows} == {"demo"}   # the app then says the data is synthetic


def test_stable_views_return_the_expected_row_counts(built):
    db, _, _ = built
    scores = _one(db, "SELECT count(*) FROM kpi_score")
    counts = {v: _one(db, f"SELECT count(*) FROM {v}") for v in
              ("fte_per_eenheid", "span_per_coach", "kpi_scores", "opgave_voortgang", "versies", "formatie_opbouw")}
    assert counts == {"fte_per_eenheid": 11 * N, "span_per_coach": 11 * N, "kpi_scores": scores,
                      "opgave_voortgang": 3 * N, "versies": 13, "formatie_opbouw": 4}


# --- totals ------------------------------------------------------------------------------------
def test_formatie_per_eenheid_adds_up_to_the_opbouw_total(built):
    db, _, _ = built
    formatie = _one(db, "SELECT sum(formatie_fte) FROM fte_per_eenheid")
    total = fx.query_dicts(db, "SELECT * FROM formatie_opbouw WHERE onderdeel = 'Totaal'")[0]
    assert total["fte_berekend"] == pytest.approx(formatie, abs=1e-6)
    assert total["fte_opgegeven"] == pytest.approx(formatie, abs=1e-6)
    assert fx.query(db, "SELECT count(*) FROM formatie_opbouw WHERE abs(verschil) > 1e-6") == [(0,)]


def test_bezetting_is_the_sum_of_the_placements(built):
    db, _, _ = built
    view = dict(fx.query(db, "SELECT eenheid, bezetting_fte FROM fte_per_eenheid"))
    placed = dict(fx.query(db, f"SELECT eenheid, sum(fte) FROM ww_plaatsing WHERE version = {CURRENT_WASWORD} "
                               "AND NOT is_vacature GROUP BY eenheid"))
    assert view.keys() == placed.keys()   # every eenheid has people
    assert all(view[e] == pytest.approx(placed[e], abs=1e-4) for e in view)
    assert sum(view.values()) == pytest.approx(sum(placed.values()), abs=1e-3)


def test_shares_per_eenheid_add_up_to_one_and_nobody_works_over_1_2_fte(built):
    db, _, _ = built
    assert fx.query(db, "SELECT count(*) FROM (SELECT eenheid, sum(aandeel) s FROM org_coach GROUP BY eenheid) "
                        "WHERE abs(s - 1) > 1e-9") == [(0,)]
    assert _one(db, "SELECT count(*) FROM org_eenheid WHERE eenheid NOT IN (SELECT eenheid FROM org_coach)") == 0
    assert _one(db, "SELECT max(s) FROM (SELECT sum(fte) s FROM ww_plaatsing WHERE NOT is_vacature "
                    "GROUP BY version, personeelsnummer)") <= 1.0


def test_spans_mostly_within_the_norm_a_few_just_above(built):
    db, _, _ = built
    spans = fx.query(db, "SELECT fte, boven_norm FROM span_per_coach")
    above = [fte for fte, boven in spans if boven]
    assert len(above) == math.ceil(N / 4)          # the split coach of every fourth block
    assert all(22 < fte < 23 for fte in above)      # slightly above, as in the demo (22,43)
    assert max(fte for fte, boven in spans if not boven) <= 22


def test_vacancies_and_a_little_over_staffing(built):
    db, _, _ = built
    under, over, worst = fx.query(db, "SELECT count(*) FILTER (vacature_fte > 0), count(*) FILTER (vacature_fte < 0), "
                                      "min(vacature_fte) FROM fte_per_eenheid")[0]
    assert under > 2 * over >= 2 and worst >= -0.6


def test_each_month_of_history_is_a_small_realistic_change(built):
    """Between two consecutive was/wordt-lijsten: people leave and join, move eenheid, change fte,
    and vacancies are filled; together a few percent of the persons at most."""
    db, _, _ = built
    for version in range(2, 11):
        leavers, joiners, movers, fte, filled, persons = fx.query(db, """
            WITH a AS (SELECT personeelsnummer p, eenheid, fte FROM ww_plaatsing WHERE version = $1 - 1 AND NOT is_vacature),
                 b AS (SELECT personeelsnummer p, eenheid, fte, nieuwe_functie FROM ww_plaatsing
                       WHERE version = $1 AND NOT is_vacature),
                 sa AS (SELECT p, any_value(eenheid) eenheid, any_value(fte) fte FROM a GROUP BY p HAVING count(*) = 1),
                 sb AS (SELECT p, any_value(eenheid) eenheid, any_value(fte) fte FROM b GROUP BY p HAVING count(*) = 1),
                 gone AS (SELECT eenheid, nieuwe_functie, fte FROM ww_plaatsing WHERE version = $1 - 1 AND is_vacature
                          EXCEPT ALL SELECT eenheid, nieuwe_functie, fte FROM ww_plaatsing WHERE version = $1 AND is_vacature),
                 hired AS (SELECT * FROM b WHERE p NOT IN (SELECT p FROM a))
            SELECT (SELECT count(DISTINCT p) FROM a WHERE p NOT IN (SELECT p FROM b)),
                   (SELECT count(DISTINCT p) FROM hired),
                   (SELECT count(*) FROM sa JOIN sb USING (p) WHERE sa.eenheid <> sb.eenheid),
                   (SELECT count(*) FROM sa JOIN sb USING (p) WHERE sa.eenheid = sb.eenheid AND sa.fte <> sb.fte),
                   (SELECT count(*) FROM gone JOIN hired USING (eenheid, nieuwe_functie, fte)),
                   (SELECT count(DISTINCT p) FROM a)""", [version])[0]
        assert min(leavers, joiners, movers, fte, filled) >= 1, (version, leavers, joiners, movers, fte, filled)
        assert leavers + joiners + movers + fte <= 0.06 * persons, version


def test_a_personeelsnummer_belongs_to_one_person_over_the_whole_history(built):
    db, _, _ = built
    assert _one(db, "SELECT count(DISTINCT personeelsnummer) FROM ww_plaatsing") == \
        _one(db, "SELECT count(DISTINCT (personeelsnummer, naam)) FROM ww_plaatsing WHERE NOT is_vacature")
    assert _one(db, "SELECT count(*) FROM ww_plaatsing WHERE NOT regexp_full_match(personeelsnummer, '[0-9]{6}')") == 0


def test_names_are_obviously_fictitious(built):
    db, _, _ = built
    patterns = {
        "SELECT DISTINCT eenheid FROM org_eenheid": r"Eenheid \d{4}",
        "SELECT DISTINCT cluster FROM org_eenheid": r"Cluster \d{2}",
        "SELECT DISTINCT coach FROM org_coach": r"Coach \d{4}",
        "SELECT DISTINCT naam FROM ww_plaatsing WHERE naam IS NOT NULL": r"(Medewerker \d{6}|Coach \d{4})",
        "SELECT DISTINCT opdrachtgever FROM opg_opgave": r"Adviseur \d{2}",
        "SELECT DISTINCT portefeuillehouder FROM opg_opgave": r"(Wethouder \d|Burgemeester)",
        "SELECT DISTINCT projectleider FROM opg_project": r"Projectleider \d{4}",
    }
    for sql, pattern in patterns.items():
        names = [name for (name,) in fx.query(db, sql)]
        assert names and all(re.fullmatch(pattern, name) for name in names), (sql, names[:5])


def test_notes_are_written_as_the_app_writes_them_on_dips(built):
    """Each note (etl.annotations.add, author 'demo') sits on a score that misses its norm."""
    db, _, log = built
    notes = fx.query(db, "SELECT n.code, n.periode, n.auteur, s.norm_gehaald FROM kpi_notitie n "
                         "LEFT JOIN kpi_scores s ON s.code = n.code AND s.periode = n.periode")
    assert notes and all(auteur == "demo" and gehaald is False for _, _, auteur, gehaald in notes)
    assert f"{len(notes)} notities bij kpi-scores toegevoegd." in log


# --- determinism, command line ------------------------------------------------------------------
def test_the_same_n_gives_byte_identical_workbooks(tmp_path):
    first = scale.build_scale_workbooks(1, tmp_path / "a")
    second = scale.build_scale_workbooks(1, tmp_path / "b")
    assert [p.name for p, *_ in first.files] == [p.name for p, *_ in second.files]
    assert len(first.files) == 13
    for (a, *_), (b, *_) in zip(first.files, second.files):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first.notes == second.notes
    other = scale.build_scale_workbooks(2, tmp_path / "c")
    assert other.files[0][0].read_bytes() != first.files[0][0].read_bytes()


def test_the_cli_builds_the_same_figures(built, built_by_cli):
    db, _, _ = built
    cli_db, proc = built_by_cli
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert len(results) == 13 and all(r["loaded"] for r in results)
    assert [r["kind"] for r in results] == ["organisatie", "kpi", "opgaven"] + ["wasword"] * 10
    assert _figures(cli_db) == _figures(db)


def test_the_cli_again_on_the_same_database_loads_nothing_new(built_by_cli, cli):
    cli_db, first = built_by_cli
    assert first.returncode == 0, first.stderr
    before = fx.query(cli_db, "SELECT kind, version, sha256, is_current FROM versies")
    notes = _one(cli_db, "SELECT count(*) FROM kpi_notitie")
    again = cli("demo", "--scale", N, "--db", cli_db)
    assert again.returncode == 0, again.stderr
    assert "is al geladen als was/wordt-lijst versie 10" in again.stdout
    assert fx.query(cli_db, "SELECT kind, version, sha256, is_current FROM versies") == before
    assert _one(cli_db, "SELECT count(*) FROM kpi_notitie") == notes   # notes are not added twice


@pytest.mark.parametrize("value", ["0", "-3", "abc", "2.5", str(scale.MAX_SCALE + 1)])
def test_a_bad_scale_is_a_usage_error(value, tmp_path, cli):
    db = tmp_path / "niets.duckdb"
    proc = cli("demo", "--scale", value, "--db", db)
    assert proc.returncode == 2
    assert f"'{value}' is geen geldige schaal; gebruik een geheel getal van 1 tot en met {scale.MAX_SCALE}" \
        in proc.stderr
    assert not db.exists()


def test_scale_1_loads_the_committed_demo(tmp_path, cli):
    db = tmp_path / "demo.duckdb"
    proc = cli("demo", "--scale", 1, "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    assert [name for (name,) in fx.query(db, "SELECT file_name FROM versie ORDER BY loaded_at")] == \
        [name for name, _, _ in DEMO_FILES]


def test_the_committed_demo_workbooks_are_still_reproduced_byte_for_byte(tmp_path):
    from etl.demo_data import build_demo_workbooks
    for name, path in build_demo_workbooks(tmp_path).items():
        assert path.read_bytes() == (DEMO_DIR / name).read_bytes(), name


# --- a larger N: the columnar fast path -----------------------------------------------------------
def test_scale_10_takes_the_columnar_path_and_counts_scale(tmp_path, monkeypatch):
    """At N = 10 each was/wordt-lijst has about 2.300 rows: over columnar.min_rows() (2.000), so the
    fast path reads them, as it will at N = 100."""
    taken = []
    real = columnar.read_sheet_columnar

    def spy(wb, spec, name, header):
        sheet = real(wb, spec, name, header)
        taken.append((spec.name, sheet is not None))
        return sheet
    monkeypatch.setattr(columnar, "read_sheet_columnar", spy)
    db = tmp_path / "schaal10.duckdb"
    load_demo(db=db, log=lambda *_: None, scale=10)
    assert taken == [("Was-wordt", True)] * 10
    assert fx.query(db, "SELECT count(*), count(DISTINCT cluster) FROM fte_per_eenheid") == [(110, 16)]
    assert _one(db, "SELECT count(*) FROM span_per_coach") == 110
    assert _one(db, "SELECT count(*) FILTER (boven_norm) FROM span_per_coach") == 3
    persons = _one(db, f"SELECT count(DISTINCT personeelsnummer) FROM ww_plaatsing WHERE version = {CURRENT_WASWORD}")
    assert 0.9 * 2240 <= persons <= 1.1 * 2240
    assert fx.query(db, "SELECT count(*) FROM kpi_norm") == [(50,)]
    assert _one(db, "SELECT count(*) FROM opgave_voortgang") == 30
