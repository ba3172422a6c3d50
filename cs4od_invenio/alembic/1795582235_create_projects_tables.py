"""Create the tables of projects: parents, records (+ history), drafts, versions, communities."""

import sqlalchemy as sa
import invenio_db.shared
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1795582235"
down_revision = "1795582210"
branch_labels = ()
depends_on = (
    "de9c14cbb0b2",  # invenio-communities: communities_metadata
    "a14fa442680f",  # invenio-requests: request_metadata
)


def upgrade():
    """Create the tables."""
    op.create_table('cs4od_projects_metadata_version',
    sa.Column('id', sqlalchemy_utils.types.uuid.UUIDType(), autoincrement=False, nullable=False),
    sa.Column('json', sa.JSON().with_variant(sqlalchemy_utils.types.json.JSONType(), 'mysql').with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql').with_variant(sqlalchemy_utils.types.json.JSONType(), 'sqlite'), autoincrement=False, nullable=True),
    sa.Column('version_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('created', invenio_db.shared.UTCDateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('updated', invenio_db.shared.UTCDateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('index', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('parent_id', sqlalchemy_utils.types.uuid.UUIDType(), autoincrement=False, nullable=True),
    sa.Column('transaction_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('end_transaction_id', sa.BigInteger(), nullable=True),
    sa.Column('operation_type', sa.SmallInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', 'transaction_id', name=op.f('pk_cs4od_projects_metadata_version'))
    )
    op.create_index(op.f('ix_cs4od_projects_metadata_version_end_transaction_id'), 'cs4od_projects_metadata_version', ['end_transaction_id'], unique=False)
    op.create_index(op.f('ix_cs4od_projects_metadata_version_operation_type'), 'cs4od_projects_metadata_version', ['operation_type'], unique=False)
    op.create_index(op.f('ix_cs4od_projects_metadata_version_transaction_id'), 'cs4od_projects_metadata_version', ['transaction_id'], unique=False)
    op.create_table('cs4od_projects_parents_metadata',
    sa.Column('id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('json', sa.JSON().with_variant(sqlalchemy_utils.types.json.JSONType(), 'mysql').with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql').with_variant(sqlalchemy_utils.types.json.JSONType(), 'sqlite'), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('created', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cs4od_projects_parents_metadata'))
    )
    op.create_table('cs4od_projects_drafts_metadata',
    sa.Column('fork_version_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', invenio_db.shared.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('json', sa.JSON().with_variant(sqlalchemy_utils.types.json.JSONType(), 'mysql').with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql').with_variant(sqlalchemy_utils.types.json.JSONType(), 'sqlite'), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('created', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.Column('index', sa.Integer(), nullable=True),
    sa.Column('parent_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['cs4od_projects_parents_metadata.id'], name=op.f('fk_cs4od_projects_drafts_metadata_parent_id_cs4od_projects_parents_metadata'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cs4od_projects_drafts_metadata'))
    )
    op.create_table('cs4od_projects_metadata',
    sa.Column('id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('json', sa.JSON().with_variant(sqlalchemy_utils.types.json.JSONType(), 'mysql').with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), 'postgresql').with_variant(sqlalchemy_utils.types.json.JSONType(), 'sqlite'), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('created', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated', invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    sa.Column('index', sa.Integer(), nullable=True),
    sa.Column('parent_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['cs4od_projects_parents_metadata.id'], name=op.f('fk_cs4od_projects_metadata_parent_id_cs4od_projects_parents_metadata'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cs4od_projects_metadata'))
    )
    op.create_table('cs4od_projects_versions_state',
    sa.Column('latest_index', sa.Integer(), nullable=True),
    sa.Column('parent_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('latest_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
    sa.Column('next_draft_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
    sa.ForeignKeyConstraint(['latest_id'], ['cs4od_projects_metadata.id'], name=op.f('fk_cs4od_projects_versions_state_latest_id_cs4od_projects_metadata')),
    sa.ForeignKeyConstraint(['next_draft_id'], ['cs4od_projects_drafts_metadata.id'], name=op.f('fk_cs4od_projects_versions_state_next_draft_id_cs4od_projects_drafts_metadata')),
    sa.ForeignKeyConstraint(['parent_id'], ['cs4od_projects_parents_metadata.id'], name=op.f('fk_cs4od_projects_versions_state_parent_id_cs4od_projects_parents_metadata'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('parent_id', name=op.f('pk_cs4od_projects_versions_state'))
    )
    op.create_table('cs4od_projects_parents_community',
    sa.Column('community_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('record_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
    sa.Column('request_id', sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities_metadata.id'], name=op.f('fk_cs4od_projects_parents_community_community_id_communities_metadata'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['cs4od_projects_parents_metadata.id'], name=op.f('fk_cs4od_projects_parents_community_record_id_cs4od_projects_parents_metadata'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['request_metadata.id'], name=op.f('fk_cs4od_projects_parents_community_request_id_request_metadata'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('community_id', 'record_id', name=op.f('pk_cs4od_projects_parents_community'))
    )
    op.create_index(op.f('ix_cs4od_projects_parents_community_record_id'), 'cs4od_projects_parents_community', ['record_id'], unique=False)


def downgrade():
    """Drop the tables."""
    op.drop_index(op.f('ix_cs4od_projects_parents_community_record_id'), table_name='cs4od_projects_parents_community')
    op.drop_table('cs4od_projects_parents_community')
    op.drop_table('cs4od_projects_versions_state')
    op.drop_table('cs4od_projects_metadata')
    op.drop_table('cs4od_projects_drafts_metadata')
    op.drop_table('cs4od_projects_parents_metadata')
    op.drop_index(op.f('ix_cs4od_projects_metadata_version_transaction_id'), table_name='cs4od_projects_metadata_version')
    op.drop_index(op.f('ix_cs4od_projects_metadata_version_operation_type'), table_name='cs4od_projects_metadata_version')
    op.drop_index(op.f('ix_cs4od_projects_metadata_version_end_transaction_id'), table_name='cs4od_projects_metadata_version')
    op.drop_table('cs4od_projects_metadata_version')
