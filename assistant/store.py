"""Chroma vector store (embedded on disk, or a `chroma run` server) behind llama-index's ChromaVectorStore."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from .errors import StoreError
from .settings import Settings

log = logging.getLogger(__name__)


class VectorStore:
    """Passage vectors keyed by chunk id, with doc_id metadata for filtering."""

    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.chroma_mode == "http":
                client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
                client.heartbeat()
            else:
                path: Path = settings.index_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            # No embedding function: Chroma's default would try to download a model.
            self.collection = client.get_or_create_collection(
                name=f"passages-{settings.index_key}",
                metadata={"hnsw:space": "cosine"},
                embedding_function=None,
            )
        except Exception as exc:
            where = (
                f"Chroma server at {settings.chroma_host}:{settings.chroma_port}"
                if settings.chroma_mode == "http"
                else f"Chroma store in {settings.index_dir}"
            )
            hint = "start it with `chroma run`" if settings.chroma_mode == "http" else "delete the folder and run `assistant index`"
            raise StoreError(f"cannot open the {where} ({type(exc).__name__}: {exc}); {hint}") from None
        self.li_store = ChromaVectorStore(chroma_collection=self.collection)

    def add(self, ids: list[str], vectors: np.ndarray, texts: list[str], metas: list[dict]) -> None:
        """Add passages through llama-index. A chunk id names its content (it hashes the
        document version), so an id already stored is already right and is left alone: a run
        repeated after a crash adds nothing twice."""
        from llama_index.core.schema import TextNode

        present = set(self.collection.get(ids=list(ids), include=[])["ids"]) if ids else set()
        nodes = [
            TextNode(id_=i, text=t, embedding=v.tolist(), metadata=m)
            for i, v, t, m in zip(ids, vectors, texts, metas)
            if i not in present
        ]
        if nodes:
            self.li_store.add(nodes)

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 5000):
            self.li_store.delete_nodes(node_ids=ids[start : start + 5000])

    def ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the k nearest passages, optionally within doc_ids."""
        from llama_index.core.vector_stores.types import (
            FilterOperator,
            MetadataFilter,
            MetadataFilters,
            VectorStoreQuery,
        )

        filters = None
        if doc_ids is not None:
            if not doc_ids:
                return []
            filters = MetadataFilters(filters=[MetadataFilter(key="doc_id", value=list(doc_ids), operator=FilterOperator.IN)])
        n = self.count()
        if n == 0:
            return []
        result = self.li_store.query(
            VectorStoreQuery(query_embedding=vector.tolist(), similarity_top_k=min(k, n), filters=filters)
        )
        # llama-index reports exp(-distance); with cosine space distance = 1 - cos.
        return [(i, 1.0 + math.log(max(s, 1e-12))) for i, s in zip(result.ids or [], result.similarities or [])]
