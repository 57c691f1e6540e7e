package dev.linegate.gateway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.AuditEntry;
import dev.linegate.gateway.auth.Permission;
import dev.linegate.gateway.auth.Principal;
import dev.linegate.gateway.auth.Token;
import dev.linegate.gateway.auth.User;
import java.time.Instant;
import java.util.Locale;

/** Sessions, users, tokens and the audit trail as the API answers them (SPEC section 11). */
final class AccountJson {

  private AccountJson() {}

  /**
   * Who is logged in and what the role allows, so that a screen offers only those actions: the
   * permissions in lower case with dashes ({@code retry-dead-letters}).
   */
  static ObjectNode session(Principal who) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("user", who.name());
    json.put("role", who.role().text());
    ArrayNode may = json.putArray("may");
    for (Permission permission : Permission.values()) {
      if (who.role().may(permission)) {
        may.add(permission.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
    }
    return json;
  }

  static ObjectNode user(User user) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", user.name());
    json.put("role", user.role().text());
    json.put("createdAt", user.createdAt().toString());
    json.put("disabledAt", user.disabledAt().map(Instant::toString).orElse(null));
    return json;
  }

  static ObjectNode token(Token token) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", token.id());
    json.put("name", token.name());
    json.put("role", token.role().text());
    json.put("createdBy", token.createdBy());
    json.put("createdAt", token.createdAt().toString());
    json.put("revokedAt", token.revokedAt().map(Instant::toString).orElse(null));
    return json;
  }

  /** The one answer that carries the token's secret. */
  static ObjectNode created(Token.Created created) {
    return token(created.token()).put("token", created.secret());
  }

  static ObjectNode audit(AuditEntry entry) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", entry.id());
    json.put("at", entry.at().toString());
    json.put("user", entry.actor());
    json.put("role", entry.role());
    json.put("action", entry.action());
    json.put("object", entry.object());
    json.put("reason", entry.reason().orElse(null));
    json.put("meaning", entry.meaning().orElse(null));
    return json;
  }
}
