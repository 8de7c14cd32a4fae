"""From a sheet's rows to typed records, driven by the contract's column specs.

* `find_header` finds the header row in the first 20 rows, maps the headers
  (synonyms; case, accents and punctuation ignored), warns about unknown and
  double columns and picks up a peildatum from the title rows. etl/plan.py calls
  it once per sheet and hands the `Header` to whichever reader runs.
* `read_sheet` is the regular reader: every row after the header, cell by cell,
  with the row and cell rules of etl/rules.py; it collects *all* problems with
  sheet and cell. It also reads the wide KPI form. Large sheets of a columnar
  kind take etl/columnar.py instead, with identical results.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import contract as c
from . import values as v
from .rules import (FORMULA_WITHOUT_VALUE, Issue, clean_cell, invisible_warnings, is_total_label, missing,
                    total_row)

__all__ = ["Issue", "Header", "ParsedSheet", "find_header", "read_sheet", "match_sheet", "cell_ref", "col_letter"]

HEADER_SCAN_ROWS = 20
_PEILDATUM = re.compile(r"peildatum\s*[:=]?\s*(.*)$", re.IGNORECASE)


@dataclass
class Header:
    """Where a sheet's table starts: found once (etl/plan.py), used by either reader."""
    row: int                                  # 0-based index of the header row (rows counted from A1)
    columns: dict[str, int]                   # field -> 0-based column index
    warnings: list[Issue] = field(default_factory=list)   # unknown and double columns
    peildatum: date | None = None             # from the title rows above the header
    wide: dict[int, tuple] | None = None      # wide KPI scores: column index -> parsed period

    def column_names(self, spec: c.Sheet) -> dict[int, str]:
        """Column index -> canonical name, for messages about a whole column."""
        names = {i: col.name for col in spec.columns for f, i in self.columns.items() if f == col.field}
        return {**names, **{i: text for i, (text, _, _) in (self.wide or {}).items()}}


@dataclass
class ParsedSheet:
    spec: c.Sheet
    name: str                                   # as written in the workbook
    records: list[dict] = field(default_factory=list)   # field -> value, plus "_row"
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column index
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    skipped: list[Issue] = field(default_factory=list)
    peildatum: date | None = None
    wide: bool = False
    header_row: int | None = None               # Excel row number of the header
    arrays: dict | None = None      # columnar form (etl/columnar.py): field -> pyarrow array
    rownums: list[int] | None = None

    @classmethod
    def under(cls, spec: c.Sheet, name: str, header: Header) -> ParsedSheet:
        """An empty result for the table under `header`, with the header's warnings and peildatum."""
        return cls(spec, name, columns=dict(header.columns), warnings=list(header.warnings),
                   peildatum=header.peildatum, wide=header.wide is not None, header_row=header.row + 1)

    @property
    def n_rows(self) -> int:
        return len(self.rownums) if self.arrays is not None else len(self.records)

    def set_arrays(self, arrays: dict, rownums: list[int]) -> None:
        self.arrays, self.rownums = arrays, rownums

    def as_arrays(self) -> tuple[dict, list[int]]:
        """Every contract field as a pyarrow array (null where the column is absent), and the
        Excel row numbers: the form column-wise kind rules (etl/kinds/wasword.py) work on."""
        import pyarrow as pa
        if self.arrays is None:
            n = len(self.records)
            arrays = {col.field: pa.array([r.get(col.field) for r in self.records]) if col.field in self.columns
                      else pa.nulls(n) for col in self.spec.columns}
            return arrays, [r["_row"] for r in self.records]
        n = len(self.rownums)
        return {col.field: self.arrays.get(col.field, pa.nulls(n)) for col in self.spec.columns}, self.rownums

    def ref(self, field_name: str, row: int) -> str:
        """Cell reference of a field in an Excel row number (for kind-level messages)."""
        return cell_ref(row, self.columns.get(field_name, 0))

    def error(self, message: str, row: int | None = None, field_name: str | None = None) -> None:
        cell = self.ref(field_name, row) if row is not None else None
        self.errors.append(Issue(message, self.name, cell))


