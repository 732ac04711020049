"""pagecache: a version per school and table, so a change of one kind re-renders only the parts that read it

Revision ID: 0030_school_table_versions
Revises: 0029_programme_indexes
Create Date: 2026-11-30 17:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0030_school_table_versions'
down_revision = '0029_programme_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'school_table_versions',
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_table_versions_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('school_id', 'table_name', name=op.f('pk_school_table_versions')),
    )


def downgrade():
    op.drop_table('school_table_versions')
