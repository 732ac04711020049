"""intake: the matching cap is optional (the seeds say 1:1, no cap; NULL is no cap)

Revision ID: 0015_matching_cap_optional
Revises: 0014_session_version
Create Date: 2026-11-29 22:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015_matching_cap_optional'
down_revision = '0014_session_version'
branch_labels = None
depends_on = None

TABLES = ('intake_programme_terms', 'intake_agreement_versions')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('matching_cap', existing_type=sa.Numeric(12, 2), nullable=True)


def downgrade():
    # A missing cap becomes the former default of 5,000 euro.
    for table in TABLES:
        op.execute(sa.text(f"UPDATE {table} SET matching_cap = 5000 WHERE matching_cap IS NULL"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('matching_cap', existing_type=sa.Numeric(12, 2), nullable=False)
