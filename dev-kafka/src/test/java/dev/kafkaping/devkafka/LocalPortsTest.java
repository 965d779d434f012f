package dev.kafkaping.devkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalPortsTest {

  @Test
  void shouldRefuseAPortWhenAnotherSocketListensOnIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> LocalPorts.requireFree(port))
          .isInstanceOf(StartRefusedException.class)
          .hasMessage("port " + port + " is already in use");
    }
  }

  @Test
  void shouldRefuseAPortWhenSomethingListensOnAllInterfaces() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> LocalPorts.requireFree(port))
          .hasMessage("port " + port + " is already in use");
    }
  }

  @Test
  void shouldAcceptAPortWhenNothingListensOnIt() {
    int port = LocalPorts.free();

    assertThat(LocalPorts.requireFree(port)).isEqualTo(port);
  }
}
