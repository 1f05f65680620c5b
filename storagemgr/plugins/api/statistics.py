"""Statistic types of storage resources: time series.

Assigning to a statistic of a resource (``drive.temperature = 31``) does
not replace a value: it records a sample stamped with the current time,
sent to the manager after the scan and kept as a bounded time series.
"""

import time

from storagemgr import exception
from storagemgr.plugins.api.attributes import _creation_counter

UNITS_BYTES = 'bytes'


class BaseStatistic(object):
    """A declared statistic: sampling period, units and label."""

    #: 'timeseries' or 'histogram': series on one chart must agree.
    kind = 'timeseries'

    def __init__(self, sample_period=10, units=None, label=None):
        self.sample_period = sample_period
        self.units = units
        self.label = label
        self.creation_counter = next(_creation_counter)

    def get_label(self, name):
        if self.label:
            return self.label
        words = name.replace('_', ' ')
        return words[:1].upper() + words[1:]

    def _refuse(self, value, reason, name):
        raise exception.InvalidAttributeValue(
            value=value, attribute=name or type(self).__name__,
            reason=reason)

    def validate(self, value, name=None):
        """The sample as stored; InvalidAttributeValue if not a number."""
        if isinstance(value, bool):
            self._refuse(value, 'must be a number', name)
        try:
            return float(value)
        except (TypeError, ValueError):
            self._refuse(value, 'must be a number', name)

    def sample(self, value, name=None):
        """A timestamped sample dict for ``value``."""
        return {'timestamp': time.time(),
                'value': self.validate(value, name)}


class Gauge(BaseStatistic):
    """A number that goes up and down (a temperature, a queue depth)."""


class Counter(BaseStatistic):
    """A number that only grows (bytes read since boot)."""


class BytesHistogram(BaseStatistic):
    """Counts per size bin; ``bins`` is a list of (low, high) or (low,).

    A one-element bin means "this size or more". A sample is a list with
    one count per bin.
    """

    kind = 'histogram'

    def __init__(self, bins=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bins = list(bins or [(0, 512), (513, 1024), (1025, 4096),
                                  (4097,)])
        if not self.units:
            self.units = UNITS_BYTES

    def bin_labels(self):
        return ['%s-%s' % b if len(b) == 2 else '%s+' % b[0]
                for b in self.bins]

    def validate(self, value, name=None):
        if not isinstance(value, (list, tuple)) or len(value) != len(
                self.bins):
            self._refuse(value, 'must be a list of %d counts'
                         % len(self.bins), name)
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            self._refuse(value, 'counts must be integers', name)
