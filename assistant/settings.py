"""The one typed settings object: environment (prefix ASSISTANT_), then CLI flags on top."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError

# Bumped whenever chunking or stored fields change in a way that makes old indexes unusable.
INDEX_FORMAT = 3  # 3: sentence vectors beside the passages
EMBED_MODEL_NAME = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every knob of the assistant. Built once at an entry point and passed down."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", frozen=True, extra="forbid")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of documents to index (.txt .md .html .pdf).")
    data_dir: Path = Field(Path("data"), description="Where the index, catalog and feedback are stored.")
    chunk_chars: int = Field(900, ge=200, le=4000, description="Target passage length in characters (MiniLM reads about 1,000).")
    chunk_overlap_chars: int = Field(200, ge=0, le=2000, description="Characters of whole sentences repeated between neighbouring passages.")
    top_k: int = Field(5, ge=1, le=50, description="Passages handed to the answer step.")
    candidates: int = Field(40, ge=5, le=500, description="Candidates taken from each of dense and lexical search before fusion.")
    rrf_k: int = Field(5, ge=1, le=1000, description="Reciprocal-rank-fusion constant (larger flattens rank differences).")
    dense_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the dense ranking in fusion.")
    lexical_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the BM25 ranking in fusion.")
    max_answer_sentences: int = Field(4, ge=1, le=12, description="Most sentences quoted when a question asks for several things (others quote one).")
    abstain_below: float = Field(0.35, ge=0.0, le=1.0, description="Answer only when the support score of the best sentence reaches this.")
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Passages embedded per batch while indexing.")
    embed_threads: int = Field(2, ge=1, le=64, description="CPU threads for the embedding model.")
    embed_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8", description="Runtime of the same model: 'onnx-int8' (int8 weights, 2-3x faster, no torch "
        "import when answering), 'onnx' (fp32, the vectors of 'torch') or 'torch' (sentence-transformers).")
    model_cache_dir: Path | None = Field(None, description="Where the ONNX export of the model is kept (default: data_dir/models).")
    max_file_mb: float = Field(60.0, gt=0, description="Larger files are skipped with a reason.")
    max_question_chars: int = Field(2000, ge=10, le=100_000, description="Longer questions are refused with a message.")
    chroma_mode: Literal["embedded", "http"] = Field("embedded", description="'embedded' keeps Chroma on disk in data_dir; 'http' talks to a `chroma run` server.")
    chroma_host: str = Field("127.0.0.1", description="Chroma server host when chroma_mode is 'http'.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port when chroma_mode is 'http'.")
    host: str = Field("127.0.0.1", description="Address the chat listens on; anything but loopback needs ASSISTANT_AUTH_USER/PASSWORD.")
    port: int = Field(7860, ge=1, le=65535, description="Port the chat listens on.")
    auth_user: str | None = Field(None, description="Username required when the chat listens beyond loopback.")
    auth_password: str | None = Field(None, description="Password required when the chat listens beyond loopback.")
    max_upload_mb: float = Field(20.0, gt=0, description="Largest file accepted by the chat's upload.")

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        if self.chunk_overlap_chars >= self.chunk_chars:
            raise ValueError(
                f"chunk_overlap_chars ({self.chunk_overlap_chars}) must be smaller than chunk_chars ({self.chunk_chars})"
            )
        return self

    @property
    def index_key(self) -> str:
        """Short hash of what the index is of and everything that changes its vectors or passages:
        another corpus folder or chunk size gets its own index, never a stale or clobbered one."""
        corpus = self.corpus_dir.expanduser().resolve()
        raw = f"{INDEX_FORMAT}|{EMBED_MODEL_NAME}|{self.chunk_chars}|{self.chunk_overlap_chars}|{corpus}"
        if self.embed_backend != "torch":  # each runtime gives slightly different vectors
            raw += f"|{self.embed_backend}"
        return hashlib.sha256(raw.encode()).hexdigest()[:12]

    @property
    def index_dir(self) -> Path:
        return self.data_dir / f"index-{self.index_key}"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment with `overrides` (None values ignored) on top.

    Raises ConfigError with the offending field and value instead of a pydantic traceback.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "settings"
        env = f"ASSISTANT_{field.upper()}"
        raise ConfigError(f"setting {field} is invalid ({first['msg']}); fix the flag or {env}") from None


def settings_table() -> str:
    """The README's settings table, generated from the field descriptions."""
    rows = ["| environment variable | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default if field.default is not None else "(none)"
        rows.append(f"| `ASSISTANT_{name.upper()}` | `{default}` | {field.description} |")
    return "\n".join(rows)
