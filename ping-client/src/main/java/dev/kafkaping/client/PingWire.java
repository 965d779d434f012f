package dev.kafkaping.client;

import dev.kafkaping.avro.AvroCodec;
import dev.kafkaping.avro.SchemaRegistryClient;
import dev.kafkaping.avro.SchemaRegistryException;
import dev.kafkaping.cli.UserError;
import dev.kafkaping.message.MalformedMessageException;
import dev.kafkaping.message.PingEnvelope;
import dev.kafkaping.message.Pong;
import dev.kafkaping.message.WireCodec;
import dev.kafkaping.message.WireFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How this client writes its pings (JSON, or Avro under a registered schema id) and reads pongs:
 * JSON always, Avro whenever a schema registry is configured, whatever format the pings use.
 */
final class PingWire {
  static final PingWire JSON = new PingWire(Optional.empty(), OptionalInt.empty());

  private final Optional<AvroCodec> avro;
  private final OptionalInt pingSchemaId; // present when pings are written in Avro

  private PingWire(Optional<AvroCodec> avro, OptionalInt pingSchemaId) {
    this.avro = avro;
    this.pingSchemaId = pingSchemaId;
  }

  /**
   * Registers the Ping schema for {@code --format avro}; an unreachable or refusing registry is a
   * {@link UserError}, like an unreachable broker.
   */
  static PingWire connect(PingConfig config) {
    if (config.registry().isEmpty()) {
      return JSON;
    }
    AvroCodec avro =
        new AvroCodec(new SchemaRegistryClient(config.registry().get(), config.timeout()));
    if (config.format() != WireFormat.AVRO) {
      return new PingWire(Optional.of(avro), OptionalInt.empty()); // for a third party's Avro pongs
    }
    int pingSchemaId;
    try {
      pingSchemaId = avro.registerPing(config.pingTopic());
    } catch (SchemaRegistryException e) {
      throw new UserError(e.getMessage());
    }
    avro.prefetchPong(config.pongTopic());
    return new PingWire(Optional.of(avro), OptionalInt.of(pingSchemaId));
  }

  byte[] encode(PingEnvelope envelope) {
    return pingSchemaId.isPresent()
        ? AvroCodec.encodePing(envelope, pingSchemaId.getAsInt())
        : WireCodec.encodePing(envelope);
  }

  Pong decode(byte[] value) throws MalformedMessageException, SchemaRegistryException {
    return switch (WireFormat.of(value)) {
      case JSON -> WireCodec.decodePong(value);
      case AVRO -> {
        if (avro.isEmpty()) {
          throw new MalformedMessageException(
              "an Avro pong, but no --schema-registry to read it with");
        }
        yield avro.get().decodePong(value);
      }
    };
  }
}
