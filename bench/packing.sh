#!/bin/bash
# Packing scans per second at one station (BENCHMARKS.md, issue 14), beside the verifying station
# on the same labels: trace-load's station part makes N units on L2, prints them on P2 (the
# simulator's printer at speed 0), then scans them back to back down a socat cable into scanner S1,
# which is a packing station (config/bench-packing.yaml: every 12th scan commits a case) or a line's
# verifying scanner (config/bench-trace.yaml). Loopback ports 41883 (mosquitto), 48080 (gateway),
# 48081 (ERP), 49100 (printer). Alternates the two RUNS times each on a fresh data directory.
# Usage: [SCANS=10000] [RUNS=2] bench/packing.sh   (results in /tmp/linegate-bench/packing)
set -u
J=$(cd "$(dirname "$0")/.." && pwd)
D=/tmp/linegate-bench/packing; rm -rf $D; mkdir -p $D
SCANS=${SCANS:-10000}; RUNS=${RUNS:-2}
printf 'listener 41883 127.0.0.1\npersistence false\nallow_anonymous true\nmax_inflight_messages 1000\n' > $D/mosq.conf
export BENCH_HTTP_PORT=48080 BENCH_MQTT_PORT=41883 BENCH_PRINTER_PORT=49100 BENCH_ERP_PORT=48081 LINEGATE_HOME=$J
for run in $(seq 1 $RUNS); do
  for station in packing trace; do
    export BENCH_DATA=$D/$station-$run/data BENCH_PTY_DIR=$D/$station-$run/pty
    mkdir -p $BENCH_PTY_DIR
    # A broker per run: one kept would hand a gateway the batches published for the previous one.
    mosquitto -c $D/mosq.conf >> $D/mosq.log 2>&1 & MQ=$!
    config=$J/config/bench-$station.yaml
    export LINEGATE_TOKEN=$(java -jar $J/gateway/target/linegate-gateway.jar tokens create bench --role viewer --config $config 2>/dev/null | tail -1)
    # The cable first (trace-load makes it), then the gateway, which opens its end with backoff.
    java -jar $J/simulator/target/linegate-simulator.jar trace-load --gateway http://127.0.0.1:48080 \
      --broker tcp://127.0.0.1:41883 --erp-port 48081 --lookups 0 --line L2 --station-line L2 \
      --scanner-pty-dir $BENCH_PTY_DIR --scans $SCANS --units-per-batch 1000 --printer-tcp-port 49100 \
      > $D/$station-$run.log 2>&1 & TL=$!
    until [ -e $BENCH_PTY_DIR/scannerA ]; do sleep 0.1; done
    java -Xmx128m -jar $J/gateway/target/linegate-gateway.jar --config $config > $D/$station-$run-gw.log 2>&1 & GW=$!
    wait $TL
    echo "== $station, run $run (load $(cut -d' ' -f1 /proc/loadavg))"
    grep -E 'scans judged|^ +[0-9]+ ' $D/$station-$run.log
    [ $station = packing ] && echo "   cases committed: $(sqlite3 -readonly $BENCH_DATA/linegate.db 'SELECT count(*) FROM containers')"
    echo "   gateway RSS: $(ps -o rss= -p $GW | awk '{print int($1/1024)" MB"}')"
    kill $GW; wait $GW; kill $MQ; wait $MQ
  done
done
