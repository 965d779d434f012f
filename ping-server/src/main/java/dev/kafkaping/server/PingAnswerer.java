package dev.kafkaping.server;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.kafka.KafkaErrors;
import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.message.WireFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One try at a ping record: a valid ping, JSON or Avro, is answered in its own format; anything
 * else is dead-lettered.
 */
final class PingAnswerer {
  private static final Logger log = LoggerFactory.getLogger(PingAnswerer.class);
  static final int MAX_HEADER_BYTES = 16 * 1024;
  // Each distinct refusal is logged once; a registry that words every refusal differently is
  // still not allowed to flood the log.
  private static final int MAX_REFUSALS_LOGGED = 10;

  private final PongResponder responder;
  private final DeadLetters deadLetters;
  private final Optional<AvroCodec> avro;
  private final ServerStats stats;
  private final Set<String> registryRefusals = ConcurrentHashMap.newKeySet();
  private final ReplyRoutes routes;
  private final ReplyTopics replyTopics;

  PingAnswerer(
      PongResponder responder,
      ReplyRoutes routes,
      ReplyTopics replyTopics,
      DeadLetters deadLetters,
      Optional<AvroCodec> avro,
      ServerStats stats) {
    this.responder = responder;
    this.routes = routes;
    this.replyTopics = replyTopics;
    this.deadLetters = deadLetters;
    this.avro = avro;
    this.stats = stats;
  }

  Attempt tryOnce(ConsumerRecord<byte[], byte[]> record) {
    WireFormat format = WireFormat.of(record.value());
    PingEnvelope envelope;
    ReplyRoute route;
    Function<Pong, byte[]> encoder;
    try {
      envelope = decode(record, format);
      route = routes.of(record.headers());
      if (route instanceof ReplyRoute.RequestReply reply) {
        switch (replyTopics.check(reply)) {
          case ReplyTopics.Check.Usable usable -> {}
          case ReplyTopics.Check.Refused refused -> {
            return deadLetter(record, "reply_topic", refused.reason(), Level.WARN);
          }
          case ReplyTopics.Check.Unsure unsure -> {
            return new Attempt.Failed(unsure.reason());
          }
        }
      }
      // The pong schema lives under the server's own subject, whatever topic the pong goes to:
      // a reply topic's subject belongs to whoever owns that topic, and readers look ids up.
      encoder = responder.encoder(format, routes.pongTopic());
    } catch (MalformedMessageException e) {
      return deadLetter(record, "malformed", e.getMessage(), Level.WARN);
    } catch (SchemaRegistryException e) {
      return switch (e) {
        // Not the ping's fault: it waits, uncommitted, until the registry answers again.
        case SchemaRegistryException.Unavailable outage ->
            new Attempt.WaitingForRegistry(outage.getMessage());
        case SchemaRegistryException.Misconfigured refused -> refusedByRegistry(record, refused);
      };
    }
    Attempt answered = responder.answer(record, envelope, route, encoder);
    if (route instanceof ReplyRoute.RequestReply
        && answered instanceof Attempt.Fatal fatal
        && KafkaErrors.unwrap(fatal.error()) instanceof TopicAuthorizationException) {
      // Only this client's reply topic is out of reach, not the server's own topics.
      return deadLetter(
          record,
          "reply_topic",
          "not authorized to write reply topic '" + route.topic() + "'",
          Level.WARN);
    }
    if (answered instanceof Attempt.Done) {
      stats.answered(route.topic());
      log.debug("Pong:{} answered {}", envelope.body().sessionId(), PingRecords.position(record));
    }
    return answered;
  }

  /**
   * No retry can help until someone fixes the registry settings: one line says so, and the ping is
   * dead-lettered with the reason rather than holding its partition back forever.
   */
  private Attempt refusedByRegistry(
      ConsumerRecord<byte[], byte[]> record, SchemaRegistryException.Misconfigured refused) {
    String reason = refused.getMessage();
    if (registryRefusals.size() < MAX_REFUSALS_LOGGED && registryRefusals.add(reason)) {
      log.error("the schema registry refuses: {}; Avro pings are dead-lettered", reason);
    }
    return deadLetter(record, "schema_registry", "schema registry: " + reason, Level.DEBUG);
  }

  /** {@code kind} is the reason's kind for the metrics, {@code reason} the record's own. */
  private Attempt deadLetter(
      ConsumerRecord<byte[], byte[]> record, String kind, String reason, Level level) {
    Attempt copied = deadLetters.copy(record, reason, level);
    if (copied instanceof Attempt.Done(Handled.DeadLettered(boolean onTheTopic)) && onTheTopic) {
      stats.deadLettered(kind, deadLetters.topic());
    }
    return copied;
  }

  private PingEnvelope decode(ConsumerRecord<byte[], byte[]> record, WireFormat format)
      throws MalformedMessageException, SchemaRegistryException {
    int headerBytes = 0;
    for (Header header : record.headers()) {
      headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    if (headerBytes > MAX_HEADER_BYTES) {
      throw new MalformedMessageException(
          "headers too large: " + headerBytes + " bytes (limit " + MAX_HEADER_BYTES + ")");
    }
    return switch (format) {
      case JSON -> WireCodec.decodePing(record.value());
      case AVRO -> {
        if (avro.isEmpty()) {
          throw new MalformedMessageException(
              "an Avro ping (schema id "
                  + AvroCodec.schemaId(record.value())
                  + "), but this server has no --schema-registry to read it with");
        }
        yield avro.get().decodePing(record.value());
      }
    };
  }
}
