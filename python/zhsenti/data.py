"""Data sets as zhsenti reads them: ``zhsenti.data.read(path)``."""

import os
from typing import Any, Optional, Union

from . import _zhsenti

__all__ = ["read"]


def read(path: Union[str, os.PathLike], *, text_col: Optional[str] = None,
         label_col: Optional[str] = None, skip_bad_rows: bool = False, format: Optional[str] = None,
         require_labels: bool = True, as_frame: bool = False) -> Any:
    """Read a tsv / csv / jsonl / json data set exactly as `zhsenti train` does.

    Columns are found by name (text, text_a, review, 微博中文内容, ...; label, sentiment, ...)
    unless given. Returns a list of ``{"text", "label", "line"}`` dicts, or a pandas DataFrame
    with ``as_frame=True``. A malformed row raises zhsenti.FormatError ("file:line: what")
    unless ``skip_bad_rows``.
    """
    cols = _zhsenti.read_dataset(os.fspath(path), text_col or "", label_col or "",
                                 skip_bad_rows, format or "", require_labels)
    if as_frame:
        import pandas

        return pandas.DataFrame({k: cols[k] for k in ("text", "label", "line")})
    return [{"text": t, "label": l, "line": n}
            for t, l, n in zip(cols["text"], cols["label"], cols["line"])]
