"""Gegevens laden: upload a workbook, see the validation report and what it changes, then
commit through the very pipeline of `python -m etl load` (pipeline.load: writer lock,
re-validation, one transaction). Nothing is written before Vastleggen."""
import functools
import hashlib
import logging

import streamlit as st

from etl import pipeline, store, templates
from etl.sheets import Issue
from etl.workbook import FileRefused, Limits, check_size
from stuurbord import data
from stuurbord.access import identity
from stuurbord.data import upload as upload_worker
from stuurbord.ui import diffview, fmt, safe, widgets
from stuurbord.domain import diff

widgets.page_guard()
log = logging.getLogger("stuurbord")
ss = st.session_state

st.title("Gegevens laden")
st.markdown("Laad een Excel-bestand (.xlsx of .xlsm, maximaal 25 MB). Stuurbord herkent de soort, controleert het "
            "bestand en laat zien wat er verandert. Er wordt niets opgeslagen voordat u op **Vastleggen** klikt. "
            "Dit is dezelfde verwerking als `python -m etl load`.")

with st.expander("Sjablonen: lege Excel-bestanden met de juiste kolommen", icon=":material/download:"):
    st.caption("Per soort een werkmap met de kolomkoppen uit het importcontract, keuzelijsten voor vaste waarden "
               "en een blad Toelichting dat elke kolom uitlegt. Vul hem in en laad hem hieronder.")
    for col, kind_name in zip(st.columns(len(widgets.KIND_LABELS)), widgets.KIND_LABELS):
        col.download_button(widgets.KIND_LABELS[kind_name], functools.partial(templates.template_bytes, kind_name),
                            file_name=templates.file_name(kind_name), key=f"sjabloon_{kind_name}",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            on_click="ignore", icon=":material/table_view:", width="stretch")

if done := ss.pop("upload_done", None):
    st.success(safe.md(done), icon=":material/check_circle:")

nonce = ss.setdefault("upload_nonce", 0)  # a new uploader after Vastleggen, Annuleren or a refusal
# Streamlit refuses a file over server.maxUploadSize (50 MB) itself, with an English tooltip; the
# contract's limit (25 MB) is checked below, so a file over it gets the Dutch refusal of the ETL.
# The drop zone would say "50MB per file": it says the contract's limit in Dutch instead (CSS on
# Streamlit's test ids; should they change, Streamlit's own text shows again).
max_mb = fmt.getal(Limits.from_env().max_file_bytes / 2**20)
zone = "[class*='st-key-bestand_'] [data-testid='stFileUploaderDropzoneInstructions']"
st.html(f"<style>{zone} span {{display: none}} {zone} > div::after {{content: 'Maximaal {max_mb} MB · .xlsx of "
        f".xlsm'; font-size: 0.875rem; opacity: 0.6}}</style>")
upload = st.file_uploader("Excel-bestand", type=["xlsx", "xlsm"], key=f"bestand_{nonce}",
                          help=f"Maximaal {max_mb} MB; een groter bestand wordt geweigerd.")
# format_func is a function of widgets, not a lambda of this page: Streamlit keeps a widget's
# format_func in the session, and a lambda keeps this page's namespace (the upload) with it
kind = st.selectbox("Soort gegevens", [None, *widgets.KIND_LABELS], key=f"soort_{nonce}",
                    format_func=widgets.kind_label)
upload_worker.warm_up()  # the worker process that reads large files (stuurbord/data/upload.py)
if upload is None:
    ss.pop("upload_cache", None)
    if "upload_refused" not in ss:
        st.stop()
else:
    ss.pop("upload_refused", None)  # a new file: the last refusal is history


def validate(peildatum):
    """read_file (a large file in a worker process) + finish against a read-only connection
    (writes nothing); cached per (file, kind, peildatum, stored versions) in the session, so
    reruns do not parse again and a load by someone else gives a fresh preview. The session
    keeps the Report and the diff, never the parsed file (upload.Report); what the check took
    is given back to the operating system at once."""
    key = (sha, upload.name, kind, peildatum, tuple(sorted((k, v["version"]) for k, v in data.versions().items())))
    cache = ss.setdefault("upload_cache", {})
    if key in cache:
        return cache[key]
    checked = _check(peildatum)
    upload_worker.release_memory()
    cache = {k: v for k, v in cache.items() if k[0] == sha}
    cache[key] = checked
    ss["upload_cache"] = cache
    return checked


