"""Hostile text (issue #12): every text column of every kind, a note, a file name and a user
name hold Markdown, Streamlit directives, LaTeX, HTML, an image (a tracking pixel), links,
bare URLs, bidirectional and zero-width characters, and 100.000-character names
(fixtures.hostile_sheets). Every page shows them as plain text, every export holds them as
inert text, and the raadspakket is made. The browser half (no request leaves localhost) is
in test_browser.py."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import fixtures as fx
import identities
import test_pages as pages
from etl import store
from stuurbord.export import csvfile, excel, images, pack, views
from stuurbord.export.table import Herkomst
from stuurbord.ui import charts, safe

ROOT = Path(__file__).resolve().parent.parent
NEEDS_CHROMIUM = pytest.mark.skipif(not images.available(), reason="Chromium ontbreekt")

# what must never reach Streamlit's Markdown unescaped (each would be formatted, linked or fetched)
# (each chosen so that its escaped form does not contain it: "\\<b\\>" holds no "<b>")
MARKDOWN_SENTINELS = ("elders.invalid", "**vet**", "_schuin_", "`code`", "~~weg~~", ":red[", ":blue-background[",
                      ":material/warning:", ":smile:", ":streamlit:", "$x^2$", "<b>", "alert(1)", " &amp;", " -> ")
# what Plotly would render as markup (escaped by safe.plotly: &lt;b&gt;, &#36;, &#37;)
PLOTLY_SENTINELS = ("<b>html", "<img", "<http", "$x^2$", "%{x}")
INVISIBLE = ("\u202e", "\u202c", "\u200b", "\u200d", "\ufeff", "\u2066", "\u2069")
SEEN = "**vet** _schuin_ `code` ~~weg~~ :red[rood]"  # part of HOSTILE a reader must see as typed
# the same after a data tag (fixtures.hostile_sheets: E1, G2, SC…), not "I" (the sidebar's user)
DATA_SEEN = re.compile(r"(?<![A-Za-z])(?!I )[A-Z]{1,2}\d* " + re.escape(SEEN[:24]))


# --- the helper itself ---------------------------------------------------------------------------
def test_tekst_removes_every_invisible_format_character_and_controls():
    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert safe.tekst("a" + "".join(cf) + "b") == "ab", "safe._CF misses a Cf character of this Unicode version"
    assert safe.tekst("eenheid \u202e71,0\u202c") == "eenheid 71,0"  # shown in logical order, not reversed
    assert safe.tekst("a\tb\nc\x00d\u2028e") == "a b c d e"
    assert safe.tekst(None) == "" and safe.tekst(float("nan")) == "" and safe.tekst(12) == "12"


@pytest.mark.parametrize("text", [
    fx.HOSTILE, fx.hostile("E1"), "1. lijst", "# kop", "> citaat", "- punt", "+ punt", "a -> b", "<- x", "x <-> y",
    "a -- b", "5 >= 3", "3 <= 5", "x ~= y", ":+1: :-1:", ":material/star:", "\\(x\\)", "\\", "\\\\*", "&lt;",
    "jan@elders.invalid", "www.elders.invalid", "<http://elders.invalid>", "10:30", "Post & Archief",
    ":red[a] :red-badge[b] :small[c] :help[d]", "| a | b |", "<!-- c -->", "$$\nx\n$$"])
def test_md_gives_markdown_that_reads_as_the_text(text):
    out = safe.md(text)
    assert safe.plain(out) == safe.kort(text, safe.MD_MAX)
    assert "\n" not in out
    unescaped = re.sub(r"\\.", "", out)  # what is left once every escape is taken out
    for c in "*_`~[]()<>#!|$&@:/":  # nothing that can start a construct stays unescaped
        assert c not in unescaped.replace(":" + safe.WORD_JOINER, ""), (c, out)
    # rewritten by Streamlit in the parsed text, where escapes are resolved: broken by a word joiner
    parsed = re.sub(r"\\(.)", r"\1", out)
    for pattern in (r":[A-Za-z0-9_+-]+:", r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)", r"(?i)https?://|www\.", r"@[-\w]"):
        assert not re.search(pattern, parsed), (pattern, out)


def test_plotly_text_is_escaped_and_labels_stay_short_and_distinct():
    assert safe.plotly('<a href="http://x">k</a> $x$ %{y} &amp;') == \
        '&lt;a href="http://x"&gt;k&lt;/a&gt; &#36;x&#36; &#37;{y} &amp;amp;'
    long_a, long_b = "A" * 70 + " een", "A" * 70 + " twee"
    labels = safe.labels([long_a, long_b, long_a, "kort"], 60)
    assert labels[0] == labels[2] != labels[1] and labels[3] == "kort"
    assert all(len(html.unescape(x)) <= 60 for x in labels)
    assert safe.hover("x" * 100_000).count("<br>") == safe.HOVER_MAX // safe.HOVER_WIDTH - 1
    assert safe.bestandsnaam("trend-../Q1 <b>\u202e.png") == "trend-..-Q1-b-.png"


# --- the hostile store ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def _hostile_template(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    db = d / "hostile.duckdb"
    store.initialise(db)
    fx.load_hostile(db, d)
    assert not Path(str(db) + ".wal").exists()
    return db


@pytest.fixture
def hostile_db(tmp_path, monkeypatch, _hostile_template) -> Path:
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(_hostile_template, db)
    monkeypatch.setenv("STUURBORD_DB", str(db))
    return db


def _strings(msg, path=""):
    """(field path, text) of every string field of a protobuf message, nested ones included."""
    for field, value in msg.ListFields():
        name = f"{path}.{field.name}"
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == field.LABEL_REPEATED
        values = value if repeated else [value]
        if field.type == field.TYPE_MESSAGE:
            for v in values:
                yield from _strings(v, name)
        elif field.type == field.TYPE_STRING:
            for v in values:
                yield name, v


def _json_strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _json_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _json_strings(v)


def _no_role() -> AppTest:
    """Someone the identity provider knows, with a hostile name, in none of Stuurbord's groups."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    identities.login(at, "geen")
    at.user = {"is_logged_in": True, **identities.PEOPLE["geen"], **HOSTILE_USER}
    at.run()
    return at


