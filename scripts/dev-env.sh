# Sourced by the demo and benchmark scripts: builds the provider and the
# embedded Coveo API, and points a Terraform CLI configuration's
# dev_overrides at the build, so Terraform uses it without a registry.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
terraform=$("$root/scripts/terraform-binary.sh")
go build -o "$root/bin/terraform-provider-coveo" "$root"
go build -o "$root/bin/coveo-api-stub" "$root/internal/cmd/coveo-api-stub"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/coveo-demo-XXXXXX")
stub_pid=""
cleanup() {
  [[ -n "$stub_pid" ]] && kill "$stub_pid" 2>/dev/null && wait "$stub_pid" 2>/dev/null
  rm -rf "$workdir"
}
trap cleanup EXIT

cat > "$workdir/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "coveo-community/coveo" = "$root/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$workdir/dev.tfrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1

# start_stub starts the embedded Coveo API with the given arguments and sets
# COVEO_ENDPOINT to its URL.
start_stub() {
  rm -f "$workdir/stub.url"
  "$root/bin/coveo-api-stub" -url-file "$workdir/stub.url" "$@" >/dev/null &
  stub_pid=$!
  for _ in $(seq 100); do
    [[ -s "$workdir/stub.url" ]] && break
    sleep 0.1
  done
  [[ -s "$workdir/stub.url" ]] || { echo "the embedded Coveo API did not start" >&2; exit 1; }
  COVEO_ENDPOINT=$(cat "$workdir/stub.url")
  export COVEO_ENDPOINT
}
