package dev.linegate.gateway.packing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.linegate.gateway.auth.Actor;
import dev.linegate.gateway.auth.AuditTrail;
import dev.linegate.gateway.config.Gs1Config;
import dev.linegate.gateway.config.PackagingConfig;
import dev.linegate.gateway.config.ProductConfig;
import dev.linegate.gateway.config.StationConfig;
import dev.linegate.gateway.gs1.Gs1Data;
import dev.linegate.gateway.gs1.Gs1Exception;
import dev.linegate.gateway.gs1.Gs1Parser;
import dev.linegate.gateway.numbering.Counters;
import dev.linegate.gateway.numbering.NumberingException;
import dev.linegate.gateway.numbering.SsccNumbering;
import dev.linegate.gateway.outbox.EventType;
import dev.linegate.gateway.outbox.Outbox;
import dev.linegate.gateway.printing.PrintQueue;
import dev.linegate.gateway.station.ScanCheck;
import dev.linegate.gateway.station.ScanJudge;
import dev.linegate.gateway.station.ScanResult;
import dev.linegate.gateway.station.ScanResult.Verdict;
import dev.linegate.gateway.store.Refused;
import dev.linegate.gateway.store.Refused.Kind;
import dev.linegate.gateway.store.StoreWriter;
import dev.linegate.gateway.traceability.SerialRef;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Packing stations (SPEC section 10): a unit scanned at a station goes into its open case, a case's
 * SSCC onto its open pallet; a container full at its product's count, or closed by an operator, is
 * committed in one write: its SSCC from the counter, its contents, {@code aggregation.packed} and
 * its label's print job. Every refusal is a scan with verdict {@code refused} and its reason.
 */
public final class Packing {

  /**
   * The subject of every aggregation event: one ordered stream, so a pallet's packing reaches the
   * ERP after its cases', and an unpack after the packing it undoes, whatever station did them.
   */
  public static final String SUBJECT = "packing";

  private final Map<String, StationConfig> stations;
  private final Map<String, StationConfig> byScanner;
  private final Map<String, ProductConfig> products;
  private final Optional<Gs1Config> gs1;
  private final Counters counters;
  private final StoreWriter writer;
  private final Outbox outbox;
  private final Runnable afterNewEvents;

  public Packing(
      List<StationConfig> stations,
      Map<String, ProductConfig> products,
      Optional<Gs1Config> gs1,
      Counters counters,
      StoreWriter writer,
      Outbox outbox,
      Runnable afterNewEvents) {
    this.stations =
        stations.stream().collect(Collectors.toUnmodifiableMap(StationConfig::id, s -> s));
    this.byScanner =
        stations.stream()
            .collect(Collectors.toUnmodifiableMap(StationConfig::scanner, Function.identity()));
    this.products = products;
    this.gs1 = gs1;
    this.counters = counters;
    this.writer = writer;
    this.outbox = outbox;
    this.afterNewEvents = afterNewEvents;
  }

  /** What the scans of each packing station's scanner mean, by scanner id. */
  public Map<String, ScanJudge> judges() {
    return byScanner.keySet().stream()
        .collect(Collectors.toUnmodifiableMap(scanner -> scanner, scanner -> this::judge));
  }

  public Optional<StationConfig> station(String id) {
    return Optional.ofNullable(stations.get(id));
  }

  private ScanResult judge(
      Connection tx,
      String scanner,
      Optional<String> line,
      String raw,
      Optional<String> problem,
      Instant at)
      throws SQLException {
    StationConfig station = byScanner.get(scanner);
    if (problem.isPresent()) {
      return ScanCheck.reject(tx, scanner, line, raw, problem.get(), at);
    }
    Gs1Data data;
    try {
      data = Gs1Parser.parse(raw).data();
    } catch (Gs1Exception e) {
      return ScanCheck.reject(tx, scanner, line, raw, e.reason(), at);
    }
    Scan scan = new Scan(tx, station, scanner, raw, data, at);
    String reason;
    try {
      if (data.sscc().isPresent()) {
        reason = caseOntoPallet(scan, data.sscc().get());
      } else if (data.gtin().isPresent() && data.serial().isPresent()) {
        reason = unitIntoCase(scan, data);
      } else {
        return scan.result(
            Verdict.REFUSED,
            "neither a unit's serial nor a case's SSCC: a packing station packs units and cases",
            Optional.empty());
      }
    } catch (NotPacked refused) {
      return scan.result(Verdict.REFUSED, refused.getMessage(), refused.lot);
    }
    return scan.result(Verdict.OK, reason, scan.lot);
  }

