"""Benchmark (`make bench`, part 2): building the raadspakket of the demo data.

- cold: `python -m stuurbord.export MAP` as a whole process (Python start-up, imports,
  browser start, every chart, PDF and Excel) — what a script or the first click pays;
- warm: `pack.build` again in one process with the browser already running — what a
  manager pays on the Raadspakket page after the first pack (the app keeps the browser);
- baseline, same run: a bare process that starts kaleido and renders one chart to PNG.
Target: the pack ≤ 10 s for the demo data. Median of BENCH_REPEAT (default 3) runs.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))
BASELINE = """
import kaleido, plotly.graph_objects as go
kaleido.start_sync_server(silence_warnings=True)
kaleido.calc_fig_sync(go.Figure(go.Bar(x=["a", "b"], y=[1, 2])), opts=dict(format="png"))
kaleido.stop_sync_server(silence_warnings=True)
"""


def timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    from etl.demo import load_demo
    from stuurbord.export import images, pack
    if not images.available():
        print("Raadspakket: overgeslagen, Chromium ontbreekt.")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        load_demo(db=db, log=lambda *_: None)
        env = {**os.environ, "STUURBORD_DB": str(db)}
        base, cold = [], []
        for _ in range(REPEAT):  # interleaved, so machine load hits both alike
            base.append(timed([sys.executable, "-c", BASELINE], env))
            cold.append(timed([sys.executable, "-m", "stuurbord.export", tmp], env))
        import duckdb
        con = duckdb.connect(str(db), read_only=True)
        pakket = pack.build(con)  # starts the browser
        warm = []
        for _ in range(REPEAT):
            pakket = pack.build(con)
            warm.append(pakket.seconds)
        con.close()
    b, c, w = statistics.median(base), statistics.median(cold), statistics.median(warm)
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in pakket.timings.items()).replace(".", ",")
    print(f"\nRaadspakket (demo, {pakket.pages} pagina's, {sum(len(s.figures) for s in pakket.sections)} grafieken), "
          f"mediaan van {REPEAT}:")
    print(f"  kaleido-start + 1 grafiek (basis) {b:6.2f} s")
    print(f"  pakket koud (heel proces)         {c:6.2f} s  = {c / b:4.2f} × basis   doel ≤ 10 s: "
          f"{'gehaald' if c <= 10 else 'NIET gehaald'}")
    print(f"  pakket warm (browser draait)      {w:6.2f} s  = {w / b:4.2f} × basis   ({parts})")


if __name__ == "__main__":
    main()
