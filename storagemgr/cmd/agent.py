"""``storagemgr-agent``: device plugins on a storage server.

Runs every device plugin of ``storagemgr.agent.device_plugins`` and sends
their session data to the manager every ``[agent] report_interval``
seconds (or once, with ``--once``), until SIGTERM/SIGINT.
"""

import argparse
import signal
import sys
import threading

from oslo_config import cfg
from oslo_log import log as logging

from storagemgr.agent import runner as agent_runner
from storagemgr.agent import transport as agent_transport
from storagemgr import common_setup
from storagemgr import exception

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def serve(runner, once=False, stop_event=None):
    stop_event = stop_event or threading.Event()

    def _stop(signum, _frame):
        LOG.info('Signal %d received: stopping.', signum)
        stop_event.set()

    previous = {sig: signal.signal(sig, _stop)
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            runner.run_once()
            if once or stop_event.wait(CONF.agent.report_interval):
                break
    finally:
        runner.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='storagemgr-agent',
        description='Run the storage plugins\' device plugins on this '
                    'server and report to the storagemgr manager.')
    parser.add_argument('--config-file', action='append', default=[])
    parser.add_argument('--config-dir', action='append', default=[])
    parser.add_argument('--debug', action='store_true')
    parser.add_argument('--log-file')
    parser.add_argument('--once', action='store_true',
                        help='Send one report per device plugin, then '
                             'exit.')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        common_setup.parse_config([], config_files=args.config_file,
                                  config_dirs=args.config_dir)
        common_setup.setup_logging(debug=args.debug, log_file=args.log_file)
        common_setup.prepare_state_path()
        runner = agent_runner.AgentRunner(agent_transport.AgentTransport())
        return serve(runner, once=args.once)
    except exception.StorageManagerException as e:
        common_setup.fail(e)


if __name__ == '__main__':
    sys.exit(main())
