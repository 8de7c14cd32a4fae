"""Shared page building blocks: headers, empty states, metrics, tables.
Pages compose these; they hold layout only."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from etl import instellingen

from .. import data
from ..access import audit, identity, privacy
from . import fmt, safe, texts

KIND_LABELS = texts.KIND_LABELS
KIND_NEEDS = {
    "organisatie": "het formatiebestand (bladen Eenheden, Coaches en eventueel Opbouw)",
    "wasword": "de was/wordt-lijst (één rij per plaatsing)",
    "kpi": "het kpi-bestand (bladen Normen en Scores)",
    "opgaven": "het opgavenregister (blad Opgaven, eventueel Projecten, Mijlpalen, Capaciteit)",
}


FTE4 = partial(fmt.fte, decimals=4)  # fte as exported by HR (0,8889)
GETAL1 = partial(fmt.getal, decimals=1)  # persons as a share (12,5)


def kind_label(kind: str | None) -> str:
    """Option label of a "Soort gegevens" selectbox; None: detect the kind."""
    return "Automatisch herkennen" if kind is None else KIND_LABELS[kind]


def span_norm() -> float:
    """The stored span norm (setting span_norm_fte; its default when missing or unreadable)."""
    return instellingen.value(data.settings(), "span_norm_fte")


def page_guard() -> None:
    """First line of every page. Because the project has a `pages/` folder, a fresh
    Streamlit server runs in legacy mode until app.py has called st.navigation once:
    a deep link (/span) as the very first request runs the page file without
    app.py. Then run the shell here (it routes to this same page) and stop."""
    if not data.in_run_scope():
        from .. import shell
        shell.main()
        st.stop()


def chart(fig, name: str, modebar: bool = True, key: str | None = None) -> None:
    """Every chart goes through here: Dutch locale, PNG button with a sensible file name, and its
    text alternative (docs/accessibility.md): the chart's message in a sentence below it
    (charts.beschrijving) and its figures one click away ("Gegevens van deze grafiek",
    charts.gegevens). modebar=False hides the toolbar (sparklines in a tile)."""
    config = fmt.plotly_config(name)
    if not modebar:
        config["displayModeBar"] = False
    st.plotly_chart(fig, config=config, width="stretch", key=key)
    chart_text(fig, key or name)


def chart_text(fig, key: str) -> None:
    """The text alternative of a chart: a caption with its message and figures, and an expander
    with a table of every point (data text in both is data: safe.md, dutch_table)."""
    from . import charts
    st.caption(safe.md(charts.beschrijving(fig)))
    # lazy: the table is built and sent only when opened (a page with twelve trends stays fast)
    exp = st.expander("Gegevens van deze grafiek", icon=":material/table:", key=f"gegevens-{key}", on_change="rerun")
    if not exp.open:
        return
    with exp:
        t = charts.gegevens(fig)
        if len(t):
            text_table(t, {"Reeks": ("Reeks", 200), "Gegevens": ("Gegevens", 900)})
        else:
            st.caption("Deze grafiek heeft geen punten.")


def sparkline(data_and_spec: tuple, key: str | None = None) -> None:
    """A Vega-Lite sparkline from charts.kpi_sparkline (cheap enough for a grid of tiles)."""
    frame, spec = data_and_spec
    st.vega_lite_chart(frame, spec, width="stretch", key=key)


def require(*kinds: str) -> None:
    """Stop the page with a Dutch explanation when a needed kind is not loaded."""
    missing = [k for k in kinds if not data.has(k)]
    if not missing:
        return
    needs = "\n".join(f"- **{KIND_LABELS[k]}**: {KIND_NEEDS[k]}" for k in missing)
    st.info(f"Voor deze pagina zijn nog geen gegevens geladen. Nodig:\n\n{needs}\n\n"
            "De beheerder laadt de Excel-bestanden op de pagina **Gegevens laden** (Beheer) of met "
            "`python -m etl load BESTAND` (zie de README); "
            "Stuurbord toont ze bij de volgende klik. Wilt u eerst rondkijken? Laad de synthetische "
            "demogegevens met `python -m etl demo`.", icon=":material/info:")
    st.stop()


def peildatum_caption(*kinds: str) -> None:
    v = data.versions()
    parts = [f"{KIND_LABELS[k]}: versie {v[k]['version']}, peildatum {fmt.datum(v[k]['peildatum'])}"
             for k in kinds if k in v]
    if parts:
        st.caption(" · ".join(parts))


LINK_STATE = "_link_"  # session keys: the link value a widget was last preselected from


def from_link(param: str, key: str, options) -> object | None:
    """A deep link (?coach=…, ?opgave=…, ?norm=…, ?eenheid=…: the start page's signals):
    preselect the widget `key` on the linked option once per link, so the user's own choice
    wins afterwards; the parameter stays in the URL (a link can be shared and reloaded; deleting
    it made Streamlit drop the page's path from the URL). Matched exactly, then
    case-insensitively, then (a name longer than aandacht.LINK_MAX) by its prefix. Returns the
    linked option (None: no link, or nothing matched: then a Dutch note says so)."""
    from ..domain.aandacht import LINK_MAX
    if param not in st.query_params:
        return None
    wanted = st.query_params[param]
    options = list(options)
    match = next((o for o in options if str(o) == wanted), None)
    if match is None:
        match = next((o for o in options if str(o).casefold() == wanted.casefold()), None)
    if match is None and len(wanted) >= LINK_MAX:  # a very long name travels as its first LINK_MAX characters
        found = [o for o in options if str(o).startswith(wanted)]
        match = found[0] if len(found) == 1 else None
    if match is None:
        st.info(f"“{safe.md(wanted, 120)}” uit de link is hier niet gevonden (meer).", icon=":material/link_off:")
        return None
    if st.session_state.get(LINK_STATE + key) != wanted:
        st.session_state[key] = match
        st.session_state[LINK_STATE + key] = wanted
    return match


def forget_links() -> None:
    """The start page: a signal followed again preselects its subject again."""
    for k in [k for k in st.session_state if isinstance(k, str) and k.startswith(LINK_STATE)]:
        del st.session_state[k]


def metrics(items: list[tuple[str, str, str | None]], columns: int = 4) -> None:
    """A row (or rows) of st.metric: (label, value, help). All three are Markdown (Streamlit
    renders even the value as Markdown): data text in them goes through safe.md."""
    for start in range(0, len(items), columns):
        cols = st.columns(columns)
        for col, (label, value, help_text) in zip(cols, items[start:start + columns]):
            col.metric(label, value, help=help_text, border=True)


def dutch_frame(df: pd.DataFrame, formats: tuple, labels: tuple = ()) -> pd.DataFrame:
    """The text a Dutch table shows (see dutch_table); `formats` and `labels` as tuples of
    (column, value) pairs so the result can be cached through data.get."""
    formats, labels = dict(formats), dict(labels)
    shown = df.copy()
    for col, how in formats.items():
        if col in shown.columns:
            func = how if callable(how) else getattr(fmt, how)
            shown[col] = shown[col].map(func)
    for col in shown.columns:  # empty text cells stay empty (not "None")
        if col not in formats and (shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col].dtype)):
            shown[col] = shown[col].map(lambda v: safe.tekst(v) if isinstance(v, str) else "" if fmt.is_missing(v) else v)
    # a header can be data too (the eenheden of a flow matrix): no bidi/invisible characters there either
    names = {c: safe.tekst(labels.get(c, c)) if isinstance(labels.get(c, c), str) else c for c in shown.columns}
    return shown.rename(columns=names)


def dutch_table(df: "pd.DataFrame | data.Ref", formats: dict, labels: dict | None = None,
                height: int | str = "auto", **kwargs) -> None:
    """A table with every number formatted the Dutch way (as text, right-aligned), so the
    screen shows exactly what fmt shows everywhere else. formats: column -> fmt function name.
    Text cells go through safe.tekst (no bidirectional or invisible characters); a table cell
    never interprets Markdown or HTML. Pass a data.ref for a large table: its text is then
    formatted once per data version for every session, not on every run."""
    key = (tuple(formats.items()), tuple((labels or {}).items()))
    if isinstance(df, data.Ref):
        if any(getattr(f, "__name__", "") == "<lambda>" for f in formats.values()):  # a new key every run
            raise TypeError("dutch_table with a data.ref: formats are fmt names or module-level functions")
        shown, columns = data.get(dutch_frame, df, *key), df.get().columns
    else:
        shown, columns = dutch_frame(df, *key), df.columns
    names = dict(zip(columns, shown.columns))
    config = {names[c]: st.column_config.TextColumn(alignment="right") for c in formats if c in names}
    if height == "auto" and len(shown) <= 25:
        height = 35 * (len(shown) + 1) + 3  # show every row of a short table, no inner scrollbar
    st.dataframe(shown, hide_index=True, column_config=config, height=height, width="stretch", **kwargs)


def text_frame(df: pd.DataFrame, columns: tuple) -> pd.DataFrame:
    """The text a sentence table shows (see text_table); `columns` as a tuple of
    (column, (label, width)) pairs so the result can be cached through data.get."""
    columns = dict(columns)
    shown = df[list(columns)].map(lambda v: safe.tekst(v) if isinstance(v, str) else "" if fmt.is_missing(v) else v)
    return shown.rename(columns={c: label for c, (label, _) in columns.items()})


def text_table(df: "pd.DataFrame | data.Ref", columns: dict[str, tuple[str, int]], **kwargs) -> None:
    """A table of sentences (no figures to format): columns -> (label, width in px), so a long
    explanation gets the room and a short status does not. No bidi/invisible characters; an
    empty cell stays empty. Pass a data.ref for a long table: its text is then made once per
    data version for every session, not on every run."""
    key = tuple(columns.items())
    shown = data.get(text_frame, df, key) if isinstance(df, data.Ref) else text_frame(df, key)
    config = {label: st.column_config.TextColumn(label, width=width) for label, width in columns.values()}
    height = 35 * (len(shown) + 1) + 3 if len(shown) <= 25 else "auto"
    st.dataframe(shown, hide_index=True, column_config=config, height=height, width="stretch", **kwargs)


def paginate(total: int, per_page: int, key: str, noun: str = "items") -> range:
    """Which of `total` items to show: all when they fit on one page (the demo looks as it
    always did), otherwise a page chooser ("1–24 van 500") that keeps its page in the URL-free
    session state. Returns the range of item positions to render."""
    if total <= per_page:
        return range(total)
    starts = list(range(0, total, per_page))
    start = st.selectbox(f"Tonen ({fmt.getal(total)} {noun})", starts, key=key,
                         format_func=lambda s: f"{fmt.getal(s + 1)}–{fmt.getal(min(s + per_page, total))} van "
                                               f"{fmt.getal(total)}")
    return range(start, min(start + per_page, total))


PERSONAL_HIDDEN = ("Deze lijst staat per medewerker en is alleen zichtbaar voor de rollen controller en beheer. "
                   "Hierboven staan de aantallen en fte per eenheid.")


def personal_table(df: pd.DataFrame, formats: dict, labels: dict[str, str]) -> None:
    """The one function that renders employee-level rows (one row per person or placement);
    only for roles with PERSOONSGEGEVENS. Other roles get no rows at all, not even without
    the name columns: functie, schaal and fte of one placement identify a person too."""
    if not identity.allowed(identity.PERSOONSGEGEVENS):
        st.caption(PERSONAL_HIDDEN)
        return
    dutch_table(df, formats, labels)


def section_table(t) -> None:
    """An export Table on screen exactly as the raad reads it (suppressed cells as "<5")."""
    shown = pd.DataFrame({c.label: [t.text(i, c) for i in t.rows()] for c in t.columns})
    config = {c.label: st.column_config.TextColumn(alignment="right") for c in t.columns if c.type != "tekst"}
    height = 35 * (len(shown) + 1) + 3 if len(shown) <= 25 else "auto"
    st.dataframe(shown, hide_index=True, column_config=config, height=height, width="stretch")


def raad_view(key: str, build, *args) -> None:
    """For roles without DETAILS (the raad): the page shows what the raadspakket shows for it
    (the export Section: aggregates, small cells suppressed, no names) and stops. Call it
    before anything with names or unsuppressed figures; other roles pass through."""
    if identity.allowed(identity.DETAILS):
        return
    section = data.get(build, *args)
    st.caption(f"U ziet deze pagina zoals het raadspakket haar toont: totalen zonder namen; cijfers over minder "
               f"dan {privacy.DREMPEL} personen staan er als {privacy.ONDERDRUKT}.")
    if section.intro:
        st.markdown(section.intro)
    exports(key, build, *args)
    for t in section.tables:
        st.subheader(t.title)
        section_table(t)
        if t.note:
            st.caption(t.note)
    for f in section.figures:
        st.subheader(f.title)
        chart(f.fig, f.slug)
    st.stop()


def exports(key: str, build, *args, intern=None) -> None:
    """The "Exporteren" button of a view: Excel and CSV per table, PNG per chart, all for the
    raad (aggregates, no names, small numbers suppressed; see stuurbord.export). Lazy twice:
    the section is built only when the popover is opened (`data.get(build, *args)`: pass
    frames as `data.ref(...)`, so nothing is computed before), each file only when clicked (the
    download runs the callable in its own thread), and every download is recorded in the audit
    trail (access.audit). `intern`: (build, *args) of a table with the names of people in
    organisational roles (coaches), offered only to roles that see those names on screen."""
    from ..export import csvfile, excel, images
    from ..export.table import Herkomst

    pop = st.popover("Exporteren", icon=":material/download:", key=f"export-{key}", on_change="rerun")
    if not pop.open:
        return
    with pop:
        section = data.get(build, *args)
        herkomst = Herkomst.of(data.versions(), section.kinds)
        who = identity.current()

        def logged(make, name: str):  # every download is recorded: who, when, which versions
            return audit.download(make, who, name, herkomst.versions)
        st.caption(f"Voor de raad: totalen zonder namen; cijfers van minder dan {privacy.DREMPEL} personen staan er "
                   f"als {safe.md(privacy.ONDERDRUKT)} in, een cijfer dat alleen is weggelaten om zo’n cijfer te "
                   f"beschermen als {safe.md(privacy.AANVULLEND)}. Versies en peildatum staan in elk bestand.")
        stamp = herkomst.stamp()
        for t in section.tables:
            st.markdown(f"**{safe.md(t.title)}**")
            c1, c2 = st.columns(2)
            c1.download_button("Excel", data=logged(partial(excel.table_xlsx, t, herkomst), f"{t.slug}_{stamp}.xlsx"),
                               file_name=f"{t.slug}_{stamp}.xlsx", mime=XLSX, on_click="ignore",
                               icon=":material/table_view:", key=f"xlsx-{key}-{t.slug}")
            c2.download_button("CSV", data=logged(partial(csvfile.csv_bytes, t, herkomst), f"{t.slug}_{stamp}.csv"),
                               file_name=f"{t.slug}_{stamp}.csv", mime="text/csv", on_click="ignore",
                               icon=":material/csv:", key=f"csv-{key}-{t.slug}")
        if section.figures:
            images.warm_up()
            st.markdown("**Grafieken (PNG)**")
            if not images.available():
                st.info(images.MELDING, icon=":material/image_not_supported:")
            for f in section.figures:
                png_name = safe.bestandsnaam(f"{f.slug}_{stamp}.png")  # the slug of a KPI trend holds its code
                st.download_button(safe.md(f.title), data=logged(partial(images.png, f.fig, f.title, herkomst,
                                                                         note=f.note), png_name),
                                   file_name=png_name, mime="image/png", on_click="ignore",
                                   icon=":material/image:", disabled=not images.available(), key=f"png-{key}-{f.slug}")
        if intern is not None and identity.allowed(identity.DETAILS, who):
            t = data.get(*intern)
            st.markdown("**Intern (met namen)**")
            st.caption("Alleen voor intern gebruik: bevat namen. Niet aan de raad sturen.")
            st.download_button(f"{t.title} met namen (Excel)",
                               data=logged(partial(excel.table_xlsx, t, herkomst), f"{t.slug}_{stamp}.xlsx (intern)"),
                               file_name=f"{t.slug}_{stamp}.xlsx", mime=XLSX, on_click="ignore",
                               icon=":material/lock:", key=f"xlsx-{key}-intern")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
