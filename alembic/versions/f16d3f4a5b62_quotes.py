"""quotes: training quote requests to providers, their versions and their history

Revision ID: f16d3f4a5b62
Revises: f15c2e3f4a51
Create Date: 2026-12-02 03:16:10.184838

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'f16d3f4a5b62'
down_revision: Union[str, Sequence[str], None] = 'f15c2e3f4a51'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('quote_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('provider_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('provider_siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('provider_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('wished_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('wished_start', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('wished_end', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('wished_hours', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('token_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('accepted_version_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('withdrawal_ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('finalised_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_quote_requests_dossier_id'), 'quote_requests', ['dossier_id'], unique=False)
    op.create_index(op.f('ix_quote_requests_owner_id'), 'quote_requests', ['owner_id'], unique=False)
    op.create_index(op.f('ix_quote_requests_status'), 'quote_requests', ['status'], unique=False)
    op.create_index(op.f('ix_quote_requests_withdrawal_ends_at'), 'quote_requests', ['withdrawal_ends_at'], unique=False)
    op.create_table('quote_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['quote_requests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_quote_events_request_id'), 'quote_events', ['request_id'], unique=False)
    op.create_table('quote_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('certification_code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('hours_training', sa.Integer(), nullable=False),
    sa.Column('hours_company', sa.Integer(), nullable=False),
    sa.Column('location_line', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('location_postal_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('location_city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('price_teaching', sa.Integer(), nullable=False),
    sa.Column('price_extra', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('programme_stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('programme_name', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('programme_size', sa.Integer(), nullable=False),
    sa.Column('programme_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('refused_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('refusal_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['quote_requests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_quote_versions_request_id'), 'quote_versions', ['request_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_quote_versions_request_id'), table_name='quote_versions')
    op.drop_table('quote_versions')
    op.drop_index(op.f('ix_quote_events_request_id'), table_name='quote_events')
    op.drop_table('quote_events')
    op.drop_index(op.f('ix_quote_requests_withdrawal_ends_at'), table_name='quote_requests')
    op.drop_index(op.f('ix_quote_requests_status'), table_name='quote_requests')
    op.drop_index(op.f('ix_quote_requests_owner_id'), table_name='quote_requests')
    op.drop_index(op.f('ix_quote_requests_dossier_id'), table_name='quote_requests')
    op.drop_table('quote_requests')
