/**
 * Lot status: an operator holds, releases or recalls a lot (SPEC section 6). Each change is one
 * write that updates the lot, records who changed it and why, and tells the ERP through the outbox.
 */
@NullMarked
package dev.linegate.gateway.lots;

import org.jspecify.annotations.NullMarked;
