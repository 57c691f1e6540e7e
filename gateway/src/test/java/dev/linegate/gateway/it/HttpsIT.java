package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.linegate.connectors.Secret;
import dev.linegate.connectors.tls.TlsFiles;
import dev.linegate.gateway.Gateway;
import dev.linegate.gateway.auth.Role;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with the plant's certificate (SPEC section 11, {@code gateway.http.tls}): a
 * client that trusts the plant's CA gets its answers, a client speaking plain HTTP to the port gets
 * none. The key is encrypted, as a plant's CA may hand it out, and its password comes from the
 * environment.
 */
class HttpsIT {

  private static final String KEY_PASSWORD = "key-Secret-1234";

  @TempDir Path dir;

  @Test
  void theApiAnswersOverHttpsOnlyWithThePlantsCertificate() throws Exception {
    TestCertificates.Pem pem = TestCertificates.write(dir, "plant");
    Path encryptedKey = encrypt(pem.serverKey(), dir.resolve("plant-server-key.enc.pem"));
    int httpPort = TestConfig.freePort();
    try (Mosquitto mosquitto = Mosquitto.start(dir)) {
      Path config =
          TestConfig.write(dir, httpPort, mosquitto.url(), "http://127.0.0.1:9/api/events");
      Files.writeString(
          config,
          Files.readString(config)
              .replace(
                  "http: { host: 127.0.0.1, port: " + httpPort + " }",
                  "http: { host: 127.0.0.1, port: %d, tls: { cert: %s, key: %s, keyPassword: \"${KEY_PASSWORD}\" } }"
                      .formatted(httpPort, pem.serverCert(), encryptedKey)));
      HttpClient trusting =
          HttpClient.newBuilder()
              .sslContext(
                  new TlsFiles(
                          Optional.of(pem.ca()), Optional.empty(), Optional.empty(), new Secret(""))
                      .clientContext())
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      URI health = URI.create("https://localhost:" + httpPort + "/health");
      try (Gateway gateway = InProcessGateway.start(config, Map.of("KEY_PASSWORD", KEY_PASSWORD))) {
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> get(trusting, health).statusCode() > 0);
        HttpResponse<String> answer = get(trusting, health);
        assertThat(answer.body()).contains("\"checks\"").doesNotContain(KEY_PASSWORD);
        assertThat(answer.sslSession()).isPresent();

        // Under TLS the session cookie is Secure: a browser never sends it over plain HTTP.
        TestUsers.ensure(TestConfig.dataDir(config), "qa-tls", Role.VIEWER);
        HttpResponse<String> login =
            trusting.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + httpPort + "/api/session"))
                    .header("Content-Type", "application/json")
                    .header("Origin", "https://localhost:" + httpPort)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"user\": \"qa-tls\", \"password\": \"" + TestUsers.PASSWORD + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
            .containsIgnoringCase("; Secure")
            .containsIgnoringCase("HttpOnly");

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> get(plain, URI.create("http://localhost:" + httpPort + "/health")))
            .isInstanceOf(IOException.class);
        // Nor does a client that does not trust the plant's CA get an answer.
        assertThatThrownBy(() -> get(plain, health)).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsStartNamingTheKey() throws Exception {
    TestCertificates.Pem plant = TestCertificates.write(dir, "plant");
    TestCertificates.Pem other = TestCertificates.write(dir, "other");
    int httpPort = TestConfig.freePort();
    Path config = TestConfig.write(dir, httpPort, "tcp://127.0.0.1:9", "http://127.0.0.1:9/x");
    Files.writeString(
        config,
        Files.readString(config)
            .replace(
                "http: { host: 127.0.0.1, port: " + httpPort + " }",
                "http: { host: 127.0.0.1, port: %d, tls: { cert: %s, key: %s } }"
                    .formatted(httpPort, plant.serverCert(), other.serverKey())));
    assertThatThrownBy(() -> InProcessGateway.start(config))
        .hasMessageContaining("gateway.http.tls.key: ")
        .hasMessageContaining("is not the key of the certificate in " + plant.serverCert());
  }

  private static HttpResponse<String> get(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The key again, as encrypted PKCS#8 (AES-256-CBC) under {@link #KEY_PASSWORD}. */
  private static Path encrypt(Path key, Path to) throws Exception {
    OutputEncryptor encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPassword(KEY_PASSWORD.toCharArray())
            .build();
    try (Writer out = Files.newBufferedWriter(to);
        JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(new JcaPKCS8Generator(TlsFiles.privateKey(key, new Secret("")), encryptor));
    }
    return to;
  }
}
