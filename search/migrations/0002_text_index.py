"""The database's own text index: a GIN-indexed tsvector column and trigram
matching (pg_trgm) on PostgreSQL; an FTS5 table on SQLite."""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]
# The columns hold Snowball stems written by the backend, so the tokenizer
# only splits them; rowid is the entry's id.
SQLITE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "title, tags, body, extras, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS search_entry_fts"]


def forward(apps, schema_editor):
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
