"""Create the table of explorations (charts, analyses, concatenations of projects)."""

import invenio_db.shared
import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1795653410"
down_revision = "1795651902"
branch_labels = ()
depends_on = None


def _json():
    return (sa.JSON()
            .with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()),
                          "postgresql")
            .with_variant(sqlalchemy_utils.types.json.JSONType(), "sqlite"))


def upgrade():
    """Create the table."""
    op.create_table(
        "cs4od_explorations",
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sources", _json(), nullable=False),
        sa.Column("spec", _json(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", _json(), nullable=True),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["accounts_user.id"],
            name=op.f("fk_cs4od_explorations_user_id_accounts_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cs4od_explorations")),
    )
    op.create_index(op.f("ix_cs4od_explorations_project_id"), "cs4od_explorations",
                    ["project_id"], unique=False)


def downgrade():
    """Drop the table."""
    op.drop_index(op.f("ix_cs4od_explorations_project_id"),
                  table_name="cs4od_explorations")
    op.drop_table("cs4od_explorations")
