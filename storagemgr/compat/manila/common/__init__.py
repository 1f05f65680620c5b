"""``manila.common`` for drivers written for Manila (see constants)."""
