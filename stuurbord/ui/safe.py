"""Data text is data: the one way text from a workbook, a note or a user reaches the
screen or an export. Pages, sentence builders, charts and exports pass every such text
through one of these functions; our own Markdown (``**bold**``, ``:red[…]``,
``:material/…:``) stays outside them.

| function | for | what it returns |
|---|---|---|
| ``tekst(x)`` | elements that do not interpret text: table cells, download file names, PDF/Excel/CSV cells | plain text without invisible or control characters |
| ``keuze(x)`` | selectbox and multiselect options (``format_func=safe.keuze``) | ``tekst(x)``, at most ``MD_MAX`` characters |
| ``md(x)`` | anything Streamlit renders as Markdown: ``st.markdown``, ``st.caption``, ``st.info/warning/error/success``, titles and subheaders, widget labels, ``st.metric`` label, value and ``help=``, expander, status and progress labels, button labels | Markdown that renders as exactly ``tekst(x)`` (at most ``MD_MAX`` characters) |
| ``plotly(x)`` | Plotly text: tick labels, hover, ``text=``, annotations, titles (Plotly renders ``<b>``, ``<a href>``, entities and ``$…$``) | HTML-escaped text |
| ``kort(x, n)`` | a label that must stay short (chart axis, one-line PDF cell) | ``tekst(x)`` cut to ``n`` characters with "…" |
| ``labels(values, n)``, ``label_map`` | chart categories (axis ticks, legends) | ``plotly(kort(x, n))`` per value, made unique |
| ``bestandsnaam(x)`` | a file name offered for download that contains data (a KPI code) | letters, digits, ``. _ -`` only, at most 120 characters |
| ``hover(x)`` | the full text of a shortened label, in a Plotly hover box | escaped, wrapped over lines, at most ``HOVER_MAX`` characters |

Why each step (measured against Streamlit 1.67's Markdown renderer, see
``docs/adding-a-view.md``):

- **Invisible characters** (Unicode category Cf: bidirectional overrides such as U+202E,
  zero-width spaces and joiners, the soft hyphen, BOM, tag characters) are removed, and
  control characters (Cc) and line/paragraph separators become a space. U+202E in an
  eenheid name would otherwise turn "0,17" into "71,0" on the screen and in Excel. The
  import removes them too (with a warning); this is the second line for data already
  stored.
- **Markdown** (``md``): every ASCII punctuation character that can start a construct is
  backslash-escaped (CommonMark allows escaping any ASCII punctuation): emphasis, code,
  links and images (an image would make every viewer's browser fetch an outside URL),
  raw HTML and ``<…>`` autolinks, headings and lists, LaTeX ``$``, Streamlit directives
  ``:red[…]``, ``:material/…:`` and entities ``&amp;``. Line breaks become spaces (one
  paragraph); a text longer than ``MD_MAX`` characters is cut with "…".
- Streamlit also rewrites *text* after parsing, where escapes no longer count: GFM's
  autolinks of bare URLs (``http://…``, ``www.…``) and e-mail addresses (``a@b.nl``),
  emoji shortcodes (``:smile:``), the Streamlit logo (``:streamlit:``) and typographic
  symbols (`` -> `` becomes →, `` >= `` ≥, `` -- `` —). ``md`` puts a WORD JOINER
  (U+2060, invisible, zero width) inside exactly those patterns, so they stay as typed.
  The word joiner is the only character ``md`` adds; ``plain`` undoes ``md`` (escapes and
  joiners), for tests that compare a page's Markdown with the data.
- **Plotly** renders a subset of HTML in every text it draws (``<a href>``, ``<b>``,
  ``<br>``, entities) and treats a text between ``$`` as LaTeX: ``plotly`` escapes
  ``& < >`` and writes ``$`` and ``%`` as entities.
"""
from __future__ import annotations

import html
import re
import textwrap
from typing import Any, Iterable

from . import fmt

ELLIPSIS = "…"
MD_MAX = 300  # characters of one data text in Markdown or an option; tables and exports show all of it
WORD_JOINER = "\u2060"
HOVER_WIDTH = 60   # characters per line in a hover box
HOVER_MAX = 600    # characters of a text shown in a hover box (the table and the Excel have all of it)

# Unicode category Cf (format: invisible by definition), as ranges; tests/test_hostile_text.py checks
# that this covers every Cf character of the running Python's Unicode database.
_CF = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
       "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
       "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_INVISIBLE = re.compile(f"[{_CF}]")
