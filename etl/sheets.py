"""From a sheet's raw rows to typed records, driven by the contract's column specs.

One generic reader for every kind: find the sheet, find the header row, map
headers (synonyms, case/accents/punctuation ignored), skip blank and total
rows, parse every mapped cell and collect *all* problems with sheet and cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import contract as c
from . import values as v

HEADER_SCAN_ROWS = 20
_TOTAL = re.compile(r"^(sub)?totaal\b|^generaal totaal\b", re.IGNORECASE)
_PEILDATUM = re.compile(r"peildatum\s*[:=]?\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Issue:
    """An error or warning; str() gives the Dutch message with sheet and cell."""
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"Blad '{self.sheet}', cel {self.cell}: {self.message}"
        if self.sheet:
            return f"Blad '{self.sheet}': {self.message}"
        return self.message

    def as_dict(self) -> dict:
        return {"blad": self.sheet, "cel": self.cell, "melding": self.message, "tekst": str(self)}


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
    arrays: dict | None = None      # columnar form (etl/columnar.py): field -> pyarrow array
    rownums: list[int] | None = None

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


def _map_header(row: list, keys: dict[str, c.Column]) -> tuple[dict[str, int], list[tuple[int, str]], list[int]]:
    """Return (field -> column index, unknown (index, text), duplicate indexes)."""
    mapped, unknown, dupes = {}, [], []
    for i, cell in enumerate(row):
        if v.is_empty(cell):
            continue
        col = _header_column(keys, v.parse_text(cell))
        if col is None:
            unknown.append((i, v.clean_text(v.parse_text(cell))))
        elif col.field in mapped:
            dupes.append(i)
        else:
            mapped[col.field] = i
    return mapped, unknown, dupes


def _blank(row: list, i: int) -> bool:
    return i >= len(row) or v.is_empty(row[i])


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


def _is_wide_header(row: list, keys: dict[str, c.Column]) -> dict[int, tuple] | None:
    """Wide KPI scores: a Code column and period headers; returns index -> parsed period."""
    codes = [i for i, x in enumerate(row) if not v.is_empty(x) and keys.get(v.norm_key(v.parse_text(x)), None)
             and keys[v.norm_key(v.parse_text(x))].field == "code"]
    if not codes:
        return None
    periods = {}
    for i, cell in enumerate(row):
        if i in codes or v.is_empty(cell):
            continue
        try:
            periods[i] = v.parse_period(cell)
        except v.BadValue:
            continue
    return periods or None


def locate_header(rows: list[list], spec: c.Sheet, out: ParsedSheet) -> tuple[int, dict | None] | None:
    """(header row index, wide periods or None); None after adding the error to `out`."""
    keys = _header_keys(spec)
    required = spec.required_columns
    best = (-1, None, {})
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped, _, _ = _map_header(row, keys)
        if all(col.field in mapped for col in required):
            return r, None
        if len(mapped) > best[0]:
            best = (len(mapped), r, mapped)
    if spec.wide_ok:
        for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            if wide_periods := _is_wide_header(row, keys):
                return r, wide_periods
    names = ", ".join(col.name for col in required)
    if best[1] is not None and best[0] > 0:
        missing = ", ".join(col.name for col in required if col.field not in best[2])
        out.error(f"geen kopregel gevonden: rij {best[1] + 1} lijkt de kopregel, maar de verplichte "
                  f"kolom(men) {missing} ontbreken. Verplicht zijn: {names}.")
    else:
        out.error(f"geen kopregel gevonden in de eerste {HEADER_SCAN_ROWS} rijen met de verplichte "
                  f"kolommen {names}.")
    return None


def apply_header(rows: list[list], header_idx: int, out: ParsedSheet) -> dict[str, int]:
    """Map the header row (field -> column index), warn about unknown and double columns,
    and pick up a peildatum from the title rows above it."""
    out.peildatum = _find_peildatum(rows[:header_idx])
    header = rows[header_idx]
    mapped, unknown, dupes = _map_header(header, _header_keys(out.spec))
    out.columns = mapped
    for i, text in unknown:
        out.warnings.append(Issue(f"kolom '{text}' is onbekend en is genegeerd.", out.name,
                                  cell_ref(header_idx + 1, i)))
    for i in dupes:
        out.warnings.append(Issue(f"kolom '{v.show(header[i])}' komt dubbel voor; alleen de eerste is gebruikt.",
                                  out.name, cell_ref(header_idx + 1, i)))
    return mapped


def read_sheet(rows: list[list], spec: c.Sheet, name: str, formula_cells: set[str] | None = None) -> ParsedSheet:
    """Parse one sheet's raw rows (from A1) into typed records with every problem listed."""
    out = ParsedSheet(spec, name)
    found = locate_header(rows, spec, out)
    if found is None:
        return out
    header_idx, wide_periods = found
    if wide_periods:
        out.peildatum = _find_peildatum(rows[:header_idx])
        return _read_wide(rows, header_idx, _header_keys(spec), wide_periods, out, formula_cells or set())
    mapped = apply_header(rows, header_idx, out)

    specs = [(col, mapped[col.field]) for col in spec.columns if col.field in mapped]
    required_idx = [(col, i) for col, i in specs if col.required]
    order = sorted(i for _, i in specs)  # blank and total rows are judged on the mapped columns
    formula_cells = formula_cells or set()
    parse, is_empty, empty_types = v.parse, v.is_empty, (type(None),)
    for r in range(header_idx + 1, len(rows)):
        row = rows[r]
        excel_row = r + 1
        first = next((row[i] for i in order if i < len(row) and not is_empty(row[i])), None)
        if first is None:
            if formula_cells and any(cell_ref(excel_row, i) in formula_cells for _, i in specs):
                pass  # a row of formulas without saved values: report below, not skip
            else:
                continue
        elif isinstance(first, str) and _TOTAL.match(first.strip()) and not (
                spec.complete_total_rows_are_data and all(not _blank(row, i) for _, i in required_idx)):
            out.skipped.append(Issue(f"rij {excel_row} ('{v.show(first)}') is een totaalregel en is overgeslagen.",
                                     name))
            continue
        rec = {"_row": excel_row}
        for col, i in specs:
            raw = row[i] if i < len(row) else None
            if type(raw) in empty_types or is_empty(raw):
                if formula_cells and cell_ref(excel_row, i) in formula_cells:
                    out.errors.append(Issue("formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
                                            "herberekenen en sla het opnieuw op.", name, cell_ref(excel_row, i)))
                elif col.required:
                    out.errors.append(Issue(f"{col.name} ontbreekt (verplicht).", name, cell_ref(excel_row, i)))
                rec[col.field] = None
                continue
            try:
                rec[col.field] = parse(raw, col)
            except v.BadValue as exc:
                out.errors.append(Issue(str(exc), name, cell_ref(excel_row, i)))
                rec[col.field] = None
        out.records.append(rec)
    return out


