"""``storagemgr-manager``: the manager service, stopped cleanly by SIGTERM."""

import argparse
import signal
import sys

from oslo_log import log as logging

from storagemgr.backend import registry as backend_registry
from storagemgr import common_setup
from storagemgr import coordination
from storagemgr import exception
from storagemgr.service import manager as service_manager

LOG = logging.getLogger(__name__)


def serve(registry, once=False):
    """Run the manager until SIGTERM/SIGINT (or one pass with ``once``)."""
    manager = service_manager.Manager(registry)

    def _stop(signum, _frame):
        LOG.info('Signal %d received: stopping after the current task.',
                 signum)
        manager.stop_event.set()

    previous = {sig: signal.signal(sig, _stop)
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        manager.run(once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        coordination.stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='storagemgr-manager',
        description='Run the storagemgr manager service.')
    parser.add_argument('--config-file', action='append', default=[])
    parser.add_argument('--config-dir', action='append', default=[])
    parser.add_argument('--debug', action='store_true')
    parser.add_argument('--log-file')
    parser.add_argument('--once', action='store_true',
                        help='Run every periodic task once, then exit.')
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        common_setup.parse_config([], config_files=args.config_file,
                                  config_dirs=args.config_dir)
        common_setup.setup_logging(debug=args.debug, log_file=args.log_file)
        common_setup.prepare_state_path()
        registry = backend_registry.BackendRegistry()
        return serve(registry, once=args.once)
    except exception.StorageManagerException as e:
        common_setup.fail(e)


if __name__ == '__main__':
    sys.exit(main())
