#!/usr/bin/env bash
# Prints the path of a Terraform-compatible CLI for acceptance tests and the
# demo: $TF_ACC_TERRAFORM_PATH when set, else terraform on PATH, else tofu on
# PATH, else OpenTofu built from the Go module proxy into bin/tofu (about
# three minutes the first time; Go caches the build after that).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
opentofu_version=v1.12.6

if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
  [[ -x "$TF_ACC_TERRAFORM_PATH" ]] || { echo "TF_ACC_TERRAFORM_PATH=$TF_ACC_TERRAFORM_PATH is not an executable" >&2; exit 1; }
  echo "$TF_ACC_TERRAFORM_PATH"
  exit 0
fi
for name in terraform tofu; do
  if path=$(command -v "$name"); then
    echo "$path"
    exit 0
  fi
done

tofu="$root/bin/tofu"
if [[ ! -x "$tofu" ]]; then
  echo "No terraform or tofu on PATH: building OpenTofu $opentofu_version from the Go module proxy into bin/tofu" >&2
  dir=$(go mod download -json "github.com/opentofu/opentofu@$opentofu_version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -n "$dir" ]] || { echo "could not download github.com/opentofu/opentofu@$opentofu_version" >&2; exit 1; }
  mkdir -p "$root/bin"
  go build -C "$dir" -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu" ./cmd/tofu
fi
echo "$tofu"
