#!/bin/sh
# Brings Temporal's two databases to the schema of the server version: in docker-compose.yml as a one-shot job
# (temporalio/admin-tools, whose version must match the server's; the databases come from
# deploy/postgres/init-databases.sh), and without Docker from the test harness (KAI_TEST_TEMPORAL=postgres) and on
# bare VMs (docs/deploy.md), where the databases must exist first. `setup-schema -v 0.0` records a version only
# where none is newer and `update-schema` applies only missing steps, so it runs on every `compose up` and is also
# how a Temporal upgrade migrates: bump both image tags together.
# Settings come from the environment, named as the server's (deploy/temporal/config/production.yaml); the defaults
# are compose's. The password is read by temporal-sql-tool itself from SQL_PASSWORD.
set -eu

SQL_TOOL=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
SCHEMA_ROOT=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
HOST=${POSTGRES_SEEDS:-postgres}
PORT=${DB_PORT:-5432}
USER_NAME=${POSTGRES_USER:-temporal}

for pair in "temporal:${DBNAME:-temporal}" "visibility:${VISIBILITY_DBNAME:-temporal_visibility}"; do
  schema=${pair%%:*}
  database=${pair#*:}
  echo "temporal schema: ${database}"
  "$SQL_TOOL" --plugin postgres12 --ep "$HOST" -p "$PORT" -u "$USER_NAME" --db "$database" setup-schema -v 0.0
  "$SQL_TOOL" --plugin postgres12 --ep "$HOST" -p "$PORT" -u "$USER_NAME" --db "$database" \
    update-schema -d "$SCHEMA_ROOT/$schema/versioned"
done
