#!/usr/bin/env bash
# Loads configs/monitoring into a real Prometheus scraping a real Assl server, and prints what every dashboard query and
# alert gives: 60 s of 64 live camera streams, then 40 s of overload (×4 speed), so that the drop and backlog alerts
# have something to see. Needs prometheus and promtool (Debian: apt-get install prometheus) and jq; about 3 minutes.
# Usage: scripts/monitoring-check.sh [live seconds] [overload seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
live="${1:-60}"
overload="${2:-40}"
for tool in prometheus promtool jq curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: apt-get install prometheus jq curl)" >&2; exit 2; }
done
promtool check rules configs/monitoring/assl-alerts.yml
# The rules' own unit tests: synthetic series, and the alerts each must (not) raise, with their rendered words.
promtool test rules configs/monitoring/assl-alerts.test.yml
dotnet build -c Release src/Assl.Cli -v q -nologo | grep -E " error |Build succeeded" || true

work="$(mktemp -d)"
server= prom=
trap 'kill $server $prom 2>/dev/null || true' EXIT
dotnet src/Assl.Stream/bin/Release/net10.0/Assl.Stream.dll --Urls=http://127.0.0.1:5080 --Store:Path="$work/assl.db" \
  --OnlineLearning:Enabled=false --Logging:LogLevel:Default=Warning &
server=$!
cat > "$work/prometheus.yml" <<EOF
global: { scrape_interval: 2s, evaluation_interval: 2s }
rule_files: [ "$PWD/configs/monitoring/assl-alerts.yml" ]
scrape_configs:
  - job_name: assl
    static_configs: [ { targets: [ "127.0.0.1:9464" ] } ]
EOF
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address=127.0.0.1:9090 \
  --log.level=warn > "$work/prometheus.log" 2>&1 &
prom=$!
for _ in $(seq 60); do
  curl -sf http://127.0.0.1:9090/-/ready >/dev/null && curl -sf http://127.0.0.1:9464/metrics >/dev/null && break
  sleep 1
done

assl() { dotnet src/Assl.Cli/bin/Release/net10.0/assl.dll "$@"; }
query() { curl -sG http://127.0.0.1:9090/api/v1/query --data-urlencode "query=$1"; }
# Every dashboard query, with the server variable set to all: its series and their latest values.
report() {
  jq -r '.panels[] | select(.targets) | .title as $t | .targets[] | "\($t)\t\(.legendFormat)\t\(.expr)"' configs/monitoring/assl-dashboard.json |
  while IFS=$'\t' read -r title legend expr; do
    result="$(query "${expr//\$instance/.*}")"
    status="$(jq -r .status <<<"$result")"
    values="$(jq -r '[.data.result[]? | "\(.metric | del(.instance, .job) | to_entries | map(.value) | join(","))=\(.value[1] | tonumber | . * 1000 | round / 1000)"] | join("  ")' <<<"$result")"
    printf '  %-30s %-28s %s %s\n' "$title" "$legend" "$status" "${values:-(no series)}"
  done
  echo "  alerts: $(query 'ALERTS' | jq -r '[.data.result[] | "\(.metric.alertname) (\(.metric.alertstate))"] | if length == 0 then "none" else join(", ") end')"
}

assl loadtest --streams 64 --fps 30 --duration "$live" --raw-seconds 0 | grep -E "windows/s|p99|dropped|cores"
echo "after ${live} s of 64 live streams:"
report
assl loadtest --streams 64 --fps 30 --speed 4 --warmup 0 --duration "$overload" --raw-seconds 0 | grep -E "windows/s|p99|dropped|cores"
echo "after ${overload} s of overload (×4):"
report
