"""Time PAGES in-process against an existing benchmark database (no gunicorn, no wrk): a quick look
while fixing a page, with the query count and, with --profile NAME, a pyinstrument profile.

    .venv/bin/python benchmarks/probe.py --url sqlite:////tmp/bench.sqlite3 [--profile "report"]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import fill, run  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="a substring of the page names to probe")
    parser.add_argument("--profile", default="", help="the page name to profile with pyinstrument")
    parser.add_argument("--no-cache", action="store_true",
                        help="REPORT_CACHE_SECONDS=0: what the cached programme figures cost to compute")
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from warmeveranderen import create_app
    from warmeveranderen.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "probe", "WTF_CSRF_ENABLED": False,
                      "LOGIN_MAX_FAILURES_PER_ADDRESS": 100000,
                      **({"REPORT_CACHE_SECONDS": 0} if args.no_cache else {})})
    counter = {"n": 0}
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_a: counter.__setitem__("n", counter["n"] + 1))
    ids = run.first_ids(args.url)
    clients = {}
    for role, email in fill.ACCOUNTS.items():
        c = app.test_client()
        r = c.post("/inloggen", data={"email": email, "password": fill.PASSWORD})
        assert r.status_code == 302, (role, r.status_code)
        clients[role] = c
    for page in run.PAGES:
        if args.only and args.only not in page.name:
            continue
        path = page.path.format(**ids)
        c = clients[page.role]
        c.get(path)
        times, cpu = [], []
        for _ in range(args.repeat):
            counter["n"] = 0
            started, cpu_started = time.perf_counter(), time.process_time()
            r = c.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        print(f"{page.name:24} {r.status_code} {statistics.median(times):8.1f} ms {statistics.median(cpu):6.1f} ms CPU "
              f"{counter['n']:4} queries "
              f"{len(r.data) // 1024:5} KiB  {path}")
        if args.profile and args.profile == page.name:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
            c.get(path)
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
