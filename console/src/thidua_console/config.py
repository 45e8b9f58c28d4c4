"""What the console reads from its environment: where the services answer, its province, its signing key."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from thidua_shared.clock import DEFAULT_TIME_ZONE, time_zone


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="THIDUA_", extra="ignore")

    registry_url: str = "http://127.0.0.1:8001"
    scoring_url: str = "http://127.0.0.1:8002"
    awards_url: str = "http://127.0.0.1:8003"
    notifications_url: str = "http://127.0.0.1:8004"
    province: str = Field(default="HNM", pattern=r"^[A-Z]{2,8}$")
    province_name: str = ""
    """The province's name for the sign-in page; once someone signs in, the registry's is used."""
    console_secret: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)
    """Signs the session cookies. Without one set, each start makes a new one (everyone signs in again)."""
    console_secret_file: Path | None = None
    """A file holding that key (``THIDUA_CONSOLE_SECRET_FILE``: a Docker or Kubernetes secret); it wins over
    ``THIDUA_CONSOLE_SECRET``."""
    console_https: bool = False
    """Send the session cookie only over HTTPS (set it behind a TLS proxy)."""
    console_session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    time_zone: str = DEFAULT_TIME_ZONE
    """The province's IANA time zone (``THIDUA_TIME_ZONE``): days and hours on the pages are shown in it."""
    log_level: str = "INFO"
    log_json: bool | None = None

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value

    @model_validator(mode="after")
    def _secret_from_file(self) -> ConsoleSettings:
        if self.console_secret_file is not None:
            self.console_secret = self.console_secret_file.read_text(encoding="utf-8").strip()
            if len(self.console_secret) < 16:
                raise ValueError(f"{self.console_secret_file}: the console's key needs 16 characters at least")
        return self

    def service_url(self, service: str) -> str:
        url: str = getattr(self, f"{service}_url")
        return url.rstrip("/")
