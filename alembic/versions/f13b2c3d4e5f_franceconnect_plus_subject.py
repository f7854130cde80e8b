"""franceconnect_plus_subject: FranceConnect+ gives its own subject, stored beside FranceConnect's

Revision ID: f13b2c3d4e5f
Revises: f13a0c1d2e3f
Create Date: 2026-12-02 06:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'f13b2c3d4e5f'
down_revision: Union[str, Sequence[str], None] = 'f13a0c1d2e3f'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fcplus_sub', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.create_unique_constraint('uq_users_fcplus_sub', ['fcplus_sub'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_fcplus_sub', type_='unique')
        batch_op.drop_column('fcplus_sub')
