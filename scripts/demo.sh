#!/usr/bin/env bash
# make demo: plan and apply examples/demo against the embedded Coveo API, or
# against the real Coveo Platform when COVEO_ACCESS_TOKEN and
# COVEO_ORGANIZATION_ID are set.
set -euo pipefail
source "$(dirname "$0")/dev-env.sh"

if [[ -n "${COVEO_ACCESS_TOKEN:-}" && -n "${COVEO_ORGANIZATION_ID:-}" ]]; then
  echo "== Reading the privileges of COVEO_ACCESS_TOKEN in $COVEO_ORGANIZATION_ID on the Coveo Platform"
else
  start_stub -config "$root/internal/cmd/coveo-api-stub/testdata/demo.json"
  export COVEO_ORGANIZATION_ID=acmecorpproductionq7x2k9pd
  export COVEO_ACCESS_TOKEN=xx005c14aa-fd27-4b86-8f65-15c5682f6fa3
  unset COVEO_API_KEY COVEO_REGION COVEO_ENVIRONMENT
  echo "== Reading a demo key's privileges from the embedded Coveo API at $COVEO_ENDPOINT"
fi

cp "$root/examples/demo/main.tf" "$workdir/"
cd "$workdir"
# No `terraform init`: with dev_overrides Terraform uses bin/ directly, and
# init would try to reach the registry for the overridden provider.
"$terraform" plan -input=false -out=demo.tfplan
"$terraform" apply -input=false demo.tfplan
