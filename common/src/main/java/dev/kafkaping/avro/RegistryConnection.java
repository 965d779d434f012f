package dev.kafkaping.avro;

import dev.kafkaping.cli.UserError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the schema registry is and how to log in, read from the same properties Confluent's clients
 * take ({@code schema.registry.url}, {@code basic.auth.credentials.source}, {@code
 * basic.auth.user.info}), so that an existing client config file works as it is.
 *
 * @param authorization the value of an HTTP {@code Authorization} header, if any; never print it
 */
public record RegistryConnection(URI url, Optional<String> authorization) {
  public static final String URL = "schema.registry.url";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String USER_INFO = "basic.auth.user.info";

  /** Is this client property the registry's rather than Kafka's? */
  public static boolean isRegistryProperty(String key) {
    return key.startsWith("schema.registry.") || key.startsWith("basic.auth.");
  }

  /**
   * The registry named by {@code --schema-registry} (or its environment variable), else by the
   * properties' {@code schema.registry.url}; empty if neither names one.
   */
  public static Optional<RegistryConnection> of(
      Optional<String> option, Map<String, String> properties) {
    Optional<String> url =
        option.filter(u -> !u.isBlank()).or(() -> Optional.ofNullable(properties.get(URL)));
    if (url.isEmpty()) {
      return Optional.empty();
    }
    URI uri = parse(url.get());
    String source = properties.getOrDefault(CREDENTIALS_SOURCE, "");
    Optional<String> userInfo =
        switch (source) {
          case "", "URL" -> Optional.ofNullable(uri.getUserInfo());
          case "USER_INFO" ->
              Optional.ofNullable(properties.get(USER_INFO))
                  .or(
                      () -> {
                        throw new UserError(
                            CREDENTIALS_SOURCE
                                + "=USER_INFO needs "
                                + USER_INFO
                                + "=user:password");
                      });
          default ->
              throw new UserError(
                  CREDENTIALS_SOURCE + " must be USER_INFO or URL, got '" + source + "'");
        };
    return Optional.of(
        new RegistryConnection(
            withoutUserInfo(uri),
            userInfo.map(
                info ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(info.getBytes(StandardCharsets.UTF_8)))));
  }

  private static URI parse(String text) {
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UserError(
        "--schema-registry needs an http:// or https:// URL, e.g."
            + " http://localhost:8081/apis/ccompat/v7, got '"
            + text
            + "'");
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return url.toString(); // never the credentials
  }
}
