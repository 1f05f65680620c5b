"""Declarative alert conditions on resource attributes.

A condition watches one attribute and, for each severity it is given,
defines one *alert class* named ``_<id>_<attribute>_<severity>`` (the
severity is the logging level: ERROR 40, WARNING 30, INFO 20). Two
conditions that would define the same alert class on one resource class
are ambiguous: give them distinct ``id`` arguments.

``test(resource)`` returns one ``(alert_class, attribute, active,
severity)`` tuple per severity, which the Plugin base turns into raised
or lowered alerts.
"""

import logging

_SEVERITIES = ((logging.ERROR, 'error'), (logging.WARNING, 'warn'),
               (logging.INFO, 'info'))


class AlertCondition(object):
    """Base: the watched attribute, the message and the optional id."""

    def __init__(self, attribute, message=None, id=None):
        self.attribute = attribute
        self.message = message
        self.id = id

    # Reference-compatible name for the explicit id.
    @property
    def _id(self):
        return self.id

    def alert_class(self, severity):
        return '_%s_%s_%s' % (self.id, self.attribute, severity)

    def _levels(self):
        """[(severity, threshold-or-states)] for the severities given."""
        raise NotImplementedError()

    def alert_classes(self):
        return [self.alert_class(sev) for sev, _ in self._levels()]

    def _is_active(self, value, threshold):
        raise NotImplementedError()

    def test(self, resource):
        value = getattr(resource, self.attribute, None)
        results = []
        for severity, threshold in self._levels():
            active = value is not None and self._is_active(value, threshold)
            results.append((self.alert_class(severity), self.attribute,
                            bool(active), severity))
        return results

    def describe(self, resource=None):
        """The alert text: the message, or a default naming the attribute."""
        text = self.message or '%s is %s' % (
            self.attribute, getattr(resource, self.attribute, None))
        if resource is None:
            return text
        return '%s (%s)' % (text, resource.get_label())


class ValueCondition(AlertCondition):
    """Active while the attribute equals one of the listed states."""

    def __init__(self, attribute, error_states=(), warn_states=(),
                 info_states=(), message=None, *args, **kwargs):
        super().__init__(attribute, message, *args, **kwargs)
        self.states = {logging.ERROR: list(error_states),
                       logging.WARNING: list(warn_states),
                       logging.INFO: list(info_states)}

    def _levels(self):
        return [(sev, self.states[sev]) for sev, _ in _SEVERITIES
                if self.states[sev]]

    def _is_active(self, value, states):
        return value in states


class BoundCondition(AlertCondition):
    """Base of the numeric bound conditions."""

    def __init__(self, attribute, error_bound=None, warn_bound=None,
                 info_bound=None, message=None, *args, **kwargs):
        super().__init__(attribute, message, *args, **kwargs)
        self.bounds = {logging.ERROR: error_bound,
                       logging.WARNING: warn_bound,
                       logging.INFO: info_bound}

    def _levels(self):
        return [(sev, self.bounds[sev]) for sev, _ in _SEVERITIES
                if self.bounds[sev] is not None]


class UpperBoundCondition(BoundCondition):
    """Active while the attribute is strictly above the bound."""

    def _is_active(self, value, bound):
        return value > bound


class LowerBoundCondition(BoundCondition):
    """Active while the attribute is strictly below the bound."""

    def _is_active(self, value, bound):
        return value < bound
