#!/usr/bin/env bash
# One command: install with the test tools, run the test suite, then the evaluation's regression gate.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m pytest "$@"
