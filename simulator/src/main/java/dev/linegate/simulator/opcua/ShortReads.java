package dev.linegate.simulator.opcua;

import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.eclipse.milo.opcua.sdk.server.servicesets.AttributeServiceSet;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryUpdateResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * The server's attribute services, which while {@code faulty} says so answer a Read of several
 * values with the first one only: a server that does not keep to the standard, as some PLC firmware
 * does, for a client to survive.
 */
final class ShortReads implements AttributeServiceSet {

  private final AttributeServiceSet standard;
  private final BooleanSupplier faulty;

  ShortReads(AttributeServiceSet standard, BooleanSupplier faulty) {
    this.standard = standard;
    this.faulty = faulty;
  }

  @Override
  public ReadResponse onRead(ServiceRequestContext context, ReadRequest request)
      throws UaException {
    ReadResponse answer = standard.onRead(context, request);
    if (!faulty.getAsBoolean() || answer.getResults() == null || answer.getResults().length < 2) {
      return answer;
    }
    return new ReadResponse(
        answer.getResponseHeader(),
        Arrays.copyOf(answer.getResults(), 1),
        answer.getDiagnosticInfos());
  }

  @Override
  public HistoryReadResponse onHistoryRead(
      ServiceRequestContext context, HistoryReadRequest request) throws UaException {
    return standard.onHistoryRead(context, request);
  }

  @Override
  public WriteResponse onWrite(ServiceRequestContext context, WriteRequest request)
      throws UaException {
    return standard.onWrite(context, request);
  }

  @Override
  public HistoryUpdateResponse onHistoryUpdate(
      ServiceRequestContext context, HistoryUpdateRequest request) throws UaException {
    return standard.onHistoryUpdate(context, request);
  }
}
