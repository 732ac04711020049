"""networks: questions between schools, the library (kennisbank), self-scans, the expertise network, star cases

Revision ID: 0022_networks
Revises: 0021_actionplan
Create Date: 2026-11-30 00:43:18.100174

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_networks'
down_revision = '0021_actionplan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('offer', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=255), nullable=False),
    sa.Column('website', sa.String(length=255), nullable=False),
    sa.Column('commitments', sa.Text(), nullable=False),
    sa.Column('building_blocks', sa.JSON(), nullable=False),
    sa.Column('health_cells', sa.JSON(), nullable=False),
    sa.Column('everywhere', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_partners_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('programme_id', 'name', name='uq_partners_programme_name')
    )
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partners_programme_id'), ['programme_id'], unique=False)

    op.create_table('partner_cities',
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['warm_cities.id'], name=op.f('fk_partner_cities_city_id_warm_cities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_cities_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partner_id', 'city_id', name=op.f('pk_partner_cities'))
    )
    op.create_table('partner_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('basket_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['basket_item_id'], ['basket_items.id'], name=op.f('fk_partner_offers_basket_item_id_basket_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_partner_offers_partner_id_partners'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_offers')),
    sa.UniqueConstraint('basket_item_id', name='uq_partner_offers_basket_item')
    )
    with op.batch_alter_table('partner_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_offers_partner_id'), ['partner_id'], unique=False)

    op.create_table('library_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('building_blocks', sa.JSON(), nullable=False),
    sa.Column('core_missions', sa.JSON(), nullable=False),
    sa.Column('health_level', sa.String(length=20), nullable=True),
    sa.Column('health_strategy', sa.String(length=20), nullable=True),
    sa.Column('links', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('document', 'tool', 'practice')", name=op.f('ck_library_items_kind')),
    sa.ForeignKeyConstraint(['network_id'], ['learning_networks.id'], name=op.f('fk_library_items_network_id_learning_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_library_items_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_library_items_school_id_schools'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_library_items_shared_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_items'))
    )
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.create_index('ix_library_items_network_created', ['network_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_items_shared_by_id'), ['shared_by_id'], unique=False)

    op.create_table('network_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('building_block', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("building_block IS NULL OR building_block IN ('structure', 'people', 'systems', 'culture', 'leadership')", name=op.f('ck_network_questions_building_block')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_network_questions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['learning_networks.id'], name=op.f('fk_network_questions_network_id_learning_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_network_questions_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_network_questions_school_id_schools'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_questions'))
    )
    with op.batch_alter_table('network_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_questions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_network_questions_network_created', ['network_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_questions_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_questions_school_id'), ['school_id'], unique=False)

    op.create_table('self_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_self_scans_school_id_schools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_self_scans_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_scans'))
    )
    with op.batch_alter_table('self_scans', schema=None) as batch_op:
        batch_op.create_index('ix_self_scans_school_kind_created', ['school_id', 'kind', 'created_at'], unique=False)

    op.create_table('star_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('process', sa.Text(), nullable=False),
    sa.Column('videos', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'published')", name=op.f('ck_star_cases_state')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_star_cases_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_star_cases_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_star_cases_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_cases'))
    )
    with op.batch_alter_table('star_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_star_cases_school_id'), ['school_id'], unique=False)
        batch_op.create_index('ix_star_cases_state_published', ['state', 'published_at'], unique=False)

    op.create_table('network_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_network_answers_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['network_questions.id'], name=op.f('fk_network_answers_question_id_network_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_network_answers_school_id_schools'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_answers'))
    )
    with op.batch_alter_table('network_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_answers_question_id'), ['question_id'], unique=False)

    op.create_table('star_case_moments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('sprint', 'initiative', 'decision', 'rating')", name=op.f('ck_star_case_moments_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['star_cases.id'], name=op.f('fk_star_case_moments_case_id_star_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_case_moments')),
    sa.UniqueConstraint('case_id', 'kind', 'ref_id', name='uq_star_case_moments_case_kind_ref')
    )
    op.create_table('library_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_library_uses_initiative_id_initiatives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['library_items.id'], name=op.f('fk_library_uses_item_id_library_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_library_uses_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_uses')),
    sa.UniqueConstraint('item_id', 'school_id', name='uq_library_uses_item_school')
    )
    with op.batch_alter_table('library_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_uses_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_uses_school_id'), ['school_id'], unique=False)

    op.create_table('self_scan_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scan_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('score IS NULL OR (score BETWEEN 1 AND 4)', name=op.f('ck_self_scan_answers_score')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_self_scan_answers_initiative_id_initiatives'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['scan_id'], ['self_scans.id'], name=op.f('fk_self_scan_answers_scan_id_self_scans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_scan_answers')),
    sa.UniqueConstraint('scan_id', 'question', name='uq_self_scan_answers_scan_question')
    )
    with op.batch_alter_table('self_scan_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_scan_answers_initiative_id'), ['initiative_id'], unique=False)



def downgrade():
    with op.batch_alter_table('self_scan_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_scan_answers_initiative_id'))

    op.drop_table('self_scan_answers')
    with op.batch_alter_table('library_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_uses_school_id'))
        batch_op.drop_index(batch_op.f('ix_library_uses_initiative_id'))

    op.drop_table('library_uses')
    op.drop_table('star_case_moments')
    with op.batch_alter_table('network_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_answers_question_id'))

    op.drop_table('network_answers')
    with op.batch_alter_table('star_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_star_cases_state_published')
        batch_op.drop_index(batch_op.f('ix_star_cases_school_id'))

    op.drop_table('star_cases')
    with op.batch_alter_table('self_scans', schema=None) as batch_op:
        batch_op.drop_index('ix_self_scans_school_kind_created')

    op.drop_table('self_scans')
    with op.batch_alter_table('network_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_questions_school_id'))
        batch_op.drop_index(batch_op.f('ix_network_questions_programme_id'))
        batch_op.drop_index('ix_network_questions_network_created')
        batch_op.drop_index(batch_op.f('ix_network_questions_author_id'))

    op.drop_table('network_questions')
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_items_shared_by_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_school_id'))
        batch_op.drop_index(batch_op.f('ix_library_items_programme_id'))
        batch_op.drop_index('ix_library_items_network_created')

    op.drop_table('library_items')
    with op.batch_alter_table('partner_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_offers_partner_id'))

    op.drop_table('partner_offers')
    op.drop_table('partner_cities')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_programme_id'))

    op.drop_table('partners')
