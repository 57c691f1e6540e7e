/**
 * Serial number pools (SPEC section 8): serials leased from the company's serial number provider
 * (its L4 system), kept in the database, and issued from there in the lot's own transaction, so
 * that many gateways share one number space and none is ever issued twice.
 */
@NullMarked
package dev.linegate.gateway.pools;

import org.jspecify.annotations.NullMarked;