# Cc (C0 and C1 controls, tab and newlines included) and the line/paragraph separators
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# ASCII punctuation that can start a Markdown construct in Streamlit (CommonMark, GFM,
# remark-math, remark-directive, entities, Streamlit's own `:material/` rewrite)
_MD_SPECIAL = re.compile(r"([\\`*_~\[\](){}<>#+\-.!|:$&@/])")
# patterns Streamlit rewrites in the parsed text (where escapes are already resolved)
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+\-]+:)")                       # :smile: :streamlit: :material_x:
_TYPOGRAPHY = re.compile(r"(?:(?<=\s)|^)(<->|->|<-|--|>=|<=|~=)(?=\s|$)")  # -> → , >= ≥ , -- —
# GFM autolink literals, also found in the parsed text: http(s)://…, www.…, name@domain
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=://)|(?<=http)(?=://)|(?<=www)(?=\.)|(?<=@)")


def tekst(x: Any) -> str:
    """Plain text: str(x) without invisible (Cf) characters; control characters and line
    separators become a space. None/NaN become ""."""
    if fmt.is_missing(x):
        return ""
    s = x if isinstance(x, str) else str(x)
    if s.isascii() and s.isprintable():
        return s
    return _BREAKING.sub(" ", _INVISIBLE.sub("", s))


def md(x: Any, limit: int = MD_MAX) -> str:
    """Markdown that Streamlit renders as exactly `tekst(x)`, on one line; a text longer than
    `limit` characters is cut with "…" (a 100.000-character name in a sentence helps nobody
    and costs the browser seconds; the tables and exports show it whole)."""
    s = kort(x, limit)
    s = _TYPOGRAPHY.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], s)
    s = _SHORTCODE.sub(":" + WORD_JOINER, s)
    s = _AUTOLINK.sub(WORD_JOINER, s)
    return _MD_SPECIAL.sub(r"\\\1", s)


_ESCAPED = re.compile(r"\\([\\`*_~\[\](){}<>#+\-.!|:$&@/])")


def plain(markdown: str) -> str:
    """What a reader sees of Markdown made with `md`: escapes resolved, word joiners removed
    (for tests that compare a page's Markdown with the data)."""
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")


def keuze(x: Any) -> str:
    """An option label of a selectbox or multiselect (plain text there): `tekst`, cut at MD_MAX."""
    return kort(x, MD_MAX)


def kort(x: Any, n: int) -> str:
    """`tekst(x)`, cut to at most `n` characters, ending in "…" when cut."""
    s = tekst(x)
    return s if len(s) <= n else s[:max(n - 1, 0)].rstrip() + ELLIPSIS


def plotly(x: Any) -> str:
    """Text for any Plotly string (labels, hover, annotations, titles): shown as typed."""
    return html.escape(tekst(x), quote=False).replace("$", "&#36;").replace("%", "&#37;")


def labels(values: Iterable[Any], n: int = 40) -> list[str]:
    """Chart categories: each value shortened to `n` characters and escaped for Plotly.
    Two different values that shorten alike get " (2)", " (3)"… so they stay two bars."""
    out, seen, first = [], {}, {}
    for v in values:
        full = tekst(v)
        label = kort(full, n)
        if label in first and first[label] != full:
            seen[label] = seen.get(label, 1) + 1
            label = f"{kort(full, n - 4)} ({seen[label]})"
        first.setdefault(label, full)
        out.append(plotly(label))
    return out


def label_map(values: Iterable[Any], n: int = 40) -> dict:
    """`labels` as a mapping value -> label (the same value always gets the same label, for
    charts that place one value in several traces)."""
    unique = list(dict.fromkeys(values))
    return dict(zip(unique, labels(unique, n)))


def hover(x: Any, width: int = HOVER_WIDTH, limit: int = HOVER_MAX) -> str:
    """The full text of a label for a hover box: escaped, wrapped at `width` characters,
    at most `limit` characters (a longer text ends in "…")."""
    lines = textwrap.wrap(kort(x, limit), width, break_long_words=True, break_on_hyphens=False) or [""]
    return "<br>".join(plotly(line) for line in lines)


_FILE_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def bestandsnaam(x: Any, limit: int = 120) -> str:
    """A download file name: letters, digits and `. _ -` only (no path, no bidi, no quotes),
    at most `limit` characters, the extension kept."""
    s = _FILE_BAD.sub("-", tekst(x)).strip("-.") or "bestand"
    if len(s) <= limit:
        return s
    stem, dot, ext = s.rpartition(".")
    return (stem[:limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 5 else s[:limit]
