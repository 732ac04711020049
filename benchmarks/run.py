"""Benchmark: the app at 50 and 5,000 schools on SQLite and PostgreSQL, against a bare Flask ceiling.

    .venv/bin/python benchmarks/run.py --scales 50,5000 --db sqlite,postgresql

For each database and scale it builds a synthetic programme (benchmarks/fill.py) in a fresh
database, serves it with gunicorn (2 workers) on 127.0.0.1 next to a bare Flask "hello" app served
the same way (the ceiling), logs in per role through the login form, and drives each page of PAGES
with wrk for a few seconds: requests/s, p50/p95 latency, queries per request (the X-Query-Count
header of one extra request; WARMEVERANDEREN_COUNT_QUERIES=1) and the ratio to the ceiling. It
times one reminder sweep when the app has `flask reminders sweep`. Results go to
benchmarks/results/<timestamp>.json and a PASS/MISS table against the budgets is printed.
Not part of the test suite.

    .venv/bin/python benchmarks/run.py --existing-url sqlite:////tmp/copy.sqlite3 --only report --connections 16

measures the pages (here those whose name holds "report") against a database built earlier, without
building one or timing the sweep.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import fill  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test_browser"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "non2xx": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

# Budgets (targets reported against, not asserted).
SCHOOL_MIN_CEILING_RATIO = 0.10  # school-scoped pages at the smallest scale
SCHOOL_MIN_SCALE_RATIO = 0.90  # largest scale's req/s over the smallest scale's
PROGRAMME_MAX_P95_MS = 250.0  # programme-wide pages at the largest scale
SWEEP_MAX_SECONDS = 1.0  # one reminder sweep at the largest scale


@dataclass(frozen=True)
class BenchPage:
    """A page to drive: who looks, where, and whether it is school-scoped or programme-wide."""

    name: str
    role: str  # a key of fill.ACCOUNTS
    # may use {school_id}, {network_id}, {sprint_id} (active), {round_id} (open), {initiative_id} (with a
    # discussion): the first school's
    path: str
    kind: str  # "school" or "programme"


# Add a feature's main pages here, e.g. BenchPage("sprint board", "flywheel_lead", "/scholen/{school_id}/sprints", "school").
PAGES = [
    BenchPage("home (director)", "director", "/", "school"),
    BenchPage("home (trekker)", "flywheel_lead", "/", "school"),
    BenchPage("home (forum member)", "forum", "/", "school"),
    BenchPage("home (adviser)", "adviser", "/", "school"),
    BenchPage("school home", "director", "/scholen/{school_id}", "school"),
    BenchPage("school progress", "adviser", "/scholen/{school_id}/voortgang", "school"),
    BenchPage("sprints", "flywheel_lead", "/scholen/{school_id}/sprints", "school"),
    BenchPage("sprint page", "flywheel_lead", "/sprints/{sprint_id}", "school"),
    BenchPage("sprint board", "flywheel_lead", "/sprints/{sprint_id}/bord", "school"),
    BenchPage("backlog", "flywheel_lead", "/scholen/{school_id}/backlog", "school"),
    BenchPage("initiative (discussion, files)", "flywheel_lead", "/initiatieven/{initiative_id}", "school"),
    BenchPage("forum overview", "forum", "/scholen/{school_id}/forum", "school"),
    BenchPage("forum round", "forum", "/scholen/{school_id}/forum/rondes/{round_id}", "school"),
    BenchPage("vision", "flywheel_lead", "/scholen/{school_id}/visie", "school"),
    BenchPage("intake", "director", "/scholen/{school_id}/intake", "school"),
    BenchPage("school people", "director", "/scholen/{school_id}/mensen", "school"),
    BenchPage("learning network", "director", "/netwerken/{network_id}", "school"),
    BenchPage("notifications", "forum", "/meldingen/", "school"),
    BenchPage("surveys", "director", "/scholen/{school_id}/bevragingen", "school"),
    BenchPage("idea box", "forum", "/scholen/{school_id}/ideeen", "school"),
    BenchPage("tasks", "flywheel_lead", "/scholen/{school_id}/taken", "school"),
    BenchPage("home (coordinator)", "coordinator", "/", "programme"),
    BenchPage("programme overview", "coordinator", "/programma", "programme"),  # the school list
    BenchPage("tracking matrix", "coordinator", "/programma/opvolging", "programme"),
    BenchPage("report", "coordinator", "/programma/rapport", "programme"),
    BenchPage("report (adviser)", "adviser", "/programma/rapport", "programme"),
    BenchPage("intake overview", "coordinator", "/programma/intake", "programme"),
    BenchPage("warm cities", "coordinator", "/programma/steden", "programme"),
    BenchPage("learning networks", "coordinator", "/programma/netwerken", "programme"),
    BenchPage("people", "coordinator", "/programma/mensen", "programme"),
    BenchPage("survey results", "coordinator", "/programma/bevragingen/resultaten", "programme"),
]

# The reminder sweep is timed at this moment (Brussels time): the advisers' indicator window opens,
# so one reminder per adviser is due (5 at 50 schools, 500 at 5,000); and on a quiet day.
SWEEP_AT = {"window opens": "2027-05-01T08:00", "quiet day": "2027-02-03T08:00"}


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with sync workers (2 unless told) on 127.0.0.1, like production minus the proxy."""

    def __init__(self, target: str, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--timeout", "120", target],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _headers, _body = request(self.port, "GET", "/", {})
                if status < 500:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {target} did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _session_cookie(headers) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("session="):
            return value.split(";", 1)[0]
    return None


def login(port: int, email: str, password: str) -> str:
    """Log in through the form (CSRF token and all); the session cookie as a Cookie header value."""
    status, headers, body = request(port, "GET", "/inloggen", {})
    cookie = _session_cookie(headers)
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrf_token": html.unescape(token), "email": email, "password": password})
    status, headers, _ = request(port, "POST", "/inloggen", {
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, form)
    if status != 302:
        raise RuntimeError(f"login as {email} failed with status {status}")
    return _session_cookie(headers) or cookie


def warm_up(port: int, path: str, cookie: str, workers: int = 2) -> None:
    """A few concurrent requests, so that each gunicorn worker has served the page once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers * 2) as pool:
        list(pool.map(lambda _: request(port, "GET", path, {"Cookie": cookie}), range(workers * 4)))


def wrk(port: int, path: str, cookie: str | None, seconds: int, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
               "-s", script.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout
    os.unlink(script.name)
    data = json.loads(output.split("WRKJSON", 1)[1].strip().splitlines()[0])
    seconds_run = data["duration_us"] / 1e6
    return {
        "rps": round(data["requests"] / seconds_run, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "requests": data["requests"],
        "errors": data["socket_errors"] + data["non2xx"],
    }


# --- one database at one scale ----------------------------------------------------------------


def database_url(kind: str, scale: int, workdir: Path, postgres_url: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'bench-{scale}.sqlite3'}"
    return postgres_url


def postgres_available(url: str) -> bool:
    import sqlalchemy

    try:
        engine = sqlalchemy.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def build_database(url: str, scale: int, seed: int):
    """A fresh schema from the migrations, then the synthetic programme; returns (app, schools, seconds)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from warmeveranderen import create_app
    from warmeveranderen.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark", "MAIL_OUTBOX_DIR": tempfile.mkdtemp()})
    started = time.perf_counter()
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        schools = fill.build(db.session, scale, random.Random(seed))
        fill.reset_sequences(db.session)
        if url.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        db.session.remove()
    return app, schools, time.perf_counter() - started


def time_sweep(app) -> dict:
    """`flask reminders sweep --now ...` at each moment of SWEEP_AT, timed in-process (without the
    interpreter's start-up); each moment is judged."""
    group = app.cli.commands.get("reminders")
    if group is None or "sweep" not in getattr(group, "commands", {}):
        return {"skipped": "no `flask reminders sweep` command in this version of the app"}
    runner = app.test_cli_runner()
    timings = {}
    for label, moment in SWEEP_AT.items():
        started, cpu_started = time.perf_counter(), time.process_time()
        result = runner.invoke(args=["reminders", "sweep", "--now", moment])
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        sent = sum(line.startswith("verstuurd:") for line in result.output.splitlines())
        # cpu_seconds: this process's CPU time, which competing load on the machine does not inflate.
        timings[label] = {"now": moment, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
                          "exit_code": result.exit_code, "sent": sent,
                          "output_tail": result.output[-300:]}
    first = next(iter(timings.values()))
    return {"seconds": first["seconds"], "exit_code": first["exit_code"], "moments": timings}


def first_ids(url: str) -> dict[str, int]:
    """The first school's ids that PAGES' paths use, read from a benchmark database."""
    import sqlalchemy
    from sqlalchemy import text

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            one = lambda sql, **params: conn.execute(text(sql), params).scalar()  # noqa: E731
            school = one("SELECT MIN(id) FROM schools")
            return {
                "school_id": school,
                "network_id": one("SELECT network_id FROM schools WHERE id = :s", s=school),
                # The running sprint (a sweep or a start may have added a planned, empty one after it).
                "sprint_id": one("SELECT COALESCE(MAX(CASE WHEN state = 'active' THEN id END), MAX(id)) FROM sprints "
                                 "WHERE school_id = :s", s=school),
                "round_id": one("SELECT MAX(id) FROM advice_rounds WHERE school_id = :s", s=school),
                "initiative_id": one("SELECT MIN(initiative_id) FROM initiative_comments WHERE school_id = :s",
                                     s=school),
            }
    finally:
        engine.dispose()


def run_one(kind: str, scale: int, args, workdir: Path) -> dict:
    url = database_url(kind, scale, workdir, args.postgres_url)
    print(f"\n== {kind}, {scale} schools: building")
    app, schools, build_seconds = build_database(url, scale, args.seed)
    print(f"  built in {build_seconds:.1f} s")
    first = schools[0]
    ids = {"school_id": first.id, "network_id": first.network_id, "sprint_id": first.made["sprints"][-1],
           "round_id": first.made["rounds"][-1], "initiative_id": first.made["discussed"][0]}
    result = {"db": kind, "scale": scale, "build_seconds": round(build_seconds, 1)}
    result.update(measure_pages(url, ids, args, workdir))
    with app.app_context():
        result["sweep"] = time_sweep(app)
    for label, t in result["sweep"].get("moments", {}).items():
        print(f"  reminder sweep ({label}, {t['now']}): {t['seconds']:.2f} s ({t['cpu_seconds']:.2f} s CPU), "
              f"{t['sent']} sent, exit {t['exit_code']}")
    if "skipped" in result["sweep"]:
        print(f"  reminder sweep: {result['sweep']['skipped']}")
    if kind == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    return result


def _describe(url: str) -> tuple[str, int]:
    import sqlalchemy
    from sqlalchemy import text

    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        scale = conn.execute(text("SELECT COUNT(*) FROM schools")).scalar()
    engine.dispose()
    return ("postgresql" if url.startswith("postgresql") else "sqlite"), scale


def run_existing(urls: list[str], args, workdir: Path) -> list[dict]:
    """PAGES against databases the benchmark built earlier (no build, no sweep: it would send reminders),
    measured side by side (`measure_together`). Logging in writes to them: use copies."""
    described = [_describe(url) for url in urls]
    print("\n== " + " beside ".join(f"[{n + 1}] {kind}, {scale} schools" for n, (kind, scale) in enumerate(described))
          + ": existing database" + ("s" if len(urls) > 1 else ""))
    measured = measure_together(urls, [first_ids(url) for url in urls], args, workdir)
    runs = []
    for (kind, scale), result in zip(described, measured, strict=True):
        runs.append({"db": kind, "scale": scale, "existing": True, "paired": len(urls) > 1, **result,
                     "sweep": {"skipped": "an existing database: no sweep"}})
    return runs


# The notifications page is kept per person and the state of their list: its change is one of theirs
# read or unread again (the newest), not the school's.
_TOGGLE_NEWEST = ("UPDATE notifications SET read_at = CASE WHEN read_at IS NULL THEN CURRENT_TIMESTAMP ELSE NULL END "
                  "WHERE id = (SELECT MAX(id) FROM notifications WHERE user_id = (SELECT id FROM users WHERE email = :e))")


# "Cold": the first request after an advice is given in the school (its version and the version of its
# advice go up, as that commit's do), so the parts that read advice are rendered again. "Fresh": after a
# change of the programme, every part is rendered again (as after a deploy, or the first visit).
_RAISE_ADVICE = ("INSERT INTO school_table_versions (school_id, table_name, version) VALUES (:id, 'advice', 1) "
                 "ON CONFLICT (school_id, table_name) DO UPDATE SET version = school_table_versions.version + 1")


def cold(port: int, path: str, cookie: str, url: str, school_id: int, times: int = 5, email: str = "") -> dict:
    """The first request after a change of one kind (an advice), and after a change of the programme
    (everything rendered afresh): the median of a few such requests, and their statements."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    found = {}
    try:
        changes = (("cold", _RAISE_ADVICE), ("fresh", "UPDATE programmes SET cache_version = cache_version + 1"))
        for label, change in changes:
            timings, queries = [], -1
            for _ in range(times):
                with engine.begin() as conn:
                    conn.execute(sqlalchemy.text("UPDATE schools SET cache_version = cache_version + 1 WHERE id = :id"),
                                 {"id": school_id})
                    conn.execute(sqlalchemy.text(change), {"id": school_id})
                    if path.startswith("/meldingen"):
                        conn.execute(sqlalchemy.text(_TOGGLE_NEWEST), {"e": email})
                started = time.perf_counter()
                _status, headers, _body = request(port, "GET", path, {"Cookie": cookie})
                timings.append((time.perf_counter() - started) * 1000)
                queries = int(headers.get("X-Query-Count", -1))
            timings.sort()
            found.update({f"{label}_ms": round(timings[len(timings) // 2], 1), f"{label}_queries": queries})
    finally:
        engine.dispose()
    return found


def measure_pages(url: str, ids: dict[str, int], args, workdir: Path) -> dict:
    """Serve the database with gunicorn next to the bare Flask ceiling and drive each page of PAGES
    (those whose name contains args.only) with wrk."""
    return measure_together([url], [ids], args, workdir)[0]


def _server_env(url: str, workdir: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "WARMEVERANDEREN_SECRET_KEY": "benchmark-secret",
        "WARMEVERANDEREN_COUNT_QUERIES": "1",
        "WARMEVERANDEREN_MAIL_OUTBOX_DIR": str(workdir / "outbox"),
        "WARMEVERANDEREN_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
    }


def paired_ratio(tries: list[dict], base: list[dict]) -> tuple[float, list[float]]:
    """The median over the repetitions of requests/s here against the same repetition on the base
    database (measured right after each other), and every such ratio, sorted."""
    pairs = sorted(round(one["rps"] / other["rps"], 3) if other["rps"] else 0.0
                   for one, other in zip(tries, base, strict=True))
    return pairs[len(pairs) // 2], pairs


def measure_together(urls: list[str], ids: list[dict[str, int]], args, workdir: Path) -> list[dict]:
    """Each page of PAGES on every database of `urls` (one gunicorn each, idle while another is driven)
    next to the bare Flask ceiling, one result per database.

    With several databases (--paired: the same programme at 50 and at 5,000 schools) the page is
    measured on each right after the other, beside one ceiling, N times (--repeat), the order
    alternating: a page at 5,000 is compared with the same page at 50 of the same moment, not with a
    run minutes earlier on a machine whose speed drifts. `scale_ratio` (each but the first database)
    is the median of those pairs' ratios of requests/s."""
    redis_env = {}
    if args.redis_url:
        import redis

        redis_env["WARMEVERANDEREN_CACHE_REDIS_URL"] = args.redis_url
        redis.Redis.from_url(args.redis_url).flushdb()
    results = [{"pages": {}, "load_average_at_start": os.getloadavg(), "workers": args.workers,
                "redis": bool(args.redis_url)} for _ in urls]
    pages = [page for page in PAGES if (not args.only or args.only in page.name)
             and (not args.kind or page.kind == args.kind)]
    hello = Gunicorn("benchmarks.hello:app", {}, args.workers)
    servers = []
    try:
        for url in urls:
            servers.append(Gunicorn("wsgi:app", {**_server_env(url, workdir), **redis_env}, args.workers))
        roles = {page.role for page in pages}
        cookies = [{role: login(server.port, email, fill.PASSWORD) for role, email in fill.ACCOUNTS.items()
                    if role in roles} for server in servers]
        measure = lambda port, path, cookie=None: wrk(port, path, cookie, args.duration, args.connections, args.threads)  # noqa: E731
        ceiling_before = measure(hello.port, "/")
        for page in pages:
            paths = [page.path.format(**one) for one in ids]
            firsts = []
            for n, server in enumerate(servers):
                # A first visit as a browser makes it: a session the page changes (the school home makes
                # its school the active one) comes back in a cookie that the next requests send.
                _status, headers, _body = request(server.port, "GET", paths[n], {"Cookie": cookies[n][page.role]})
                cookies[n][page.role] = _session_cookie(headers) or cookies[n][page.role]
                # Both workers' first visits (which may fill a cache of their own) before the measurement,
                # then one request's query count: the steady state.
                warm_up(server.port, paths[n], cookies[n][page.role], args.workers)
                status, headers, body = request(server.port, "GET", paths[n], {"Cookie": cookies[n][page.role]})
                if status != 200:
                    raise RuntimeError(f"{page.name}: {paths[n]} answered {status}")
                firsts.append((headers, body))
            # The ceiling right before the page: the machine's speed drifts (other tenants, heat), and a
            # page is judged against the ceiling of its own moment. With --repeat N the page is measured
            # N times (each beside its own ceiling) and the median share is kept: a neighbour's burst on
            # a shared machine moves one measurement.
            tries: list[list[dict]] = [[] for _ in servers]
            for repetition in range(max(1, args.repeat)):
                beside = wrk(hello.port, "/", None, max(2, args.duration // 2), args.connections, args.threads)
                order = list(range(len(servers)))
                if repetition % 2:
                    order.reverse()
                for n in order:
                    one = measure(servers[n].port, paths[n], cookies[n][page.role])
                    one["ceiling_beside"] = beside["rps"]
                    tries[n].append(one)
            for n, server in enumerate(servers):
                mine = sorted(tries[n], key=lambda t: t["rps"] / t["ceiling_beside"] if t["ceiling_beside"] else 0)
                stats = dict(mine[len(mine) // 2])
                stats["shares"] = [round(t["rps"] / t["ceiling_beside"], 3) for t in tries[n] if t["ceiling_beside"]]
                headers, body = firsts[n]
                stats.update(queries=int(headers.get("X-Query-Count", -1)), kind=page.kind, path=paths[n],
                             bytes=len(body), parts=headers.get("X-Part-Cache", ""))
                if n:
                    stats["scale_ratio"], stats["scale_ratios"] = paired_ratio(tries[n], tries[0])
                if stats["parts"]:  # a page with cached parts: also its first request after a change
                    stats.update(cold(server.port, paths[n], cookies[n][page.role], urls[n], ids[n]["school_id"],
                                      email=fill.ACCOUNTS[page.role]))
                results[n]["pages"][page.name] = stats
                label = f"  {page.name:24}" if len(servers) == 1 else f"  {page.name:24} [{n + 1}]"
                share = stats["rps"] / stats["ceiling_beside"]
                print(f"{label} {stats['rps']:8.1f} req/s  p50 {stats['p50_ms']:7.1f} ms  "
                      f"p95 {stats['p95_ms']:7.1f} ms  p99 {stats['p99_ms']:7.1f} ms  {stats['queries']:3} queries  "
                      f"{stats['bytes'] // 1024} KiB  ({share:.1%} of {stats['ceiling_beside']:.0f})"
                      + (f"  {stats['scale_ratio']:.0%} of [1]" if "scale_ratio" in stats else "")
                      + (f"  cold {stats['cold_ms']:.1f} ms, {stats['cold_queries']} queries; fresh "
                         f"{stats['fresh_ms']:.1f} ms, {stats['fresh_queries']}" if "cold_ms" in stats else "")
                      + (f"  {stats['errors']} errors" if stats["errors"] else ""))
        ceiling_after = measure(hello.port, "/")
    finally:
        for server in servers:
            server.stop()
        hello.stop()
    ceiling = (ceiling_before["rps"] + ceiling_after["rps"]) / 2
    for result in results:
        result["ceiling"] = {"rps": round(ceiling, 1), "before": ceiling_before, "after": ceiling_after}
        for stats in result["pages"].values():
            own = stats.get("ceiling_beside") or ceiling
            stats["ceiling_ratio"] = round(stats["rps"] / own, 3) if own else None
    print(f"  ceiling (bare Flask): {ceiling:.1f} req/s")
    return results


# --- budgets ----------------------------------------------------------------------------------


def judge(runs: list[dict]) -> list[dict]:
    """Every budget per database: (database, page or check, measured, budget, PASS/MISS)."""
    verdicts = []
    for kind in sorted({r["db"] for r in runs}):
        mine = sorted((r for r in runs if r["db"] == kind), key=lambda r: r["scale"])
        small, large = mine[0], mine[-1]

        def add(check, measured, budget, ok, kind=kind):
            verdicts.append({"db": kind, "check": check, "measured": measured, "budget": budget,
                             "verdict": "PASS" if ok else "MISS"})

        for name, stats in small["pages"].items():
            if stats["kind"] == "school":
                add(f"{name}: req/s vs ceiling at {small['scale']}", f"{stats['ceiling_ratio']:.1%}",
                    f">= {SCHOOL_MIN_CEILING_RATIO:.0%}", stats["ceiling_ratio"] >= SCHOOL_MIN_CEILING_RATIO)
        if large is not small:
            for name, stats in large["pages"].items():
                before = small["pages"].get(name)
                if stats["kind"] == "school" and before:
                    if "scale_ratio" in stats:  # measured side by side (--paired): the median of the pairs
                        ratio, how = stats["scale_ratio"], "side by side"
                    else:
                        # The share of the ceiling at the large scale against the small one's (each against
                        # the ceiling of its own moment: the runs are minutes apart).
                        ratio = stats["ceiling_ratio"] / before["ceiling_ratio"] if before["ceiling_ratio"] else 0
                        how = "runs apart"
                    add(f"{name}: req/s at {large['scale']} vs {small['scale']} ({how})", f"{ratio:.0%}",
                        f">= {SCHOOL_MIN_SCALE_RATIO:.0%}", ratio >= SCHOOL_MIN_SCALE_RATIO)
                if before:
                    add(f"{name}: queries at {small['scale']} / {large['scale']}",
                        f"{before['queries']} / {stats['queries']}", "equal", before["queries"] == stats["queries"])
        for name, stats in large["pages"].items():
            if stats["kind"] == "programme":
                # No completed request within wrk's timeout is a miss, not a p95 of 0.
                done = stats["requests"] > 0
                add(f"{name}: p95 at {large['scale']}", f"{stats['p95_ms']:.0f} ms" if done else "no answer",
                    f"< {PROGRAMME_MAX_P95_MS:.0f} ms", done and stats["p95_ms"] < PROGRAMME_MAX_P95_MS)
        sweep = large.get("sweep", {})
        if "seconds" in sweep:
            # Every moment is judged: the routine sweep (nothing new due: its cost must not grow with
            # the history) and the busiest one (a measurement window opens for every adviser).
            for label, t in sweep["moments"].items():
                add(f"reminder sweep at {large['scale']}, {label} ({t['sent']} sent)", f"{t['seconds']:.2f} s",
                    f"< {SWEEP_MAX_SECONDS:.0f} s", t["seconds"] < SWEEP_MAX_SECONDS and t["exit_code"] == 0)
        else:
            verdicts.append({"db": kind, "check": "reminder sweep", "measured": "-", "budget": "-",
                             "verdict": "SKIP", "note": sweep.get("skipped", "")})
    return verdicts


def print_verdicts(verdicts: list[dict]) -> None:
    print("\n== Budgets")
    width = max(len(v["check"]) for v in verdicts)
    for v in verdicts:
        note = f"  ({v['note']})" if v.get("note") else ""
        print(f"  {v['verdict']:4}  {v['db']:10} {v['check']:{width}}  {v['measured']:>10}  {v['budget']}{note}")
    misses = sum(v["verdict"] == "MISS" for v in verdicts)
    print(f"\n  {misses} budget(s) missed." if misses else "\n  Every budget met.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="50,5000", help="numbers of schools, comma-separated")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite and/or postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("WARMEVERANDEREN_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="a PostgreSQL database the benchmark may wipe (its public schema is recreated)")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--existing-url", action="append", default=[],
                        help="measure an already-built benchmark database instead of building (repeatable; "
                             "logging in writes to it: use a copy); --scales and --db are then ignored")
    parser.add_argument("--only", default="", help="only the pages whose name contains this text")
    parser.add_argument("--kind", default="", choices=["", "school", "programme"], help="only pages of this kind")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the scale-out check: 2 and 4)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each page this many times beside its own ceiling; keep the median")
    parser.add_argument("--redis-url", default="", help="share the part cache through this Redis (emptied first)")
    parser.add_argument("--paired", action="store_true",
                        help="with --existing-url: serve the databases of each kind at once and measure every page "
                             "on each right after the other (the 5,000-vs-50 check compares the same moment)")
    args = parser.parse_args(argv)
    # Stopped with SIGTERM: unwind through the finally blocks, so no gunicorn is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not Path(WRK).exists():
        print("wrk is not installed (apt-get install wrk).", file=sys.stderr)
        return 2
    scales = [int(s) for s in args.scales.split(",")]
    kinds = [] if args.existing_url else [k.strip() for k in args.db.split(",")]
    if "postgresql" in kinds and not postgres_available(args.postgres_url):
        print(f"PostgreSQL not reachable at {args.postgres_url}: skipping it.")
        kinds.remove("postgresql")
    workdir = Path(tempfile.mkdtemp(prefix="wv-bench-"))
    runs = []
    try:
        if args.paired:
            # Per database kind, its databases side by side (the smallest scale first).
            kinds_of: dict[str, list[str]] = {}
            for url in args.existing_url:
                kinds_of.setdefault(_describe(url)[0], []).append(url)
            for urls in kinds_of.values():
                runs.extend(run_existing(sorted(urls, key=lambda u: _describe(u)[1]), args, workdir))
        else:
            for url in args.existing_url:
                runs.extend(run_existing([url], args, workdir))
        for kind in kinds:
            for scale in scales:
                runs.append(run_one(kind, scale, args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    verdicts = judge(runs)
    print_verdicts(verdicts)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps({
        "when": stamp, "args": vars(args), "cpus": os.cpu_count(), "load_average": os.getloadavg(),
        "budgets": asdict(BudgetSet()), "runs": runs, "verdicts": verdicts,
    }, indent=2, ensure_ascii=False))
    print(f"\nResults: {out.relative_to(ROOT)}")
    return 0


@dataclass(frozen=True)
class BudgetSet:
    school_min_ceiling_ratio: float = SCHOOL_MIN_CEILING_RATIO
    school_min_scale_ratio: float = SCHOOL_MIN_SCALE_RATIO
    programme_max_p95_ms: float = PROGRAMME_MAX_P95_MS
    sweep_max_seconds: float = SWEEP_MAX_SECONDS


if __name__ == "__main__":
    sys.exit(main())
