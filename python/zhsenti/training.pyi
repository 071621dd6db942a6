"""Types of zhsenti.training: train()'s keywords are `zhsenti train`'s flags, each typed as the
CLI parses it (None: the CLI's default); tests/python/test_api.py keeps this list in step with
the CLI's."""

from os import PathLike
from typing import Any, Callable, Optional, Sequence, Union

_Str = Union[str, PathLike[str]]
# A data file, or rows in memory: (text, label) pairs, dicts, a dict of columns, a
# (texts, labels) pair, or a pandas DataFrame.
_Data = Any

TRAIN_FLAGS: dict[str, tuple[str, bool, bool, str, str]]

def train(
    train: _Data,
    dev: _Data = ...,
    out: Optional[_Str] = ...,
    *,
    progress: Union[None, bool, Callable[[dict[str, Any]], None]] = ...,
    resume: bool = ...,
    keep_checkpoint: bool = ...,
    validation_split: Optional[float] = ...,
    text_col: Optional[_Str] = ...,
    label_col: Optional[_Str] = ...,
    skip_bad_rows: Optional[bool] = ...,
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
    no_pretrained_rescale: Optional[bool] = ...,
    pretrain_epochs: Optional[int] = ...,
    unlabelled: Optional[Union[_Str, Sequence[_Str]]] = ...,
    dropout: Optional[float] = ...,
    embed_dropout: Optional[float] = ...,
    freeze_embeddings: Optional[bool] = ...,
    no_freeze_embeddings: Optional[bool] = ...,
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
    no_calibrate: Optional[bool] = ...,
    skew_defaults: Optional[bool] = ...,
    no_skew_defaults: Optional[bool] = ...,
    seed: Optional[int] = ...,
    threads: Optional[int] = ...,
) -> dict[str, Any]: ...
