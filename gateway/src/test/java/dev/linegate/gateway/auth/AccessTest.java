package dev.linegate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.linegate.gateway.store.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions, signatures and tokens on a real SQLite file, on a clock the test moves. */
class AccessTest {

  private static final Actor SETUP = Actor.commandLine();

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private TestStore store;
  private Access access;

  @BeforeEach
  void open() throws Exception {
    store = new TestStore(dir);
    access = new Access(store.reads(), store.writer(), Duration.ofMinutes(480), clock);
    access.addUser(SETUP, "qa-petra", "supervisor", "petra-password-1");
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void aSessionEndsWhenItsMinutesAreUpAndAtLogout() throws Exception {
    Access.Session session = access.login("qa-petra", "petra-password-1", "10.0.0.5");
    assertThat(session.expires()).isEqualTo(clock.instant().plus(Duration.ofMinutes(480)));
    clock.advance(Duration.ofMinutes(479));
    assertThat(access.session(session.secret())).map(Principal::name).contains("qa-petra");
    clock.advance(Duration.ofMinutes(1));
    assertThat(access.session(session.secret())).as("a shift later").isEmpty();

    Access.Session next = access.login("qa-petra", "petra-password-1", "10.0.0.5");
    access.logout(next.secret(), next.principal());
    assertThat(access.session(next.secret())).isEmpty();
    assertThat(store.text("SELECT count(*) FROM sessions"))
        .as("the expired session went at the next login, the other at logout")
        .isEqualTo("0");
  }

  @Test
  void aNewPasswordEndsTheSessionsOfTheOldOne() throws Exception {
    Access.Session session = access.login("qa-petra", "petra-password-1", "10.0.0.5");
    access.setPassword(SETUP, "qa-petra", "petra-password-2");
    assertThat(access.session(session.secret())).isEmpty();
    assertThat(
            catchThrowableOfType(
                    AccessDenied.class,
                    () -> access.login("qa-petra", "petra-password-1", "10.0.0.5"))
                .status())
        .isEqualTo(401);
  }

  @Test
  void aSignatureNeedsTheSignersOwnPasswordAndATokenCannotSign() throws Exception {
    Principal petra = access.login("qa-petra", "petra-password-1", "10.0.0.5").principal();
    assertThat(access.sign(petra, "petra-password-1", Meaning.APPROVED, "10.0.0.5").signed())
        .contains(Meaning.APPROVED);
    assertThat(
            catchThrowableOfType(
                    AccessDenied.class,
                    () -> access.sign(petra, "petra-password-2", Meaning.APPROVED, "10.0.0.5"))
                .status())
        .isEqualTo(403);

    Token.Created token = access.createToken(SETUP, "mes", "supervisor");
    Principal machine = access.token(token.secret()).orElseThrow();
    assertThat(
            catchThrowableOfType(
                    AccessDenied.class,
                    () -> access.sign(machine, "anything-at-all", Meaning.APPROVED, "10.0.0.5"))
                .status())
        .isEqualTo(403);
    access.revokeToken(SETUP, token.token().id());
    assertThat(access.token(token.secret())).isEmpty();
    assertThat(store.text("SELECT count(*) FROM tokens WHERE hash LIKE 'lgt_%'"))
        .as("only its hash is kept")
        .isEqualTo("0");
  }
}