  /** One scan being judged, and the lot it turned out to be of. */
  private static final class Scan {
    final Connection tx;
    final StationConfig station;
    final String scanner;
    final String raw;
    final Gs1Data data;
    final Instant at;
    Optional<String> lot = Optional.empty();

    Scan(
        Connection tx,
        StationConfig station,
        String scanner,
        String raw,
        Gs1Data data,
        Instant at) {
      this.tx = tx;
      this.station = station;
      this.scanner = scanner;
      this.raw = raw;
      this.data = data;
      this.at = at;
    }

    ScanResult result(Verdict verdict, String reason, Optional<String> lot) throws SQLException {
      return ScanCheck.record(
          tx,
          new ScanResult(
              0,
              scanner,
              Optional.of(station.line()),
              at,
              raw,
              verdict,
              reason,
              data.gtin().or(data::sscc),
              data.serial(),
              lot.or(data::lot)));
    }
  }

  /** Why a scanned label is not packed; shown at the station. */
  private static final class NotPacked extends Exception {
    final Optional<String> lot;

    NotPacked(String reason, Optional<String> lot) {
      super(reason);
      this.lot = lot;
    }
  }

  private String unitIntoCase(Scan scan, Gs1Data data) throws SQLException, NotPacked {
    List<SerialRef> found = SerialRef.find(scan.tx, data.serial().get(), data.gtin());
    if (found.isEmpty()) {
      throw new NotPacked(
          "unknown serial " + data.serial().get() + " for GTIN " + data.gtin().get(),
          Optional.empty());
    }
    SerialRef unit = found.get(0);
    Optional<String> lot = Optional.of(unit.lot());
    scan.lot = lot;
    Optional<String> mismatch = ScanCheck.mismatch(scan.tx, unit, data);
    if (mismatch.isPresent()) {
      throw new NotPacked("label does not match what was printed: " + mismatch.get(), lot);
    }
    String serial = "serial " + unit.serial();
    switch (unit.status()) {
      case "rejected" -> throw new NotPacked(serial + " is scrapped", lot);
      case "sampled", "voided" -> throw new NotPacked(serial + " is " + unit.status(), lot);
      case "assigned" -> {
        if (!PrintQueue.handedToPrinter(scan.tx, unit.lotId(), unit.id())) {
          throw new NotPacked(serial + " has not been printed", lot);
        }
      }
      default -> {}
    }
    lotMayBePacked(unit.lot(), unit.lotStatus());
    PackagingConfig packaging = packaging(unit.product(), lot);
    Optional<Containers.Ref> packed = Containers.parentOf(scan.tx, "serial_id", unit.id());
    if (packed.isPresent()) {
      throw new NotPacked(serial + " is already packed in case " + packed.get().sscc(), lot);
    }
    Optional<String> open = Containers.openAt(scan.tx, "serial_id", unit.id());
    if (open.isPresent()) {
      throw new NotPacked(
          serial
              + " is already in "
              + (open.get().equals(scan.station.id())
                  ? "the open case"
                  : "the open case of station " + open.get()),
          lot);
    }
    List<Containers.Child> inCase = Containers.open(scan.tx, scan.station.id(), Level.CASE);
    if (!inCase.isEmpty() && !inCase.get(0).product().equals(unit.product())) {
      throw new NotPacked(
          "a unit of product "
              + unit.product()
              + ": the open case holds product "
              + inCase.get(0).product(),
          lot);
    }
    // The packing scan is also the unit's scan-back (SPEC section 10).
    if (!unit.status().equals("verified")) {
      ScanCheck.verify(outbox, scan.tx, unit, scan.scanner, scan.at);
    }
    Containers.addOpen(scan.tx, scan.station.id(), Level.CASE, unit.id(), scan.at);
    int count = inCase.size() + 1;
    if (count < packaging.inCase().count()) {
      return "packed: " + count + " of " + packaging.inCase().count() + " in the open case";
    }
    return full(scan, Level.CASE, count, "units");
  }

  /**
   * The open container is full: committed. The scan has put its child in already, so a container
   * that cannot be committed (no SSCC left) stays open, saying why, and a close retries it.
   */
  private String full(Scan scan, Level level, int count, String children) throws SQLException {
    try {
      return commit(scan.tx, scan.station, level, "station:" + scan.station.id(), scan.at)
          .map(
              sscc ->
                  level.column()
                      + " "
                      + sscc
                      + " full with "
                      + count
                      + " "
                      + children
                      + ": its label is printing")
          .orElseThrow();
    } catch (NotPacked e) {
      return "packed: "
          + count
          + " in the open "
          + level.column()
          + ", which cannot be closed: "
          + e.getMessage();
    }
  }