def check_page(at: AppTest) -> str:
    """Assert that no data text reaches the page as markup; return all text a reader sees."""
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "Er ging iets mis" in e.value]
    seen = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if getattr(node, "type", "") in ("arrow_data_frame", "dataframe"):
            df = node.value
            cells = [str(x) for x in df.to_numpy().ravel()] + [str(c) for c in df.columns]
            for cell in cells:
                assert not any(c in cell for c in INVISIBLE), f"onzichtbaar teken in een tabelcel: {cell[:80]!r}"
            seen += cells
            continue
        for name, text in _strings(proto):
            leaf = name.rsplit(".", 1)[-1]
            if leaf in ("id", "form_id", "url", "query_string", "icon", "data", "theme", "selection_mode"):
                continue  # not shown (element ids hold widget keys; a link's query string is URL-encoded), or not text
            if leaf == "spec":  # a Plotly or Vega-Lite figure: JSON
                for s in _json_strings(json.loads(text)):
                    assert not any(x in s for x in PLOTLY_SENTINELS + INVISIBLE), f"{name}: {s[:120]!r}"
                    seen.append(html.unescape(s))
                continue
            if leaf in ("options", "default", "raw_values", "raw_value", "value") and getattr(node, "type", "") in (
                    "selectbox", "multiselect", "radio", "text_input"):
                assert not any(c in text for c in INVISIBLE), f"{name}: {text[:120]!r}"  # plain text
                seen.append(text)
                continue
            if leaf in ("column_config", "config", "args"):  # JSON of our own settings
                continue
            for s in MARKDOWN_SENTINELS + INVISIBLE:  # everything else is Markdown
                assert s not in text, f"{getattr(node, 'type', '?')}{name} laat {s!r} door: {text[:160]!r}"
            seen.append(safe.plain(text))
    return "\n".join(seen)


HOSTILE_USER = {"name": fx.hostile("I"), "email": "i**x**@elders.invalid"}  # from the identity provider


def run_page(page: str | None, tab: str | None = None, role: str = "beheer", **state) -> AppTest:
    """As test_pages.run_page, logged in with `role` under a hostile name and e-mail address;
    then with `state` (open expanders and popovers by their key)."""
    at = pages.run_page(page, tab, role, user=HOSTILE_USER) if role != "geen" else _no_role()
    if state:
        for key, value in state.items():
            at.session_state[key] = value
        at.run()
    return at


