"""SQLAlchemy models, one module per area.

Importing this package imports every area's models so that Base.metadata
knows all tables (alembic autogenerate and the schema tests rely on it).
"""

from storagemgr.db.models import backend  # noqa: F401
from storagemgr.db.models.base import Base  # noqa: F401

_AREA_MODULES = (
    'storagemgr.db.models.share',
    'storagemgr.db.models.volume',
    'storagemgr.db.models.volume_attachment',
    'storagemgr.db.models.plugin',
    'storagemgr.db.models.message',
    'storagemgr.db.models.driver_private',
    'storagemgr.db.models.pool_usage',
    'storagemgr.db.models.types',
    'storagemgr.db.models.share_group',
    'storagemgr.db.models.share_migration',
)


def load_all():
    import importlib
    for name in _AREA_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as e:
            if e.name != name:
                raise


load_all()
