"""Storage health for the storage service: alerts under a backend.

A backend's section may name the storage resource it sits on
(``storage_resource``: a resource id, or a label such as a simulator
pool's name). The backend is then affected by every active alert raised
on that resource or on anything affecting it (alerts propagate down
parent edges, so those are the alerts propagated to it).
"""

import sqlalchemy as sa

from storagemgr.db.models import plugin as models
from storagemgr.db import session as db_session
from storagemgr import exception
from storagemgr.plugins import service

R = models.StorageResource


def resolve_resource(sess, reference):
    """The id of the resource ``reference`` (an id or a unique label)."""
    text = str(reference).strip()
    if text.isdigit():
        pk = sess.scalar(sa.select(R.id).where(R.id == int(text)))
        if pk is not None:
            return pk
    found = sess.scalars(sa.select(R.id).where(R.label == text)).all()
    if len(found) == 1:
        return found[0]
    if not found:
        raise exception.StorageResourceNotFound(
            resource_class='storage', what='id or label %r' % text)
    raise exception.InvalidInput(
        reason='storage resource label %r is ambiguous (ids %s); use an '
               'id' % (text, ', '.join(str(pk) for pk in sorted(found))))


def alerts_for(reference):
    """Active alerts affecting the resource ``reference`` names."""
    with db_session.session_scope() as sess:
        pk = resolve_resource(sess, reference)
        return service.alerts_affecting(sess, [pk])


def configured_resource(configuration):
    """The backend's ``storage_resource`` option, or None."""
    try:
        return configuration.safe_get('storage_resource')
    except Exception:
        return None


def backend_health(configuration):
    """{'storage_resource', 'alerts'} for a backend's configuration.

    Never raises: a misnamed resource shows as an error entry so that
    ``backend show`` still works.
    """
    reference = configured_resource(configuration)
    if not reference:
        return {'storage_resource': None, 'alerts': []}
    try:
        alerts = alerts_for(reference)
    except exception.StorageManagerException as e:
        alerts = [{'error': str(e)}]
    return {'storage_resource': reference, 'alerts': alerts}


def alerts_for_backend(registry, backend_name):
    """Active alerts affecting backend ``backend_name``'s storage resource.

    For ``share show`` and ``volume show``: an unknown backend (a record
    whose backend left the configuration) has no known resource.
    """
    try:
        configuration = registry.lookup(backend_name).configuration
    except exception.StorageManagerException:
        return []
    return backend_health(configuration)['alerts']