PAGES = [
    (None, None, {}), ("formatie.py", None, {"export-formatie": True, "gegevens-formatie-treemap": True,
                                              "gegevens-formatie-bezetting": True}), ("formatie.py", "Per eenheid", {}),
    ("formatie.py", "Opbouw van de formatie", {}), ("formatie.py", "Versies vergelijken", {}),
    ("span.py", None, {"export-span": True, "gegevens-span-of-attention": True}),
    ("opgaven.py", None, {"export-opgaven": True}), ("opgaven.py", "Tabel", {}), ("opgaven.py", "Mijlpalen", {"gegevens-opgaven-mijlpalen": True}),
    ("opgaven.py", "Budget", {"gegevens-opgaven-budget": True}), ("opgaven.py", "Capaciteit", {}), ("opgaven.py", "Lange termijn agenda", {}),
    ("opgaven.py", "Per opgave", {}),
    ("dienstverlening.py", None, {"export-kpi": True}), ("dienstverlening.py", "Trends", {}),
    ("dienstverlening.py", "Per norm", {}),
    ("versies.py", None, {f"{e}_{k}": True for k in ("organisatie", "wasword", "kpi", "opgaven")
                          for e in ("vergelijk", "gebeurtenissen")}),
    ("laden.py", None, {}), ("raadspakket.py", None, {}),
    ("regels.py", None, {}), ("scenarios.py", None, {}), ("scenarios.py", "Opgeslagen", {}),
    ("scenarios.py", "Vergelijken", {}), ("waswordt.py", None, {"gegevens-was-wordt-stromen": True}), ("waswordt.py", "Plaatsingsvormen", {}),
    ("waswordt.py", "Dubbele plaatsingen", {}), ("verloop.py", None, {"gegevens-verloop-organisatie": True, "gegevens-verloop-span": True}), ("logboek.py", None, {}),
    ("instellingen.py", None, {}), ("toegankelijkheid.py", None, {}),
]
SHOWS_NO_DATA = ("laden.py", "raadspakket.py", "logboek.py", "instellingen.py", "toegankelijkheid.py")


@pytest.mark.parametrize("page,tab,state", PAGES,
                         ids=[f"{p or 'overzicht'}-{t or 'standaard'}" for p, t, _ in PAGES])
def test_every_page_shows_hostile_text_as_plain_text(hostile_db, page, tab, state):
    at = run_page(page, tab, **state)
    seen = check_page(at)
    if page not in SHOWS_NO_DATA:  # pages that show data: the hostile text is on them
        assert DATA_SEEN.search(seen), f"geen gegevens zichtbaar op {page} {tab}"


def test_a_hostile_name_from_the_identity_provider_is_plain_text(hostile_db):
    """The person in the sidebar, and the "Geen toegang" screen of someone without a role."""
    at = run_page(None)
    assert "I **vet** _schuin_" in check_page(at)  # the sidebar
    at = run_page(None, role="geen")
    text = check_page(at)
    assert "U bent ingelogd als **I **vet** _schuin_" in text and "i**x**@elders.invalid" in text


def test_the_note_and_its_author_are_plain_text_on_the_tiles_and_per_norm(hostile_db):
    at = run_page("dienstverlening.py")
    text = check_page(at)
    assert "✎ T **vet**" in text  # the note on its tile, as typed
    at = run_page("dienstverlening.py", "Per norm")
    text = check_page(at)
    assert "T **vet** _schuin_" in text and "X **vet**" in text  # note and author in the notes table


def test_hostile_upload_preview_and_report_are_plain_text(hostile_db, tmp_path):
    """A hostile workbook, with a hostile file name, through Gegevens laden: the preview (a
    new version) and a refusal whose messages quote hostile cells."""
    at = run_page("laden.py")
    sheets = fx.hostile_sheets()["opgaven"]  # the stored version, plus one opgave
    sheets["Opgaven"].append([fx.hostile("G9"), "A. Adviseur", None, "verkenning"])
    data = fx.write_xlsx(tmp_path / "o.xlsx", sheets).read_bytes()
    at.file_uploader[0].upload(f"opgaven {fx.HOSTILE[:40]}.xlsx", data).run()
    at.date_input[0].set_value(fx.PEILDATUM).run()  # the file names none, so the page asks for one
    text = check_page(at)
    assert "Toegevoegd: G9 **vet**" in text and not at.error
    bad = fx.hostile_sheets(long=False)["opgaven"]
    bad["Opgaven"][1][6] = fx.hostile("Z")  # a voortgang that is no number: quoted in the error
    at = run_page("laden.py")
    at.file_uploader[0].upload("fout.xlsx", fx.write_xlsx(tmp_path / "f.xlsx", bad).read_bytes()).run()
    text = check_page(at)
    assert "geweigerd" in text


