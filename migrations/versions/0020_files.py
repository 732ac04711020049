"""files: attachments (bijlagen) on any registered parent, and the discussion per initiative

Revision ID: 0020_files
Revises: 0016_school_calendar
Create Date: 2026-11-30 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_files'
down_revision = '0016_school_calendar'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_kind', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('preview_key', sa.String(length=200), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('size >= 0', name=op.f('ck_attachments_size')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_attachments_school_id_schools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_parent', ['parent_kind', 'parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_school_id'), ['school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_school_id'))
        batch_op.drop_index('ix_attachments_parent')
    op.drop_table('attachments')
