"""The contract lives in the project: docs/import-contract.md is generated from etl/contract.py
and must be current; no document points outside the repository; every kind has its rules."""
from __future__ import annotations

import dataclasses
import re

import pytest

import fixtures as fx
from etl import contract as c
from etl import contract_doc
from etl.kinds import BUILD

DOC = fx.ROOT / "docs" / "import-contract.md"


def test_the_import_contract_document_is_current():
    assert DOC.read_text(encoding="utf-8") == contract_doc.render(), \
        "docs/import-contract.md is out of date: run python -m etl.contract_doc docs/import-contract.md"


def test_the_document_holds_every_kind_sheet_column_synonym_and_choice():
    text = DOC.read_text(encoding="utf-8")
    for kind in c.KINDS.values():
        assert f"## Kind `{kind.name}`" in text and kind.needs in text
        for sheet in kind.sheets:
            assert f"### Sheet `{sheet.name}`" in text
            for col in sheet.columns:
                assert f"| `{col.name}` | {'yes' if col.required else 'no'} |" in text
                for name in (*col.synonyms, *col.choices):
                    assert f"`{name}`" in text
        for rule in kind.rules:
            assert rule in text
    for limit in ("25 MB", "200 MB", "500,000 rows", "first 20", "first 200", "Toelichting"):
        assert limit in text


def test_a_contract_change_changes_the_document(monkeypatch):
    ww = c.WASWORD
    sheet = ww.sheets[0]
    fte = dataclasses.replace(sheet.columns[7], synonyms=(*sheet.columns[7].synonyms, "Werktijdfactor"))
    extra = c.Column("Contractsoort", "contractsoort", c.ENUM, False, (), ("vast", "tijdelijk"))
    changed = dataclasses.replace(ww, sheets=(dataclasses.replace(sheet, columns=(*sheet.columns[:7], fte,
                                                                                  sheet.columns[8], extra)),))
    monkeypatch.setitem(c.KINDS, "wasword", changed)
    text = contract_doc.render()
    assert "`Werktijdfactor`" in text
    assert "| `Contractsoort` | no | one of `vast`, `tijdelijk` |  | `contractsoort` |" in text


def test_no_document_points_outside_the_repository():
    outside = re.compile(r"/work/|shared/spec|\.\./shared")
    files = [fx.ROOT / "README.md", *sorted((fx.ROOT / "docs").glob("*.md")), *sorted((fx.ROOT / "etl").rglob("*.py")),
             fx.ROOT / "etl" / "schema.sql"]
    offenders = [f"{path.relative_to(fx.ROOT)}:{n}" for path in files
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if outside.search(line)]
    assert offenders == []


def test_every_kind_has_its_rules_and_only_column_wise_kinds_are_columnar():
    assert set(BUILD) == set(c.KINDS)
    assert [k.name for k in c.KINDS.values() if k.columnar] == ["wasword"]


@pytest.mark.parametrize("kind", c.KINDS)
def test_every_contract_sheet_has_a_unique_canonical_name_and_fields(kind):
    sheets = c.KINDS[kind].sheets
    assert len({s.name for s in sheets}) == len(sheets)
    for sheet in sheets:
        assert len({col.field for col in sheet.columns}) == len(sheet.columns)
        assert sheet.required_columns
