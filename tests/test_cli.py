"""The command line (analytics contract): `python -m etl load|history|restore|demo|backup|template`,
exit codes 0 / 1 / 2, the --json shapes, errors on standard error, Dutch usage and help."""
from __future__ import annotations

import json
from datetime import date

import pytest

import fixtures as fx


@pytest.fixture
def org_file(xlsx):
    return xlsx(fx.organisatie_sheets(), "formatie.xlsx")


def test_load_prints_a_dutch_summary(db, org_file):
    proc = fx.run_cli("load", org_file, "--db", db, "--peildatum", "2021-06-01", "--user", "controller")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "'formatie.xlsx' geladen als formatie en coaches versie 1 (peildatum 01-06-2021): 12 rijen, "
        "1 overgeslagen, 0 waarschuwingen.",
        "  overgeslagen: Blad 'Opbouw': rij 5 ('Totaal fte in Wassenaarse organisatie') is een totaalregel en is "
        "overgeslagen."]
    assert proc.stderr == ""
    assert fx.query(db, "SELECT loaded_by, peildatum FROM versies") == [("controller", date(2021, 6, 1))]


def test_load_json_shape(org_db, xlsx):
    sheets = fx.wasword_sheets()
    sheets["Blad1"][0].append("Opmerking")
    path = xlsx(sheets, "wasword.xlsx")
    proc = fx.run_cli("load", path, "--json", "--peildatum", "2021-06-01", env={"STUURBORD_DB": str(org_db)})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"kind", "version", "rows", "skipped_rows", "warnings"} <= set(out)
    assert (out["kind"], out["version"], out["rows"], out["skipped_rows"]) == ("wasword", 1, 10, 0)
    assert out["warnings"] == ["Blad 'Blad1', cel I1: kolom 'Opmerking' is onbekend en is genegeerd."]
    assert fx.query(org_db, "SELECT sum(bezetting_fte) FROM fte_per_eenheid") == [(pytest.approx(5.7),)]


def test_refused_file_exit_1_errors_on_stderr(full_db, xlsx):
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][2][2] = "twintig"
    sheets["Coaches"][1][1] = "Burgerzaken"
    path = xlsx(sheets, "fout.xlsx")
    before = fx.snapshot(full_db)
    proc = fx.run_cli("load", path, "--db", full_db)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "'fout.xlsx' is geweigerd: 2 fouten. Er is niets gewijzigd.",
        "  - Blad 'Eenheden', cel C3: 'twintig' is geen getal.",
        "  - Blad 'Coaches', cel B2: eenheid 'Burgerzaken' staat niet op het blad 'Eenheden'. Bekende eenheden: "
        "Belastingen, Financiën, ICT, Inwonersloket."]
    assert fx.snapshot(full_db) == before


def test_refused_file_json(full_db, xlsx, cli):
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][2][2] = "twintig"
    proc = cli("load", xlsx(sheets, "fout.xlsx"), "--db", full_db, "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {"errors": ["Blad 'Eenheden', cel C3: 'twintig' is geen getal."]}
    assert "Blad 'Eenheden', cel C3: 'twintig' is geen getal." in proc.stderr


def test_hostile_file_exit_1(full_db, tmp_path, cli):
    path = tmp_path / "export.csv"
    path.write_text("Cluster;Eenheid\n")
    proc = cli("load", path, "--db", full_db, "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {"errors": [
        "'export.csv' is een CSV-/tekstbestand. Open het in Excel en sla het op als Excel-werkmap (.xlsx). "
        "Alleen .xlsx en .xlsm worden geaccepteerd."]}


def test_same_file_again_exit_0(db, org_file, cli):
    assert cli("load", org_file, "--db", db, "--peildatum", "2021-06-01").returncode == 0
    proc = cli("load", org_file, "--db", db)
    assert proc.returncode == 0
    assert proc.stdout.strip() == ("'formatie.xlsx' is al geladen als formatie en coaches versie 1; "
                                   "er is geen nieuwe versie gemaakt.")
    again = cli("load", org_file, "--db", db, "--json")
    assert json.loads(again.stdout)["version"] == 1 and json.loads(again.stdout)["loaded"] is False
    assert fx.query(db, "SELECT count(*) FROM versies") == [(1,)]


