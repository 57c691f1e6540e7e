package dev.linegate.gateway.config;

import dev.linegate.gateway.printing.LabelTemplate;
import java.util.Optional;

/**
 * How a product is packed (SPEC section 10): {@code units} to a case, and optionally {@code cases}
 * to a pallet, each level with the printer and template of its SSCC label.
 */
public record PackagingConfig(Level inCase, Optional<Level> onPallet) {

  /** A level: a container is full at {@code count} children. */
  public record Level(int count, String printer, LabelTemplate template) {}
}
