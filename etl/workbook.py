"""Opening an uploaded workbook safely.

Uploads are hostile until validated. Before any parser sees the file we check,
on the raw bytes: the file type, the file size, that it is a real zip (not a
renamed CSV, an old .xls or a password-protected OLE container), the unpacked
size *as actually decompressed* with a byte cap (declared sizes can lie), the
number of rows per sheet, and that no XML part declares a DTD or entities.
Only then does python-calamine parse the sheets.

Two readers, both on the Rust calamine engine: python-calamine returns every
cell with its own type (a numeric cell 1.234 and the Dutch text "1.234" = 1234
must never become the same string; a mixed column must not be coerced) and
serves the regular per-cell path; fastexcel returns typed Arrow columns for
the columnar fast path of large sheets (etl/columnar.py). Where fastexcel had
to turn a mixed column into text, the columnar path learns each cell's own
type from the sheet XML, which `open_workbook` keeps for large sheets.
"""
from __future__ import annotations

import html
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .sheethead import SharedStrings, head_rows
from .sheethead import has_rare as _has

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

ACCEPTED = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 25 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_rows: int = 500_000

    @classmethod
    def from_env(cls) -> "Limits":
        """Each limit is configurable through the environment (bytes / rows)."""
        d = cls()
        return cls(
            int(os.environ.get("STUURBORD_MAX_FILE_BYTES", d.max_file_bytes)),
            int(os.environ.get("STUURBORD_MAX_UNPACKED_BYTES", d.max_unpacked_bytes)),
            int(os.environ.get("STUURBORD_MAX_ROWS", d.max_rows)),
        )


class FileRefused(Exception):
    """The file as a whole cannot be read; the message is Dutch and says what to do."""


@dataclass
class Workbook:
    sheet_names: list[str]
    # sheet name -> set of cell refs ("C7") holding a formula without a saved value
    formula_cells: dict[str, set[str]] = field(default_factory=dict)
    data: bytes = b""
    row_counts: dict[str, int] = field(default_factory=dict)    # <row> elements per sheet
    heads: dict[str, list[list] | None] = field(default_factory=dict)  # first rows, from the XML
    # the XML of large sheets (keep_xml_rows), for etl/columnar.py; dropped once a sheet is read
    xml: dict[str, bytes] = field(default_factory=dict)
    _book: CalamineWorkbook | None = None
    _fast: object | None = None

    @property
    def book(self) -> CalamineWorkbook:
        """python-calamine, opened on first use (a large sheet may never need it)."""
        if self._book is None:
            from python_calamine import CalamineWorkbook
            try:
                self._book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            except Exception:  # calamine raises its own error types for broken parts
                raise FileRefused("Het bestand is beschadigd of geen geldige Excel-werkmap. "
                                  "Open het in Excel en sla het opnieuw op als .xlsx.") from None
        return self._book

    def fastexcel(self):
        """fastexcel's reader (typed Arrow columns) for the columnar fast path."""
        if self._fast is None:
            import logging

            import fastexcel
            # an all-empty optional column is fine here; fastexcel would warn on stderr
            logging.getLogger("fastexcel").setLevel(logging.ERROR)
            self._fast = fastexcel.read_excel(self.data)
        return self._fast

    def rows(self, sheet: str, nrows: int | None = None) -> list[list]:
        """All rows of a sheet from A1 (so list indexes are real cell coordinates)."""
        book = self.book
        try:
            return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False, nrows=nrows)
        except Exception:  # calamine's own errors for a broken or inconsistent part
            raise FileRefused(f"Blad '{sheet}' is beschadigd en kan niet worden gelezen. "
                              "Open het bestand in Excel en sla het opnieuw op als .xlsx.") from None


def _mb(n: int) -> str:
    """A size for messages: '25 MB', '25,4 MB', '12 kB' (never '0 MB' for a small limit)."""
    if n < 1024:
        return f"{n} bytes"
    x, unit = (n / 1024 / 1024, "MB") if n >= 1024 * 1024 else (n / 1024, "kB")
    return f"{x:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"


def check_type(file_name: str) -> None:
    ext = os.path.splitext(file_name.lower())[1]
    if ext in ACCEPTED:
        return
    if ext == ".xls":
        raise FileRefused(f"'{file_name}' is een oud Excel-bestand (.xls). Open het in Excel en kies "
                          "'Opslaan als' → 'Excel-werkmap (.xlsx)'. Alleen .xlsx en .xlsm worden geaccepteerd.")
    if ext in (".csv", ".txt"):
        raise FileRefused(f"'{file_name}' is een CSV-/tekstbestand. Open het in Excel en sla het op als "
                          "Excel-werkmap (.xlsx). Alleen .xlsx en .xlsm worden geaccepteerd.")
    raise FileRefused(f"'{file_name}' heeft geen geaccepteerd bestandstype. "
                      "Alleen Excel-werkmappen (.xlsx en .xlsm) worden geaccepteerd.")


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise FileRefused(f"Het bestand is {_mb(size)}; de grens is {_mb(limits.max_file_bytes)}. "
                          "Verwijder overbodige bladen of kolommen, of vraag de beheerder de grens te verhogen.")
    if size == 0:
        raise FileRefused("Het bestand is leeg (0 bytes).")


