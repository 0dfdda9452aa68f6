#!/bin/sh
# Stand-in lcov merger: coverage is measured outside Bazel.
exit 0
