#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
L=/tmp/kafka-ping-build.lock
declare -A DIR=([a]=a-apicurio [aslim]=a-slim [b]=b-plain)
declare -A MAIN=([a]=eval.MainA [aslim]="-Dadapter=JDK eval.MainA" [b]=eval.MainB)
SHARED='^(kafka-clients|lz4-java|snappy-java|zstd-jni|slf4j-api|jackson-core|jackson-databind|jackson-annotations)-'
for o in a aslim b; do
  d=${DIR[$o]}/target/dependency
  all=$(ls $d | wc -l); allb=$(cat $d/*.jar | wc -c)
  net=$(ls $d | grep -Ev "$SHARED" | wc -l); netb=$(ls $d | grep -Ev "$SHARED" | sed "s#^#$d/#" | xargs cat | wc -c)
  echo "SIZE $o jars_all=$all bytes_all=$allb jars_net=$net bytes_net=$netb"
done
for o in a aslim b; do
  (cd ${DIR[$o]} && flock $L $J -Xlog:class+load:file=/tmp/serde-eval/cl-$o.log -cp 'target/classes:target/dependency/*' ${MAIN[$o]} >/dev/null 2>&1)
  echo "CLASSES $o $(wc -l < cl-$o.log) (from-jdk-shared: $(grep -c 'shared objects file' cl-$o.log))"
done
for i in 1 2 3 4 5; do
  for o in a aslim b; do
    out=$(cd ${DIR[$o]} && flock $L /usr/bin/time -f 'TIME %e %U %S' $J -cp 'target/classes:target/dependency/*' ${MAIN[$o]} 2>&1)
    echo "RUN $i $o $(echo "$out" | grep -o 'head=[0-9a-f]*') $(echo "$out" | grep '^TIME')"
  done
done
