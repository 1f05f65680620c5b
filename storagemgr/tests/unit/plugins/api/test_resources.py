"""Resource classes: declarations, identifiers, values, deltas, labels."""

from storagemgr import exception
from storagemgr.plugins.api import alert_conditions as ac
from storagemgr.plugins.api import attributes
from storagemgr.plugins.api import identifiers
from storagemgr.plugins.api import resources
from storagemgr.plugins.api import statistics
from storagemgr.tests import base


class Drive(resources.PhysicalDisk):
    class Meta:
        identifier = identifiers.GlobalId('serial')

    serial = attributes.String()
    capacity = attributes.Bytes(optional=True)
    status = attributes.String(default='OK')
    temperature = statistics.Gauge(units='C')
    histogram = statistics.BytesHistogram(bins=[(0, 512), (513,)])


class Slot(resources.Resource):
    class Meta:
        identifier = identifiers.ScopedId('shelf', 'slot')

    shelf = attributes.ResourceReference()
    slot = attributes.Integer()


class BigDrive(Drive):
    extra = attributes.String(optional=True)


class Admin(resources.ScannableResource):
    class Meta:
        identifier = identifiers.AutoId()
        label = 'Admin thing'

    address = attributes.Hostname()


class Ambiguous(resources.Resource):
    class Meta:
        identifier = identifiers.GlobalId('status')
        alert_conditions = [ac.ValueCondition('status', warn_states=['A']),
                            ac.ValueCondition('status', warn_states=['B'])]

    status = attributes.String()


class DeclarationTestCase(base.TestCase):

    def test_attributes_move_to_meta_in_order(self):
        self.assertEqual(['serial', 'capacity', 'status'],
                         list(Drive._meta.storage_attributes))
        self.assertEqual(['temperature', 'histogram'],
                         list(Drive._meta.storage_statistics))
        self.assertNotIn('serial', vars(Drive))

    def test_subclass_inherits_attributes_and_identifier(self):
        self.assertIn('serial', BigDrive._meta.storage_attributes)
        self.assertIs(Drive._meta.identifier, BigDrive._meta.identifier)

    def test_builtin_attributes_inherited(self):
        self.assertIn('size', resources.LogicalDriveSlice._meta
                      .storage_attributes)

    def test_auto_id_adds_hidden_attribute(self):
        attr = Admin._meta.storage_attributes['auto_id']
        self.assertTrue(attr.hidden and attr.optional)

    def test_ambiguous_conditions_are_recorded_not_raised(self):
        self.assertEqual(1, len(Ambiguous._meta.declaration_errors))
        self.assertIn("'id'", Ambiguous._meta.declaration_errors[0])

    def test_class_key_and_labels(self):
        self.assertEqual(('test_resources', 'Drive'),
                         Drive.resource_class_key())
        self.assertEqual('test_resources.Drive', Drive._meta.label)
        self.assertEqual('Admin thing', Admin._meta.label)
        self.assertEqual(('api', 'PluginAgentResources'),
                         resources.PluginAgentResources.resource_class_key())

    def test_default_charts_one_per_statistic(self):
        self.assertEqual([{'title': 'Temperature', 'series': ['temperature']},
                          {'title': 'Histogram', 'series': ['histogram']}],
                         Drive.get_charts())

    def test_instances_have_no_per_instance_dict_until_needed(self):
        drive = Drive(serial='a')
        self.assertEqual({}, drive.__dict__)


class ValueTestCase(base.TestCase):

    def test_values_and_optional_and_default(self):
        drive = Drive(serial='a')
        self.assertEqual('a', drive.serial)
        self.assertIsNone(drive.capacity)
        self.assertEqual('OK', drive.status)

    def test_unknown_attribute_in_constructor(self):
        self.assertRaises(exception.ResourceProgrammingError, Drive,
                          serial='a', colour='red')

    def test_invalid_assignment_refused(self):
        drive = Drive(serial='a')
        self.assertRaises(exception.InvalidAttributeValue, setattr, drive,
                          'capacity', 'big')

    def test_missing_mandatory_value(self):
        slot = Slot(slot=1)
        self.assertRaises(AttributeError, getattr, slot, 'shelf')
        self.assertRaises(exception.InvalidAttributeValue, slot.validate)

    def test_id_tuple_and_label(self):
        drive = Drive(serial='a')
        slot = Slot(shelf=drive, slot=3)
        self.assertEqual(('a',), drive.id_tuple())
        self.assertEqual((drive, 3), slot.id_tuple())
        self.assertEqual('test_resources.Drive a', drive.get_label())
        self.assertEqual("test_resources.Slot ('test_resources.Drive a', 3)",
                         slot.get_label())

    def test_missing_identifier_value(self):
        self.assertRaises(exception.ResourceProgrammingError,
                          Drive.attrs_to_id_tuple, {})

    def test_to_attrs(self):
        self.assertEqual({'serial': 'a', 'capacity': 1},
                         Drive(serial='a', capacity=1).to_attrs())


class DeltaTestCase(base.TestCase):

    def test_construction_leaves_no_attribute_delta(self):
        self.assertIsNone(Drive(serial='a').take_deltas())

    def test_changes_recorded_once_and_equal_values_ignored(self):
        drive = Drive(serial='a', capacity=1)
        drive.capacity = 1
        self.assertIsNone(drive.take_deltas())
        drive.capacity = 2
        drive.status = 'FAILED'
        self.assertEqual({'capacity': 2, 'status': 'FAILED'},
                         drive.take_deltas().attrs)
        self.assertIsNone(drive.take_deltas())

    def test_statistics_record_samples(self):
        drive = Drive(serial='a')
        drive.temperature = 20
        drive.temperature = '21'
        drive.histogram = [1, 2]
        stats = drive.take_deltas().stats
        self.assertEqual([20.0, 21.0],
                         [s['value'] for s in stats['temperature']])
        self.assertEqual([[1, 2]], [s['value'] for s in stats['histogram']])
        self.assertIn('timestamp', stats['temperature'][0])

    def test_statistic_validation(self):
        drive = Drive(serial='a')
        self.assertRaises(exception.InvalidAttributeValue, setattr, drive,
                          'temperature', 'hot')
        self.assertRaises(exception.InvalidAttributeValue, setattr, drive,
                          'histogram', [1, 2, 3])

    def test_parent_changes(self):
        a, b = Drive(serial='a'), Drive(serial='b')
        b.add_parent(a)
        b.add_parent(a)
        b.remove_parent(a)
        b.remove_parent(a)
        self.assertEqual([(True, a), (False, a)], b.take_deltas().parents)
        self.assertEqual([], b.get_parents())

    def test_references_compared_by_identity(self):
        a1, a2 = Drive(serial='a'), Drive(serial='a')
        slot = Slot(shelf=a1, slot=1)
        slot.shelf = a2
        self.assertEqual({'shelf': a2}, slot.take_deltas().attrs)

    def test_calc_changes_delta_off_records_every_assignment(self):
        drive = Drive(serial='a', calc_changes_delta=lambda: False)
        drive.serial = 'a'
        self.assertEqual({'serial': 'a'}, drive.take_deltas().attrs)
