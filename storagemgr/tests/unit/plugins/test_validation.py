"""Plugin validation: a good module passes; each rule break is named."""

import os
import textwrap

import ddt

from storagemgr.plugins import validation
from storagemgr.tests import base

GOOD = textwrap.dedent('''
    from storagemgr.plugins.api import attributes, identifiers, plugin
    from storagemgr.plugins.api import alert_conditions, relations
    from storagemgr.plugins.api import resources, statistics

    version = 1


    class Array(resources.ScannableResource):
        class Meta:
            identifier = identifiers.GlobalId('host_a', 'host_b')

        host_a = attributes.Hostname()
        host_b = attributes.Hostname()


    class Shelf(resources.Enclosure):
        class Meta:
            identifier = identifiers.ScopedId('number')

        number = attributes.Enum(0, 1)


    class Drive(resources.PhysicalDisk):
        class Meta:
            identifier = identifiers.ScopedId('serial')
            alert_conditions = [
                alert_conditions.ValueCondition('state', warn_states=['X']),
            ]
            charts = [{'title': 'Heat', 'series': ['heat']}]

        serial = attributes.String()
        state = attributes.String()
        heat = statistics.Gauge(units='C')


    class Volume(resources.LogicalDrive):
        class Meta:
            identifier = identifiers.ScopedId('number')
            relations = [relations.Provide(provide_to=('linux', 'ScsiDevice'),
                                           attributes=['serial'],
                                           ignorecase=True)]

        number = attributes.Integer()
        serial = attributes.String()


    class ArrayPlugin(plugin.Plugin):
        def initial_scan(self, root):
            pass
''')

SHELF_META = '''    class Meta:
        identifier = identifiers.ScopedId('number')

    number = attributes.Enum(0, 1)
'''


@ddt.ddt
class ValidatePathTestCase(base.TestCase):

    def _write(self, name, body):
        path = os.path.join(self.state_path, name + '.py')
        with open(path, 'w') as f:
            f.write(body)
        return path

    def test_good_plugin(self):
        name, problems = validation.validate_path(self._write('vgood', GOOD))
        self.assertEqual(('vgood', []), (name, problems))

    @ddt.data(
        ('nover', ('version = 1\n', ''), 'no API version'),
        ('badver', ('version = 1\n', 'version = 99\n'), 'declares version 99'),
        ('strver', ('version = 1\n', "version = '1'\n"), "version '1'"),
        ('noplugin', ('class ArrayPlugin(plugin.Plugin)',
                      'class ArrayPlugin(object)'), 'no Plugin subclass'),
        ('noident', (SHELF_META, '    pass\n'),
         "'Shelf': no Meta.identifier"),
        ('badident', ("ScopedId('serial')", "ScopedId('serial_no')"),
         "identifier names 'serial_no'"),
        ('badcond', ("ValueCondition('state'", "ValueCondition('status'"),
         "watches 'status'"),
        ('badchart', ("'series': ['heat']", "'series': ['cold']"),
         'plots cold'),
    )
    @ddt.unpack
    def test_problem_named(self, name, change, expected):
        body = GOOD.replace(*change)
        self.assertNotEqual(GOOD, body)
        _name, problems = validation.validate_path(self._write(name, body))
        self.assertEqual(1, len(problems), problems)
        self.assertIn(expected, problems[0])

    def test_two_plugins(self):
        body = GOOD + '\n\nclass Other(plugin.Plugin):\n    pass\n'
        _n, problems = validation.validate_path(self._write('two', body))
        self.assertIn('2 Plugin subclasses (ArrayPlugin, Other)', problems[0])

    def test_ambiguous_alert_conditions(self):
        body = GOOD.replace(
            "alert_conditions.ValueCondition('state', warn_states=['X']),",
            "alert_conditions.ValueCondition('state', warn_states=['X']),\n"
            "                alert_conditions.ValueCondition("
            "'state', warn_states=['Y']),")
        _n, problems = validation.validate_path(self._write('amb', body))
        self.assertEqual(1, len(problems))
        self.assertIn('ambiguous', problems[0])

    def test_every_problem_reported(self):
        body = GOOD.replace('version = 1\n', '').replace(SHELF_META,
                                                         '    pass\n')
        _n, problems = validation.validate_path(self._write('many', body))
        self.assertEqual(2, len(problems))

    def test_syntax_error_with_line(self):
        body = GOOD.replace('class Volume(', 'class Volume((')
        path = self._write('synt', body)
        _n, problems = validation.validate_path(path)
        line = body.splitlines().index(
            [x for x in body.splitlines() if 'class Volume((' in x][0]) + 1
        self.assertEqual(1, len(problems))
        self.assertIn('SyntaxError: %s:%d:' % (path, line), problems[0])

    def test_import_error_with_line(self):
        body = GOOD.replace('version = 1\n', 'import no_such_module_x\n')
        path = self._write('imperr', body)
        _n, problems = validation.validate_path(path)
        self.assertIn('ModuleNotFoundError', problems[0])
        self.assertIn('line 6', problems[0])

    def test_missing_path(self):
        _n, problems = validation.validate_path('/nonexistent/x.py')
        self.assertIn('no such file', problems[0])

    def test_package_directory(self):
        pkg = os.path.join(self.state_path, 'vpkg')
        os.mkdir(pkg)
        with open(os.path.join(pkg, '__init__.py'), 'w') as f:
            f.write(GOOD)
        self.assertEqual(('vpkg', []), validation.validate_path(pkg))
