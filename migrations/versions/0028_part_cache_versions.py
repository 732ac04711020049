"""pagecache: a version per school and for the programme, bumped by every unit of work that changes them

Revision ID: 0028_part_cache_versions
Revises: 0027_survey_settings
Create Date: 2026-11-30 04:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028_part_cache_versions'
down_revision = '0027_survey_settings'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cache_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cache_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('cache_version')
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_column('cache_version')
