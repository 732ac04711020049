"""flask commands: the demo programme and creating the first coordinator."""

import logging
from datetime import UTC, datetime

import click
from flask import current_app
from werkzeug.serving import run_simple

from warmeveranderen import uow
from warmeveranderen.accounts.passwords import TOO_EASY, is_too_easy
from warmeveranderen.accounts.services import create_user, get_user_by_email, set_password
from warmeveranderen.demo import load_demo
from warmeveranderen.notifications.sweep import sweep
from warmeveranderen.programme.demo import DEMO_ACCOUNTS, demo_email, demo_loaded
from warmeveranderen.scheduler import run_blocking, start_background
from warmeveranderen.timeutil import BRUSSELS


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Alleen laden als er nog geen demo is.")
def demo_command(if_empty: bool) -> None:
    """Load the demo programme (the real schools of 2017-2020) and one account per role."""
    if current_app.config["ENV"] == "production":
        raise click.ClickException("De demo laadt niet in productie (ENV=production).")
    if if_empty and demo_loaded():
        click.echo("Demo is al geladen.")
    else:
        school = load_demo()
        click.echo(f"Demo geladen; demoschool: {school.name}.")
    click.echo(f"Demo-accounts (wachtwoord: {current_app.config['DEMO_PASSWORD']}):")
    for local, name, *_rest in DEMO_ACCOUNTS:
        click.echo(f"  {demo_email(local):40} {name}")


@click.command("create-coordinator")
@click.argument("email")
@click.option("--name", prompt="Naam", help="De naam van de coördinator.")
@click.password_option(prompt="Wachtwoord", confirmation_prompt="Herhaal het wachtwoord")
def create_coordinator_command(email: str, name: str, password: str) -> None:
    """Create a programme coordinator for a real installation."""
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException(f"Kies een wachtwoord van minstens {current_app.config['PASSWORD_MIN_LENGTH']} tekens.")
    if is_too_easy(password, email=email, name=name):
        raise click.ClickException(str(TOO_EASY))
    with uow.job_unit():
        user = get_user_by_email(email)
        if user is None:
            user = create_user(email, name, password, is_coordinator=True)
        else:
            user.is_coordinator = True
            set_password(user, password)
    click.echo(f"Coördinator {user.email} is klaar.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="De planner (herinneringen, overzichten) in dit proces laten draaien.")
def serve_command(host: str, port: int, scheduler: bool) -> None:
    """Serve the app in one process with the scheduler (development and the Quick start)."""
    app = current_app._get_current_object()
    if not app.config["BASE_URL_CONFIGURED"] and app.config["ENV"] != "production":
        # Links made outside a request (the scheduler's emails) point to where this server listens.
        app.config["BASE_URL"] = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    running = start_background(app) if scheduler else None
    if running is not None:
        click.echo(f"Planner draait in dit proces: herinneringen elke {app.config['SCHEDULER_SWEEP_MINUTES']} minuten.")
    elif scheduler:
        click.echo("Er draait al een planner; deze server start er geen.")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if running is not None:
            running.shutdown(wait=False)
            running._warmeveranderen_lock.release()


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler as its own process (production: exactly one)."""
    # One line per sweep on stderr (for journald or the process supervisor's log).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

    click.echo(f"Planner: herinneringen elke {current_app.config['SCHEDULER_SWEEP_MINUTES']} minuten; stoppen met Ctrl+C.")
    if not run_blocking(current_app._get_current_object()):
        raise click.ClickException("Er draait al een planner; deze start geen taken.")


@click.group("reminders")
def reminders_group() -> None:
    """Reminders: run a sweep by hand."""


@reminders_group.command("sweep")
@click.option("--now", "now_text", default=None,
              help="Doe alsof het nu dit tijdstip is (ISO, Brusselse tijd), bv. 2026-12-01T08:00.")
@click.option("--dry-run", is_flag=True, help="Alleen tonen wat verstuurd zou worden; niets versturen of opslaan.")
def sweep_command(now_text: str | None, dry_run: bool) -> None:
    """Ask every reminder rule what is due and send it (once); print what was sent."""
    now = None
    if now_text:
        try:
            parsed = datetime.fromisoformat(now_text)
        except ValueError as exc:
            raise click.BadParameter("Gebruik een ISO-tijdstip, bv. 2026-12-01T08:00.", param_hint="--now") from exc
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=BRUSSELS)
        now = parsed.astimezone(UTC).replace(tzinfo=None)
    # One job; the sweep commits each step of its own (exactly-once delivery, see notifications/sweep.py).
    with uow.job_unit():
        report = sweep(now, dry_run=dry_run, source="command")
    verb = "zou versturen" if dry_run else "verstuurd"
    for rule, email, title in report.sent:
        click.echo(f"{verb}: [{rule}] {email}: {title}")
    if dry_run:
        click.echo(f"Proefronde: {len(report.sent)} herinneringen zouden vertrekken; niets verstuurd of bewaard.")
    else:
        click.echo(
            f"{len(report.sent)} herinneringen verstuurd, {report.emails_sent} e-mails, "
            f"{report.digests_sent} overzichten, {len(report.errors)} fouten."
        )
    for error in report.errors:
        click.echo(f"fout: {error}", err=True)


def init_app(app) -> None:
    app.cli.add_command(serve_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(reminders_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_coordinator_command)
