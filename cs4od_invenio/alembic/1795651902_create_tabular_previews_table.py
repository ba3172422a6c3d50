"""Create the table of tabular previews."""

import invenio_db.shared
import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1795651902"
down_revision = "1795650366"
branch_labels = ()
depends_on = None


def upgrade():
    """Create the table."""
    op.create_table(
        "cs4od_tabular_previews",
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("file_key", sa.Text(), nullable=False),
        sa.Column("checksum", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "result",
            sa.JSON()
            .with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()),
                          "postgresql")
            .with_variant(sqlalchemy_utils.types.json.JSONType(), "sqlite"),
            nullable=True,
        ),
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cs4od_tabular_previews")),
        sa.UniqueConstraint("record_id", "file_key",
                            name="uq_cs4od_tabular_previews_record_id_file_key"),
    )
    op.create_index(op.f("ix_cs4od_tabular_previews_record_id"),
                    "cs4od_tabular_previews", ["record_id"], unique=False)


def downgrade():
    """Drop the table."""
    op.drop_index(op.f("ix_cs4od_tabular_previews_record_id"),
                  table_name="cs4od_tabular_previews")
    op.drop_table("cs4od_tabular_previews")
