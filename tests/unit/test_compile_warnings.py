"""The app compiles without a single warning: every deprecation Reflex reports at compile time
(props it will drop, None passed to a Var that is not Optional, ...) fails this test, before it
becomes an error in the next Reflex release.

The compilation runs in a child process, as `reflex compile --dry` does (twice, as `reflex run
--env prod` does), started with the first unit test so that it runs beside the others
(tests/support/compile_check.py, the `app_compile` fixture); this test, the last unit test,
waits for its answer.
"""

from __future__ import annotations

import json


def test_the_app_compiles_without_warnings(app_compile):
    returncode, stdout, stderr = app_compile.result()
    assert returncode == 0, (stdout + stderr)[-5000:]
    warnings = json.loads(stdout.splitlines()[-1])
    assert warnings == []
