"""C++ errors arrive as the Python exceptions the docs promise, with the C++ message."""

import pytest

import zhsenti


def test_missing_files_raise_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        zhsenti.load(tmp_path / "no-model")
    with pytest.raises(FileNotFoundError):
        zhsenti.data.read(tmp_path / "missing.tsv")
    with pytest.raises(FileNotFoundError):
        zhsenti.Tokenizer().load_userdict(str(tmp_path / "missing.txt"))
    with pytest.raises(FileNotFoundError):
        zhsenti.train(tmp_path / "missing.tsv", out=tmp_path / "m", progress=False)


def test_malformed_files_raise_format_error_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\ttext_a\n1\t很好\n2\n", encoding="utf-8")
    with pytest.raises(zhsenti.FormatError, match=r"bad\.tsv:3: "):
        zhsenti.data.read(bad)
    assert [r["line"] for r in zhsenti.data.read(bad, skip_bad_rows=True)] == [2]
    user = tmp_path / "user.txt"
    user.write_bytes(b"\xe5\xa5\xbd 3\n\xff\xfe 1\n")  # line 2 is not UTF-8
    with pytest.raises(zhsenti.FormatError, match=r"user\.txt:2: "):
        t = zhsenti.Tokenizer()
        t.load_userdict(str(user))
    assert issubclass(zhsenti.FormatError, ValueError)
    not_a_model = tmp_path / "model"
    not_a_model.mkdir()
    (not_a_model / "config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises((zhsenti.FormatError, FileNotFoundError)):
        zhsenti.load(not_a_model)


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="unknown|emoj"):
        zhsenti.clean("好", emojis="drop")
    with pytest.raises(ValueError):
        zhsenti.load("/", precision="fp64")
    with pytest.raises(TypeError):
        zhsenti.lcut(12)


def test_clean_uses_the_cli_cleaner(zhsenti_bin):
    import subprocess

    text = "<b>這個</b>酒店很好！！！ http://t.cn/abc @小明 ＡＢＣ"
    cli = subprocess.run([zhsenti_bin, "clean"], input=text + "\n", capture_output=True, text=True, check=True)
    assert zhsenti.clean(text) == cli.stdout.rstrip("\n")
    assert zhsenti.clean(text) == "这个酒店很好! ABC"
    assert zhsenti.clean(["ＡＢＣ", "x"], lowercase=True) == ["abc", "x"]
    assert zhsenti.clean("[哈哈]好", emoji="drop") == "好"
