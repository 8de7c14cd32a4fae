"""Versies: every load per kind, which one is current; compare two versions, restore an
older one (after confirmation, recorded as an event) and download the original file."""
import logging

import streamlit as st

from etl import pipeline, store
from stuurbord import data
from stuurbord.access import audit, identity
from stuurbord.data import queries
from stuurbord.domain import diff
from stuurbord.ui import diffview, fmt, safe, widgets

widgets.page_guard()
log = logging.getLogger("stuurbord")
ss = st.session_state

st.title("Versies")
st.markdown("Elke keer dat een bestand wordt geladen ontstaat een nieuwe versie. Eerdere versies blijven bewaard; "
            "u kunt ze vergelijken, terugzetten en het oorspronkelijke bestand downloaden.")
if done := ss.pop("versies_done", None):
    st.success(done, icon=":material/check_circle:")
if not data.versions():
    widgets.require("organisatie")


def _clear_confirm():
    ss.pop("restore_confirm", None)


@st.dialog("Versie terugzetten", on_dismiss=_clear_confirm)
def confirm_restore(kind: str, version: int, current: int) -> None:
    st.markdown(f"**{widgets.KIND_LABELS[kind]}**: versie {version} wordt weer de huidige versie (nu versie {current}). "
                "Elke pagina toont dan direct de gegevens van versie "
                f"{version}. Versie {current} blijft bewaard; het terugzetten wordt vastgelegd.")
    st.caption(f"Wordt vastgelegd als **{safe.md(identity.current().shown())}** (van uw inlog).")
    left, right = st.columns(2)
    if left.button("Ja, terugzetten", type="primary", key="restore_ja"):
        who = identity.require(identity.TERUGZETTEN)  # the role at the moment of writing
        data.release()  # DuckDB refuses a writer while this process holds a read-only connection
        try:
            pipeline.restore(kind, version, user=who)
        except store.StoreBusy:
            st.error("Er wordt al een ander bestand geladen of hersteld. Probeer het zo opnieuw; er is niets "
                     "gewijzigd.", icon=":material/hourglass_top:")
            return
        except Exception:
            log.exception("Terugzetten van %s versie %s mislukt", kind, version)
            st.error("Terugzetten is mislukt; er is niets gewijzigd. De details staan in het serverlog.",
                     icon=":material/error:")
            return
        _clear_confirm()
        ss["versies_done"] = f"{widgets.KIND_LABELS[kind]}: versie {version} is weer de huidige versie."
        st.rerun()
    if right.button("Annuleren", key="restore_nee"):
        _clear_confirm()
        st.rerun()


def label_of(part):
    return {r.version: f"versie {r.version} · peildatum {fmt.datum(r.peildatum)} · {safe.tekst(r.file_name)}"
            for r in part.itertuples()}


history = data.get(queries.versies)
for kind, label in widgets.KIND_LABELS.items():
    part = history[history["kind"] == kind]
    if part.empty:
        continue
    st.subheader(label)
    widgets.dutch_table(
        part[["version", "peildatum", "loaded_at", "loaded_by", "file_name", "rows", "is_current", "sha256"]].assign(
            is_current=part["is_current"].map({True: "huidig", False: ""}),
            sha256=part["sha256"].str[:12] + "…"),
        {"peildatum": "datum", "loaded_at": "tijdstip", "rows": "getal"},
        {"version": "Versie", "peildatum": "Peildatum", "loaded_at": "Geladen op", "loaded_by": "Door",
         "file_name": "Bestand", "rows": "Rijen", "is_current": "", "sha256": "SHA-256"})
    labels = label_of(part)
    options = part["version"].tolist()
    current = int(part.loc[part["is_current"], "version"].iloc[0]) if part["is_current"].any() else None

    c1, c2 = st.columns(2)
    with c1:
        chosen = st.selectbox("Versie", options, format_func=labels.get, key=f"versie_{kind}")
        row = part[part["version"] == chosen].iloc[0]
        st.download_button("Oorspronkelijk bestand downloaden",
                           audit.download(data.file_loader(row["sha256"]), identity.current(),
                                          f"oorspronkelijk bestand {row['file_name']}",
                                          {kind: int(chosen)}),
                           file_name=safe.tekst(row["file_name"]), mime="application/octet-stream", key=f"download_{kind}",
                           icon=":material/download:", on_click="ignore")
    with c2:
        st.markdown("&nbsp;")
        if st.button("Deze versie terugzetten…", key=f"restore_{kind}", disabled=chosen == current,
                     help="Alleen een versie die niet de huidige is." if chosen == current else None,
                     icon=":material/restore:"):
            ss["restore_confirm"] = (kind, int(chosen), current)

    # lazy expanders: their content runs only while open (a comparison costs ~50 ms per kind)
    compare = st.expander(f"Twee versies van {label.lower()} vergelijken", key=f"vergelijk_{kind}",
                          on_change="rerun") if len(options) >= 2 else None
    if compare is not None and compare.open:
        with compare:
            k1, k2 = st.columns(2)
            old = k1.selectbox("Oud", options, index=1, format_func=labels.get, key=f"cmp_oud_{kind}")
            new = k2.selectbox("Nieuw", options, index=0, format_func=labels.get, key=f"cmp_nieuw_{kind}")
            d = data.get(diff.version_diff, kind, int(old), int(new))
            diffview.show(kind, d, f"versie {old}", f"versie {new}", f"cmp_{kind}")

    events = st.expander("Gebeurtenissen (laden en terugzetten)", key=f"gebeurtenissen_{kind}", on_change="rerun")
    if events.open:
        with events:
            ev = data.get(queries.gebeurtenissen, kind)
            widgets.dutch_table(ev.assign(actie=ev["actie"].map({"load": "geladen", "restore": "teruggezet"})),
                           {"tijdstip": "tijdstip", "version": "getal",
                            "vorige_version": "getal"},
                           {"tijdstip": "Tijdstip", "door": "Door", "actie": "Actie", "version": "Versie",
                            "vorige_version": "Was versie"})

if pending := ss.get("restore_confirm"):
    confirm_restore(*pending)
