"""Settings come from the environment only; one class per environment.

Development and test have defaults (and start embedded PostgreSQL and Redis when no URL
is given). Production has none: it refuses to start, naming what is missing.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(RuntimeError):
    """Raised when the environment cannot make a valid configuration."""


@dataclass(frozen=True)
class Settings:
    env: ClassVar[str] = "base"
    secret_key: str
    database_url: str | None
    redis_url: str | None
    base_domain: str
    # The admin role: provisioning, migrations, decommissioning (CLI, migration Job and the
    # provisioning worker only). Web and other workers run without it.
    admin_database_url: str | None = None
    instance_path: Path = REPO_ROOT / "instance"
    # Force roles are cluster-wide in PostgreSQL; the prefix keeps two deployments
    # (or parallel test runs) on one cluster apart.
    db_role_prefix: str = "tenant"
    registry_ttl_seconds: float = 2.0
    secure_cookies: bool = False
    log_level: str = "INFO"
    exit_page_url: str = "https://www.bbc.co.uk/weather"
    # Requests per client address per force; journeys set tighter limits on sign-in.
    default_rate_limit: str = "300 per minute"
    # Proxies in front of us that set X-Forwarded-For/-Proto (never -Host: the Host
    # header names the force and must come from the client's own request).
    proxy_hops: int = 0
    # Keys for secrets stored in the database (IdP client secrets, Notify API keys):
    # comma-separated Fernet keys, newest first. Rotation: put a new key first, run
    # `flask --app wsgi tenants rotate-secrets`, then drop the old key (docs/operations.md).
    secrets_key: str = ""
    # The platform's mail relay: smtp://user:password@host:port or smtps://... A force may
    # set its own relay or GOV.UK Notify. Development with none runs an embedded sink.
    smtp_url: str | None = None
    mail_from: str = "TrackMyCrime <no-reply@localhost>"
    # How links in messages reach a site: "{host}" is the force's or central host.
    # Production: https://{host}; elsewhere http://{host}:5000 (the demo's port).
    public_url_template: str | None = None
    # Central operators sign in with the platform's own OpenID provider (all three or
    # none; `flask operators create EMAIL` pre-authorises the first operator).
    central_idp_issuer: str = ""
    central_idp_client_id: str = ""
    central_idp_client_secret: str = ""
    # Decommissioning a force: how long it stays suspended (its export waiting for the
    # force) before its role and schema may be removed, and where exports are written
    # (default instance_path/exports; web and the maintenance worker must share it).
    decommission_grace_days: int = 30
    export_dir: Path | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.decommission_grace_days <= 3650:
            raise SettingsError("DECOMMISSION_GRACE_DAYS must be 0 to 3650 days.")

    @property
    def secrets_keys(self) -> tuple[str, ...]:
        """The Fernet keys, newest first (the first one encrypts; all of them decrypt)."""
        return tuple(key.strip() for key in self.secrets_key.split(",") if key.strip())

    @property
    def exports_path(self) -> Path:
        """Where decommissioned forces' exports are written."""
        return self.export_dir or self.instance_path / "exports"

    @property
    def uses_embedded_services(self) -> bool:
        return self.database_url is None or self.redis_url is None


@dataclass(frozen=True)
class DevelopmentSettings(Settings):
    env: ClassVar[str] = "development"
    secret_key: str = "dev-only-not-secret"  # noqa: S105 - development default
    # A fixed, published development key: never a secret (production has no default).
    secrets_key: str = "ZGV2LW9ubHktbm90LXNlY3JldC1rZXktMDAwMDAwMDA="
    database_url: str | None = None
    redis_url: str | None = None
    base_domain: str = "localhost"


@dataclass(frozen=True)
class TestSettings(DevelopmentSettings):
    __test__: ClassVar[bool] = False  # a settings class, not a pytest test class
    env: ClassVar[str] = "test"
    secret_key: str = "test-only-not-secret"  # noqa: S105 - test default
    registry_ttl_seconds: float = 0.5


