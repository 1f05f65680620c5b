"""Run several ``storagemgr`` commands in one process, for test set-up.

Each functional CLI call costs about a second of interpreter start-up and
imports; a fixture that needs ten commands, or a state dump of seven
``list`` commands, pays that once here. The commands run through the same
entry point as the installed script (``storagemgr.cli.app.main``), one
after the other, each with its own captured output.

Usage: ``python -m storagemgr.tests.functional.cli_batch`` with a JSON
object on stdin: ``{"config_file": PATH, "commands": [[arg, ...], ...],
"stop_on_error": true}``. It prints a JSON list of ``{"rc", "out",
"err"}``, one per command run (with ``stop_on_error``, none after the
first failure).
"""

import contextlib
import io
import json
import subprocess
import sys

from storagemgr.tests.functional import base


def run_batch(config_file, commands, stop_on_error=True):
    """Run ``commands`` (lists of arguments) in this process."""
    from storagemgr.cli import app

    results = []
    for args in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = app.main(['--config-file', config_file] + list(args))
            except SystemExit as e:  # argparse errors
                rc = e.code if isinstance(e.code, int) else 1
        results.append({'rc': rc, 'out': out.getvalue(),
                        'err': err.getvalue()})
        if rc and stop_on_error:
            break
    return results


def run_in_subprocess(config_file, commands, stop_on_error=True, cwd=None,
                      timeout=300):
    """Run ``commands`` in one child process; return ``CLIResult``-likes."""
    request = json.dumps({'config_file': config_file,
                          'commands': [list(c) for c in commands],
                          'stop_on_error': stop_on_error})
    process = subprocess.run(
        [sys.executable, '-m', 'storagemgr.tests.functional.cli_batch'],
        input=request, capture_output=True, text=True, cwd=cwd,
        timeout=timeout)
    if process.returncode:
        raise RuntimeError('cli_batch failed (%d): %s' % (
            process.returncode, process.stderr[-2000:]))
    return [BatchResult(r) for r in json.loads(process.stdout)]


class BatchResult(base.CLIResult):
    """One command's exit code and output, as ``FunctionalTestCase.cli``."""

    def __init__(self, result):
        self.rc = result['rc']
        self.out = result['out']
        self.err = result['err']


def main():
    request = json.load(sys.stdin)
    real_stdout = sys.stdout
    results = run_batch(request['config_file'], request['commands'],
                        request.get('stop_on_error', True))
    real_stdout.write(json.dumps(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
