"""the board and search: a school's labels on initiatives; full-text indexes for the school's search

The GIN indexes are PostgreSQL's only (SQLite searches with LIKE); each is the very expression the
search sources query (`warmeveranderen.fulltext`), so the planner can use it.

Revision ID: 0018_board
Revises: 0017_accounts_sso_api
Create Date: 2026-11-30 00:22:00

"""
import sqlalchemy as sa
from alembic import op

# (index, table, columns): the documents of warmeveranderen.fulltext.document_index in the models.
SEARCH_INDEXES = (
    ("ix_initiatives_search", "initiatives", ("title", "description")),
    ("ix_ideas_search", "ideas", ("title", "body", "answer_reason")),
    ("ix_decisions_search", "forum_decisions", ("subject_title", "reasons")),
    ("ix_forum_sessions_search", "forum_sessions", ("minutes_summary",)),
)


def _document(columns) -> str:
    return " || ' ' || ".join(f"coalesce(CAST({c} AS VARCHAR), '')" for c in columns)


# revision identifiers, used by Alembic.
revision = '0018_board'
down_revision = '0017_accounts_sso_api'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('colour', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("colour IN ('blue', 'green', 'yellow', 'orange', 'red', 'purple', 'grey')", name=op.f('ck_labels_colour')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_labels_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_labels')),
    sa.UniqueConstraint('school_id', 'name', name=op.f('uq_labels_school_id'))
    )
    op.create_table('initiative_labels',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_labels_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['labels.id'], name=op.f('fk_initiative_labels_label_id_labels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', 'label_id', name=op.f('pk_initiative_labels'))
    )
    with op.batch_alter_table('initiative_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_labels_label_id'), ['label_id'], unique=False)
    if op.get_context().dialect.name == "postgresql":
        for name, table, columns in SEARCH_INDEXES:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (to_tsvector('dutch'::regconfig, {_document(columns)}))")


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        for name, _table, _columns in SEARCH_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('initiative_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_labels_label_id'))

    op.drop_table('initiative_labels')
    op.drop_table('labels')
