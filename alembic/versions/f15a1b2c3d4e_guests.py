"""guests: filing without an account (guests table, guest dossiers, guest tokens and receipts)

Revision ID: f15a1b2c3d4e
Revises: f13a0c1d2e3f
Create Date: 2026-12-02 06:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'f15a1b2c3d4e'
down_revision: Union[str, Sequence[str], None] = 'f13b2c3d4e5f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('code_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('code_attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_dossiers_guest_email'), ['guest_email'], unique=False)
        batch_op.alter_column('owner_id', existing_type=sa.INTEGER(), nullable=True)
    with op.batch_alter_table('one_time_tokens', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.INTEGER(), nullable=True)
    with op.batch_alter_table('filing_receipts', schema=None) as batch_op:
        batch_op.alter_column('owner_id', existing_type=sa.INTEGER(), nullable=True)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('filing_receipts', schema=None) as batch_op:
        batch_op.alter_column('owner_id', existing_type=sa.INTEGER(), nullable=False)
    with op.batch_alter_table('one_time_tokens', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.INTEGER(), nullable=False)
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('owner_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_dossiers_guest_email'))
        batch_op.drop_column('guest_email')
    op.drop_table('guests')
