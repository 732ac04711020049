"""The one scheduler: APScheduler runs the reminder sweep and the daily digests.

Where it runs:
- production: its own process, `flask --app wsgi scheduler` (exactly one; gunicorn's web workers,
  which load `wsgi:app`, never start one);
- the Quick start: `flask serve` (bin/run) starts it inside the single server process.

A second scheduler started by mistake finds the lock taken, logs that and runs no jobs: on SQLite
a file lock (fcntl.flock on instance/scheduler.lock), on PostgreSQL an advisory lock held by a
dedicated connection for as long as the scheduler lives.
"""

from __future__ import annotations

import fcntl
import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.notifications.delivery import deliver_digests
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.timeutil import BRUSSELS, utcnow

log = logging.getLogger(__name__)

# pg_try_advisory_lock key: "WARMVE" as a number; any constant shared by all processes works.
ADVISORY_LOCK_KEY = 0x5741524D5645
SWEEP_JOB_ID = "reminders-sweep"
DIGEST_JOB_ID = "daily-digest"


class SchedulerLock:
    """Proof that this process is the one scheduler; release() (or process exit) frees it."""

    def __init__(self, release):
        self._release = release

    def release(self) -> None:
        if self._release is not None:
            self._release()
            self._release = None


def acquire_lock(app: Flask) -> SchedulerLock | None:
    """Take the scheduler lock without waiting; None when another scheduler holds it."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql"):
        return _acquire_advisory_lock(app)
    return _acquire_file_lock(Path(app.config.get("SCHEDULER_LOCK_FILE") or Path(app.instance_path) / "scheduler.lock"))


def _acquire_file_lock(path: Path) -> SchedulerLock | None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())

    def release():
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    return SchedulerLock(release)


def _acquire_advisory_lock(app: Flask) -> SchedulerLock | None:
    """Hold pg_try_advisory_lock on a connection of its own (not from the pool) for the lifetime."""
    engine = sqlalchemy.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sqlalchemy.pool.NullPool)
    conn = engine.connect()
    got = conn.execute(sqlalchemy.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}).scalar()
    conn.commit()
    if not got:
        conn.close()
        engine.dispose()
        return None

    def release():
        try:
            conn.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            conn.commit()
        finally:
            conn.close()
            engine.dispose()

    return SchedulerLock(release)


def run_sweep_job(app: Flask) -> None:
    """The sweep job: one sweep at the current time, recorded in the heartbeat."""
    minutes = app.config["SCHEDULER_SWEEP_MINUTES"]
    with app.app_context():
        try:
            # The sweep commits each step of its own (exactly-once delivery, see notifications/sweep.py).
            with uow.job_unit():
                report = sweep(source="scheduler", next_sweep_at=utcnow() + timedelta(minutes=minutes))
            log.info("Sweep: %s reminders, %s emails, %s digests, %s failures",
                     len(report.sent), report.emails_sent, report.digests_sent, len(report.errors))
        except Exception:
            log.exception("Reminder sweep failed")
        finally:
            db.session.remove()


def run_digest_job(app: Flask) -> None:
    """The hourly digest job: sends the digests of everyone whose chosen hour has come."""
    with app.app_context():
        try:
            with app.test_request_context("/", base_url=app.config["BASE_URL"]), uow.job_unit():
                deliver_digests()
        except Exception:
            log.exception("Digest job failed")
        finally:
            db.session.remove()


def add_jobs(scheduler, app: Flask) -> None:
    """The jobs, with stable ids so a restart replaces rather than duplicates them."""
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
    scheduler.add_job(
        run_sweep_job, IntervalTrigger(minutes=app.config["SCHEDULER_SWEEP_MINUTES"]), args=[app],
        id=SWEEP_JOB_ID, name="Herinneringen versturen", next_run_time=_soon(), **common,
    )
    scheduler.add_job(
        run_digest_job, CronTrigger(minute=0, timezone=BRUSSELS), args=[app],
        id=DIGEST_JOB_ID, name="Dagelijkse overzichten", **common,
    )


def _soon():
    return datetime.now(BRUSSELS) + timedelta(seconds=5)


def build_scheduler(app: Flask, blocking: bool = False):
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=BRUSSELS)
    add_jobs(scheduler, app)
    return scheduler


def start_background(app: Flask) -> BackgroundScheduler | None:
    """Start the scheduler inside this process (flask serve) if no other scheduler runs."""
    lock = acquire_lock(app)
    if lock is None:
        app.logger.warning("Er draait al een planner (scheduler); deze server start er geen.")
        return None
    scheduler = build_scheduler(app)
    scheduler.start()
    scheduler._warmeveranderen_lock = lock
    app.logger.info("Planner gestart: herinneringen elke %s minuten.", app.config["SCHEDULER_SWEEP_MINUTES"])
    return scheduler


def run_blocking(app: Flask) -> bool:
    """Run the scheduler in this process until stopped; False when another scheduler holds the lock."""
    lock = acquire_lock(app)
    if lock is None:
        app.logger.warning("Er draait al een planner (scheduler); deze stopt zonder taken uit te voeren.")
        return False
    try:
        build_scheduler(app, blocking=True).start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        lock.release()
    return True