def _check(peildatum):
    with st.status(f"'{safe.md(upload.name)}' controleren…", expanded=True) as status:
        st.write("Veiligheidscontrole en bladen lezen…")
        prep, sheets = upload_worker.read_file(upload.getvalue(), upload.name, kind)
        st.write("Regels controleren tegen de huidige gegevens…")
        try:
            with store.reader() as con:
                pipeline.finish(prep, sheets, con, peildatum)
                st.write("Verschillen met de huidige versie berekenen…")
                old = diff.stored_frames(con, prep.kind) if prep.ok and prep.built else None
        except store.StoreMissing:  # nothing loaded yet: the first version
            pipeline.finish(prep, sheets, None, peildatum)
            old = diff.stored_frames(None, prep.kind) if prep.ok and prep.built else None
        d = diff.diff(prep.kind, old, diff.built_frames(prep.built, prep.kind)) if old is not None else None
        status.update(label=f"'{safe.md(upload.name)}' gecontroleerd" if prep.ok else f"'{safe.md(upload.name)}' afgekeurd",
                      state="complete" if prep.ok else "error", expanded=False)
    return upload_worker.Report.of(prep), d


def report(prep) -> None:
    """All errors, warnings, skipped rows, unknown columns and sheets."""
    if prep.errors:
        n = len(prep.errors)
        st.error(f"'{safe.md(prep.file_name)}' is geweigerd: {fmt.aantal_tekst(n, 'fout', 'fouten')}. Er is niets "
                 "gewijzigd; verbeter het bestand en laad het opnieuw.", icon=":material/block:")
        st.subheader("Fouten")
        widgets.dutch_table(diff.issues_frame(prep.errors), {}, diffview.ISSUE_LABELS)
    unknown, other = diff.split_warnings(prep.warnings)
    if other:
        st.subheader("Waarschuwingen")
        widgets.dutch_table(diff.issues_frame(other), {}, diffview.ISSUE_LABELS)
    if unknown:
        st.subheader("Onbekende kolommen en bladen")
        st.caption("Deze kolommen en bladen staan niet in het importcontract en worden niet geladen.")
        widgets.dutch_table(diff.issues_frame(unknown), {}, diffview.ISSUE_LABELS)
    if prep.skipped:
        with st.expander(f"Overgeslagen rijen ({fmt.getal(len(prep.skipped))})"):
            widgets.dutch_table(diff.issues_frame(prep.skipped), {}, diffview.ISSUE_LABELS)


def kind_caption(prep, auto: bool) -> None:
    if prep.kind:
        st.caption(f"Soort: **{widgets.KIND_LABELS[prep.kind]}**" + (" (automatisch herkend)" if auto else ""))


def refuse(prep) -> None:
    """Keep the report of a refused file and let go of the file: its bytes, its uploader."""
    upload_worker.forget(upload)
    ss["upload_refused"] = (prep, kind is None)
    ss.pop("upload_cache", None)
    ss.pop(f"bestand_{nonce}", None)  # the old uploader's value holds the file's bytes until the session ends
    ss["upload_nonce"] = nonce + 1
    upload_worker.release_memory()  # the file's bytes were freed just now
    st.rerun()


if upload is None:  # only the report of the last refused file is left: the file itself has been let go
    prep, auto = ss["upload_refused"]
    kind_caption(prep, auto)
    report(prep)
    st.stop()
try:
    check_size(upload.size, Limits.from_env())  # before the bytes go anywhere
except FileRefused as exc:
    refuse(upload_worker.Report(upload.name, "", None, None, None, 0, [Issue(str(exc))]))

# No page global holds the file's bytes: the session keeps this module's namespace alive as long
# as a widget refers to it, so `upload.getvalue()` is called where the bytes are needed.
sha = hashlib.sha256(upload.getvalue()).hexdigest()
try:
    prep, d = validate(None)
    if prep.ok and prep.same_as_version is None:
        # a file that names no peildatum gets none by default: "today" would date last month's export
        # wrongly without anyone noticing, so the user must choose one before anything can be stored
        unknown = prep.peildatum_bron == "vandaag"
        chosen = st.date_input("Peildatum", value=None if unknown else prep.peildatum, format="DD-MM-YYYY",
                               key=f"peildatum_{nonce}_{sha[:12]}",
                               help="Niet in het bestand gevonden: kies de datum waarop de gegevens gelden."
                               if unknown else "Gevonden in het bestand; u kunt hem aanpassen.")
        if chosen is None:
            kind_caption(prep, kind is None)
            st.warning("Dit bestand noemt geen peildatum. Kies hierboven de datum waarop de gegevens gelden; "
                       "daarna ziet u wat er verandert en kunt u het vastleggen.", icon=":material/event:")
            st.stop()
        if chosen != prep.peildatum or unknown:
            prep, d = validate(chosen)
except store.StoreBusy:
    st.warning("Er wordt al een ander bestand geladen of hersteld; de gegevens zijn even niet te lezen. "
               "Probeer het over een minuut opnieuw.", icon=":material/hourglass_top:")
    st.stop()

