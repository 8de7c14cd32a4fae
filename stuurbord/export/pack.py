"""The raadspakket: one click, every view, as a PDF (cover page, charts, key tables,
page numbers, provenance footer on every page) and as an Excel workbook with one sheet
per view. Built from the current versions through the same Section builders as the
per-view downloads, so the pack and the pages agree to the last decimal.

PDF layout is fpdf2 (pure Python, deterministic, fast); charts come from kaleido
(images.py). Without Chromium the PDF cannot hold charts, so it is not made and the
Excel workbook (tables only) still is.
"""
from __future__ import annotations

import io
import logging
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from ..access import privacy
from ..data import queries
from ..domain import kpi
from ..domain import opgaven as og
from ..ui import fmt, safe, texts
from . import excel, images, views
from .table import Column, Herkomst, Table

log = logging.getLogger("stuurbord")

TITEL = "Raadspakket Stuurbord"
ONDERTITEL = "Ambtelijke organisatie gemeente Wassenaar"
BLUE = (31, 95, 139)
KEEP_TOGETHER = 30  # rows: a table this short starts on a new page rather than split (when it fits on one)
CELL_LINES = 4  # a table cell shows at most this many lines; a longer text ends in "…" (the Excel has all of it)
PADDING = 0.8  # mm inside a table cell
CHART_WIDTH = 820  # px for a 180 mm wide chart: labels print at about 8 pt
GREY = (85, 85, 85)


# --- collecting ---------------------------------------------------------------------------------
def kerncijfers(k: dict, span, card_counts: dict | None, voortgang, te_laat: int | None,
                plaatsingen: int | None = None) -> views.Section:
    """The headline figures. `plaatsingen`: the placements (the total of the Plaatsingen table),
    printed beside the persons with the one definition of both (views.PERSONEN_VOETNOOT)."""
    rows = [("Formatie", k["formatie_fte"], "fte"), ("Bezetting", k["bezetting_fte"], "fte"),
            ("Vacatures", k["vacature_fte"], "fte"), ("Personen", k["personen"], "getal")]
    if plaatsingen is not None:
        rows.append(("Plaatsingen", plaatsingen, "getal"))
    rows += [("Eenheden", k["eenheden"], "getal"), ("Clusters", k["clusters"], "getal"),
             ("Coach/coördinatoren", len(span), "getal"),
             (f"Boven de span-norm ({fmt.getal(span['norm_fte'].max())} fte)", int(span["boven_norm"].sum()),
              "getal")]
    if voortgang is not None:
        rows += [("Lopende opgaven", int((voortgang["fase"] != og.AFGESLOTEN).sum()), "getal"),
                 ("Mijlpalen te laat", te_laat, "getal")]
    if card_counts is not None:
        rows += [("Dienstverleningsnormen gehaald", card_counts[kpi.GEHAALD], "getal"),
                 ("Net niet gehaald", card_counts[kpi.MARGE], "getal"),
                 ("Niet gehaald", card_counts[kpi.NIET_GEHAALD], "getal")]
    frame = pd.DataFrame({"onderdeel": [r[0] for r in rows],
                          "waarde": [r[1] for r in rows], "soort": [r[2] for r in rows]})
    hidden = {(i, "waarde") for i, r in enumerate(rows) if r[0] in ("Personen", "Plaatsingen")
              and privacy.too_few(k["personen"])}
    table = Table("kerncijfers", "Kerncijfers", [Column("onderdeel", "Onderdeel", width=2.5),
                                                Column("waarde", "Waarde", "waarde", unit="soort", width=1)],
                  frame, hidden, kinds=("organisatie", "wasword"),
                  note=views.PERSONEN_VOETNOOT + (f" {og.TE_LAAT_DEFINITIE}" if voortgang is not None else ""))
    return views.Section("kerncijfers", "Kerncijfers", ("organisatie", "wasword", "opgaven", "kpi"), [table])


