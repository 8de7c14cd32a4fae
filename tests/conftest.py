"""Shared pytest fixtures. Workbook builders live in tests/fixtures.py.

* `db`        — a fresh, initialised DuckDB store in tmp_path; STUURBORD_DB points at it.
* `xlsx`      — `xlsx(sheets, name="upload.xlsx", engine="xlsxwriter")` writes a workbook
                into tmp_path and returns its path.
* `load`      — `load(path_or_sheets, **kw)` loads into `db` (pipeline.load) and returns the
                LoadResult; a dict of sheets is written to a workbook first.
* `prepare`   — `prepare(sheets, **kw)` writes a workbook and validates it with pipeline.prepare
                against an empty store (no database opened: fast, for kinds that need no context).
* `org_db`    — `db` with the standard organisatie (fixtures.ORGANISATIE) loaded as version 1,
                peildatum 1-6-2021.
* `full_db`   — `org_db` plus the standard wasword, kpi and opgaven loaded (version 1 each).
* `cli`       — `cli("load", path, "--db", db)` runs the command line in-process (etl.__main__.main)
                and returns (returncode, stdout, stderr) like subprocess.run; fx.run_cli is the
                same through a real `python -m etl` subprocess (slower: use it where the process matters).

Environment variables that change ETL limits or timing, or open the app without a login
(STUURBORD_ZONDER_INLOG), are cleared for every test, so a developer's shell cannot change
the outcome. Page tests log in through tests/identities.py (never the developer's own
.streamlit/secrets.toml).
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

# data.get's shared results must never be modified by a page: check it on every cache hit
os.environ.setdefault("STUURBORD_CACHE_CHECK", "1")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for p in (str(ROOT), str(TESTS)):
    if p not in sys.path:
        sys.path.insert(0, p)

import fixtures as fx  # noqa: E402
from etl import pipeline, store  # noqa: E402

_ETL_ENV = ("STUURBORD_MAX_FILE_BYTES", "STUURBORD_MAX_UNPACKED_BYTES", "STUURBORD_MAX_ROWS",
            "STUURBORD_TEST_PAUSE_IN_COMMIT", "STUURBORD_LOCK_TIMEOUT", "STUURBORD_READ_TIMEOUT",
            "STUURBORD_COLUMNAR_MIN_ROWS", "STUURBORD_ZONDER_INLOG")


def pytest_configure(config):
    # the OpenID Connect provider of the login tests runs in this process; its Authlib calls warn
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:authlib.*")
    config.addinivalue_line("filterwarnings", "ignore::authlib.deprecate.AuthlibDeprecationWarning")


@pytest.fixture(autouse=True)
def _clean_etl_env(monkeypatch):
    for name in _ETL_ENV:
        monkeypatch.delenv(name, raising=False)


def _build_template(directory: Path, kinds: tuple[str, ...]) -> Path:
    """A store with the standard workbooks of `kinds` loaded (each version 1, peildatum 1-6-2021)."""
    path = directory / "template.duckdb"
    store.initialise(path)
    sources = {"organisatie": fx.organisatie_sheets, "wasword": fx.wasword_sheets, "kpi": fx.kpi_sheets,
               "opgaven": fx.opgaven_sheets}
    for kind in kinds:
        workbook = fx.write_xlsx(directory / f"{kind}.xlsx", sources[kind]())
        result = pipeline.load(workbook, peildatum=fx.PEILDATUM, user="test", db=path)
        assert result.loaded, fx.errors(result)
    assert not Path(str(path) + ".wal").exists()
    return path


@pytest.fixture(scope="session")
def _templates(tmp_path_factory) -> dict[str, Path]:
    """Stores built once per session and copied per test (a load costs ~0,1 s; a copy ~1 ms)."""
    return {
        "leeg": _build_template(tmp_path_factory.mktemp("leeg"), ()),
        "organisatie": _build_template(tmp_path_factory.mktemp("org"), ("organisatie",)),
        "alles": _build_template(tmp_path_factory.mktemp("alles"), ("organisatie", "wasword", "kpi", "opgaven")),
    }


@pytest.fixture
def db(tmp_path, monkeypatch, _templates) -> Path:
    """An empty, initialised store in tmp_path; also set as STUURBORD_DB."""
    path = tmp_path / "stuurbord.duckdb"
    monkeypatch.setenv("STUURBORD_DB", str(path))
    shutil.copyfile(_templates["leeg"], path)
    return path


@pytest.fixture
def xlsx(tmp_path):
    """Factory: write sheets to tmp_path/<name> and return the path."""
    def make(sheets: dict, name: str = "upload.xlsx", engine: str = "xlsxwriter") -> Path:
        return fx.write_xlsx(tmp_path / name, sheets, engine=engine)
    return make


@pytest.fixture
def load(db, xlsx):
    """Factory: load a path (or a dict of sheets, written first) into `db`; returns the LoadResult."""
    def do(source, name: str = "upload.xlsx", **kw) -> pipeline.LoadResult:
        if isinstance(source, dict):
            source = xlsx(source, name)
        kw.setdefault("user", "test")
        return pipeline.load(source, db=db, **kw)
    return do


@pytest.fixture
def prepare(xlsx):
    """Factory: write sheets and run pipeline.prepare on them (no store); returns the Prepared."""
    def do(sheets: dict, name: str = "upload.xlsx", **kw) -> pipeline.Prepared:
        path = xlsx(sheets, name)
        return pipeline.prepare(path.read_bytes(), name, **kw)
    return do


@pytest.fixture
def org_db(db, _templates) -> Path:
    """`db` with the standard organisatie loaded (version 1, peildatum 1-6-2021, user 'test')."""
    shutil.copyfile(_templates["organisatie"], db)
    return db


@pytest.fixture
def full_db(db, _templates) -> Path:
    """`db` with the standard organisatie, wasword, kpi and opgaven loaded (each version 1,
    peildatum 1-6-2021, loaded in that order)."""
    shutil.copyfile(_templates["alles"], db)
    return db


@pytest.fixture
def cli(capsys):
    """Run `python -m etl ARGS` in-process; returns a CompletedProcess (returncode, stdout, stderr)."""
    import subprocess

    from etl.__main__ import main

    def run(*args) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        capsys.readouterr()
        meta_path = list(sys.meta_path)  # main() may install an import blocker meant for its own process
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        finally:
            sys.meta_path[:] = meta_path
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["python", "-m", "etl", *argv], code, out, err)
    return run
