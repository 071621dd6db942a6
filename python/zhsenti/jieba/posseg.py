"""jieba.posseg on zhsenti: words with part-of-speech flags, as jieba.posseg gives them."""

from typing import Iterator, Optional, Union

from . import Tokenizer, dt as _default_tokenizer

__all__ = ["pair", "POSTokenizer", "dt", "cut", "lcut"]


class pair:
    """A word and its flag; unpacks as ``word, flag = p`` (jieba.posseg.pair)."""

    __slots__ = ("word", "flag")

    def __init__(self, word: str, flag: str) -> None:
        self.word = word
        self.flag = flag

    def __str__(self):
        return f"{self.word}/{self.flag}"

    def __repr__(self):
        return f"pair({self.word!r}, {self.flag!r})"

    def __iter__(self):
        return iter((self.word, self.flag))

    def __lt__(self, other):
        return self.word < other.word

    def __eq__(self, other):
        return isinstance(other, pair) and self.word == other.word and self.flag == other.flag

    def __hash__(self):
        return hash(self.word)


class POSTokenizer:
    """Tags words with the dictionary's flags and jieba's POS HMM; shares its Tokenizer's
    dictionary (user words included)."""

    def __init__(self, tokenizer: Optional[Tokenizer] = None) -> None:
        self.tokenizer = tokenizer if tokenizer is not None else Tokenizer()

    def __repr__(self):
        return f"<POSTokenizer tokenizer={self.tokenizer!r}>"

    def cut(self, sentence: Union[str, bytes], HMM: bool = True) -> Iterator[pair]:
        """Yield ``pair(word, flag)`` for each word (jieba.posseg.cut)."""
        for word, flag in self.tokenizer._core.lcut_pos(sentence, HMM):
            yield pair(word, flag)

    def lcut(self, sentence: Union[str, bytes], HMM: bool = True) -> list[pair]:
        """``list(cut(...))``."""
        return [pair(w, f) for w, f in self.tokenizer._core.lcut_pos(sentence, HMM)]

dt = POSTokenizer(_default_tokenizer)
cut = dt.cut
lcut = dt.lcut
