"""Enter a request's scope by hand, as the tenancy hook does, for tests that call views
or the audit recorder inside `app.test_request_context`."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from tenants.extension import tenancy


def enter_scope() -> ResponseReturnValue | None:
    """Resolve the Host and bind the force, exactly as before_request does."""
    return tenancy().enter_scope()
