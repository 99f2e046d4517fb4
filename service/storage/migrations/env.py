"""Alembic environment: migrations run on the connection `database.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from service.storage.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # the `alembic` command line, with sqlalchemy.url set in its config
    section = config.get_section(config.config_ini_section, {})
    connectable = engine_from_config(section, poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
