"""The package version, for the wheel's file name (Bazel needs it before
anything runs). It must equal safetensors/version.h's; build_wheel.py fails
the build when the two differ."""

VERSION = "0.1.0"

# The Hugging Face library's API version this package implements. The wheel
# is the distribution `safetensors`, version API_VERSION + "+cpp." + VERSION
# (PEP 440 local label), and python/safetensors/__init__.py's
# __api_version__ must equal it (build_wheel.py checks).
API_VERSION = "0.8.0"
