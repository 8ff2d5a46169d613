#!/usr/bin/env bash
# Times `terraform plan` of one coveo_token_privileges data source against the
# embedded Coveo API, for each N given (default 1000 5000), with two answers of
# N entries: N distinct grants (the worst case: one object each in
# `privileges`), and N targets of the few dozen grants that exist (what Coveo
# sends for a key with custom access to many resources: the entries merge).
# Usage: scripts/bench-plan.sh [N...]
set -euo pipefail
source "$(dirname "$0")/dev-env.sh"

export COVEO_ORGANIZATION_ID=benchorg
export COVEO_ACCESS_TOKEN=xx00000000-0000-4000-8000-000000000000
cat > "$workdir/main.tf" <<'TF'
terraform {
  required_providers {
    coveo = { source = "coveo-community/coveo" }
  }
}
data "coveo_token_privileges" "bench" {}
output "grants" { value = length(data.coveo_token_privileges.bench.privileges) }
TF
cd "$workdir"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 5000)
for count in "${sizes[@]}"; do
  for shape in distinct merged; do
    if [[ -n "$stub_pid" ]]; then kill "$stub_pid"; wait "$stub_pid" 2>/dev/null || true; fi
    flags=(-synthetic "$count" -synthetic-org "$COVEO_ORGANIZATION_ID" -synthetic-token "$COVEO_ACCESS_TOKEN")
    [[ $shape == merged ]] && flags+=(-synthetic-merged)
    start_stub "${flags[@]}"
    start=$(date +%s%N)
    "$terraform" plan -input=false -no-color >plan.log
    end=$(date +%s%N)
    grants=$(sed -n 's/.*grants *= *\([0-9]*\).*/\1/p' plan.log | head -n 1)
    awk -v n="$count" -v g="${grants:-?}" -v ns="$((end - start))" \
      'BEGIN { printf "terraform plan, %s entries served, %s grants in privileges: %.2f s\n", n, g, ns / 1e9 }'
  done
done
