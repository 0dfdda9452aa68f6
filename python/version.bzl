"""The package version, for the wheel's file name (Bazel needs it before
anything runs). It must equal safetensors/version.h's; build_wheel.py fails
the build when the two differ."""

VERSION = "0.1.0"
