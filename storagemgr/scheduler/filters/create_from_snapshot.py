"""CreateFromSnapshotFilter: where a snapshot's data can be used."""

from storagemgr import hosts
from storagemgr.scheduler import filters


class CreateFromSnapshotFilter(filters.BaseFilter):
    """Keeps pools that can create a resource from the request's snapshot.

    A pool of the snapshot's own backend can; so can a pool in the same
    replication domain as the snapshot's pool.
    """

    def applies(self, request):
        return request.snapshot_host is not None

    def reject(self, pool, request):
        if hosts.same_backend(pool.host, request.snapshot_host):
            return None
        domain = request.snapshot_replication_domain
        if domain and domain == pool.replication_domain:
            return None
        return ('neither on the snapshot\'s backend (%s) nor in its '
                'replication domain (%s)' % (
                    hosts.backend_of(request.snapshot_host),
                    domain or 'none'))
