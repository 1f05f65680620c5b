"""ShareReplicationFilter: replication domains for replicated types."""

from storagemgr.scheduler import filters


class ShareReplicationFilter(filters.BaseFilter):
    """Keeps pools that can replicate with the share's other replicas.

    Only types with a ``replication_type`` extra spec are concerned. A
    new replicated share needs a pool with a replication domain (whether
    the pool supports that replication type is the CapabilitiesFilter's
    business). A new replica needs the active replica's domain and a
    pool that holds no replica of the share yet.
    """

    def applies(self, request):
        return request.replication_type is not None

    def reject(self, pool, request):
        domain = pool.replication_domain
        if domain is None:
            return 'replication is not enabled (no replication_domain)'
        replication = request.replication
        if not replication or not replication.get('active_replica_host'):
            return None
        wanted = replication.get('replication_domain')
        if domain != wanted:
            return ('replication domain %s differs from the active '
                    'replica\'s (%s on %s)' % (
                        domain, wanted,
                        replication['active_replica_host']))
        if pool.host in (replication.get('replica_hosts') or ()):
            return 'already holds a replica of this share'
        return None
