package dev.kafkaping.devkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Ports on 127.0.0.1, where the development broker listens. */
final class LocalPorts {
  private LocalPorts() {}

  /** A port that nothing listens on right now. */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /**
   * Refuses a port that another process listens on. Kafka would find out only after it had
   * formatted the data directory and started its controller, and then log a hundred lines.
   */
  static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return port;
    } catch (BindException e) {
      String reason = String.valueOf(e.getMessage());
      throw new StartRefusedException(
          reason.startsWith("Address already in use")
              ? "port " + port + " is already in use"
              : "cannot listen on port " + port + ": " + reason);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check port " + port + " on 127.0.0.1", e);
    }
  }
}
