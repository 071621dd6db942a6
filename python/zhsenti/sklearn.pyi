"""Types of zhsenti.sklearn: RNNClassifier's parameters are `zhsenti train`'s flags (without the
data columns), typed as the CLI parses them (None: the CLI's default); tests/python/test_api.py
keeps this list in step with the CLI's."""

from os import PathLike
from typing import Any, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin

from .model import Model

_Str = Union[str, PathLike[str]]
_Texts = Union[Sequence[str], npt.ArrayLike]  # a list, 1-D array, pandas Series or (n, 1) array

class RNNClassifier(ClassifierMixin, BaseEstimator):
    classes_: np.ndarray
    summary_: dict[str, Any]
    model_: Model
    n_features_in_: int
    def __init__(
        self,
        *,
        validation_split: Optional[float] = ...,
        min_count: Optional[int] = ...,
        max_vocab: Optional[int] = ...,
        tokens: Optional[_Str] = ...,
        max_len: Optional[int] = ...,
        user_dict: Optional[Union[_Str, Sequence[_Str]]] = ...,
        no_hmm: Optional[bool] = ...,
        no_clean: Optional[bool] = ...,
        stopwords: Optional[_Str] = ...,
        cell: Optional[_Str] = ...,
        bidirectional: Optional[bool] = ...,
        unidirectional: Optional[bool] = ...,
        layers: Optional[int] = ...,
        embed_dim: Optional[int] = ...,
        hidden: Optional[int] = ...,
        ngram_buckets: Optional[int] = ...,
        ngram_order: Optional[int] = ...,
        norm: Optional[_Str] = ...,
        pool: Optional[_Str] = ...,
        pretrained: Optional[_Str] = ...,
        pretrained_rescale: Optional[bool] = ...,
        pretrain_epochs: Optional[int] = ...,
        unlabelled: Optional[Union[_Str, Sequence[_Str]]] = ...,
        dropout: Optional[float] = ...,
        embed_dropout: Optional[float] = ...,
        freeze_embeddings: Optional[bool] = ...,
        unfreeze_after: Optional[int] = ...,
        epochs: Optional[int] = ...,
        batch_size: Optional[int] = ...,
        optimizer: Optional[_Str] = ...,
        lr: Optional[float] = ...,
        weight_decay: Optional[float] = ...,
        clip: Optional[float] = ...,
        schedule: Optional[_Str] = ...,
        warmup: Optional[float] = ...,
        class_weights: Optional[_Str] = ...,
        oversample: Optional[bool] = ...,
        logit_adjust: Optional[float] = ...,
        label_smoothing: Optional[float] = ...,
        focal_gamma: Optional[float] = ...,
        ema_decay: Optional[float] = ...,
        early_stopping: Optional[int] = ...,
        metric: Optional[_Str] = ...,
        calibrate: Optional[bool] = ...,
        skew_defaults: Optional[bool] = ...,
        seed: Optional[int] = ...,
        threads: Optional[int] = ...,
    ) -> None: ...
    def fit(self, X: _Texts, y: npt.ArrayLike,
            dev: Optional[tuple[_Texts, npt.ArrayLike]] = ...) -> "RNNClassifier": ...
    def predict_proba(self, X: _Texts) -> npt.NDArray[np.float32]: ...
    def predict(self, X: _Texts) -> np.ndarray: ...
    def score(self, X: _Texts, y: npt.ArrayLike, sample_weight: Optional[npt.ArrayLike] = ...) -> float: ...
    def save(self, path: _Str) -> None: ...
