"""Settings every service reads from its environment (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from thidua_shared.clock import DEFAULT_TIME_ZONE, time_zone


class ServiceSettings(BaseSettings):
    """``THIDUA_*`` variables, plus ``KAFKA_BOOTSTRAP_SERVERS``.

    ``THIDUA_DATABASE_URL``: the service's own database (``sqlite+aiosqlite:///...`` or
    ``postgresql+asyncpg://...``); ``THIDUA_AUTH_DATABASE_URL``: the token database;
    ``THIDUA_PROVINCES``: the provinces this instance serves, comma-separated (e.g. ``HNM,NBH``).

    Files people send: ``THIDUA_IMPORT_MAX_BYTES`` and ``THIDUA_IMPORT_MAX_ROWS`` bound a registry import
    (413 past them), ``THIDUA_IMPORT_MAX_PROBLEMS`` how many of a refused file's problems the answer lists
    (it counts them all), ``THIDUA_EVIDENCE_MAX_BYTES`` an evidence file.

    ``THIDUA_KAFKA_SESSION_TIMEOUT_MS``: the consumer groups' session timeout. Apache Kafka accepts 6,000 ms
    at least (``group.min.session.timeout.ms``); the embedded broker lets a consumer join in about a third
    of it, so the embedded default and the tests use less.
    """

    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str = ""
    auth_database_url: str = ""
    provinces: str = "HNM"
    host: str = "127.0.0.1"
    port: int = 0
    log_level: str = "INFO"
    log_json: bool | None = None
    migrate_on_start: bool = True
    import_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1)
    import_max_rows: int = Field(default=20_000, ge=1)
    import_max_problems: int = Field(default=100, ge=1)
    evidence_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1)
    kafka_session_timeout_ms: int = Field(default=6000, ge=1000, le=300_000)
    kafka_fetch_max_wait_ms: int = Field(default=500, ge=1, le=60_000)
    """How long the broker may hold a consumer's fetch when nothing is there (``THIDUA_KAFKA_FETCH_MAX_WAIT_MS``):
    Apache Kafka answers as soon as data arrives; the embedded broker waits it out (see ``thidua_shared.broker``)."""
    checkpoint_interval_seconds: float = Field(default=3600.0, gt=0)
    """How often the service signs its log's head when it moved (``THIDUA_CHECKPOINT_INTERVAL_SECONDS``)."""
    checkpoint_key_file: Path | None = None
    """The instance's Ed25519 key of a service's checkpoints (``THIDUA_CHECKPOINT_KEY_FILE``); default:
    ``<data_dir>/<service>.checkpoint-key.pem``, made on first start."""
    time_zone: str = DEFAULT_TIME_ZONE
    """The province's IANA time zone (``THIDUA_TIME_ZONE``): it decides "today" (see ``thidua_shared.clock``)."""
    database_password_file: Path | None = None
    """A file holding the database password (``THIDUA_DATABASE_PASSWORD_FILE``: a Docker or Kubernetes secret):
    put into the database URLs, which then name none. No password ever has a default in the repository."""
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "THIDUA_KAFKA_BOOTSTRAP_SERVERS"),
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @field_validator("provinces")
    @classmethod
    def _upper(cls, value: str) -> str:
        return ",".join(code.strip().upper() for code in value.split(",") if code.strip())

    @property
    def province_codes(self) -> list[str]:
        return self.provinces.split(",")

    def database_for(self, service: str) -> str:
        if self.database_url:
            return self._with_password(self.database_url)
        return f"sqlite+aiosqlite:///{self.data_dir / (service + '.db')}"

    def _with_password(self, url: str) -> str:
        """``url`` with the password of :attr:`database_password_file`, if one is set and the URL names none."""
        if self.database_password_file is None:
            return url
        parsed = make_url(url)
        if parsed.password is not None:
            return url
        password = self.database_password_file.read_text(encoding="utf-8").strip()
        return parsed.set(password=password).render_as_string(hide_password=False)

    def auth_database(self) -> str:
        if self.auth_database_url:
            return self._with_password(self.auth_database_url)
        return f"sqlite+aiosqlite:///{self.data_dir / 'auth.db'}"
