#!/usr/bin/env bash
# One command: install, index the bundled corpus (or ASSISTANT_CORPUS_DIR), start the chat.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
exec .venv/bin/assistant serve "$@"
