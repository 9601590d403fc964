package dev.assay.run;

/**
 * A stage lost or invented records: {@code in != out + rejected + failed}. Always a bug in Assay, never bad input;
 * the run stops rather than write a dataset it cannot account for.
 */
public final class AccountingException extends IllegalStateException {
  public AccountingException(String message) {
    super(message);
  }
}
