"""``import zhsenti.posseg as pseg``: the same module as zhsenti.jieba.posseg."""

from .jieba.posseg import POSTokenizer, cut, dt, lcut, pair  # noqa: F401

__all__ = ["pair", "POSTokenizer", "dt", "cut", "lcut"]
