package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One deadline per call, a cap on each answer, and a brief memory of unknown schema ids. */
class SchemaRegistryClientBoundsTest {
  private static final Duration DEADLINE = Duration.ofMillis(300);
  // Far beyond the deadline, far within what a test may take on a busy machine.
  private static final Duration BOUND = Duration.ofMillis(2_000);
  private static final int LIMIT = 1_000;
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private final FakeRegistry registry = FakeRegistry.started();
  private final AtomicLong clock = new AtomicLong();
  private final SchemaRegistryClient client =
      new SchemaRegistryClient(registry.connection(), DEADLINE, LIMIT, WINDOW, clock::get);

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldGiveUpAtTheDeadlineWhenTheRegistryTricklesItsAnswer() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    registry.trickle = Duration.ofMillis(20); // every read is quick, the whole answer takes seconds

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.schemaById(pingId))
        .isInstanceOf(SchemaRegistryException.Unavailable.class)
        .hasMessage(
            "cannot fetch schema id "
                + pingId
                + ": schema registry "
                + registry.url()
                + " unreachable (no answer within 300 ms)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);

    registry.trickle = Duration.ZERO;
    assertThat(client.schemaById(pingId)).isEqualTo(AvroCodec.PING);
  }

  @Test
  void shouldGiveUpAtTheDeadlineWhenTheRegistryTakesTheRequestButNeverAnswers() {
    registry.hang = true;

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.register("ping-value", AvroCodec.PING))
        .isInstanceOf(SchemaRegistryException.Unavailable.class)
        .hasMessageEndingWith("unreachable (no answer within 300 ms)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
  }

  @Test
  void shouldStartTheNextCallAtTheNextUrlWhenOneUrlTookTheWholeDeadline() throws Exception {
    try (FakeRegistry hanging = FakeRegistry.started()) {
      hanging.hang = true;
      SchemaRegistryClient failover =
          new SchemaRegistryClient(
              FakeRegistry.connection(hanging.url() + "," + registry.url()), DEADLINE);
      int pingId = registry.register(AvroCodec.PING);

      assertThatThrownBy(() -> failover.schemaById(pingId))
          .isInstanceOf(SchemaRegistryException.Unavailable.class);

      assertThat(failover.schemaById(pingId)).isEqualTo(AvroCodec.PING);
      assertThat(hanging.requests).hasSize(1);
    }
  }

  @Test
  void shouldRefuseAnAnswerOverTheLimitAndCacheNothingWhetherItsLengthIsSaidOrNot()
      throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    registry.failWithStatus = 200;
    registry.failBody = "{\"schema\":\"" + "x".repeat(LIMIT) + "\"}";
    for (boolean chunked : new boolean[] {false, true}) {
      registry.chunked = chunked;

      assertThatThrownBy(() -> client.schemaById(pingId))
          .isInstanceOf(SchemaRegistryException.Misconfigured.class)
          .hasMessage(
              "cannot fetch schema id "
                  + pingId
                  + ": schema registry "
                  + registry.url()
                  + " answered HTTP 200 at /schemas/ids/"
                  + pingId
                  + " with more than 1000 bytes, the limit");
    }

    registry.failWithStatus = 0;
    assertThat(client.schemaById(pingId)).isEqualTo(AvroCodec.PING);
    assertThat(registry.requests).hasSize(3);
  }

  @Test
  void shouldJudgeAnOversizedErrorPageByItsStatus() {
    registry.failWithStatus = 503;
    registry.failBody = "<html>" + "x".repeat(LIMIT) + "</html>";

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(SchemaRegistryException.Unavailable.class)
        .hasMessageEndingWith("answered HTTP 503");
  }

  @Test
  void shouldAskOnceForAnUnknownIdWithinTheWindowAndAgainAfterIt() throws Exception {
    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessage("unknown schema id 1");
    int pingId = registry.register(AvroCodec.PING); // id 1 now exists, as on a lagging replica
    clock.addAndGet(WINDOW.minusMillis(1).toNanos());

    assertThatThrownBy(() -> client.schemaById(pingId))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessage("unknown schema id 1");
    assertThat(registry.requests).containsExactly("GET /schemas/ids/1");

    clock.addAndGet(Duration.ofMillis(1).toNanos());
    assertThat(client.schemaById(pingId)).isEqualTo(AvroCodec.PING);
    assertThat(registry.requests).containsExactly("GET /schemas/ids/1", "GET /schemas/ids/1");
  }

  @Test
  void shouldRememberASchemaThatIsNotAvroAsBrieflyAsAnUnknownId() {
    int json = registry.registerRaw("{\"type\":\"record\",\"name\":\"P\",\"fields\":[]}");
    registry.failWithStatus = 200;
    registry.failBody = "{\"schemaType\":\"JSON\",\"schema\":\"{}\"}";

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.schemaById(json))
          .isInstanceOf(UnknownSchemaException.class)
          .hasMessage("schema id " + json + " is a JSON schema, not Avro");
    }
    assertThat(registry.requests).hasSize(1);
  }
}
