"""Charts as PNG through kaleido, which drives the system Chromium (Debian's `chromium`;
no browser is downloaded). Starting a browser per image costs 2–3 s; one long-lived
kaleido server per process brings that to ~0,2 s per image, so the server is started on
first use and stopped at exit. Kaleido's sync server runs its own event-loop thread, so
calls from several Streamlit sessions are safe once serialised (see pngs)."""
from __future__ import annotations

import atexit
import copy
import functools
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # light on purpose: the CLI starts the browser before the heavy imports
    import plotly.graph_objects as go

    from .table import Herkomst

_lock = threading.Lock()
_started = False
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1000  # px at scale 1; PNGs are rendered at scale 2 (sharp in print)
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")  # Debian's fonts-dejavu-core
TITLE = 110  # characters of a picture's title (16 px bold: one line at WIDTH)


def tabs() -> int:
    """Browser tabs of the kaleido server (STUURBORD_KALEIDO_TABS, default 2). A batch renders
    in parallel over the tabs, but each tab loads plotly.js at start-up (~1 s of CPU). Measured
    on 2 cores with the demo pack: 2 tabs are ~1 s faster once running (the app), 1 tab is
    ~1,5 s faster for a one-off process (the CLI sets 1)."""
    return int(os.environ.get("STUURBORD_KALEIDO_TABS", 2))


class NoBrowser(RuntimeError):
    """PNG/PDF need Chromium, and it is not installed."""


MELDING = ("PNG- en PDF-exports zijn hier niet beschikbaar: de browser Chromium ontbreekt op de server. "
           "Excel en CSV werken wel. De beheerder installeert Chromium met `make run` of "
           "`sudo apt-get install chromium`.")


def browser() -> str | None:
    """The Chromium kaleido will use (BROWSER_PATH wins, as in kaleido/choreographer)."""
    path = os.environ.get("BROWSER_PATH")
    if path:
        return path if os.path.exists(path) else None
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def available() -> bool:
    return browser() is not None


