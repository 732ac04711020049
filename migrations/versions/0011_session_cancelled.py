"""coaching sessions: cancelled (planned and held follow from the date)

Revision ID: 0011_session_cancelled
Revises: 0010_forum_one_decision
Create Date: 2026-11-29 22:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_session_cancelled'
down_revision = '0010_forum_one_decision'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('coaching_sessions', schema=None) as batch_op:
        batch_op.drop_column('cancelled')
