import type { MailProtocol, ProbeResult, ServerDefaults } from "../schemas/server";

/**
 * The interfaces the gateway implements and the router calls. The router is written against
 * these ports so that it holds no I/O and can be tested with plain objects.
 */
export interface ServerPort {
  defaults(): ServerDefaults;
  /** Connects to the configured server without signing in and reads its capabilities. */
  probe(protocol: MailProtocol): Promise<ProbeResult>;
}

export interface GatewayPorts {
  server: ServerPort;
}

/** What every procedure sees: the ports, built once per WebSocket connection. */
export interface RouterContext {
  ports: GatewayPorts;
}
