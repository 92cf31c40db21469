"""Persistence: models, schema migrations, queries and transactional writes.

Nothing here knows about HTTP. Callers get plain values or model instances and
write through store.db.transaction(), which serializes SQLite writers and runs
after-commit callbacks (where events are sent) only once the commit succeeds.
"""
