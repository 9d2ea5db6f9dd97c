import net from "node:net";
import tls from "node:tls";
import { errorFromSocket, Pop3Error } from "./errors";
import { waitForConnect, withTimeout } from "../line-protocol/socket-wait";

/**
 * The sockets under a POP3 session: TCP or implicit TLS (port 995) to begin with, and the
 * STLS upgrade (RFC 2595 section 4) that wraps the same TCP connection in TLS. Each waits for
 * its handshake within a bound and maps what fails to the protocol's codes.
 */

/**
 * A socket that starts connecting at once: TLS from the first byte when `implicitTls`. The
 * server name is sent (SNI) only for host names, never for IP literals (RFC 6066 section 3).
 */
export function openSocket(
  host: string,
  port: number,
  implicitTls: boolean,
  tlsOptions: tls.ConnectionOptions | undefined,
): net.Socket {
  const servername = serverName(host);
  return implicitTls
    ? tls.connect({ host, port, ...(servername === undefined ? {} : { servername }), ...tlsOptions })
    : net.connect({ host, port });
}

/** Wraps a plain socket, after the server's +OK to STLS, in TLS. */
export function wrapInTls(
  plain: net.Socket,
  host: string,
  tlsOptions: tls.ConnectionOptions | undefined,
): tls.TLSSocket {
  const servername = serverName(host);
  return tls.connect({ socket: plain, ...(servername === undefined ? {} : { servername }), ...tlsOptions });
}

/**
 * Waits for the TCP connect or the TLS handshake; past `timeoutMs` the socket is destroyed and
 * the wait fails with TIMEOUT. Any failure during a TLS handshake is TLS_FAILED.
 */
export async function handshake(
  socket: net.Socket,
  tlsHandshake: boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  await withTimeout(waitForConnect(socket, tlsHandshake ? "secureConnect" : "connect"), timeoutMs, () => {
    socket.destroy();
    return new Pop3Error("TIMEOUT", `${what} within ${timeoutMs} ms`);
  }).catch((error: unknown) => {
    throw errorFromSocket(error, tlsHandshake);
  });
}

function serverName(host: string): string | undefined {
  return net.isIP(host) === 0 ? host : undefined;
}
