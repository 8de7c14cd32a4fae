"""Hostile and broken files: each is refused with the right Dutch message, and the
store (every table and view, `versies` included) is exactly as before."""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

import fixtures as fx
from etl import pipeline


@pytest.fixture
def good(tmp_path) -> bytes:
    """The bytes of a valid organisatie workbook (a second version would load fine)."""
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][1][2] = 13
    return fx.write_xlsx(tmp_path / "good.xlsx", sheets).read_bytes()


@pytest.fixture
def refused(full_db, tmp_path):
    """Factory: write `data` as `name`, load it, assert it is refused and the store unchanged;
    returns the list of error messages."""
    def check(data: bytes, name: str = "upload.xlsx", **kw) -> list[str]:
        path = tmp_path / name
        path.write_bytes(data)
        before = fx.snapshot(full_db)
        result = pipeline.load(path, db=full_db, user="test", **kw)
        assert not result.ok and not result.loaded and result.version is None
        assert fx.snapshot(full_db) == before
        return fx.errors(result)
    return check


def test_the_good_file_loads(full_db, tmp_path, good):
    """Control: the base of the hostile variants below is itself a loadable file."""
    path = tmp_path / "good.xlsx"
    path.write_bytes(good)
    assert pipeline.load(path, db=full_db, peildatum=fx.PEILDATUM).version == 2


# --- file types --------------------------------------------------------------------------
def test_xls_extension(refused, good):
    assert refused(good, "formatie.xls") == [
        "'formatie.xls' is een oud Excel-bestand (.xls). Open het in Excel en kies 'Opslaan als' → "
        "'Excel-werkmap (.xlsx)'. Alleen .xlsx en .xlsm worden geaccepteerd."]


def test_csv_extension(refused):
    assert refused(b"Cluster;Eenheid;Formatie fte\nA;B;1\n", "formatie.csv") == [
        "'formatie.csv' is een CSV-/tekstbestand. Open het in Excel en sla het op als Excel-werkmap (.xlsx). "
        "Alleen .xlsx en .xlsm worden geaccepteerd."]


@pytest.mark.parametrize("name", ["formatie.pdf", "formatie", "formatie.ods", "formatie.xlsx.zip"])
def test_other_extensions(refused, good, name):
    assert refused(good, name) == [
        f"'{name}' heeft geen geaccepteerd bestandstype. Alleen Excel-werkmappen (.xlsx en .xlsm) worden "
        "geaccepteerd."]


@pytest.mark.parametrize("text", [b"Cluster;Eenheid;Formatie fte\nA;B;1\n", b"Cluster,Eenheid,Formatie fte\r\nA,B,1\r\n",
                                  b"Cluster\tEenheid\tFormatie fte\n"])
def test_csv_renamed_to_xlsx(refused, text):
    assert refused(text) == [
        "Het bestand is geen Excel-werkmap maar tekst (waarschijnlijk een hernoemd CSV-bestand). Open het in "
        "Excel en sla het op als 'Excel-werkmap (.xlsx)'."]


def test_encrypted_workbook(refused):
    """Excel saves a password-protected .xlsx as an OLE2 container with an EncryptionInfo stream."""
    fake = fx.OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 200 + \
        "EncryptedPackage".encode("utf-16-le") + b"\0" * 300
    [message] = refused(fake)
    assert "met een wachtwoord beveiligd" in message
    assert "sla op zonder wachtwoord" in message


def test_old_xls_renamed_to_xlsx(refused):
    assert refused(fx.OLE_MAGIC + b"\0" * 1024 + "Workbook".encode("utf-16-le")) == [
        "Het bestand is een oud Excel-bestand (.xls) met de extensie .xlsx. Open het in Excel en sla het op "
        "als 'Excel-werkmap (.xlsx)'."]


def test_zip_member_flagged_encrypted(refused, good):
    data = fx.patch_member_header(good, "xl/worksheets/sheet1.xml", flag_bits=0x1)
    assert refused(data) == ["Het bestand is met een wachtwoord beveiligd. Sla het op zonder wachtwoord als .xlsx."]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_xlsx(refused, good, cut):
    assert refused(good[:int(len(good) * cut)]) == [
        "Het bestand is beschadigd (geen geldig zip-archief). Open het in Excel en sla het opnieuw op als .xlsx."]


def test_random_bytes(refused):
    assert refused(bytes(range(256)) * 8) == [
        "Het bestand is geen geldige Excel-werkmap (.xlsx) of is beschadigd. Open het in Excel en sla het "
        "opnieuw op als .xlsx."]


def test_empty_file(refused):
    assert refused(b"") == ["Het bestand is leeg (0 bytes)."]


