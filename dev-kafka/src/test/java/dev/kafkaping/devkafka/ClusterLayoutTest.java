package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLayoutTest {
  private static final Path DIR = Path.of("/tmp/cluster");
  private final ClusterLayout layout =
      new ClusterLayout("abc", DIR, List.of(9092, 9093, 9094), List.of(9095, 9096, 9097), 3);

  @Test
  void shouldGiveEveryNodeItsOwnPortsAndDirAndTheSameThreeVoters() {
    Properties second = layout.serverProperties(2);

    assertThat(second)
        .containsEntry("node.id", "2")
        .containsEntry("process.roles", "broker,controller")
        .containsEntry(
            "controller.quorum.voters", "1@127.0.0.1:9095,2@127.0.0.1:9096,3@127.0.0.1:9097")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:9096")
        .containsEntry("log.dirs", DIR.resolve("node-2").toAbsolutePath().toString());
    assertThat(layout.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094");
  }

  @Test
  void shouldReplicateEveryTopicThreeTimesAndNeedTwoInSync() {
    assertThat(layout.serverProperties(1))
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2");
  }

  @Test
  void shouldUseSixConsecutivePortsFromTheGivenOne(@TempDir Path dataDir) throws Exception {
    int first = LocalPorts.free();
    // A free port with five free ones after it is likely but not certain; try a few.
    ClusterLayout planned = null;
    for (int attempt = 0; planned == null && attempt < 20; attempt++) {
      try {
        planned = ClusterLayout.plan(first, dataDir, 3);
      } catch (StartRefusedException taken) {
        first = LocalPorts.free();
      }
    }

    assertThat(planned).isNotNull();
    assertThat(planned.clientPorts()).containsExactly(first, first + 1, first + 2);
    assertThat(planned.controllerPorts()).containsExactly(first + 3, first + 4, first + 5);
  }

  @Test
  void shouldKeepTheClusterIdOfADataDirUsedBefore(@TempDir Path dataDir) throws Exception {
    Files.createDirectories(dataDir.resolve("node-2"));
    Files.writeString(
        dataDir.resolve("node-2/meta.properties"), "cluster.id=kept-id\nnode.id=2\nversion=1\n");

    assertThat(ClusterLayout.plan(0, dataDir, 3).clusterId()).isEqualTo("kept-id");
  }

  @Test
  void shouldRunANodeWithTheArgumentsThatDescribeTheSameLayout() {
    assertThat(layout.nodeArguments(3))
        .containsExactly(
            "--node-id", "3",
            "--cluster-id", "abc",
            "--client-ports", "9092,9093,9094",
            "--controller-ports", "9095,9096,9097",
            "--data-dir", DIR.toAbsolutePath().toString(),
            "--partitions", "3");
  }
}
