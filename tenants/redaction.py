"""Describe an exception without its message.

Messages carry data: PostgreSQL's DETAIL line quotes the offending value (a crime
reference, an email), and SQLAlchemy's text repeats the statement. Web error logs and
failed jobs alike keep only the type, the SQLSTATE and where it happened.
"""

from __future__ import annotations

import traceback


def describe_error(error: BaseException) -> str:
    """Type, SQLSTATE and code frames of error; never its message or its cause's."""
    sqlstate = getattr(getattr(error, "orig", None), "pgcode", None) or getattr(
        error, "pgcode", None
    )
    frames = "".join(traceback.format_tb(error.__traceback__))
    state = f" (SQLSTATE {sqlstate})" if sqlstate else ""
    return f"unhandled {type(error).__name__}{state}\n{frames}"


class RedactedError(RuntimeError):
    """Stands in for an exception whose message may carry data (see describe_error)."""
