#!/usr/bin/env bash
# Fills docs/results/serving.{json,md}: starts a Release server (online learning off, a scratch store),
# load-tests it at 8, 32, 64 and 128 camera streams of 30 fps (staggered starts), 64 in lockstep, then the most
# sustained throughput at 64 streams (paced steps of rising fps), then a long run at 64
# streams for memory, and stops it. Usage: scripts/serving-loadtest.sh [seconds per run] [seconds of the long run]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
long="${2:-600}"
dotnet build -c Release src/Assl.Cli -v q -nologo | grep -E " error |Build succeeded" || true
store="$(mktemp -d)/loadtest.db"
dotnet src/Assl.Stream/bin/Release/net10.0/Assl.Stream.dll --Store:Path="$store" --OnlineLearning:Enabled=false \
  --Urls=http://127.0.0.1:5080 --Logging:LogLevel:Default=Warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  dotnet src/Assl.Stream/bin/Release/net10.0/Assl.Stream.dll health-check http://127.0.0.1:5080 >/dev/null 2>&1 && break
  sleep 1
done
assl() { dotnet src/Assl.Cli/bin/Release/net10.0/assl.dll "$@"; }
for n in 8 32 64 128; do
  assl loadtest --streams "$n" --fps 30 --duration "$seconds" --append-results docs/results/serving.json
done
assl loadtest --streams 64 --fps 30 --start lockstep --duration "$seconds" --append-results docs/results/serving.json
assl loadtest --streams 64 --fps 30 --saturate --duration 15 --append-results docs/results/serving.json
if [ "$long" -gt 0 ]; then
  assl loadtest --streams 64 --fps 30 --duration "$long" --raw-seconds 0 --json docs/results/serving-long-64.json
fi