def col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Excel reference for a 1-based row and 0-based column."""
    return f"{col_letter(col)}{row}"


def match_sheet(sheet_names: list[str], spec: c.Sheet) -> str | None:
    key = v.norm_key(spec.name)
    return next((n for n in sheet_names if v.norm_key(n) == key), None)


# --- the header ---------------------------------------------------------------------------------
def _header_keys(spec: c.Sheet) -> dict[str, c.Column]:
    keys = {}
    for col in spec.columns:
        for name in (col.name, *col.synonyms):
            keys.setdefault(v.norm_key(name), col)
            if "%" in name:  # 'Gereed %' (Voortgang) and 'Gereed' (Einde gepland) differ only by '%'
                keys.setdefault(v.norm_key(name) + "%", col)
    return keys


def _header_column(keys: dict[str, c.Column], text: str) -> c.Column | None:
    """The column a header names; a '%' in the header prefers the synonym written with '%'."""
    key = v.norm_key(text)
    return keys.get(key + "%") if "%" in text and key + "%" in keys else keys.get(key)


def _map_header(row: list, keys: dict[str, c.Column]) -> tuple[dict[str, int], list[int], list[int]]:
    """Return (field -> column index, unknown column indexes, duplicate column indexes)."""
    mapped, unknown, dupes = {}, [], []
    for i, cell in enumerate(row):
        if v.is_empty(cell):
            continue
        col = _header_column(keys, v.parse_text(cell))
        if col is None:
            unknown.append(i)
        elif col.field in mapped:
            dupes.append(i)
        else:
            mapped[col.field] = i
    return mapped, unknown, dupes


def _find_peildatum(rows: list[list]) -> date | None:
    for row in rows:
        for i, cell in enumerate(row):
            if not isinstance(cell, str) or "peildatum" not in cell.casefold():
                continue
            m = _PEILDATUM.search(cell)
            if m and m.group(1).strip() and (d := v.text_date(m.group(1).strip())):
                return d
            nxt = next((x for x in row[i + 1:] if not v.is_empty(x)), None)
            if nxt is not None:
                try:
                    return v.parse_date(nxt)
                except v.BadValue:
                    pass
    return None


def _wide_periods(row: list, keys: dict[str, c.Column]) -> tuple[int, dict[int, tuple]] | None:
    """Wide KPI scores: (the Code column, column index -> parsed period), or None."""
    code = next((i for i, x in enumerate(row) if not v.is_empty(x)
                 and getattr(_header_column(keys, v.parse_text(x)), "field", None) == "code"), None)
    if code is None:
        return None
    periods = {}
    for i, cell in enumerate(row):
        if i == code or v.is_empty(cell):
            continue
        try:
            periods[i] = v.parse_period(cell)
        except v.BadValue:
            continue
    return (code, periods) if periods else None


def find_header(rows: list[list], spec: c.Sheet, name: str) -> Header | Issue:
    """The header in the first HEADER_SCAN_ROWS rows (from A1): the first row with every
    required column, else (kind kpi) a wide Code-and-periods row; else the Dutch error."""
    keys = _header_keys(spec)
    required = spec.required_columns
    best = (-1, None, {})
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped, unknown, dupes = _map_header(row, keys)
        if all(col.field in mapped for col in required):
            warnings = [Issue(f"kolom '{v.show(row[i])}' is onbekend en is genegeerd.", name, cell_ref(r + 1, i))
                        for i in unknown]
            warnings += [Issue(f"kolom '{v.show(row[i])}' komt dubbel voor; alleen de eerste is gebruikt.", name,
                               cell_ref(r + 1, i)) for i in dupes]
            return Header(r, mapped, warnings, _find_peildatum(rows[:r]))
        if len(mapped) > best[0]:
            best = (len(mapped), r, mapped)
    if spec.wide_ok:
        for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            if found := _wide_periods(row, keys):
                code, periods = found
                warnings = [Issue(f"kolom '{v.show(cell)}' is geen periode en is genegeerd.", name, cell_ref(r + 1, i))
                            for i, cell in enumerate(row) if i != code and i not in periods and not v.is_empty(cell)]
                return Header(r, {"code": code}, warnings, _find_peildatum(rows[:r]), periods)
    names = ", ".join(col.name for col in required)
    if best[1] is not None and best[0] > 0:
        absent = ", ".join(col.name for col in required if col.field not in best[2])
        return Issue(f"geen kopregel gevonden: rij {best[1] + 1} lijkt de kopregel, maar de verplichte "
                     f"kolom(men) {absent} ontbreken. Verplicht zijn: {names}.", name)
    return Issue(f"geen kopregel gevonden in de eerste {HEADER_SCAN_ROWS} rijen met de verplichte "
                 f"kolommen {names}.", name)


# --- the rows (regular reader) -----------------------------------------------------------------
def read_sheet(rows: list[list], spec: c.Sheet, name: str, header: Header,
               formula_cells: set[str] | None = None) -> ParsedSheet:
    """Parse the rows under `header` (rows from A1) into typed records, every problem listed."""
    out = ParsedSheet.under(spec, name, header)
    formula_cells = formula_cells or set()
    if header.wide is not None:
        return _read_wide(rows, header, out, formula_cells)
    specs = [(col, header.columns[col.field]) for col in spec.columns if col.field in header.columns]
    required = [i for col, i in specs if col.required]
    width = max(i for _, i in specs) + 1
    hits = []  # (excel row, column, removed invisible characters)
    parse = v.parse
    for r in range(header.row + 1, len(rows)):
        row, excel_row = rows[r], r + 1
        cells = _clean(row, width)
        if all(cells[i][0] is None for _, i in specs):
            if not (formula_cells and any(cell_ref(excel_row, i) in formula_cells for _, i in specs)):
                continue  # blank (a row of formulas without saved values is reported below)
        else:
            first = next(value for value, _ in cells if value is not None)
            if is_total_label(first) and not all(cells[i][0] is not None for i in required):
                out.skipped.append(total_row(name, excel_row, first))
                continue
        rec = {"_row": excel_row}
        for col, i in specs:
            value, removed = cells[i]
            if removed:
                hits.append((excel_row, i, removed))
            rec[col.field] = None
            if value is None:
                ref = cell_ref(excel_row, i)
                if ref in formula_cells:
                    out.errors.append(Issue(FORMULA_WITHOUT_VALUE, name, ref))
                elif col.required:
                    out.errors.append(Issue(missing(col), name, ref))
                continue
            try:
                rec[col.field] = parse(value, col)
            except v.BadValue as exc:
                out.errors.append(Issue(str(exc), name, cell_ref(excel_row, i)))
        out.records.append(rec)
    out.warnings.extend(invisible_warnings(name, hits, header.column_names(spec)))
    return out


def _clean(row: list, width: int) -> list[tuple]:
    """The first `width` cells of a row through rules.clean_cell, padded with empty cells."""
    cells = [clean_cell(x) for x in row[:width]]
    return cells + [(None, "")] * (width - len(cells))


def _read_wide(rows, header: Header, out: ParsedSheet, formula_cells) -> ParsedSheet:
    """Wide scores: turn (code row × period column) into long records. A wide row has no
    Periode column, so its required columns are never all filled: a total row is always skipped."""
    code_idx, periods = header.columns["code"], header.wide
    width = max(code_idx, *periods) + 1
    waarde = next(col for col in out.spec.columns if col.field == "waarde")
    code_col = next(col for col in out.spec.columns if col.field == "code")
    hits = []
    for r in range(header.row + 1, len(rows)):
        row, excel_row = rows[r], r + 1
        cells = _clean(row, width)
        if all(cells[i][0] is None for i in (code_idx, *periods)):
            continue
        first = next(value for value, _ in cells if value is not None)
        if is_total_label(first):
            out.skipped.append(total_row(out.name, excel_row, first))
            continue
        for i in (code_idx, *periods):
            if cells[i][1]:
                hits.append((excel_row, i, cells[i][1]))
        raw_code = cells[code_idx][0]
        if raw_code is None:
            out.errors.append(Issue(missing(code_col), out.name, cell_ref(excel_row, code_idx)))
            continue
        code = v.parse_text(raw_code)
        for i, period in periods.items():
            raw, ref = cells[i][0], cell_ref(excel_row, i)
            if raw is None:
                if ref in formula_cells:
                    out.errors.append(Issue(FORMULA_WITHOUT_VALUE, out.name, ref))
                continue
            try:
                value = v.parse(raw, waarde)
            except v.BadValue as exc:
                out.errors.append(Issue(str(exc), out.name, ref))
                continue
            out.records.append({"_row": excel_row, "_cell": ref, "code": code, "periode": period,
                                "waarde": value, "aantal": None})
    out.warnings.extend(invisible_warnings(out.name, hits, header.column_names(out.spec)))
    return out
