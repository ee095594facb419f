"""SQLite under several writers: gunicorn (4 workers) on a SQLite file, 10 planners saving programme items and
100 readers polling calendar feeds and guest pages, for a bounded time. No request may fail, and none may
meet "database is locked".

    .venv/bin/python benchmarks/load_sqlite_writers.py                 # 60 s, 10 writers, 100 readers
    .venv/bin/python benchmarks/load_sqlite_writers.py --seconds 20    # shorter

Reuses benchmarks/load.py (database preparation, HTTP client, gunicorn start and stop, report). Everything
runs on 127.0.0.1 in a temporary folder (demo data, throwaway database). Bounded: the run stops after
--seconds or --max-requests, whichever comes first; every request has a 60 s timeout. Exit status 1 when
any request failed or the server logged "database is locked" or a traceback.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (benchmarks/load.py)


def add_guest_links(url: str) -> list[str]:
    """One guest link for every demo delegation; the tokens, to be opened at /p/<token>."""
    from sqlalchemy import select

    from delegations import create_app
    from delegations.extensions import db
    from delegations.models import Delegation
    from delegations.printing import guest_links

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-setup"})
    with app.app_context():
        found = []
        for delegation in db.session.scalars(select(Delegation).order_by(Delegation.id)):
            if guest_links.active_link(delegation.id) is None:
                found.append(guest_links.create_link(delegation, None, "benchmark-setup").token)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return found


def writer_loop(port: int, email: str, items: list[tuple[int, int]], shared: tuple[int, int],
                recorder: load.Recorder, stop: threading.Event, think: float) -> None:
    """A planner opens programme items and saves them with a changed title (one in ten the item all share)."""
    browser = load.Browser(port, recorder)
    browser.log_in(email)
    rng = random.Random(email)
    count = 0
    while not stop.is_set():
        delegation_id, item_id = shared if rng.random() < 0.1 else rng.choice(items)
        edit = f"/delegations/{delegation_id}/items/{item_id}/edit"
        status, page, _headers = browser.request("writer: open item", "GET", edit)
        if status != 200:
            continue
        stop.wait(think * rng.uniform(0.5, 1.5))  # reading and typing
        marker = f'action="{edit}"'
        fields = load.form_fields(page, marker) if marker in page else load.form_fields(page, 'name="title"')
        if "title" not in fields:
            continue
        count += 1
        fields["title"] = re.sub(r" \(\d+\)$", "", fields["title"]) + f" ({count})"
        status, text, _headers = browser.request("writer: save item", "POST", edit, fields, expect=(200, 302))
        with recorder.lock:
            recorder.saves += 1
            if status == 200 and "Someone else saved this record" in text:
                recorder.conflicts += 1  # optimistic locking at work: not an error
            elif status == 200:
                browser.last_sample.error = "save refused: " + " ".join(re.sub(r"<[^>]+>", " ", (re.findall(
                    r'class="kern-error"[^>]*>(.*?)</p>', text, re.S) or ["?"])[0]).split())[:120]


def reader_loop(port: int, paths: list[str], recorder: load.Recorder, stop: threading.Event, think: float,
                seed: int) -> None:
    """Polls feeds (half of them with If-None-Match, as calendar clients do) and opens guest pages."""
    rng = random.Random(seed)
    browser = load.Browser(port, recorder)
    etags: dict[str, str] = {}
    while not stop.is_set():
        path = rng.choice(paths)
        if path.startswith("/feeds/"):
            headers = {"If-None-Match": etags[path]} if path in etags and rng.random() < 0.5 else {}
            _status, _text, response_headers = browser.request("reader: feed", "GET", path, headers=headers,
                                                               expect=(200, 304))
            if response_headers.get("etag"):
                etags[path] = response_headers["etag"]
        else:
            browser.request("reader: guest page", "GET", path, expect=(200,))
        stop.wait(think * rng.uniform(0.5, 1.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--feeds", type=int, default=50, help="feed links the readers share")
    parser.add_argument("--think", type=float, default=0.2, help="seconds a writer spends on a form")
    parser.add_argument("--reader-pause", type=float, default=0.5, help="seconds between two reads of one reader")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop early after this many requests")
    arguments = parser.parse_args()
    # What load.report() prints in its title.
    arguments.planners, arguments.subscribers, arguments.interval = arguments.writers, arguments.readers, arguments.reader_pause

    with tempfile.TemporaryDirectory(prefix="delegations-sqlite-writers-") as folder:
        url = "sqlite:///" + os.path.join(folder, "load.db")
        print("Preparing SQLite database (demo data) ...", flush=True)
        fixture = load.prepare_database(url, arguments.feeds, arguments.writers, True)
        paths = [f"/feeds/{token}.ics" for token in fixture.feed_tokens]
        paths += [f"/p/{token}" for token in add_guest_links(url)] * max(1, len(paths) // 10)
        port = load.free_port()
        log = Path(folder) / "gunicorn.log"
        process = load.start_gunicorn(url, port, arguments.workers, log)
        recorder, stop = load.Recorder(), threading.Event()
        elapsed = cpu = 0.0
        try:
            load.warm_up(port, fixture, arguments.workers)
            cpu_before = load.server_cpu_seconds(process)
            threads = []
            items, shared = fixture.items, fixture.items[0]
            for number, email in enumerate(fixture.planners):
                own = items[1 + number::len(fixture.planners)] or items
                threads.append(threading.Thread(target=writer_loop, daemon=True, args=(
                    port, email, own, shared, recorder, stop, arguments.think)))
            for number in range(arguments.readers):
                threads.append(threading.Thread(target=reader_loop, daemon=True, args=(
                    port, paths, recorder, stop, arguments.reader_pause, number)))
            print(f"Running {arguments.writers} writers and {arguments.readers} readers for {arguments.seconds:g} s "
                  f"against gunicorn ({arguments.workers} workers) on http://127.0.0.1:{port} ...", flush=True)
            started = time.monotonic()
            for thread in threads:
                thread.start()
            deadline = started + arguments.seconds
            while time.monotonic() < deadline and len(recorder.samples) < arguments.max_requests:
                time.sleep(0.2)
            stop.set()
            for thread in threads:
                thread.join(timeout=70)
            elapsed = time.monotonic() - started
            cpu = load.server_cpu_seconds(process) - cpu_before
        finally:
            stop.set()
            load.stop_gunicorn(process)
        log_text = log.read_text()
        status = load.report(recorder, elapsed, "SQLite (WAL, BEGIN IMMEDIATE, busy_timeout)", log_text, arguments)
        locked = sum("database is locked" in sample.error for sample in recorder.samples)
        print(f"'database is locked': {locked} responses, {log_text.count('database is locked')} server log lines")
        load_average = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
        print(f"server CPU: {cpu:.1f} s ({cpu * 1000 / max(len(recorder.samples), 1):.1f} ms per request); "
              f"machine: {os.cpu_count()} CPUs, load average {load_average}")
        return status


if __name__ == "__main__":
    sys.exit(main())
