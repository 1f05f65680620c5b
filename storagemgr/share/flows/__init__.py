"""One taskflow flow per share operation (see doc/source/admin/shares.rst).
"""
