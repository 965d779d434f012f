package dev.kafkaping.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.UserError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the probe tells listeners apart, against stand-ins that behave as each kind of listener does
 * at the byte level: a plaintext broker answers both requests, a SASL listener answers ApiVersions
 * and closes at Metadata, a TLS listener answers with an alert record, a stranger never answers.
 */
class KafkaHandshakeTest {
  private final ServerSocket listener = listen();
  private final CompletableFuture<Void> served = new CompletableFuture<>();

  private static ServerSocket listen() {
    try {
      return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  /** One connection served on a virtual thread by {@code behaviour}. */
  private void serve(Behaviour behaviour) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket socket = listener.accept()) {
                behaviour.serve(
                    new DataInputStream(socket.getInputStream()),
                    new DataOutputStream(socket.getOutputStream()));
                served.complete(null);
              } catch (IOException e) {
                served.completeExceptionally(e);
              }
            });
  }

  private interface Behaviour {
    void serve(DataInputStream in, DataOutputStream out) throws IOException;
  }

  private static byte[] readRequest(DataInputStream in) throws IOException {
    byte[] request = new byte[in.readInt()];
    in.readFully(request);
    return request;
  }

  /** An ApiVersions v0 answer offering Metadata versions 0 to 12. */
  private static void answerApiVersions(DataInputStream in, DataOutputStream out)
      throws IOException {
    readRequest(in);
    ByteBuffer body = ByteBuffer.allocate(4 + 2 + 4 + 6);
    body.putInt(1).putShort((short) 0).putInt(1);
    body.putShort(ApiKeys.METADATA.id).putShort((short) 0).putShort((short) 12);
    out.writeInt(body.capacity());
    out.write(body.array());
    out.flush();
  }

  private void probe() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
      KafkaHandshake.requireAnswers(
          socket, "broker:9092", System.nanoTime() + Duration.ofSeconds(2).toNanos());
    }
  }

  @Test
  void shouldPassWhenTheBrokerAnswersBothRequests() {
    serve(
        (in, out) -> {
          answerApiVersions(in, out);
          readRequest(in);
          out.writeInt(8);
          out.writeLong(2);
          out.flush();
        });

    assertThatCode(this::probe).doesNotThrowAnyException();
  }

  @Test
  void shouldSayItNeedsSaslWhenTheBrokerClosesAtMetadata() {
    serve(
        (in, out) -> {
          answerApiVersions(in, out);
          readRequest(in); // "Unexpected Kafka request of type METADATA during SASL handshake"
        });

    assertThatThrownBy(this::probe)
        .isInstanceOf(UserError.class)
        .hasMessage(
            "the broker at broker:9092 closed the connection at the first request: it probably"
                + " needs SASL (set security.protocol=SASL_PLAINTEXT or SASL_SSL and"
                + " sasl.mechanism, sasl.jaas.config in --command-config)");
  }

  @Test
  void shouldSayItNeedsTlsWhenTheListenerAnswersWithATlsAlert() {
    serve(
        (in, out) -> {
          in.readInt();
          out.write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50}); // fatal alert
          out.flush();
        });

    assertThatThrownBy(this::probe)
        .isInstanceOf(UserError.class)
        .hasMessageContaining("closed the connection at the first request")
        .hasMessageContaining("it probably needs TLS (set security.protocol=SSL or SASL_SSL");
  }

  @Test
  void shouldSayItNeedsTlsWhenTheListenerClosesAtApiVersions() {
    serve((in, out) -> in.readInt());

    assertThatThrownBy(this::probe)
        .isInstanceOf(UserError.class)
        .hasMessageContaining("it probably needs TLS");
  }

  @Test
  void shouldSayNothingAnsweredWhenTheListenerStaysSilentUntilTheDeadline() {
    serve(
        (in, out) -> {
          readRequest(in);
          in.read(); // holds the connection open until the client gives up
        });

    long started = System.nanoTime();
    assertThatThrownBy(this::probe)
        .isInstanceOf(UserError.class)
        .hasMessage(
            "broker:9092 accepted the connection but answered no Kafka request in time: is it a"
                + " Kafka broker's client port?");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900))
        .isLessThan(Duration.ofSeconds(10));
  }
}
