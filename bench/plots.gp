# Draws bench/run's three plots from the data files it leaves in its work directory.
# Usage: gnuplot -e "work='bench/work'; out='bench'" bench/plots.gp
set terminal svg size 760,480 dynamic enhanced font "sans,12" background rgb "white"
set grid
set key left top

set output out."/latency-cdf.svg"
set title "Round-trip latency, ping -i 0.01 (P6), and EndToEndLatency's one hop (P1)"
set xlabel "milliseconds (log scale)"
set ylabel "share of round trips at most this long"
set logscale x
set yrange [0:1]
set key default
set key below
plot work."/cdf-pong.dat" using 1:2 with steps lw 2 title "through pong.jar", \
     work."/cdf-streams.dat" using 1:2 with steps lw 2 title "through the Kafka Streams relay", \
     work."/cdf-e2e.dat" using 1:2 with linespoints pt 7 lw 1 title "EndToEndLatency one hop (p50, p99, p99.9 only)"
unset logscale x

set output out."/drain.svg"
set title "Draining ".drain_n." queued pings: pongs on the pong topic"
set xlabel "seconds since the watcher's first reading (the responder is launched right after it)"
set ylabel "pongs"
set yrange [0:*]
set key default
set key inside right bottom
plot work."/drain-pong-1.dat" using 1:2 with lines lw 2 title "java -jar pong.jar", \
     work."/drain-bin-pong.dat" using 1:2 with lines lw 2 title "bin/pong", \
     work."/drain-streams.dat" using 1:2 with lines lw 2 title "Kafka Streams relay"

set output out."/single-shot-cpu.svg"
set title "One round trip in a fresh JVM: CPU-seconds (user + sys), median of ".shots
set xlabel ""
set ylabel "CPU-seconds"
set yrange [0:*]
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.6
set offsets 0, 0, graph 0.1, 0
unset key
plot work."/single-shot-cpu.dat" using 2:xtic(1) lc rgb "#4e79a7", \
     "" using 0:2:(sprintf("%.2f", $2)) with labels offset 0,0.8 notitle
