"""Columnar fast path for large sheets (a 50,000-row was/wordt-lijst).

The regular reader (etl/sheets.py) handles every cell in Python: exact, and fine
for the few hundred rows of a formatie, but seconds for a large sheet. Here
fastexcel reads every column up to the last contract column as Arrow arrays in
one go (one parse), and the rules of etl/rules.py and etl/values.py are applied
per column, with the same functions and so the same messages:

* RE2 patterns find the *candidate* cells of a column (a superset: blank or
  untrimmed text, invisible characters, possible total labels); the Python
  functions of etl/rules.py decide each distinct candidate;
* numeric columns are range-checked vectorised; a bad cell gets its message from
  `values.parse`;
* other columns are parsed once per *distinct* value with `values.parse`.

Mixed columns. fastexcel turns a column that mixes numbers and text into text,
so a number 1.234 and the Dutch text "1.234" (= 1234) would both read "1.234".
A string that could stand for a number is harmless when it gives the same value
or message either way ("0.5", "12"; `_same_either_way`); the Dutch "0,8889" is
text for sure. Only when a contract column holds a string whose type would
change the outcome (or one that could be a boolean or a date) does the sheet's
XML say which cells were text (`sheethead.cell_types`); each distinct (type,
value) is then parsed once. Likewise a numeric column in a sheet with boolean
cells.

It gives up (None; the sheet takes the regular reader) for a wide KPI sheet, a
column fastexcel cannot read at all, time-of-day or date cells mixed into text,
or XML whose cells do not carry their own references. tests/test_etl_columnar.py
loads the same workbooks both ways and requires identical results.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from . import contract as c
from . import startup
from . import values as v
from .rules import (FORMULA_WITHOUT_VALUE, TEXT_CANDIDATE_RE2, TOTAL_CANDIDATE_RE2, Issue, clean_cell,
                    invisible_warnings, is_total_label, missing, total_row)
from .sheethead import BOOL, NUMBER, OTHER, TEXT, cell_types
from .sheets import Header, ParsedSheet, cell_ref, col_letter

# numpy and pyarrow are imported while fastexcel parses (startup.while_parsing), not at start-up
np, pa, pc = startup.lazy("numpy"), startup.lazy("pyarrow"), startup.lazy("pyarrow.compute")
_NUMERIC_CONTRACT = (c.NUMBER, c.VALUE, c.PERCENT, c.INT, c.SCHAAL)
# A string fastexcel may have made of a non-text cell: a float (Rust's shortest form, never
# with leading zeros, so "000123" is text for sure), a boolean, a date or a date-time.
_SUSPECT_RE2 = (r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$|^-?inf$|^NaN$|^(true|false)$"
                r"|^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?$")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?\Z")   # Rust's shortest form of a float
_MIDNIGHT = time(0)
MIN_ROWS = 2000


def min_rows() -> int:
    """Sheets with at least this many rows take the fast path (STUURBORD_COLUMNAR_MIN_ROWS)."""
    return int(os.environ.get("STUURBORD_COLUMNAR_MIN_ROWS", MIN_ROWS))


class GiveUp(Exception):
    """The sheet must take the regular reader."""


@dataclass
class _Column:
    """One column as read: either a pure Arrow array (`arr`; an empty cell is null, text
    without invisible characters) or, for a mixed column, a code per row into `values`
    (distinct raw values of any type; -1 = empty)."""
    arr: pa.Array | None = None
    codes: np.ndarray | None = None
    values: list | None = None
    removed: list[tuple[int, str]] = field(default_factory=list)   # (row index, removed characters)
    clean: bool = False          # a text column without any candidate: values are final text

    def present(self) -> np.ndarray:
        if self.codes is not None:
            return self.codes >= 0
        return pc.is_valid(self.arr).to_numpy(zero_copy_only=False)

    def text(self) -> pa.Array:
        """The cell's text where it holds text, else null (for the total-row rule)."""
        if self.codes is not None:
            texts = pa.array([x if isinstance(x, str) else None for x in self.values], pa.string())
            return texts.take(_nullable(self.codes))
        if pa.types.is_string(self.arr.type):
            return self.arr
        return pa.nulls(len(self.arr), pa.string())

    def take(self, rows: np.ndarray) -> _Column:
        if self.codes is not None:
            return _Column(codes=self.codes[rows], values=self.values)
        return _Column(arr=self.arr.take(pa.array(rows)), clean=self.clean)


