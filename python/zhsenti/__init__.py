"""zhsenti: Chinese sentiment classification on a C++ core.

Segmentation identical to jieba, many times faster (``zhsenti.lcut`` and the rest of jieba's API,
also as ``zhsenti.jieba``); trained models two lines away (``zhsenti.load(dir).predict(texts)``);
training with the CLI's settings (``zhsenti.train``); a scikit-learn estimator
(``zhsenti.sklearn.RNNClassifier``); the CLI's cleaner (``zhsenti.clean``) and data reader
(``zhsenti.data.read``).

Errors: ValueError for bad arguments, FileNotFoundError for missing files, zhsenti.FormatError
(a ValueError) for malformed ones, with the message "file:line: what".
"""

import json as _json
import typing as _t

from . import _zhsenti, data
from ._zhsenti import FormatError
from .jieba import (Tokenizer, add_word, cut, cut_batch, cut_for_search, del_word, dt, get_FREQ,
                    initialize, lcut, lcut_for_search, load_userdict, set_dictionary, setLogLevel,
                    suggest_freq, tokenize)
from .jieba import posseg
from .model import Model, load
from .training import TRAIN_FLAGS, train

__version__ = "0.1.0"

__all__ = [
    "FormatError", "Tokenizer", "add_word", "cut", "cut_batch", "cut_for_search", "del_word",
    "dt", "get_FREQ", "initialize", "lcut", "lcut_for_search", "load_userdict", "set_dictionary",
    "setLogLevel", "suggest_freq", "tokenize", "posseg", "Model", "load", "train", "TRAIN_FLAGS",
    "clean", "data",
]


def clean(text: _t.Union[str, _t.Sequence[str]], **options: _t.Any) -> _t.Union[str, list[str]]:
    """Clean a text (or each text of a list) as zhsenti does before tokenizing.

    Options (default): html (True), urls (True), emails (True), mentions (True),
    repost_chains (False), emoji ("keep" | "drop"), fullwidth (True), squash_punct (True),
    whitespace (True), t2s (True: traditional to simplified), lowercase (False),
    invalid_utf8 ("error" | "replace"). An unknown option raises ValueError.
    """
    return _zhsenti.clean(text, _json.dumps(options))
