"""File shares: the share driver contract, drivers and share service."""
