#!/bin/bash
# The gateway's EPCIS output (BENCHMARKS.md, issue 14), on loopback ports 31883 (mosquitto), 38080
# (gateway), 38081 (the load's ERP), 38091 (the simulator's erp command as the EPCIS capture
# interface, control on 38092): `load` at RATE batches/s of 10 units for 30 s with erp.url and
# erp.epcis; how far the EPCIS output lags the ERP, and how soon it has drained what is left. Each
# batch is a lot.completed: one ObjectEvent of 10 EPCs in a document of its own.
# NOEPCIS=1: the same run with the HTTP output alone. CONCURRENCY: erp.epcis.concurrency (default 4).
# JFR=1: the gateway writes a flight recording (settings=profile) to gw.jfr.
# REPO_NICE=19: the repository process at that CPU priority, as a remote repository would not take the
# gateway's cores (its CPU time is printed with the gateway's).
# Usage: [RATE=500] [NOEPCIS=1] [CONCURRENCY=4] [JFR=1] [REPO_NICE=19] bench/epcis-output.sh NAME   (results in /tmp/linegate-bench/NAME)
set -u
source "$(dirname "$0")/output-bench.sh"
RATE=${RATE:-500}
bench_config $D/e.yaml "$( [ "${NOEPCIS:-}" ] || echo "  epcis: { url: \"http://127.0.0.1:38091/epcis/capture\", concurrency: ${CONCURRENCY:-4} }" )"
${REPO_NICE:+nice -n $REPO_NICE} java -jar $J/simulator/target/linegate-simulator.jar erp --port 38091 --control-port 38092 > $D/epcis.log 2>&1 & EP=$!
until curl -sf http://127.0.0.1:38091/epcis/events >/dev/null; do sleep 0.2; done
bench_start $D/e.yaml
echo "== $RATE/s for 30 s (warm-up 10 s)$( [ "${NOEPCIS:-}" ] && echo ', HTTP output alone')"
$LOAD --rate $RATE --duration 30s --warmup 10s 2>&1 | grep -v INFO | tail -12 &
LD=$!
if [ -z "${NOEPCIS:-}" ]; then
  max=0; while kill -0 $LD 2>/dev/null; do p=$(pending epcis); [ "${p:-0}" -gt $max ] && max=$p; sleep 0.5; done
  t0=$(date +%s.%N); p=$(pending epcis)
  until [ "$(pending epcis)" = "0" ]; do sleep 0.1; done
  echo "epcis pending at most $max during the load, $p when the load ended, none $(python3 -c "print(round($(date +%s.%N)-$t0,2))") s later"
  echo "EPCIS events at the repository: $(curl -s http://127.0.0.1:38091/epcis/events | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
fi
wait $LD
echo "gateway CPU time: $(ps -o cputime= -p $GW) (since its start, warm-up included)$( [ "${NOEPCIS:-}" ] || echo ", EPCIS repository (simulator) $(ps -o cputime= -p $EP)")"
kill $GW; wait $GW; kill $EP; kill $MQ
