#!/usr/bin/env bash
# Compares online fine-tuning settings on one stored online experiment (docs/results/online-tuning.md):
# each line replays the loop's run offline (`assl experiment finetune`) on the samples that
# `assl experiment online` left in runs/online/normal/store.db, from its starting model, over 3 seeds.
# Settings are judged on the loop's validation set (subjects 9 and 10); view 3 is printed beside it.
# Usage: scripts/online-finetune-sweep.sh [extra flags for every line, e.g. --seeds 1,2]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Assl.Cli -v q -nologo | grep -E " error |Build succeeded" || true
finetune() { echo; echo "### $*"; dotnet src/Assl.Cli/bin/Release/net10.0/assl.dll experiment finetune "$@" | grep --line-buffered -E "^(fine-tuning|store|  seed|mean)"; }
finetune "$@"
finetune --steps 600 --lr 5e-4 "$@"
finetune --pseudo-weight 1 "$@"
finetune --teacher 1 "$@"
finetune --steps 150 "$@"
