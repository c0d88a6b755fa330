#!/usr/bin/env bash
# One command: install with the test tools, run the test suite, then the evaluation's regression gate.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh dev
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m pytest "$@"
# Regression gate on the curated questions: exits 1 when a headline metric drops by more than 0.02.
gate=$(mktemp -d)
.venv/bin/assistant eval --no-baselines --baseline eval/baseline.json --out "$gate/report" --data "$gate/data"
