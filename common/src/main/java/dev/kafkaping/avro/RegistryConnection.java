package dev.kafkaping.avro;

import dev.kafkaping.cli.UserError;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the schema registry is and how to log in, read from the same properties Confluent's clients
 * take ({@code schema.registry.url}, {@code basic.auth.credentials.source}, {@code
 * basic.auth.user.info}), so that an existing client config file works as it is.
 *
 * @param urls one or more registry URLs (a comma-separated list, as Confluent's clients take it),
 *     tried in order until one answers; never with credentials in them
 * @param authorization the value of an HTTP {@code Authorization} header, if any; never print it
 */
public record RegistryConnection(List<URI> urls, Optional<String> authorization) {
  public static final String URL = "schema.registry.url";
  public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String USER_INFO = "basic.auth.user.info";

  public RegistryConnection {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no registry URL");
    }
  }

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
    Optional<String> text =
        option.filter(u -> !u.isBlank()).or(() -> Optional.ofNullable(properties.get(URL)));
    if (text.isEmpty()) {
      return Optional.empty();
    }
    List<URI> urls = new ArrayList<>();
    for (String url : text.get().split(",")) {
      urls.add(parse(url.strip()));
    }
    String source = properties.getOrDefault(CREDENTIALS_SOURCE, "");
    Optional<String> userInfo =
        switch (source) {
          case "", "URL" ->
              urls.stream().map(URI::getUserInfo).filter(info -> info != null).findFirst();
          case "USER_INFO" -> {
            String info = properties.get(USER_INFO);
            if (info == null) {
              throw new UserError(
                  CREDENTIALS_SOURCE + "=USER_INFO needs " + USER_INFO + "=user:password");
            }
            yield Optional.of(info);
          }
          default ->
              throw new UserError(
                  CREDENTIALS_SOURCE + " must be USER_INFO or URL, got '" + source + "'");
        };
    return Optional.of(
        new RegistryConnection(
            urls.stream().map(RegistryConnection::withoutUserInfo).toList(),
            userInfo.map(
                info ->
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(info.getBytes(StandardCharsets.UTF_8)))));
  }

  private static URI parse(String text) {
    String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    try {
      URI uri = new URI(trimmed);
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
            + trimmed.replaceFirst("//.*@", "//***@")
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
    return urls.stream().map(URI::toString).collect(Collectors.joining(",")); // never credentials
  }
}
