"""Benchmark: the sweep's cost with 5,000 schools, with and without a long history.

Run: .venv/bin/python -m tests.bench_sweep [--schools 5000] [--history 200000] [--database-url URL]
(default: a temporary SQLite file). Prints the time and the number of SQL statements per sweep.

After the measurement-window part it builds three years of journey per school (15 sprints with
meetings and checkpoints, a forum session and an advice round with five pieces of advice per
sprint, decisions on the past ones, an agreement in force with evaluation moments, a few
agreements awaiting signatures), staggered so that every rule family has reminders due on the
measured day, and times: the first sweep of the day (everything due is sent) and the typical
sweep a few minutes later (the same reminders are still due but already sent).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta

from sqlalchemy import event, insert, text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=5000)
    parser.add_argument("--history", type=int, default=200_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--no-journeys", dest="journeys", action="store_false",
                        help="skip the sprints/forum/intake history and their rules")
    parser.add_argument("--journeys-only", action="store_true",
                        help="only the sprints/forum/intake history and their rules")
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
            print(f"{label:55} {len(report.sent):6} sent {dict(report.per_rule)}" if report.per_rule else "", flush=True)
            print(f"{label:55} {len(report.sent):6} sent {elapsed:8.3f} s {count[0]:7} statements", flush=True)

        winter = datetime(2026, 12, 1, 8, 0)
        if args.journeys_only:
            now = datetime(2027, 3, 1, 7, 0)
            build_journeys(db, n, programme.id, now)
            measure("journeys: first sweep of the day (all rule families due)", now)
            measure("journeys: typical sweep 5 minutes later", now + timedelta(minutes=5))
            measure("journeys: typical sweep the next morning", now + timedelta(days=1))
            return
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
        if args.journeys:
            now = datetime(2027, 3, 1, 7, 0)
            build_journeys(db, n, programme.id, now)
            measure("journeys: first sweep of the day (all rule families due)", now)
            measure("journeys: typical sweep 5 minutes later", now + timedelta(minutes=5))
            measure("journeys: typical sweep the next morning", now + timedelta(days=1))


def build_journeys(db, n: int, programme_id: int, now: datetime) -> None:
    """Three years of sprints, forum and intake per school, staggered over the days of a sprint."""
    from decimal import Decimal

    from warmeveranderen.accounts.models import User
    from warmeveranderen.forum.models import Advice, AdviceRound, Decision, ForumSession
    from warmeveranderen.intake.models import AgreementVersion, EvaluationMoment, IntakeAgreement, Signatory
    from warmeveranderen.programme.models import AdviserAssignment, Membership
    from warmeveranderen.sprints.models import Checkpoint, FlywheelMeeting, Initiative, Sprint

    started = time.perf_counter()
    first_user = 2 * n + 1
    forum_per_school = 5
    db.session.execute(insert(User), [
        {"id": first_user + i, "email": f"f{i}@bench.example", "name": f"F {i}", "password_hash": "x",
         "locale": "nl", "is_coordinator": False, "is_adviser": False, "active": True, "session_token": ""}
        for i in range(forum_per_school * n)])
    adviser_id = first_user + forum_per_school * n
    db.session.execute(insert(User), [
        {"id": adviser_id + k, "email": f"a{k}@bench.example", "name": f"A {k}", "password_hash": "x",
         "locale": "nl", "is_coordinator": False, "is_adviser": True, "active": True, "session_token": ""}
        for k in range(n // 10)])
    db.session.execute(insert(Membership), [
        {"user_id": first_user + forum_per_school * i + k, "school_id": i + 1, "role": "forum",
         "stakeholder_group": "parent", "is_lead": False} for i in range(n) for k in range(forum_per_school)])
    db.session.execute(insert(AdviserAssignment), [
        {"adviser_id": adviser_id + i // 10, "school_id": i + 1} for i in range(n)])
    today = now.date()
    sprints, initiatives, meetings, checkpoints, sessions, rounds, advice, decisions = [], [], [], [], [], [], [], []
    sprint_id = 0
    for i in range(n):
        school = i + 1
        lead = 2 * i + 2
        first = today - timedelta(days=13 * 70 + i % 70)
        for k in range(15):
            sprint_id += 1
            start = first + timedelta(days=70 * k)
            end = start + timedelta(days=69)
            state = "closed" if end < today - timedelta(days=10) else ("planned" if start > today else "active")
            if state == "active" and end < today:
                state = "active" if i % 3 else "closed"
            sprints.append({"id": sprint_id, "school_id": school, "number": k + 1, "start_date": start,
                            "end_date": end, "goal": "" if (state == "planned" and i % 2) else "Doel",
                            "state": state})
            initiatives.append({"id": sprint_id, "school_id": school, "title": f"Initiatief {sprint_id}",
                                "building_block": "culture", "status": "decided", "position": k,
                                "owner_id": lead, "sprint_id": sprint_id, "core_missions": []})
            if start <= today:
                for d in (5, 12 + i % 5, 40):
                    if start + timedelta(days=d) <= min(end, today - timedelta(days=1 + i % 20)):
                        meetings.append({"school_id": school, "sprint_id": sprint_id,
                                         "held_on": start + timedelta(days=d)})
                if state == "closed" or i % 4:
                    checkpoints.append({"sprint_id": sprint_id, "kind": "start", "held_on": start, "who": "BT"})
                if state == "closed":
                    checkpoints.append({"sprint_id": sprint_id, "kind": "pre_forum",
                                        "held_on": end - timedelta(days=5), "who": "BT"})
            session_at = datetime.combine(end, datetime.min.time()) + timedelta(hours=18)
            sessions.append({"id": sprint_id, "school_id": school, "sprint_id": sprint_id, "starts_at": session_at})
            deadline = session_at - timedelta(days=2) + timedelta(hours=i % 24)
            rounds.append({"id": sprint_id, "school_id": school, "subject_kind": "initiative",
                           "subject_id": sprint_id, "subject_title": f"Initiatief {sprint_id}",
                           "question": "Wat vinden jullie?", "deadline": deadline, "session_id": sprint_id})
            for a in range(forum_per_school if deadline < now else (i + k) % forum_per_school):
                advice.append({"round_id": sprint_id, "author_id": first_user + forum_per_school * i + a,
                               "stakeholder_group": "parent", "stance": "support", "reasoning": "Goed."})
            if deadline < now - timedelta(days=30) or (deadline < now and i % 5 == 0):
                decisions.append({"round_id": sprint_id, "school_id": school, "outcome": "adopt",
                                  "reasons": "Zo.", "subject_kind": "initiative",
                                  "subject_title": f"Initiatief {sprint_id}", "decided_by_id": lead,
                                  "decided_at": deadline + timedelta(days=3)})
    for model, rows in ((Sprint, sprints), (Initiative, initiatives), (FlywheelMeeting, meetings),
                        (Checkpoint, checkpoints), (ForumSession, sessions), (AdviceRound, rounds),
                        (Advice, advice), (Decision, decisions)):
        for start in range(0, len(rows), 20000):
            db.session.execute(insert(model), rows[start:start + 20000])
    money = {"price_per_year": Decimal("1200"), "matching_ratio": Decimal("1"), "matching_cap": Decimal("5000")}
    db.session.execute(insert(IntakeAgreement), [
        {"id": i + 1, "school_id": i + 1, "state": "active" if i % 50 else "awaiting"} for i in range(n)])
    db.session.execute(insert(AgreementVersion), [
        {"id": i + 1, "agreement_id": i + 1, "number": 1, "state": "active" if i % 50 else "ready",
         "start_date": today - timedelta(days=900), "duration_years": 3, "commitments": [],
         "frozen_at": now - timedelta(days=i % 30), **money} for i in range(n)])
    db.session.execute(insert(EvaluationMoment), [
        {"version_id": i + 1, "on_date": today + timedelta(days=-700 + 365 * k + i % 60)}
        for i in range(n) for k in range(3)])
    db.session.execute(insert(Signatory), [
        {"version_id": i + 1, "role": "director", "user_id": 2 * i + 1} for i in range(0, n, 50)])
    db.session.commit()
    print(f"built {len(sprints)} sprints, {len(meetings)} meetings, {len(sessions)} forum sessions, "
          f"{len(rounds)} advice rounds, {len(advice)} pieces of advice, {len(decisions)} decisions, "
          f"{n} agreements in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