def _opgaven_kpi(con, versions: dict) -> tuple:
    """(voortgang, milestone status, milestones late, KPI status counts of the newest month,
    scores, normen) for the Kerncijfers; None where a kind is not loaded."""
    voortgang = ms = te_laat = counts = scores = normen = None
    if "opgaven" in versions:
        voortgang = queries.opgave_voortgang(con)
        ms = og.mijlpaal_status(queries.opg_mijlpalen(con), versions["opgaven"]["peildatum"])
        te_laat = int((ms["status"] == og.TE_LAAT).sum())
    if "kpi" in versions:
        scores, normen = queries.kpi_scores(con), queries.kpi_normen(con)
        hist = kpi.history(scores, normen, "maand")
        if kpi.periods(hist):
            counts = kpi.counts(kpi.scorecard(hist, normen, kpi.periods(hist)[0], "maand"))
    return voortgang, ms, te_laat, counts, scores, normen


def kerncijfers_van(con) -> views.Section:
    """The raadspakket's Kerncijfers on their own (the raad's Overzicht); empty without
    formatie and was/wordt-lijst."""
    versions = queries.current_versions(con)
    if not ("organisatie" in versions and "wasword" in versions):
        return views.Section("kerncijfers", "Kerncijfers", ("organisatie", "wasword"))
    voortgang, _, te_laat, counts, _, _ = _opgaven_kpi(con, versions)
    cross = queries.plaatsingsvorm_per_cluster(con)
    return kerncijfers(queries.kerncijfers(con), queries.span_per_coach(con), counts, voortgang, te_laat,
                       int(cross["plaatsingen"].sum()) if len(cross) else None)


def collect(con) -> tuple[list[views.Section], Herkomst]:
    """Every view that has data, from the current versions."""
    versions = queries.current_versions(con)
    sections: list[views.Section] = []
    voortgang, ms, te_laat, counts, scores, normen = _opgaven_kpi(con, versions)
    kpi_section = None
    if scores is not None:
        kpi_section = views.dienstverlening(scores, normen, queries.kpi_notities(con), grid=True)
    if "organisatie" in versions and "wasword" in versions:
        fte = queries.fte_per_eenheid(con)
        span = queries.span_per_coach(con)
        norm = float(queries.settings(con).get("span_norm_fte", 22))
        k = queries.kerncijfers(con)
        cross = queries.plaatsingsvorm_per_cluster(con)
        # one definition of persons everywhere: the totals are distinct persons, equal to the Kerncijfers
        sections.append(kerncijfers(k, span, counts, voortgang, te_laat,
                                    int(cross["plaatsingen"].sum()) if len(cross) else None))
        sections.append(views.formatie(fte, queries.fte_per_cluster(con), k["personen"]))
        sections.append(views.opbouw(queries.formatie_opbouw(con)))
        sections.append(views.span(span, fte, norm))
        if len(cross):
            sections.append(views.plaatsingen(cross, k["personen"]))
    if voortgang is not None:
        peildatum = versions["opgaven"]["peildatum"]
        sections.append(views.opgaven(voortgang, queries.opg_capaciteit(con), ms))
        if len(voortgang):
            sections.append(views.lange_termijn_agenda(voortgang, ms, peildatum))
        if len(ms):
            sections.append(views.mijlpalen(ms, peildatum))
    if kpi_section is not None:
        sections.append(kpi_section)
    return sections, Herkomst.of(versions)


# --- PDF ---------------------------------------------------------------------------------------------
def _font_dir() -> Path:
    for d in images.FONT_DIRS:
        if Path(d, "DejaVuSans.ttf").exists():
            return Path(d)
    raise FileNotFoundError("Lettertype DejaVu Sans ontbreekt (Debian-pakket fonts-dejavu-core).")


