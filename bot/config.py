"""Settings: nested sections, environment variables BOT_<SECTION>__<NAME>, `.env` supported.

Built at the entry points only (CLI, server); everything else receives what it needs as arguments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbeddingSettings(BaseModel):
    backend: Literal["e5", "sentence-transformers", "hashing"] = "e5"
    model: str = Field(
        "multilingual-e5-small", description="model name or local path (sentence-transformers)"
    )
    batch_size: int = Field(16, ge=1, le=512)
    threads: int | None = Field(
        None, ge=1, le=64, description="threads per E5 engine (None: the engine decides, all cores)"
    )
    instances: int = Field(1, ge=1, le=64, description="E5 engines serving concurrent requests")
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "


class IndexSettings(BaseModel):
    kind: Literal["flat", "hnsw", "ivf"] = "flat"
    hnsw_m: int = Field(32, ge=4, le=128)
    ivf_lists: int = Field(256, ge=1)


class RetrievalSettings(BaseModel):
    top_k: int = Field(8, ge=1, le=50)
    dense_candidates: int = Field(60, ge=1, le=1000)
    keyword_candidates: int = Field(60, ge=1, le=1000)
    rrf_k: int = Field(
        5, ge=1, description="k of reciprocal-rank fusion (measured in eval: small k suits few, sharp lists)"
    )
    bridge: bool = Field(
        True, description="carry English words to the documents' Chinese through CC-CEDICT (bot.bridge)"
    )


class LLMSettings(BaseModel):
    base_url: str | None = None
    model: str | None = None
    api_key: SecretStr | None = None
    timeout_s: float = Field(20.0, gt=0, le=600)
    temperature: float = Field(0.0, ge=0, le=2)

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)

    @model_validator(mode="after")
    def _both_or_neither(self) -> LLMSettings:
        if bool(self.base_url) != bool(self.model):
            raise ValueError(
                "set both BOT_LLM__BASE_URL and BOT_LLM__MODEL to use an LLM, or neither for the built-in answerer"
            )
        return self


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    admin_token: SecretStr | None = None
    max_question_chars: int = Field(2000, ge=10, le=100_000)
    rate_limit_per_minute: int = Field(120, ge=1)
    cors_origins: list[str] = []
    # Reverse proxies whose X-Forwarded-For names the client (rate limit and fair share are per client).
    trusted_proxies: list[str] = []
    # A request's headers must arrive within this; its body may pause no longer than body_idle_s.
    header_timeout_s: float = Field(10.0, gt=0, le=600)
    body_idle_s: float = Field(15.0, gt=0, le=600)
    # Connections held at once (lowered to what the open-files limit allows); past it the one idle longest
    # without a request is closed.
    max_connections: int = Field(2048, ge=16, le=1_000_000)
    # Worker processes on one port (each loads the index; the rate limit and the UI's queue are per worker).
    workers: int = Field(1, ge=1, le=64)
    # Web UI: questions (per listener) answered at once, and how many may wait before "queue full".
    ui_concurrency: int = Field(8, ge=1, le=256)
    ui_queue_size: int = Field(64, ge=1, le=10_000)

    @field_validator("admin_token")
    @classmethod
    def _token_strong_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError(
                "BOT_SERVER__ADMIN_TOKEN must be at least 16 characters (or unset to disable admin actions)"
            )
        return value


class DataSettings(BaseModel):
    # Unset: feedback in SQLite under data_dir (and the rate limit in this process, or in SQLite beside it
    # when several workers share a machine). A postgresql:// URL holds both for every worker and replica.
    database_url: SecretStr | None = None
    shared_rate_limit: bool | None = Field(
        None,
        description="keep the rate limit in the database (None: when there are several workers or a URL)",
    )

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("BOT_DATA__DATABASE_URL must be a postgresql:// URL (unset: SQLite in data_dir)")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    data_dir: Path = PROJECT_ROOT / "data"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # The day a document's validity is judged against (in force, expired…); unset means the real today.
    today: dt.date | None = None
    embedding: EmbeddingSettings = EmbeddingSettings()
    index: IndexSettings = IndexSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    server: ServerSettings = ServerSettings()
    data: DataSettings = DataSettings()

    def day(self) -> dt.date:
        return self.today or dt.date.today()

    @field_validator("corpus_dir")
    @classmethod
    def _corpus_exists(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"corpus folder {value} does not exist (set BOT_CORPUS_DIR)")
        return value
