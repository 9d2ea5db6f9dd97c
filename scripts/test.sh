#!/usr/bin/env bash
# The README's test command: lint, typecheck, unit and integration tests (against a real
# Dovecot and Postfix), the build, then end-to-end tests in Chromium against the built product.
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_debian_packages dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-fts-xapian dovecot-sieve \
  dovecot-managesieved postfix chromium redis-server haproxy \
  roundcube-core roundcube-sqlite3 php8.2-cgi libapache2-mod-php8.2- php8.2-fpm-
ensure_node_modules

log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "format check (prettier)"
npx prettier --check . --log-level warn
say "npm audit of the production dependencies (high and critical fail)"
# A registry mirror without the audit endpoint answers 405: say loudly that nothing was checked
# rather than fail every run; a high or critical advisory fails the run.
if ! audit_out=$(npm audit --omit=dev --audit-level=high 2>&1); then
  if grep -q "audit endpoint returned an error" <<<"$audit_out"; then
    say "WARNING: the registry's audit endpoint did not answer; dependency advisories were NOT checked"
  else
    printf '%s\n' "$audit_out"
    exit 1
  fi
fi
say "lint, typecheck, unit and integration tests, build"
npx turbo run lint typecheck test build --concurrency=2 --output-logs=full 2>&1 | tee "$log"
say "end-to-end tests in Chromium"
npm run test:e2e 2>&1 | tee -a "$log"
assert_no_leftovers

# One closing line for every runner together (vitest per package, then Playwright).
strip() { sed -e 's/\x1b\[[0-9;]*m//g' "$log"; }
unit=$(strip | awk '/:test: +Tests +[0-9]+ passed/ { for (i = 1; i <= NF; i++) if ($i == "Tests") { n += $(i + 1); break } } END { print n + 0 }')
e2e=$(strip | awk '/^ +[0-9]+ passed \(/ { n = $1 } END { print n + 0 }')
say "all tests passed"
echo "tests: $(( ${unit:-0} + ${e2e:-0} )) passed, 0 failed"