def read_sheet_columnar(wb, spec: c.Sheet, name: str, header: Header) -> ParsedSheet | None:
    """Parse a sheet column-wise; None when it must take the regular reader."""
    if header.wide is not None:
        return None
    last = max(header.columns.values())
    try:
        reader = wb.fastexcel()
        startup.while_parsing()
        sheet = reader.load_sheet(name, header_row=header.row, schema_sample_rows=None,
                                  use_columns=lambda col: col.absolute_index <= last)
        batch = sheet.to_arrow()
        where = [col.absolute_index for col in sheet.selected_columns]
    except Exception:  # a column fastexcel cannot read (e.g. numbers mixed with durations)
        return None
    try:
        return _read(wb, spec, name, header, batch, where)
    except GiveUp:
        return None


def _read(wb, spec, name, header: Header, batch, where: list[int]) -> ParsedSheet:
    n = batch.num_rows
    first_row = header.row + 2                      # Excel row of the first data row
    by_index = {i: col for col in spec.columns for f, i in header.columns.items() if f == col.field}
    xml = wb.xml.get(name)
    read = {i: _column(batch.column(j), by_index.get(i), xml, col_letter(i), first_row)
            for j, i in enumerate(where)}
    formula_cells = wb.formula_cells.get(name, set())

    # the row rules (etl/rules.py): blank rows, total rows, the formula rows kept for their errors
    mapped = sorted(by_index)
    present = {i: col.present() for i, col in read.items()}
    empty = np.zeros(n, dtype=bool)
    any_value = np.logical_or.reduce([present.get(i, empty) for i in mapped])
    required = [present.get(i, empty) for i, col in by_index.items() if col.required]
    complete = np.logical_and.reduce(required) if required else np.ones(n, dtype=bool)
    # a total row has a value but not every required one: only those rows are looked at
    incomplete = np.flatnonzero(any_value & ~complete)
    total = np.zeros(n, dtype=bool)
    skipped = []
    if len(incomplete):
        first_text = pa.nulls(len(incomplete), pa.string())
        for i in sorted(read, reverse=True):  # the first non-empty cell of the row wins
            column = read[i].take(incomplete)
            first_text = pc.if_else(pa.array(present[i][incomplete]), column.text(), first_text)
        candidate = pc.fill_null(pc.match_substring_regex(first_text, TOTAL_CANDIDATE_RE2), False)
        for k in np.flatnonzero(candidate.to_numpy(zero_copy_only=False)):
            label = first_text[int(k)].as_py()
            if is_total_label(label):
                total[incomplete[k]] = True
                skipped.append(total_row(name, first_row + int(incomplete[k]), label))
    keep = any_value & ~total
    if formula_cells:  # a row of formulas without saved values is reported, not skipped
        for i in mapped:
            hits = [r for r in range(n) if cell_ref(first_row + r, i) in formula_cells and not any_value[r]]
            keep[hits] = True
    kept = np.flatnonzero(keep)
    rows = kept + first_row

    out = ParsedSheet.under(spec, name, header)
    out.skipped = skipped
    errors, hits, arrays = [], [], {}
    order = {col.field: k for k, col in enumerate(spec.columns)}
    for i, col in by_index.items():
        if i not in read:  # beyond the sheet's last column: every cell empty
            read[i] = _Column(arr=pa.nulls(n))
        column = read[i]
        if column.removed:
            rank = np.full(n, -1)
            rank[kept] = np.arange(len(kept))
            hits.extend((int(rows[rank[r]]), i, chars) for r, chars in column.removed if rank[r] >= 0)
        if len(kept) < n:
            column = column.take(kept)
        parsed, bad = _parse(column, col)
        errors.extend((int(rows[r]), order[col.field], Issue(message, name, cell_ref(int(rows[r]), i)))
                      for r, message in bad)
        for r in np.flatnonzero(~column.present()):
            ref = cell_ref(int(rows[r]), i)
            if ref in formula_cells:
                errors.append((int(rows[r]), order[col.field], Issue(FORMULA_WITHOUT_VALUE, name, ref)))
            elif col.required:
                errors.append((int(rows[r]), order[col.field], Issue(missing(col), name, ref)))
        arrays[col.field] = parsed
    out.errors = [issue for _, _, issue in sorted(errors, key=lambda e: (e[0], e[1]))]
    out.warnings.extend(invisible_warnings(name, hits, header.column_names(spec)))
    out.set_arrays(arrays, rows.tolist())
    return out


