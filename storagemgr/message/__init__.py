"""User messages: why an operation on a resource failed (see ``api``)."""
