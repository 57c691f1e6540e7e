#!/bin/bash
# The gateway's Kafka output (BENCHMARKS.md, issue 13), on loopback ports 31883 (mosquitto), 38080
# (gateway), 38081 (the load's ERP), 39092 (the simulator's Kafka broker):
#  1. both outputs up: `load` at RATE batches/s of 10 units for 30 s; how far Kafka lags the ERP;
#  2. the broker stopped, RATE/s for 20 s to the ERP alone, then the broker started again: how
#     soon the first event reaches Kafka and how fast the backlog drains.
# NOKAFKA=1: step 1 without erp.kafka (the same run with the HTTP output alone).
# Usage: [RATE=1000] [NOKAFKA=1] bench/kafka-output.sh NAME   (results in /tmp/linegate-bench/NAME)
set -u
source "$(dirname "$0")/output-bench.sh"
RATE=${RATE:-1000}
bench_config $D/k.yaml "$( [ "${NOKAFKA:-}" ] || echo '  kafka: { bootstrap: "127.0.0.1:39092" }' )"
N=0
startkafka() {
  N=$((N+1))
  java -jar $J/simulator/target/linegate-simulator.jar kafka --port 39092 --data $D/kafka >> $D/kafka.log 2>&1 & KB=$!
  until [ "$(grep -c 'Kafka broker (KRaft) on' $D/kafka.log)" -ge $N ]; do sleep 0.1; done
}
startkafka
bench_start $D/k.yaml
echo "== 1. both outputs up: $RATE/s for 30 s (warm-up 10 s)"
$LOAD --rate $RATE --duration 30s --warmup 10s 2>&1 | grep -v INFO | tail -12
[ "${NOKAFKA:-}" ] && { kill $GW; wait $GW; kill $KB; kill $MQ; exit 0; }
t0=$(date +%s.%N); p=$(pending kafka); echo "kafka pending when the ERP had every event: $p"
until [ "$(pending kafka)" = "0" ]; do sleep 0.1; done
echo "kafka caught up $(python3 -c "print(round($(date +%s.%N)-$t0,2))") s later"
echo "== 2. broker stopped; $RATE/s for 20 s to the ERP alone"
kill $KB; wait $KB
$LOAD --rate $RATE --duration 20s 2>&1 | grep -E "committed|ERP|batches" | head -8
p=$(pending kafka); echo "kafka backlog: $p"
startkafka; t0=$(date +%s.%N); echo "broker up at $(date +%T.%N | cut -c1-12)"
# the drain proper: from the first delivery (pending falls) to none pending
until [ "$(pending kafka)" -lt "$p" ]; do sleep 0.05; done; t1=$(date +%s.%N); p1=$(pending kafka)
until [ "$(pending kafka)" = "0" ]; do sleep 0.1; done; t2=$(date +%s.%N)
echo "first delivery $(python3 -c "print(round($t1-$t0,2))") s after the broker was up; then $p1 events in $(python3 -c "print(round($t2-$t1,2))") s: $(python3 -c "print(round($p1/($t2-$t1)))") events/s"
grep -E "Kafka (un)?reachable" $D/gw.log | cut -c1-200
kill $GW; wait $GW; kill $KB; wait $KB; kill $MQ
