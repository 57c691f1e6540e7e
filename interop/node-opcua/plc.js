#!/usr/bin/env node
// The PLC side of Linegate's Ready/Ack handshake (SPEC section 3) on node-opcua, so the gateway
// is tested against an OPC UA stack other than Milo (NodeOpcUaIT).
//
//   node plc.js --port 4840 --lines L1,L2 [--security none|sign-and-encrypt]
//               [--user u --password p] [--pki DIR]
//
// Per line, in the namespace urn:linegate:interop:node-opcua (its index is node-opcua's choice:
// address it with nsu=), string node ids <Line>.Batch.Ready (Boolean), .Id (String), .Product
// (String), .Quantity, .Lot (String, writable) and .Ack (Boolean, writable). Quantity is an Int32
// on the first line and a UInt16 on the second (then alternating): any integer type must do.
//
// Commands on stdin, one a line:  raise <line> <batchId> <product> <quantity>
// Events on stdout, one a line:   listening <endpointUrl>
//                                 certificate <server certificate, PEM>   (with security)
//                                 ready <line> <batchId>                  (ready raised)
//                                 acked <line> <batchId> <lot>            (ack seen, ready dropped)
//                                 released <line> <batchId>               (ack dropped: next batch)
//                                 error <message>
// node-opcua's own log lines go to stdout too; they start with a time, never with these words.
// The server stops when stdin closes.
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const {
  OPCUAServer,
  OPCUACertificateManager,
  SecurityPolicy,
  MessageSecurityMode,
  RegisterServerMethod,
  DataType,
  Variant,
} = require("node-opcua");

const NAMESPACE_URI = "urn:linegate:interop:node-opcua";

function parseArgs(argv) {
  const args = { port: 4840, lines: ["L1"], security: "none", user: "", password: "", pki: path.resolve("pki") };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    switch (key) {
      case "--port": args.port = Number(value); break;
      case "--lines": args.lines = value.split(",").filter(Boolean); break;
      case "--security": args.security = value; break;
      case "--user": args.user = value; break;
      case "--password": args.password = value; break;
      case "--pki": args.pki = path.resolve(value); break;
      default: throw new Error(`unknown option ${key}`);
    }
  }
  if (!["none", "sign-and-encrypt"].includes(args.security)) throw new Error(`--security must be none or sign-and-encrypt, not ${args.security}`);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error(`--port must be a port number`);
  if (args.lines.length === 0) throw new Error("--lines needs at least one line");
  if (Boolean(args.user) !== Boolean(args.password)) throw new Error("--user and --password go together");
  return args;
}

function emit(...words) {
  process.stdout.write(words.join(" ") + "\n");
}

/** One line's nodes and its side of the handshake: hold ready until ack, drop it, wait for ack to drop. */
class Line {
  constructor(namespace, folder, id, quantityType) {
    this.id = id;
    this.queue = [];
    this.current = null; // the batch whose ready is high, or whose ack has not dropped yet
    const variable = (name, dataType, value, writable) =>
      namespace.addVariable({
        organizedBy: folder,
        browseName: `${id}.Batch.${name}`,
        nodeId: `s=${id}.Batch.${name}`,
        dataType,
        accessLevel: writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
        userAccessLevel: writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
        value: new Variant({ dataType: DataType[dataType], value }),
      });
    this.ready = variable("Ready", "Boolean", false, false);
    this.batchId = variable("Id", "String", "", false);
    this.product = variable("Product", "String", "", false);
    this.quantity = variable("Quantity", quantityType, 0, false);
    this.quantityType = quantityType;
    this.lot = variable("Lot", "String", "", true);
    this.ack = variable("Ack", "Boolean", false, true);
    this.ack.on("value_changed", (dataValue) => this.onAck(dataValue.value.value === true));
  }

  raise(batchId, product, quantity) {
    this.queue.push({ batchId, product, quantity });
    this.next();
  }

  next() {
    if (this.current || this.queue.length === 0 || this.value(this.ack)) return;
    this.current = this.queue.shift();
    const set = (node, dataType, value) => node.setValueFromSource(new Variant({ dataType, value }));
    set(this.batchId, DataType.String, this.current.batchId);
    set(this.product, DataType.String, this.current.product);
    set(this.quantity, DataType[this.quantityType], this.current.quantity);
    set(this.ready, DataType.Boolean, true);
    emit("ready", this.id, this.current.batchId);
  }

  onAck(high) {
    if (!this.current) return;
    if (high && this.value(this.ready)) {
      emit("acked", this.id, this.current.batchId, this.value(this.lot) || "-");
      this.ready.setValueFromSource(new Variant({ dataType: DataType.Boolean, value: false }));
    } else if (!high && !this.value(this.ready)) {
      emit("released", this.id, this.current.batchId);
      this.current = null;
      this.next();
    }
  }

  value(node) {
    return node.readValue().value.value;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const secure = args.security === "sign-and-encrypt";
  // The gateway's client certificate is accepted as it comes: this PLC tests the gateway's trust, not its own.
  const serverCertificateManager = new OPCUACertificateManager({ rootFolder: path.join(args.pki, "server"), automaticallyAcceptUnknownCertificate: true });
  const userCertificateManager = new OPCUACertificateManager({ rootFolder: path.join(args.pki, "user"), automaticallyAcceptUnknownCertificate: false });
  const server = new OPCUAServer({
    port: args.port,
    serverCertificateManager,
    userCertificateManager,
    registerServerMethod: RegisterServerMethod.HIDDEN,
    securityPolicies: [secure ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None],
    securityModes: [secure ? MessageSecurityMode.SignAndEncrypt : MessageSecurityMode.None],
    allowAnonymous: !args.user,
    userManager: args.user ? { isValidUser: (user, password) => user === args.user && password === args.password } : undefined,
    buildInfo: { productName: "Linegate interop PLC (node-opcua)" },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  const namespace = addressSpace.registerNamespace(NAMESPACE_URI);
  const lines = new Map();
  args.lines.forEach((id, index) => {
    const folder = namespace.addFolder(addressSpace.rootFolder.objects, { browseName: id });
    lines.set(id, new Line(namespace, folder, id, index % 2 === 0 ? "Int32" : "UInt16"));
  });
  await server.start();
  if (secure) emit("certificate", server.certificateFile);
  emit("listening", server.getEndpointUrl());

  const input = readline.createInterface({ input: process.stdin });
  input.on("line", (text) => {
    const [command, line, batchId, product, quantity] = text.trim().split(/\s+/);
    if (command !== "raise" || !lines.has(line) || !batchId || !product || !/^\d+$/.test(quantity || "")) {
      emit("error", `not understood: ${text} (raise <line> <batchId> <product> <quantity>, lines ${[...lines.keys()].join(",")})`);
      return;
    }
    lines.get(line).raise(batchId, product, Number(quantity));
  });
  input.on("close", async () => {
    await server.shutdown(0);
    process.exit(0);
  });
}

main().catch((e) => {
  emit("error", e.message);
  process.exit(1);
});