def test_charts_keep_long_names_short_on_the_axis_and_whole_in_the_hover():
    long = fx.hostile("E1", fx.LONG)
    df = pd.DataFrame({"eenheid": [long, fx.hostile("E2")], "fte_oud": [1.0, 2.0], "fte_nieuw": [1.5, 2.0]})
    fig = charts.compare(df, "versie 1", "versie 2")
    ticks = fig.data[0].y
    assert all(len(html.unescape(t)) <= charts.LABEL for t in ticks)
    hover = fig.data[0].customdata[0][1]
    assert hover.startswith("E1 **vet** _schuin_") and "<b>" not in hover and len(hover) < 2 * safe.HOVER_MAX


# --- exports -------------------------------------------------------------------------------------
def _section_tables(db):
    with store.reader(db) as con:
        sections, herkomst = pack.collect(con)
    return sections, herkomst


def test_excel_and_csv_hold_hostile_text_as_inert_text(hostile_db):
    sections, herkomst = _section_tables(hostile_db)
    tables = [t for s in sections for t in s.tables]
    data = excel.workbook([(s.title, s.tables) for s in sections], herkomst)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        xml = "".join(z.read(n).decode() for n in names if n.startswith("xl/worksheets/sheet") or
                      n == "xl/sharedStrings.xml")
    assert "<f>" not in xml and "<f " not in xml, "no formula element"
    assert "<hyperlink" not in xml and not [n for n in names if "worksheets/_rels" in n], "no hyperlink"
    assert not any(c in xml for c in INVISIBLE)
    cells = [str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(data)) for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert any(c.startswith("E1 " + SEEN) for c in cells), "the text as typed"
    assert max(len(c) for c in cells) == excel.CELL_MAX  # a 100.000-character name: as much as a cell holds
    assert any(c.endswith("…") and len(c) == excel.CELL_MAX for c in cells)
    for t in tables:
        rows = list(csv.reader(io.StringIO(csvfile.csv_bytes(t).decode("utf-8-sig")), delimiter=";"))
        for cell in (c for r in rows for c in r):
            assert not any(c in cell for c in INVISIBLE)
            assert not cell.startswith(("=", "+", "-", "@")), cell[:40]
    opgaven = next(t for t in tables if t.slug == "opgaven")
    rows = list(csv.reader(io.StringIO(csvfile.csv_bytes(opgaven).decode("utf-8-sig")), delimiter=";"))
    assert any(len(r[0]) > 90_000 for r in rows[1:] if r), "CSV: the whole name"