def _refuse_not_zip(data: bytes) -> None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2 compound file
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
                or "EncryptedPackage".encode("utf-16-le") in data:
            raise FileRefused("Het bestand is met een wachtwoord beveiligd (versleuteld). Open het in Excel, "
                              "verwijder het wachtwoord (Bestand → Info → Werkmap beveiligen) en sla op zonder "
                              "wachtwoord als .xlsx.")
        raise FileRefused("Het bestand is een oud Excel-bestand (.xls) met de extensie .xlsx. Open het in Excel "
                          "en sla het op als 'Excel-werkmap (.xlsx)'.")
    head = data[:2048]
    if b"\x00" not in head and (b";" in head or b"," in head or b"\t" in head):
        raise FileRefused("Het bestand is geen Excel-werkmap maar tekst (waarschijnlijk een hernoemd CSV-bestand). "
                          "Open het in Excel en sla het op als 'Excel-werkmap (.xlsx)'.")
    raise FileRefused("Het bestand is geen geldige Excel-werkmap (.xlsx) of is beschadigd. "
                      "Open het in Excel en sla het opnieuw op als .xlsx.")


_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in _ATTR.findall(tag)}


def _sheet_parts(zf: zipfile.ZipFile, read) -> dict[str, str]:
    """Map worksheet part name (xl/worksheets/sheet1.xml) -> sheet name, by regex (no XML parser yet)."""
    try:
        wb_xml = read("xl/workbook.xml")
        rels_xml = read("xl/_rels/workbook.xml.rels")
    except KeyError:
        raise FileRefused("Het bestand is geen geldige Excel-werkmap: het werkmapdeel ontbreekt. "
                          "Open het in Excel en sla het opnieuw op als .xlsx.") from None
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels_xml):
        a = _attrs(tag)
        target = a.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[a.get(b"Id", b"")] = os.path.normpath(target).replace(os.sep, "/")
    parts = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", wb_xml):
        a = _attrs(tag)
        name = a.get(b"name", b"").decode("utf-8", "replace")
        name = html.unescape(name)
        if a.get(b"id") in targets:
            parts[targets[a[b"id"]]] = name
    return parts


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_WORD = re.compile(rb"DOCTYPE|ENTITY", re.IGNORECASE)
_NS_ROW = re.compile(rb"<\w+:row[\s>/]")
# a formula element, <f> or <x:f>, found from its 'f' (rarer than '<'; 2,5 × faster than b"<f" in xml)
_FORMULA = re.compile(rb"f(?<=[<:]f)[\s>/]")
_FEW = 256  # byte hits looked at one by one before a whole-part scan takes over


def _has_dtd(xml: bytes) -> bool:
    """Any '<!DOCTYPE' or '<!ENTITY', in any case, anywhere in the part. A regex scan of a
    25 MB sheet costs 25 ms because '<' is everywhere; '!' is rare, and bytes.find finds it
    with memchr. A part with many '!' gets the full regex scan after the first few."""
    pos = -1
    for _ in range(_FEW):
        pos = xml.find(b"!", pos + 1)
        if pos < 0:
            return False
        if xml[pos - 1:pos] == b"<" and _DTD_WORD.match(xml, pos + 1):
            return True
    return _DTD.search(xml) is not None


def _formula_cells(xml: bytes) -> set[str]:
    """Cells with a formula and no saved (cached) value: calamine would read them as empty."""
    found = set()
    for m in re.finditer(rb"<(?:\w+:)?f[\s>/]", xml):
        start = xml.rfind(b"<c ", 0, m.start())
        end = xml.find(b"</c>", m.end())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        has_value = re.search(rb"<(?:\w+:)?v>[^<]+</(?:\w+:)?v>", cell)
        if not has_value and b't="str"' not in cell[: cell.find(b">")]:
            ref = re.search(rb'\br="([A-Z]+[0-9]+)"', cell[: cell.find(b">") + 1])
            if ref:
                found.add(ref.group(1).decode())
    return found


