#!/usr/bin/env bash
# Runs bench/firewall.ts inside a network namespace of its own, removed afterwards.
set -euo pipefail
ns="lgbench-fw-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
ip netns exec "$ns" "$(dirname "$0")/with-node.sh" node --import tsx --conditions=react-server "$(dirname "$0")/../bench/firewall.ts"
