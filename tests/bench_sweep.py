"""Benchmark: the sweep's cost with 5,000 schools, with and without a long history.

Run: .venv/bin/python -m tests.bench_sweep [--schools 5000] [--history 200000] [--database-url URL]
(default: a temporary SQLite file). Prints the time and the number of SQL statements per sweep.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime

from sqlalchemy import event, insert, text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=5000)
    parser.add_argument("--history", type=int, default=200_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from flask_migrate import upgrade

    from warmeveranderen import create_app
    from warmeveranderen.accounts.models import User
    from warmeveranderen.extensions import db
    from warmeveranderen.notifications.models import Notification, ReminderLog
    from warmeveranderen.notifications.sweep import sweep
    from warmeveranderen.programme.models import Membership, Programme, School, WarmCity

    tmp = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "MAIL_OUTBOX_DIR": f"{tmp}/outbox", "BASE_URL": "http://localhost"})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        programme = Programme(name="Bench")
        city = WarmCity(programme=programme, name="Stad")
        db.session.add_all([programme, city])
        db.session.commit()
        n = args.schools
        db.session.execute(insert(School), [
            {"id": i + 1, "programme_id": programme.id, "name": f"School {i}", "city_id": city.id} for i in range(n)])
        db.session.execute(insert(User), [
            {"id": i + 1, "email": f"p{i}@bench.example", "name": f"P {i}", "password_hash": "x", "locale": "nl",
             "is_coordinator": False, "is_adviser": False, "active": True, "session_token": ""} for i in range(2 * n)])
        db.session.execute(insert(Membership), [
            {"user_id": 2 * i + 1 + k, "school_id": i + 1, "role": "director" if k == 0 else "flywheel",
             "is_lead": k == 1} for i in range(n) for k in (0, 1)])
        db.session.commit()

        def measure(label, now):
            count = [0]

            def listener(*_a):
                count[0] += 1

            event.listen(db.engine, "before_cursor_execute", listener)
            start = time.perf_counter()
            report = sweep(now)
            elapsed = time.perf_counter() - start
            event.remove(db.engine, "before_cursor_execute", listener)
            print(f"{label:55} {len(report.sent):6} sent {elapsed:8.3f} s {count[0]:7} statements")

        winter = datetime(2026, 12, 1, 8, 0)
        measure("nothing due, empty history", winter)
        measure(f"window opens: {2 * n} due reminders", datetime(2026, 9, 2, 8, 0))
        measure("same window, next sweep (all already sent)", datetime(2026, 9, 2, 8, 5))
        rows = args.history
        for start in range(0, rows, 20000):
            chunk = range(start, min(start + 20000, rows))
            db.session.execute(insert(Notification), [
                {"user_id": i % (2 * n) + 1, "category": "sprint", "title": "oud", "body": "", "url": "/",
                 "created_at": winter, "email_status": "sent", "email_attempts": 0} for i in chunk])
            db.session.execute(insert(ReminderLog), [
                {"rule": "old_rule", "object_key": f"o-{i}", "recipient_id": i % (2 * n) + 1, "occurrence": f"x-{i}",
                 "category": "sprint", "title": "oud", "body": "", "url": "/", "status": "delivered",
                 "claimed_at": winter} for i in chunk])
        db.session.commit()
        measure(f"nothing due, history of {rows} reminders and notifications", winter)


if __name__ == "__main__":
    main()
