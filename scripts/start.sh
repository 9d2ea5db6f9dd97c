#!/usr/bin/env bash
# `npm start`: the webmail against your own mail server, configured by PISMO_* variables.
source "$(dirname "$0")/lib.sh"
cd "$(repo_root)"
ensure_node_modules
if [ ! -f apps/gateway/dist/main.js ] || [ ! -f apps/web/out/index.html ]; then
  say "building (first start)"
  npx turbo run build --output-logs=errors-only
fi
exec node apps/gateway/dist/main.js
