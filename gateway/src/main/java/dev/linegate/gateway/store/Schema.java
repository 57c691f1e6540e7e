package dev.linegate.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's shape, as numbered steps applied in order at start. A database from an older
 * Linegate is brought up to date; one from a newer Linegate is refused rather than damaged.
 */
final class Schema {

  private static final List<String> VERSIONS =
      List.of(
          """
          CREATE TABLE lots(
            id INTEGER PRIMARY KEY,
            lot TEXT NOT NULL UNIQUE,
            line TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            product TEXT NOT NULL,
            gtin TEXT NOT NULL,
            quantity INTEGER NOT NULL,
            production_date TEXT NOT NULL,
            expiry_date TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'released',
            completed_at TEXT,
            committed_at TEXT NOT NULL,
            origin TEXT NOT NULL,
            raw TEXT NOT NULL,
            UNIQUE(line, batch_id));
          CREATE INDEX lots_by_line ON lots(line, id);
          CREATE INDEX lots_by_product ON lots(product, id);
          CREATE INDEX lots_by_gtin ON lots(gtin);
          CREATE TABLE serials(
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            status TEXT NOT NULL DEFAULT 'assigned',
            UNIQUE(gtin, serial));
          CREATE INDEX serials_by_lot ON serials(lot_id, id);
          CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
          CREATE TABLE outbox(
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            delivered_at INTEGER,
            last_error TEXT);
          CREATE INDEX outbox_pending ON outbox(id) WHERE state = 'pending';
          CREATE INDEX outbox_dead ON outbox(id) WHERE state = 'dead';
          CREATE INDEX outbox_open_by_subject ON outbox(subject, id) WHERE state <> 'delivered';
          CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE state = 'delivered';
          CREATE TABLE rejects(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            line TEXT,
            origin TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL);
          """,
          // Print jobs, one per lot (or reprint), not one row per label: a unit job's labels are
          // the lot's serials, whose row ids are consecutive because one transaction writes them.
          // sent, settled and reported count labels from the start of the job: sent is committed
          // before the bytes go to the printer, settled once the printer has reported them printed
          // (or they were handed to an operator as uncertain), reported once in a label.printed
          // event.
          """
          CREATE TABLE print_jobs(
            id INTEGER PRIMARY KEY,
            printer TEXT NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            kind TEXT NOT NULL,
            first_serial INTEGER,
            labels INTEGER NOT NULL,
            sent INTEGER NOT NULL DEFAULT 0,
            settled INTEGER NOT NULL DEFAULT 0,
            reported INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            requested_by TEXT,
            created_at INTEGER NOT NULL,
            finished_at INTEGER);
          CREATE INDEX print_jobs_open ON print_jobs(printer, id) WHERE finished_at IS NULL;
          CREATE INDEX print_jobs_by_lot ON print_jobs(lot_id);
          CREATE TABLE uncertain_labels(
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES print_jobs(id),
            position INTEGER NOT NULL,
            serial_id INTEGER REFERENCES serials(id),
            since INTEGER NOT NULL,
            settled TEXT,
            settled_by TEXT,
            settled_at INTEGER,
            UNIQUE(job_id, position));
          CREATE INDEX uncertain_open ON uncertain_labels(id) WHERE settled IS NULL;
          CREATE INDEX uncertain_by_serial ON uncertain_labels(serial_id);
          """,
          // Lot status changes (hold, release, recall): who changed what and why, kept for ever
          // as the lot's audit trail; lots.status holds the current value.
          """
          CREATE TABLE lot_status_changes(
            id INTEGER PRIMARY KEY,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            reason TEXT NOT NULL,
            "by" TEXT NOT NULL,
            at INTEGER NOT NULL);
          CREATE INDEX lot_status_changes_by_lot ON lot_status_changes(lot_id, id);
          """,
          // Scans at operator stations. Printed serials get an index of their own, by lot: they are
          // the ones waiting for a scan, and verifying one takes it out.
          """
          CREATE TABLE scans(
            id INTEGER PRIMARY KEY,
            scanner TEXT NOT NULL,
            line TEXT,
            at INTEGER NOT NULL,
            raw TEXT NOT NULL,
            verdict TEXT NOT NULL,
            reason TEXT NOT NULL,
            gtin TEXT,
            serial TEXT,
            lot TEXT);
          CREATE INDEX scans_by_line ON scans(line, id);
          CREATE INDEX scans_by_at ON scans(at);
          CREATE INDEX scans_by_scanner ON scans(scanner, id);
          CREATE INDEX serials_printed ON serials(lot_id, id) WHERE status = 'printed';
          """,
          // A print job whose next label cannot be rendered (data an older Linegate accepted, such
          // as an expiry in 2100) finishes without its remaining labels, so that the jobs behind it
          // print: failed says why.
          """
          ALTER TABLE print_jobs ADD COLUMN failed TEXT;
          """,
          // The gateway's own settings, one row each, of any type: the serial key (a blob) and the
          // generation of the high-water record the database has caught up with (see Counters).
          """
          CREATE TABLE settings(name TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;
          """,
          // Every instant in epoch milliseconds (see StoredTime): lots and rejects kept theirs as
          // ISO text. %s and %f are exact to the millisecond, where julianday() is a double.
          """
          ALTER TABLE lots ADD COLUMN completed_ms INTEGER;
          ALTER TABLE lots ADD COLUMN committed_ms INTEGER NOT NULL DEFAULT 0;
          UPDATE lots SET
            completed_ms = strftime('%s', completed_at) * 1000
                + CAST(substr(strftime('%f', completed_at), 4) AS INTEGER),
            committed_ms = strftime('%s', committed_at) * 1000
                + CAST(substr(strftime('%f', committed_at), 4) AS INTEGER);
          ALTER TABLE lots DROP COLUMN completed_at;
          ALTER TABLE lots DROP COLUMN committed_at;
          ALTER TABLE lots RENAME COLUMN completed_ms TO completed_at;
          ALTER TABLE lots RENAME COLUMN committed_ms TO committed_at;
          ALTER TABLE rejects ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
          UPDATE rejects SET received_ms = strftime('%s', received_at) * 1000
              + CAST(substr(strftime('%f', received_at), 4) AS INTEGER);
          ALTER TABLE rejects DROP COLUMN received_at;
          ALTER TABLE rejects RENAME COLUMN received_ms TO received_at;
          """,
          // Users, machine tokens, sessions and the audit trail (SPEC section 11). Only hashes of
          // passwords, tokens and session ids are kept: a copy of the database logs nobody in.
          // Users are disabled, never deleted, so a name in the audit trail stays one person. The
          // audit trail is append-only, enforced by the database itself.
          """
          CREATE TABLE users(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            disabled_at INTEGER);
          CREATE TABLE tokens(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER);
          CREATE TABLE sessions(
            hash TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL) WITHOUT ROWID;
          CREATE INDEX sessions_by_user ON sessions(user_id);
          CREATE TABLE audit(
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            role TEXT NOT NULL,
            action TEXT NOT NULL,
            object TEXT NOT NULL,
            reason TEXT,
            meaning TEXT);
          CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
          ALTER TABLE lot_status_changes ADD COLUMN meaning TEXT;
          CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
          """,
          // Serial pools (SPEC section 8). Every serial a provider gave stays, with the request
          // that brought it: used ones name their lot, returned ones their return. A request is
          // committed before it is sent, so that after a crash it is asked again under its id.
          """
          CREATE TABLE pool_serials(
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            request_id TEXT NOT NULL,
            lot_id INTEGER REFERENCES lots(id),
            return_id TEXT,
            UNIQUE(gtin, serial));
          CREATE INDEX pool_unassigned ON pool_serials(gtin, id)
            WHERE lot_id IS NULL AND return_id IS NULL;
          CREATE TABLE pool_requests(
            request_id TEXT PRIMARY KEY,
            gtin TEXT NOT NULL,
            count INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            finished_at INTEGER,
            status TEXT,
            received INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
          CREATE INDEX pool_requests_open ON pool_requests(gtin) WHERE finished_at IS NULL;
          CREATE TABLE pool_returns(
            return_id TEXT PRIMARY KEY,
            gtin TEXT NOT NULL,
            count INTEGER NOT NULL,
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            finished_at INTEGER,
            returned INTEGER) WITHOUT ROWID;
          CREATE TABLE pool_suspended(
            gtin TEXT PRIMARY KEY,
            since INTEGER NOT NULL,
            reason TEXT NOT NULL) WITHOUT ROWID;
          """,
          // v10: a pool's rate (PoolStore.usedSince) is read every second; without this it read
          // all of the GTIN's lots.
          """
          CREATE INDEX lots_by_gtin_committed ON lots(gtin, committed_at);
          """,
          // v11: one row per event and output (http, kafka): each output has its own backlog,
          // order and dead letters. The events so far were all for the HTTP output.
          """
          CREATE TABLE outbox_by_output(
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            output TEXT NOT NULL,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            delivered_at INTEGER,
            last_error TEXT,
            UNIQUE(event_id, output));
          INSERT INTO outbox_by_output(id, event_id, output, type, subject, payload, state, attempts,
              created_at, next_attempt_at, delivered_at, last_error)
            SELECT id, event_id, 'http', type, subject, payload, state, attempts, created_at,
              next_attempt_at, delivered_at, last_error FROM outbox;
          DROP TABLE outbox;
          ALTER TABLE outbox_by_output RENAME TO outbox;
          CREATE INDEX outbox_pending ON outbox(output, id) WHERE state = 'pending';
          CREATE INDEX outbox_dead ON outbox(output, id) WHERE state = 'dead';
          CREATE INDEX outbox_open_by_subject ON outbox(output, subject, id)
            WHERE state <> 'delivered';
          CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE state = 'delivered';
          """,
          // v12: the serial lifecycle (SPEC section 9). Every change of a serial's state with who
          // and why, kept for ever like a lot's status changes; and when and by whom a lot was
          // closed, with the counts it was closed on.
          """
          CREATE TABLE serial_status_changes(
            id INTEGER PRIMARY KEY,
            serial_id INTEGER NOT NULL REFERENCES serials(id),
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            reason TEXT NOT NULL,
            "by" TEXT NOT NULL,
            at INTEGER NOT NULL);
          CREATE INDEX serial_status_changes_by_serial ON serial_status_changes(serial_id, id);
          ALTER TABLE lots ADD COLUMN closed_at INTEGER;
          ALTER TABLE lots ADD COLUMN closed_by TEXT;
          ALTER TABLE lots ADD COLUMN closed_counts TEXT;
          """,
          // v13: packaging (SPEC section 10). A container (case or pallet) is committed whole, with
          // its SSCC, once full or closed; what a station has scanned into its open case or pallet
          // waits in station_open, so a restart loses no scan. Contents are never deleted: an
          // unpack marks them removed, and the partial unique indexes let a unit (a case) be in
          // one container at a time, as often as it is repacked.
          """
          CREATE TABLE containers(
            id INTEGER PRIMARY KEY,
            sscc TEXT NOT NULL UNIQUE,
            level TEXT NOT NULL,
            station TEXT NOT NULL,
            line TEXT NOT NULL,
            product TEXT NOT NULL,
            children INTEGER NOT NULL,
            units INTEGER NOT NULL,
            packed_at INTEGER NOT NULL,
            packed_by TEXT NOT NULL,
            unpacked_at INTEGER,
            unpacked_by TEXT,
            unpack_reason TEXT);
          CREATE TABLE container_contents(
            id INTEGER PRIMARY KEY,
            container_id INTEGER NOT NULL REFERENCES containers(id),
            serial_id INTEGER REFERENCES serials(id),
            case_id INTEGER REFERENCES containers(id),
            removed_at INTEGER);
          CREATE INDEX container_contents_by_container ON container_contents(container_id, id);
          CREATE UNIQUE INDEX container_contents_unit ON container_contents(serial_id)
            WHERE removed_at IS NULL AND serial_id IS NOT NULL;
          CREATE UNIQUE INDEX container_contents_case ON container_contents(case_id)
            WHERE removed_at IS NULL AND case_id IS NOT NULL;
          CREATE TABLE station_open(
            id INTEGER PRIMARY KEY,
            station TEXT NOT NULL,
            level TEXT NOT NULL,
            serial_id INTEGER UNIQUE REFERENCES serials(id),
            case_id INTEGER UNIQUE REFERENCES containers(id),
            added_at INTEGER NOT NULL);
          CREATE INDEX station_open_by_station ON station_open(station, level, id);
          ALTER TABLE print_jobs ADD COLUMN container_id INTEGER REFERENCES containers(id);
          """);

  private Schema() {}

  static int latest() {
    return VERSIONS.size();
  }

  static void apply(Connection connection) throws SQLException {
    int current;
    try (Statement statement = connection.createStatement()) {
      current = statement.executeQuery("PRAGMA user_version").getInt(1);
    }
    if (current > latest()) {
      throw new NewerDatabase(current, latest());
    }
    for (int version = current + 1; version <= latest(); version++) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        // Statements end at the end of a line: a trigger's body has a ; inside its line.
        for (String sql : VERSIONS.get(version - 1).split(";\\s*\n")) {
          if (!sql.isBlank()) {
            statement.execute(sql);
          }
        }
        statement.execute("PRAGMA user_version = " + version);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }
}
