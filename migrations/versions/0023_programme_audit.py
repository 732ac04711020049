"""programme: an audit log of structural corrections (rename, merge, remove a city, network or school)

Revision ID: 0023_programme_audit
Revises: 0022_networks
Create Date: 2026-11-30 00:45:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023_programme_audit'
down_revision = '0022_networks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programme_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.CheckConstraint("action IN ('rename', 'merge', 'remove')", name=op.f('ck_programme_audit_action')),
    sa.CheckConstraint("subject IN ('city', 'network', 'school')", name=op.f('ck_programme_audit_subject')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_audit_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_audit'))
    )
    with op.batch_alter_table('programme_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_audit_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_audit_at'))
    op.drop_table('programme_audit')
