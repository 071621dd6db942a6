"""pandas: zhsenti.data.read(as_frame=True) and DataFrames as zhsenti.train's data (any column
names the reader knows or text_col/label_col name, missing values reported by row)."""

import numpy as np
import pandas as pd
import pytest

import zhsenti
from conftest import TINY, data_dir

SETTINGS = dict(TINY, epochs=1, threads=1)


def test_read_as_frame_has_the_rows_read_gives():
    path = data_dir() / "chnsenticorp" / "dev.tsv"
    rows = zhsenti.data.read(path)
    frame = zhsenti.data.read(path, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["text", "label", "line"] and len(frame) == len(rows)
    assert frame.to_dict("records") == rows
    assert frame["line"].dtype == np.int64 and frame["line"].iloc[0] == 2  # after the header


@pytest.fixture(scope="module")
def frame(chnsenticorp):
    rows = chnsenticorp["train"][:300]
    # Column names the reader does not guess, integer labels, an index that is not 0..n-1.
    return pd.DataFrame({"评论": [r["text"] for r in rows], "极性": [int(r["label"]) for r in rows]},
                        index=range(1000, 1000 + len(rows)))


def test_frame_with_named_columns_and_integer_labels(frame, tmp_path):
    summary = zhsenti.train(frame, frame.iloc[:100], tmp_path / "m", progress=False,
                            text_col="评论", label_col="极性", **SETTINGS)
    assert summary["train_rows"] == 300 and summary["dev_rows"] == 100
    model = zhsenti.load(tmp_path / "m")
    assert model.labels == ["0", "1"]
    # The same rows as (text, label) pairs give the same model.
    zhsenti.train(list(zip(frame["评论"], frame["极性"].astype(str))),
                  list(zip(frame["评论"][:100], frame["极性"][:100].astype(str))), tmp_path / "pairs",
                  progress=False, **SETTINGS)
    assert (tmp_path / "m" / "model.safetensors").read_bytes() == \
        (tmp_path / "pairs" / "model.safetensors").read_bytes()


def test_missing_values_are_reported_by_row_or_skipped(frame, tmp_path):
    holes = frame.copy()
    holes.iloc[3, 0] = np.nan       # a missing text
    holes.iloc[5, 0] = None
    with pytest.raises(zhsenti.FormatError, match=r"^train row 3 \(0-based\): field '评论' must be a string, found null"):
        zhsenti.train(holes, frame.iloc[:100], tmp_path / "m", progress=False,
                      text_col="评论", label_col="极性", **SETTINGS)
    assert not (tmp_path / "m").exists() and not (tmp_path / "m.rows").exists()
    summary = zhsenti.train(holes, frame.iloc[:100], tmp_path / "m", progress=False, skip_bad_rows=True,
                            text_col="评论", label_col="极性", **SETTINGS)
    assert summary["train_rows"] == 298
