"""Pages every site has: home, health probes, Exit this page, language switch."""

from app.core.views import bp

__all__ = ["bp"]
