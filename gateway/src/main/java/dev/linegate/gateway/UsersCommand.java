package dev.linegate.gateway;

import dev.linegate.gateway.auth.Access;
import dev.linegate.gateway.auth.Accounts;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.Passwords;
import dev.linegate.gateway.auth.Role;
import dev.linegate.gateway.auth.Token;
import dev.linegate.gateway.auth.User;
import dev.linegate.gateway.config.GatewayConfig;
import dev.linegate.gateway.store.Database;
import dev.linegate.gateway.store.Refused;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code users} and {@code tokens}: the accounts of the gateway's database, managed on its machine
 * (the first admin, before anyone can log in) while the gateway runs or not. Whoever may run them
 * can change the database anyway; their audit entries say "command line (OS user ...)".
 */
final class UsersCommand {

  private UsersCommand() {}

  /** The options and the database every account command shares. */
  abstract static class OnDatabase implements Callable<Integer> {

    @Option(
        names = "--config",
        required = true,
        description = "the gateway's YAML configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
      Optional<GatewayConfig> loaded = Configuration.load(config);
      if (loaded.isEmpty()) {
        return 2;
      }
      try {
        return run(Database.open(loaded.get().dataDir()));
      } catch (Refused refused) {
        System.err.println(refused.getMessage() + ": " + refused.detail());
        return refused.kind() == Refused.Kind.INVALID ? 2 : 1;
      } catch (IOException e) {
        System.err.println(e.getMessage());
        return 1;
      }
    }

    abstract int run(Database database) throws Exception;

    static Instant now() {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
  }

  @Command(
      name = "users",
      mixinStandardHelpOptions = true,
      description = "Manage the gateway's users (SPEC section 11)",
      subcommands = {Add.class, ListUsers.class, Disable.class, Password.class, Demo.class})
  static final class Users {}

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add a user; asks for the password, or reads one line from standard input when it is not"
              + " a terminal")
  static final class Add extends OnDatabase {
    @Parameters(index = "0", description = "the user's name")
    String name;

    @Option(
        names = "--role",
        required = true,
        description = "viewer, operator, supervisor or admin")
    String role;

    @Override
    int run(Database database) throws Exception {
      Role checked = Access.personRole(role);
      String hash = Passwords.hash(Access.usable(name, readPassword()).toCharArray());
      User user =
          database.writeBeside(
              tx -> Accounts.addUser(tx, name, checked, hash, Actor.commandLine(), now()));
      System.out.println("User " + user.name() + " added, role " + user.role().text());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users")
  static final class ListUsers extends OnDatabase {
    @Override
    int run(Database database) throws Exception {
      for (User user : database.writeBeside(Accounts::users)) {
        System.out.printf(
            "%-24s %-10s %s%n",
            user.name(),
            user.role().text(),
            user.disabledAt().map(at -> "disabled " + at).orElse("enabled"));
      }
      return 0;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a user and end their sessions (users are never removed)")
  static final class Disable extends OnDatabase {
    @Parameters(index = "0", description = "the user's name")
    String name;

    @Override
    int run(Database database) throws Exception {
      database.writeBeside(tx -> Accounts.disable(tx, name, Actor.commandLine(), now()));
      System.out.println("User " + name + " disabled; their sessions are ended");
      return 0;
    }
  }

  @Command(
      name = "password",
      mixinStandardHelpOptions = true,
      description = "Set a user's password (read as for add) and end their sessions")
  static final class Password extends OnDatabase {
    @Parameters(index = "0", description = "the user's name")
    String name;

    @Override
    int run(Database database) throws Exception {
      String hash = Passwords.hash(Access.usable(name, readPassword()).toCharArray());
      database.writeBeside(
          tx -> {
            Accounts.setPassword(tx, name, hash, Actor.commandLine(), now());
            return name;
          });
      System.out.println("Password of " + name + " set; their sessions are ended");
      return 0;
    }
  }

  /** For ./linegate demo: one user per role, each with a new random password, printed. */
  @Command(name = "demo", hidden = true)
  static final class Demo extends OnDatabase {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    int run(Database database) throws Exception {
      System.out.println("Demo users (passwords new at every start of the demo):");
      for (Role role : Role.values()) {
        if (!role.forPeople()) {
          continue;
        }
        String name = role.text();
        String password = randomPassword();
        String hash = Passwords.hash(password.toCharArray());
        database.writeBeside(
            tx -> {
              if (Accounts.find(tx, name).isPresent()) {
                Accounts.setPassword(tx, name, hash, Actor.commandLine(), now());
              } else {
                Accounts.addUser(tx, name, role, hash, Actor.commandLine(), now());
              }
              return name;
            });
        System.out.printf("  %-12s password %s%n", name, password);
      }
      return 0;
    }

    private static String randomPassword() {
      String letters = "abcdefghjkmnpqrstuvwxyz23456789";
      char[] password = new char[12];
      for (int i = 0; i < password.length; i++) {
        password[i] = letters.charAt(RANDOM.nextInt(letters.length()));
      }
      return new String(password);
    }
  }

  @Command(
      name = "tokens",
      mixinStandardHelpOptions = true,
      description = "Manage bearer tokens for machines (SPEC section 11)",
      subcommands = {CreateToken.class, ListTokens.class, RevokeToken.class})
  static final class Tokens {}

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token and print it, once: it is kept only as a hash")
  static final class CreateToken extends OnDatabase {
    @Parameters(index = "0", description = "what the token is for, e.g. erp-bridge")
    String name;

    @Option(
        names = "--role",
        defaultValue = "integrator",
        description = "integrator (the default), viewer, operator or supervisor")
    String role;

    @Override
    int run(Database database) throws Exception {
      Role checked = Access.tokenRole(role);
      Optional<String> bad = Accounts.badName(name);
      if (bad.isPresent()) {
        System.err.println("bad name: " + bad.get());
        return 2;
      }
      Token.Created created =
          database.writeBeside(
              tx -> Accounts.createToken(tx, name, checked, Actor.commandLine(), now()));
      System.err.println(
          "Token "
              + created.token().id()
              + " ("
              + name
              + ", role "
              + checked.text()
              + "): send it as Authorization: Bearer <token>; it is not shown again");
      System.out.println(created.secret());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens")
  static final class ListTokens extends OnDatabase {
    @Override
    int run(Database database) throws Exception {
      for (Token token : database.writeBeside(Accounts::tokens)) {
        System.out.printf(
            "%-6d %-24s %-11s %s%n",
            token.id(),
            token.name(),
            token.role().text(),
            token.revokedAt().map(at -> "revoked " + at).orElse("active"));
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token")
  static final class RevokeToken extends OnDatabase {
    @Parameters(index = "0", description = "the token's id (tokens list)")
    long id;

    @Override
    int run(Database database) throws Exception {
      database.writeBeside(tx -> Accounts.revokeToken(tx, id, Actor.commandLine(), now()));
      System.out.println("Token " + id + " revoked");
      return 0;
    }
  }

  /**
   * Twice from a terminal, without echo; else one line of standard input (a script's pipe), so that
   * the password is never an argument that {@code ps} shows.
   */
  static String readPassword() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        throw new IOException("the two passwords differ");
      }
      return new String(first);
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null) {
      throw new IOException("no password on standard input (one line)");
    }
    return line;
  }
}
