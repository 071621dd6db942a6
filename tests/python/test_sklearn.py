"""zhsenti.sklearn.RNNClassifier as a scikit-learn estimator over texts."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError, SkipTestWarning
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import estimator_checks as checks

import zhsenti
from conftest import TINY
from zhsenti.sklearn import RNNClassifier

SMALL = dict(TINY, epochs=1)


@pytest.fixture(scope="module")
def data(chnsenticorp):
    rows = chnsenticorp["train"][:400]
    return [r["text"] for r in rows], np.array([int(r["label"]) for r in rows])


def test_parameters_are_the_train_flags():
    params = RNNClassifier().get_params()
    assert {"epochs", "tokens", "max_len", "cell", "seed", "no_hmm"} <= set(params)
    assert "no_freeze_embeddings" not in params and "freeze_embeddings" in params
    assert "text_col" not in params and "train" not in params
    assert all(v is None for v in params.values())


@pytest.mark.parametrize("check", [
    checks.check_parameters_default_constructible, checks.check_no_attributes_set_in_init,
    checks.check_get_params_invariance, checks.check_set_params, checks.check_estimators_unfitted,
    checks.check_estimator_get_tags_default_keys,
])
def test_sklearn_checks_that_apply_to_text(check):
    check("RNNClassifier", RNNClassifier(**SMALL))


def test_check_estimator_skips_the_numeric_checks():
    # The rest of check_estimator feeds numeric arrays, which a text classifier cannot take:
    # the "string" input tag makes scikit-learn skip them rather than fail.
    with pytest.warns(SkipTestWarning, match="string"):
        checks.check_estimator(RNNClassifier())


def test_fit_predict_score_and_clone(data):
    X, y = data
    clf = RNNClassifier(**SMALL)
    assert clf.fit(X[:300], y[:300]) is clf
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    proba = clf.predict_proba(X[300:])
    assert proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
    pred = clf.predict(X[300:])
    assert pred.dtype == y.dtype and set(pred) <= {0, 1}
    assert clf.score(X[300:], y[300:]) == np.mean(pred == y[300:])
    twin = clone(clf)
    assert twin.get_params() == clf.get_params() and not hasattr(twin, "model_")
    with pytest.raises(NotFittedError):
        twin.predict(X[:2])
    # Fitting again with the same seed gives the same model (threads=2 here, so compare loosely).
    np.testing.assert_allclose(clone(clf).fit(X[:300], y[:300]).predict_proba(X[300:]), proba, atol=1e-4)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X[300:]), proba)


def test_string_labels_keep_their_order(data):
    X, y = data
    names = np.array(["neg", "pos"])[y]
    clf = RNNClassifier(**SMALL).fit(X[:300], names[:300])
    np.testing.assert_array_equal(clf.classes_, ["neg", "pos"])
    assert set(clf.predict(X[300:310])) <= {"neg", "pos"}


def test_cross_val_score_and_pipeline(data):
    X, y = data
    scores = cross_val_score(RNNClassifier(**SMALL), X, y, cv=2)
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
    pipe = Pipeline([("clean", FunctionTransformer(zhsenti.clean)), ("rnn", RNNClassifier(**SMALL))])
    pipe.set_params(rnn__hidden=8)
    pipe.fit(X[:300], y[:300])
    assert pipe.named_steps["rnn"].model_.config["architecture"]["hidden"] == 8
    assert pipe.predict(X[300:]).shape == (100,)


def test_bad_input_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="two classes"):
        RNNClassifier(**SMALL).fit(X[:10], np.zeros(10))
    with pytest.raises(ValueError, match="one label per text"):
        RNNClassifier(**SMALL).fit(X[:10], y[:9])
    with pytest.raises(TypeError):
        RNNClassifier(epochz=3)
