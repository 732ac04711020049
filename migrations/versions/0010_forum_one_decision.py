"""forum: one decision per round and one open round per subject, enforced by the database

Simultaneous submits saved several decisions on one round, and two rounds on one subject. Existing
duplicate decisions are chained as corrections of each other (oldest first), which keeps the
decision in force unchanged (it was already the latest one).

Revision ID: 0010_forum_one_decision
Revises: 0009_reminder_rules
Create Date: 2026-11-29 22:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010_forum_one_decision'
down_revision = '0009_reminder_rules'
branch_labels = None
depends_on = None


def _chain_duplicate_decisions(conn) -> None:
    rows = conn.execute(sa.text(
        "SELECT d.id, d.round_id FROM forum_decisions d WHERE d.corrects_id IS NULL "
        "AND d.round_id IN (SELECT round_id FROM forum_decisions WHERE corrects_id IS NULL "
        "GROUP BY round_id HAVING COUNT(*) > 1) ORDER BY d.round_id, d.decided_at, d.id"
    )).all()
    previous: dict[int, int] = {}
    for decision_id, round_id in rows:
        if round_id in previous:
            # Correct the last decision of the chain that nothing corrects yet.
            tail = previous[round_id]
            while (nxt := conn.execute(sa.text("SELECT id FROM forum_decisions WHERE corrects_id = :t"),
                                       {"t": tail}).scalar()) is not None:
                tail = nxt
            conn.execute(sa.text("UPDATE forum_decisions SET corrects_id = :t WHERE id = :d"),
                         {"t": tail, "d": decision_id})
        previous[round_id] = decision_id


def upgrade():
    conn = op.get_bind()
    with op.batch_alter_table('advice_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided', sa.Boolean(), server_default=sa.false(), nullable=False))
    conn.execute(sa.text(
        "UPDATE advice_rounds SET decided = :yes WHERE id IN (SELECT round_id FROM forum_decisions)"
    ), {"yes": True})
    duplicates = conn.execute(sa.text(
        "SELECT subject_kind, subject_id, COUNT(*) FROM advice_rounds WHERE decided = :no "
        "GROUP BY subject_kind, subject_id HAVING COUNT(*) > 1"
    ), {"no": False}).all()
    if duplicates:
        raise RuntimeError(
            "Several advice rounds without decision on one subject (subject_kind, subject_id, rounds): "
            f"{duplicates}. Record a decision on all but one of them, then run the migration again."
        )
    _chain_duplicate_decisions(conn)
    with op.batch_alter_table('advice_rounds', schema=None) as batch_op:
        batch_op.create_index('uq_advice_rounds_open_subject', ['subject_kind', 'subject_id'], unique=True,
                              sqlite_where=sa.text('decided = 0'), postgresql_where=sa.text('NOT decided'))
    with op.batch_alter_table('forum_decisions', schema=None) as batch_op:
        batch_op.create_index('uq_forum_decisions_round_first', ['round_id'], unique=True,
                              sqlite_where=sa.text('corrects_id IS NULL'),
                              postgresql_where=sa.text('corrects_id IS NULL'))


def downgrade():
    with op.batch_alter_table('forum_decisions', schema=None) as batch_op:
        batch_op.drop_index('uq_forum_decisions_round_first')
    with op.batch_alter_table('advice_rounds', schema=None) as batch_op:
        batch_op.drop_index('uq_advice_rounds_open_subject')
        batch_op.drop_column('decided')
