"""Crash harness: kill -9 every flow at every crash point, then resume.

``test_share_crash`` and ``test_volume_crash`` each run every operation of
their family through the installed CLI on the ``local`` backends, kill it
(``STORAGEMGR_TEST_CRASH_AT``) at each point its traced run passed
(``STORAGEMGR_TEST_TRACE_FILE``), run ``storagemgr manager run --once``
and check states, flows, backend orphans and bytes; see ``harness``.

Run them alone with::

    python -m stestr --test-path storagemgr/tests/functional run crash

Each test prints its count of boundaries tried and survived, per
operation, on stderr, writes it to ``$STORAGEMGR_CRASH_REPORT_DIR``
(default ``$TMPDIR/storagemgr-crash-report-<uid>/<family>.txt``) and
attaches it to the test result as ``crash-report``.
"""
