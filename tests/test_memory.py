"""Bounded memory (issue #12): a refused or abandoned upload keeps only its report in the
session, not the parsed file or its bytes, and repeated refused uploads do not grow the app
process. The figures for near-limit files are in `make bench` (bench/upload_memory.py)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import fixtures as fx
from etl import pipeline
from stuurbord.data import upload as upload_worker
from test_page_upload import upload, ww06_db  # noqa: F401 (fixtures)
from test_pages import run_page

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def _big_values(state) -> list[str]:
    """What in a session's state is or holds a file: bytes, an UploadedFile, a Prepared."""
    found = []

    def walk(v, where, depth=0):
        if depth > 6:
            return
        if isinstance(v, (bytes, bytearray, memoryview)) and len(v) > 10_000:
            found.append(f"{where}: {len(v)} bytes")
        elif isinstance(v, io.IOBase) or type(v).__name__ in ("UploadedFile", "Prepared", "Workbook"):
            found.append(f"{where}: {type(v).__name__}")
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, f"{where}[{k!r}]", depth + 1)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(x, f"{where}[{i}]", depth + 1)
    for key in state:
        walk(state[key], key)
    return found


def test_a_refused_upload_keeps_only_its_report_and_lets_go_of_the_file(ww06_db, tmp_path):  # noqa: F811
    sheets = fx.wasword_sheets()
    for row in sheets["Blad1"][1:4]:
        row[6] = "twaalf"  # Fte: no number -> refused
    data = fx.write_xlsx(tmp_path / "fout.xlsx", sheets).read_bytes()
    at = run_page("laden.py")
    upload(at, "fout.xlsx", data)
    errors = "\n".join(e.value for e in at.error)
    report, auto = at.session_state["upload_refused"]
    assert isinstance(report, upload_worker.Report) and auto and len(report.errors) >= 3
    assert f"is geweigerd: {len(report.errors)} fouten" in errors and "Er is niets gewijzigd" in errors
    assert len(at.dataframe[0].value) == len(report.errors)  # the report: every error with its cell
    assert at.file_uploader[0].value is None, "a new, empty uploader"
    assert not _big_values(at.session_state), _big_values(at.session_state)
    assert "bestand_0" not in at.session_state, "the old uploader's value (the file) is gone"
    at.run()  # the report stays until another file is chosen
    assert f"is geweigerd: {len(report.errors)} fouten" in "\n".join(e.value for e in at.error)
    upload(at, "wasword-2021-05.xlsx", (ROOT / "data" / "demo" / "wasword-2021-05.xlsx").read_bytes())
    assert "upload_refused" not in at.session_state and not at.error


def test_a_preview_keeps_its_report_and_diff_not_the_parsed_file(ww06_db):  # noqa: F811
    at = run_page("laden.py")
    upload(at, "wasword-2021-05.xlsx", (ROOT / "data" / "demo" / "wasword-2021-05.xlsx").read_bytes())
    cache = at.session_state["upload_cache"]
    (report, d), = cache.values()
    assert isinstance(report, upload_worker.Report) and report.ok and report.rows == 232
    kept = {k: at.session_state[k] for k in at.session_state if not k.startswith("bestand")}  # the uploader: for Vastleggen
    assert "upload_cache" in kept and not _big_values(kept), _big_values(kept)


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian chromium ontbreekt")
def test_repeated_refused_uploads_do_not_grow_the_app_process(tmp_path):
    """Six sessions each drop a 120.000-row was/wordt-lijst that is refused and stay open. The
    app process (and its upload worker) may grow for the first upload (buffers, imports), then
    by at most 20 MB per upload: before issue #12 each such upload kept ~40 MB (the parsed
    file and the bytes, held by the session) and grew the process by that much."""
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import upload_memory as bench
    from etl.demo import load_demo
    db = tmp_path / "demo.duckdb"
    load_demo(db=db, log=lambda *_: None)
    eenheden = [r[0] for r in fx.query(db, "SELECT eenheid FROM fte_per_eenheid")]
    xlsx = tmp_path / "geweigerd.xlsx"
    bench.make_refused_wasword(xlsx, eenheden, 120_000)
    assert pipeline.prepare(xlsx.read_bytes(), "x.xlsx").errors  # refused after reading it all
    samples = bench.measure(db, xlsx, 6, settle=2.0, log=lambda *_: None)
    total = [s["app"] + s["worker"] for s in samples]
    growth = total[-1] - total[1]
    assert growth <= 5 * bench.BOUND_PER_UPLOAD, \
        f"{growth / MB:.0f} MB na de eerste upload: {[round(t / MB) for t in total]}"
