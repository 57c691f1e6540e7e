# Sourced by the output benchmarks (kafka-output.sh, epcis-output.sh): one MQTT line L1 (labels
# none) on loopback ports 31883 (mosquitto) and 38080 (the gateway), the ERP at 38081 (the load's).
# Defines J (the checkout), D (/tmp/linegate-bench/$1, emptied), and:
#   bench_config FILE ERP_KEYS  writes the gateway's configuration, ERP_KEYS indented under erp:
#   bench_start FILE            starts mosquitto (MQ) and the gateway (GW, -Xmx128m), with a viewer
#                               token in LINEGATE_TOKEN, and waits for /health
#   pending OUTPUT              the output's pending events from /health
J=$(cd "$(dirname "$0")/.." && pwd)
D=/tmp/linegate-bench/$1; rm -rf $D; mkdir -p $D
cat > $D/mosq.conf <<EOF
listener 31883 127.0.0.1
persistence false
max_queued_messages 0
allow_anonymous true
EOF
bench_config() {
  cat > $1 <<EOF
gateway:
  id: bench
  dataDir: $D/data
  http: { host: 127.0.0.1, port: 38080 }
products:
  - code: WIDGET-100
    gtin: "09506000134352"
    shelfLifeDays: 730
    serials: { mode: random, length: 12, alphabet: numeric }
lines:
  - id: L1
    lotPattern: "{line}-{yyyy}{MM}{dd}-{seq:7}"
    labels: none
    source:
      mqtt: { broker: "tcp://127.0.0.1:31883", topic: plant/L1/batch-complete }
gs1: { companyPrefix: "9506000", location: "urn:epc:id:sgln:9506000.00001.0" }
erp:
  url: http://127.0.0.1:38081/api/events
$2
EOF
}
bench_start() {
  export LINEGATE_TOKEN=$(java -jar $J/gateway/target/linegate-gateway.jar tokens create bench --role viewer --config $1 2>/dev/null | tail -1)
  mosquitto -c $D/mosq.conf > $D/mosq.log 2>&1 & MQ=$!
  java -Xmx128m ${JFR:+-XX:StartFlightRecording=filename=$D/gw.jfr,settings=profile} -jar $J/gateway/target/linegate-gateway.jar --config $1 > $D/gw.log 2>&1 & GW=$!
  until curl -sf -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health >/dev/null; do sleep 0.2; done
}
pending() { curl -s -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health | python3 -c "import json,sys; print(json.load(sys.stdin)['outbox']['outputs']['$1']['pending'])"; }
LOAD="java -jar $J/simulator/target/linegate-simulator.jar load --gateway http://127.0.0.1:38080 --erp-port 38081 --broker tcp://127.0.0.1:31883 --lines L1 --quantity 10"
