"""Create the table of users' REANA access tokens; a project's workflow type; runs'
REANA workflow names."""

import invenio_db.shared
import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

# revision identifiers, used by Alembic.
revision = "1795720000"
down_revision = "1795655800"
branch_labels = ()
depends_on = None


def upgrade():
    """Create the table and the columns."""
    op.create_table(
        "cs4od_reana_tokens",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sqlalchemy_utils.types.encrypted.encrypted_type
                  .StringEncryptedType(), nullable=False),
        sa.Column("created", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated", invenio_db.shared.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_user.id"],
                                name=op.f("fk_cs4od_reana_tokens_user_id_accounts_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_cs4od_reana_tokens")),
    )
    op.add_column("cs4od_reana_specs",
                  sa.Column("workflow", sa.String(length=16), nullable=False,
                            server_default="serial"))
    op.alter_column("cs4od_reana_specs", "text", existing_type=sa.Text(), nullable=True)
    op.add_column("cs4od_runs",
                  sa.Column("workflow", sa.String(length=128), nullable=True))


def downgrade():
    """Drop the table and the columns (choices without an edited text go with them)."""
    op.drop_column("cs4od_runs", "workflow")
    op.execute("DELETE FROM cs4od_reana_specs WHERE text IS NULL")
    op.alter_column("cs4od_reana_specs", "text", existing_type=sa.Text(), nullable=False)
    op.drop_column("cs4od_reana_specs", "workflow")
    op.drop_table("cs4od_reana_tokens")
