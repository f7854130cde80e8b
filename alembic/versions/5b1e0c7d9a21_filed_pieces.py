"""filed pieces: every version of a piece, one row per submission

Revision ID: 5b1e0c7d9a21
Revises: ac883333479c
Create Date: 2026-12-01 17:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '5b1e0c7d9a21'
down_revision: Union[str, Sequence[str], None] = 'ac883333479c'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('filed_pieces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('piece_code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('filed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=130), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('filed_pieces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_filed_pieces_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filed_pieces_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_filed_pieces_stored_name'), ['stored_name'], unique=False)

    # Dossiers filed before this table: their frozen copies become the version of their last
    # filing (earlier versions were not kept then).
    op.execute(
        "INSERT INTO filed_pieces (dossier_id, owner_id, piece_code, filed_at, stored_name, name, kind, size, sha256) "
        "SELECT p.dossier_id, p.owner_id, p.piece_code, COALESCE(d.submitted_at, p.frozen_at), p.stored_name, "
        "p.name, p.kind, p.size, p.sha256 "
        "FROM dossier_pieces p JOIN dossiers d ON d.id = p.dossier_id "
        "WHERE p.frozen_at IS NOT NULL AND p.stored_name IS NOT NULL"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('filed_pieces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_filed_pieces_stored_name'))
        batch_op.drop_index(batch_op.f('ix_filed_pieces_owner_id'))
        batch_op.drop_index(batch_op.f('ix_filed_pieces_dossier_id'))

    op.drop_table('filed_pieces')
