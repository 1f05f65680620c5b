"""``cinder.volume``: the volume driver modules Cinder drivers import."""
