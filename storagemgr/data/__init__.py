"""The data copy service: host-assisted migration's copy of a share's tree.

``copy.CopyJob`` copies (and verifies, and resumes) a tree; ``mounts``
makes a share's export reachable on this host for the copy.
"""
