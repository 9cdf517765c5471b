#!/usr/bin/env bash
# Fills docs/results/serving.{json,md}: starts a Release server (online learning off, a scratch store),
# load-tests it at 8, 32, 64 and 128 camera streams of 30 fps (staggered starts), 64 in lockstep, then the most
# sustained throughput at 64 streams (paced steps of rising fps, the sustained one run four times more), then a long run at 64
# streams for memory, and stops it; then starts a second server with the online loop on (a run every 200 stored
# windows) and measures 64 staggered streams while it fine-tunes.
# Usage: scripts/serving-loadtest.sh [seconds per run] [seconds of the long run] [seconds while training]; 0 skips a part
# (scripts/serving-loadtest.sh 0 0 120 measures only the run while training).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
long="${2:-600}"
training="${3:-120}"
dotnet build -c Release src/Assl.Cli -v q -nologo | grep -E " error |Build succeeded" || true
store="$(mktemp -d)/loadtest.db"
server=
trap 'kill $server 2>/dev/null || true' EXIT
start_server() {
  dotnet src/Assl.Stream/bin/Release/net10.0/Assl.Stream.dll --Urls=http://127.0.0.1:5080 --Logging:LogLevel:Default=Warning "$@" &
  server=$!
  for _ in $(seq 60); do
    dotnet src/Assl.Stream/bin/Release/net10.0/Assl.Stream.dll health-check http://127.0.0.1:5080 >/dev/null 2>&1 && return
    sleep 1
  done
}
start_server --Store:Path="$store" --OnlineLearning:Enabled=false
assl() { dotnet src/Assl.Cli/bin/Release/net10.0/assl.dll "$@"; }
if [ "$seconds" -gt 0 ]; then
  for n in 8 32 64 128; do
    assl loadtest --streams "$n" --fps 30 --duration "$seconds" --append-results docs/results/serving.json
  done
  assl loadtest --streams 64 --fps 30 --start lockstep --duration "$seconds" --append-results docs/results/serving.json
  assl loadtest --streams 64 --fps 30 --saturate --duration 15 --repeats 4 --append-results docs/results/serving.json
fi
if [ "$long" -gt 0 ]; then
  assl loadtest --streams 64 --fps 30 --duration "$long" --raw-seconds 0 --json docs/results/serving-long-64.json
fi
if [ "$training" -gt 0 ]; then
  kill $server; wait $server 2>/dev/null || true
  scratch="$(mktemp -d)"
  start_server --Store:Path="$scratch/loop.db" --OnlineLearning:ModelsDirectory="$scratch/models" \
    --OnlineLearning:MinNewSamples=200 --OnlineLearning:MinPseudoLabelled=5 --OnlineLearning:PollSeconds=1
  # The warm-up lets the first run start; the fine-tune steps column shows the loop trained while measured.
  assl loadtest --streams 64 --fps 30 --warmup 20 --duration "$training" --raw-seconds 0 --append-results docs/results/serving.json
fi
