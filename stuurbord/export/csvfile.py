"""A Table as CSV the way Dutch Excel opens it with a double click: `;` between cells,
decimal comma, UTF-8 with BOM (or Excel guesses the code page and breaks "ë"), CRLF.
Text cells are neutralised against formula injection (after safe.tekst has removed
invisible characters, which could hide a leading "="); numbers are written as numbers.
A table with hidden cells ends with the meaning of their marks ("<5", "×"); with a Herkomst,
the provenance follows (versions, peildata, time, SHA-256 of the source files), each line in
the first column after a blank row: below the table, where Excel and LibreOffice read it as
text and the table itself (header in row 1, numbers as numbers) is untouched. A leading
comment would have become the header row; a companion file or a zip gets separated from the
CSV or is not opened by a double click (docs/exports.md)."""
from __future__ import annotations

import csv
import io

from ..ui import fmt, safe
from .cells import neutralise
from .table import TYPES, Column, Herkomst, Table


def _cell(table: Table, i: int, col: Column) -> str:
    if (i, col.key) in table.hidden:
        return table.mark(i, col)
    v = table.value(i, col)
    if v is None:
        return ""
    kind = table.kind(i, col)
    if kind == "tekst":
        return neutralise(safe.tekst(v))
    if kind == "datum":
        return fmt.datum_kort(v)
    if kind in ("pct", "pct0"):
        return fmt.kaal(float(v) * 100, TYPES[kind][2]) + "%"
    if kind == "euro":
        return fmt.kaal(v, 2)
    return fmt.kaal(v, TYPES[kind][2])


HERKOMST = "Herkomst"


def csv_bytes(table: Table, herkomst: Herkomst | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(c.label) for c in table.columns])
    for i in table.rows():
        writer.writerow([_cell(table, i, c) for c in table.columns])
    notes = table.footnotes()
    if notes:
        writer.writerow([])
        for line in notes:
            writer.writerow([line])
    if herkomst is not None:
        writer.writerow([])
        writer.writerow([HERKOMST])
        for line in herkomst.lines():
            writer.writerow([neutralise(safe.tekst(line))])  # file names are data
    return ("\ufeff" + out.getvalue()).encode("utf-8")
