"""The [database] section, provided by oslo.db.

The default connection is a SQLite file under ``state_path``, so the
embedded default needs no configuration. Production deployments set a
MySQL or PostgreSQL URL.
"""

from oslo_db import options as db_options

DEFAULT_CONNECTION = 'sqlite:///$state_path/storagemgr.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)


def list_opts():
    return [('database', db_options.database_opts)]
