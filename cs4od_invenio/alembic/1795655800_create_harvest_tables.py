"""Create the tables of harvested records and harvest checkpoints."""

import invenio_db.shared
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1795655800"
down_revision = "1795654589"
branch_labels = ()
depends_on = None


def _timestamps():
    return [
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
    ]


def upgrade():
    """Create the tables."""
    op.create_table(
        "cs4od_harvested",
        sa.Column("oai_identifier", sa.String(length=255), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("datestamp", sa.String(length=32), nullable=True),
        sa.Column("source_set", sa.String(length=255), nullable=True),
        sa.Column("community_slug", sa.String(length=100), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("oai_identifier", name=op.f("pk_cs4od_harvested")),
    )
    op.create_table(
        "cs4od_harvest_checkpoints",
        sa.Column("community_slug", sa.String(length=100), nullable=False),
        sa.Column("base_url", sa.String(length=255), nullable=False),
        sa.Column("metadata_prefix", sa.String(length=64), nullable=False),
        sa.Column("last_datestamp", sa.String(length=32), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("community_slug",
                                name=op.f("pk_cs4od_harvest_checkpoints")),
    )


def downgrade():
    """Drop the tables."""
    op.drop_table("cs4od_harvest_checkpoints")
    op.drop_table("cs4od_harvested")
