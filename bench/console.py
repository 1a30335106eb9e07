"""How fast the console's community map appears and how smoothly it pans and zooms, in Chromium.

For each graph (the demo world, and a generated world of about 100k profiles) this loads the demo
generator's events through the real loader into a fresh embedded store, analyses them, serves the
app on loopback with uvicorn, and drives Debian's Chromium (Playwright, headless) to
``/console#/map`` with an API key already in the tab's session storage. It prints one row per view
and cache state:

- ``first paint``: the browser's first-contentful-paint (ms after navigation starts);
- ``map ready``: the map drawn (the view's first animation frame after its data arrived), ms after
  navigation starts. ``cold`` is the first map request after the server starts (the server reads the
  engagement projection and lays out the run: cached from then on), ``warm`` a reload;
- ``pan/zoom``: 30 wheel steps and 10 drags, scripted; the longest gap between animation frames and
  the long tasks (> 50 ms, PerformanceObserver 'longtask') seen meanwhile.

Run: ``.venv/bin/python bench/console.py`` (``--customers 75000 --communities 400`` is the ~100k
world; ``--skip-large`` for the demo only). Needs /usr/bin/chromium (``make browser``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "api" / "console"))

from console_browser import chromium, load_demo_world, served  # noqa: E402

from api.main import create_app  # noqa: E402
from graph.config import ApiKey, Settings  # noqa: E402
from graph.engines.falkordb import FalkorDBEngine  # noqa: E402
from graph.store import CypherGraphStore  # noqa: E402
from ingest.demo import DemoSize  # noqa: E402

KEY = "bench-key"

PAN_ZOOM = """
async () => {
  const canvas = document.querySelector('[data-testid=map-canvas]');
  const long = [];
  const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now(), worst = 0, frames = 0, running = true;
  const tick = (now) => { worst = Math.max(worst, now - last); last = now; frames++; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const rect = canvas.getBoundingClientRect();
  const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
  const wait = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  for (let i = 0; i < 30; i++) {
    canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 15 ? -120 : 120, clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
    await wait();
  }
  for (let d = 0; d < 10; d++) {
    canvas.dispatchEvent(new PointerEvent('pointerdown', { clientX: cx, clientY: cy, pointerId: 1, bubbles: true }));
    for (let step = 1; step <= 6; step++) {
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: cx + step * 15 * (d % 2 ? -1 : 1), clientY: cy + step * 8, pointerId: 1, bubbles: true }));
      await wait();
    }
    canvas.dispatchEvent(new PointerEvent('pointerup', { clientX: cx + 200, clientY: cy + 200, pointerId: 1, bubbles: true }));
    await wait();
  }
  running = false;
  observer.disconnect();
  return { worst, frames, longTasks: long.length, longest: long.length ? Math.max(...long) : 0 };
}
"""


def measure(context: Any, url: str) -> dict[str, float]:
    page = context.new_page()
    page.add_init_script(f"sessionStorage.setItem('rapport.apiKey', {KEY!r})")
    try:
        page.goto(url)
        page.wait_for_selector("body[data-map-ready='1']", timeout=600_000)
        paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
        ready = float(page.get_attribute("body", "data-map-ready-at"))
        nodes = page.evaluate("window.rapportMap.nodes.length")
        edges = page.evaluate("window.rapportMap.edgeBuckets.reduce((n, b) => n + b.length, 0)")
        interaction = page.evaluate(PAN_ZOOM)
        return {"paint": paint, "ready": ready, "nodes": nodes, "edges": edges, **interaction}
    finally:
        page.close()


def bench_world(label: str, size: DemoSize, folder: Path, context_dir: Path) -> list[str]:
    rows = []
    engine = FalkorDBEngine(graph_name="console_bench", data_dir=folder / "falkordb")  # owns its server
    with CypherGraphStore(engine) as store:
        engine.connect()
        store.ensure_schema()
        started = time.perf_counter()
        load_demo_world(store, size=size)
        built = time.perf_counter() - started
        profiles = store.counts().nodes.get("Profile", 0)
        print(f"# {label}: {profiles:,} profiles loaded and analysed in {built:.0f} s", flush=True)
        settings = Settings(api_keys=[ApiKey(key=KEY, role="read", name="bench")], data_dir=folder)
        with served(create_app(settings, store=store)) as base, chromium(context_dir) as context:
            overview = f"{base}/console#/map"
            for state in ("cold", "warm"):
                result = measure(context, overview)
                rows.append(row(label, profiles, "communities", state, result))
            largest = store.run("api.community_map_communities", {"run_id": _run_id(store), "top": 0})[0]
            result = measure(context, f"{base}/console#/map/{largest['community']}")
            rows.append(row(label, profiles, f"community {largest['community']} (top 200)", "warm", result))
    return rows


def _run_id(store: CypherGraphStore) -> str:
    return str(store.run("analysis.current_run")[0]["run"]["id"])


def row(label: str, profiles: int, view: str, state: str, r: dict[str, float]) -> str:
    return (
        f"| {label} | {profiles:,} | {view} | {state} | {r['nodes']:,} / {r['edges']:,} | {r['paint']:.0f} | "
        f"{r['ready']:.0f} | {r['worst']:.0f} | {r['longTasks']:.0f} ({r['longest']:.0f}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=75_000, help="customers of the large world")
    parser.add_argument("--communities", type=int, default=400, help="planted communities of the large world")
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}; "
        "Chromium headless, --disable-gpu (Canvas 2D in software)"
    )
    worlds = [("demo", DemoSize())]
    if not args.skip_large:
        worlds.append(("generated", DemoSize(customers=args.customers, communities=args.communities)))
    rows = []
    for label, size in worlds:
        with tempfile.TemporaryDirectory() as folder:
            rows += bench_world(label, size, Path(folder), Path(folder) / "chromium")
    print(
        "| graph | profiles | view | server cache | drawn nodes / edges | first paint ms | map ready ms "
        "| pan/zoom longest frame ms | long tasks (longest ms) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
