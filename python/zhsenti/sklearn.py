"""A scikit-learn classifier over texts: ``zhsenti.sklearn.RNNClassifier``.

    from zhsenti.sklearn import RNNClassifier
    clf = RNNClassifier(tokens="word", epochs=5).fit(texts, labels)
    clf.predict(["质量很好"]); cross_val_score(clf, texts, labels, cv=5)

Its parameters are `zhsenti train`'s flags (zhsenti.TRAIN_FLAGS, without the data files);
None means the CLI's default. fit() trains into a temporary model directory (kept while the
estimator lives; ``save(dir)`` copies it) with ``validation_split`` of the data held out for
early stopping, unless fit gets ``dev=(texts, labels)``.
"""

import inspect
import os
import pathlib
import shutil
import tempfile
from typing import Any, Optional, Union

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .model import Model
from .training import TRAIN_FLAGS, train

__all__ = ["RNNClassifier"]

# Data columns come from fit(X, y); a flag with a negated twin is a parameter once.
_SKIPPED = {"text_col", "label_col", "skip_bad_rows"}
_PARAMS = [k for k, (name, *_rest) in TRAIN_FLAGS.items()
           if k not in _SKIPPED and not (name.startswith("no-") and name[3:].replace("-", "_") in TRAIN_FLAGS)]


def _texts(X):
    """Texts from a list, a 1-D array or a pandas Series, or a (n, 1) array of str."""
    arr = np.asarray(X, dtype=object)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"RNNClassifier expects a sequence of texts, got an array of shape {arr.shape}")
    return [t if isinstance(t, str) else str(t) for t in arr]


class RNNClassifier(ClassifierMixin, BaseEstimator):
    __doc__ = "A zhsenti RNN text classifier (see the module docstring).\n\nParameters (None: the CLI's default):\n" + "\n".join(
        f"  {k}: {TRAIN_FLAGS[k][4]}" + (f" (default {TRAIN_FLAGS[k][3]})" if TRAIN_FLAGS[k][3] else "")
        for k in _PARAMS)

    def __init__(self, **params):
        unknown = set(params) - set(_PARAMS)
        if unknown:
            raise TypeError(f"RNNClassifier got unexpected parameters {sorted(unknown)}")
        for key in _PARAMS:
            setattr(self, key, params.get(key))

    # scikit-learn reads the parameter names from __init__'s signature.
    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=None) for k in _PARAMS])

    def fit(self, X: Any, y: Any, dev: Optional[tuple[Any, Any]] = None) -> "RNNClassifier":
        """Train on texts X (a list, 1-D array or pandas Series) and labels y; ``dev=(texts,
        labels)`` chooses the epoch instead of a held-out ``validation_split`` of X."""
        texts = _texts(X)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(texts):
            raise ValueError(f"y must be 1-D with one label per text ({len(texts)}), got shape {y.shape}")
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("RNNClassifier needs at least two classes in y, got "
                             f"{len(self.classes_)}")
        self._dir = tempfile.TemporaryDirectory(prefix="zhsenti-rnn-")
        flags = {k: getattr(self, k) for k in _PARAMS if getattr(self, k) is not None}
        dev_rows = None
        if dev is not None:
            dev_rows = (_texts(dev[0]), [str(v) for v in np.asarray(dev[1])])
        self.summary_ = train((texts, [str(v) for v in y]), dev_rows, self._dir.name + "/model",
                              progress=False, **flags)
        self.model_ = Model(self._dir.name + "/model")
        # The model's label order (numeric labels sort numerically) -> classes_'s order.
        index = {label: i for i, label in enumerate(self.model_.labels)}
        self._columns = np.array([index[str(c)] for c in self.classes_])
        self.n_features_in_ = 1
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, float32 (n, len(classes_)), columns in ``classes_`` order."""
        check_is_fitted(self, "model_")
        return self.model_.predict_proba(_texts(X))[:, self._columns]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each text, as values of ``classes_``."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def save(self, path: Union[str, os.PathLike]) -> None:
        """Copy the trained model directory to ``path`` (zhsenti.load / zhsenti predict / serve)."""
        check_is_fitted(self, "model_")
        shutil.copytree(self.model_.path, path)

    def __getstate__(self):
        # Pickling (joblib's parallel cross_val_score) carries the model files' bytes.
        state = self.__dict__.copy()
        for key in ("_dir", "model_"):
            state.pop(key, None)
        if hasattr(self, "model_"):
            files = pathlib.Path(self.model_.path).iterdir()
            state["_model_files"] = {p.name: p.read_bytes() for p in files if p.is_file()}
        return state

    def __setstate__(self, state):
        files = state.pop("_model_files", None)
        self.__dict__.update(state)
        if files is not None:
            self._dir = tempfile.TemporaryDirectory(prefix="zhsenti-rnn-")
            model_dir = pathlib.Path(self._dir.name) / "model"
            model_dir.mkdir()
            for name, data in files.items():
                (model_dir / name).write_bytes(data)
            self.model_ = Model(model_dir)

    def _more_tags(self):
        return {"X_types": ["string"], "requires_y": True, "non_deterministic": False}
