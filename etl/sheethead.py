"""What the readers need from a worksheet's XML before (or besides) an Excel reader.

* `head_rows`: the first rows. The header is found in them once per sheet
  (etl/plan.py), *before* fastexcel is asked for typed columns, and every Excel
  reader parses a whole sheet to give even one row. The safety checks in
  etl/workbook.py already hold each sheet's XML in memory (DTDs refused), so the
  first rows are cut out of it here with a few regexes. Cell values are what a
  reader would give: text, float, bool (dates stay serial numbers; parse_date
  accepts those). Anything unusual (no cell references) gives None, and the
  first rows come from python-calamine instead.
* `cell_types`: the type of each cell of one column. fastexcel turns a column
  that mixes numbers and text into text ("1.234" either way); etl/columnar.py
  asks here which cells were text.
"""
from __future__ import annotations

import html
import re

_ROW_END = b"</row>"
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.S)
_SI = re.compile(rb"<si>(.*?)</si>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)          # reading aids, not part of the text
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")              # OOXML's escape for characters XML cannot hold
_ATTR_T_ANY = re.compile(rb"""\bt=["'](\w+)["']""")
NUMBER, TEXT, BOOL, OTHER = 0, 1, 2, -1   # cell types (cell_types)


_FEW = 256  # byte hits looked at one by one before a whole-part scan takes over


def has_rare(xml: bytes, needle: bytes) -> bool:
    """`needle in xml`, for a needle that starts with a byte rare in sheets (':'): found with
    memchr while there are few of those, else the plain scan. Exact either way."""
    pos = -1
    for _ in range(_FEW):
        pos = xml.find(needle[:1], pos + 1)
        if pos < 0:
            return False
        if xml.startswith(needle, pos):
            return True
    return needle in xml


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _text(fragment: bytes) -> str:
    text = html.unescape("".join(t.decode("utf-8") for t in _T.findall(_PHONETIC.sub(b"", fragment))))
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


class SharedStrings:
    """Shared strings by index, parsed lazily up to the highest index asked for."""

    def __init__(self, xml: bytes | None):
        self._iter = _SI.finditer(xml) if xml else iter(())
        self._items: list[str] = []

    def __getitem__(self, index: int) -> str:
        while len(self._items) <= index:
            m = next(self._iter, None)
            if m is None:
                raise IndexError(index)
            self._items.append(_text(m.group(1)))
        return self._items[index]


def head_rows(xml: bytes, shared: SharedStrings, n: int = 21) -> list[list] | None:
    """The first `n` rows as lists from column A (None for an empty cell), or None."""
    data = xml.find(b"<sheetData")
    if data < 0:
        return None
    end, pos = data, data
    for _ in range(n):
        nxt = xml.find(_ROW_END, pos)
        if nxt < 0:
            break
        end = pos = nxt + len(_ROW_END)
    if end == data:
        return []
    rows: list[list] = []
    try:
        for attrs, body in _CELL.findall(xml[data:end]):
            ref = _ATTR_R.search(attrs)
            if ref is None:
                return None
            r, col = int(ref.group(2)) - 1, _col_index(ref.group(1))
            if r >= n:
                break
            kind = _ATTR_T.search(attrs)
            kind = kind.group(1) if kind else b"n"
            body = body or b""
            value = None
            if kind == b"s":
                vm = _V.search(body)
                value = shared[int(vm.group(1))] if vm else None
            elif kind == b"inlineStr":
                value = _text(body)
            elif kind in (b"str", b"e"):
                vm = _V.search(body)
                value = html.unescape(vm.group(1).decode("utf-8")) if vm else None
            elif kind == b"b":
                vm = _V.search(body)
                value = (vm.group(1) == b"1") if vm else None
            else:
                vm = _V.search(body)
                value = float(vm.group(1)) if vm and vm.group(1) else None
            while len(rows) <= r:
                rows.append([])
            row = rows[r]
            while len(row) <= col:
                row.append(None)
            row[col] = value
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def cell_types(xml: bytes, column: str) -> tuple[np.ndarray, np.ndarray]:
    """The cells of one column (letters, e.g. "H"): their Excel row numbers and their types,
    TEXT (t="s", "inlineStr" or "str"), BOOL (t="b"), NUMBER (no t, or t="n"; dates are numbers
    too) or OTHER (errors, ISO dates). Only cells that start with their reference
    (<c r="H7" …>) are found; the caller checks that every cell it has a value for was found."""
    import numpy as np
    found = re.findall(rb'<c r="' + re.escape(column.encode()) + rb'([0-9]+)"([^>]*)>', xml)
    if not found:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int8)
    rows, attrs = zip(*found)
    kinds = {}
    for distinct in set(attrs):
        t = _ATTR_T_ANY.search(distinct)
        t = t.group(1) if t else b"n"
        kinds[distinct] = TEXT if t in (b"s", b"inlineStr", b"str") else BOOL if t == b"b" else \
            NUMBER if t == b"n" else OTHER
    return (np.array(rows).astype(np.int64),
            np.fromiter((kinds[a] for a in attrs), dtype=np.int8, count=len(attrs)))
