#!/bin/bash -eu
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# OSS-Fuzz build script: compiles the library and every fuzz target with
# $CC/$CXX $CFLAGS/$CXXFLAGS, links each with $LIB_FUZZING_ENGINE, and puts
# into $OUT each <target>, <target>_seed_corpus.zip (written now from the
# conformance vectors by fuzz/make_corpus.py, plus fuzz/corpus/<target>/ and
# the regression cases in fuzz/regressions/<target>/),
# <target>.dict and <target>.options. Abseil: built from $SRC/abseil-cpp
# with the same flags when that checkout exists (the Docker image), else the
# system's through pkg-config (fuzz/oss-fuzz/local_build.sh on Debian).
#
# Not Bazel: OSS-Fuzz's images do not carry Bazel 4, and this is a dozen
# files. Keep LIB_SRCS and TARGETS in step with safetensors/ and fuzz/.

ROOT=${SAFETENSORS_SRC:-$SRC/safetensors-cpp}
cd "$ROOT"

# Under safetensors/: what the fuzz targets link (fuzz/BUILD.bazel's deps).
# The C API (c/safetensors, for c_api_fuzzer) adds file, index, host_order,
# convert and what they use.
LIB_SRCS="status dtype header reader dump slice byteswap writer
          file index host_order convert c/safetensors
          internal/json internal/utf8 internal/json_escape internal/name_index
          internal/compact_entry internal/entries internal/sniff
          internal/cleanup internal/filesystem internal/fault_guard
          internal/byteswap_dispatch
          internal/byteswap_portable internal/byteswap_x86
          internal/convert_portable internal/convert_x86
          internal/weight_map_scan"
# target:corpus kind:uses the JSON dictionary. A target is fuzz/<target>.cc
# (C++17) or fuzz/<target>.c (C99, compiled with $CC, linked with $CXX).
TARGETS="json_fuzzer:json:1 header_fuzzer:file:1 file_fuzzer:file:1
         structured_fuzzer:file:1 roundtrip_fuzzer:file:1 slice_fuzzer:slice:0
         byteswap_fuzzer:byteswap:0 header_paths_fuzzer:headers:1
         writer_spec_fuzzer:writer:0 c_api_fuzzer:file:1"
ABSL="absl_status absl_statusor absl_strings absl_str_format absl_hash
      absl_raw_hash_set absl_cord"

if [ -d "$SRC/abseil-cpp" ]; then
  if [ ! -f "$WORK/absl/lib/pkgconfig/absl_strings.pc" ] &&
     [ ! -f "$WORK/absl/lib64/pkgconfig/absl_strings.pc" ]; then
    cmake -S "$SRC/abseil-cpp" -B "$WORK/absl-build" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_STANDARD=17 \
      -DABSL_PROPAGATE_CXX_STD=ON -DABSL_BUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX="$WORK/absl" \
      -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
      -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS"
    cmake --build "$WORK/absl-build" -j"$(nproc)" --target install
  fi
  export PKG_CONFIG_PATH="$WORK/absl/lib/pkgconfig:$WORK/absl/lib64/pkgconfig"
  ABSL_LIBS="$(pkg-config --static --libs $ABSL)"
  ABSL_CFLAGS="$(pkg-config --cflags $ABSL)"
else
  ABSL_LIBS="$(pkg-config --libs $ABSL)"
  ABSL_CFLAGS="$(pkg-config --cflags $ABSL)"
fi

OBJ="$WORK/safetensors-obj"
mkdir -p "$OBJ"
objs=()
for src in $LIB_SRCS; do
  obj="$OBJ/${src//\//_}.o"
  $CXX $CXXFLAGS -std=c++17 $ABSL_CFLAGS -I. -c "safetensors/$src.cc" \
    -o "$obj"
  objs+=("$obj")
done
$CXX $CXXFLAGS -std=c++17 $ABSL_CFLAGS -I. -c fuzz/checks.cc -o "$OBJ/checks.o"
objs+=("$OBJ/checks.o")

for entry in $TARGETS; do
  IFS=: read -r target kind dict <<<"$entry"
  if [ -f "fuzz/$target.c" ]; then
    $CC $CFLAGS -std=c99 -I. -c "fuzz/$target.c" -o "$OBJ/$target.o"
    $CXX $CXXFLAGS "$OBJ/$target.o" "${objs[@]}" \
      $LIB_FUZZING_ENGINE $ABSL_LIBS -o "$OUT/$target"
  else
    $CXX $CXXFLAGS -std=c++17 $ABSL_CFLAGS -I. "fuzz/$target.cc" "${objs[@]}" \
      $LIB_FUZZING_ENGINE $ABSL_LIBS -o "$OUT/$target"
  fi

  corpus="$WORK/corpus/$target"
  rm -rf "$corpus"
  inputs=()
  if [ "$kind" = file ] || [ "$kind" = headers ] || [ "$kind" = json ]; then
    inputs+=(conformance/vectors/*.safetensors)
  fi
  for d in "fuzz/corpus/$target" "fuzz/regressions/$target"; do
    if [ -d "$d" ]; then inputs+=("$d"/*); fi
  done
  python3 fuzz/make_corpus.py --kind="$kind" --out="$corpus" \
    ${inputs[@]+"${inputs[@]}"}
  rm -f "$OUT/${target}_seed_corpus.zip"
  (cd "$corpus" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
  if [ "$dict" = 1 ]; then
    cp fuzz/safetensors.dict "$OUT/$target.dict"
  fi
  cp "fuzz/$target.options" "$OUT/$target.options"
done