if not prep.ok:
    refuse(prep)
kind_caption(prep, kind is None)
report(prep)

current = data.versions().get(prep.kind)
if prep.same_as_version is not None:
    extra = ("Dat is de huidige versie." if prep.same_is_current else
             "Die versie is niet meer de huidige; zet hem terug op de pagina **Versies**.")
    st.info(f"Dit bestand is al geladen als {widgets.KIND_LABELS[prep.kind]} versie {prep.same_as_version}; "
            f"het wordt niet nog een keer geladen. {extra}", icon=":material/content_copy:")
    st.stop()

st.subheader("Wat verandert er")
st.markdown(f"{fmt.getal(prep.rows)} rijen, {fmt.getal(len(prep.skipped))} overgeslagen, "
            f"{fmt.getal(len(prep.warnings))} waarschuwingen. Peildatum {fmt.datum(prep.peildatum)}. " +
            (f"Vergeleken met de huidige versie {current['version']} (peildatum {fmt.datum(current['peildatum'])})."
             if current else "Er is nog geen versie van deze soort: alles is nieuw."))
diffview.show(prep.kind, d, f"versie {current['version']}" if current else "nu", "nieuw", "upload")

st.caption(f"Wordt vastgelegd als **{safe.md(identity.current().shown())}** (van uw inlog).")
# the preview this click confirmed: if another session loaded this kind meanwhile, the diff above
# is new to the user, so the click only refreshes it (the commit validates against the store anyway)
shown = (sha, prep.kind, prep.peildatum, current["version"] if current else None)
confirmed, ss["upload_shown"] = ss.get("upload_shown"), shown
left, right = st.columns(2)
commit = left.button("Vastleggen", type="primary", key="vastleggen", icon=":material/save:")
cancel = right.button("Annuleren", key="annuleren", icon=":material/close:")

if cancel:
    ss.pop("upload_cache", None)
    ss.pop(f"bestand_{nonce}", None)  # the old uploader's value holds the file's bytes until the session ends
    ss["upload_nonce"] = nonce + 1
    ss["upload_done"] = "Geannuleerd: er is niets gewijzigd."
    st.rerun()

if commit and confirmed != shown:
    st.warning(f"Intussen is er een andere versie van {widgets.KIND_LABELS[prep.kind]} geladen"
               + (f" (nu versie {current['version']})" if current else "") + ". Hierboven staat wat er "
               "verandert ten opzichte van die versie. Controleer het en klik opnieuw op Vastleggen.",
               icon=":material/update:")
    st.stop()

if commit:
    who = identity.require(identity.LADEN)  # the role at the moment of writing, not when the page opened
    data.release()  # DuckDB refuses a writer while this process holds a read-only connection
    try:
        with store.write_lock(timeout=0):
            busy = False
    except store.StoreBusy:
        busy = True
    try:
        with st.spinner("Er wordt al een bestand geladen (door iemand anders of op de opdrachtregel). Zodra dat "
                        "klaar is, wordt dit bestand vastgelegd…" if busy else "Vastleggen…"):
            result = pipeline.load(upload.getvalue(), file_name=upload.name, kind=prep.kind,
                                   peildatum=prep.peildatum if prep.peildatum_bron == "opgegeven" else None,
                                   user=who)
    except store.StoreBusy:
        st.error("Er wordt al een ander bestand geladen of hersteld. Wacht tot dat klaar is en klik dan opnieuw "
                 "op Vastleggen; er is niets gewijzigd.", icon=":material/hourglass_top:")
        st.stop()
    except Exception:
        log.exception("Vastleggen van %s mislukt", upload.name)
        st.error("Vastleggen is mislukt; er is niets gewijzigd. Probeer het opnieuw; blijft het misgaan, meld het "
                 "dan aan de beheerder (de details staan in het serverlog).", icon=":material/error:")
        st.stop()
    if not result.ok:  # the store changed between preview and commit
        st.error("Bij het vastleggen bleek het bestand niet meer te passen bij de huidige gegevens; er is niets "
                 "gewijzigd.", icon=":material/block:")
        report(result.prepared)
        st.stop()
    ss.pop("upload_cache", None)
    ss.pop(f"bestand_{nonce}", None)  # the old uploader's value holds the file's bytes until the session ends
    ss["upload_nonce"] = nonce + 1
    ss["upload_done"] = (result.summary() if result.loaded else
                         f"Dit bestand is intussen al geladen als versie {result.version}; er is niets gewijzigd.")
    if busy and result.loaded:  # validated against what the other load left, which the preview did not show
        ss["upload_done"] += (" Er werd tegelijk een ander bestand geladen; vergelijk de versies op de pagina "
                              "Versies als dat dezelfde soort was.")
    st.rerun()
