"""Shared page building blocks: headers, empty states, metrics, tables.
Pages compose these; they hold layout only."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from .. import data
from ..access import privacy
from . import fmt, safe, texts

KIND_LABELS = texts.KIND_LABELS
KIND_NEEDS = {
    "organisatie": "het formatiebestand (bladen Eenheden, Coaches en eventueel Opbouw)",
    "wasword": "de was/wordt-lijst (één rij per plaatsing)",
    "kpi": "het kpi-bestand (bladen Normen en Scores)",
    "opgaven": "het opgavenregister (blad Opgaven, eventueel Projecten, Mijlpalen, Capaciteit)",
}


FTE4 = partial(fmt.fte, decimals=4)  # fte as exported by HR (0,8889)


def kind_label(kind: str | None) -> str:
    """Option label of a "Soort gegevens" selectbox; None: detect the kind."""
    return "Automatisch herkennen" if kind is None else KIND_LABELS[kind]


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
    """Every chart goes through here: Dutch locale, PNG button with a sensible file name.
    modebar=False hides the toolbar (sparklines in a tile)."""
    config = fmt.plotly_config(name)
    if not modebar:
        config["displayModeBar"] = False
    st.plotly_chart(fig, config=config, width="stretch", key=key)


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


def metrics(items: list[tuple[str, str, str | None]], columns: int = 4) -> None:
    """A row (or rows) of st.metric: (label, value, help). All three are Markdown (Streamlit
    renders even the value as Markdown): data text in them goes through safe.md."""
    for start in range(0, len(items), columns):
        cols = st.columns(columns)
        for col, (label, value, help_text) in zip(cols, items[start:start + columns]):
            col.metric(label, value, help=help_text, border=True)


def dutch_table(df: pd.DataFrame, formats: dict, labels: dict[str, str] | None = None,
                height: int | str = "auto", **kwargs) -> None:
    """A table with every number formatted the Dutch way (as text, right-aligned), so the
    screen shows exactly what fmt shows everywhere else. formats: column -> fmt function name.
    Text cells go through safe.tekst (no bidirectional or invisible characters); a table cell
    never interprets Markdown or HTML."""
    shown = df.copy()
    for col, how in formats.items():
        if col in shown.columns:
            func = how if callable(how) else getattr(fmt, how)
            shown[col] = shown[col].map(func)
    for col in shown.columns:  # empty text cells stay empty (not "None")
        if col not in formats and (shown[col].dtype == object or pd.api.types.is_string_dtype(shown[col].dtype)):
            shown[col] = shown[col].map(lambda v: safe.tekst(v) if isinstance(v, str) else "" if fmt.is_missing(v) else v)
    if labels:
        shown = shown.rename(columns=labels)
    config = {labels.get(c, c) if labels else c: st.column_config.TextColumn(alignment="right")
              for c in formats if c in df.columns}
    if height == "auto" and len(shown) <= 25:
        height = 35 * (len(shown) + 1) + 3  # show every row of a short table, no inner scrollbar
    st.dataframe(shown, hide_index=True, column_config=config, height=height, width="stretch", **kwargs)


def personal_table(df: pd.DataFrame, formats: dict, labels: dict[str, str]) -> None:
    """The one function that renders tables with personal columns; gated by role."""
    if not privacy.may_see_personal_data():
        df = privacy.without_personal(df)
        st.caption("Namen en personeelsnummers zijn verborgen voor uw rol.")
    dutch_table(df, formats, labels)


def exports(key: str, build, *args, intern=None) -> None:
    """The "Exporteren" button of a view: Excel and CSV per table, PNG per chart, all for the
    raad (aggregates, no names, small numbers suppressed; see stuurbord.export). Lazy twice:
    the section is built only when the popover is opened (`data.get(build, *args)`: pass
    frames as `data.ref(...)`, so nothing is computed before), each file only when clicked (the
    download runs the callable in its own thread). `intern`: (build, *args) of a table with
    names, offered only to roles that may see personal data."""
    from ..export import csvfile, excel, images
    from ..export.table import Herkomst

    pop = st.popover("Exporteren", icon=":material/download:", key=f"export-{key}", on_change="rerun")
    if not pop.open:
        return
    with pop:
        section = data.get(build, *args)
        herkomst = Herkomst.of(data.versions(), section.kinds)
        st.caption(f"Voor de raad: totalen zonder namen; cijfers van minder dan {privacy.DREMPEL} personen staan er "
                   f"als {safe.md(privacy.ONDERDRUKT)} in, een cijfer dat alleen is weggelaten om zo’n cijfer te "
                   f"beschermen als {safe.md(privacy.AANVULLEND)}. Versies en peildatum staan in elk bestand.")
        stamp = herkomst.stamp()
        for t in section.tables:
            st.markdown(f"**{safe.md(t.title)}**")
            c1, c2 = st.columns(2)
            c1.download_button("Excel", data=partial(excel.table_xlsx, t, herkomst), file_name=f"{t.slug}_{stamp}.xlsx",
                               mime=XLSX, on_click="ignore", icon=":material/table_view:", key=f"xlsx-{key}-{t.slug}")
            c2.download_button("CSV", data=partial(csvfile.csv_bytes, t), file_name=f"{t.slug}_{stamp}.csv",
                               mime="text/csv", on_click="ignore", icon=":material/csv:", key=f"csv-{key}-{t.slug}")
        if section.figures:
            images.warm_up()
            st.markdown("**Grafieken (PNG)**")
            if not images.available():
                st.info(images.MELDING, icon=":material/image_not_supported:")
            for f in section.figures:
                st.download_button(safe.md(f.title), data=partial(images.png, f.fig, f.title, herkomst, note=f.note),
                                   file_name=safe.bestandsnaam(f"{f.slug}_{stamp}.png"), mime="image/png", on_click="ignore",
                                   icon=":material/image:", disabled=not images.available(), key=f"png-{key}-{f.slug}")
        if intern is not None and privacy.may_see_personal_data():
            t = data.get(*intern)
            st.markdown("**Intern (met namen)**")
            st.caption("Alleen voor intern gebruik: bevat namen. Niet aan de raad sturen.")
            st.download_button(f"{t.title} met namen (Excel)", data=partial(excel.table_xlsx, t, herkomst),
                               file_name=f"{t.slug}_{stamp}.xlsx", mime=XLSX, on_click="ignore",
                               icon=":material/lock:", key=f"xlsx-{key}-intern")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
