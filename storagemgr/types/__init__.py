"""Share types, volume types and share group types.

``storagemgr.types.api`` is the service layer (``share_types``,
``volume_types``, ``share_group_types``); ``extra_specs`` checks what
users put in a type's specs; ``opts`` holds the default-type options.
"""
