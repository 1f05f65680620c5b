"""The ``manila`` package as drivers written for Manila see it."""