  private String caseOntoPallet(Scan scan, String sscc) throws SQLException, NotPacked {
    Containers.Ref found =
        Containers.bySscc(scan.tx, sscc)
            .orElseThrow(() -> new NotPacked("unknown SSCC " + sscc, Optional.empty()));
    String what = "case " + sscc;
    if (found.level() == Level.PALLET) {
      throw new NotPacked(
          "SSCC " + sscc + " is a pallet: only cases go onto a pallet", Optional.empty());
    }
    if (found.unpackedAt().isPresent()) {
      throw new NotPacked(what + " was unpacked", Optional.empty());
    }
    Optional<Containers.Ref> pallet = Containers.parentOf(scan.tx, "case_id", found.id());
    if (pallet.isPresent()) {
      throw new NotPacked(what + " is already on pallet " + pallet.get().sscc(), Optional.empty());
    }
    Optional<String> open = Containers.openAt(scan.tx, "case_id", found.id());
    if (open.isPresent()) {
      throw new NotPacked(
          what
              + " is already on "
              + (open.get().equals(scan.station.id())
                  ? "the open pallet"
                  : "the open pallet of station " + open.get()),
          Optional.empty());
    }
    List<Containers.LotCount> lots = Containers.lots(scan.tx, found);
    for (Containers.LotCount lot : lots) {
      lotMayBePacked(lot.lot(), lot.status());
    }
    if (lots.size() == 1) {
      scan.lot = Optional.of(lots.get(0).lot());
    }
    PackagingConfig.Level onPallet =
        packaging(found.product(), scan.lot)
            .onPallet()
            .orElseThrow(
                () ->
                    new NotPacked(
                        "product " + found.product() + " is not packed on pallets", scan.lot));
    List<Containers.Child> onOpen = Containers.open(scan.tx, scan.station.id(), Level.PALLET);
    if (!onOpen.isEmpty() && !onOpen.get(0).product().equals(found.product())) {
      throw new NotPacked(
          "a case of product "
              + found.product()
              + ": the open pallet holds product "
              + onOpen.get(0).product(),
          scan.lot);
    }
    Containers.addOpen(scan.tx, scan.station.id(), Level.PALLET, found.id(), scan.at);
    int count = onOpen.size() + 1;
    if (count < onPallet.count()) {
      return "on the pallet: " + count + " of " + onPallet.count() + " cases";
    }
    return full(scan, Level.PALLET, count, "cases");
  }

  private static void lotMayBePacked(String lot, String status) throws NotPacked {
    if (status.equals("on-hold") || status.equals("recalled")) {
      throw new NotPacked(
          "lot " + lot + " is " + (status.equals("on-hold") ? "on hold" : status),
          Optional.of(lot));
    }
  }

  private PackagingConfig packaging(String product, Optional<String> lot) throws NotPacked {
    ProductConfig config = products.get(product);
    if (config == null || config.packaging().isEmpty()) {
      throw new NotPacked(
          "product " + product + " is not packed here (no products[].packaging)", lot);
    }
    return config.packaging().get();
  }

  /**
   * Commits the station's open container, if it holds anything: the SSCC, the contents, the event,
   * the label. Returns the SSCC.
   */
  private Optional<String> commit(
      Connection tx, StationConfig station, Level level, String by, Instant at)
      throws SQLException, NotPacked {
    List<Containers.Child> children = Containers.open(tx, station.id(), level);
    if (children.isEmpty()) {
      return Optional.empty();
    }
    String product = children.get(0).product();
    PackagingConfig packaging = packaging(product, Optional.empty());
    PackagingConfig.Level config =
        level == Level.CASE ? packaging.inCase() : packaging.onPallet().orElseThrow();
    String sscc;
    try {
      sscc =
          // The configuration has gs1 wherever a product has packaging.
          SsccNumbering.next(tx, counters, gs1.orElseThrow());
    } catch (NumberingException e) {
      throw new NotPacked(e.getMessage(), Optional.empty());
    }
    long id = Containers.commit(tx, station.id(), station.line(), level, sscc, children, by, at);
    Containers.Ref container = Containers.byId(tx, id).orElseThrow();
    ObjectNode data = event(container, by, at, children);
    data.put("packedAt", at.toString());
    ArrayNode lots = data.putArray("lots");
    Containers.lots(tx, container).forEach(lot -> lots.add(lot.lot()));
    outbox.append(tx, EventType.AGGREGATION_PACKED, station.line(), SUBJECT, at, data.toString());
    PrintQueue.enqueueContainer(tx, config.printer(), firstLot(tx, children), id, by, at);
    return Optional.of(sscc);
  }

