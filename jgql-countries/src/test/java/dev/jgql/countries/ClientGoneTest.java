package dev.jgql.countries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that disappears in the middle of a request is normal life for a server (a client timed out, a
 * chaos test cut the link): the backend drops that exchange without logging an error, and keeps serving.
 * Vert.x logs through java.util.logging here, as this module has no SLF4J provider.
 */
@Timeout(30)
class ClientGoneTest {

  private final List<LogRecord> severe = new CopyOnWriteArrayList<>();
  private final Logger vertxLogger = Logger.getLogger("io.vertx");
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void recordVertxErrors() {
    vertxLogger.addHandler(recorder);
  }

  @AfterEach
  void stopRecording() {
    vertxLogger.removeHandler(recorder);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Test
  void aClientThatResetsItsConnectionMidBodyIsDroppedQuietly() throws Exception {
    try (CountriesServer server = CountriesServer.start(0)) {
      for (int i = 0; i < 3; i++) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
          socket.setSoTimeout(10_000);
          OutputStream out = socket.getOutputStream();
          // Announces 100 bytes of body and waits for "100 Continue", proof that the server is reading the
          // body; then sends one byte and resets the connection (RST, not FIN).
          out.write(("POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Expect: 100-continue\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          assertThat(readLine(socket.getInputStream())).isEqualTo("HTTP/1.1 100 Continue");
          out.write('{');
          out.flush();
          socket.setSoLinger(true, 0);
        }
      }

      // The server still answers, and logged no error for the abandoned exchanges.
      JsonObject answer = GraphQLHttp.post(server.httpUri(), "{ country(code: \"FR\") { name } }", new JsonObject());
      assertThat(answer.getJsonObject("data").getJsonObject("country").getString("name")).isEqualTo("France");
    }
    assertThat(severe).extracting(LogRecord::getMessage).isEmpty();
  }
}