def _ensure_server() -> None:
    global _started
    with _lock:
        if _started:
            return
        if not available():
            raise NoBrowser(MELDING)
        import kaleido
        os.environ.setdefault("BROWSER_PATH", browser())
        # mathjax=False: kaleido's page would otherwise load MathJax from cdnjs.cloudflare.com, an
        # outside script in the browser that renders our data (no chart uses LaTeX; data `$` is
        # escaped by safe.plotly). plotly.js comes from the installed plotly package.
        kaleido.start_sync_server(n=tabs(), mathjax=False, silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _started = True


def stop() -> None:
    """Close the browser now (a command-line run, before its temporary profile is removed;
    at interpreter exit Chromium may still be writing to it)."""
    global _started
    with _lock:
        if _started:
            import kaleido
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def warm_up() -> None:
    """Start the browser in the background (it takes 2–4 s), e.g. when the Raadspakket page
    opens, so the first click does not wait for it. Does nothing without Chromium."""
    if not _started and available():
        threading.Thread(target=_ensure_server, name="kaleido-warm-up", daemon=True).start()


@functools.cache
def _print_template() -> dict:
    import plotly.io as pio
    return pio.templates["plotly_white"].to_plotly_json()


def for_print(fig: go.Figure | dict, title: str, width: int = WIDTH) -> dict:
    """The figure as a plain dict with its title, as a stand-alone picture. A dict, not a
    go.Figure: copying a Figure re-validates every property (~40 ms per chart), and the
    figure itself may be a cached object that must not change. `title` is plain text (it may
    hold data, such as a norm's omschrijving): escaped and cut to one line (TITLE characters).
    The footer (provenance, the meaning of "<5" and "×") is not part of the figure: `pngs`
    draws it in a band below the rendered chart, so no label length can push it out."""
    from ..ui import safe
    spec = copy.deepcopy(fig) if isinstance(fig, dict) else fig.to_dict()
    layout = spec.setdefault("layout", {})
    # Inside the app a figure carries Streamlit's theme template, which leaves margins to
    # the page; a stand-alone picture needs plotly_white and room for its axis labels.
    layout["template"] = _print_template()
    for name in [k for k in layout if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        layout[name] = {**(layout.get(name) or {}), "automargin": True}
    margin = dict(layout.get("margin") or {})
    margin["t"] = max(int(margin.get("t") or 40), 40) + 40
    margin["b"] = max(int(margin.get("b") or 10), 10) + 10
    layout.update(title=dict(text=f"<b>{safe.plotly(safe.kort(title, TITLE))}</b>", x=0, xanchor="left",
                             xref="container", y=1, yref="container", yanchor="top", pad=dict(t=8, l=12),
                             font=dict(size=16)),
                  width=width, paper_bgcolor="white", margin=margin, height=int(layout.get("height") or 420) + 50)
    legend = layout.get("legend") or {}
    if legend.get("yref") == "container" and legend.get("yanchor") == "top":
        # a legend at the top of the picture (charts.LEGEND_TOP) goes below the title, in the 40 px added above
        layout["legend"] = {**legend, "y": 1 - 40 / layout["height"]}
    return spec


def footer(herkomst: Herkomst | None, note: str = "") -> list[str]:
    """The lines under a picture: `note` (the meaning of "<5" and "×"), then the data versions,
    the time the picture was made and the SHA-256 of each source file its figures come from
    (the uploaded workbooks, as stored in `versie.sha256`: a picture in a council document can
    be traced to the exact file, as every PDF page and Excel sheet can)."""
    return ([note] if note else []) + (herkomst.lines() if herkomst is not None else [])


def _metadata(title: str, lines: list[str]):
    """The title and footer as PNG text chunks (Title, Source, Comment): readable by any image
    viewer's properties, so the provenance survives a crop of the footer band."""
    from PIL.PngImagePlugin import PngInfo

    from ..ui import safe
    info = PngInfo()
    info.add_itxt("Title", safe.kort(safe.tekst(title), TITLE))
    info.add_itxt("Software", "Stuurbord (gemeente Wassenaar)")
    if lines:
        info.add_itxt("Source", " ".join(lines))
    return info


FOOTER_PT = 10  # px at scale 1
FOOTER_COLOUR = (85, 85, 85)


def _font(size: int):
    from PIL import ImageFont
    for folder in FONT_DIRS:
        path = Path(folder, "DejaVuSans.ttf")
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def with_footer(png_bytes: bytes, lines: list[str], scale: float = 2, title: str = "") -> bytes:
    """The picture with a white band below it holding `lines` (wrapped to its width), drawn
    with Pillow: outside Plotly's layout, so long axis labels cannot squeeze or cut it; the
    title and the lines are also stored as PNG text chunks (`_metadata`)."""
    if not lines:  # a picture for the PDF: the page's footer has the provenance
        return png_bytes
    import io

    from PIL import Image, ImageDraw
    chart = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    font = _font(round(FOOTER_PT * scale))
    pad, step = round(12 * scale), round(FOOTER_PT * 1.45 * scale)
    room = chart.width - 2 * pad
    wrapped = []
    for line in lines:
        words, current = line.split(" "), ""
        for word in words:
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > room:
                wrapped.append(current)
                current = word
            else:
                current = trial
            while font.getlength(current) > room:  # one word wider than the picture (a hash)
                cut = max(1, int(len(current) * room / font.getlength(current)))
                wrapped.append(current[:cut])
                current = current[cut:]
        wrapped.append(current)
    out = Image.new("RGB", (chart.width, chart.height + len(wrapped) * step + pad), "white")
    out.paste(chart, (0, 0))
    draw = ImageDraw.Draw(out)
    for n, line in enumerate(wrapped):
        draw.text((pad, chart.height + n * step), line, fill=FOOTER_COLOUR, font=font)
    buf = io.BytesIO()
    out.save(buf, format="PNG", optimize=False, pnginfo=_metadata(title, lines))
    return buf.getvalue()


def png(fig: go.Figure, title: str, herkomst: Herkomst | None = None, scale: float = 2,
        width: int = WIDTH, note: str = "") -> bytes:
    """The chart as a stand-alone PNG: its title above, and (with `herkomst`) the data
    versions and time below, so a picture in a council document can be traced; `note` (the
    meaning of "<5" and "×") above those."""
    return pngs([(fig, title, note)], herkomst, scale, width)[0]


def pngs(figures: list[tuple], herkomst: Herkomst | None = None, scale: float = 2,
         width: int = WIDTH) -> list[bytes]:
    """Several charts at once, rendered in parallel in the server's tabs. `figures`:
    (figure, title) or (figure, title, note) per chart."""
    _ensure_server()
    import kaleido
    with tempfile.TemporaryDirectory(prefix="stuurbord-png-") as tmp:
        jobs = []
        for n, (fig, title, *note) in enumerate(figures):
            shown = for_print(fig, title, width)
            jobs.append({"fig": shown, "path": Path(tmp, f"{n}.png"), "footer": footer(herkomst, *note),
                         "opts": dict(format="png", width=width, height=shown["layout"]["height"], scale=scale)})
        # kaleido's sync server has one task and one result queue: callers must take turns
        with _lock:
            kaleido.write_fig_from_object_sync([{k: v for k, v in job.items() if k != "footer"} for job in jobs],
                                               cancel_on_error=True)
        return [with_footer(job["path"].read_bytes(), job["footer"], scale, title)
                for job, (_, title, *_) in zip(jobs, figures)]
