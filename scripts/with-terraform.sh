#!/usr/bin/env bash
# Runs a command with the environment of an offline acceptance run: a real
# Terraform (or OpenTofu) binary, an empty CLI configuration, no checkpoint
# calls, and provider addresses that terraform-plugin-testing maps to the
# provider running in the test process, so nothing is downloaded.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
binary=$("$root/scripts/terraform-binary.sh")

cli_config=$(mktemp "${TMPDIR:-/tmp}/coveo-tf-cli-XXXXXX.tfrc")
trap 'rm -f "$cli_config"' EXIT

export TF_ACC=1
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_ACC_TERRAFORM_PATH="$binary"
export TF_CLI_CONFIG_FILE="$cli_config"
export TF_ACC_PROVIDER_NAMESPACE=coveo-community
if "$binary" version 2>/dev/null | head -n 1 | grep -q '^OpenTofu'; then
  export TF_ACC_PROVIDER_HOST=registry.opentofu.org
fi
echo "acceptance tests use $("$binary" version | head -n 1) at $binary" >&2
"$@"
