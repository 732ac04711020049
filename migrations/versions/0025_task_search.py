"""search: the tasks of the action plans in the school's search (PostgreSQL's Dutch full-text GIN index)

Revision ID: 0025_task_search
Revises: 0024_governance
Create Date: 2026-11-30 01:45:00

"""
from alembic import op

# The document of warmeveranderen.fulltext.document_index("ix_action_tasks_search", ...) in the model.
DOCUMENT = "coalesce(CAST(title AS VARCHAR), '') || ' ' || coalesce(CAST(notes AS VARCHAR), '')"

# revision identifiers, used by Alembic.
revision = '0025_task_search'
down_revision = '0024_governance'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_action_tasks_search ON action_tasks USING gin (to_tsvector('dutch'::regconfig, {DOCUMENT}))")


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_action_tasks_search")
