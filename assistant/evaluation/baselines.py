"""Retrievers to compare with ours on the same corpus: BM25 alone, dense alone, llama-index out of the box."""

from __future__ import annotations

from typing import NamedTuple

from ..service import Assistant


class Retrieved(NamedTuple):
    """One retrieved passage: where it sits in its document and its text."""

    doc_id: str
    start: int | None
    end: int | None
    text: str


def ours(assistant: Assistant, query: str, k: int, mode: str = "hybrid") -> list[Retrieved]:
    """Our retriever in one mode: "hybrid" (what `ask` uses), "lexical" (BM25 alone) or "dense"."""
    return [Retrieved(h.passage.doc_id, h.passage.start, h.passage.end, h.passage.text)
            for h in assistant.retrieve(query, k, mode=mode)]


class LlamaIndexDefault:
    """llama-index as its quick-start builds it: `SentenceSplitter()` with its defaults (1,024
    tokens, 200 overlap), an in-memory `VectorStoreIndex`, and `as_retriever()` with its default
    top-k (2). It reads the same cleaned document texts our index holds and embeds with the same
    MiniLM model, so only chunking and retrieval differ. Nothing is taken from llama-index's
    global Settings (whose defaults reach for OpenAI)."""

    def __init__(self, assistant: Assistant):
        from llama_index.core import Document, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        docs = []
        for meta in assistant.documents():
            doc = assistant.document(meta.doc_id)
            # The file name is kept for mapping back but, as SimpleDirectoryReader does with its
            # own metadata, left out of what is embedded.
            docs.append(Document(text=doc.text, metadata={"file_name": doc.doc_id},
                                 excluded_embed_metadata_keys=["file_name"], excluded_llm_metadata_keys=["file_name"]))
        # Our Embedder wraps llama-index's HuggingFaceEmbedding over the bundled model folder
        # (model_path(), device "cpu"); sharing it avoids loading the same weights twice.
        embed_model = assistant.embedder.model
        self.index = VectorStoreIndex.from_documents(docs, embed_model=embed_model, transformations=[SentenceSplitter()])
        self.retriever = self.index.as_retriever()
        self.top_k = self.retriever.similarity_top_k
        self.chunks = len(self.index.docstore.docs)

    def retrieve(self, query: str) -> list[Retrieved]:
        out = []
        for hit in self.retriever.retrieve(query):
            node = hit.node
            out.append(Retrieved(node.metadata["file_name"], node.start_char_idx, node.end_char_idx, node.get_content()))
        return out
