"""Create the cs4od_invenio branch."""

# revision identifiers, used by Alembic.
revision = "1795582210"
down_revision = None
branch_labels = ("cs4od_invenio",)
depends_on = "dbdbc1b19cf2"  # invenio-db's root revision


def upgrade():
    """Nothing to do: the branch starts here."""


def downgrade():
    """Nothing to do: the branch starts here."""
