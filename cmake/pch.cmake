# Precompiled headers for GCC builds. nlohmann/json, spdlog, fmt, CLI11 and GoogleTest cost
# seconds in every file that includes them: most of a clean build, and CI builds the tree
# from scratch twice (release and ASan). One precompiled copy per kind of target is reused:
#   zhsenti_pch       libraries and benches
#   zhsenti_cli_pch   the CLI (adds CLI11)
#   zhsenti_test_pch  tests (adds GoogleTest)
# A file whose flags do not match its PCH (e.g. the SIMD kernels' -m options) falls back to
# reading the headers, so a mismatch costs time, never correctness. Clang (the fuzz preset)
# is left out: it rejects rather than ignores a PCH built with other sanitizer flags, which
# the libFuzzer targets have.

# A PCH is valid only where the macros its headers test are defined alike, so each producer
# links exactly the libraries whose compile definitions (FMT_SHARED, SPDLOG_FMT_EXTERNAL, ...)
# all of its consumers get; the e2e tests link neither fmt nor spdlog, hence none in tests.
set(ZHSENTI_PCH_COMMON <algorithm> <cstdint> <filesystem> <memory> <optional> <span> <string>
  <string_view> <unordered_map> <vector> <nlohmann/json.hpp>)

function(zhsenti_pch_producer name)
  cmake_parse_arguments(ARG "" "" "HEADERS;LIBS" ${ARGN})
  add_library(${name} STATIC ${PROJECT_SOURCE_DIR}/cmake/pch.cc)
  target_link_libraries(${name} PRIVATE zhsenti_options nlohmann_json::nlohmann_json ${ARG_LIBS})
  target_precompile_headers(${name} PRIVATE ${ZHSENTI_PCH_COMMON} ${ARG_HEADERS})
endfunction()

# The PCH a directory's targets reuse, by where the directory is.
function(zhsenti_pch_for dir out)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${dir})
  if(rel MATCHES "^tests")
    set(${out} zhsenti_test_pch PARENT_SCOPE)
  elseif(rel MATCHES "^cli")
    set(${out} zhsenti_cli_pch PARENT_SCOPE)
  elseif(rel MATCHES "^(src|bench)")
    set(${out} zhsenti_pch PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Every compiled target in `dir` and below reuses its directory's PCH.
function(zhsenti_reuse_pch dir)
  zhsenti_pch_for(${dir} pch)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    get_target_property(libs ${target} LINK_LIBRARIES)
    if(pch STREQUAL "zhsenti_test_pch" AND NOT "GTest::gtest" IN_LIST libs)
      continue()  # a test helper library without GoogleTest's definitions
    endif()
    if(pch AND type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$"
       AND NOT target MATCHES "_pch$")
      target_precompile_headers(${target} REUSE_FROM ${pch})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    zhsenti_reuse_pch(${sub})
  endforeach()
endfunction()

function(zhsenti_precompile_headers)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR NOT ZHSENTI_PCH)
    return()
  endif()
  zhsenti_pch_producer(zhsenti_pch HEADERS <fmt/format.h> <spdlog/spdlog.h>
    LIBS fmt::fmt spdlog::spdlog)
  zhsenti_pch_producer(zhsenti_cli_pch HEADERS <fmt/format.h> <spdlog/spdlog.h> <CLI/CLI.hpp>
    LIBS fmt::fmt spdlog::spdlog CLI11::CLI11)
  if(ZHSENTI_TESTS)
    find_package(GTest REQUIRED)  # imported targets are visible only in the directory that finds them
    zhsenti_pch_producer(zhsenti_test_pch HEADERS <gtest/gtest.h> LIBS GTest::gtest)
    if(ZHSENTI_TEST_OPT)
      target_compile_options(zhsenti_test_pch PRIVATE ${ZHSENTI_TEST_OPT})
    endif()
  endif()
  zhsenti_reuse_pch(${PROJECT_SOURCE_DIR})
endfunction()
