#!/bin/sh
# Creates the namespace runs live in and the search attributes every run sets (platform/search-attributes.ts), when
# missing: in docker-compose.yml as a one-shot job (temporalio/admin-tools), and without Docker from the test harness
# (KAI_TEST_TEMPORAL=postgres) and on bare VMs (docs/deploy.md). The dev server of `npm start` gets both as flags; a
# real cluster needs them once. The CLI reads TEMPORAL_ADDRESS from the environment; TEMPORAL_CLI names the CLI when
# it is not `temporal` on the PATH.
set -eu

temporal() { command "${TEMPORAL_CLI:-temporal}" "$@"; }

: "${NAMESPACE:?NAMESPACE is required}"
: "${RETENTION:?RETENTION is required}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES is required}"

if temporal operator namespace describe -n "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} exists"
else
  temporal operator namespace create -n "$NAMESPACE" --retention "$RETENTION"
fi

# A new namespace reaches the frontend's cache within seconds; search-attribute calls fail until it has.
tries=0
until temporal operator search-attribute list -n "$NAMESPACE" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "namespace ${NAMESPACE} did not become usable" >&2
    exit 1
  fi
  sleep 2
done

for name in $SEARCH_ATTRIBUTES; do
  if temporal operator search-attribute list -n "$NAMESPACE" | grep -qw "$name"; then
    echo "search attribute ${name} exists"
  else
    temporal operator search-attribute create -n "$NAMESPACE" --name "$name" --type Keyword
  fi
done
