"""A deterministic embedder for unit tests: vectors depend on the words, so similar texts are near."""

from __future__ import annotations

import hashlib

import numpy as np

from assistant.text import terms


class WordHashEmbedder:
    """Bag of stemmed words hashed into 384 dimensions, unit length. Not a constant: texts that
    share words get a high cosine, texts that share none get zero."""

    dim = 384

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for t in terms(text):
            h = int(hashlib.md5(t.encode()).hexdigest(), 16)
            v[h % self.dim] += 1.0 if (h >> 20) % 2 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    embed_many = embed_passages

    def embed_passages_with_parts(self, texts: list[str], parts: list[list[tuple[int, int]]]):
        return self.embed_passages(texts), [self.embed_passages([t[s:e] for s, e in spans]) for t, spans in zip(texts, parts)]

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)