class _Pdf(FPDF):
    def __init__(self, herkomst: Herkomst):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.herkomst = herkomst
        d = _font_dir()
        self.add_font("sans", "", str(d / "DejaVuSans.ttf"))
        self.add_font("sans", "B", str(d / "DejaVuSans-Bold.ttf"))
        self.add_font("mono", "", str(d / "DejaVuSansMono.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=30)
        self.set_title(TITEL)
        self.set_author("Stuurbord — gemeente Wassenaar")
        self.set_creator("Stuurbord")
        self.set_creation_date(herkomst.generated.astimezone())

    def footer(self) -> None:
        self.set_y(-26)
        self.set_draw_color(*GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_text_color(*GREY)
        h = self.herkomst
        self.set_font("sans", size=6.5)
        self.multi_cell(0, 2.9, f"Gegevens: {h.gegevens()}. Gemaakt op {fmt.tijdstip(h.generated)}.",
                        new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font("mono", size=5.6)
        self.multi_cell(0, 2.6, "SHA-256 bronbestanden: " + "  ".join(f"{k} {v['sha256']}" for k, v in
                                                                     sorted(h.versions.items())),
                        new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_font("sans", size=7.5)
        self.cell(0, 4, f"{TITEL} · peildatum {h.peildatum()}", align="L")
        self.cell(0, 4, f"Pagina {self.page_no()} van {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # building blocks
    def heading(self, text: str, size: float = 15) -> None:
        self.set_font("sans", "B", size)
        self.set_text_color(*BLUE)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def para(self, text: str, size: float = 9.5, colour=(0, 0, 0)) -> None:
        self.set_font("sans", size=size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.48, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1.5)

    def picture(self, png: bytes) -> None:
        width_px, height_px = struct.unpack(">II", png[16:24])  # the PNG's IHDR: its size, footer included
        w = 180
        h = w * height_px / width_px
        room = self.page_break_trigger - self.t_margin  # a picture taller than a page is scaled down
        if h > room:
            w, h = w * room / h, room
        if self.get_y() + h > self.page_break_trigger:
            self.add_page(orientation=self.cur_orientation)
        self.image(io.BytesIO(png), x=15, w=w, h=h)
        self.ln(3)

    def data_table(self, t: Table, lay: Layout | None = None) -> None:
        """A table with its title, note and footnotes. A table of up to KEEP_TOGETHER rows that
        does not fit in the rest of the page starts on the next one; a longer one (or one
        taller than a page) breaks over pages with its headings repeated. Measured by a dry
        run (offset_rendering), not fpdf2's unbreakable(): that raises as soon as a table is
        taller than a page (FPDFException "Using get_y() inside an unbreakable() code block")."""
        if len(t.frame) <= KEEP_TOGETHER:
            with self.offset_rendering() as dummy:
                _table_body(dummy, t, lay)
            if dummy.page_break_triggered:
                self.add_page(orientation=self.cur_orientation)
        elif self.get_y() + 35 > self.page_break_trigger:  # never a title alone at the foot of a page
            self.add_page(orientation=self.cur_orientation)
        _table_body(self, t, lay)
        self.ln(3)


def fit(doc, text: str, width: float, lines: int = CELL_LINES) -> str:
    """`text` as it fits in `width` mm in at most `lines` lines of the current font: the
    lines as fpdf2 wraps them, the last one ending in "…" when the text is longer. Any
    length is fine (a 100.000-character name is cut before it is measured)."""
    text = safe.tekst(text)
    if not text:
        return text
    width = max(width - 0.5, 1.0)  # a little room for a bold total row
    cap = int(width / max(doc.get_string_width("i"), 0.1) * lines) + 1  # more than `lines` lines ever hold
    cut = len(text) > cap
    text = text[:cap] if cut else text
    wrapped = doc.multi_cell(width + 2 * doc.c_margin, 1, text, dry_run=True, output="LINES")
    if len(wrapped) <= lines and not cut:
        return text
    wrapped = wrapped[:lines]
    last = wrapped[-1].rstrip()
    while last and doc.get_string_width(last + safe.ELLIPSIS) > width:
        last = last[:-1].rstrip()
    wrapped[-1] = last + safe.ELLIPSIS
    return "\n".join(wrapped)


# --- table layout: columns sized from their content, never a break inside a number or word -------------
SIZES = (8.0, 7.4, 6.8, 6.2, 5.8)  # pt: a table that does not fit in one size tries the next, then landscape
HEAD_SMALLER = 0.6  # the heading row prints this many pt smaller
WRAPS = ("tekst", "waarde")  # types that may wrap at a space ("5,3 | dagen"); a date only when nothing else fits
SLACK = 1.0  # mm per column beyond the widest word: fit() keeps 0,5 mm for a bold total row
REF_SIZE = SIZES[0]  # pieces are measured once at this size and scaled (text width is linear in the size)
PORTRAIT, LANDSCAPE = 180.0, 267.0  # mm of table width on A4 within the 15 mm margins


@dataclass
class Layout:
    size: float
    widths: list[float]  # mm per column
    landscape: bool = False


def _tokens(text: str, wraps: bool) -> list[str]:
    """What may not be broken: the words between ordinary spaces (no-break spaces join "€ 1.250"
    and "93,5 %"), or the whole text of a number."""
    if not wraps:
        return [text.replace("\n", " ")]
    return [w for w in text.replace("\n", " ").split(" ") if w]


def _needs(doc, t: Table, dates_wrap: bool = False) -> list[float]:
    """Per column, at REF_SIZE: the width (mm) of its widest unbreakable piece, in bold (the
    heading's and totals' font, the widest), heading measured at its smaller size."""
    out = []
    for c in t.columns:
        wraps = c.type in WRAPS or (dates_wrap and c.type == "datum")
        doc.set_font("sans", "B", REF_SIZE)
        cells = {t.text(i, c)[:200] for i in t.rows()}  # a longer text is cut by fit() anyway
        widest = max((doc.get_string_width(w) for s in cells for w in _tokens(s, wraps)), default=0.0)
        doc.set_font("sans", "B", REF_SIZE - HEAD_SMALLER)
        head = max((doc.get_string_width(w) for w in _tokens(c.label, True)), default=0.0)
        out.append(max(widest, head))  # the heading scales with (size - 0,6) / 7,4: less than size / 8
    return out


def layout(doc, t: Table, width: float, landscape: bool = False, dates_wrap: bool = False,
           sizes: tuple = SIZES) -> Layout | None:
    """The largest font size (SIZES) at which every column is at least as wide as its widest
    unbreakable piece, and the column widths: the declared proportions (Column.width) where
    they leave room, the rest taken from the columns with room to spare. None: it does not fit
    in `width` at any size."""
    needs = _needs(doc, t, dates_wrap)
    total = sum(c.width for c in t.columns)
    for size in sizes:
        need = [n * size / REF_SIZE + 2 * PADDING + SLACK for n in needs]
        if sum(need) > width:
            continue
        wanted = [max(width * c.width / total, n) for c, n in zip(t.columns, need)]
        over = sum(wanted) - width
        room = [w - n for w, n in zip(wanted, need)]
        if over > 0:
            wanted = [w - over * r / sum(room) for w, r in zip(wanted, room)]
        return Layout(size, wanted, landscape)
    return None


def plan(doc, t: Table) -> Layout:
    """Portrait when the table fits there, else landscape; dates on one line if possible, else
    wrapped at their spaces ("31 december | 2022"); else the smallest size in landscape with the
    declared proportions (only a single word longer than a column could break then)."""
    lay = None
    for sizes in (SIZES[:3], SIZES[3:]):  # landscape at 6,8 pt reads better than portrait at 5,8 pt
        for width, landscape, dates_wrap in ((PORTRAIT, False, False), (LANDSCAPE, True, False),
                                             (PORTRAIT, False, True), (LANDSCAPE, True, True)):
            lay = lay or layout(doc, t, width, landscape, dates_wrap, sizes)
    if lay is None:
        total = sum(c.width for c in t.columns)
        lay = Layout(SIZES[-1], [LANDSCAPE * c.width / total for c in t.columns], True)
    return lay


def _table_body(doc, t: Table, lay: Layout | None = None) -> None:
    lay = lay or plan(doc, t)
    width = sum(lay.widths)
    doc.set_font("sans", "B", 10)
    doc.multi_cell(0, 6, fit(doc, t.title, doc.epw, 2), new_x="LMARGIN", new_y="NEXT")
    size = lay.size
    doc.set_font("sans", size=size)
    align = tuple("LEFT" if c.type == "tekst" else "RIGHT" for c in t.columns)
    head = FontFace(emphasis="BOLD", fill_color=(220, 230, 240), size_pt=size - HEAD_SMALLER)
    bold = FontFace(emphasis="BOLD")
    inner = [w - 2 * PADDING for w in lay.widths]  # text width of each column
    with doc.table(col_widths=tuple(lay.widths), text_align=align, width=width, align="LEFT",
                   line_height=size * 0.5, headings_style=head, borders_layout="HORIZONTAL_LINES",
                   padding=PADDING, repeat_headings=1) as grid:
        row = grid.row()
        doc.set_font("sans", "B", size - HEAD_SMALLER)  # measured in the heading's own font
        for c, w in zip(t.columns, inner):
            row.cell(fit(doc, c.label, w, 3))
        for i in t.rows():
            total = i in t.totals
            doc.set_font("sans", "B" if total else "", size)  # measured in the font the row is printed in
            row = grid.row(style=bold if total else None)
            for c, w in zip(t.columns, inner):
                row.cell(fit(doc, t.text(i, c), w))
        doc.set_font("sans", size=size)
    notes = ([t.note] if t.note else []) + t.footnotes()
    if notes:
        doc.ln(1)
        doc.set_font("sans", size=7.5)
        doc.set_text_color(*GREY)
        doc.multi_cell(0, 3.6, "\n".join(notes), new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)


def pdf(sections: list[views.Section], herkomst: Herkomst, pictures: dict[str, bytes], demo: bool) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    doc = _Pdf(herkomst)
    doc.add_page()
    doc.set_font("sans", "B", 26)
    doc.set_text_color(*BLUE)
    doc.ln(25)
    doc.multi_cell(0, 12, TITEL, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0, 0, 0)
    doc.para(ONDERTITEL, 14)
    doc.para(f"Peildatum {herkomst.peildatum()} · gemaakt op {fmt.tijdstip(herkomst.generated)}", 11)
    if demo:
        doc.para("LET OP: dit pakket is gemaakt van de synthetische demogegevens van Stuurbord. De namen en cijfers "
                 "zijn verzonnen en gaan niet over echte medewerkers.", 10, (192, 57, 43))
    doc.ln(6)
    doc.heading("Gegevens in dit pakket", 12)
    v = herkomst.versions
    doc.set_font("sans", size=8.5)
    rows = [("Soort", "Versie", "Peildatum", "Geladen op", "Bestand")] + [
        (texts.KIND_LABELS[k], str(x["version"]), fmt.datum(x["peildatum"]), fmt.tijdstip(x["loaded_at"]),
         fit(doc, x["file_name"], 180 * 2.4 / 7 - 2 * PADDING, 2)) for k, x in sorted(v.items())]
    with doc.table(col_widths=(1.6, 0.6, 1.2, 1.2, 2.4), width=180, line_height=4.4,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(220, 230, 240)),
                   borders_layout="HORIZONTAL_LINES", padding=0.8) as grid:
        for r in rows:
            row = grid.row()
            for cell in r:
                row.cell(cell)
    doc.ln(2)
    doc.set_font("mono", size=7)
    for k, x in sorted(v.items()):
        doc.multi_cell(0, 3.4, f"SHA-256 {texts.KIND_LABELS[k]}: {x['sha256']}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(4)
    doc.heading("Privacy", 12)
    doc.para(privacy.REGEL + " Opdrachtgevers, coaches en auteurs van notities worden niet bij naam genoemd; een "
             "coach/coördinator staat vermeld met de eenheden die hij of zij leidt.", 9)
    doc.heading("Inhoud", 12)
    doc.para("\n".join(f"{n}. {s.title}" for n, s in enumerate(sections, 1)), 10)
    for n, s in enumerate(sections, 1):
        try:
            layouts = [plan(doc, t) for t in s.tables]
            # a table too wide for portrait turns its section's pages to landscape
            doc.add_page(orientation="L" if any(lay.landscape for lay in layouts) else "P")
            doc.heading(f"{n}. {s.title}")
            if s.intro:
                doc.para(s.intro)
            for t, lay in zip(s.tables, layouts):
                doc.data_table(t, lay)
            if doc.w > doc.h and s.figures:  # charts are drawn for a portrait page (cur_orientation is an enum)
                doc.add_page(orientation="P")
            for f in s.figures:
                key = f"{s.slug}/{f.slug}"
                if key in pictures:
                    doc.set_font("sans", "B", 10)
                    doc.picture(pictures[key])
        except Exception as exc:
            raise PakketFout(f"de PDF liep vast bij onderdeel {n}, “{s.title}”") from exc
    return bytes(doc.output()), doc.page


class PakketFout(Exception):
    """Why (part of) the pack could not be made, in Dutch, for the page and the command line."""


# --- the pack --------------------------------------------------------------------------------------------
@dataclass
class Pakket:
    xlsx: bytes
    pdf: bytes | None
    herkomst: Herkomst
    sections: list[views.Section]
    seconds: float
    pages: int = 0
    melding: str | None = None  # why there is no PDF
    timings: dict = field(default_factory=dict)

    @property
    def naam(self) -> str:
        return f"raadspakket_{self.herkomst.stamp()}"


NAZORG = "Meld het aan de beheerder; de details staan in het serverlog."


def build(con) -> Pakket:
    """The pack of the current versions. Without Chromium, or when the charts or the PDF fail,
    the Excel workbook is still made and `melding` says in Dutch why there is no PDF; when
    not even that can be made, PakketFout says why."""
    start = time.perf_counter()
    images.warm_up()  # the browser starts (another process) while Python collects the data
    try:
        sections, herkomst = collect(con)
    except Exception as exc:
        log.exception("Raadspakket: gegevens verzamelen mislukt")
        raise PakketFout(f"Het raadspakket kon niet worden gemaakt: de gegevens konden niet worden gelezen "
                         f"({type(exc).__name__}). {NAZORG}") from exc
    t_collect = time.perf_counter() - start
    demo = any(v.get("loaded_by") == "demo" for v in herkomst.versions.values())
    pictures, melding = {}, None
    if images.available():
        figures = [(f"{s.slug}/{f.slug}", f) for s in sections for f in s.figures]
        try:
            rendered = images.pngs([(f.fig, f.title, f.note) for _, f in figures], width=CHART_WIDTH)
            pictures = {key: png for (key, _), png in zip(figures, rendered)}
        except Exception:
            log.exception("Raadspakket: grafieken tekenen mislukt")
            melding = ("De PDF is niet gemaakt: de grafieken konden niet worden getekend. De Excel-werkmap is wel "
                       f"gemaakt. {NAZORG}")
    else:
        melding = images.MELDING
    t_images = time.perf_counter() - start - t_collect
    document, pages = None, 0
    if melding is None:
        try:
            document, pages = pdf(sections, herkomst, pictures, demo)
        except PakketFout as exc:
            log.exception("Raadspakket: PDF opmaken mislukt")
            melding = f"De PDF is niet gemaakt: {exc}. De Excel-werkmap is wel gemaakt. {NAZORG}"
        except Exception:
            log.exception("Raadspakket: PDF opmaken mislukt")
            melding = f"De PDF is niet gemaakt: het opmaken liep vast. De Excel-werkmap is wel gemaakt. {NAZORG}"
    try:
        workbook = excel.workbook([(s.title, s.tables) for s in sections if s.tables], herkomst)
    except Exception as exc:
        log.exception("Raadspakket: Excel-werkmap maken mislukt")
        raise PakketFout(f"Het raadspakket kon niet worden gemaakt: de Excel-werkmap liep vast "
                         f"({type(exc).__name__}). {NAZORG}") from exc
    total = time.perf_counter() - start
    return Pakket(workbook, document, herkomst, sections, total, pages, melding,
                  {"verzamelen": t_collect, "grafieken": t_images, "pdf+excel": total - t_collect - t_images})


def write(pakket: Pakket, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / f"{pakket.naam}.xlsx"]
    out[0].write_bytes(pakket.xlsx)
    if pakket.pdf is not None:
        out.append(folder / f"{pakket.naam}.pdf")
        out[1].write_bytes(pakket.pdf)
    return out
