"""Responsiveness of other sessions while one session validates a 50,000-row was/wordt-lijst.

Thread "other user": repeatedly runs a page through AppTest (pages/formatie.py, warm cache)
and, separately, a read-only DuckDB query; we record each latency.
Thread "upload": pipeline.read_file + finish (what the upload page does before the report).
Modes: baseline (no upload), thread (upload in a thread of this process), process (upload's
read_file in a spawn ProcessPoolExecutor worker, finish in this process).
Run:  .venv/bin/python bench/upload_latency.py   (REGULAR=1: the per-cell path of a messy file)
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("REPEAT", 4))
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def read_only(content, name):
    from etl import pipeline
    return pipeline.read_file(content, name, None)


def main():
    if os.environ.get("REGULAR"):  # force the per-cell (calamine) path, as for a messy file
        os.environ["STUURBORD_COLUMNAR_MIN_ROWS"] = str(10**9)
    from etl import pipeline, store
    from etl.demo import DEMO_DIR
    from run import make_wasword
    work = Path(tempfile.mkdtemp())
    db = work / "s.duckdb"
    os.environ["STUURBORD_DB"] = str(db)
    pipeline.load(DEMO_DIR / "organisatie.xlsx", user="b", db=db)
    pipeline.load(DEMO_DIR / "wasword-2021-06.xlsx", user="b", db=db)
    with store.reader(db) as con:
        eenheden = [r[0] for r in con.execute("SELECT eenheid FROM org_eenheid").fetchall()]
    xlsx = work / "ww50k.xlsx"
    make_wasword(xlsx, eenheden, 50_000)
    content = xlsx.read_bytes()
    print(f"file: {len(content) / 1e6:.1f} MB")

    def validate_thread():
        prep, sheets = pipeline.read_file(content, "ww50k.xlsx", None)
        with store.reader(db) as con:
            pipeline.finish(prep, sheets, con, None)
        return prep

    from stuurbord.data import upload as preview
    preview.ISOLATE_MIN_BYTES = 0
    t = time.perf_counter(); preview.read_file(b"PK", "x.xlsx"); print(f"cold worker (spawn + imports + tiny read): {time.perf_counter() - t:.2f} s")

    def validate_process():
        t0 = time.perf_counter()
        prep, sheets = preview.read_file(content, "ww50k.xlsx", None)
        t1 = time.perf_counter()
        with store.reader(db) as con:
            pipeline.finish(prep, sheets, con, None)
        return prep, t1 - t0, time.perf_counter() - t1

    # timings of the validation alone
    for label, fn in (("thread", validate_thread), ("process", validate_process)):
        ts = []
        for _ in range(3):
            t = time.perf_counter(); out = fn(); ts.append(time.perf_counter() - t)
        print(f"validation alone ({label}): median {statistics.median(ts):.2f} s {out if label == 'process' else ''}"[:160])
    t = time.perf_counter(); prep, sheets = pipeline.read_file(content, "ww50k.xlsx", None); tr = time.perf_counter() - t
    import pickle
    t = time.perf_counter(); blob = pickle.dumps((prep, sheets), protocol=5); tp = time.perf_counter() - t
    t = time.perf_counter(); pickle.loads(blob); tu = time.perf_counter() - t
    print(f"read_file {tr:.2f} s; pickled result {len(blob) / 1e6:.1f} MB, dumps {tp * 1000:.0f} ms, loads {tu * 1000:.0f} ms")

    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run(); at.switch_page("pages/formatie.py"); at.run()

    def page_once():
        t = time.perf_counter(); at.run(); return time.perf_counter() - t

    def query_once():
        t = time.perf_counter()
        with store.reader(db) as con:
            con.execute("SELECT * FROM fte_per_eenheid").fetchall()
        return time.perf_counter() - t

    for _ in range(5):
        page_once(); query_once()

    def measure(probe, upload):
        lat, stop = [], threading.Event()
        if upload is None:
            end = time.perf_counter() + 8
            while time.perf_counter() < end:
                lat.append(probe())
            return lat
        def runner():
            try:
                for _ in range(REPEAT):
                    upload()
            finally:
                stop.set()
        th = threading.Thread(target=runner); th.start()
        while not stop.is_set():
            lat.append(probe())
        th.join()
        return lat

    def show(label, lat):
        q = statistics.quantiles(lat, n=20)
        print(f"  {label:<28} n={len(lat):>4}  median {statistics.median(lat) * 1000:6.0f} ms  "
              f"p95 {q[18] * 1000:6.0f} ms  max {max(lat) * 1000:6.0f} ms")

    for pname, probe in (("page formatie (AppTest)", page_once), ("query fte_per_eenheid", query_once)):
        print(pname)
        show("no upload", measure(probe, None))
        show("upload validating (thread)", measure(probe, validate_thread))
        show("upload validating (process)", measure(probe, validate_process))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
