package dev.linegate.gateway.intake;

import java.util.Optional;

/** What the intake did with one signal, once it is committed. */
public sealed interface IntakeOutcome {

  /** The lot to tell the source, if any. */
  Optional<String> assignedLot();

  /** A new lot with its serials and its ERP event. */
  record NewLot(String lot, String batchId, int quantity) implements IntakeOutcome {
    @Override
    public Optional<String> assignedLot() {
      return Optional.of(lot);
    }
  }

  /** The batch was signalled before: the lot it already has, nothing new. */
  record KnownBatch(String lot, String batchId) implements IntakeOutcome {
    @Override
    public Optional<String> assignedLot() {
      return Optional.of(lot);
    }
  }

  /**
   * The product's pool holds fewer serials than the batch needs: nothing written, nothing
   * acknowledged; the batch waits for serials (SPEC section 8).
   */
  record WaitingForSerials(String gtin, int needed, int available) implements IntakeOutcome {
    @Override
    public Optional<String> assignedLot() {
      return Optional.empty();
    }
  }

  record Rejected(String reason) implements IntakeOutcome {
    @Override
    public Optional<String> assignedLot() {
      return Optional.empty();
    }
  }
}