def test_zip_without_workbook_parts(refused, good):
    data = fx.rezip(good, replace={"xl/workbook.xml": None})
    assert refused(data) == [
        "Het bestand is een zip-archief maar geen Excel-werkmap. Open het in Excel en sla het op als .xlsx."]
    assert refused(fx.rezip(fx.rezip(good, replace={n: None for n in _names(good)}), add={"notes.txt": b"hoi"})) == [
        "Het bestand is een zip-archief maar geen Excel-werkmap. Open het in Excel en sla het op als .xlsx."]


def test_workbook_without_relationships(refused, good):
    assert refused(fx.rezip(good, replace={"xl/_rels/workbook.xml.rels": None})) == [
        "Het bestand is geen geldige Excel-werkmap: het werkmapdeel ontbreekt. Open het in Excel en sla het "
        "opnieuw op als .xlsx."]


def test_member_with_broken_compressed_data(refused, good):
    """A member whose deflate stream is garbage (CRC and sizes as declared)."""
    info = zipfile.ZipFile(io.BytesIO(good)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(good)
    data[start:start + 16] = b"\xff" * 16
    assert refused(bytes(data)) == [
        "Het bestand is beschadigd (een onderdeel is niet te lezen). Open het in Excel en sla het opnieuw op "
        "als .xlsx."]


def test_sheet_xml_that_calamine_cannot_parse(refused, good):
    broken = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
             b'<sheetData><row r="1"><c r="A1" t="s"><v>99999</v></c></row><row r="2"><c r="A2" t="inlineStr"><is>'
    assert refused(fx.rezip(good, replace={"xl/worksheets/sheet1.xml": broken})) == [
        "Blad 'Eenheden' is beschadigd en kan niet worden gelezen. Open het bestand in Excel en sla het opnieuw "
        "op als .xlsx."]


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


# --- limits ------------------------------------------------------------------------------------
def test_file_over_the_size_limit(refused, good, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_FILE_BYTES", "2048")
    size = f"{len(good) / 1024:.1f}".replace(".", ",").removesuffix(",0")
    assert refused(good) == [
        f"Het bestand is {size} kB; de grens is 2 kB. Verwijder overbodige bladen of kolommen, of vraag de "
        "beheerder de grens te verhogen."]


def test_default_size_limit_is_25_mb(refused, good):
    big = fx.rezip(good, add={"xl/media/image1.png": bytes(range(256)) * (26 * 4096)},
                   compression=zipfile.ZIP_STORED)
    assert refused(big)[0].endswith("de grens is 25 MB. Verwijder overbodige bladen of kolommen, of vraag de "
                                    "beheerder de grens te verhogen.")


def _bomb(good: bytes, size: int = 4 * 1024 * 1024) -> bytes:
    """The good workbook plus a part of `size` zero bytes (compresses ~1000:1)."""
    return fx.rezip(good, add={"xl/media/filler.xml": b"\0" * size})


def test_zip_bomb_by_declared_size(refused, good, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_UNPACKED_BYTES", str(1024 * 1024))
    assert refused(_bomb(good)) == [
        "Het bestand pakt uit tot meer dan 1 MB; dat is boven de grens. Verwijder overbodige bladen of opmaak."]


@pytest.mark.parametrize("crc_of", ["declared part", "real part"])
def test_zip_bomb_with_lying_declared_size(refused, good, monkeypatch, crc_of):
    """The header says 100 bytes; the stream inflates to 4 MB. zipfile would stop at the declared
    size — the check must count what decompression really yields."""
    monkeypatch.setenv("STUURBORD_MAX_UNPACKED_BYTES", str(1024 * 1024))
    data = _bomb(good)
    real = b"\0" * (4 * 1024 * 1024)
    crc = zlib.crc32(real[:100]) if crc_of == "declared part" else zlib.crc32(real)
    lying = fx.patch_member_header(data, "xl/media/filler.xml", file_size=100, crc=crc)
    assert refused(lying) == [
        "Het bestand pakt uit tot meer dan 1 MB; dat is boven de grens (mogelijk een 'zip-bom'). "
        "Bestand geweigerd."]


def test_lying_sheet_size_under_the_cap_is_refused_as_broken(refused, good):
    """A sheet part whose declared size is smaller than its content: never handed to calamine."""
    sheet = "xl/worksheets/sheet1.xml"
    real = zipfile.ZipFile(io.BytesIO(good)).read(sheet)
    lying = fx.patch_member_header(good, sheet, file_size=200, crc=zlib.crc32(real[:200]))
    assert refused(lying) == [
        "Het bestand is beschadigd (een onderdeel is niet te lezen). Open het in Excel en sla het opnieuw op "
        "als .xlsx."]


def test_too_many_rows(refused, good, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_ROWS", "4")
    assert refused(good) == ["Blad 'Eenheden' heeft 5 rijen; de grens is 4."]


def test_rows_at_the_limit_load(full_db, tmp_path, good, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_ROWS", "6")          # Coaches has 6 rows
    (tmp_path / "ok.xlsx").write_bytes(good)
    assert pipeline.load(tmp_path / "ok.xlsx", db=full_db, peildatum=fx.PEILDATUM).loaded


# --- XML entities --------------------------------------------------------------------------------
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def _with_dtd(good: bytes, part: str, prefix: bytes = b"") -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(good)).read(part)
    head, sep, rest = xml.partition(b"?>")
    return fx.rezip(good, replace={part: head + sep + prefix + LAUGHS + rest})


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "[Content_Types].xml"])
def test_billion_laughs_is_refused(refused, good, part):
    assert refused(_with_dtd(good, part)) == [
        f"Het bestand bevat een XML-DTD/entity-declaratie ({part}); om veiligheidsredenen wordt het niet "
        "gelezen. Sla het bestand opnieuw op vanuit Excel."]


def test_dtd_after_a_long_comment_is_refused(refused, good):
    part = "xl/worksheets/sheet1.xml"
    [message] = refused(_with_dtd(good, part, prefix=b"<!--" + b"x" * 100_000 + b"-->"))
    assert message.startswith("Het bestand bevat een XML-DTD/entity-declaratie")


# --- formulas ---------------------------------------------------------------------------------------
def test_formula_without_saved_value_is_an_error_not_zero(full_db, refused, tmp_path):
    sheets = fx.organisatie_sheets()
    sheets["Eenheden"][4][2] = "=C2*2"          # ICT: a formula openpyxl writes without a cached value
    sheets["Coaches"][2][2] = "=1/2"
    data = fx.write_xlsx(tmp_path / "f.xlsx", sheets, engine="openpyxl").read_bytes()
    assert refused(data, peildatum=fx.PEILDATUM) == [
        "Blad 'Eenheden', cel C5: formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
        "herberekenen en sla het opnieuw op.",
        "Blad 'Coaches', cel C3: formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
        "herberekenen en sla het opnieuw op."]
    assert fx.query(full_db, "SELECT formatie_fte FROM fte_per_eenheid WHERE eenheid = 'ICT'") == [(0.5,)]


def test_formula_in_wasword_fte(full_db, refused, tmp_path):
    sheets = fx.wasword_sheets()
    sheets["Blad1"][1][6] = "=0.5+0.5"
    data = fx.write_xlsx(tmp_path / "f.xlsx", sheets, engine="openpyxl").read_bytes()
    assert refused(data, peildatum=fx.PEILDATUM) == [
        "Blad 'Blad1', cel G2: formule zonder opgeslagen waarde. Open het bestand in Excel, laat het "
        "herberekenen en sla het opnieuw op."]


def test_formula_with_saved_value_loads_its_value(full_db, tmp_path):
    """xlsxwriter saves a formula together with a value: the saved value is what loads."""
    import xlsxwriter
    path = tmp_path / "saved.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in fx.organisatie_sheets(opbouw=False).items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for col, value in enumerate(row):
                if value is not None:
                    ws.write(r, col, value)
    wb.get_worksheet_by_name("Eenheden").write_formula("C5", "=1-0.25", None, 0.75)
    wb.close()
    result = pipeline.load(path, db=full_db, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert fx.query(full_db, "SELECT formatie_fte FROM fte_per_eenheid WHERE eenheid = 'ICT'") == [(0.75,)]


# --- macros ---------------------------------------------------------------------------------------------
def test_xlsm_with_vba_project_loads(full_db, tmp_path):
    path = fx.write_xlsx(tmp_path / "formatie.xlsm", fx.organisatie_sheets(),
                         vba_project=fx.OLE_MAGIC + b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nEnd Sub\n" * 20)
    assert "xl/vbaProject.bin" in _names(path.read_bytes())
    result = pipeline.load(path, db=full_db, peildatum=fx.PEILDATUM)
    assert result.loaded, fx.errors(result)
    assert result.version == 2
    assert fx.query(full_db, "SELECT file_name FROM versies WHERE kind = 'organisatie' AND is_current") == [
        ("formatie.xlsm",)]


def test_missing_path(full_db, tmp_path):
    before = fx.snapshot(full_db)
    missing = tmp_path / "weg.xlsx"
    result = pipeline.load(missing, db=full_db)
    assert fx.errors(result) == [f"Bestand '{missing}' bestaat niet."]
    assert fx.snapshot(full_db) == before


def test_size_is_checked_before_reading_the_path(full_db, tmp_path, monkeypatch):
    monkeypatch.setenv("STUURBORD_MAX_FILE_BYTES", "1024")
    path = Path(tmp_path / "groot.xlsx")
    path.write_bytes(b"PK\x03\x04" + b"\0" * 2044)
    result = pipeline.load(path, db=full_db)
    assert fx.errors(result) == ["Het bestand is 2 kB; de grens is 1 kB. Verwijder overbodige bladen of kolommen, "
                                 "of vraag de beheerder de grens te verhogen."]
