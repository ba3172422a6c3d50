"""Create the table of the communities each harvested record goes into."""

import invenio_db.shared
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1795730000"
down_revision = "1795720000"
branch_labels = ()
depends_on = None


def upgrade():
    """Create the table; records harvested before go into the community they name."""
    op.create_table(
        "cs4od_harvest_memberships",
        sa.Column("oai_identifier", sa.String(length=255), nullable=False),
        sa.Column("community_slug", sa.String(length=100), nullable=False),
        sa.Column("source_set", sa.String(length=255), nullable=True),
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["oai_identifier"], ["cs4od_harvested.oai_identifier"],
            name=op.f("fk_cs4od_harvest_memberships_oai_identifier_cs4od_harvested"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("oai_identifier", "community_slug",
                                name=op.f("pk_cs4od_harvest_memberships")),
    )
    op.execute(
        "INSERT INTO cs4od_harvest_memberships "
        "(oai_identifier, community_slug, source_set, created, updated) "
        "SELECT oai_identifier, community_slug, source_set, created, updated "
        "FROM cs4od_harvested WHERE community_slug IS NOT NULL AND deleted = false")


def downgrade():
    """Drop the table."""
    op.drop_table("cs4od_harvest_memberships")
