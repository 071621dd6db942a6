// Empty on purpose: the zhsenti_*_pch targets exist only to compile their precompiled
// headers (cmake/pch.cmake), and a CMake library needs one source file.
