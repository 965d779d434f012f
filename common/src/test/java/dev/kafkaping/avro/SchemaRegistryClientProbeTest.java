package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientProbeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final FakeRegistry registry = FakeRegistry.started();
  private final SchemaRegistryClient client =
      new SchemaRegistryClient(registry.connection(), TIMEOUT);

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  @Test
  void shouldReturnWhenTheUrlIsTheBaseOfAnApiThatServesAvro() throws Exception {
    client.probe(TIMEOUT);

    assertThat(registry.requests).containsExactly("GET /schemas/types");
  }

  @Test
  void shouldAskWhetherTheUrlIsTheApisBaseWhenTheProbeIsAnswered404() {
    registry.failWithStatus = 404;

    assertThatThrownBy(() -> client.probe(TIMEOUT))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessage(
            "cannot use the schema registry: schema registry "
                + registry.url()
                + " answered HTTP 404 at /schemas/types, not the API's JSON; is the URL the base"
                + " of a Confluent-compatible API, e.g. http://localhost:8081/apis/ccompat/v7?");
  }

  @Test
  void shouldSayNotAuthorizedWithoutThePasswordWhenTheProbeIsAnswered401() {
    registry.failWithStatus = 401;
    registry.failBody = "{\"error_code\":401,\"message\":\"Unauthorized\"}";
    String withPassword = registry.url().replace("//", "//bob:s3cret-pw@");
    SchemaRegistryClient bob =
        new SchemaRegistryClient(FakeRegistry.connection(withPassword), TIMEOUT);

    assertThatThrownBy(() -> bob.probe(TIMEOUT))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessage(
            "cannot use the schema registry: schema registry "
                + registry.url()
                + " answered HTTP 401: not authorized (check basic.auth.credentials.source and"
                + " basic.auth.user.info)")
        .message()
        .doesNotContain("s3cret-pw");
  }

  @Test
  void shouldCallAnUnreachableRegistryUnavailableSoThatTheServerMayStartWithoutIt() {
    RegistryConnection closed = registry.connection();
    registry.close();

    assertThatThrownBy(() -> new SchemaRegistryClient(closed, TIMEOUT).probe(TIMEOUT))
        .isInstanceOf(SchemaRegistryException.Unavailable.class)
        .hasMessage(
            "cannot use the schema registry: schema registry "
                + closed
                + " unreachable (connection refused)");
  }

  @Test
  void shouldSayNoAvroWhenTheRegistryServesOtherSchemaTypesOnly() {
    registry.failWithStatus = 200;
    registry.failBody = "[\"JSON\",\"PROTOBUF\"]";

    assertThatThrownBy(() -> client.probe(TIMEOUT))
        .isInstanceOf(SchemaRegistryException.Misconfigured.class)
        .hasMessageEndingWith("serves no Avro schemas, only [\"JSON\",\"PROTOBUF\"]");
  }

  @Test
  void shouldSendTheCredentialsOfTheConfigWithTheProbe() throws Exception {
    RegistryConnection withUserInfo =
        RegistryConnection.of(
                Optional.of(registry.url()),
                Map.of(
                    RegistryConnection.CREDENTIALS_SOURCE, "USER_INFO",
                    RegistryConnection.USER_INFO, "bob:pw"))
            .orElseThrow();

    new SchemaRegistryClient(withUserInfo, TIMEOUT).probe(TIMEOUT);

    assertThat(registry.authorizations).containsExactly("Basic Ym9iOnB3");
  }
}
