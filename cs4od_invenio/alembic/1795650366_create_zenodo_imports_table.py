"""Create the table of Zenodo imports."""

import invenio_db.shared
import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1795650366"
down_revision = "1795582235"
branch_labels = ()
depends_on = None


def upgrade():
    """Create the table."""
    op.create_table(
        "cs4od_zenodo_imports",
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("zenodo_id", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=True),
        sa.Column("project_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column(
            "progress",
            sa.JSON()
            .with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()),
                          "postgresql")
            .with_variant(sqlalchemy_utils.types.json.JSONType(), "sqlite"),
            nullable=True,
        ),
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["accounts_user.id"],
            name=op.f("fk_cs4od_zenodo_imports_user_id_accounts_user"),
            ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cs4od_zenodo_imports")),
        sa.UniqueConstraint("zenodo_id", name=op.f("uq_cs4od_zenodo_imports_zenodo_id")),
    )


def downgrade():
    """Drop the table."""
    op.drop_table("cs4od_zenodo_imports")
