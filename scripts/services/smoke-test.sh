#!/usr/bin/env bash
# Checks that the local services really work (run after `all.sh start`):
#   Kafka:          produce 2 records to a new (auto-created) topic, consume them in a group
#   Elasticsearch:  create index, _bulk with version_type=external (and a stale version
#                   rejected), alias, fuzzy multi_match + term filter, _count, _refresh, GET /
# Uses only the Kafka console tools from .services/lib/kafka and curl; cleans up after itself.
#
#   bash scripts/services/smoke-test.sh [kafka|elasticsearch]   (default: both)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$DIR/../.." && pwd)"
KAFKA_LIB="${SERVICES_DIR:-$ROOT/.services}/lib/kafka"
ES=http://127.0.0.1:9200
RUN_ID="smoke-$(date +%s)-$$"
passed=0
failed=0

check() { # check <description> <command...>
  local what=$1
  shift
  if "$@"; then
    echo "ok   $what"
    passed=$((passed + 1))
  else
    echo "FAIL $what"
    failed=$((failed + 1))
  fi
}

kafka_smoke() {
  local topic="$RUN_ID" out
  printf 'event-1\nevent-2\n' | java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.ConsoleProducer \
    --bootstrap-server 127.0.0.1:9092 --topic "$topic" >/dev/null 2>&1 || true
  out="$(java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.consumer.ConsoleConsumer \
    --bootstrap-server 127.0.0.1:9092 --topic "$topic" --group "$topic-group" \
    --from-beginning --max-messages 2 --timeout-ms 30000 2>/dev/null | sort | tr '\n' ' ')" || true
  check "kafka: produce 2 records and consume them back in a group" [ "$out" == "event-1 event-2 " ]
  out="$(java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server 127.0.0.1:9092 --describe --topic "$topic" 2>/dev/null | head -n 1)" || true
  check "kafka: auto-created topic has 3 partitions" grep -q 'PartitionCount: 3' <<<"$out"
  java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server 127.0.0.1:9092 --delete --topic "$topic" >/dev/null 2>&1 || true
}

# es <method> <path> [body] [content-type]: prints the response body.
# (_bulk bodies must end with a newline, which $(...) strips: callers add $'\n'.)
es() {
  curl -s -X "$1" "$ES$2" -H "content-type: ${4:-application/json}" ${3:+--data-binary "$3"}
}

es_smoke() {
  local index="$RUN_ID-ventures" alias="$RUN_ID-alias" out
  out="$(es PUT "/$index" '{"settings":{"number_of_shards":1,"number_of_replicas":0},
    "mappings":{"properties":{"name":{"type":"text"},"country":{"type":"keyword"}}}}')"
  check "es: create index" grep -q '"acknowledged":true' <<<"$out"

  out="$(es POST /_bulk "$(printf '%s\n' \
    '{"index":{"_index":"'"$index"'","_id":"v1","version":7,"version_type":"external"}}' \
    '{"name":"Solar cooperative","country":"KE"}' \
    '{"index":{"_index":"'"$index"'","_id":"v2","version":3,"version_type":"external"}}' \
    '{"name":"Women weavers collective","country":"BD"}')"$'\n' application/x-ndjson)"
  check "es: _bulk with version_type=external" grep -q '"errors":false' <<<"$out"

  out="$(es POST /_bulk "$(printf '%s\n' \
    '{"index":{"_index":"'"$index"'","_id":"v1","version":6,"version_type":"external"}}' \
    '{"name":"stale"}')"$'\n' application/x-ndjson)"
  check "es: an older external version is rejected (409)" grep -q 'version_conflict_engine_exception' <<<"$out"

  out="$(es POST "/$index/_refresh")"
  check "es: _refresh" grep -q '"failed":0' <<<"$out"

  out="$(es POST /_aliases '{"actions":[{"add":{"index":"'"$index"'","alias":"'"$alias"'"}}]}')"
  check "es: add alias" grep -q '"acknowledged":true' <<<"$out"

  out="$(es POST "/$alias/_search" '{"query":{"bool":{
    "must":{"multi_match":{"query":"wevers","fields":["name"],"fuzziness":"AUTO"}},
    "filter":{"term":{"country":"BD"}}}}}')"
  check "es: fuzzy multi_match + term filter through the alias" grep -q '"_id":"v2"' <<<"$out"

  out="$(es POST "/$alias/_search" '{"query":{"match":{"name":{"query":"coperative","fuzziness":1}}}}')"
  check "es: fuzzy match" grep -q '"_id":"v1"' <<<"$out"

  out="$(es GET "/$alias/_count")"
  check "es: _count" grep -q '"count":2' <<<"$out"

  out="$(es GET /)"
  check "es: GET / reports version 8.x" grep -q '"number":"8\.' <<<"$out"

  out="$(es DELETE "/$index")"
  check "es: delete index" grep -q '"acknowledged":true' <<<"$out"
}

case "${1:-all}" in
  kafka) kafka_smoke ;;
  elasticsearch) es_smoke ;;
  all)
    kafka_smoke
    es_smoke
    ;;
  *)
    echo "usage: $0 [kafka|elasticsearch]" >&2
    exit 2
    ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
