"""DriverView: item and attribute access give the same value."""

import json

from storagemgr import driver_view
from storagemgr.tests import base


class DriverViewTestCase(base.TestCase):

    def test_item_and_attribute_agree(self):
        view = driver_view.DriverView(id='s1', size=2)
        self.assertEqual('s1', view.id)
        self.assertEqual(view['size'], view.size)
        view.status = 'available'
        self.assertEqual('available', view['status'])

    def test_missing_key_errors_by_style(self):
        view = driver_view.DriverView(id='s1')
        self.assertRaises(AttributeError, getattr, view, 'host')
        self.assertRaises(KeyError, view.__getitem__, 'host')
        self.assertIsNone(getattr(view, 'host', None))
        self.assertFalse(view.obj_attr_is_set('host'))

    def test_nested_dicts_are_views(self):
        view = driver_view.DriverView(share={'id': 'p'},
                                      locations=[{'path': 'x'}])
        self.assertEqual('p', view.share.id)
        self.assertEqual('x', view.locations[0].path)
        view['instance'] = {'host': 'h@b#p'}
        self.assertEqual('h@b#p', view.instance.host)

    def test_plain_data_round_trip(self):
        view = driver_view.DriverView(id='s1', share={'id': 'p'})
        self.assertEqual({'id': 's1', 'share': {'id': 'p'}},
                         json.loads(json.dumps(view)))
        plain = view.to_dict()
        self.assertIs(dict, type(plain['share']))
