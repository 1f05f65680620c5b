"""The ``cinder`` package as drivers written for Cinder see it."""
