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

``BatchServer`` keeps one such process for many requests (``--serve``:
one JSON request per line in, one JSON list per line out), for read-only
commands such as state dumps taken after every step of a test: only the
first request pays for the imports.
"""

import contextlib
import io
import json
import os
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


class BatchServer(object):
    """One child process running batches of commands on request."""

    def __init__(self, cwd=None):
        self._process = subprocess.Popen(
            [sys.executable, '-m', 'storagemgr.tests.functional.cli_batch',
             '--serve'], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, cwd=cwd)

    def run(self, config_file, commands, stop_on_error=True):
        request = {'config_file': config_file,
                   'commands': [list(c) for c in commands],
                   'stop_on_error': stop_on_error}
        self._process.stdin.write(json.dumps(request) + '\n')
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError('cli_batch server exited with %s' %
                               self._process.wait())
        return [BatchResult(r) for r in json.loads(line)]

    def close(self):
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()


def main():
    # Results go to the original stdout; anything a command writes to the
    # file descriptor itself (a child process, say) goes to stderr.
    channel = os.fdopen(os.dup(1), 'w')
    os.dup2(2, 1)
    if sys.argv[1:] == ['--serve']:
        requests = iter(sys.stdin.readline, '')
    else:
        requests = [sys.stdin.read()]
    for line in requests:
        request = json.loads(line)
        results = run_batch(request['config_file'], request['commands'],
                            request.get('stop_on_error', True))
        channel.write(json.dumps(results) + '\n')
        channel.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
