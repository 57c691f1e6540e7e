package dev.linegate.gateway.auth;

import static dev.linegate.gateway.auth.Permission.LABELS;
import static dev.linegate.gateway.auth.Permission.READ;
import static dev.linegate.gateway.auth.Permission.RETRY_DEAD_LETTERS;
import static dev.linegate.gateway.auth.Permission.SUPERVISE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The roles table of SPEC section 11. */
class RoleTest {

  @Test
  void eachRoleHasThePermissionsOfSpecSection11() {
    assertThat(permissions(Role.VIEWER)).containsExactly(READ);
    assertThat(permissions(Role.OPERATOR)).containsExactly(READ, LABELS);
    assertThat(permissions(Role.SUPERVISOR))
        .containsExactly(READ, LABELS, SUPERVISE, RETRY_DEAD_LETTERS);
    assertThat(permissions(Role.ADMIN)).isEqualTo(EnumSet.allOf(Permission.class));
    assertThat(permissions(Role.INTEGRATOR)).containsExactly(READ, RETRY_DEAD_LETTERS);
  }

  @Test
  void integratorIsForTokensOnlyAndAdminForPeopleOnly() {
    assertThat(Role.INTEGRATOR.forPeople()).isFalse();
    assertThat(Role.ADMIN.forTokens()).isFalse();
    assertThat(Role.of("supervisor")).contains(Role.SUPERVISOR);
    assertThat(Role.of("Supervisor")).isEmpty();
  }

  private static Set<Permission> permissions(Role role) {
    return Arrays.stream(Permission.values())
        .filter(role::may)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Permission.class)));
  }
}
