#!/bin/sh
# Runs once, when the postgres volume is first initialised (/docker-entrypoint-initdb.d), as the superuser.
# The application and Temporal get their own login roles and databases on the one server, so a leaked application
# password does not reach Temporal's histories and either side can later move to its own server.
# Passwords reach SQL as psql variables (:'name' quotes them), never pasted into the statements.
# Changing KAI_DB_PASSWORD or TEMPORAL_DB_PASSWORD later needs ALTER ROLE: this script does not run again.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v kai_password="$KAI_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE kai LOGIN PASSWORD :'kai_password';
CREATE DATABASE kai OWNER kai;
CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
-- Creating an extension needs the superuser; the app's own migration then finds it and moves on.
\connect kai
CREATE EXTENSION IF NOT EXISTS vector;
SQL
