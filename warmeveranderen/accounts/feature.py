"""Accounts: login, invitations, password reset, the profile.

How this feature plugs into the app: `create_app` calls `init_app` (see `warmeveranderen.FEATURES`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen.accounts import views


def init_app(app: Flask) -> None:
    """Register the blueprint."""
    app.register_blueprint(views.bp)
