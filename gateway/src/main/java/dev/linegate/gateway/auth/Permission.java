package dev.linegate.gateway.auth;

/** What a request needs; each route of the API names one. */
public enum Permission {
  /** Every read of the API and the live feed. */
  READ("read"),
  /** The operator's work on labels: reprint, acknowledge a printer's failed jobs. */
  LABELS("reprint labels or acknowledge a printer's failed jobs (operator and above)"),
  /** Decisions on lots and labels: hold, release, recall, settle uncertain labels. */
  SUPERVISE("hold, release or recall lots or settle uncertain labels (supervisor and above)"),
  /** Send a dead letter to the ERP again. */
  RETRY_DEAD_LETTERS("retry dead letters (supervisor, admin, integrator)"),
  /** Users and tokens. */
  ADMINISTER("manage users and tokens (admin)");

  private final String what;

  Permission(String what) {
    this.what = what;
  }

  /** What it allows, for a refusal: "... may not " + what. */
  public String what() {
    return what;
  }
}