# --- reading one column -----------------------------------------------------------------------
def _column(arr, col: c.Column | None, xml: bytes | None, letter: str, first_row: int) -> _Column:
    """A column as read, blank and invisible characters handled; `col` None for a column outside
    the contract (only its emptiness and text matter: the total-row rule)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        arr = arr.cast(pa.string())
        hit = pc.match_substring_regex(arr, TEXT_CANDIDATE_RE2 + "|" + _SUSPECT_RE2) if col is not None \
            else pc.match_substring_regex(arr, TEXT_CANDIDATE_RE2)
        if not pc.any(hit).as_py():
            return _Column(arr=arr, clean=True)
        if col is not None:
            suspect = pc.match_substring_regex(arr, _SUSPECT_RE2)
            if pc.any(suspect).as_py() and not all(_same_either_way(x, col) for x in
                                                   pc.unique(arr.filter(suspect)).to_pylist()):
                return _mixed(arr, _cell_types(arr, xml, letter, first_row))
        return _text(arr)
    if (pa.types.is_floating(t) or pa.types.is_integer(t)):
        arr = arr.cast(pa.float64())
        if col is not None and xml is not None and pc.any(pc.is_in(arr, pa.array([0.0, 1.0]))).as_py() \
                and b't="b"' in xml:  # booleans, which fastexcel made 1.0 and 0.0?
            return _mixed(arr, _cell_types(arr, xml, letter, first_row))
        return _Column(arr=arr)
    if pa.types.is_timestamp(t):
        if pc.any(pc.less(pc.year(arr), 1900)).as_py():
            raise GiveUp  # a time of day (fastexcel dates it 1899-12-31; python-calamine gives a time)
        return _Column(arr=arr)
    if pa.types.is_null(t):
        return _Column(arr=pa.nulls(len(arr)))
    return _Column(arr=arr)  # booleans, dates, durations


def _same_either_way(text: str, col: c.Column) -> bool:
    """Whether a string fastexcel may have made of a number gives the same value or the same
    message either way, as text or as that number: "0.5" and "12" do, "1.234" (Dutch text:
    1234) and an out-of-range "1.5" (quoted '1,5' as a number) do not. Booleans and dates
    are never the same."""
    if not _FLOAT.match(text):
        return False
    outcomes = []
    for raw in (text, float(text)):
        try:
            value = v.parse(raw, col)
            outcomes.append((type(value), value))
        except v.BadValue as exc:
            outcomes.append((v.BadValue, str(exc)))
    return outcomes[0] == outcomes[1]


def _cell_types(arr: pa.Array, xml: bytes | None, letter: str, first_row: int) -> np.ndarray:
    """Per row the type of its cell (from the sheet XML): NUMBER, TEXT or BOOL. Gives up unless
    every cell with a value was found, as one of those."""
    if xml is None:
        raise GiveUp
    rows, types = cell_types(xml, letter)
    kinds = np.full(len(arr), OTHER, dtype=np.int8)
    index = rows - first_row
    inside = (index >= 0) & (index < len(arr))
    kinds[index[inside]] = types[inside]
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    if (kinds[valid] == OTHER).any():   # a cell without its own reference, an error with a value…
        raise GiveUp
    return kinds


def _text(arr: pa.Array) -> _Column:
    """A text column with candidates: each distinct candidate through rules.clean_cell."""
    cand = pc.fill_null(pc.match_substring_regex(arr, TEXT_CANDIDATE_RE2), False)
    idx = np.flatnonzero(cand.to_numpy(zero_copy_only=False))
    encoded = pc.dictionary_encode(arr.take(pa.array(idx)))
    cleaned = [clean_cell(x) for x in encoded.dictionary.to_pylist()]
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    replacement = pa.array([value for value, _ in cleaned], pa.string()).take(encoded.indices)
    column = _Column(arr=pc.replace_with_mask(arr, cand, replacement))
    for code, (_, removed) in enumerate(cleaned):
        if removed:
            column.removed.extend((int(r), removed) for r in idx[codes == code])
    return column


def _mixed(arr: pa.Array, kind: np.ndarray) -> _Column:
    """A column whose cells have their own types: text (through rules.clean_cell), booleans and
    numbers. `arr` holds fastexcel's strings (or numbers); `kind` each cell's type (_cell_types)."""
    n = len(arr)
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    codes = np.full(n, -1, dtype=np.int64)
    values: list = []
    column = _Column(codes=codes, values=values)
    for k in (TEXT, NUMBER, BOOL):
        idx = np.flatnonzero(valid & (kind == k))
        if not len(idx):
            continue
        encoded = pc.dictionary_encode(arr.take(pa.array(idx)))
        distinct = encoded.dictionary.to_pylist()
        if k == TEXT:
            cells = [clean_cell(x) for x in distinct]
            for code, (_, removed) in enumerate(cells):
                if removed:
                    column.removed.extend((int(r), removed) for r in idx[encoded.indices.to_numpy() == code])
            distinct = [value for value, _ in cells]
        elif k == NUMBER:
            try:
                distinct = [float(x) for x in distinct]   # Rust's shortest form: the same double
            except ValueError:
                raise GiveUp from None  # a date or time cell among text
        else:
            distinct = [x in ("true", 1.0) for x in distinct]
        codes[idx] = encoded.indices.to_numpy(zero_copy_only=False) + len(values)
        values.extend(distinct)
    blank = np.array([x is None for x in values] + [True], dtype=bool)   # [-1] -> True
    codes[blank[codes]] = -1
    return column


# --- parsing one column ---------------------------------------------------------------------
def _parse(column: _Column, col: c.Column) -> tuple[pa.Array, list[tuple[int, str]]]:
    """Typed values for one column, and (row index, Dutch message) per bad cell."""
    if column.codes is not None:
        return _per_distinct_value(column.values, column.codes, col)
    arr = column.arr
    t = arr.type
    if pa.types.is_null(t):
        return arr, []
    if pa.types.is_string(t) and col.type in (c.TEXT, c.ID):
        if column.clean:   # no candidates: values.clean_text changes nothing
            return arr, []
        # after clean_cell, a candidate left is one to trim or fold: values.parse_text per distinct value
        cand = pc.fill_null(pc.match_substring_regex(arr, TEXT_CANDIDATE_RE2), False)
        if pc.any(cand).as_py():
            sub = arr.filter(cand)
            encoded = pc.dictionary_encode(sub)
            folded = pa.array([v.parse(x, col) for x in encoded.dictionary.to_pylist()], pa.string())
            arr = pc.replace_with_mask(arr, cand, folded.take(encoded.indices))
        return arr, []
    if (pa.types.is_floating(t) or pa.types.is_integer(t)) and col.type in _NUMERIC_CONTRACT:
        return _numeric(arr, col)
    if pa.types.is_timestamp(t) and col.type == c.DATE:
        return arr.cast(pa.date32()), []
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return _per_distinct_value([_python(x) for x in encoded.dictionary.to_pylist()], codes, col)


def _python(x):
    """A value as python-calamine gives it: a date-time at midnight is a date."""
    return x.date() if isinstance(x, datetime) and x.time() == _MIDNIGHT else x


def _numeric(arr: pa.Array, col: c.Column) -> tuple[pa.Array, list[tuple[int, str]]]:
    values = arr
    if col.type == c.PERCENT:
        values = pc.if_else(pc.greater(arr, 1), pc.divide(arr, 100), arr)
    bad = pa.array(np.zeros(len(arr), dtype=bool))
    if col.type in (c.INT, c.SCHAAL):
        bad = pc.or_(bad, pc.fill_null(pc.not_equal(arr, pc.floor(arr)), False))
    if col.min is not None:
        low = pc.less_equal(values, col.min) if col.min_exclusive else pc.less(values, col.min)
        bad = pc.or_(bad, pc.fill_null(low, False))
    if col.max is not None:
        bad = pc.or_(bad, pc.fill_null(pc.greater(values, col.max), False))
    errors = []
    for i in np.flatnonzero(bad.to_numpy(zero_copy_only=False)):
        try:
            v.parse(arr[i].as_py(), col)  # the same rule gives the same message
        except v.BadValue as exc:
            errors.append((int(i), str(exc)))
    if errors:
        values = pc.if_else(bad, pa.nulls(len(arr), pa.float64()), values)
    if col.type in (c.INT, c.SCHAAL):
        values = values.cast(pa.int64())
    return values, errors


def _per_distinct_value(distinct: list, codes: np.ndarray, col: c.Column) -> tuple[pa.Array, list[tuple[int, str]]]:
    """Parse each distinct value once with values.parse; map results back to the rows
    (`codes`: per row an index into `distinct`, -1 = empty)."""
    parsed, bad_codes = [], {}
    for code, raw in enumerate(distinct):
        if raw is None:
            parsed.append(None)
            continue
        try:
            parsed.append(v.parse(raw, col))
        except v.BadValue as exc:
            parsed.append(None)
            bad_codes[code] = str(exc)
    errors = []
    for code, message in bad_codes.items():
        errors.extend((int(i), message) for i in np.flatnonzero(codes == code))
    errors.sort()
    if not parsed:
        return pa.nulls(len(codes)), errors
    return pa.array(parsed).take(_nullable(codes)), errors


def _nullable(codes: np.ndarray) -> pa.Array:
    """Row indexes into a dictionary as an Arrow array, -1 as null."""
    return pa.array(codes, mask=codes < 0)