@NEEDS_CHROMIUM
def test_the_pack_is_made_with_hostile_and_100000_character_texts(hostile_db):
    from pypdf import PdfReader
    with store.reader(hostile_db) as con:
        pakket = pack.build(con)
    assert pakket.melding is None and pakket.pdf is not None
    reader = PdfReader(io.BytesIO(pakket.pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    # inert text: as typed, neither formatted nor a link (a cell shows its first four lines)
    assert "**vet** _schuin_ `code`" in text and ":red[rood]" in text and "$x^2$" in text
    assert "…" in text  # long names are cut in their cell; the Excel has them whole
    for page in reader.pages:  # no link annotation: nothing in the PDF is clickable
        assert "/Annots" not in page or not any(a.get_object().get("/Subtype") == "/Link" for a in page["/Annots"])
    assert len(reader.pages) < 40
    cells = [str(c.value) for ws in openpyxl.load_workbook(io.BytesIO(pakket.xlsx)) for row in ws.iter_rows()
             for c in row if c.value is not None]
    assert any(c.startswith("G1 " + SEEN) and len(c) == excel.CELL_MAX for c in cells)


@NEEDS_CHROMIUM
def test_an_800_character_opgave_name_no_longer_stops_the_pack(full_db):
    """The issue's reproduction: FPDFException 'Using get_y() inside an unbreakable() code block'."""
    from etl import pipeline
    sheets = fx.opgaven_sheets()
    name = ("Heel lange opgave " * 50)[:800]
    for sheet in ("Opgaven", "Projecten", "Mijlpalen", "Capaciteit"):
        col = 0 if sheet != "Projecten" else 1
        for row in sheets[sheet][1:]:
            if str(row[col]).lower() == "duurzaam wassenaar":
                row[col] = name
    assert pipeline.load(fx.write_xlsx(full_db.parent / "o.xlsx", sheets), db=full_db, peildatum=fx.PEILDATUM,
                         user="test").loaded
    with store.reader(full_db) as con:
        pakket = pack.build(con)
    assert pakket.pdf is not None and pakket.melding is None


def test_a_pack_that_cannot_be_made_says_why_in_dutch(full_db, monkeypatch):
    monkeypatch.setattr(images, "available", lambda: True)
    monkeypatch.setattr(images, "pngs", lambda figures, **kw: [b""] * len(figures))

    def broken(*a, **kw):
        raise RuntimeError("kapot")
    monkeypatch.setattr(pack._Pdf, "data_table", broken)
    with store.reader(full_db) as con:
        pakket = pack.build(con)
    assert pakket.pdf is None and pakket.xlsx
    assert pakket.melding.startswith("De PDF is niet gemaakt: de PDF liep vast bij onderdeel 1, “Kerncijfers”.")
    assert "De Excel-werkmap is wel gemaakt" in pakket.melding
    monkeypatch.setattr(pack, "collect", broken)
    with store.reader(full_db) as con, pytest.raises(pack.PakketFout, match="de gegevens konden niet worden gelezen"):
        pack.build(con)


def test_the_png_renderer_loads_no_script_from_elsewhere(monkeypatch):
    """kaleido's page loads MathJax from a CDN unless told not to; plotly.js comes from the
    installed plotly package. The browser that renders our data fetches nothing from outside."""
    import kaleido
    from kaleido._page_generator import PageGenerator
    started = {}
    monkeypatch.setattr(images, "_started", False)
    monkeypatch.setattr(images, "available", lambda: True)
    monkeypatch.setattr(images, "browser", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(kaleido, "start_sync_server", lambda **kw: started.update(kw))
    monkeypatch.setattr(images.atexit, "register", lambda *a, **kw: None)
    images._ensure_server()
    page = PageGenerator(mathjax=started["mathjax"]).generate_index()
    assert not re.findall(r"src=['\"]?https?://", page), re.findall(r"src=\S+", page)


@NEEDS_CHROMIUM
def test_a_png_keeps_its_size_and_footer_whatever_the_labels():
    """A 100.000-character name must not squeeze the plot or push the provenance out of the
    picture: the same chart with short and with hostile long names gives pictures of the same
    size whose footer band holds the same amount of ink."""
    from PIL import Image
    herkomst = Herkomst.of({"organisatie": {"version": 1, "peildatum": fx.PEILDATUM, "sha256": "ab" * 32,
                                            "file_name": "x.xlsx", "loaded_at": None}})

    def picture(names):
        df = pd.DataFrame({"eenheid": names, "fte_oud": [1.0, 2.0], "fte_nieuw": [1.5, 2.5]})
        return Image.open(io.BytesIO(images.png(charts.compare(df, "versie 1", "versie 2"), "Titel " + names[0],
                                                herkomst)))

    short = picture(["Inwonersloket", "Belastingen"])
    long = picture([fx.hostile("E1", fx.LONG), fx.hostile("E2", fx.LONG)])
    shots = ROOT / "tests" / "screenshots"
    shots.mkdir(exist_ok=True)
    short.save(shots / "png-korte-namen.png")
    long.save(shots / "png-lange-namen.png")
    assert short.size == long.size

    def ink(img, top, bottom):  # dark pixels in a horizontal band
        band = img.convert("L").crop((0, top, img.width, bottom)).point(lambda p: 255 if p < 160 else 0)
        return band.histogram()[255]
    h = short.height
    footer = (h - 90, h)  # the provenance lines at the bottom
    assert ink(long, *footer) > 0.7 * ink(short, *footer) > 0
    plot = (int(h * 0.3), int(h * 0.6))  # bars are drawn where they were: not squeezed flat
    assert ink(long, *plot) > 0.5 * ink(short, *plot)
