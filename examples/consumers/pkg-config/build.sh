#!/bin/sh
# Copyright 2026 The safetensors-cpp Authors. SPDX-License-Identifier: Apache-2.0
#
# Builds the consumer against an installed safetensors that pkg-config finds
# (set PKG_CONFIG_PATH=PREFIX/lib/pkgconfig for a prefix outside the system's).
set -e
cd "$(dirname "$0")"
c++ -std=c++17 -O2 -o consumer main.cc $(pkg-config --cflags --libs safetensors)