@dataclass(frozen=True)
class ProductionSettings(Settings):
    env: ClassVar[str] = "production"
    secure_cookies: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        # A force needs time to download its export, and a mistaken decommission time
        # to be noticed and stopped, before its data can go.
        if self.decommission_grace_days < 7:
            raise SettingsError("DECOMMISSION_GRACE_DAYS must be at least 7 in production.")
        if len(self.secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters in production.")
        central = (
            self.central_idp_issuer,
            self.central_idp_client_id,
            self.central_idp_client_secret,
        )
        if any(central) and not (all(central) and self.central_idp_issuer.startswith("https://")):
            raise SettingsError(
                "CENTRAL_IDP_ISSUER (https://), CENTRAL_IDP_CLIENT_ID and "
                "CENTRAL_IDP_CLIENT_SECRET go together in production."
            )
        if not self.secrets_keys or not all(map(_is_fernet_key, self.secrets_keys)):
            raise SettingsError(
                "SECRETS_KEY must be one or more comma-separated Fernet keys "
                "(32 url-safe base64 bytes each) in production."
            )
        checks = [("DATABASE_URL", self.database_url, ("postgresql",))]
        if self.admin_database_url is not None:
            checks.append(("ADMIN_DATABASE_URL", self.admin_database_url, ("postgresql",)))
        for name, url, schemes in (
            *checks,
            ("REDIS_URL", self.redis_url, ("redis", "rediss")),
            ("SMTP_URL", self.smtp_url, ("smtp", "smtps")),
        ):
            if not url or url.split(":", 1)[0].split("+")[0] not in schemes:
                raise SettingsError(f"{name} must be a {schemes[0]}:// URL in production.")


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (ValueError, binascii.Error):
        return False


def database_url(value: str) -> str:
    """The URL with our driver: SQLAlchemy 2.1 reads plain postgresql:// as psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg2://" + value.removeprefix(prefix)
    return value


_CLASSES: dict[str, type[Settings]] = {
    cls.env: cls for cls in (DevelopmentSettings, TestSettings, ProductionSettings)
}

# Environment variable -> (field, converter). Only these are read.
_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "SECRET_KEY": ("secret_key", str),
    "DATABASE_URL": ("database_url", database_url),
    "ADMIN_DATABASE_URL": ("admin_database_url", database_url),
    "REDIS_URL": ("redis_url", str),
    "BASE_DOMAIN": ("base_domain", str),
    "INSTANCE_PATH": ("instance_path", Path),
    "DB_ROLE_PREFIX": ("db_role_prefix", str),
    "REGISTRY_TTL_SECONDS": ("registry_ttl_seconds", float),
    "LOG_LEVEL": ("log_level", str),
    "EXIT_PAGE_URL": ("exit_page_url", str),
    "DEFAULT_RATE_LIMIT": ("default_rate_limit", str),
    "PROXY_HOPS": ("proxy_hops", int),
    "SECRETS_KEY": ("secrets_key", str),
    "SMTP_URL": ("smtp_url", str),
    "MAIL_FROM": ("mail_from", str),
    "PUBLIC_URL_TEMPLATE": ("public_url_template", str),
    "CENTRAL_IDP_ISSUER": ("central_idp_issuer", str),
    "CENTRAL_IDP_CLIENT_ID": ("central_idp_client_id", str),
    "CENTRAL_IDP_CLIENT_SECRET": ("central_idp_client_secret", str),
    "DECOMMISSION_GRACE_DAYS": ("decommission_grace_days", int),
    "EXPORT_DIR": ("export_dir", Path),
}
_REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "SECRETS_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "BASE_DOMAIN",
    "SMTP_URL",
)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build the settings for TMC_ENV (development, test or production) from environ."""
    environ = os.environ if environ is None else environ
    env = environ.get("TMC_ENV", "development")
    cls = _CLASSES.get(env)
    if cls is None:
        raise SettingsError(f"TMC_ENV must be one of {', '.join(_CLASSES)}, not {env!r}.")
    if cls is ProductionSettings:
        missing = [name for name in _REQUIRED_IN_PRODUCTION if not environ.get(name)]
        if missing:
            raise SettingsError(f"Production needs these variables set: {', '.join(missing)}.")
    values = {}
    for name, (field, convert) in _VARIABLES.items():
        if environ.get(name):
            try:
                values[field] = convert(environ[name])
            except ValueError as error:
                raise SettingsError(f"{name} is not valid: {error}") from None
    return cls(**values)


def with_overrides(settings: Settings, **changes: object) -> Settings:
    """A copy of settings with some fields changed (used when embedded services start)."""
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
