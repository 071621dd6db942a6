"""The package's types and docs: every public function documented and typed (inline, or in the
module's .pyi stub), the stubs' parameters equal to the runtime's, and the train flags in
training.pyi / sklearn.pyi equal to the CLI's with the CLI's types."""

import ast
import inspect
import pathlib
import re

import pytest

import zhsenti
import zhsenti.data
import zhsenti.jieba
import zhsenti.jieba.posseg
import zhsenti.model
import zhsenti.sklearn
import zhsenti.training
from zhsenti import _zhsenti

PACKAGE = pathlib.Path(zhsenti.__file__).parent
MODULES = [zhsenti, zhsenti.jieba, zhsenti.jieba.posseg, zhsenti.data, zhsenti.model,
           zhsenti.training, zhsenti.sklearn]


def stub(name):
    """{function or Class.method: ast node} of a module's .pyi, or {} without one."""
    path = PACKAGE / (name.replace(".", "/") + ".pyi")
    if not path.exists():
        return {}
    out = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
        elif isinstance(node, ast.ClassDef):
            out.update({f"{node.name}.{f.name}": f for f in node.body if isinstance(f, ast.FunctionDef)})
    return out


def stub_params(node):
    a = node.args
    return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs if p.arg != "self"]


def pybind_params(fn):
    """Parameter names from pybind11's signature line 'name(self: T, a: int = 1, ...) -> R'."""
    line = fn.__doc__.splitlines()[0]
    inside = line[line.index("(") + 1:line.rindex(") ->")]
    names, depth, start = [], 0, 0
    for i, ch in enumerate(inside + ","):
        depth += ch in "[(" and 1 or ch in "])" and -1 or 0
        if ch == "," and depth == 0:
            names.append(inside[start:i].split(":")[0].strip())
            start = i + 1
    return [n for n in names if n and n != "self"]


def public_functions():
    for module in MODULES:
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isclass(obj):
                yield module, name, obj, None
                for attr, member in vars(obj).items():
                    if callable(member) and (not attr.startswith("_") or attr == "__init__"):
                        yield module, f"{name}.{attr}", member, obj
            elif callable(obj) and not inspect.ismodule(obj):
                yield module, name, obj, None


@pytest.mark.parametrize("module, name, fn, owner",
                         [pytest.param(*f, id=f"{f[0].__name__}.{f[1]}") for f in public_functions()])
def test_public_function_is_documented_and_typed(module, name, fn, owner):
    if inspect.isclass(fn):
        assert fn.__doc__, f"{module.__name__}.{name}: no docstring"
        return
    if name.endswith("__init__"):
        doc = owner.__doc__  # a constructor is documented by its class
    else:
        doc = fn.__doc__
    assert doc and doc.strip(), f"{module.__name__}.{name}: no docstring"
    if inspect.ismethod(fn) and inspect.isbuiltin(fn.__func__):
        # A C++ method: zhsenti.lcut is the default Tokenizer's own, without a Python frame.
        declared = stub("_zhsenti")
        key = f"{type(fn.__self__).__name__}.{fn.__name__}"
        assert key in declared, f"{key} missing from _zhsenti.pyi"
        assert stub_params(declared[key]) == pybind_params(fn), key
        return
    declared = stub(module.__name__.split(".", 1)[1] if "." in module.__name__ else "__init__")
    if name in declared:  # the stub types it; it must name the runtime's parameters
        sig = inspect.signature(fn)
        runtime = [p for p in sig.parameters if p != "self"]
        if any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
            runtime = runtime[:-1]
        assert stub_params(declared[name])[:len(runtime)] == runtime, name
        return
    sig = inspect.signature(fn)
    untyped = [p.name for p in sig.parameters.values()
               if p.name not in ("self", "cls") and p.annotation is p.empty]
    assert not untyped, f"{module.__name__}.{name}: untyped {untyped}"
    if not name.endswith("__init__"):
        assert sig.return_annotation is not sig.empty, f"{module.__name__}.{name}: no return type"


def test_every_core_function_in_the_stub_exists_with_its_parameters():
    declared = stub("_zhsenti")
    assert declared
    for key, node in declared.items():
        owner, _, attr = key.rpartition(".")
        fn = getattr(getattr(_zhsenti, owner) if owner else _zhsenti, attr)
        if isinstance(fn, property) or attr == "__init__":
            continue
        assert stub_params(node) == pybind_params(fn), key


PYTHON_TYPE = {"INT": "int", "UINT": "int", "FLOAT": "float", "TEXT": "_Str", "": "bool"}


def flag_annotation(key):
    if zhsenti.TRAIN_FLAGS[key][2]:  # repeatable
        return "Optional[Union[_Str, Sequence[_Str]]]"
    return f"Optional[{PYTHON_TYPE.get(zhsenti.training._FLAG_TYPES[key], '_Str')}]"


@pytest.mark.parametrize("module, function, extra, keys", [
    ("training", "train", ["progress", "resume", "keep_checkpoint"], lambda: list(zhsenti.TRAIN_FLAGS)),
    ("sklearn", "RNNClassifier.__init__", [], lambda: zhsenti.sklearn._PARAMS),
])
def test_stub_declares_every_train_flag_with_the_cli_type(module, function, extra, keys):
    node = stub(module)[function]
    declared = {a.arg: ast.unparse(a.annotation) for a in node.args.kwonlyargs}
    assert list(declared) == extra + keys()
    for key in keys():
        assert declared[key] == flag_annotation(key), key


def test_help_reads_well():
    text = zhsenti.train.__doc__ + zhsenti.load.__doc__ + zhsenti.lcut.__doc__
    assert "progress" in text and "resume" in text and "FormatError" in text
    assert re.match(r"lcut\(self: zhsenti\._zhsenti\.Tokenizer, sentence", zhsenti.lcut.__doc__)
