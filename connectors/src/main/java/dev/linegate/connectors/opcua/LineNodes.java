package dev.linegate.connectors.opcua;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** A line's node ids resolved against one session's namespace table. */
record LineNodes(
    NodeId ready,
    NodeId batchId,
    NodeId product,
    NodeId quantity,
    Optional<NodeId> lot,
    NodeId ack) {

  /** Empty when an {@code nsu=} names a namespace the server does not have. */
  static Optional<LineNodes> resolve(OpcUaSourceConfig.Nodes nodes, NamespaceTable namespaces) {
    Optional<NodeId> ready = resolve(nodes.ready(), namespaces);
    Optional<NodeId> batchId = resolve(nodes.batchId(), namespaces);
    Optional<NodeId> product = resolve(nodes.product(), namespaces);
    Optional<NodeId> quantity = resolve(nodes.quantity(), namespaces);
    Optional<Optional<NodeId>> lot =
        nodes
            .lot()
            .map(id -> resolve(id, namespaces))
            .map(Optional::of)
            .orElse(Optional.of(Optional.empty()));
    if (nodes.lot().isPresent() && lot.get().isEmpty()) {
      return Optional.empty();
    }
    Optional<NodeId> ack = resolve(nodes.ack(), namespaces);
    if (ready.isEmpty()
        || batchId.isEmpty()
        || product.isEmpty()
        || quantity.isEmpty()
        || ack.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new LineNodes(
            ready.get(), batchId.get(), product.get(), quantity.get(), lot.get(), ack.get()));
  }

  /** Says which node ids could not be resolved, and which namespaces the server has. */
  static String unresolved(OpcUaSourceConfig.Nodes nodes, NamespaceTable namespaces) {
    List<String> missing = new ArrayList<>();
    for (String id :
        List.of(nodes.ready(), nodes.batchId(), nodes.product(), nodes.quantity(), nodes.ack())) {
      if (resolve(id, namespaces).isEmpty()) {
        missing.add(id);
      }
    }
    nodes.lot().filter(id -> resolve(id, namespaces).isEmpty()).ifPresent(missing::add);
    return "the server has no namespace for "
        + missing
        + "; its namespaces are "
        + List.of(namespaces.toArray());
  }

  private static Optional<NodeId> resolve(String id, NamespaceTable namespaces) {
    return ExpandedNodeId.parse(id).toNodeId(namespaces);
  }
}
