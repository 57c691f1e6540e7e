#!/bin/bash
# The gateway's Kafka output (BENCHMARKS.md, issue 13), on loopback ports 31883 (mosquitto), 38080
# (gateway), 38081 (the load's ERP), 39092 (the simulator's Kafka broker):
#  1. both outputs up: `load` at RATE batches/s of 10 units for 30 s; how far Kafka lags the ERP;
#  2. the broker stopped, RATE/s for 20 s to the ERP alone, then the broker started again: how
#     soon the first event reaches Kafka and how fast the backlog drains.
# NOKAFKA=1: step 1 without erp.kafka (the same run with the HTTP output alone).
# Usage: [RATE=1000] [NOKAFKA=1] bench/kafka-output.sh NAME   (results in /tmp/linegate-bench/NAME)
set -u
J=$(cd "$(dirname "$0")/.." && pwd)
D=/tmp/linegate-bench/$1; rm -rf $D; mkdir -p $D
RATE=${RATE:-1000}
cat > $D/mosq.conf <<EOF
listener 31883 127.0.0.1
persistence false
max_queued_messages 0
allow_anonymous true
EOF
cat > $D/k.yaml <<EOF
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
erp:
  url: http://127.0.0.1:38081/api/events
$( [ "${NOKAFKA:-}" ] || echo '  kafka: { bootstrap: "127.0.0.1:39092" }' )
EOF
pending() { curl -s -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["outbox"]["outputs"]["kafka"]["pending"])'; }
N=0
startkafka() {
  N=$((N+1))
  java -jar $J/simulator/target/linegate-simulator.jar kafka --port 39092 --data $D/kafka >> $D/kafka.log 2>&1 & KB=$!
  until [ "$(grep -c 'Kafka broker (KRaft) on' $D/kafka.log)" -ge $N ]; do sleep 0.1; done
}
export LINEGATE_TOKEN=$(java -jar $J/gateway/target/linegate-gateway.jar tokens create bench --role viewer --config $D/k.yaml 2>/dev/null | tail -1)
mosquitto -c $D/mosq.conf > $D/mosq.log 2>&1 & MQ=$!
startkafka
java -Xmx128m -jar $J/gateway/target/linegate-gateway.jar --config $D/k.yaml > $D/gw.log 2>&1 & GW=$!
until curl -sf -H "Authorization: Bearer $LINEGATE_TOKEN" http://127.0.0.1:38080/health >/dev/null; do sleep 0.2; done
LOAD="java -jar $J/simulator/target/linegate-simulator.jar load --gateway http://127.0.0.1:38080 --erp-port 38081 --broker tcp://127.0.0.1:31883 --lines L1 --quantity 10"
echo "== 1. both outputs up: $RATE/s for 30 s (warm-up 10 s)"
$LOAD --rate $RATE --duration 30s --warmup 10s 2>&1 | grep -v INFO | tail -12
[ "${NOKAFKA:-}" ] && { kill $GW; wait $GW; kill $KB; kill $MQ; exit 0; }
t0=$(date +%s.%N); p=$(pending); echo "kafka pending when the ERP had every event: $p"
until [ "$(pending)" = "0" ]; do sleep 0.1; done
echo "kafka caught up $(python3 -c "print(round($(date +%s.%N)-$t0,2))") s later"
echo "== 2. broker stopped; $RATE/s for 20 s to the ERP alone"
kill $KB; wait $KB
$LOAD --rate $RATE --duration 20s 2>&1 | grep -E "committed|ERP|batches" | head -8
p=$(pending); echo "kafka backlog: $p"
startkafka; t0=$(date +%s.%N); echo "broker up at $(date +%T.%N | cut -c1-12)"
# the drain proper: from the first delivery (pending falls) to none pending
until [ "$(pending)" -lt "$p" ]; do sleep 0.05; done; t1=$(date +%s.%N); p1=$(pending)
until [ "$(pending)" = "0" ]; do sleep 0.1; done; t2=$(date +%s.%N)
echo "first delivery $(python3 -c "print(round($t1-$t0,2))") s after the broker was up; then $p1 events in $(python3 -c "print(round($t2-$t1,2))") s: $(python3 -c "print(round($p1/($t2-$t1)))") events/s"
grep -E "Kafka (un)?reachable" $D/gw.log | cut -c1-200
kill $GW; wait $GW; kill $KB; wait $KB; kill $MQ
