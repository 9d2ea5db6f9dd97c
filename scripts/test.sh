#!/usr/bin/env bash
# The README's test command: lint, typecheck, unit and integration tests (against a real
# Dovecot), the build, then end-to-end tests in Chromium against the built product.
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_debian_packages dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix chromium
ensure_node_modules

say "lint, typecheck, unit and integration tests, build"
npx turbo run lint typecheck test build --concurrency=2 --output-logs=full
say "end-to-end tests in Chromium"
npm run test:e2e
assert_no_leftovers
say "all tests passed"
