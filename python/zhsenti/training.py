"""Training from Python: ``zhsenti.train(train=..., dev=..., out=..., **flags)``.

The keywords are `zhsenti train`'s own flags, read from the CLI's flag definitions at import
(``--max-len`` is ``max_len``, ``--no-hmm`` is ``no_hmm=True``), with the same defaults and the
same validation messages: the values are handed to the CLI's parser as "--name=value".
"""

import difflib
import json
import os
import re
import shutil
from typing import Any, Callable, Optional, Union

from . import _zhsenti

__all__ = ["train", "TRAIN_FLAGS"]

# keyword -> (flag name, takes a value, repeatable, default, help); the data files are the
# train/dev arguments of train() itself. The types (CLI11's INT, UINT, FLOAT, TEXT, or "" for a
# flag) are what training.pyi and sklearn.pyi declare (tests/python/test_api.py checks them).
_FLAGS = [flag for flag in _zhsenti.train_flags() if flag[0] not in ("train", "dev")]
TRAIN_FLAGS = {name.replace("-", "_"): (name, takes_value, repeatable, default, help_)
               for name, takes_value, repeatable, default, help_, _type in _FLAGS}
_FLAG_TYPES = {name.replace("-", "_"): type_ for name, *_rest, type_ in _FLAGS}


def _flag_args(flags):
    args = []
    for key, value in flags.items():
        if key not in TRAIN_FLAGS:
            close = difflib.get_close_matches(key, TRAIN_FLAGS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"train() got an unexpected keyword argument {key!r}{hint}")
        if value is None:
            continue
        name, takes_value, repeatable, _, _ = TRAIN_FLAGS[key]
        if not takes_value:
            if not isinstance(value, bool):
                raise ValueError(f"{key}: expected True or False, got {value!r}")
            args.append(f"--{name}={'true' if value else 'false'}")
        elif repeatable:
            values = [value] if isinstance(value, (str, os.PathLike)) else list(value)
            args.extend(f"--{name}={os.fspath(v) if isinstance(v, os.PathLike) else v}" for v in values)
        else:
            if isinstance(value, bool):
                raise ValueError(f"{key}: expected a value, got {value!r}")
            text = repr(value) if isinstance(value, float) else os.fspath(value) if isinstance(value, os.PathLike) else str(value)
            args.append(f"--{name}={text}")
    return args


