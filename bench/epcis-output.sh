#!/bin/bash
# The gateway's EPCIS output (BENCHMARKS.md, issue 14), on loopback ports 31883 (mosquitto), 38080
# (gateway), 38081 (the load's ERP), 38091 (the simulator's erp command as the EPCIS capture
# interface, control on 38092): `load` at RATE batches/s of 10 units for 30 s with erp.url and
# erp.epcis; how far the EPCIS output lags the ERP, and how soon it has drained what is left. Each batch is a lot.completed: one ObjectEvent of 10
# EPCs in a document of its own (one event per outbox event).
# NOEPCIS=1: the same run with the HTTP output alone. CONCURRENCY: erp.epcis.concurrency (default 4).
# Usage: [RATE=500] [NOEPCIS=1] [CONCURRENCY=4] bench/epcis-output.sh NAME   (results in /tmp/linegate-bench/NAME)
set -u
J=$(cd "$(dirname "$0")/.." && pwd)
D=/tmp/linegate-bench/$1; rm -rf $D; mkdir -p $D
RATE=${RATE:-500}
cat > $D/mosq.conf <<EOF
listener 31883 127.0.0.1
persistence false
max_queued_messages 0
allow_anonymous true
EOF
cat > $D/e.yaml <<EOF
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
$( [ "${NOEPCIS:-}" ] || echo "  epcis: { url: \"http://127.0.0.1:38091/epcis/capture\", concurrency: ${CONCURRENCY:-4} }" )
EOF
pending() { curl -s -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox"]["outputs"]["epcis"]["pending"])'; }
export LINEGATE_TOKEN=$(java -jar $J/gateway/target/linegate-gateway.jar tokens create bench --role viewer --config $D/e.yaml 2>/dev/null | tail -1)
mosquitto -c $D/mosq.conf > $D/mosq.log 2>&1 & MQ=$!
java -jar $J/simulator/target/linegate-simulator.jar erp --port 38091 --control-port 38092 > $D/epcis.log 2>&1 & EP=$!
until curl -sf http://127.0.0.1:38091/epcis/events >/dev/null; do sleep 0.2; done
java -Xmx128m -jar $J/gateway/target/linegate-gateway.jar --config $D/e.yaml > $D/gw.log 2>&1 & GW=$!
until curl -sf -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health >/dev/null; do sleep 0.2; done
echo "== $RATE/s for 30 s (warm-up 10 s)$( [ "${NOEPCIS:-}" ] && echo ', HTTP output alone')"
java -jar $J/simulator/target/linegate-simulator.jar load --gateway http://127.0.0.1:38080 --erp-port 38081 \
  --broker tcp://127.0.0.1:31883 --lines L1 --quantity 10 --rate $RATE --duration 30s --warmup 10s 2>&1 | grep -v INFO | tail -12 &
LD=$!
if [ -z "${NOEPCIS:-}" ]; then
  max=0; while kill -0 $LD 2>/dev/null; do p=$(pending); [ "${p:-0}" -gt $max ] && max=$p; sleep 0.5; done
  t0=$(date +%s.%N); p=$(pending)
  until [ "$(pending)" = "0" ]; do sleep 0.1; done
  echo "epcis pending at most $max during the load, $p when the load ended, none $(python3 -c "print(round($(date +%s.%N)-$t0,2))") s later"
  echo "EPCIS events at the repository: $(curl -s http://127.0.0.1:38091/epcis/events | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
fi
wait $LD
echo "gateway CPU time: $(ps -o cputime= -p $GW) (since its start, warm-up included)"
kill $GW; wait $GW; kill $EP; kill $MQ
