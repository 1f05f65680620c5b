"""Alert conditions: alert class names, severities and activation."""

import logging

import ddt

from storagemgr.plugins.api import alert_conditions as ac
from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import resources
from storagemgr.tests import base


class Thing(resources.Resource):
    class Meta:
        identifier = identifiers.GlobalId('name')

    name = attributes.String()
    status = attributes.String(optional=True)
    temperature = attributes.Integer(optional=True)


def _active(condition, **attrs):
    thing = Thing(name='t', **attrs)
    return {(cls, sev) for cls, _a, active, sev in condition.test(thing)
            if active}


@ddt.ddt
class ConditionTestCase(base.TestCase):

    def test_value_condition_classes_per_severity(self):
        cond = ac.ValueCondition('status', error_states=['FAILED'],
                                 warn_states=['DEGRADED'])
        self.assertEqual(['_None_status_40', '_None_status_30'],
                         cond.alert_classes())

    def test_explicit_id_in_alert_class(self):
        cond = ac.ValueCondition('status', warn_states=['X'], id='near')
        self.assertEqual(['_near_status_30'], cond.alert_classes())

    @ddt.data(('FAILED', {('_None_status_40', logging.ERROR)}),
              ('DEGRADED', {('_None_status_30', logging.WARNING)}),
              ('OK', set()), (None, set()))
    @ddt.unpack
    def test_value_condition(self, status, expected):
        cond = ac.ValueCondition('status', error_states=['FAILED'],
                                 warn_states=['DEGRADED'])
        self.assertEqual(expected, _active(cond, status=status))

    @ddt.data((70, set()), (86, {('_None_temperature_40', 40),
                                 ('_None_temperature_30', 30)}),
              (71, {('_None_temperature_30', 30)}), (None, set()))
    @ddt.unpack
    def test_upper_bound_is_strict(self, value, expected):
        cond = ac.UpperBoundCondition('temperature', error_bound=85,
                                      warn_bound=70)
        self.assertEqual(expected, _active(cond, temperature=value))

    @ddt.data((10, set()), (9, {('_None_temperature_40', 40)}))
    @ddt.unpack
    def test_lower_bound_is_strict(self, value, expected):
        cond = ac.LowerBoundCondition('temperature', error_bound=10)
        self.assertEqual(expected, _active(cond, temperature=value))

    def test_info_severity(self):
        cond = ac.ValueCondition('status', info_states=['REBUILDING'])
        self.assertEqual({('_None_status_20', logging.INFO)},
                         _active(cond, status='REBUILDING'))

    def test_message_names_the_resource(self):
        cond = ac.ValueCondition('status', error_states=['F'],
                                 message='Drive failure')
        self.assertEqual('Drive failure (test_alert_conditions.Thing t)',
                         cond.describe(Thing(name='t')))
