"""Tables as an .xlsx workbook (xlsxwriter): numbers stay numbers with Dutch-readable
Excel number formats (Excel shows "#,##0.00" as 1.234,50 in a Dutch locale), a header
block (title, peildatum, versions, time) above and the provenance and the privacy rule
below every sheet, and the same in the printed page footer.

Safety: the workbook is opened with strings_to_formulas/urls/numbers off and every text
cell is written with write_string, so no text ever becomes a formula element; text that
Excel would read as a formula when retyped gets the quote prefix ('), as Excel itself
does."""
from __future__ import annotations

import io
import re
from datetime import datetime

import pandas as pd
import xlsxwriter

from ..access import privacy
from ..ui import fmt, safe
from .cells import is_risky
from .table import TYPES, Herkomst, Table

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
CELL_MAX = 32_767  # characters Excel holds in one cell; a longer text is cut with "…"


def sheet_name(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", title)[:31].strip() or "Blad"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


class _Formats:
    def __init__(self, wb):
        self.wb, self.cache = wb, {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.wb.add_format({"font_name": "Calibri", "font_size": 10, **props})
        return self.cache[key]


def _as_excel(v, kind: str):
    if kind == "datum":
        return pd.Timestamp(v).to_pydatetime() if not isinstance(v, datetime) else v
    return float(v)


def _write_table(ws, f: _Formats, row: int, table: Table, widths: dict[int, int]) -> int:
    ws.write_string(row, 0, table.title, f(bold=True, font_size=12))
    row += 1
    for j, col in enumerate(table.columns):
        ws.write_string(row, j, col.label, f(bold=True, bg_color="#DCE6F0", bottom=1, text_wrap=True,
                                              align="left" if col.type == "tekst" else "right"))
        widths[j] = max(widths.get(j, 8), min(len(col.label) + 2, 22))
    row += 1
    for i in table.rows():
        bold = i in table.totals
        for j, col in enumerate(table.columns):
            props = {"bold": True, "top": 1} if bold else {}
            if (i, col.key) in table.hidden:
                ws.write_string(row, j, table.mark(i, col), f(align="right", italic=True, **props))
                continue
            v = table.value(i, col)
            kind = table.kind(i, col)
            if v is None:
                ws.write_blank(row, j, None, f(**props))
            elif kind == "tekst":
                text = safe.kort(v, CELL_MAX)  # no bidi/invisible characters; the whole text up to Excel's limit
                ws.write_string(row, j, text, f(quote_prefix=True, **props) if is_risky(text) else f(**props))
                widths[j] = max(widths.get(j, 8), min(len(text) + 2, 60))
            elif kind == "datum":
                ws.write_datetime(row, j, _as_excel(v, kind), f(num_format=TYPES[kind][1], align="right", **props))
                widths[j] = max(widths.get(j, 8), 16)
            else:
                ws.write_number(row, j, _as_excel(v, kind), f(num_format=TYPES[kind][1], **props))
                widths[j] = max(widths.get(j, 8), len(table.text(i, col)) + 3)
        row += 1
    for line in ([table.note] if table.note else []) + table.footnotes():
        ws.write_string(row, 0, line, f(italic=True, font_color="#555555"))
        row += 1
    return row + 1


def write_sheet(wb, f: _Formats, name: str, title: str, tables: list[Table], herkomst: Herkomst) -> None:
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, title, f(bold=True, font_size=14))
    ws.write_string(1, 0, f"Peildatum: {herkomst.peildatum()}", f())
    ws.write_string(2, 0, f"Gegevens: {herkomst.gegevens()}", f())
    ws.write_string(3, 0, f"Gemaakt op: {fmt.tijdstip(herkomst.generated)}", f())
    row, widths = 5, {}
    for table in tables:
        row = _write_table(ws, f, row, table, widths)
    small = f(font_size=8, font_color="#555555")
    for line in herkomst.lines() + [privacy.REGEL]:
        ws.write_string(row, 0, line, small)
        row += 1
    for j, w in widths.items():
        ws.set_column(j, j, w)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    footer = f"Stuurbord · peildatum {herkomst.peildatum()} · {herkomst.gegevens()}"
    ws.set_footer(f"&L&7{footer[:180].replace('&', '&&')}&R&7Pagina &P van &N")


def workbook(sheets: list[tuple[str, list[Table]]], herkomst: Herkomst) -> bytes:
    """sheets: (title, tables) per sheet."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"title": sheets[0][0] if sheets else "Stuurbord", "author": "Stuurbord",
                       "company": "Gemeente Wassenaar", "comments": " | ".join(herkomst.lines())})
    f, used = _Formats(wb), set()
    for title, tables in sheets:
        write_sheet(wb, f, sheet_name(title, used), title, tables, herkomst)
    wb.close()
    return buf.getvalue()


def table_xlsx(table: Table, herkomst: Herkomst) -> bytes:
    return workbook([(table.title, [table])], herkomst)
