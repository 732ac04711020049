"""surveys: the programme's survey settings (minimum group size, what stands out), kept by the coordinator

Revision ID: 0027_survey_settings
Revises: 0026_surveys
Create Date: 2026-11-30 02:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_survey_settings'
down_revision = '0026_surveys'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('min_responses', sa.Integer(), nullable=False),
    sa.Column('notable_low_share', sa.Integer(), nullable=False),
    sa.Column('clear_fall', sa.Numeric(precision=3, scale=1), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_survey_settings_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_settings'))
    )


def downgrade():
    op.drop_table('survey_settings')
