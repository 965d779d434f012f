package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which failures are an outage to wait out and which a configuration to fix. */
class SchemaRegistryClientTest {
  private final FakeRegistry registry = FakeRegistry.started();
  private final SchemaRegistryClient client =
      new SchemaRegistryClient(registry.connection(), Duration.ofSeconds(5));

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldCallTheRegistryUnavailableWhenItAnswers5xx408Or429() {
    for (int status : new int[] {500, 502, 503, 408, 429}) {
      registry.failWithStatus = status;

      assertThatThrownBy(() -> client.schemaById(1))
          .isInstanceOf(SchemaRegistryException.Unavailable.class)
          .hasMessage(
              "cannot fetch schema id 1: schema registry "
                  + registry.url()
                  + " answered HTTP "
                  + status);
    }
  }

  @Test
  void shouldCallTheRegistryUnavailableWhenNothingListens() {
    RegistryConnection closed = registry.connection();
    registry.close();

    assertThatThrownBy(() -> new SchemaRegistryClient(closed, Duration.ofSeconds(2)).schemaById(1))
        .isInstanceOf(SchemaRegistryException.Unavailable.class)
        .hasMessage(
            "cannot fetch schema id 1: schema registry "
                + closed
                + " unreachable (connection"
                + " refused)");
  }

  @Test
  void shouldCallRefusedCredentialsMisconfiguredWhenTheRegistryAnswers401Or403() {
    for (int status : new int[] {401, 403}) {
      registry.failWithStatus = status;
      registry.failBody = "{\"error_code\":" + status + "01,\"message\":\"Unauthorized\"}";

      assertThatThrownBy(() -> client.register("pong-value", AvroCodec.PONG))
          .isInstanceOf(SchemaRegistryException.Misconfigured.class)
          .hasMessageEndingWith(
              "answered HTTP "
                  + status
                  + ": not authorized (check basic.auth.credentials.source and"
                  + " basic.auth.user.info)");
    }
  }

  @Test
  void shouldCallA404MisconfiguredWhenItIsNotTheApisOwnError() {
    String[] notTheApis = {
      "<html>Not Found</html>",
      "",
      // Confluent's registry for a path it does not have
      "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}",
      // Apicurio 3 below its /apis/ccompat/v7 (as answered by 3.3.3 here)
      "{\"detail\":\"NotFoundException: RESTEASY003210: Could not find resource for full path:"
          + " http://127.0.0.1/schemas/ids/1\",\"status\":404,\"name\":\"NotFoundException\"}"
    };
    registry.failWithStatus = 404;
    for (String body : notTheApis) {
      registry.failBody = body;

      assertThatThrownBy(() -> client.schemaById(1))
          .isInstanceOf(SchemaRegistryException.Misconfigured.class)
          .hasMessage(
              "cannot fetch schema id 1: schema registry "
                  + registry.url()
                  + " answered HTTP 404 at /schemas/ids/1, not the API's JSON; is the URL the base"
                  + " of a Confluent-compatible API, e.g. http://localhost:8081/apis/ccompat/v7?");
    }
  }

  @Test
  void shouldCallAnUnknownIdUnknownWhenTheApiSaysSchemaNotFound() {
    assertThatThrownBy(() -> client.schemaById(4242))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessage("unknown schema id 4242");
  }

  @Test
  void shouldCallAnIncompatibleSchemaMisconfiguredWhenRegisteringIsAnswered409() {
    // Apicurio 3.3.3's words, shortened.
    registry.failWithStatus = 409;
    registry.failBody =
        "{\"message\":\"Incompatible artifact: pong-value [AVRO], num of incompatible diffs:"
            + " {1}\",\"error_code\":409}";

    assertThatThrownBy(() -> client.register("pong-value", AvroCodec.PONG))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessage(
            "cannot register the schema of subject 'pong-value': schema registry "
                + registry.url()
                + " answered HTTP 409 (Incompatible artifact: pong-value [AVRO], num of"
                + " incompatible diffs: {1})");
    assertThat(registry.requests)
        .containsExactly(
            "POST /subjects/pong-value",
            "POST /subjects/pong-value/versions",
            "POST /subjects/pong-value");
  }

  @Test
  void shouldCallAnAnswerThatIsNotTheApisJsonMisconfigured() {
    registry.failWithStatus = 200;
    registry.failBody = "<html>Welcome to nginx</html>";

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessageContaining("answered HTTP 200 at /schemas/ids/1, not the API's JSON");
  }

  @Test
  void shouldCallARegistrationAnsweredWithoutAnIdMisconfigured() {
    registry.failWithStatus = 200;
    registry.failBody = "{\"version\":1}";

    assertThatThrownBy(() -> client.register("pong-value", AvroCodec.PONG))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessageEndingWith("answered without a schema id: {\"version\":1}");
  }

  @Test
  void shouldForgetAFailureOfEitherKindSoThatTheNextCallAsksAgain() throws Exception {
    int pingId = registry.register(AvroCodec.PING);
    registry.failWithStatus = 503;
    assertThatThrownBy(() -> client.schemaById(pingId))
        .isInstanceOf(SchemaRegistryException.Unavailable.class);
    registry.failWithStatus = 401;
    assertThatThrownBy(() -> client.schemaById(pingId))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class);

    registry.failWithStatus = 0;

    assertThat(client.schemaById(pingId)).isEqualTo(AvroCodec.PING);
    assertThat(registry.requests).hasSize(3);
  }
}
