"""``cinder.volume.drivers``: the reference drivers Cinder drivers extend.

Only ``lvm`` is served (see the porting guide).
"""
