#!/usr/bin/env bash
# The README's benchmark command: builds, then measures what a user feels in real Chromium
# against a real Dovecot seeded by the harness (IMAP sign-in, reading, folders, push, bytes,
# IMAP commands, the gateway with 1,000 idle sessions, a POP3 pull). Prints the figures and
# writes bench/results/latest.json and latest.md. About 10 minutes on 2 cores.
#
#   npm run bench                                   # the full run
#   npm run bench -- --smoke                        # a tiny run (half a minute)
#   BENCH_SIZES=10000 BENCH_SAMPLES=5 npm run bench # env or flags: --sizes= --samples=
#       --live-samples= --idle-sessions= --pop3-messages= --pop3-bytes= --concurrency=
#       --settle-ms= --out= --name= --warmup=0 --quiet
#   npm run bench -- --with-roundcube               # Roundcube measured in the same run
#       (installs Debian's roundcube-core and PHP's CGI/CLI, never a web server or PHP-FPM;
#       without it the report shows Roundcube figures recorded earlier, labelled as such)
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_debian_packages dovecot-imapd dovecot-pop3d dovecot-fts-xapian chromium
with_roundcube=${BENCH_WITH_ROUNDCUBE:-0}
for arg in "$@"; do
  case "$arg" in
    --with-roundcube | --with-roundcube=1 | --with-roundcube=true) with_roundcube=1 ;;
    --with-roundcube=0 | --with-roundcube=false) with_roundcube=0 ;;
  esac
done
if [ "$with_roundcube" != 0 ] && [ "$with_roundcube" != false ]; then
  # php8.2-cgi satisfies PHP's "a SAPI" dependency, so neither Apache's module nor the
  # php-fpm service comes in; Roundcube runs under `php -S` on loopback for the run only.
  ensure_debian_packages roundcube-core roundcube-sqlite3 php8.2-cgi libapache2-mod-php8.2- php8.2-fpm-
fi
ensure_node_modules

say "building"
npx turbo run build --output-logs=errors-only

# The run stops what it started (the harness fails if a Dovecot process of its instance
# survives; Chromium is closed and waited for). On a machine where others also run Dovecot or
# Chromium (or PHP, for Roundcube), a process that appeared meanwhile may be theirs: say so, without failing.
ours() { ps -eo pid=,stat=,comm= | awk '$2 !~ /^Z/ && $3 ~ /^(dovecot|chromium|chrome|chrome_crashpad|anvil|imap|pop3|imap-login|pop3-login|php)$/ { print $1, $3 }' | sort; }
before=$(ours)
say "benchmark (progress on stderr; results in ${BENCH_OUT:-bench/results})"
status=0
npx tsx e2e/bench/main.ts "$@" || status=$?
left=$(comm -13 <(echo "$before") <(ours) || true)
if [ -n "$left" ]; then
  say "warning: these mail-server/browser processes appeared during the run and are still running (ours or another user's?):"
  echo "$left" >&2
fi
exit "$status"
