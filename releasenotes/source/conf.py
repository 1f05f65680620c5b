"""Sphinx configuration for storagemgr's release notes (reno)."""

extensions = ['reno.sphinxext']
templates_path = ['_templates']
source_suffix = '.rst'
master_doc = 'index'
project = 'storagemgr Release Notes'
copyright = '2026, storagemgr developers'
version = ''
release = ''
exclude_patterns = []
pygments_style = 'sphinx'
html_theme = 'alabaster'
html_static_path = ['_static']
