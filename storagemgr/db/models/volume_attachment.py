"""Attachments of volumes to this host (Cinder's ``volume_attachment``)."""

import sqlalchemy as sa
from sqlalchemy import orm

from storagemgr.db.models import base
# The foreign key below names the volumes table: load its model first.
from storagemgr.db.models import volume  # noqa: F401


class VolumeAttachment(base.IdMixin, base.TimestampMixin, base.Base):
    """One volume attached, or being attached, to one host.

    ``connector`` is the host's os-brick connector properties as the
    driver got them; ``connection_info`` what the driver's
    ``initialize_connection`` returned; ``device_info`` what os-brick's
    ``connect_volume`` returned, and ``attached_path`` its path: where the
    volume's data can be read and written on ``attached_host``.
    """

    __tablename__ = 'volume_attachments'

    volume_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey('volumes.id'), index=True)
    attach_status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    attach_mode: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    attached_host: orm.Mapped[str] = orm.mapped_column(
        sa.String(255), nullable=True)
    attached_path: orm.Mapped[str] = orm.mapped_column(
        sa.String(1024), nullable=True)
    connector: orm.Mapped[dict] = orm.mapped_column(sa.JSON, nullable=True)
    connection_info: orm.Mapped[dict] = orm.mapped_column(
        sa.JSON, nullable=True)
    device_info: orm.Mapped[dict] = orm.mapped_column(sa.JSON, nullable=True)
