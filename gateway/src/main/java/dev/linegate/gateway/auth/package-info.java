/**
 * Who may do what (SPEC section 11): users with a role and a password, machine tokens, login
 * sessions, signatures. Passwords, tokens and session ids are kept only as hashes; the answer to a
 * request that fails says why without saying which secret was wrong or which user exists.
 */
@NullMarked
package dev.linegate.gateway.auth;

import org.jspecify.annotations.NullMarked;
