"""programme pages: indexes for what they sort by (people by name, the school list by warm city and
name, Opvolging by school name), so a page of 50 or 100 is read in order instead of sorting them all

Revision ID: 0029_programme_indexes
Revises: 0028_part_cache_versions
Create Date: 2026-12-01 03:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029_programme_indexes'
down_revision = '0028_part_cache_versions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_name', 'users', ['name', 'id'])
    op.create_index('ix_warm_cities_name', 'warm_cities', ['name', 'id'])
    op.create_index('ix_schools_name', 'schools', ['name', 'id'])
    op.create_index('ix_schools_city_name', 'schools', ['city_id', 'name', 'id'])


def downgrade():
    op.drop_index('ix_schools_city_name', table_name='schools')
    op.drop_index('ix_schools_name', table_name='schools')
    op.drop_index('ix_warm_cities_name', table_name='warm_cities')
    op.drop_index('ix_users_name', table_name='users')
