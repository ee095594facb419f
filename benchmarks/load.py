"""Load test: gunicorn (4 workers) on 127.0.0.1, planners editing programme items while calendar
subscribers poll their feeds, for a bounded time. Reports requests/s, p50/p95/p99 latency and errors.

    .venv/bin/python benchmarks/load.py                      # SQLite in a temporary folder
    .venv/bin/python benchmarks/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5433/bench --reset

The database is filled with the demo data, 5 planner accounts and 200 feed links (when the feeds module
is installed; otherwise the "subscribers" poll the overview as logged-in viewers). With --reset the
given database is emptied first: use a throwaway one. Exit status 1 when any request failed.
"""
from __future__ import annotations

import argparse
import heapq
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench-Planner-Passphrase-2026"
FIELD_INPUT = re.compile(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', re.S)
FIELD_SELECT = re.compile(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', re.S)
FIELD_TEXTAREA = re.compile(r'<textarea[^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', re.S)
SELECTED = re.compile(r'<option[^>]*?value="([^"]*)"[^>]*?selected|<option[^>]*?selected[^>]*?value="([^"]*)"')


# Preparing the database ------------------------------------------------------------------------

@dataclass
class Fixture:
    planners: list[str]
    items: list[tuple[int, int]]  # (delegation id, item id)
    feed_tokens: list[str]
    viewers: list[str]


def prepare_database(url: str, subscribers: int, planners: int, reset: bool) -> Fixture:
    os.environ.pop("DELEGATIONS_ENV", None)
    from sqlalchemy import inspect, select

    from delegations import create_app
    from delegations.auth.operations import create_user
    from delegations.constants import Role
    from delegations.demo import load_demo
    from delegations.extensions import db
    from delegations.models import Delegation, Principal, ProgrammeItem

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-setup"})
    with app.app_context():
        if inspect(db.engine).get_table_names():
            if not reset:
                sys.exit(f"{url} holds tables already; pass --reset to empty it (a throwaway database only)")
            db.drop_all()
        db.create_all()
        load_demo()
        db.session.commit()
        emails = []
        for number in range(1, planners + 1):
            email = f"bench-planner{number}@example.org"
            create_user(email, PASSWORD, Role.PLANNER, name=f"Bench Planner {number}", locale="en")
            emails.append(email)
        viewers = []
        db.session.commit()
        items = [(item.delegation_id, item.id) for item in db.session.scalars(
            select(ProgrammeItem).join(Delegation).order_by(ProgrammeItem.id))]
        tokens = []
        try:
            from delegations.feeds import tokens as feed_tokens
            from delegations.models import FeedDetail
        except ImportError:
            feed_tokens = None
        if feed_tokens is not None:
            scopes = ["mayor", "all"] + [f"delegation:{visit_id}" for visit_id in
                                         db.session.scalars(select(Delegation.id))] + \
                     [f"principal:{principal_id}" for principal_id in db.session.scalars(select(Principal.id))]
            for number in range(subscribers):
                scope, target = feed_tokens.parse_scope(scopes[number % len(scopes)])
                detail = FeedDetail.PUBLIC if number % 2 else FeedDetail.INTERNAL
                issued = feed_tokens.issue_feed(scope, target, detail, f"Subscriber {number}", locale="de")
                tokens.append(issued.token)
        else:
            for number in range(1, min(subscribers, 20) + 1):
                email = f"bench-viewer{number}@example.org"
                create_user(email, PASSWORD, Role.VIEWER, name=f"Viewer {number}", locale="en")
                viewers.append(email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return Fixture(planners=emails, items=items, feed_tokens=tokens, viewers=viewers)


# A small HTTP client -------------------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    seconds: float
    status: int
    error: str = ""


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    conflicts: int = 0
    saves: int = 0

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """Cookies and CSRF tokens for one user; a new connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port: int, recorder: Recorder):
        self.port, self.recorder, self.cookies = port, recorder, {}

    def request(self, kind: str, method: str, path: str, form: dict | None = None,
                headers: dict | None = None, expect=(200, 302)) -> tuple[int, str, dict]:
        body = urlencode(form or {}, doseq=True) if form is not None else None
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            response_headers = {name.lower(): value for name, value in response.getheaders()}
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name] = rest.split(";", 1)[0]
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(Sample(kind, time.perf_counter() - started, 0, f"{type(error).__name__}: {error}"))
            return 0, "", {}
        elapsed = time.perf_counter() - started
        error = ""
        if status not in expect:
            error = f"HTTP {status} on {method} {path}"
        if "database is locked" in text:
            error = "database is locked"
        self.last_sample = Sample(kind, elapsed, status, error)
        self.recorder.add(self.last_sample)
        return status, text, response_headers

    def log_in(self, email: str) -> None:
        _status, page, _headers = self.request("login page", "GET", "/login")
        status, _text, _headers = self.request("login", "POST", "/login", {
            "email": email, "password": PASSWORD, "csrf_token": csrf_token(page)}, expect=(302,))
        if status != 302:
            raise RuntimeError(f"login of {email} failed with {status}")


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return match.group(1) if match else ""


def form_fields(page: str, action_marker: str) -> dict:
    """The fields of the form on `page` whose action contains `action_marker` (the edit form)."""
    start = page.find(action_marker)
    chunk = page[page.rfind("<form", 0, start): page.find("</form>", start)] if start >= 0 else page
    fields: dict[str, str] = {}
    for name, value in FIELD_INPUT.findall(chunk):
        fields.setdefault(name, value)
    for name, options in FIELD_SELECT.findall(chunk):
        chosen = SELECTED.search(options)
        fields[name] = (chosen.group(1) or chosen.group(2) or "") if chosen else ""
    for name, text in FIELD_TEXTAREA.findall(chunk):
        fields[name] = text.strip()
    return fields


def shifted(local: str, minutes: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.strptime(local, "%Y-%m-%dT%H:%M") + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


# The users -------------------------------------------------------------------------------------------

def planner_loop(port: int, email: str, items: list[tuple[int, int]], shared: tuple[int, int], recorder: Recorder,
                 stop: threading.Event, think: float) -> None:
    browser = Browser(port, recorder)
    browser.log_in(email)
    rng = random.Random(email)
    direction = 5
    while not stop.is_set():
        delegation_id, item_id = shared if rng.random() < 0.1 else rng.choice(items)
        browser.request("planner: visit page", "GET", f"/delegations/{delegation_id}")
        edit = f"/delegations/{delegation_id}/items/{item_id}/edit"
        status, page, _headers = browser.request("planner: open item", "GET", edit)
        if status != 200:
            continue
        time.sleep(think * rng.uniform(0.5, 1.5))  # reading and typing
        fields = form_fields(page, f'action="{edit}"') if f'action="{edit}"' in page else form_fields(page, 'name="title"')
        if "starts_at" not in fields:
            continue
        fields["starts_at"], fields["ends_at"] = shifted(fields["starts_at"], direction), shifted(fields["ends_at"], direction)
        direction = -direction  # back and forth: items stay inside the stay
        status, text, _headers = browser.request("planner: save item", "POST", edit, fields, expect=(200, 302))
        with recorder.lock:
            recorder.saves += 1
            if status == 200 and "Someone else saved this record" in text:
                recorder.conflicts += 1  # optimistic locking at work: not an error
            elif status == 200:
                browser.last_sample.error = "save refused: " + (re.findall(r'class="kern-error"[^>]*>(.*?)</p>', text, re.S) or ["?"])[0][:120]
        browser.request("planner: overview", "GET", "/")


def subscriber_pool(port: int, tokens: list[str], viewers: list[str], interval: float, threads: int,
                    recorder: Recorder, stop: threading.Event) -> list[threading.Thread]:
    """Every subscriber polls every `interval` seconds (spread evenly), served by a bounded pool of threads."""
    now = time.monotonic()
    if tokens:
        subscribers = [(now + interval * number / len(tokens), number, f"/feeds/{token}.ics") for number, token in enumerate(tokens)]
    else:
        subscribers = [(now + interval * number / len(viewers), number, "/") for number in range(len(viewers))]
    heapq.heapify(subscribers)
    queue_lock = threading.Lock()
    etags: dict[int, str] = {}
    viewer_browsers: dict[int, Browser] = {}
    if not tokens:
        for number, email in enumerate(viewers):
            viewer_browsers[number] = Browser(port, recorder)
            viewer_browsers[number].log_in(email)

    def work():
        plain = Browser(port, recorder)
        while not stop.is_set():
            with queue_lock:
                due, number, path = heapq.heappop(subscribers)
            wait = due - time.monotonic()
            if wait > 0:
                stop.wait(wait)
            if stop.is_set():
                break
            if tokens:
                # Half the clients ask "changed since?" (ETag), as Thunderbird and Apple Calendar do.
                headers = {"If-None-Match": etags[number]} if number % 2 and number in etags else {}
                _status, _text, response_headers = plain.request("subscriber: feed", "GET", path, headers=headers,
                                                                 expect=(200, 304))
                if response_headers.get("etag"):
                    etags[number] = response_headers["etag"]
            else:
                viewer_browsers[number].request("viewer: overview", "GET", path)
            with queue_lock:
                heapq.heappush(subscribers, (due + interval, number, path))

    pool = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    return pool


# Gunicorn --------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    environment = dict(os.environ, DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), DELEGATIONS_ENV="production",
                       SECURE_COOKIES="0",  # plain HTTP on 127.0.0.1: the cookies must travel without TLS
                       RATELIMIT_STORAGE_URI="memory://")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT),
         "--timeout", "60", "--log-level", "warning", "wsgi:app"],
        env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.kill()
    sys.exit(f"gunicorn did not start; its log:\n{log.read_text()}")


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far: a figure that other load on the
    machine does not inflate, unlike latencies."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == process.pid:  # process group of the master (start_new_session)
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def warm_up(port: int, fixture: Fixture, workers: int) -> None:
    """Every worker compiles its templates and loads its translations before the clock starts."""
    scratch = Recorder()
    browser = Browser(port, scratch)
    browser.log_in(fixture.planners[0])
    delegation_id, item_id = fixture.items[0]
    for _round in range(workers * 3):
        for path in ("/", f"/delegations/{delegation_id}", f"/delegations/{delegation_id}/items/{item_id}/edit"):
            browser.request("warm-up", "GET", path)
        if fixture.feed_tokens:
            Browser(port, scratch).request("warm-up", "GET", f"/feeds/{fixture.feed_tokens[_round % len(fixture.feed_tokens)]}.ics")
    browser.request("warm-up", "POST", "/logout", {"csrf_token": csrf_token(browser.request("warm-up", "GET", "/")[1])})


def stop_gunicorn(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        process.kill()


# Report ------------------------------------------------------------------------------------------------

def percentile(values: list[float], share: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def report(recorder: Recorder, seconds: float, engine: str, log_text: str, arguments) -> int:
    samples = recorder.samples
    errors = [sample for sample in samples if sample.error]
    log_problems = [line for line in log_text.splitlines() if "database is locked" in line or "Traceback" in line]
    print(f"\n== {engine}: gunicorn {arguments.workers} workers, {arguments.planners} planners, "
          f"{arguments.subscribers} subscribers (every {arguments.interval:g} s), {seconds:.0f} s ==")
    print(f"requests: {len(samples)}   requests/s: {len(samples) / seconds:.1f}   errors: {len(errors)}   "
          f"item saves: {recorder.saves} (of which refused as conflicts: {recorder.conflicts})")
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample.seconds * 1000)
    print(f"{'kind':24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, values in sorted(by_kind.items()) + [("ALL", [s.seconds * 1000 for s in samples])]:
        print(f"{kind:24} {len(values):7d} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f} "
              f"{percentile(values, 99):8.1f} {max(values):8.1f}")
    for sample in errors[:10]:
        print(f"  error: {sample.kind}: {sample.error}")
    if log_problems:
        print(f"server log: {len(log_problems)} problem lines, e.g. {log_problems[0]}")
    return 1 if errors or log_problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="PostgreSQL (or SQLite) URL; default: SQLite in a temporary folder")
    parser.add_argument("--reset", action="store_true", help="empty the given database first (throwaway only!)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--planners", type=int, default=5)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--interval", type=float, default=30.0,
                        help="seconds between two polls of one subscriber (real calendar clients: 5 to 60 minutes)")
    parser.add_argument("--threads", type=int, default=24, help="threads serving the subscribers' polls")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a planner spends on a form")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="delegations-load-") as folder:
        url = arguments.database_url or "sqlite:///" + os.path.join(folder, "load.db")
        from delegations.config import normalise_database_url

        url = normalise_database_url(url)
        engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"Preparing {engine} database ...", flush=True)
        fixture = prepare_database(url, arguments.subscribers, arguments.planners, arguments.reset or not arguments.database_url)
        port = free_port()
        log = Path(folder) / "gunicorn.log"
        process = start_gunicorn(url, port, arguments.workers, log)
        recorder, stop = Recorder(), threading.Event()
        try:
            warm_up(port, fixture, arguments.workers)
            cpu_before = server_cpu_seconds(process)
            items = fixture.items
            shared = items[0]
            planners = []
            for number, email in enumerate(fixture.planners):
                own = items[1 + number::len(fixture.planners)] or items
                thread = threading.Thread(target=planner_loop, args=(port, email, own, shared, recorder, stop,
                                                                     arguments.think), daemon=True)
                thread.start()
                planners.append(thread)
            pool = subscriber_pool(port, fixture.feed_tokens, fixture.viewers, arguments.interval, arguments.threads,
                                   recorder, stop)
            print(f"Running for {arguments.seconds:g} s against http://127.0.0.1:{port} "
                  f"({'feeds' if fixture.feed_tokens else 'viewers polling the overview'}) ...", flush=True)
            started = time.monotonic()
            time.sleep(arguments.seconds)
            stop.set()
            for thread in planners + pool:
                thread.join(timeout=70)
            elapsed = time.monotonic() - started
            cpu = server_cpu_seconds(process) - cpu_before
        finally:
            stop.set()
            stop_gunicorn(process)
        status = report(recorder, elapsed, engine, log.read_text(), arguments)
        load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
        print(f"server CPU: {cpu:.1f} s for {len(recorder.samples)} requests "
              f"({cpu * 1000 / max(len(recorder.samples), 1):.1f} ms per request); machine: {os.cpu_count()} CPUs, "
              f"load average {' '.join(load)}")
        return status


if __name__ == "__main__":
    sys.exit(main())
