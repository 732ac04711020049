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

    op.create_table('initiative_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_initiative_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_comments_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_initiative_comments_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_comments'))
    )
    with op.batch_alter_table('initiative_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_initiative_comments_initiative_created', ['initiative_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_comments_school_id'), ['school_id'], unique=False)

    op.create_table('initiative_comment_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['initiative_comments.id'], name=op.f('fk_initiative_comment_revisions_comment_id_initiative_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_comment_revisions'))
    )
    with op.batch_alter_table('initiative_comment_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_comment_revisions_comment_id'), ['comment_id'], unique=False)

    op.create_table('initiative_comment_mentions',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['initiative_comments.id'], name=op.f('fk_initiative_comment_mentions_comment_id_initiative_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_initiative_comment_mentions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', 'user_id', name=op.f('pk_initiative_comment_mentions'))
    )
    with op.batch_alter_table('initiative_comment_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_comment_mentions_user_id'), ['user_id'], unique=False)

    op.create_table('initiative_discussion_reads',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_discussion_reads_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_initiative_discussion_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', 'user_id', name=op.f('pk_initiative_discussion_reads'))
    )
    with op.batch_alter_table('initiative_discussion_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_discussion_reads_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('initiative_discussion_reads')
    op.drop_table('initiative_comment_mentions')
    op.drop_table('initiative_comment_revisions')
    op.drop_table('initiative_comments')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_school_id'))
        batch_op.drop_index('ix_attachments_parent')
    op.drop_table('attachments')
