"""The one settings object. Every value comes from an environment variable prefixed HUBPORT_."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hubport.domain.hub_time import Horizon


class Settings(BaseSettings):
    """hubport's configuration; see the README's table of HUBPORT_ variables."""

    model_config = SettingsConfigDict(env_prefix="HUBPORT_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; unset: a SQLite file in the data directory",
    )
    sqlite_synchronous: Literal["full", "normal", "off"] = Field(
        default="full",
        description=(
            "a SQLite store's flush at each commit: full (a commit survives a power cut), "
            "normal, or off (a throwaway store, such as a twin run's)"
        ),
    )
    data_dir: Path = Field(default=Path("var"), description="where the SQLite file and plots go")
    site: Path | None = Field(
        default=None, description="site layout TOML for `hubport init`; unset: Xiaonanya"
    )
    seed: int = Field(default=2024, description="seed of the demo's traffic generator")
    edi_dir: Path | None = Field(
        default=None,
        description="partner folders PARTNER/in and PARTNER/out; unset: DATA_DIR/edi",
    )
    edi_sender: str = Field(
        default="HUBPORT", description="the hub's interchange id (UNB sender) on messages it sends"
    )
    edi_railway: str = Field(
        default="CRCT",
        description="the railway's interchange id: the runtime sends it each train's COARRI",
    )
    edi_locodes: str = Field(
        default="CNJGJ,CNLOH",
        description="UN/LOCODEs that mean this hub in messages (comma-separated)",
    )

    mqtt_url: str = Field(
        default="mqtt://127.0.0.1:1883",
        description="MQTT broker of the equipment bus (mqtt://host:port)",
    )
    horizon: str = Field(
        default="2000-01-01/2099-12-31",
        description="FIRST/LAST hub days a request may name; outside: a 400 naming the field",
    )
    token_days: float = Field(
        default=90.0,
        ge=0,
        description="days a new token opens the API (0: never expires)",
    )
    futures_site: Path | None = Field(
        default=None,
        description="the log-futures delivery site file (TOML); unset: Luohuang port's",
    )
    park_life: Path | None = Field(
        default=None,
        description="the park request life's state table (TOML); unset: the shipped one",
    )
    tariffs: Path | None = Field(
        default=None,
        description="folder of tariff files (TOML: the general one and contracts); unset: shipped",
    )
    accounts: Path | None = Field(
        default=None,
        description="customers' accounts file (TOML: cash or credit terms); unset: shipped",
    )
    invoice_dir: Path | None = Field(
        default=None,
        description="where invoices' PDF and UBL files go; unset: DATA_DIR/invoices",
    )
    corridor_data: Path | None = Field(
        default=None,
        description="folder of corridor CSV files overriding the shipped network's rows",
    )

    @field_validator("horizon")
    @classmethod
    def _horizon_reads(cls, value: str) -> str:
        Horizon.parse(value)
        return value

    @property
    def hub_horizon(self) -> Horizon:
        return Horizon.parse(self.horizon)

    def token_expiry(self, days: float | None = None) -> datetime | None:
        """The wall-clock time a token issued now stops opening (None: never)."""
        chosen = self.token_days if days is None else days
        return None if chosen == 0 else datetime.now(UTC) + timedelta(days=chosen)

    @property
    def invoice_root(self) -> Path:
        return self.invoice_dir if self.invoice_dir is not None else self.data_dir / "invoices"

    @property
    def edi_root(self) -> Path:
        return self.edi_dir if self.edi_dir is not None else self.data_dir / "edi"

    @property
    def hub_locodes(self) -> frozenset[str]:
        return frozenset(code.strip().upper() for code in self.edi_locodes.split(",") if code)

    @property
    def database_url_shown(self) -> str:
        """The store's URL as it may be printed: any password masked."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url_resolved).render_as_string(hide_password=True)

    @property
    def database_url_resolved(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'hubport.db'}"
