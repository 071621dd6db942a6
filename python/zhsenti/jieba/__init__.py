"""jieba's API on zhsenti's C++ segmenter: the same words, many times faster.

Replace ``import jieba`` with ``import zhsenti.jieba as jieba`` (or ``import zhsenti as
jieba``). Every mode gives jieba 0.42's output token for token: ``cut``/``lcut`` (precise, or
full with ``cut_all=True``, with or without the HMM), ``cut_for_search``/``lcut_for_search``,
``tokenize`` and ``posseg``. The dictionary and HMM tables are jieba's own (Debian's
python3-jieba, or $ZHSENTI_JIEBA_DIR), compiled once into a cache shared with the zhsenti CLI.

Beyond jieba: ``cut_batch(texts, threads=0)`` cuts a list of texts on all cores.
"""

import logging
import os
from typing import BinaryIO, Iterator, Optional, Sequence, TextIO, Union

from .. import _zhsenti

__all__ = [
    "Tokenizer", "dt", "initialize", "cut", "lcut", "cut_for_search", "lcut_for_search",
    "tokenize", "load_userdict", "add_word", "del_word", "suggest_freq", "cut_batch",
    "set_dictionary", "get_FREQ", "setLogLevel",
]

class Tokenizer:
    """A jieba.Tokenizer: a dictionary and the segmenter over it.

    ``dictionary`` is a main dictionary file of "word freq [tag]" lines (default: jieba's
    dict.txt). The dictionary is loaded at the first cut (or by ``initialize()``); a cache makes
    later loads take milliseconds. Cutting is thread-safe and releases the GIL.
    """

    def __init__(self, dictionary: Optional[Union[str, os.PathLike]] = None, *,
                 jieba_dir: Optional[Union[str, os.PathLike]] = None,
                 cache_dir: Optional[Union[str, os.PathLike]] = None) -> None:
        self.dictionary = None if dictionary is None else os.fspath(dictionary)
        self._jieba_dir = os.fspath(jieba_dir) if jieba_dir else ""
        self._cache_dir = os.fspath(cache_dir) if cache_dir else ""
        self._make_core()

    def _make_core(self):
        self._core = _zhsenti.Tokenizer(self.dictionary or "", self._jieba_dir, self._cache_dir)
        # The list-returning calls are the C++ methods themselves: no Python frame per call.
        self.lcut = self._core.lcut
        self.lcut_for_search = self._core.lcut_for_search

    def __repr__(self):
        return f"<Tokenizer dictionary={self.dictionary!r}>"

    def initialize(self, dictionary: Optional[Union[str, os.PathLike]] = None) -> None:
        """Load the dictionary now (a different one if given) instead of at the first cut."""
        if dictionary is not None and os.fspath(dictionary) != self.dictionary:
            self.dictionary = os.fspath(dictionary)
            self._make_core()
        self._core.initialize()

    def set_dictionary(self, dictionary_path: Union[str, os.PathLike]) -> None:
        """Use another main dictionary (jieba.set_dictionary); user words added so far are lost."""
        if not os.path.isfile(dictionary_path):
            raise FileNotFoundError(f"jieba: file does not exist: {dictionary_path}")
        self.dictionary = os.fspath(dictionary_path)
        self._make_core()

    def cut(self, sentence: Union[str, bytes], cut_all: bool = False, HMM: bool = True,
            use_paddle: bool = False) -> Iterator[str]:
        """Yield the words of ``sentence`` (jieba.cut). ``cut_all``: full mode, every
        dictionary word; ``HMM``: find unknown words with the HMM; ``use_paddle`` is ignored."""
        yield from self._core.lcut(sentence, cut_all, HMM)

    def lcut(self, sentence: Union[str, bytes], cut_all: bool = False, HMM: bool = True,
             use_paddle: bool = False) -> list[str]:  # replaced per instance
        """``list(cut(...))``."""
        return self._core.lcut(sentence, cut_all, HMM)

    def cut_for_search(self, sentence: Union[str, bytes], HMM: bool = True) -> Iterator[str]:
        """Yield the words of the precise mode, each preceded by the dictionary's 2- and
        3-character words inside it (jieba.cut_for_search)."""
        yield from self._core.lcut_for_search(sentence, HMM)

    def lcut_for_search(self, sentence: Union[str, bytes], HMM: bool = True) -> list[str]:  # replaced per instance
        """``list(cut_for_search(...))``."""
        return self._core.lcut_for_search(sentence, HMM)

    def tokenize(self, unicode_sentence: str, mode: str = "default",
                 HMM: bool = True) -> Iterator[tuple[str, int, int]]:
        """Yield ``(word, start, end)`` with character offsets (jieba.tokenize); ``mode``
        "default" or "search" (anything but "default" means search, as in jieba)."""
        if not isinstance(unicode_sentence, str):
            raise ValueError("jieba: the input parameter should be unicode.")
        yield from self._core.tokenize(unicode_sentence, "default" if mode == "default" else "search", HMM)

    def cut_batch(self, texts: Sequence[Union[str, bytes]], cut_all: bool = False, HMM: bool = True,
                  threads: int = 0, for_search: bool = False) -> list[list[str]]:
        """``[lcut(t) for t in texts]`` (or ``lcut_for_search``) on ``threads`` threads
        (0: all cores), in input order."""
        return self._core.cut_batch(list(texts), cut_all, HMM, threads, for_search)

    def load_userdict(self, f: Union[str, os.PathLike, BinaryIO, TextIO]) -> None:
        """Add the words of a user dictionary: a path or a binary/text file object of
        "word [freq] [tag]" lines (jieba.load_userdict)."""
        if isinstance(f, (str, os.PathLike)):
            self._core.load_userdict_path(os.fspath(f))
            return
        data = f.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._core.load_userdict_text(data, getattr(f, "name", repr(f)))

    def add_word(self, word: str, freq: Optional[int] = None, tag: Optional[str] = None) -> None:
        """Add ``word`` with ``freq`` (default: just enough to keep it whole) and POS ``tag``."""
        self._core.add_word(word, None if freq is None else int(freq), tag or None)

    def del_word(self, word: str) -> None:
        """Remove ``word`` from the dictionary (``add_word(word, 0)``)."""
        self.add_word(word, 0)

    def suggest_freq(self, segment: Union[str, Sequence[str]], tune: bool = False) -> int:
        """The frequency that keeps ``segment`` (a str) whole, or that splits the word into
        ``segment`` (a tuple of str); with ``tune=True`` also set it (jieba.suggest_freq)."""
        if isinstance(segment, str):
            word = segment
            freq = self._core.suggest_freq_word(word)
        else:
            parts = [p.decode("utf-8") if isinstance(p, bytes) else p for p in segment]
            word = "".join(parts)
            freq = self._core.suggest_freq_split(parts)
        if tune:
            self.add_word(word, freq)
        return freq

    def get_FREQ(self, word: str, default: Optional[int] = None) -> Optional[int]:
        """``FREQ.get(word, default)``: a word's frequency (0 for prefixes of words)."""
        freq = self._core.freq(word)
        return default if freq is None else freq

    @property
    def total(self) -> int:
        """The sum of all frequencies (jieba's Tokenizer.total)."""
        return self._core.total


_LEVELS = [(logging.ERROR, "error"), (logging.WARNING, "warn"), (logging.INFO, "info"),
           (logging.DEBUG, "debug"), (logging.NOTSET, "trace")]


def setLogLevel(log_level: Union[int, str]) -> None:
    """Set the level of zhsenti's messages on stderr (jieba.setLogLevel): a logging level
    (logging.WARNING) or its name."""
    level = logging.getLevelName(log_level) if isinstance(log_level, str) else log_level
    if not isinstance(level, int):
        raise ValueError(f"unknown log level {log_level!r}")
    name = "off" if level > logging.ERROR else next(n for lv, n in _LEVELS if level >= lv)
    _zhsenti.set_log_level(name)


dt = Tokenizer()

initialize = dt.initialize
set_dictionary = dt.set_dictionary
cut = dt.cut
lcut = dt.lcut
cut_for_search = dt.cut_for_search
lcut_for_search = dt.lcut_for_search
tokenize = dt.tokenize
cut_batch = dt.cut_batch
load_userdict = dt.load_userdict
add_word = dt.add_word
del_word = dt.del_word
suggest_freq = dt.suggest_freq
get_FREQ = dt.get_FREQ

from . import posseg  # noqa: E402  (posseg wraps dt)
