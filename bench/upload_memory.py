"""Benchmark (`make bench`, part 3): the app's memory after repeated near-limit uploads that
are refused (issue #12: three of them grew the app process from 1,25 to 3,14 GB, freed only
when the sessions expired).

Setup: a real `streamlit run app.py` on a copy of the demo store, and Debian's Chromium
(Playwright). Each upload is a new browser session that opens Gegevens laden, drops a
near-limit was/wordt-lijst that is refused (UPLOAD_ROWS rows, ~7 MB, ~190 MiB unpacked,
12 errors), waits for the report and then stays open, as an abandoned tab does. After each
report (and 2 s to settle) the resident memory (RSS) of the app process and of its upload
worker is read from /proc.

Printed: the memory before the first upload, after 1, 3 and UPLOADS (default 10) uploads,
the growth per upload after the first, and the ratio to the first upload's growth; and the
bound that the memory test asserts (tests/test_memory.py). Figures, not a timed test. `make
bench` runs it with MALLOC_ARENA_MAX=2, as `make run` runs the app.
Run alone: .venv/bin/python bench/upload_memory.py [--uploads N] [--rows N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ROWS = int(os.environ.get("UPLOAD_ROWS", 450_000))
UPLOADS = int(os.environ.get("UPLOADS", 10))
MB = 1024 * 1024
PER_UPLOAD = 10 * MB  # target: what a refused upload leaves behind in the app, after the first
BOUND_PER_UPLOAD = 20 * MB  # the bound tests/test_memory.py asserts, generously (noise of the allocator)


def make_refused_wasword(path: Path, eenheden: list[str], rows: int, errors: int = 12) -> None:
    """A was/wordt-lijst of `rows` rows whose XML is large (inline strings) and compresses
    well, with `errors` cells that are no number: refused after it has been read entirely."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Was-wordt")
    ws.write_row(0, 0, ["Personeelsnummer", "Naam", "Huidige functie", "Nieuwe functie", "Eenheid", "Schaal", "Fte",
                        "Plaatsingsvorm"])
    bad = {rows * (k + 1) // (errors + 1) for k in range(errors)}
    for i in range(1, rows + 1):
        ws.write_row(i, 0, [f"{i:06d}", f"Medewerker {i:06d}", "Medewerker", "Adviseur", eenheden[i % len(eenheden)],
                            8, "twaalf" if i in bad else 1, "functievolgend"])
    wb.close()


def unpacked(path: Path) -> int:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


def rss(pid: int) -> int:
    """Resident memory of a process in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
         "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "STUURBORD_DB": str(db), "STUURBORD_USER": "bench"},
        stdout=open(os.environ["BENCH_SERVER_LOG"], "w") if os.environ.get("BENCH_SERVER_LOG") else subprocess.DEVNULL,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("Streamlit kwam niet op")


def measure(db: Path, upload: Path, uploads: int, settle: float = 2.0, log=print) -> list[dict]:
    """RSS of the app process and its worker: before, and after each refused upload's report
    (each in its own browser session, left open)."""
    from playwright.sync_api import sync_playwright
    proc, url = start_server(db)
    samples = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
            pages = []

            def sample(n):
                worker = sum(rss(c) for c in children(proc.pid))
                samples.append({"uploads": n, "app": rss(proc.pid), "worker": worker})
                log(f"  na {n:>2} uploads: app {rss(proc.pid) / MB:>7.0f} MB, werkproces {worker / MB:>6.0f} MB")

            page = browser.new_page()
            page.goto(f"{url}/laden")
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=60_000)
            time.sleep(settle)
            sample(0)
            for n in range(1, uploads + 1):
                page = browser.new_context().new_page()  # a new session, like another user or tab
                page.goto(f"{url}/laden")
                page.wait_for_selector("[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=60_000)
                page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(upload))
                page.wait_for_function("document.querySelector(\"[data-testid='stMain']\").innerText"
                                       ".includes('geweigerd')", timeout=300_000)
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
                pages.append(page)  # left open: an abandoned tab keeps its session
                time.sleep(settle)
                sample(n)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return samples


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=UPLOADS)
    ap.add_argument("--rows", type=int, default=ROWS)
    ap.add_argument("--keep", metavar="DIR", help="keep the workbook and the store in DIR")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print("Geheugen na geweigerde uploads: overgeslagen (Chromium ontbreekt).")
        return 0
    from etl.demo import load_demo
    from etl import store
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        db = work / "demo.duckdb"
        if not db.exists():
            load_demo(db=db, log=lambda *_: None)
        with store.reader(db) as con:
            eenheden = [r[0] for r in con.execute("SELECT eenheid FROM fte_per_eenheid").fetchall()]
        upload = work / f"geweigerd-{args.rows}.xlsx"
        if not upload.exists():
            make_refused_wasword(upload, eenheden, args.rows)
        size, inner = upload.stat().st_size, unpacked(upload)
        print(f"\nGeheugen na geweigerde uploads — {nl(args.rows)} rijen, {nl(size / 1e6, 1)} MB, "
              f"{nl(inner / MB)} MiB uitgepakt, 12 fouten; elke upload in een eigen sessie die open blijft "
              f"(MALLOC_ARENA_MAX={os.environ.get('MALLOC_ARENA_MAX', 'niet gezet')})")
        samples = measure(db, upload, args.uploads)
    total = [s["app"] + s["worker"] for s in samples]
    base, first = total[0], total[1] - total[0]
    per = (total[-1] - total[1]) / max(len(samples) - 2, 1)
    print(f"  de eerste upload: +{nl(first / MB)} MB (app +{nl((samples[1]['app'] - samples[0]['app']) / MB)}, "
          f"werkproces +{nl((samples[1]['worker'] - samples[0]['worker']) / MB)}: buffers en imports die blijven)")
    for n in sorted({3, args.uploads}):
        if n < len(samples):
            print(f"  na {n:>2} uploads: +{nl((total[n] - base) / MB):>4} MB boven het begin "
                  f"({nl((total[n] - base) / max(first, 1), 2)} × de eerste upload)")
    print(f"  groei per volgende upload: {nl(per / MB, 1)} MB")
    bound = first + BOUND_PER_UPLOAD * (len(samples) - 2)
    results = [("groei per geweigerde upload", f"{nl(per / MB, 1)} MB (doel ≤ {nl(PER_UPLOAD / MB)})", per <= PER_UPLOAD),
               (f"na {len(samples) - 1} uploads", f"+{nl((total[-1] - base) / MB)} MB (grens: eerste upload + "
                f"{nl(BOUND_PER_UPLOAD / MB)} MB per volgende = {nl((bound) / MB)} MB)", total[-1] - base <= bound)]
    print("\nResultaat")
    for name, text, ok in results:
        print(f"  {'OK ' if ok else 'NEE'} {name:28} {text}")
    return 0


def nl(x: float, decimals: int = 0) -> str:
    """A figure the Dutch way (bench output): 450.000, 14,4."""
    return f"{x:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


if __name__ == "__main__":
    sys.exit(main())
