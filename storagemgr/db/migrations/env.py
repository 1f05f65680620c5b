"""Alembic environment: runs on the connection storagemgr hands it."""

from alembic import context

from storagemgr.db import models

target_metadata = models.Base.metadata


def run_migrations():
    connection = context.config.attributes.get('connection')
    if connection is None:
        from storagemgr.db import session
        engine = session.get_engine(migrate=False)
        with engine.begin() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection):
    context.configure(connection=connection,
                      target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
