"""Accounts: login (with a password or single sign-on), invitations, password reset, the profile.

How this feature plugs into the app: `create_app` calls `init_app` (see `register_features`).
"""

from __future__ import annotations

from flask import Flask

from warmeveranderen import plugins
from warmeveranderen.accounts import loading, permissions, views, views_sso, views_tokens
from warmeveranderen.extensions import login_manager


def init_app(app: Flask) -> None:
    """Register the blueprints, single sign-on's permission and the user loader."""
    app.register_blueprint(views.bp)
    app.register_blueprint(views_sso.bp)
    app.register_blueprint(views_tokens.bp)
    plugins.register(permissions)
    login_manager.user_loader(loading.load_user)
