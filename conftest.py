"""pytest configuration shared by every addon's tests.

Odoo skips a browser test when Chromium cannot start. In this suite a tour that
did not run is a screen nobody clicked through, so such a skip fails the run.
"""

import pytest

BROWSER_SKIPS = (
    "chrome",
    "websocket-client",
    "devtools",
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value).lower()
        if any(word in reason for word in BROWSER_SKIPS):
            report.outcome = "failed"
            report.longrepr = f"browser test could not run: {call.excinfo.value}"
