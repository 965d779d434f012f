package dev.kafkaping.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kafkaping.cli.UserError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryConnectionTest {
  private static final String URL = "http://localhost:8081/apis/ccompat/v7";

  @Test
  void shouldNameNoRegistryWhenNeitherTheOptionNorTheConfigDoes() {
    assertThat(RegistryConnection.of(Optional.empty(), Map.of())).isEmpty();
    assertThat(RegistryConnection.of(Optional.of(""), Map.of())).isEmpty();
  }

  @Test
  void shouldPreferTheOptionToTheConfigsUrlAndDropATrailingSlash() {
    RegistryConnection registry =
        RegistryConnection.of(
                Optional.of(URL + "/"), Map.of(RegistryConnection.URL, "http://other:8081"))
            .orElseThrow();

    assertThat(registry.urls()).containsExactly(java.net.URI.create(URL));
    assertThat(registry.authorization()).isEmpty();
  }

  @Test
  void shouldTakeTheUrlFromTheConfigAsConfluentsClientsDo() {
    assertThat(RegistryConnection.of(Optional.empty(), Map.of(RegistryConnection.URL, URL)))
        .get()
        .hasToString(URL);
  }

  @Test
  void shouldLogInWithBasicAuthFromUserInfo() {
    RegistryConnection registry =
        RegistryConnection.of(
                Optional.of(URL),
                Map.of(
                    RegistryConnection.CREDENTIALS_SOURCE, "USER_INFO",
                    RegistryConnection.USER_INFO, "alice:s3cret:with-colon"))
            .orElseThrow();

    assertThat(registry.authorization()).contains(basic("alice:s3cret:with-colon"));
    assertThat(registry.toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldLogInWithTheUrlsUserInfoAndNeverShowIt() {
    RegistryConnection registry =
        RegistryConnection.of(
                Optional.of("http://bob:pa%40ss@registry:8081/apis/ccompat/v7"), Map.of())
            .orElseThrow();

    assertThat(registry.authorization()).contains(basic("bob:pa@ss"));
    assertThat(registry).hasToString("http://registry:8081/apis/ccompat/v7");
  }

  @Test
  void shouldRefuseUserInfoWithoutCredentialsAndAnUnknownSource() {
    assertThatThrownBy(
            () ->
                RegistryConnection.of(
                    Optional.of(URL), Map.of(RegistryConnection.CREDENTIALS_SOURCE, "USER_INFO")))
        .isInstanceOf(UserError.class)
        .hasMessage(
            "basic.auth.credentials.source=USER_INFO needs basic.auth.user.info=user:password");
    assertThatThrownBy(
            () ->
                RegistryConnection.of(
                    Optional.of(URL),
                    Map.of(RegistryConnection.CREDENTIALS_SOURCE, "SASL_INHERIT")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("must be USER_INFO or URL, got 'SASL_INHERIT'");
  }

  @Test
  void shouldTakeACommaSeparatedListAsConfluentsClientsDo() {
    RegistryConnection registry =
        RegistryConnection.of(
                Optional.empty(), Map.of(RegistryConnection.URL, "http://r1:8081, http://r2:8081/"))
            .orElseThrow();

    assertThat(registry.urls())
        .containsExactly(
            java.net.URI.create("http://r1:8081"), java.net.URI.create("http://r2:8081"));
  }

  @Test
  void shouldNotShowAPasswordInTheUrlWhenRefusingIt() {
    assertThatThrownBy(
            () -> RegistryConnection.of(Optional.of("ftp://bob:s3cret@host/x"), Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageEndingWith("got 'ftp://***@host/x'");
    assertThatThrownBy(() -> RegistryConnection.of(Optional.of("ftp://bob:p@s/s@host"), Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageEndingWith("got 'ftp://***@host'");
  }

  @Test
  void shouldRefuseAUrlThatIsNotHttpInOneLine() {
    assertThatThrownBy(() -> RegistryConnection.of(Optional.of("localhost:8081"), Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("--schema-registry needs an http:// or https:// URL");
  }

  private static String basic(String userInfo) {
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }
}
