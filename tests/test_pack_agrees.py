"""The raadspakket agrees with itself (issue #16): persons and placements mean the same in
every section, "Te laat" is what its footnote says, the lange termijn agenda and the
milestones are in it, and no table cell breaks inside a number or word (checked on the text
runs pypdf extracts: fpdf2 writes each line of a cell as one run)."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

import fixtures as fx
from stuurbord.domain import opgaven as og
from stuurbord.export import pack, views
from stuurbord.ui import fmt
from test_export import NEEDS_CHROMIUM, demo_pack  # noqa: F401 - fixture


def _table(pakket, slug):
    return next(t for s in pakket.sections for t in s.tables if t.slug == slug)


def _texts(t, key):
    col = next(c for c in t.columns if c.key == key)
    return {t.text(i, t.columns[0]) if t.columns[0].key != "cluster" else t.frame.at[i, "eenheid"]: t.text(i, col)
            for i in t.rows()}


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@NEEDS_CHROMIUM
def test_persons_and_placements_agree_between_sections(demo_pack):
    pakket, _, path = demo_pack
    personen = fx.query(path, "SELECT count(DISTINCT personeelsnummer) FROM ww_plaatsing "
                              "WHERE version = 2 AND NOT is_vacature")[0][0]
    plaatsingen = fx.query(path, "SELECT count(*) FROM ww_plaatsing WHERE version = 2 AND NOT is_vacature")[0][0]
    assert (personen, plaatsingen) == (224, 228)
    kern = _texts(_table(pakket, "kerncijfers"), "waarde")
    assert kern["Personen"] == fmt.getal(personen) and kern["Plaatsingen"] == fmt.getal(plaatsingen)
    formatie = _texts(_table(pakket, "formatie-per-eenheid"), "personen")
    assert formatie["Hele organisatie"] == fmt.getal(personen), "the organisation total counts persons once"
    vormen = _table(pakket, "plaatsingsvormen")
    assert vormen.text(len(vormen.frame) - 1, vormen.columns[-1]) == fmt.getal(plaatsingen)
    assert f"{fmt.getal(plaatsingen)} plaatsingen van {fmt.getal(personen)} personen" in vormen.note
    # the one definition, said under every table that counts persons or placements
    for slug in ("kerncijfers", "formatie-per-eenheid", "plaatsingsvormen"):
        assert views.PERSONEN_VOETNOOT in _table(pakket, slug).note, slug
    body = " ".join(_pages(pakket.pdf))
    assert body.count(" ".join(views.PERSONEN_VOETNOOT.split()[:8])) >= 3


@NEEDS_CHROMIUM
def test_te_laat_counts_open_milestones_past_their_date_only(demo_pack):
    pakket, _, path = demo_pack
    expected = {r[0]: r[1] for r in fx.query(path, """
        SELECT o.opgave, count(m.mijlpaal) FILTER (WHERE m.gerealiseerd IS NULL AND m.gepland < DATE '2021-06-01')
        FROM opg_opgave o LEFT JOIN opg_mijlpaal m ON m.version = o.version AND m.opgave = o.opgave
        WHERE o.version = 1 GROUP BY 1""")}
    late = _texts(_table(pakket, "opgaven"), "te_laat_open")
    assert {o: int(n) for o, n in late.items()} == expected
    assert late["Wilhelminaplein De Kieviet"] == "0", "a closed opgave whose milestones were achieved late"
    view = {r["opgave"]: r["mijlpalen_te_laat"] for r in fx.query_dicts(path, "SELECT * FROM opgave_voortgang")}
    assert view["Wilhelminaplein De Kieviet"] == 1, "the view's column also counts achieved-late milestones"
    assert _texts(_table(pakket, "kerncijfers"), "waarde")["Mijlpalen te laat"] == fmt.getal(sum(expected.values()))
    assert og.TE_LAAT_DEFINITIE in _table(pakket, "opgaven").note
    body = " ".join(_pages(pakket.pdf))
    assert "Een mijlpaal die te laat is gehaald, telt niet mee als te laat." in body


@NEEDS_CHROMIUM
def test_lange_termijn_agenda_and_milestones_are_in_the_pack(demo_pack):
    pakket, _, path = demo_pack
    titles = [s.title for s in pakket.sections]
    assert titles.index("Opgaven") < titles.index("Lange termijn agenda") < titles.index("Mijlpalen")
    body = " ".join(_pages(pakket.pdf))
    for n, title in enumerate(titles, 1):
        assert f"{n}. {title}" in body
    n_ms = fx.query(path, "SELECT count(*) FROM opg_mijlpaal WHERE version = 1")[0][0]
    assert len(_table(pakket, "mijlpalen").frame) == n_ms
    assert "Ontwerp besproken met de strandexploitanten" in body
    for slug in ("lange-termijn-agenda", "mijlpalen"):
        section = next(s for s in pakket.sections if s.slug == slug)
        ticks = section.figures[0].fig.layout.xaxis.ticktext
        assert ticks and all(re.fullmatch(r"(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec) \d{4}", t)
                             for t in ticks), ticks
    # no names: the agenda is grouped per fase, not per portefeuillehouder
    for ph in {r[0] for r in fx.query(path, "SELECT portefeuillehouder FROM opg_opgave WHERE portefeuillehouder "
                                            "IS NOT NULL")}:
        assert ph not in body


def _runs(pdf: bytes) -> list[tuple[int, str]]:
    """(page, text) of every text run above the footer, pages after the cover."""
    out = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages[1:], 2):
        def visit(text, cm, tm, font, size, n=n):
            if text.strip() and tm[5] > 80:  # the footer (provenance, page number) sits lower
                out.append((n, text.replace("\u00a0", " ").strip()))  # pypdf may give a no-break space either way
        page.extract_text(visitor_text=visit)
    return out


@NEEDS_CHROMIUM
def test_no_table_cell_breaks_inside_a_number_or_word(demo_pack):
    pakket, _, _ = demo_pack
    runs = _runs(pakket.pdf)
    words: set[str] = set()
    whole: set[str] = set()

    def split(text: str) -> list[str]:
        return text.replace("\u00a0", " ").split(" ")

    for n, s in enumerate(pakket.sections, 1):
        words.update(split(f"{n}. {s.title} {s.intro}"))
        for t in s.tables:
            words.update(split(" ".join([t.title, t.note, *t.footnotes()])))
            for c in t.columns:
                words.update(split(c.label))
                for i in t.rows():
                    text = t.text(i, c)
                    words.update(split(text))
                    if c.type not in pack.WRAPS and text:
                        whole.add(text.replace("\u00a0", " "))  # a number, amount or date: one line, one run
    seen = {text for _, text in runs}
    broken = sorted(whole - seen)
    assert not broken, f"over twee regels gebroken: {broken[:10]}"
    fragments = sorted({(p, w) for p, text in runs for w in text.split(" ") if w and w not in words})
    assert not fragments, f"woorden midden in gebroken: {fragments[:10]}"
    # the demo's opgaven table (11 columns) is printed in landscape, at a readable size
    assert "€ 1.250.000" in seen and "Besluitvorming" in seen and "Voortgang" in seen


@NEEDS_CHROMIUM
def test_a_table_too_wide_for_portrait_gets_a_landscape_page_and_its_charts_portrait(demo_pack):
    pakket, _, _ = demo_pack
    pages = PdfReader(io.BytesIO(pakket.pdf)).pages
    n = next(i for i, p in enumerate(pages) if "Voortgang van de opgaven" in p.extract_text())
    wide = [float(p.mediabox.width) > float(p.mediabox.height) for p in pages]
    assert wide[n], "the opgaven table (11 columns) is printed in landscape"
    assert not wide[n + 1], "the charts after it are drawn on a portrait page"
    assert sum(wide) == 1
