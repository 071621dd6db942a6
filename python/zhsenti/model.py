"""Trained zhsenti models from Python: ``zhsenti.load(model_dir)``."""

import json
import os
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _zhsenti

__all__ = ["Model", "load"]


class Model:
    """A model directory loaded for inference (the one `zhsenti predict` and the server use).

    Thread-safe: many Python threads may call it at once; each call releases the GIL.
    """

    def __init__(self, path: Union[str, os.PathLike], *, precision: str = "auto",
                 decision_rule: bool = True, threads: int = 0) -> None:
        self._core = _zhsenti.Model(os.fspath(path), precision, decision_rule, threads)
        self.config = json.loads(self._core.config_json())

    def __repr__(self):
        return f"<zhsenti.Model {self.path!r} labels={self.labels}>"

    @property
    def labels(self) -> list[str]:
        """The class labels, in the order of ``predict_proba``'s columns."""
        return list(self._core.labels)

    @property
    def path(self) -> str:
        return self._core.path

    def predict_proba(self, texts: Union[str, Sequence[str]]) -> np.ndarray:
        """Probabilities, a float32 array (n, len(labels)); one text gives one row (1-D)."""
        probs = self._core.predict_proba(texts)
        return probs[0] if isinstance(texts, (str, bytes)) else probs

    def predict(self, texts: Union[str, Sequence[str]]) -> Union[str, list[str]]:
        """The most likely label of each text (a list), or of one text (a str)."""
        labels = self._core.predict(texts)
        return labels[0] if isinstance(texts, (str, bytes)) else labels

    def encode(self, texts: Union[str, Sequence[str]]) -> Union[list[int], list[list[int]]]:
        """Token ids as the model reads them (cleaned, segmented, truncated): a list per text."""
        ids = self._core.encode(texts)
        return ids[0] if isinstance(texts, (str, bytes)) else ids

    def explain(self, text: str, label: Optional[str] = None) -> dict[str, Any]:
        """Each token's contribution to ``label`` (default: the predicted one), as the server's
        ``?explain=1``: ``{"label", "probability", "tokens": [(token, weight), ...]}`` where
        weight = p(label | text) - p(label | text without the token)."""
        return self._core.explain(text, label)


def load(path: Union[str, os.PathLike], *, precision: str = "auto", decision_rule: bool = True,
         threads: int = 0) -> Model:
    """Load a model directory written by ``zhsenti train`` or ``zhsenti.train``.

    precision: "auto" | "fp32" | "bf16" (recurrent products); decision_rule: apply the model's
    decision.json (``zhsenti calibrate``) if it has one; threads: for large batches (0: all
    cores). Raises FileNotFoundError or zhsenti.FormatError for a missing or damaged model.
    """
    return Model(path, precision=precision, decision_rule=decision_rule, threads=threads)
