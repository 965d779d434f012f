package dev.kafkaping.kafka;

import dev.kafkaping.cli.UserError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Two requests a plaintext Kafka client would send first, on an open socket: ApiVersions, which a
 * SASL listener also answers, then Metadata, which it answers only after authentication. A broker
 * that closes the connection at either one wants what this client is not configured for.
 */
final class KafkaHandshake {
  private static final String CLIENT_ID = "kafka-ping-probe";
  // A TLS listener answers plaintext bytes with a TLS alert record, if anything.
  private static final int TLS_ALERT = 0x15;
  private static final int MAX_RESPONSE = 64 * 1024 * 1024;

  private KafkaHandshake() {}

  /** Returns when the broker answers both requests before the deadline; throws otherwise. */
  static void requireAnswers(Socket socket, String address, long deadline) {
    short metadataVersion;
    try {
      ByteBuffer versions = exchange(socket, apiVersionsV0(), deadline);
      metadataVersion = metadataVersion(versions, address);
    } catch (Closed e) {
      throw new UserError(
          "the broker at "
              + address
              + " closed the connection at the first request: it probably needs TLS (set"
              + " security.protocol=SSL or SASL_SSL in --command-config)");
    } catch (SocketTimeoutException e) {
      throw silent(address);
    } catch (IOException e) {
      throw new UserError("the broker at " + address + " failed the first request: " + e);
    }
    try {
      exchange(socket, metadata(metadataVersion), deadline);
    } catch (Closed e) {
      throw new UserError(
          "the broker at "
              + address
              + " closed the connection at the first request: it probably needs SASL (set"
              + " security.protocol=SASL_PLAINTEXT or SASL_SSL and sasl.mechanism,"
              + " sasl.jaas.config in --command-config)");
    } catch (SocketTimeoutException e) {
      throw silent(address);
    } catch (IOException e) {
      throw new UserError("the broker at " + address + " failed the first request: " + e);
    }
  }

  private static UserError silent(String address) {
    return new UserError(
        address
            + " accepted the connection but answered no Kafka request in time: is it a Kafka"
            + " broker's client port?");
  }

  /** The connection ended (or turned out to speak TLS) where a Kafka answer was due. */
  private static final class Closed extends IOException {
    Closed(String message) {
      super(message);
    }
  }

  private static ByteBuffer exchange(Socket socket, ByteBuffer request, long deadline)
      throws IOException {
    int millis = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    socket.setSoTimeout(millis);
    try {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(request.remaining());
      out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int size = in.readInt();
      if (size >>> 24 == TLS_ALERT) {
        throw new Closed("TLS alert");
      }
      if (size < 4 || size > MAX_RESPONSE) {
        throw new IOException("it answered " + size + " bytes, which is not Kafka");
      }
      byte[] response = new byte[size];
      in.readFully(response);
      return ByteBuffer.wrap(response);
    } catch (EOFException e) {
      throw new Closed("end of stream");
    } catch (SocketException e) {
      throw new Closed(e.getMessage()); // connection reset by the broker
    }
  }

  private static ByteBuffer apiVersionsV0() {
    short version = 0; // every broker answers version 0 of ApiVersions, whatever else it supports
    return new ApiVersionsRequest.Builder()
        .build(version)
        .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, version, CLIENT_ID, 1));
  }

  private static ByteBuffer metadata(short version) {
    return new MetadataRequest.Builder(List.of(), false)
        .build(version)
        .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, version, CLIENT_ID, 2));
  }

  /**
   * The newest Metadata version both sides know, from an ApiVersions v0 response: correlation id,
   * error code, then (key, min, max) triples.
   */
  private static short metadataVersion(ByteBuffer response, String address) throws IOException {
    try {
      response.getInt(); // correlation id
      response.getShort(); // error code: even UNSUPPORTED_VERSION comes with the list
      int count = response.getInt();
      for (int i = 0; i < count; i++) {
        short key = response.getShort();
        short min = response.getShort();
        short max = response.getShort();
        if (key == ApiKeys.METADATA.id) {
          short ours = ApiKeys.METADATA.latestVersion();
          if (max < ApiKeys.METADATA.oldestVersion() || min > ours) {
            throw new UserError(
                "the broker at " + address + " speaks no Metadata version this client knows");
          }
          return (short) Math.min(max, ours);
        }
      }
    } catch (BufferUnderflowException e) {
      throw new IOException("it answered ApiVersions with a truncated response");
    }
    throw new IOException("it answered ApiVersions without Metadata");
  }
}
