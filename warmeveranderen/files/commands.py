"""`flask files orphans`: find (and with --delete remove) attachments without a parent and stored files without a row."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from warmeveranderen.files import services
from warmeveranderen.uow import job_unit

group = AppGroup("files", help="Bijlagen: opslag nakijken.")


@group.command("orphans")
@click.option("--delete", is_flag=True, help="Remove them (otherwise only list them).")
@click.option("--min-age", default=3600, show_default=True, help="Spare stored files younger than this (seconds).")
def orphans(delete: bool, min_age: int) -> None:
    """List attachments whose parent is gone and stored files that no attachment names."""
    if delete:
        with job_unit():
            rows, files = services.clean_orphans(min_age)
        click.echo(f"removed {rows} attachments without a parent and {files} stored files without a row")
        return
    for attachment in services.orphan_rows():
        click.echo(f"attachment {attachment.id}: {attachment.parent_kind} #{attachment.parent_id} is gone")
    for key in services.orphan_keys(min_age):
        click.echo(f"stored file without a row: {key}")
