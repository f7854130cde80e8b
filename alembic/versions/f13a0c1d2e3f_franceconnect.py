"""franceconnect: linked identity and birth place on users, FranceConnect data on login sessions, trips to the provider

Revision ID: f13a0c1d2e3f
Revises: f14b1d2e3f40
Create Date: 2026-12-02 03:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'f13a0c1d2e3f'
down_revision: Union[str, Sequence[str], None] = 'f14b1d2e3f40'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('franceconnect_logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('browser_key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('nonce', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('code_verifier', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('return_to', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('identity', sa.Text(), server_default='', nullable=False),
    sa.Column('id_token', sa.Text(), server_default='', nullable=False),
    sa.Column('acr', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('franceconnect_logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_franceconnect_logins_state_hash'), ['state_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_franceconnect_logins_browser_key_hash'), ['browser_key_hash'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fc_sub', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('birthplace', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='', nullable=False))
        batch_op.add_column(sa.Column('birth_country', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='', nullable=False))
        batch_op.create_unique_constraint('uq_users_fc_sub', ['fc_sub'])

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fc_id_token', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('fc_acr', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('fc_authenticated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_column('fc_authenticated_at')
        batch_op.drop_column('fc_acr')
        batch_op.drop_column('fc_id_token')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_fc_sub', type_='unique')
        batch_op.drop_column('birth_country')
        batch_op.drop_column('birthplace')
        batch_op.drop_column('fc_sub')

    with op.batch_alter_table('franceconnect_logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_franceconnect_logins_browser_key_hash'))
        batch_op.drop_index(batch_op.f('ix_franceconnect_logins_state_hash'))

    op.drop_table('franceconnect_logins')
