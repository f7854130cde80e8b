"""relations: the people and companies an account holder files for; dossiers say for whom

Revision ID: f15c2e3f4a51
Revises: 3c9e5a7f1b42
Create Date: 2026-12-02 03:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'f15c2e3f4a51'
down_revision: Union[str, Sequence[str], None] = '3c9e5a7f1b42'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('link', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('birth_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('usage_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('first_names', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birthplace', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('company_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address_line', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('holder_role', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relations_owner_id'), ['owner_id'], unique=False)

    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relation_id', sa.Integer(), nullable=True))
        # Every dossier filed so far was for its account holder: {}.
        batch_op.add_column(sa.Column('for_whom', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.create_index(batch_op.f('ix_dossiers_relation_id'), ['relation_id'], unique=False)
        batch_op.create_foreign_key('fk_dossiers_relation_id_relations', 'relations', ['relation_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_dossiers_relation_id_relations', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dossiers_relation_id'))
        batch_op.drop_column('for_whom')
        batch_op.drop_column('relation_id')

    with op.batch_alter_table('relations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relations_owner_id'))

    op.drop_table('relations')
