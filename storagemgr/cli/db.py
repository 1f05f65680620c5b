"""``storagemgr db sync`` and ``storagemgr db version``.

The schema tools (alembic) are imported by the command run, not here.
"""

from storagemgr.cli import base


class SyncDatabase(base.Command):
    """Create or upgrade the database schema to this version's."""

    def take_action(self, parsed_args):
        from storagemgr.db import migration
        from storagemgr.db import session as db_session

        engine = db_session.get_engine(migrate=False)
        migration.upgrade(engine)
        self.app.stdout.write('Database at revision %s\n' % ', '.join(
            migration.version(engine)))


class ShowDatabaseVersion(base.ShowOne):
    """Show the schema revisions of the database and of the code."""

    def take_action(self, parsed_args):
        from storagemgr.db import migration
        from storagemgr.db import session as db_session

        engine = db_session.get_engine(migrate=False)
        current = migration.version(engine)
        expected = sorted(migration.script_heads())
        return (('current', 'expected', 'up_to_date'),
                (', '.join(current), ', '.join(expected),
                 current == expected))
