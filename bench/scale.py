"""Pages at scale and many sessions at once (issue #13), as ratios against baselines
measured in the same run:

1. page time (server side: rerun request to script_finished, one warm session, median of
   ROUNDS) per page on the demo (1x) and on `etl demo --scale 100` (100x): 100x / 1x;
2. 20 sessions opening every page at the same time on the 100x data, direct to one
   server: p95 per page and errors; p95 / the 1-session time;
3. the same through nginx with two replicas (deploy/replicas.py);
4. memory per extra session (server RSS before and after the 20 sessions);
5. a small real-browser run: Chromium from navigation to a finished page, 1x and 100x.

    python bench/scale.py [--scale 100] [--sessions 20] [--skip-browser] [--skip-replicas]

The 100x database is built once into bench/out/ (about half a minute) and reused.
Targets: page <= 300 ms at 100x (<= 100 ms at 1x) and <= 2x its 1x time; 20 sessions p95
<= 5 s with no error; <= 30 MB per session; browser <= 2,5 s per page.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "deploy"))

import sessions  # noqa: E402

ROUNDS = 5
PAGE_NAMES = {"": "overzicht"}


def _free_port(n: int = 1) -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n < 65000:
            return base


def build_db(scale: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"schaal-{scale}.duckdb"
    if not db.exists():
        t = time.perf_counter()
        cmd = [sys.executable, "-m", "etl", "demo", "--db", str(db)] + (["--scale", str(scale)] if scale > 1 else [])
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"  database {scale}x gebouwd in {time.perf_counter() - t:.0f} s ({db.stat().st_size / 1e6:.1f} MB)")
    return db


class Server:
    def __init__(self, db: Path) -> None:
        self.port = _free_port()
        env = dict(os.environ, STUURBORD_DB=str(db))
        self.proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port",
                                      str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).read()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_times(url: str, pid: int) -> tuple[dict[str, float], dict[str, float]]:
    """Warm server-side time per page, one session: median of ROUNDS after 2 warm-up rounds;
    and the server's CPU time per run of each page (ROUNDS runs of that page alone), which a
    busy shared machine disturbs far less than the wall time."""
    sessions.run(url, 1, rounds=2)  # fills the caches, imports, snapshot connection
    res = sessions.run(url, 1, rounds=ROUNDS)
    cpu = {}
    for name in sessions.PAGES:
        before = _cpu_seconds(pid)
        sessions.run(url, 1, pages=(name,), rounds=ROUNDS)
        cpu[PAGE_NAMES.get(name, name)] = (_cpu_seconds(pid) - before) / ROUNDS
    return {page: statistics.median(row["times"]) for page, row in res["pages"].items()}, cpu


def browser_times(url: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright
    out = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = b.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=60_000)
        for name in sessions.PAGES:
            times = []
            for _ in range(3):
                t = time.perf_counter()
                page.goto(f"{url}/{name}")
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1",
                                       timeout=60_000)
                times.append(time.perf_counter() - t)
            out[PAGE_NAMES.get(name, name)] = statistics.median(times)
        b.close()
    return out


def _status(ok: bool) -> str:
    return "ja" if ok else "NEE"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--skip-replicas", action="store_true")
    args = ap.parse_args(argv)
    ok = True
    print(f"Schaal en gelijktijdige sessies ({args.scale}x, {args.sessions} sessies)")
    small, big = build_db(1), build_db(args.scale)

    s1 = Server(small)
    try:
        t1, c1 = page_times(s1.url, s1.proc.pid)
        b1 = {} if args.skip_browser else browser_times(s1.url)
    finally:
        s1.stop()
    sN = Server(big)
    try:
        tN, cN = page_times(sN.url, sN.proc.pid)
        bN = {} if args.skip_browser else browser_times(sN.url)
        many = sessions.run(sN.url, args.sessions, pids=[sN.proc.pid])
    finally:
        sN.stop()

    print(f"\n1. Scripttijd per pagina (server, warm, mediaan van {ROUNDS}); doel <= 300 ms bij {args.scale}x, "
          "<= 100 ms bij 1x, <= 2x")
    print("  (cpu: de processortijd van de server per run, ongevoelig voor andere belasting van de machine)")
    print(f"  {'pagina':<16} {'1x':>8} {f'{args.scale}x':>8} {'verhouding':>10}  {'cpu 1x':>8} "
          f"{f'cpu {args.scale}x':>9} {'verhouding':>10}  doel")
    for page in t1:
        r, rc = tN[page] / t1[page], cN[page] / max(c1[page], 1e-3)
        good = tN[page] <= 0.300 and t1[page] <= 0.100 and r <= 2.0
        ok &= good
        print(f"  {page:<16} {t1[page] * 1000:>6.0f}ms {tN[page] * 1000:>6.0f}ms {r:>9.2f}x  "
              f"{c1[page] * 1000:>6.0f}ms {cN[page] * 1000:>7.0f}ms {rc:>9.2f}x  {_status(good)}")

    print(f"\n2. {args.sessions} sessies tegelijk op {args.scale}x, direct; doel p95 <= 5 s, geen fouten")
    print(f"  {'pagina':<16} {'mediaan':>8} {'p95':>8} {'p95/1 sessie':>13} {'fouten':>7}")
    for page, row in many["pages"].items():
        good = row["p95"] <= 5 and row["errors"] == 0
        ok &= good
        print(f"  {page:<16} {row['median']:>7.2f}s {row['p95']:>7.2f}s {row['p95'] / tN[page]:>12.1f}x "
              f"{row['errors']:>7}  {_status(good)}")
    per = many["mb_per_session"]
    ok &= per <= 30
    print(f"  geheugen: {many['rss_before_mb']:.0f} -> {many['rss_after_mb']:.0f} MB, {per:.1f} MB per sessie "
          f"(doel <= 30 MB: {_status(per <= 30)})")

    if not args.skip_replicas:
        import replicas
        run = OUT / "replicas"
        port = _free_port(4)
        info = replicas.start(2, port, "localhost", str(big), run=run)
        try:
            sessions.run(info["url"], 8, rounds=2)  # warm both replicas (sessions land on either)
            via = sessions.run(info["url"], args.sessions, pids=info["replica_pids"] + [info["nginx_pid"]])
        finally:
            replicas.stop(run)
        print(f"\n3. {args.sessions} sessies via nginx, 2 replica's; doel p95 <= 5 s, geen fouten")
        for page, row in via["pages"].items():
            good = row["p95"] <= 5 and row["errors"] == 0
            ok &= good
            print(f"  {page:<16} {row['median']:>7.2f}s {row['p95']:>7.2f}s {row['errors']:>7}  {_status(good)}")

    if b1:
        print("\n4. Chromium: van navigatie tot afgeronde pagina (mediaan van 3); doel <= 2,5 s")
        for page in b1:
            good = bN[page] <= 2.5
            ok &= good
            print(f"  {page:<16} 1x {b1[page]:.2f}s  {args.scale}x {bN[page]:.2f}s  {_status(good)}")
    print("\nAlle doelen gehaald." if ok else "\nNiet alle doelen gehaald (NEE hierboven).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