def test_kind_option(db, xlsx, cli):
    sheets = {"Eenheden": fx.ORGANISATIE["Eenheden"], "Coaches": fx.ORGANISATIE["Coaches"],
              "Opgaven": fx.OPGAVEN["Opgaven"]}
    path = xlsx(sheets, "beide.xlsx")
    ambiguous = cli("load", path, "--db", db)
    assert ambiguous.returncode == 1
    assert "Kies de soort zelf" in ambiguous.stderr
    chosen = cli("load", path, "--db", db, "--kind", "organisatie", "--json")
    assert chosen.returncode == 0 and json.loads(chosen.stdout)["kind"] == "organisatie"
    assert json.loads(chosen.stdout)["warnings"][0] == "Blad 'Opgaven': onbekend blad; het is overgeslagen."


@pytest.mark.parametrize("args, text", [
    ([], "python -m etl: fout: deze argumenten ontbreken: OPDRACHT"),
    (["laad", "x.xlsx"], "fout: argument OPDRACHT: ongeldige keuze: 'laad' (kies uit 'load', 'history', "),
    (["load"], "python -m etl load: fout: deze argumenten ontbreken: BESTAND"),
    (["load", "x.xlsx", "--kind", "begroting"], "ongeldige keuze: 'begroting' (kies uit 'kpi', 'opgaven', "),
    (["load", "x.xlsx", "--peildatum", "1-6-2021"], "'1-6-2021' is geen datum; gebruik JJJJ-MM-DD"),
    (["load", "x.xlsx", "--peildatum", "2021-13-01"], "'2021-13-01' is geen datum; gebruik JJJJ-MM-DD"),
    (["restore", "organisatie", "twee"], "argument VERSIE: geen geheel getal: 'twee'"),
    (["history", "--onbekend"], "fout: onbekende argumenten: --onbekend"),
])
def test_usage_errors_exit_2_in_dutch(tmp_path, args, text, cli):
    proc = cli(*args, "--db", tmp_path / "x.duckdb") if args else cli()
    assert proc.returncode == 2
    assert proc.stderr.startswith("gebruik: python -m etl")
    assert text in proc.stderr
    assert not (tmp_path / "x.duckdb").exists()


@pytest.mark.parametrize("args", [["--help"], ["load", "--help"], ["backup", "-h"], ["template", "--help"]])
def test_help_is_dutch_with_the_contracts_commands_and_flags(args, cli):
    proc = cli(*args)
    assert proc.returncode == 0 and proc.stderr == ""
    out = proc.stdout
    assert out.startswith("gebruik: python -m etl") and "deze hulp tonen en stoppen" in out
    for english in ("usage:", "positional arguments", "options:", "show this help"):
        assert english not in out
    if args == ["--help"]:
        for command in ("load", "history", "restore", "demo", "backup", "template"):
            assert f"\n    {command} " in out
    if args[0] == "load":
        for flag in ("--kind SOORT", "--peildatum JJJJ-MM-DD", "--db PAD", "--user NAAM", "--json"):
            assert flag in out


def test_history(full_db, cli):
    proc = cli("history", "--db", full_db)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["soort", "versie", "peildatum", "geladen", "op", "door", "rijen", "sha-256",
                                "bestand"]
    assert [line.split()[:3] for line in lines[1:-1]] == [
        ["kpi", "1", "01-06-2021"], ["opgaven", "1", "01-06-2021"], ["organisatie", "1", "01-06-2021"],
        ["wasword", "1", "01-06-2021"]]
    assert all(line.endswith(" *") for line in lines[1:-1])
    assert lines[-1] == "* = huidige versie"
    as_json = json.loads(cli("history", "--db", full_db, "--kind", "wasword", "--json").stdout)
    assert [(r["kind"], r["version"], r["is_current"], r["rows"], r["file_name"]) for r in as_json] == [
        ("wasword", 1, True, 10, "wasword.xlsx")]


def test_history_names_in_full_and_the_whole_sha256(org_db, org_file, cli):
    """The audit trail names people: no truncated names; the SHA-256 to check a file against."""
    import getpass
    import hashlib

    from etl import logboek, pipeline
    person = logboek.Actor("Annemarie van den Berg-Oosterhuis", "a.vandenberg@wassenaar.example", "u-77", "controller",
                           via="oidc")
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][3][2] = 13
    path = fx.write_xlsx(org_file.parent / "formatie-2.xlsx", sheets)
    assert pipeline.load(path, peildatum=date(2021, 7, 1), user=person, db=org_db).loaded
    line = next(x for x in cli("history", "--db", org_db).stdout.splitlines() if x.startswith("organisatie") and
                " 2 " in x)
    assert "Annemarie van den Berg-Oosterhuis" in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() in line
    # the command line records the OS user as the subject, whatever --user says
    assert cli("restore", "organisatie", "1", "--db", org_db, "--user", "Piet").returncode == 0
    row = fx.query_dicts(org_db, "SELECT * FROM logboek WHERE actie = 'terugzetten'")[0]
    assert (row["naam"], row["subject"], row["via"]) == ("Piet", f"os:{getpass.getuser()}", "opdrachtregel")