def _read_wide(rows, header_idx, keys, periods, out: ParsedSheet, formula_cells) -> ParsedSheet:
    """Wide scores: turn (code row × period column) into long records."""
    out.wide = True
    header = rows[header_idx]
    code_idx = next(i for i, x in enumerate(header) if not v.is_empty(x)
                    and keys.get(v.norm_key(v.parse_text(x))) and keys[v.norm_key(v.parse_text(x))].field == "code")
    out.columns = {"code": code_idx}
    for i, cell in enumerate(header):
        if i != code_idx and i not in periods and not v.is_empty(cell):
            out.warnings.append(Issue(f"kolom '{v.show(cell)}' is geen periode en is genegeerd.",
                                      out.name, cell_ref(header_idx + 1, i)))
    waarde = next(col for col in out.spec.columns if col.field == "waarde")
    for r in range(header_idx + 1, len(rows)):
        row, excel_row = rows[r], r + 1
        first = next((x for x in row if not v.is_empty(x)), None)
        if first is None:
            continue
        if isinstance(first, str) and _TOTAL.match(first.strip()):
            out.skipped.append(Issue(f"rij {excel_row} ('{v.show(first)}') is een totaalregel en is overgeslagen.",
                                     out.name))
            continue
        raw_code = row[code_idx] if code_idx < len(row) else None
        if v.is_empty(raw_code):
            out.errors.append(Issue("Code ontbreekt (verplicht).", out.name, cell_ref(excel_row, code_idx)))
            continue
        code = v.parse_text(raw_code)
        for i, period in periods.items():
            raw = row[i] if i < len(row) else None
            ref = cell_ref(excel_row, i)
            if v.is_empty(raw):
                if ref in formula_cells:
                    out.errors.append(Issue("formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
                                            "herberekenen en sla het opnieuw op.", out.name, ref))
                continue
            try:
                value = v.parse(raw, waarde)
            except v.BadValue as exc:
                out.errors.append(Issue(str(exc), out.name, ref))
                continue
            out.records.append({"_row": excel_row, "_cell": ref, "code": code, "periode": period,
                                "waarde": value, "aantal": None})
    return out
