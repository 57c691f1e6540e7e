package dev.linegate.simulator.opcua;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.jspecify.annotations.Nullable;

/**
 * The PLC's address space: per line a folder {@code <line>} with the handshake variables {@code
 * <line>.Batch.*}, sampled for subscriptions by a {@link SubscriptionModel}. Writes by clients are
 * reported to {@code clientWrites} after they took effect.
 */
final class PlcNamespace extends ManagedNamespaceWithLifecycle {

  /** Where a client's write lands. */
  interface ClientWrites {
    void written(String line, BatchField field, DataValue value);
  }

  private final SubscriptionModel subscriptionModel;
  private final Map<String, Map<BatchField, UaVariableNode>> nodes = new HashMap<>();

  PlcNamespace(
      OpcUaServer server,
      List<String> lines,
      QuantityType quantityType,
      Function<String, Map<BatchField, DataValue>> values,
      ClientWrites clientWrites) {
    super(server, OpcUaPlc.NAMESPACE_URI);
    subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager()
        .addStartupTask(
            () ->
                lines.forEach(
                    line -> addLine(line, quantityType, values.apply(line), clientWrites)));
  }

  private void addLine(
      String line,
      QuantityType quantityType,
      Map<BatchField, DataValue> values,
      ClientWrites clientWrites) {
    var folder =
        new UaFolderNode(
            getNodeContext(), newNodeId(line), newQualifiedName(line), LocalizedText.english(line));
    getNodeManager().addNode(folder);
    folder.addReference(
        new Reference(
            folder.getNodeId(),
            NodeIds.Organizes,
            NodeIds.ObjectsFolder.expanded(),
            Reference.Direction.INVERSE));
    var lineNodes = new EnumMap<BatchField, UaVariableNode>(BatchField.class);
    for (BatchField field : BatchField.values()) {
      var node =
          new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
              .setNodeId(newNodeId(field.identifier(line)))
              .setBrowseName(newQualifiedName(field.browseName()))
              .setDisplayName(LocalizedText.english(field.identifier(line)))
              .setDataType(
                  field == BatchField.QUANTITY ? quantityType.dataType() : field.dataType())
              .setTypeDefinition(NodeIds.BaseDataVariableType)
              .setAccessLevel(field.access())
              .setUserAccessLevel(field.access())
              .setValue(values.get(field))
              .build();
      if (field.writableByClients()) {
        node.getFilterChain().addLast(new ReportWrites(line, field, clientWrites));
      }
      getNodeManager().addNode(node);
      folder.addOrganizes(node);
      lineNodes.put(field, node);
    }
    nodes.put(line, lineNodes);
  }

  /** Sets a value as the PLC program would: no access checks, no report. */
  void set(String line, BatchField field, DataValue value) {
    UaVariableNode node = node(line, field);
    if (node != null) {
      node.setValue(value);
    }
  }

  private @Nullable UaVariableNode node(String line, BatchField field) {
    Map<BatchField, UaVariableNode> lineNodes = nodes.get(line);
    return lineNodes == null ? null : lineNodes.get(field);
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsCreated(dataItems);
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsModified(dataItems);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    subscriptionModel.onDataItemsDeleted(dataItems);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    subscriptionModel.onMonitoringModeChanged(monitoredItems);
  }

  /** Lets a client's write through, then tells the PLC program about it. */
  private record ReportWrites(String line, BatchField field, ClientWrites clientWrites)
      implements AttributeFilter {
    @Override
    public void writeAttribute(
        AttributeFilterContext ctx, AttributeId attributeId, @Nullable Object value)
        throws UaException {
      ctx.writeAttribute(attributeId, value);
      if (attributeId == AttributeId.Value && value instanceof DataValue written) {
        clientWrites.written(line, field, written);
      }
    }
  }
}