  /** The lot row of the first unit, which the label's print job is filed under. */
  private static long firstLot(Connection tx, List<Containers.Child> children) throws SQLException {
    Containers.Child first = children.get(0);
    while (!first.isUnit()) {
      first =
          Containers.contents(tx, Containers.byId(tx, first.caseId()).orElseThrow(), false).get(0);
    }
    return first.lotId();
  }

  private static ObjectNode event(
      Containers.Ref container, String by, Instant at, List<Containers.Child> children) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    data.put("sscc", container.sscc());
    data.put("level", container.level().column());
    data.put("station", container.station());
    data.put("line", container.line());
    data.put("product", container.product());
    data.put("units", container.units());
    data.put("by", by);
    data.put("at", at.toString());
    ArrayNode list = data.putArray("children");
    children.forEach(child -> list.add(PackingViews.child(child)));
    return data;
  }

  /**
   * Closes a short case (or pallet) at the station: committed as it is, its label printed. Returns
   * its SSCC.
   */
  public String close(String stationId, Level level, Actor by) throws Refused, Exception {
    StationConfig station = known(stationId);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String sscc =
        writer.decide(
            tx -> {
              try {
                Optional<String> committed = commit(tx, station, level, by.name(), now);
                if (committed.isEmpty()) {
                  throw new Refused(
                      Kind.CONFLICT,
                      "nothing to close",
                      "station " + stationId + " has no open " + level.column());
                }
                AuditTrail.append(
                    tx,
                    by,
                    level.column() + ".close",
                    level.column() + " " + committed.get() + " at station " + stationId,
                    Optional.empty(),
                    now);
                return committed.get();
              } catch (NotPacked e) {
                throw new Refused(
                    Kind.CONFLICT, "cannot close the " + level.column(), e.getMessage());
              }
            });
    afterNewEvents.run();
    return sscc;
  }

  /**
   * Unpacks a case or pallet for rework: its children are free to be packed again, its SSCC is
   * never used again. A case on a pallet comes off once the pallet is unpacked.
   */
  public void unpack(String sscc, String reason, Actor by) throws Refused, Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    writer.decide(
        tx -> {
          Containers.Ref container =
              Containers.bySscc(tx, sscc)
                  .orElseThrow(
                      () ->
                          new Refused(
                              Kind.NOT_FOUND, "SSCC not found", "no case or pallet " + sscc));
          String what = container.level().column() + " " + sscc;
          if (container.unpackedAt().isPresent()) {
            throw new Refused(Kind.CONFLICT, "already unpacked", what + " was unpacked already");
          }
          Optional<Containers.Ref> pallet = Containers.parentOf(tx, "case_id", container.id());
          if (pallet.isPresent()) {
            throw new Refused(
                Kind.CONFLICT,
                "on a pallet",
                what + " is on pallet " + pallet.get().sscc() + ": unpack the pallet first");
          }
          Optional<String> open = Containers.openAt(tx, "case_id", container.id());
          if (open.isPresent()) {
            throw new Refused(
                Kind.CONFLICT,
                "on an open pallet",
                what
                    + " is on the open pallet of station "
                    + open.get()
                    + ": close and unpack that pallet first");
          }
          List<Containers.Child> children = Containers.contents(tx, container, false);
          Containers.unpack(tx, container.id(), by.name(), reason, now);
          AuditTrail.append(
              tx, by, container.level().column() + ".unpack", what, Optional.of(reason), now);
          ObjectNode data = event(container, by.name(), now, children);
          data.put("reason", reason);
          outbox.append(
              tx, EventType.AGGREGATION_UNPACKED, container.line(), SUBJECT, now, data.toString());
          return sscc;
        });
    afterNewEvents.run();
  }

  private StationConfig known(String id) throws Refused {
    StationConfig station = stations.get(id);
    if (station == null) {
      throw new Refused(Kind.NOT_FOUND, "station not found", "no packing station " + id);
    }
    return station;
  }
}
