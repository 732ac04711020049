"""The migrations build exactly the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from warmeveranderen import create_app, fulltext
from warmeveranderen.extensions import db


def test_migrations_match_the_models(app):
    """The test database was built by `upgrade()`; autogenerate must find nothing to add or change."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                         "include_object": fulltext.include_in_autogenerate})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


def test_the_search_indexes_exist_on_postgresql(app):
    """The full-text indexes (hand-written in 0018_board and 0025_task_search, PostgreSQL only) are there,
    one per document."""
    names = {ix["name"] for table in ("initiatives", "ideas", "forum_decisions", "forum_sessions", "action_tasks")
             for ix in inspect(db.engine).get_indexes(table)}
    if db.engine.dialect.name == "postgresql":
        assert fulltext.INDEX_NAMES <= names
    else:
        assert not fulltext.INDEX_NAMES & names


def test_migrations_go_down_and_up_again(tmp_path):
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with scratch.app_context():
        upgrade()
        assert {"users", "schools", "memberships", "invitations", "login_attempts"} <= set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