def _rows(data):
    """Rows of in-memory data as dicts: a pandas DataFrame, a dict of columns, a list of
    (text, label) pairs or of dicts, or a (texts, labels) pair of sequences (lists, arrays,
    pandas Series)."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        # Missing values (NaN, None, pd.NA) become null, which the reader reports by row.
        return data.astype(object).where(data.notna(), None).to_dict("records")
    if isinstance(data, dict):
        columns = list(data)
        return [dict(zip(columns, values)) for values in zip(*(data[c] for c in columns))]
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], str):
        return [{"text": t, "label": l} for t, l in zip(*data)]
    rows = []
    for row in data:
        if isinstance(row, dict):
            rows.append(row)
        else:
            text, label = row
            rows.append({"text": text, "label": label})
    return rows


def _json_value(v):
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        return None if v != v else v  # NaN is not JSON: a missing value
    if hasattr(v, "item"):  # a numpy scalar
        return _json_value(v.item())
    return str(v)


def _data_path(data, name, rows_dir, in_memory):
    """A path for data given as a path, or a JSON-lines file written from in-memory rows
    (`in_memory` maps the file back to the argument's name for error messages)."""
    if data is None:
        return None
    if isinstance(data, (str, os.PathLike)):
        return os.fspath(data)
    os.makedirs(rows_dir, exist_ok=True)
    path = os.path.join(rows_dir, f"{name}.jsonl")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for row in _rows(data):
            f.write(json.dumps({str(k): _json_value(v) for k, v in row.items()}, ensure_ascii=False))
            f.write("\n")
    os.replace(path + ".tmp", path)
    in_memory[path] = name
    return path


def _in_memory_message(message, in_memory):
    """'/tmp/.../train.jsonl:3: what' -> 'train row 2 (0-based): what': the file is ours, the
    row is the caller's."""
    for path, name in in_memory.items():
        match = re.search(re.escape(path) + r"(?::(\d+))?", message)
        if match:
            where = f"{name} row {int(match.group(1)) - 1} (0-based)" if match.group(1) else f"{name} rows"
            message = message[:match.start()] + where + message[match.end():]
    return message


def _tqdm_progress():
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    state = {"bar": None}

    def update(p):
        if p["epoch_done"]:
            if state["bar"] is not None:
                state["bar"].set_postfix(loss=f"{p['train_loss']:.4f}", dev_acc=f"{p['dev_accuracy']:.4f}")
                state["bar"].close()
                state["bar"] = None
            return
        if state["bar"] is None:
            state["bar"] = tqdm(total=p["batches"], desc=f"epoch {p['epoch']}/{p['epochs']}", unit="batch")
        state["bar"].update(1)
        if p["batch"] % 10 == 0:
            state["bar"].set_postfix(loss=f"{p['train_loss']:.4f}", acc=f"{p['train_accuracy']:.4f}")

    def close():
        if state["bar"] is not None:
            state["bar"].close()

    return update, close


def train(train: Any, dev: Any = None, out: Optional[Union[str, os.PathLike]] = None, *,
          progress: Union[None, bool, Callable[[dict], None]] = None, resume: bool = False,
          keep_checkpoint: bool = False, **flags: Any) -> dict:
    """Train a classifier and write a model directory, as `zhsenti train` does.

    train, dev: a data file (tsv/csv/jsonl/json), or rows in memory: a pandas DataFrame, a list
      of (text, label) pairs or of dicts, a dict of columns, or a (texts, labels) pair.
      Without dev, validation_split of train is held out (stratified). Rows in memory are
      written to <out>.rows/ as JSON lines for the run (kept with a checkpoint, for resume).
    out: the model directory to write (atomically: a failed or interrupted run leaves the
      previous one as it was).
    progress: a callable receiving a dict per batch and per epoch (epoch, epochs, batch,
      batches, train_loss, train_accuracy, epoch_done, dev_accuracy, dev_macro_f1); None: a tqdm
      bar per epoch when tqdm is installed, else the CLI's progress bars on stderr; False: no
      progress display. (Log lines, such as each epoch's dev scores, follow
      zhsenti.setLogLevel.)
    **flags: `zhsenti train`'s flags with underscores, e.g. tokens="word", epochs=5,
      max_len=128, no_hmm=True, user_dict=["a.txt"]; see zhsenti.TRAIN_FLAGS.

    Returns the training summary (best epoch, dev metrics, ...). Ctrl-C stops after the current
    batch with KeyboardInterrupt, leaving `out` as it was; the checkpoint of the last finished
    epoch stays for resume=True.
    Raises ValueError for a bad setting (the CLI's message), FileNotFoundError and
    zhsenti.FormatError for missing or malformed data.
    """
    if out is None:
        raise TypeError("train() missing required keyword argument: 'out'")
    args = _flag_args(flags)
    close = None
    show_progress = False
    if callable(progress):
        callback = progress
    elif progress is None and (bar := _tqdm_progress()) is not None:
        callback, close = bar
    else:
        callback = None
        show_progress = progress is None
    # In-memory rows go to files beside the checkpoint (<out>.rows/), at the same paths on
    # every run into `out`: the checkpoint records the data's paths, so resume=True finds the
    # settings it was made with. They live exactly as long as the checkpoint does.
    base = os.fspath(out).rstrip("/" + os.sep) or os.fspath(out)
    rows_dir, checkpoint = base + ".rows", base + ".ckpt"
    in_memory = {}
    try:
        args.append(f"--train={_data_path(train, 'train', rows_dir, in_memory)}")
        if dev is not None:
            args.append(f"--dev={_data_path(dev, 'dev', rows_dir, in_memory)}")
        return _zhsenti.train(args, os.fspath(out), resume, keep_checkpoint, show_progress, callback)
    except ValueError as e:  # FormatError included
        message = _in_memory_message(str(e), in_memory)
        if message == str(e):
            raise
        raise type(e)(message) from None
    finally:
        if close is not None:
            close()
        if in_memory and not os.path.isdir(checkpoint):
            shutil.rmtree(rows_dir, ignore_errors=True)
