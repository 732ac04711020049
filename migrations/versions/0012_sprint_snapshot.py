"""sprints: a snapshot at close; initiatives: whether they need the forum's advice; reopen in the history

Revision ID: 0012_sprint_snapshot
Revises: 0011_session_cancelled
Create Date: 2026-11-29 22:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_sprint_snapshot'
down_revision = '0011_session_cancelled'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sprints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('snapshot', sa.JSON(), nullable=True))
    # Existing initiatives keep the rule "done only after a decision on the forum's advice".
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_advice', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('sprint_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sprint_changes_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_sprint_changes_kind'), "kind IN ('calendar', 'move', 'length', 'reopen')")


def downgrade():
    op.execute("DELETE FROM sprint_changes WHERE kind = 'reopen'")
    with op.batch_alter_table('sprint_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sprint_changes_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sprint_changes_kind'), "kind IN ('calendar', 'move', 'length')")
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_column('needs_advice')
    with op.batch_alter_table('sprints', schema=None) as batch_op:
        batch_op.drop_column('snapshot')
