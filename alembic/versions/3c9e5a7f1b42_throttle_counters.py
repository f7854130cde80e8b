"""throttle counters: mail throttles, /suivi lookups and login failures by keyed hash; users lose their failure count

Revision ID: 3c9e5a7f1b42
Revises: 5b1e0c7d9a21
Create Date: 2026-12-02 00:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '3c9e5a7f1b42'
down_revision: Union[str, Sequence[str], None] = '5b1e0c7d9a21'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('throttle_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('window_start', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'key')
    )
    with op.batch_alter_table('throttle_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_counters_window_start'), ['window_start'], unique=False)

    # /suivi lookups are counted in throttle_counters too (kind tracking_lookup).
    with op.batch_alter_table('tracking_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_attempts_ip_key'))
        batch_op.drop_index(batch_op.f('ix_tracking_attempts_email_key'))
        batch_op.drop_index(batch_op.f('ix_tracking_attempts_at'))
    op.drop_table('tracking_attempts')

    # Failures now live in throttle_counters, keyed by address whether an account has it or not;
    # the old per-account counts (and the permanent block they led to) are dropped.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_failed_login_at')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_table('tracking_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('email_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ip_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tracking_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracking_attempts_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_attempts_email_key'), ['email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_attempts_ip_key'), ['ip_key'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_failed_login_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    with op.batch_alter_table('throttle_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_counters_window_start'))

    op.drop_table('throttle_counters')
