package dev.kafkaping.devkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;
import java.util.stream.IntStream;

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
   * A free port other than {@code taken}: the kernel may hand out a port again as soon as the
   * socket that probed it is closed (seen with two builds running at once), and Kafka refuses two
   * listeners on one port.
   */
  static int freeOtherThan(int taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = free();
      if (port != taken) {
        return port;
      }
    }
    throw new StartRefusedException("no free port on 127.0.0.1 other than " + taken);
  }

  /**
   * The first of {@code count} consecutive ports that nothing listens on, below Linux's ephemeral
   * range (32768 and up): a node that is down for a while must find its ports still free, and an
   * outgoing connection may take any ephemeral port meanwhile.
   */
  static int freeBlock(int count) {
    Random random = new Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = 20000 + random.nextInt(12000 - count);
      if (IntStream.range(first, first + count).allMatch(LocalPorts::isFree)) {
        return first;
      }
    }
    throw new StartRefusedException(
        "no " + count + " consecutive free ports between 20000 and 32000");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
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
