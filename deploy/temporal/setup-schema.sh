#!/bin/sh
# One-shot job (temporalio/admin-tools): brings Temporal's two databases, created by deploy/postgres/init-databases.sh,
# to the schema of the admin-tools version, which must match the server's. `setup-schema -v 0.0` records a version
# only where none is newer and `update-schema` applies only missing steps, so the job runs on every `compose up`
# and is also how a Temporal upgrade migrates: bump both image tags together.
# The password comes from SQL_PASSWORD in the environment.
set -eu

SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

for pair in temporal:temporal visibility:temporal_visibility; do
  schema=${pair%%:*}
  database=${pair#*:}
  echo "temporal schema: ${database}"
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u temporal --db "$database" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u temporal --db "$database" \
    update-schema -d "$SCHEMA_ROOT/$schema/versioned"
done
