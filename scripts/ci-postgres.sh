#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster, make a throwaway database, run the server tests and the
# deployment tests (nginx, two server processes) against it.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main
pg_ctlcluster "$version" main start 2>/dev/null || true
su postgres -c "psql -qc \"DROP DATABASE IF EXISTS keysmith_ci\"" >/dev/null
su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN CREATE ROLE keysmith LOGIN SUPERUSER PASSWORD 'keysmith'; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$\""
su postgres -c "createdb -O keysmith keysmith_ci"
export TEST_DATABASE_URL="postgres://keysmith:keysmith@127.0.0.1:5432/keysmith_ci"
npx --no-install vitest run --config tests/server/vitest.config.ts
# The deployment of docs/deploy/: nginx in front of two server processes on this PostgreSQL.
npx --no-install vitest run --config tests/deploy/vitest.config.ts
# …and the extension syncing through it in real Chromium (needs the Chrome build).
npx --no-install wxt build >/dev/null
npx --no-install playwright test --config tests/deploy/playwright.config.ts
