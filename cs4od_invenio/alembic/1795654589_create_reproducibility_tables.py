"""Create the tables of edited reana.yaml files and reproducible runs."""

import invenio_db.shared
import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1795654589"
down_revision = "1795653410"
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
        "cs4od_reana_specs",
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_cs4od_reana_specs")),
    )
    op.create_table(
        "cs4od_runs",
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("runner", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("workdir", sa.Text(), nullable=True),
        sa.Column(
            "outputs",
            sa.JSON()
            .with_variant(postgresql.JSONB(none_as_null=True, astext_type=sa.Text()),
                          "postgresql")
            .with_variant(sqlalchemy_utils.types.json.JSONType(), "sqlite"),
            nullable=True,
        ),
        sa.Column("log_tail", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_user.id"],
                                name=op.f("fk_cs4od_runs_user_id_accounts_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cs4od_runs")),
    )
    op.create_index(op.f("ix_cs4od_runs_project_id"), "cs4od_runs", ["project_id"],
                    unique=False)


def downgrade():
    """Drop the tables."""
    op.drop_index(op.f("ix_cs4od_runs_project_id"), table_name="cs4od_runs")
    op.drop_table("cs4od_runs")
    op.drop_table("cs4od_reana_specs")
