"""Builds zhsenti._zhsenti with the project's own CMake build: one build serves the CLI, the
Python module and everything else. pip takes the module from the repository's release build
(build/, what `make` and `make python` use; $ZHSENTI_BUILD_DIR names another), configuring it
first if it does not exist yet and rebuilding only the zhsenti_python target, which is a no-op
when `make` has already built it."""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent.parent


def cmake_build_dir():
    env = os.environ.get("ZHSENTI_BUILD_DIR")
    if not env:
        return ROOT / "build"
    # pip runs this file from a directory of its choosing: a relative path would land anywhere.
    if not os.path.isabs(env):
        sys.exit(f"zhsenti: ZHSENTI_BUILD_DIR must be an absolute path, got {env!r}")
    return Path(env)


def configure(build_dir):
    # The interpreter itself, not a venv's link to it: the cache outlives the venv.
    python = os.path.realpath(sys.executable)
    if build_dir == ROOT / "build":
        args = ["cmake", "--preset", "release"]
    else:
        args = ["cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja",
                "-DCMAKE_BUILD_TYPE=Release"]
    subprocess.check_call(args + [f"-DPython3_EXECUTABLE={python}"], cwd=ROOT)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = cmake_build_dir()
        if not (build_dir / "CMakeCache.txt").exists():
            configure(build_dir)
        # Written by python/CMakeLists.txt at configure time: where the module will be.
        path_file = build_dir / "python" / "zhsenti_python_module.txt"
        if not path_file.exists():
            sys.exit(f"zhsenti: {build_dir} is configured without the Python module; "
                     "reconfigure it with -DZHSENTI_PYTHON=ON (sanitizer builds leave it out)")
        module = Path(path_file.read_text(encoding="utf-8").strip())
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        if not module.name.endswith(suffix):
            sys.exit(f"zhsenti: {build_dir} builds {module.name} for another Python than this "
                     f"one ({sys.executable}, modules end in {suffix}); set ZHSENTI_BUILD_DIR to "
                     "a new directory to build one for it")
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "zhsenti_python",
                               "-j", str(os.cpu_count() or 1)])
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module, target)


setup(ext_modules=[CMakeExtension("zhsenti._zhsenti")], cmdclass={"build_ext": CMakeBuild})
