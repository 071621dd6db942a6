"""Builds zhsenti._zhsenti with the project's own CMake build (one build for the CLI, the
Python module and everything else): configure the repository root without tests, build the
zhsenti_python target, and have CMake write the module where setuptools packs it."""

import os
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent.parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        out_dir = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = Path(self.build_temp).resolve() / "cmake"
        subprocess.check_call([
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release", "-DZHSENTI_TESTS=OFF", "-DZHSENTI_PYTHON=ON",
            f"-DZHSENTI_PYTHON_OUTPUT_DIR={out_dir}", f"-DPython3_EXECUTABLE={sys.executable}",
        ])
        subprocess.check_call([
            "cmake", "--build", str(build_dir), "--target", "zhsenti_python",
            "-j", str(os.cpu_count() or 1),
        ])


setup(ext_modules=[CMakeExtension("zhsenti._zhsenti")], cmdclass={"build_ext": CMakeBuild})
