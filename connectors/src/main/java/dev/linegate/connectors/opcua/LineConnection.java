package dev.linegate.connectors.opcua;

import java.util.List;
import java.util.Objects;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.jspecify.annotations.Nullable;

/**
 * A session as one line uses it: the line's nodes resolved on it and its subscription to Ready.
 * Touched on the line's thread only.
 */
final class LineConnection {

  final OpcUaClient client;
  @Nullable LineNodes nodes;
  @Nullable ReadySubscription subscription;

  LineConnection(OpcUaClient client) {
    this.client = client;
  }

  /** Set up: the nodes resolved and Ready subscribed to. */
  boolean ready() {
    return subscription != null;
  }

  LineNodes nodes() {
    return Objects.requireNonNull(nodes);
  }

  /** One value per node, in order: an answer of another length is refused as the server's fault. */
  List<DataValue> read(NodeId... ids) throws UaException {
    return oneEach(
        client.readValues(0.0, TimestampsToReturn.Both, List.of(ids)), ids.length, "read");
  }

  /** One write with a value only (no timestamps: many PLCs refuse those), its status checked. */
  void write(NodeId node, Variant value, String what) throws UaException {
    StatusCode status =
        oneEach(
                client.writeValues(List.of(node), List.of(DataValue.valueOnly(value))),
                1,
                "written")
            .get(0);
    if (!status.isGood()) {
      throw new UaException(
          status,
          "writing "
              + what
              + " "
              + node.toParseableString()
              + " was refused: "
              + OpcUaErrors.name(status));
    }
  }

  /** Milo hands the server's results on as they came, however many. */
  private static <T> List<T> oneEach(@Nullable List<T> results, int asked, String done)
      throws UaException {
    int answered = results == null ? 0 : results.size();
    if (answered != asked) {
      throw new UaException(
          StatusCodes.Bad_UnexpectedError,
          "the server answered "
              + answered
              + (answered == 1 ? " value" : " values")
              + " for "
              + asked
              + (asked == 1 ? " node " : " nodes ")
              + done
              + " (it must answer one for each)");
    }
    return results;
  }
}
