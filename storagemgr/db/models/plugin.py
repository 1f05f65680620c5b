"""Storage plugins: the resource graph, scannables, alerts, statistics and
agent sessions.

Resources use integer keys: the graph holds hundreds of thousands of rows
and every edge, reference and sample points at them. Integer keys that
leave the database (resource, scannable, sample and agent message ids) are
never handed out twice: on SQLite those tables are AUTOINCREMENT, whose
ids only grow, where a plain INTEGER PRIMARY KEY reuses the id of a
deleted last row. A resource's
attributes are one JSON document (only the runtime reads them, always
whole); references to other resources are also kept as rows so that
deleting a resource finds its referrers with one indexed query.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base


class StorageResourceClass(base.Base):
    __tablename__ = 'plugin_resource_classes'
    __table_args__ = (sa.UniqueConstraint('plugin_name', 'class_name'),
                      base.NEVER_REUSE_IDS)

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    plugin_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    class_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))


class StorageResource(base.TimestampMixin, base.Base):
    """One resource. Identity is (class, id_str, scope_key).

    ``scope_key`` is the scannable's id for ScopedId resources and 0 for
    global ones, so the unique constraint holds for both (a NULL scope
    would not be unique in SQL).
    """
    __tablename__ = 'plugin_resources'
    __table_args__ = (sa.UniqueConstraint('class_id', 'id_str', 'scope_key'),
                      base.NEVER_REUSE_IDS)

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    class_id: orm.Mapped[int] = orm.mapped_column(
        sa.Integer, sa.ForeignKey('plugin_resource_classes.id'))
    id_str: orm.Mapped[str] = orm.mapped_column(sa.String(512))
    scope_key: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0,
                                                   index=True)
    label: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    attrs: orm.Mapped[str] = orm.mapped_column(sa.Text, default='{}')


class StorageResourceParent(base.Base):
    """A parent edge: a problem with the parent is a problem with the child."""
    __tablename__ = 'plugin_resource_parents'

    child_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                  primary_key=True)
    parent_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                   primary_key=True,
                                                   index=True)


class StorageResourceReference(base.Base):
    """A ResourceReference attribute value, kept for cascading deletes."""
    __tablename__ = 'plugin_resource_references'

    resource_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                     primary_key=True)
    key: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                             primary_key=True)
    target_id: orm.Mapped[int] = orm.mapped_column(sa.Integer, index=True)
    optional: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                   default=False)


class StorageResourceReporter(base.Base):
    """A scannable that reports a global resource it does not scope."""
    __tablename__ = 'plugin_resource_reporters'

    resource_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                     primary_key=True)
    scannable_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                      primary_key=True,
                                                      index=True)


class StorageScannable(base.TimestampMixin, base.Base):
    """A resource the manager scans (or an agent host whose data it takes).

    ``state`` is new -> online/offline; ``kind`` is ``scannable`` for
    resources added by an administrator and ``agent`` for hosts that
    registered themselves by sending agent sessions.
    """
    __tablename__ = 'plugin_scannables'
    __table_args__ = base.NEVER_REUSE_IDS

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    plugin_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    kind: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                              default='scannable')
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), nullable=True)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='new')
    update_period: orm.Mapped[float] = orm.mapped_column(sa.Float,
                                                         nullable=True)
    failures: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    last_error: orm.Mapped[str] = orm.mapped_column(sa.Text, nullable=True)
    last_scan_at: orm.Mapped[object] = orm.mapped_column(sa.DateTime,
                                                         nullable=True)


class StorageAlert(base.IdMixin, base.Base):
    """An alert, active or lowered; lowered rows are the history.

    ``resource_id`` is not a foreign key: history outlives the resource,
    and ``resource_label`` keeps it readable.
    """
    __tablename__ = 'plugin_alerts'

    resource_id: orm.Mapped[int] = orm.mapped_column(sa.Integer, index=True)
    resource_label: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                        nullable=True)
    alert_class: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    attribute: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                   nullable=True)
    severity: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    message: orm.Mapped[str] = orm.mapped_column(sa.Text, nullable=True)
    active: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True,
                                                 index=True)
    raised_at: orm.Mapped[object] = orm.mapped_column(sa.DateTime,
                                                      default=base.utcnow)
    lowered_at: orm.Mapped[object] = orm.mapped_column(sa.DateTime,
                                                       nullable=True)


class StorageAlertPropagation(base.Base):
    """An active alert seen on a resource the alerted one affects."""
    __tablename__ = 'plugin_alert_propagations'

    alert_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('plugin_alerts.id', ondelete='CASCADE'),
        primary_key=True)
    resource_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                     primary_key=True,
                                                     index=True)


class StorageStatSample(base.Base):
    __tablename__ = 'plugin_stat_samples'
    __table_args__ = (sa.Index('plugin_stat_series_idx', 'resource_id',
                               'name', 'timestamp'),
                      base.NEVER_REUSE_IDS)

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    resource_id: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    timestamp: orm.Mapped[float] = orm.mapped_column(sa.Float, index=True)
    value: orm.Mapped[str] = orm.mapped_column(sa.Text)


class AgentMessage(base.Base):
    """An agent message waiting for the manager (embedded transport)."""
    __tablename__ = 'plugin_agent_messages'
    __table_args__ = base.NEVER_REUSE_IDS

    id: orm.Mapped[int] = orm.mapped_column(sa.Integer, primary_key=True)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    plugin_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    session_id: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    seq: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    body: orm.Mapped[str] = orm.mapped_column(sa.Text)
    created_at: orm.Mapped[object] = orm.mapped_column(sa.DateTime,
                                                       default=base.utcnow)


class AgentSession(base.Base):
    """The manager's view of one agent session: which message comes next.

    ``state`` is ``open`` or ``reset``; an agent that finds its session
    reset starts a new one.
    """
    __tablename__ = 'plugin_agent_sessions'

    host: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                              primary_key=True)
    plugin_name: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     primary_key=True)
    session_id: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    last_seq: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=-1)
    state: orm.Mapped[str] = orm.mapped_column(sa.String(16), default='open')
    scannable_id: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                      nullable=True)
    updated_at: orm.Mapped[object] = orm.mapped_column(
        sa.DateTime, default=base.utcnow, onupdate=base.utcnow,
        nullable=True)
