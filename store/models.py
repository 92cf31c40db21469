"""Table definitions. Column names follow Mattermost's schema where it has one."""
import peewee

from store.db import database


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaMigration(BaseModel):
    """One applied schema migration."""
    version = peewee.IntegerField(primary_key=True)
    name = peewee.CharField(max_length=128)
    applied_at = peewee.BigIntegerField()

    class Meta:
        table_name = "schema_migrations"


class System(BaseModel):
    """Server-wide key/value facts, as in Mattermost's Systems table."""
    name = peewee.CharField(max_length=64, primary_key=True, column_name="name")
    value = peewee.TextField(column_name="value")

    class Meta:
        table_name = "systems"
