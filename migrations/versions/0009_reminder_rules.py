"""reminder rules: date indexes so each rule reads a narrow window over all schools

Revision ID: 0009_reminder_rules
Revises: 0008_reminders
Create Date: 2026-11-21 10:55:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_reminder_rules'
down_revision = '0008_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sprints', schema=None) as batch_op:
        batch_op.create_index('ix_sprints_start_date', ['start_date'], unique=False)
        batch_op.create_index('ix_sprints_end_date', ['end_date'], unique=False)
    with op.batch_alter_table('flywheel_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_flywheel_meetings_school_held', ['school_id', 'held_on'], unique=False)
    with op.batch_alter_table('forum_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_forum_sessions_starts_at', ['starts_at'], unique=False)
    with op.batch_alter_table('advice_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_advice_rounds_deadline', ['deadline'], unique=False)


def downgrade():
    with op.batch_alter_table('advice_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_advice_rounds_deadline')
    with op.batch_alter_table('forum_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_forum_sessions_starts_at')
    with op.batch_alter_table('flywheel_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_flywheel_meetings_school_held')
    with op.batch_alter_table('sprints', schema=None) as batch_op:
        batch_op.drop_index('ix_sprints_end_date')
        batch_op.drop_index('ix_sprints_start_date')
