"""Columnar fast path for large sheets (a 50,000-row was/wordt-lijst).

The regular path (etl/sheets.py) parses every cell in Python: exact, and fine
for the few hundred rows of a formatie or an opgavenregister, but a large
sheet would spend seconds there. Here fastexcel reads the mapped columns as
typed Arrow arrays in one go and every rule is applied per column:

* numeric/date columns are checked vectorised (range, whole numbers);
* text columns of a non-text type, and all enumerations, are parsed once per
  *distinct* value with the very same `etl.values.parse` (same rules, same
  messages), then mapped back to the rows;
* a cell that breaks a rule gets its message from `values.parse` too.

fastexcel refuses (strict dtype coercion) a column that mixes numbers and
text — there a number 1.234 and the Dutch text "1.234" would become one
string — and then the sheet takes the regular path. So does any sheet whose
header cells are not plain text. Results are identical on both paths
(tests/test_etl_columnar.py loads the same workbooks both ways).
"""
from __future__ import annotations

import importlib
import os
import re
import threading

import numpy as np
import pyarrow as pa

from . import contract as c
from . import values as v
from .sheets import Issue, ParsedSheet, apply_header, cell_ref, locate_header


class _OnFirstUse:
    """A module imported on first attribute access: pyarrow.compute takes 50 ms to import,
    and is imported in a thread while fastexcel parses (_start_while_parsing)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)


pc = _OnFirstUse("pyarrow.compute")
# Work a caller wants done while fastexcel parses a large sheet, such as imports it needs
# afterwards (etl/__main__.py adds store.warm_up for `load`). The parse releases the GIL for
# 0,25 s or more; each job runs once, in a thread that starts with the parse.
WHILE_PARSING: set = set()


def _start_while_parsing() -> None:
    jobs = [lambda: importlib.import_module("pyarrow.compute")] + list(WHILE_PARSING)
    WHILE_PARSING.clear()

    def run():
        for job in jobs:
            try:
                job()
            except Exception:
                pass  # whoever needs it later gets the error there

    threading.Thread(target=run, name="etl-while-parsing").start()


_TOTAL_REGEX = r"(?i)^\s*((sub)?totaal|generaal totaal)\b"
_NUMERIC = (pa.types.is_floating, pa.types.is_integer)
# what Python's str.split() treats as whitespace, as an RE2 class
_WHITESPACE = r"[\s\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_NEEDS_FOLD = r"^ | $|  |[\t\n\r\f\v\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


def min_rows() -> int:
    """Sheets with at least this many rows take the fast path (STUURBORD_COLUMNAR_MIN_ROWS)."""
    return int(os.environ.get("STUURBORD_COLUMNAR_MIN_ROWS", 2000))


def read_sheet_columnar(wb, spec: c.Sheet, name: str) -> ParsedSheet | None:
    """Parse a sheet column-wise; None when it must take the regular path."""
    head = wb.heads.get(name)
    if not head:
        return None
    probe = ParsedSheet(spec, name)
    found = locate_header(head, spec, probe)
    if found is None or found[1] is not None:  # no header (regular path reports it) or wide scores
        return None
    header_idx = found[0]
    header = head[header_idx]
    texts = [x for x in header if isinstance(x, str)]
    out = ParsedSheet(spec, name)
    mapped = apply_header(head, header_idx, out)
    names = {f: header[i] for f, i in mapped.items()}
    if not all(isinstance(n, str) and n and texts.count(n) == 1 and n == n.strip() for n in names.values()):
        return None
    try:
        reader = wb.fastexcel()
        _start_while_parsing()
        table = reader.load_sheet(name, header_row=header_idx, use_columns=list(names.values()),
                                  dtype_coercion="strict").to_arrow()
    except Exception:  # mixed types, odd names: the regular path decides
        return None
    formula_cells = wb.formula_cells.get(name, set())
    n = table.num_rows
    excel_rows = np.arange(header_idx + 2, header_idx + 2 + n)
    fields = [col for col in spec.columns if col.field in mapped]
    raw, clean = {}, set()
    for col in fields:
        raw[col.field], is_clean = _blank_to_null(_array(table.column(names[col.field])))
        if is_clean:
            clean.add(col.field)

    # rows to skip: all mapped cells empty, or a total row (first non-empty cell, in sheet order)
    order = sorted(fields, key=lambda col: mapped[col.field])
    present = [pc.is_valid(raw[col.field]) for col in order]
    any_value = present[0]
    for p in present[1:]:
        any_value = pc.or_(any_value, p)
    first_text = pa.nulls(n, pa.string())
    for col in reversed(order):  # coalesce in sheet order: the first non-empty cell wins
        arr = raw[col.field]
        as_text = arr if pa.types.is_string(arr.type) else pa.nulls(n, pa.string())
        first_text = pc.if_else(pc.is_valid(arr), as_text, first_text)
    total = pc.fill_null(pc.match_substring_regex(first_text, _TOTAL_REGEX), False)
    if spec.complete_total_rows_are_data:
        complete = _bools(np.ones(n, dtype=bool))
        for col in fields:
            if col.required:
                complete = pc.and_(complete, pc.is_valid(raw[col.field]))
        total = pc.and_(total, pc.invert(complete))
    for i in np.flatnonzero(total.to_numpy(zero_copy_only=False)):
        out.skipped.append(Issue(f"rij {excel_rows[i]} ('{v.show(first_text[i].as_py())}') is een totaalregel en is "
                                 "overgeslagen.", name))
    keep = pc.and_(any_value, pc.invert(total))
    if formula_cells:  # a row of formulas without saved values is reported, not skipped
        for col in fields:
            letter_col = mapped[col.field]
            hits = [i for i, r in enumerate(excel_rows) if cell_ref(int(r), letter_col) in formula_cells]
            if hits:
                mask = np.zeros(n, dtype=bool)
                mask[hits] = True
                keep = pc.or_(keep, _bools(mask))
    keep_np = keep.to_numpy(zero_copy_only=False)
    rows = excel_rows[keep_np]

    arrays = {}
    for col in fields:
        arr = raw[col.field].filter(keep)
        parsed, bad = _parse_column(arr, col, col.field in clean)
        idx = mapped[col.field]
        for i, message in bad:
            out.errors.append(Issue(message, name, cell_ref(int(rows[i]), idx)))
        missing = np.flatnonzero(pc.is_null(arr).to_numpy(zero_copy_only=False))
        for i in missing:
            ref = cell_ref(int(rows[i]), idx)
            if ref in formula_cells:
                out.errors.append(Issue("formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
                                        "herberekenen en sla het opnieuw op.", name, ref))
            elif col.required:
                out.errors.append(Issue(f"{col.name} ontbreekt (verplicht).", name, ref))
        arrays[col.field] = parsed
    out.errors.sort(key=lambda e: _ref_key(e.cell))
    out.set_arrays(arrays, rows.tolist())
    return out


def _ref_key(ref: str | None) -> tuple:
    m = re.match(r"([A-Z]+)(\d+)", ref or "")
    return (int(m.group(2)), len(m.group(1)), m.group(1)) if m else (0, 0, "")


def _array(column) -> pa.Array:
    """fastexcel gives a RecordBatch (arrays); a Table would give chunked arrays."""
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _bools(mask: np.ndarray) -> pa.Array:
    """pa.array(mask) without its check for numpy masked arrays, which imports numpy.ma (15 ms)."""
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def _blank_to_null(arr: pa.Array) -> tuple[pa.Array, bool]:
    """Blank text cells as nulls, and whether the text column is clean: no blank cell and
    nothing to fold or trim. A clean column (the usual case) costs one regex scan: a blank
    cell is empty or starts with a space or a \\t\\n\\f\\r (RE2's \\s), which _NEEDS_FOLD finds."""
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        if not pc.any(pc.match_substring_regex(arr, _NEEDS_FOLD)).as_py() and \
                not pc.any(pc.equal(pc.binary_length(arr), 0)).as_py():
            return arr.cast(pa.string()), True
        blank = pc.fill_null(pc.match_substring_regex(arr, r"^\s*$"), False)
        return pc.if_else(blank, pa.nulls(len(arr), arr.type), arr).cast(pa.string()), False
    return arr, False


def _parse_column(arr: pa.Array, col: c.Column, clean: bool = False) -> tuple[pa.Array, list[tuple[int, str]]]:
    """Typed values for one column, and (row index, Dutch message) per bad cell."""
    t = arr.type
    if pa.types.is_null(t):
        return arr, []
    if pa.types.is_string(t) and col.type in (c.TEXT, c.ID):
        # values.clean_text is " ".join(x.split()): the same whitespace set, folded and trimmed
        if not clean and pc.any(pc.match_substring_regex(arr, _NEEDS_FOLD)).as_py():
            arr = pc.utf8_trim(pc.replace_substring_regex(arr, _WHITESPACE + "+", " "), " ")
        return arr, []
    if any(check(t) for check in _NUMERIC) and col.type in (c.NUMBER, c.VALUE, c.PERCENT, c.INT, c.SCHAAL):
        return _numeric(arr.cast(pa.float64()), col)
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        if col.type == c.DATE:
            return arr.cast(pa.date32()) if pa.types.is_timestamp(t) else arr, []
    return _per_distinct_value(arr, col)


def _numeric(arr: pa.Array, col: c.Column) -> tuple[pa.Array, list[tuple[int, str]]]:
    values = arr
    if col.type == c.PERCENT:
        values = pc.if_else(pc.greater(arr, 1), pc.divide(arr, 100), arr)
    bad = _bools(np.zeros(len(arr), dtype=bool))
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


def _per_distinct_value(arr: pa.Array, col: c.Column) -> tuple[pa.Array, list[tuple[int, str]]]:
    """Parse each distinct value once with values.parse; map results back to the rows."""
    encoded = pc.dictionary_encode(arr)
    indices = encoded.indices
    parsed, bad_codes = [], {}
    for code, raw in enumerate(encoded.dictionary.to_pylist()):
        try:
            parsed.append(v.parse(raw, col))
        except v.BadValue as exc:
            parsed.append(None)
            bad_codes[code] = str(exc)
    errors = []
    if bad_codes:
        codes = pc.fill_null(indices, -1).to_numpy(zero_copy_only=False)
        for code, message in bad_codes.items():
            errors.extend((int(i), message) for i in np.flatnonzero(codes == code))
        errors.sort()
    values = pa.array(parsed).take(indices) if parsed else pa.nulls(len(arr))
    return values, errors
