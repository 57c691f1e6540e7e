/**
 * Labels: each printer's queue of print jobs, kept in SQLite, and the worker that feeds the printer
 * while it reports itself ready, so that no label is lost and none is printed twice unnoticed.
 *
 * <p>The path of a label: {@link dev.linegate.gateway.printing.PrintQueue} (a job per lot, written
 * with the lot) -> {@link dev.linegate.gateway.printing.PrinterWorker} (status, send, wait for the
 * printer to report the labels printed) -> a {@code label.printed} event in the outbox.
 */
@NullMarked
package dev.linegate.gateway.printing;

import org.jspecify.annotations.NullMarked;
