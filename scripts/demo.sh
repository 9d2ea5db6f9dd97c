#!/usr/bin/env bash
# The README's demo command: builds, starts a private demo mail server (Dovecot, IMAP + POP3)
# with seeded mail, and the webmail in front of it. Ctrl-C stops both.
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_debian_packages dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-fts-xapian dovecot-sieve dovecot-managesieved postfix
ensure_node_modules
say "building"
npx turbo run build --output-logs=errors-only

mkdir -p .demo
info=.demo/mail-server.json
rm -f "$info"
smtp_flag=""
[ "$(id -u)" -eq 0 ] && smtp_flag="--smtp"   # the private Postfix needs root
# tsx itself, not through npx: `npx` runs it under `sh -c`, and the kill below would stop npx
# and leave the mail server running (a TERM to this script, from a service manager or `kill`).
# tsx passes the signal on to the harness, which stops Dovecot and Postfix.
node_modules/.bin/tsx packages/mail-harness/src/cli.ts --seed "${PISMO_DEMO_MESSAGES:-2000}" $smtp_flag > "$info" &
harness=$!
gateway=""
cleanup() {
  [ -n "$gateway" ] && kill "$gateway" 2>/dev/null || true
  kill "$harness" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 600); do [ -s "$info" ] && break; kill -0 "$harness" 2>/dev/null || exit 1; sleep 0.1; done
imap_port=$(node -p "require('./$info').imapPort")
pop3_port=$(node -p "require('./$info').pop3Port")
sieve_port=$(node -p "require('./$info').sievePort")
smtp_port=$(node -p "require('./$info').smtpPort ?? ''")
smtp_env=()
[ -n "$smtp_port" ] && smtp_env=(PISMO_SMTP_HOST=127.0.0.1 PISMO_SMTP_PORT="$smtp_port" PISMO_SMTP_SECURITY=none)

PISMO_PORT="${PISMO_PORT:-3000}" \
PISMO_IMAP_HOST=127.0.0.1 PISMO_IMAP_PORT="$imap_port" PISMO_IMAP_SECURITY=none \
PISMO_POP3_HOST=127.0.0.1 PISMO_POP3_PORT="$pop3_port" PISMO_POP3_SECURITY=none \
PISMO_SIEVE_HOST=127.0.0.1 PISMO_SIEVE_PORT="$sieve_port" PISMO_SIEVE_SECURITY=none \
PISMO_LOG_LEVEL="${PISMO_LOG_LEVEL:-warn}" \
  env "${smtp_env[@]}" node apps/gateway/dist/main.js &
gateway=$!
sleep 1
cat <<MSG

  Pismo demo is running at http://localhost:${PISMO_PORT:-3000}

  IMAP account:  demo@pismo.test  /  demo    (mail stays on the server)
  POP3 account:  pop@pismo.test   /  demo    (choose POP3 at sign-in; mail moves into the browser)

  Demo mail server: IMAP 127.0.0.1:${imap_port}, POP3 127.0.0.1:${pop3_port} (no TLS, loopback only)
  Press Ctrl-C to stop.

MSG
wait "$gateway"
