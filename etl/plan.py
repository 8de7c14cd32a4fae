"""One reader plan for every kind: which sheet is which, where its header is, which reader runs.

    detect_kind ─► plan_kind ─► read_sheets
    (contract:     (sheet per    (per sheet: columnar.read_sheet_columnar for a large
     names, then    contract      sheet of a columnar kind, else — or when it gives up —
     headers)       sheet, its    sheets.read_sheet; both get the header found here)
                    header)

Everything is driven by etl/contract.py: a kind is recognised by the names of its
required sheets first, then — for a kind with one required sheet that may carry
any name — by the header columns of that sheet. Each sheet's header is found
once (`Headers`, from the first rows the safety checks cut out of the XML) and
handed to whichever reader runs.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import columnar
from . import contract as c
from .rules import Issue
from .sheets import Header, ParsedSheet, find_header, match_sheet, read_sheet
from .values import norm_key
from .workbook import FileRefused, Workbook


class Headers:
    """The header of (sheet, contract sheet), found once per workbook."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._found: dict[tuple[str, str], Header | Issue] = {}

    def __call__(self, name: str, spec: c.Sheet) -> Header | Issue:
        key = (name, spec.name)
        if key not in self._found:
            head = self.wb.heads.get(name)  # the first rows from the XML; python-calamine when that failed
            rows = head if head is not None else self.wb.rows(name, nrows=21)
            self._found[key] = find_header(rows, spec, name)
        return self._found[key]


@dataclass
class SheetPlan:
    spec: c.Sheet
    name: str                      # the sheet in the workbook
    header: Header | Issue


def data_sheets(wb: Workbook) -> list[str]:
    """The workbook's sheets without the ones every kind ignores (Toelichting)."""
    ignored = {norm_key(n) for n in c.IGNORED_SHEETS}
    return [n for n in wb.sheet_names if norm_key(n) not in ignored]


def _by_columns(wb: Workbook, kind: c.Kind, headers: Headers) -> str | None:
    """The sheet a kind with one required, freely named sheet finds by its header columns:
    the only data sheet, or (found_by_columns) any sheet."""
    required = [s for s in kind.sheets if s.required]
    if len(required) != 1 or not required[0].any_name_if_single:
        return None
    spec, names = required[0], data_sheets(wb)
    candidates = names if spec.found_by_columns else names[:1] if len(names) == 1 else []
    return next((n for n in candidates if isinstance(headers(n, spec), Header)), None)


def detect_kind(wb: Workbook, headers: Headers) -> str:
    """The kind of a workbook: by the names of its required sheets, else by header columns."""
    found = [k.name for k in c.KINDS.values()
             if all(match_sheet(wb.sheet_names, s) for s in k.sheets if s.required)]
    if not found:
        found = [k.name for k in c.KINDS.values() if _by_columns(wb, k, headers)]
    if len(found) == 1:
        return found[0]
    kinds = "; ".join(f"{k.name} ({k.label}): {k.needs}" for k in c.KINDS.values())
    if found:
        raise FileRefused(f"Het bestand past bij meer dan één soort ({', '.join(found)}). Kies de soort zelf. "
                          f"De soorten: {kinds}.")
    raise FileRefused(f"Niet herkend welke soort gegevens dit bestand bevat (bladen: "
                      f"{', '.join(wb.sheet_names)}). De soorten: {kinds}.")


def plan_kind(wb: Workbook, kind: c.Kind, headers: Headers) -> tuple[list[SheetPlan], list[Issue], list[Issue]]:
    """(a plan per contract sheet found, errors for required sheets not found, warnings for
    sheets the contract does not know)."""
    plans, errors, used = [], [], set()
    names = data_sheets(wb)
    for spec in kind.sheets:
        name = match_sheet(wb.sheet_names, spec)
        if name is None and spec.any_name_if_single:
            if len(names) == 1:  # a single sheet with any name, unless it is named as another sheet
                name = None if any(match_sheet(names, other) for other in kind.sheets) else names[0]
            elif spec.found_by_columns:
                name = next((n for n in names if n not in used and isinstance(headers(n, spec), Header)), None)
        if name is None:
            if spec.required:
                errors.append(Issue(f"Blad '{spec.name}' ontbreekt. Aanwezige bladen: {', '.join(wb.sheet_names)}."))
            continue
        used.add(name)
        plans.append(SheetPlan(spec, name, headers(name, spec)))
    warnings = [Issue("onbekend blad; het is overgeslagen.", n) for n in names if n not in used]
    return plans, errors, warnings


def read_sheets(wb: Workbook, kind: c.Kind, plans: list[SheetPlan]) -> dict[str, ParsedSheet]:
    """Each planned sheet through its reader, by contract sheet name."""
    parsed = {}
    for plan in plans:
        if isinstance(plan.header, Issue):  # no header: no records, the one message that matters
            sheet = ParsedSheet(plan.spec, plan.name, errors=[plan.header])
        else:
            sheet = None
            if kind.columnar and wb.row_counts.get(plan.name, 0) >= columnar.min_rows():
                sheet = columnar.read_sheet_columnar(wb, plan.spec, plan.name, plan.header)
            if sheet is None:
                sheet = read_sheet(wb.rows(plan.name), plan.spec, plan.name, plan.header,
                                   wb.formula_cells.get(plan.name))
        wb.xml.pop(plan.name, None)
        parsed[plan.spec.name] = sheet
    return parsed
