package dev.linegate.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first admin and the first token, made with the jar's commands before the gateway ever ran, as
 * a plant engineer makes them (SPEC section 11); the password comes on standard input, never as an
 * argument, and is nowhere in what the commands print.
 */
class UsersCommandIT {

  @TempDir Path dir;

  @Test
  void theFirstAdminAndATokenAreMadeOnTheCommandLineAndLogIn() throws Exception {
    int httpPort = TestConfig.freePort();
    Path config = TestConfig.write(dir, httpPort, "tcp://127.0.0.1:9", "http://127.0.0.1:9/x");
    Files.writeString(config, Files.readString(config) + "auth:\n  protectMetrics: true\n");

    assertThat(run("add.log", "first-admin-pw", config, "users", "add", "ada", "--role", "admin"))
        .isEqualTo(0);
    assertThat(output("add.log")).contains("User ada added, role admin");
    assertThat(run("weak.log", "short", config, "users", "add", "bo", "--role", "operator"))
        .as("a weak password is a usage error")
        .isEqualTo(2);
    assertThat(output("weak.log")).contains("at least 10 characters");
    assertThat(run("role.log", "long-enough-1", config, "users", "add", "bo", "--role", "boss"))
        .isEqualTo(2);
    assertThat(output("role.log")).contains("role must be one of");
    assertThat(
            run("again.log", "other-password-1", config, "users", "add", "ADA", "--role", "viewer"))
        .as("names are one person whatever their case")
        .isEqualTo(1);
    assertThat(run("op.log", "operator-pw-1", config, "users", "add", "bo", "--role", "operator"))
        .isEqualTo(0);
    assertThat(run("off.log", null, config, "users", "disable", "bo")).isEqualTo(0);
    assertThat(run("list.log", null, config, "users", "list")).isEqualTo(0);
    assertThat(output("list.log"))
        .containsPattern("ada +admin +enabled")
        .containsPattern("bo +operator +disabled");
    assertThat(run("token.log", null, config, "tokens", "create", "erp-bridge")).isEqualTo(0);
    String token =
        output("token.log")
            .lines()
            .filter(line -> line.startsWith("lgt_"))
            .findFirst()
            .orElseThrow();

    try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.log"))) {
      GatewayApi api = new GatewayApi(httpPort, TestConfig.dataDir(config));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(api::reachable);
      assertThat(api.logIn("ada", "first-admin-pw")).isEqualTo(200);
      assertThat(api.logIn("bo", "operator-pw-1")).as("disabled").isEqualTo(401);
      HttpResponse<String> lots =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(api.origin() + "/api/lots"))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(lots.statusCode()).as(lots.body()).isEqualTo(200);
      // auth.protectMetrics: the probe and the scraper need the token too.
      for (String open : new String[] {"/health", "/metrics"}) {
        HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(api.origin() + open));
        assertThat(
                HttpClient.newHttpClient()
                    .send(probe.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode())
            .as(open + " without a token")
            .isEqualTo(401);
        assertThat(
                HttpClient.newHttpClient()
                    .send(
                        probe.header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode())
            .as(open + " with one")
            .isIn(200, 503);
      }
    }
    for (String log : new String[] {"add.log", "op.log", "list.log", "gateway.log"}) {
      assertThat(output(log)).doesNotContain("first-admin-pw").doesNotContain("operator-pw-1");
    }
  }

  /** The jar's command {@code args} on {@code config}; {@code password} typed, if not null. */
  private int run(String log, String password, Path config, String... args) throws Exception {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    GatewayProcess command = GatewayProcess.command(dir.resolve(log), all);
    if (password != null) {
      command.typing(password);
    }
    return command.waitForExit();
  }

  private String output(String log) throws Exception {
    return Files.readString(dir.resolve(log));
  }
}
