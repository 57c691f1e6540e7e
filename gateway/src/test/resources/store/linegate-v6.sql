-- A database as Linegate wrote it at schema version 6 (before instants were all epoch milliseconds),
-- dumped with sqlite3 .dump; SchemaTest brings it up to date.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
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
INSERT INTO lots VALUES(1,'L1263260001','L1','B-1','WIDGET-100','09506000134352',2,'2026-11-22','2028-11-22','released','2026-11-22T09:59:59Z','2026-11-22T10:00:00.123456Z','mqtt:L1','{}');
INSERT INTO lots VALUES(2,'L1263260002','L1','B-2','WIDGET-100','09506000134352',1,'2026-11-22','2028-11-22','on_hold',NULL,'2026-11-22T10:00:01Z','mqtt:L1','{}');
CREATE TABLE serials(
            id INTEGER PRIMARY KEY,
            gtin TEXT NOT NULL,
            serial TEXT NOT NULL,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            status TEXT NOT NULL DEFAULT 'assigned',
            UNIQUE(gtin, serial));
INSERT INTO serials VALUES(1,'09506000134352','100000000001',1,'printed');
INSERT INTO serials VALUES(2,'09506000134352','100000000002',1,'verified');
INSERT INTO serials VALUES(3,'09506000134352','100000000003',2,'assigned');
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
CREATE TABLE rejects(
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            line TEXT,
            origin TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL);
INSERT INTO rejects VALUES(1,'batch','L1','mqtt:L1','2026-11-22T10:00:02.5Z','quantity must be positive','{"quantity": 0}');
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
            finished_at INTEGER, failed TEXT);
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
CREATE TABLE lot_status_changes(
            id INTEGER PRIMARY KEY,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            reason TEXT NOT NULL,
            "by" TEXT NOT NULL,
            at INTEGER NOT NULL);
INSERT INTO lot_status_changes VALUES(1,2,'released','on_hold','deviation','qa',1763805602000);
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
CREATE TABLE settings(name TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID;
CREATE INDEX lots_by_line ON lots(line, id);
CREATE INDEX lots_by_product ON lots(product, id);
CREATE INDEX lots_by_gtin ON lots(gtin);
CREATE INDEX serials_by_lot ON serials(lot_id, id);
CREATE INDEX outbox_pending ON outbox(id) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox(id) WHERE state = 'dead';
CREATE INDEX outbox_open_by_subject ON outbox(subject, id) WHERE state <> 'delivered';
CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE state = 'delivered';
CREATE INDEX print_jobs_open ON print_jobs(printer, id) WHERE finished_at IS NULL;
CREATE INDEX print_jobs_by_lot ON print_jobs(lot_id);
CREATE INDEX uncertain_open ON uncertain_labels(id) WHERE settled IS NULL;
CREATE INDEX uncertain_by_serial ON uncertain_labels(serial_id);
CREATE INDEX lot_status_changes_by_lot ON lot_status_changes(lot_id, id);
CREATE INDEX scans_by_line ON scans(line, id);
CREATE INDEX scans_by_at ON scans(at);
CREATE INDEX scans_by_scanner ON scans(scanner, id);
CREATE INDEX serials_printed ON serials(lot_id, id) WHERE status = 'printed';
COMMIT;
PRAGMA user_version = 6;
