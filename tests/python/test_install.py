"""The documented install, end to end and offline: a venv over Debian's python3 with its system
packages, `pip install --no-build-isolation ./python` from the repository with no package index
and no pip configuration of the machine, then zhsenti imported from the venv (not from the
source tree) cutting text and running a model. pip takes the module from this build
($ZHSENTI_BUILD_DIR, set by ctest), so the install costs a no-op CMake build, not a new one."""

import json
import os
import pathlib
import subprocess
import sys

import numpy as np

import zhsenti
from conftest import ROOT

CHECK = """
import json, sys
import numpy as np
import zhsenti
print(json.dumps({
    "file": zhsenti.__file__,
    "module": zhsenti._zhsenti.__file__,
    "lcut": zhsenti.lcut("我来到北京清华大学"),
    "search": zhsenti.lcut_for_search("小明硕士毕业于中国科学院计算所"),
    "proba": zhsenti.load(sys.argv[1]).predict_proba(sys.argv[2:]).tolist(),
}, ensure_ascii=False))
"""


def test_pip_installs_the_package_into_a_venv_offline(tmp_path, tiny_model_dir):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, capture_output=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1",
               ZHSENTI_BUILD_DIR=str(pathlib.Path(os.environ.get("ZHSENTI_BUILD_DIR", ROOT / "build")).resolve()))
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
                          "--no-cache-dir", str(ROOT / "python")],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert "Successfully installed zhsenti-" in pip.stdout

    texts = ["房间很干净，服务也很好", "太差了，再也不来了"]
    run = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", CHECK, str(tiny_model_dir)] + texts,
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    assert got["file"] == str(site / "zhsenti" / "__init__.py")
    assert got["module"].startswith(str(site / "zhsenti" / "_zhsenti."))
    assert got["lcut"] == ["我", "来到", "北京", "清华大学"]
    assert got["search"] == zhsenti.lcut_for_search("小明硕士毕业于中国科学院计算所")
    np.testing.assert_array_equal(np.array(got["proba"], dtype=np.float32),
                                  zhsenti.load(tiny_model_dir).predict_proba(texts))
    # The type information ships with it.
    for name in ("py.typed", "_zhsenti.pyi"):
        assert (site / "zhsenti" / name).is_file(), name