def open_workbook(data: bytes, file_name: str, limits: Limits | None = None,
                  keep_xml_rows: int | None = None) -> Workbook:
    """Check the raw bytes and open them; raises FileRefused with a Dutch message.
    The XML of a sheet with at least `keep_xml_rows` rows is kept (Workbook.xml)."""
    limits = limits or Limits.from_env()
    check_type(file_name)
    check_size(len(data), limits)
    if data[:4] != b"PK\x03\x04":
        _refuse_not_zip(data)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused("Het bestand is beschadigd (geen geldig zip-archief). "
                          "Open het in Excel en sla het opnieuw op als .xlsx.") from None
    if sum(i.file_size for i in infos) > limits.max_unpacked_bytes:
        raise FileRefused(f"Het bestand pakt uit tot meer dan {_mb(limits.max_unpacked_bytes)}; "
                          "dat is boven de grens. Verwijder overbodige bladen of opmaak.")
    if any(i.flag_bits & 0x1 for i in infos):
        raise FileRefused("Het bestand is met een wachtwoord beveiligd. Sla het op zonder wachtwoord als .xlsx.")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused("Het bestand is een zip-archief maar geen Excel-werkmap. "
                          "Open het in Excel en sla het op als .xlsx.")

    budget = [limits.max_unpacked_bytes]
    broken = FileRefused("Het bestand is beschadigd (een onderdeel is niet te lezen). "
                         "Open het in Excel en sla het opnieuw op als .xlsx.")

    inflated: dict[str, bytes] = {}

    def read(name: str) -> bytes:
        """Each part is inflated (and counted against the cap) once."""
        if name not in inflated:
            inflated[name] = _inflate(name)
        return inflated[name]

    def _inflate(name: str) -> bytes:
        """Decompress one part ourselves, counting the real bytes against the cap.
        zipfile stops at the *declared* size (a lying header would hide a bomb from
        this check, and calamine then fails on it), so the raw stream is inflated
        here and must match the declared size and CRC exactly."""
        info = zf.getinfo(name)
        off = info.header_offset
        if data[off:off + 4] != b"PK\x03\x04":
            raise broken
        name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
        start = off + 30 + name_len + extra_len
        raw = memoryview(data)[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            out = bytes(raw)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            # one call, at most one byte past the budget: a bomb stops there (never more than the
            # cap in memory), and a part within it needs no chunk list and no extra copy
            inflater = zlib.decompressobj(-15)
            try:
                out = inflater.decompress(raw, budget[0] + 1)
                if len(out) <= budget[0] and (rest := inflater.flush()):
                    out += rest
            except zlib.error:
                raise broken from None
        else:
            raise broken
        budget[0] -= len(out)
        if budget[0] < 0:
            raise FileRefused(f"Het bestand pakt uit tot meer dan {_mb(limits.max_unpacked_bytes)}; "
                              "dat is boven de grens (mogelijk een 'zip-bom'). Bestand geweigerd.")
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            raise broken
        return out

    parts = _sheet_parts(zf, read)
    formula_cells: dict[str, set[str]] = {}
    row_counts: dict[str, int] = {}
    head_xml: dict[str, bytes] = {}
    kept: dict[str, bytes] = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue  # binary parts (images, vbaProject.bin): never parsed, macros never run
        xml = read(info.filename)
        if _has_dtd(xml):
            raise FileRefused(f"Het bestand bevat een XML-DTD/entity-declaratie ({info.filename}); om veiligheidsredenen "
                              "wordt het niet gelezen. Sla het bestand opnieuw op vanuit Excel.")
        sheet = parts.get(info.filename)
        if sheet is None:
            continue
        # "<row" also starts "<rowBreaks": a page-break list can only over-count, never hide rows
        n_rows = xml.count(b"<row") + (len(_NS_ROW.findall(xml)) if _has(xml, b":row") else 0)
        row_counts[sheet] = n_rows
        head_xml[sheet] = _head_slice(xml)
        if n_rows > limits.max_rows:
            raise FileRefused(f"Blad '{sheet}' heeft {n_rows:,} rijen; de grens is {limits.max_rows:,}.".replace(",", "."))
        if _FORMULA.search(xml) and (cells := _formula_cells(xml)):
            formula_cells[sheet] = cells
        if keep_xml_rows is not None and n_rows >= keep_xml_rows:
            kept[sheet] = xml
        del xml
        inflated.pop(info.filename, None)  # a sheet's XML is not needed again
    shared = SharedStrings(read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None)
    heads = {sheet: head_rows(xml, shared) for sheet, xml in head_xml.items()}
    return Workbook(list(parts.values()), formula_cells, data, row_counts, heads, kept)


def _head_slice(xml: bytes, n: int = 21) -> bytes:
    """The sheet XML up to the end of its n-th row (what head_rows needs)."""
    pos = xml.find(b"<sheetData")
    for _ in range(n):
        nxt = xml.find(b"</row>", max(pos, 0))
        if nxt < 0:
            return xml
        pos = nxt + 6
    return xml[:pos]
