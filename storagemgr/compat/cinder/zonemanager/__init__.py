"""``cinder.zonemanager``: Fibre Channel zoning (decorators only)."""
