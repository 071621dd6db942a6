"""zhsenti's jieba API against the real jieba (Debian's python3-jieba) on the shared data
sets, in every mode: a sample here (the full 20,000 texts per mode: bench/python_jieba_agreement.py
and docs/BENCHMARKS.md). Every differing text is printed; at least 99.9 % must be identical."""

import logging

import jieba
import jieba.posseg
import pytest

import zhsenti
from conftest import corpus_texts, sample

jieba.setLogLevel(logging.WARNING)

N = 1500


@pytest.fixture(scope="module")
def texts():
    return sample(corpus_texts(30000), N) + [
        "", " ", "你好 ，。 ！\r\n好的", "iPhone6s的价格是5288元，比3.5%的利率高",
        "版本1.2.3发布了，支持C++和C#，R&D部门的e-mail是a_b@c.com", "A股T恤3C卡拉OK的IT行业",
        "tab\tseparated\u00a0nbsp\u2028line\u200bzero width", "江州市长江大桥参加了长江大桥的通车仪式",
        "１２３全角数字ＡＢＣ，全角空格\u3000后面", "太好了😀👍🏻[哈哈]//@用户:转发 http://t.cn/abc123",
    ]


MODES = {
    "lcut": (lambda t: jieba.lcut(t), lambda t: zhsenti.lcut(t)),
    "lcut HMM=False": (lambda t: jieba.lcut(t, HMM=False), lambda t: zhsenti.lcut(t, HMM=False)),
    "lcut cut_all": (lambda t: jieba.lcut(t, cut_all=True), lambda t: zhsenti.lcut(t, cut_all=True)),
    "lcut_for_search": (jieba.lcut_for_search, zhsenti.lcut_for_search),
    "lcut_for_search HMM=False": (lambda t: jieba.lcut_for_search(t, HMM=False),
                                  lambda t: zhsenti.lcut_for_search(t, HMM=False)),
    "tokenize": (lambda t: list(jieba.tokenize(t)), lambda t: list(zhsenti.tokenize(t))),
    "tokenize search": (lambda t: list(jieba.tokenize(t, mode="search")),
                        lambda t: list(zhsenti.tokenize(t, mode="search"))),
    "posseg": (lambda t: [(p.word, p.flag) for p in jieba.posseg.lcut(t)],
               lambda t: [(p.word, p.flag) for p in zhsenti.posseg.lcut(t)]),
    "posseg HMM=False": (lambda t: [(p.word, p.flag) for p in jieba.posseg.lcut(t, HMM=False)],
                         lambda t: [(p.word, p.flag) for p in zhsenti.posseg.lcut(t, HMM=False)]),
}


def compare(texts, theirs, ours):
    diffs = [(t, a, b) for t in texts if (a := theirs(t)) != (b := ours(t))]
    for t, a, b in diffs:
        print(f"DIFF {t[:200]!r}\n  jieba:   {a}\n  zhsenti: {b}")
    return diffs


@pytest.mark.parametrize("mode", list(MODES))
def test_mode_matches_jieba(mode, texts):
    theirs, ours = MODES[mode]
    diffs = compare(texts, theirs, ours)
    assert len(texts) > N * 0.9
    assert len(diffs) <= len(texts) * 0.001, f"{len(diffs)} of {len(texts)} texts differ"


def test_cut_is_a_generator_of_the_same_words(texts):
    import types

    gen = zhsenti.cut(texts[0])
    assert isinstance(gen, types.GeneratorType)
    assert list(gen) == jieba.lcut(texts[0])
    assert list(zhsenti.cut_for_search(texts[1])) == jieba.lcut_for_search(texts[1])


def test_cut_batch_equals_lcut(texts):
    assert zhsenti.cut_batch(texts, threads=2) == [zhsenti.lcut(t) for t in texts]
    assert zhsenti.cut_batch(texts[:50], cut_all=True) == [zhsenti.lcut(t, cut_all=True) for t in texts[:50]]
    assert zhsenti.cut_batch(texts[:50], for_search=True) == [zhsenti.lcut_for_search(t) for t in texts[:50]]


def test_bytes_are_decoded_as_utf8():
    assert zhsenti.lcut("我来到北京清华大学".encode()) == ["我", "来到", "北京", "清华大学"]


def test_user_dictionary_edits_match_jieba(tmp_path):
    text = "李小福是创新办主任也是云计算方面的专家; 什么是八一双鹿例如我输入一个带“韩玉赏鉴”的标题"
    user = tmp_path / "user.txt"
    user.write_text("云计算 5\n李小福 2 nr\n创新办 3 i\n八一双鹿\n韩玉赏鉴 3 nz\n", encoding="utf-8")
    theirs, ours = jieba.Tokenizer(), zhsenti.Tokenizer()
    for t in (theirs, ours):
        t.load_userdict(str(user))
    assert ours.lcut(text) == theirs.lcut(text)
    for t in (theirs, ours):
        t.add_word("石墨烯")
        t.add_word("凱特琳", 10, "nz")
        t.del_word("自定义词")
    text2 = "石墨烯和凱特琳是自定义词"
    assert ours.lcut(text2) == theirs.lcut(text2)
    # suggest_freq: split 中将 / keep 台中 whole, as in jieba's README.
    s1 = "如果放到post中将出错。"
    s2 = "「台中」正确应该不会被切开"
    assert ours.suggest_freq(("中", "将"), True) == theirs.suggest_freq(("中", "将"), True)
    assert ours.suggest_freq("台中", True) == theirs.suggest_freq("台中", True)
    assert ours.lcut(s1, HMM=False) == theirs.lcut(s1, HMM=False) == ["如果", "放到", "post", "中", "将", "出错", "。"]
    assert ours.lcut(s2, HMM=False) == theirs.lcut(s2, HMM=False)
    assert "台中" in ours.lcut(s2, HMM=False)
    assert ours.total == theirs.total
    assert ours.get_FREQ("台中") == theirs.FREQ.get("台中")
    pos_ours = zhsenti.posseg.POSTokenizer(ours).lcut(text)
    pos_theirs = jieba.posseg.POSTokenizer(theirs).lcut(text)
    assert [(p.word, p.flag) for p in pos_ours] == [(p.word, p.flag) for p in pos_theirs]


def test_load_userdict_from_a_file_object(tmp_path):
    t = zhsenti.Tokenizer()
    with open(tmp_path / "u.txt", "w+b") as f:
        f.write("云计算方面 100000\n".encode())
        f.seek(0)
        t.load_userdict(f)
    assert "云计算方面" in t.lcut("他是云计算方面的专家")


def test_tokenizer_with_its_own_dictionary(tmp_path):
    d = tmp_path / "dict.txt"
    d.write_text("北京 100 ns\n清华 50 nt\n大学 80 n\n清华大学 30 nt\n我 200 r\n来到 60 v\n", encoding="utf-8")
    ours, theirs = zhsenti.Tokenizer(dictionary=d), jieba.Tokenizer(dictionary=str(d))
    for text in ["我来到北京清华大学", "北京大学的清华", "我来到了上海"]:
        assert ours.lcut(text) == theirs.lcut(text)
        assert ours.lcut(text, cut_all=True) == theirs.lcut(text, cut_all=True)
        assert ours.lcut_for_search(text) == theirs.lcut_for_search(text)


def test_posseg_pairs_behave_like_jiebas():
    (w, f), = [tuple(p) for p in zhsenti.posseg.lcut("北京")]
    p = zhsenti.posseg.lcut("北京")[0]
    assert (p.word, p.flag) == (w, f) == ("北京", "ns")
    assert str(p) == "北京/ns" and repr(p) == "pair('北京', 'ns')"
