# Shared steps of the README's commands: bring in what is missing, or say the one line to run.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 NEXT_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

say() { printf '\033[1mpismo:\033[0m %s\n' "$*" >&2; }

# ensure_debian_packages PKG...: installs missing Debian packages when root, else stops with
# the apt-get line to run. A name ending in "-" (apt-get's own syntax) is a package that must
# not come in to satisfy a dependency, e.g. a web server module with a system service.
ensure_debian_packages() {
  local missing=() excluded=()
  for pkg in "$@"; do
    case "$pkg" in *-) excluded+=("$pkg"); continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix's postinst would ask how to configure the system's MTA: "No configuration" leaves
    # /etc/postfix without a main.cf, so no system Postfix starts; the tests run their own.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Roundcube (the benchmark's comparison) runs from its own config and database in a temp
    # dir: no system database through dbconfig-common.
    echo "roundcube-core roundcube/dbconfig-install boolean false" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" "${excluded[@]}" >/dev/null
  else
    say "missing Debian packages. Run this once, then try again:"
    case " ${missing[*]} " in *" postfix "*)
      echo "  echo 'postfix postfix/main_mailer_type select No configuration' | sudo debconf-set-selections" >&2 ;;
    esac
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]} ${excluded[*]}" >&2
    exit 1
  fi
}

# ensure_node_modules: npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  local root; root=$(repo_root)
  if [ ! -f "$root/node_modules/.package-lock.json" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    say "installing npm packages (npm ci)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
}

# No process this run started may outlive it.
assert_no_leftovers() {
  local left
  # Zombies (state Z) are already dead, waiting for a parent to reap them: not running.
  left=$(ps -eo pid=,stat=,comm= | awk '$2 !~ /^Z/ && $3 ~ /^(dovecot|chromium|chrome|chrome_crashpad|anvil|imap|pop3|imap-login|pop3-login|auth|log|config|lmtp|master|qmgr|pickup|smtpd|cleanup|trivial-rewrite|postlogd|tlsmgr|bounce|proxymap|scache|managesieve|managesieve-login|indexer|indexer-worker|redis-server|haproxy|php|php8.2)$/' || true)
  if [ -n "$left" ]; then
    say "processes left running after the run:"; echo "$left" >&2
    return 1
  fi
}
