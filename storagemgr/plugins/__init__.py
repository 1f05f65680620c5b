"""Storage monitoring plugins: the API, the loader and the runtime.

``storagemgr.plugins.api`` is what plugin modules import;
``storagemgr.plugins.loader`` finds and checks them; the resource manager
and scanner keep what they report in the database.
"""
