#!/usr/bin/env python
"""Load check of the web app: requests per second and latency with concurrent clients on loopback.

Starts ``storyline serve`` in a subprocess on 127.0.0.1 (a free port), computes the story's brief
once (briefs are cached after the first request), then runs ``--clients`` concurrent httpx clients
for ``--requests`` requests per endpoint and prints, side by side:

* baseline: ``GET /api/health`` (a constant answer: the server and client overhead alone),
* ``GET /`` (the story list),
* ``GET /story/{id}`` (the story page, server-rendered),
* ``GET /api/stories/{id}/brief`` (the brief-v1 JSON).

Without ``--db`` it builds a temporary store from the bundled example corpus and uses its
biggest story. Usage::

    .venv/bin/python scripts/bench_web.py --clients 20 --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_example_store(folder: Path) -> Path:
    from storyline.cli import example_corpus_path
    from storyline.pipeline import ingest
    from storyline.store import Store

    db = folder / "bench.db"
    with Store(db) as store:
        ingest([str(example_corpus_path())], store)
    return db


def biggest_story(db: Path) -> str:
    from storyline.store import Store

    with Store(db, readonly=True) as store:
        rows = store.stories()
    if not rows:
        sys.exit(f"no stories in {db}")
    return str(max(rows, key=lambda r: r["n_articles"])["id"])


async def hammer(base: str, path: str, clients: int, total: int) -> tuple[list[float], float, int]:
    """``total`` GETs of ``path`` by ``clients`` concurrent clients: latencies, wall time, errors."""
    latencies: list[float] = []
    errors = 0
    remaining = total
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            t0 = time.perf_counter()
            r = await client.get(path)
            await r.aread()
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        wall = time.perf_counter() - t0
    return latencies, wall, errors


def summarize(latencies: list[float], wall: float, errors: int) -> dict[str, float]:
    """Requests per second and latency percentiles of one endpoint's runs."""
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="store to serve (default: the example corpus, built now)")
    ap.add_argument("--story", help="story id (default: the story with most articles)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    ap.add_argument("--rounds", type=int, default=4,
                    help="the endpoints take turns this many times, so load drift on a shared "
                    "machine hits them all alike")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyline-bench-web-") as tmp:
        db = args.db or build_example_store(Path(tmp))
        story = args.story or biggest_story(db)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        exe = Path(sys.executable).parent / "storyline"
        server = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port), "--no-warm"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    err = server.stderr.read().decode() if server.stderr else ""
                    sys.exit(f"the server did not start: {err}")
                time.sleep(0.2)
            t0 = time.perf_counter()
            httpx.get(f"{base}/api/stories/{story}/brief", timeout=600).raise_for_status()
            first = time.perf_counter() - t0
            endpoints = [
                ("baseline: GET /api/health", "/api/health"),
                ("story list: GET /", "/"),
                ("story page: GET /story/{id}", f"/story/{story}"),
                ("brief API: GET /api/stories/{id}/brief", f"/api/stories/{story}/brief"),
            ]
            runs: dict[str, tuple[list[float], float, int]] = {name: ([], 0.0, 0) for name, _ in endpoints}
            for warm_path in (p for _, p in endpoints):  # warm-up
                asyncio.run(hammer(base, warm_path, args.clients, min(100, args.requests)))
            per_round = max(args.clients, args.requests // args.rounds)
            for _round in range(args.rounds):
                for name, path in endpoints:
                    lat, wall, n_err = asyncio.run(hammer(base, path, args.clients, per_round))
                    old_lat, old_wall, old_err = runs[name]
                    runs[name] = (old_lat + lat, old_wall + wall, old_err + n_err)
            results = [(name, summarize(*runs[name])) for name, _ in endpoints]
            sizes = {name: len(httpx.get(base + path).content) for name, path in endpoints}
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"storyline web load check · {args.clients} concurrent clients · {per_round * args.rounds} "
          f"requests per endpoint in {args.rounds} interleaved rounds · story {story}")
    print(f"machine: {platform.platform()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"first brief request (computes the brief): {first:.2f} s")
    head = f"{'endpoint':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>7} {'errors':>6}"
    print(head)
    print("-" * len(head))
    base_rps = results[0][1]["rps"]
    for name, r in results:
        print(f"{name:44} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f} "
              f"{sizes[name] / 1024:7.1f} {int(r['errors']):6d}")
    print("ratios to the baseline (req/s): " + ", ".join(
        f"{name.split(':')[0]} {r['rps'] / base_rps:.2f}" for name, r in results[1:]))


if __name__ == "__main__":
    main()