def test_history_without_database(tmp_path, cli):
    proc = cli("history", "--db", tmp_path / "nieuw.duckdb")
    assert (proc.returncode, proc.stdout.strip()) == (0, "Nog niets geladen.")
    assert not (tmp_path / "nieuw.duckdb").exists()


def test_restore(org_db, load, cli):
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][1][2] = 20
    assert load(sheets, "v2.xlsx", peildatum=fx.PEILDATUM).version == 2
    proc = cli("restore", "organisatie", "1", "--db", org_db, "--user", "beheerder")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "organisatie: versie 1 is nu de huidige versie (was 2)."
    assert fx.query(org_db, "SELECT version FROM versies WHERE is_current") == [(1,)]
    assert fx.query(org_db, "SELECT door, actie, version, vorige_version FROM gebeurtenis WHERE actie = 'restore'") == [
        ("beheerder", "restore", 1, 2)]
    as_json = cli("restore", "organisatie", "2", "--db", org_db, "--json")
    assert json.loads(as_json.stdout) == {"kind": "organisatie", "version": 2, "previous": 1}


def test_restore_unknown_version_exit_1(org_db, cli):
    before = fx.snapshot(org_db)
    proc = cli("restore", "wasword", "3", "--db", org_db)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Er is geen versie 3 van soort 'wasword'."
    assert fx.snapshot(org_db) == before


def test_missing_file_exit_1(db, tmp_path, cli):
    proc = cli("load", tmp_path / "weg.xlsx", "--db", db)
    assert proc.returncode == 1
    assert f"Bestand '{tmp_path / 'weg.xlsx'}' bestaat niet." in proc.stderr


def test_demo_is_repeatable(tmp_path, cli):
    """`etl demo` twice: the second run loads nothing new and leaves the same current versions."""
    from etl.demo import DEMO_DIR, DEMO_FILES
    if not any((DEMO_DIR / name).exists() for name, _, _ in DEMO_FILES):
        pytest.skip("geen demobestanden in data/demo")
    db = tmp_path / "demo.duckdb"
    first = cli("demo", "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    assert all(r["loaded"] for r in json.loads(first.stdout))
    versions = "SELECT kind, version, sha256, is_current FROM versies"
    before = fx.query(db, versions)
    second = cli("demo", "--db", db, "--json")
    assert second.returncode == 0, second.stderr
    assert not any(r["loaded"] for r in json.loads(second.stdout))
    assert fx.query(db, versions) == before


def test_usage_error_exit_2_as_a_process():
    proc = fx.run_cli("load")
    assert proc.returncode == 2
    assert "python -m etl load: fout: deze argumenten ontbreken: BESTAND" in proc.stderr


def test_the_loader_starts_without_its_heavy_imports_and_never_imports_pandas(org_db, xlsx):
    """etl/startup.py: numpy, pyarrow and DuckDB are imported while fastexcel parses, not at
    start-up, and pandas never (pyarrow would import it only to check types)."""
    import os
    import subprocess
    import sys
    heavy = "sorted(m for m in ('numpy', 'pyarrow', 'duckdb', 'pandas') if m in sys.modules)"
    start = subprocess.run([sys.executable, "-c", f"import sys, etl.__main__; print({heavy})"], cwd=fx.ROOT,
                           capture_output=True, text=True, check=True)
    assert start.stdout.strip() == "[]"
    path = xlsx(fx.wasword_sheets(), "ww.xlsx")
    load = subprocess.run([sys.executable, "-c", "import sys; from etl.__main__ import main; "
                           f"code = main(['load', {str(path)!r}, '--db', {str(org_db)!r}, '--peildatum', '2021-06-01']); "
                           f"print(code, {heavy})"], cwd=fx.ROOT, capture_output=True, text=True, check=True,
                          env={**os.environ, "STUURBORD_COLUMNAR_MIN_ROWS": "0"})
    assert load.stdout.strip().splitlines()[-1] == "0 ['duckdb', 'numpy', 'pyarrow']"
