"""The one settings object. Every value comes from an environment variable prefixed HUBPORT_."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """hubport's configuration; see the README's table of HUBPORT_ variables."""

    model_config = SettingsConfigDict(env_prefix="HUBPORT_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; unset: a SQLite file in the data directory",
    )
    data_dir: Path = Field(default=Path("var"), description="where the SQLite file and plots go")
    site: Path | None = Field(
        default=None, description="site layout TOML for `hubport init`; unset: Xiaonanya"
    )
    seed: int = Field(default=2024, description="seed of the demo's traffic generator")

    @property
    def database_url_resolved(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hubport.db'}"
