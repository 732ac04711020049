"""school calendar: own days, the cadence's counting rule, replanned sprints in the history, holidays in feeds

Existing cadences keep rule "calendar_days": their stored sprints stay as they are, and the next
upkeep replans only their future sprints in school weeks (`sprints.cadence.replan_legacy_cadences`).

Revision ID: 0016_school_calendar
Revises: 0015_matching_cap_optional
Create Date: 2026-11-29 22:40:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_school_calendar'
down_revision = '0015_matching_cap_optional'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('own_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_own_days_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_own_days_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_own_days'))
    )
    with op.batch_alter_table('own_days', schema=None) as batch_op:
        batch_op.create_index('ix_own_days_school_day', ['school_id', 'day'], unique=False)
    with op.batch_alter_table('sprint_calendars', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule', sa.String(length=20), server_default='calendar_days', nullable=False))
    with op.batch_alter_table('sprint_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sprint_changes_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sprint_changes_kind'), "kind IN ('calendar', 'move', 'length', 'reopen', 'replan')")
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holidays_in_feed', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.drop_column('holidays_in_feed')
    op.execute("DELETE FROM sprint_changes WHERE kind = 'replan'")
    with op.batch_alter_table('sprint_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sprint_changes_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sprint_changes_kind'), "kind IN ('calendar', 'move', 'length', 'reopen')")
    with op.batch_alter_table('sprint_calendars', schema=None) as batch_op:
        batch_op.drop_column('rule')
    with op.batch_alter_table('own_days', schema=None) as batch_op:
        batch_op.drop_index('ix_own_days_school_day')
    op.drop_table('own_days')
