"""flask import structure|sessions FILE.csv and flask report sessions --format csv."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import func

from warmeveranderen import uow
from warmeveranderen.extensions import db
from warmeveranderen.programme.models import LearningNetwork, WarmCity
from warmeveranderen.security import csv_rows
from warmeveranderen.tracking import dashboards, imports
from warmeveranderen.tracking.services import TrackingError


def _run_import(kind: str, path: Path) -> None:
    # Messages go through Flask-Babel, which picks the language per request: use the default (Dutch).
    with current_app.test_request_context(), uow.job_unit():
        _import(kind, path)


def _import(kind: str, path: Path) -> None:
    columns = imports.STRUCTURE_COLUMNS if kind == "structure" else imports.SESSION_COLUMNS
    try:
        rows = imports.read_csv(path.read_bytes(), columns)
    except TrackingError as exc:
        raise click.ClickException(str(exc)) from None
    result = imports.import_structure(rows) if kind == "structure" else imports.import_sessions(rows)
    if not result.ok:
        for line, reason in result.refused:
            click.echo(f"regel {line}: {reason}", err=True)
        raise click.ClickException(
            f"{len(result.refused)} regel(s) geweigerd; er is niets ingelezen. Verbeter het bestand en probeer opnieuw."
        )
    click.echo(f"{result.created} nieuw, {result.unchanged} al aanwezig.")
    if result.people_without_login:
        click.echo("Adviseurs zonder account, bewaard als persoon zonder login: "
                   + ", ".join(result.people_without_login) + ".")


@click.group("import")
def import_group() -> None:
    """Import the programme's structure or coaching sessions from CSV (idempotent; all or nothing)."""


@import_group.command("structure")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_structure_command(file: Path) -> None:
    """Columns warm_city,network,school."""
    _run_import("structure", file)


@import_group.command("sessions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_sessions_command(file: Path) -> None:
    """Columns date,kind,network,school,adviser_email,duration_minutes,notes (kind: collectief|individueel)."""
    _run_import("sessions", file)


@click.group("report")
def report_group() -> None:
    """Figures of the programme report."""


def _named(model, name: str | None) -> int | None:
    if not name:
        return None
    found = db.session.scalar(db.select(model.id).where(func.lower(model.name) == name.strip().lower()))
    if found is None:
        raise click.ClickException(f"Onbekend: {name}")
    return found


@report_group.command("sessions")
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD), inclusive.")
@click.option("--city", help="A warm city, by name.")
@click.option("--network", help="A learning network, by name.")
def report_sessions_command(fmt: str, start, end, city: str | None, network: str | None) -> None:
    """The report's session table: held sessions (collective on the network's own row), planned ones apart."""
    filters = dashboards.ReportFilters(
        start=start.date() if start else None, end=end.date() if end else None,
        city_id=_named(WarmCity, city), network_id=_named(LearningNetwork, network),
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(dashboards.SESSION_HEADER)
    writer.writerows(csv_rows(dashboards.session_rows(None, filters)))


COMMANDS = [import_group, report_group]
