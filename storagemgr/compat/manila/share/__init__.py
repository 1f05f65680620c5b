"""``manila.share`` for drivers written for Manila."""
