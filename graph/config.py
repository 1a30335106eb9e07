"""Settings, loaded in one place: :func:`load_settings`.

Every value can be set from the environment with the ``RAPPORT_`` prefix (nested fields use
``__``, e.g. ``RAPPORT_NEO4J__URI``) or from a ``.env`` file. Nothing is read at import time.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import ConfigError


class StoreKind(StrEnum):
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("rapport", appauthor=False))


class FalkorDBSettings(BaseModel):
    """Embedded FalkorDB (default) or an already running server when ``url`` is set."""

    url: str | None = Field(
        default=None,
        description="redis://host:port or unix:///path.sock of a running FalkorDB; unset = start embedded",
    )
    graph: str = "rapport"
    password: SecretStr | None = None
    maxmemory: str = Field(default="0", description="redis maxmemory for the embedded server (0 = no limit)")
    query_threads: int = Field(
        default=1,
        ge=1,
        description="query threads of the embedded server (FalkorDB THREAD_COUNT); more than 1 ran into a "
        "FalkorDB 4.16 crash under concurrent reads after the graph grew (docs/stores.md)",
    )
    startup_timeout_s: float = Field(
        default=20.0,
        gt=0,
        description="seconds the embedded server may go without loading progress before its start fails",
    )
    log_compaction_min_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=0,
        description="after an ingest or analysis, rewrite the append-only file if it grew by this much",
    )


class Neo4jSettings(BaseModel):
    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: SecretStr = SecretStr("neo4j")
    database: str = "neo4j"
    # how long a transaction is retried after a transient error or a lost connection before the error
    # is reported (the driver's max_transaction_retry_time): long enough for a cluster's leader switch;
    # shorter makes a command fail fast when a single server is down
    max_retry_seconds: float = Field(default=30.0, ge=0, le=600)


def default_spark_classpath_file() -> Path:
    """The jar list `mvn -f spark/pom.xml package` writes (GraphFrames and the Neo4j connector)."""
    return Path(__file__).resolve().parents[1] / "spark" / "target" / "classpath.txt"


class SparkSettings(BaseModel):
    """Settings of the Spark engine (`rapport analyze --engine spark`, docs/scale-out.md)."""

    master: str = Field(default="local[*]", min_length=1)
    # shuffle partitions: small in local mode (each costs a task); ~2-4 per executor core on a cluster
    shuffle_partitions: int = Field(default=8, ge=1)
    driver_memory: str = "2g"
    classpath_file: Path = Field(default_factory=default_spark_classpath_file)
    # PageRank passes between convergence checks (each check is one more Spark job)
    pagerank_check_every: int = Field(default=5, ge=1)
    # PageRank's stopping rule: L1 change of a pass below this (in-process uses 1e-10); the result is
    # within damping / (1 - damping) * tol (L1) of the fixed point, 5.7 * tol at damping 0.85
    pagerank_tol: float = Field(default=1e-10, gt=0, lt=1)
    ui_enabled: bool = False
    # parallel reads per query through the Neo4j Connector for Apache Spark (its SKIP/LIMIT partitions)
    neo4j_read_partitions: int = Field(default=1, ge=1)
    # parallel Spark tasks writing a Neo4j store's staged scores through the connector's writer
    neo4j_write_partitions: int = Field(default=4, ge=1)


class ApiKey(BaseModel):
    """A key from settings: pre-hashed (``key_id`` + ``key_hash``, as ``rapport keys create
    --print-config`` prints them) or plain ``key`` (development, tests). See ``usecases/api_keys.py``."""

    key: SecretStr | None = None
    key_id: str | None = None
    key_hash: str | None = None
    role: Literal["read", "write", "admin"] = "read"
    name: str = "key"

    @model_validator(mode="after")
    def _one_form(self) -> ApiKey:
        plain, hashed = self.key is not None, self.key_id is not None and self.key_hash is not None
        if plain == hashed:
            raise ValueError("an API key needs either 'key' or both 'key_id' and 'key_hash'")
        return self


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAPPORT_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    store: StoreKind = StoreKind.FALKORDB
    data_dir: Path = Field(default_factory=default_data_dir)
    falkordb: FalkorDBSettings = FalkorDBSettings()
    neo4j: Neo4jSettings = Neo4jSettings()
    spark: SparkSettings = SparkSettings()

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_keys: list[ApiKey] = Field(default_factory=list)
    api_key_file: Path | None = Field(
        default=None,
        description="hashed API keys managed by `rapport keys`; default <data_dir>/api-keys.json",
    )
    # failed authentications allowed per client address in the window before 429 (api/throttle.py)
    auth_failures_allowed: int = Field(default=10, ge=1)
    auth_failure_window_s: float = Field(default=60.0, gt=0)
    max_page_size: int = Field(default=1000, ge=1)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # run-scoped GET pages (influencers, advocates, communities) are served from memory for this
    # long (see api/cache.py); 0 turns the cache off
    response_cache_seconds: float = Field(default=2.0, ge=0, le=3600)
    response_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    # an API process holds the current run, a page's rows and a brand's existence in memory until a
    # write marks the data changed, checking for that mark at most this often (usecases/read_view.py):
    # a write by another process shows within this time, one by this process at once; 0 holds nothing
    read_view_seconds: float = Field(default=0.25, ge=0, le=60)

    batch_size: int = Field(default=5000, ge=1, le=100_000)
    # how ingest scores post sentiment: "support", "vader" or "package.module:factory" (docs/sentiment.md)
    sentiment_scorer: str = Field(default="support", min_length=1)

    # CRM sync (docs/crm-sync.md): the list records of this many newest succeeded analysis runs are
    # kept, so `GET .../changes?since_run=R` works for R among them (older: 410 run_not_retained)
    analysis_runs_kept: int = Field(default=14, ge=1, le=1000)
    # a profile link to a customer whose consent forbids joining (contact_allowed false) is held
    # for review ("hold") or refused outright ("refuse"); either way it is not made, and is logged
    identity_consent: Literal["hold", "refuse"] = "hold"


def load_settings(**overrides: object) -> Settings:
    """Build the settings from the environment, ``.env`` and explicit overrides."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc
