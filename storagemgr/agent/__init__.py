"""The storage server agent: device plugins and their transport."""
