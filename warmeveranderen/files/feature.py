"""Attachments (bijlagen): a shared layer next to notifications that features use for their objects.

A feature registers its objects as parents with `@attachment_parent` (files/registry.py) and shows
`{{ attachments_panel(kind, id) }}` on their page; this layer stores, checks, serves and cleans up.
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.files import commands, permissions, services, upkeep, views


def init_app(app: Flask) -> None:
    """The blueprint, the permissions, the panel for parents' pages, the ORM hook, the upkeep and the command."""
    app.register_blueprint(views.bp)
    plugins.register(permissions, upkeep)
    app.add_template_global(views.attachments_panel, "attachments_panel")
    app.add_template_filter(views.filesize, "filesize")
    services.init_app(app)
    app.cli.add_command(commands.group)
