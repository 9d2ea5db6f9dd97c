import type net from "node:net";

// The waits every line protocol's socket shell needs (POP3, ManageSieve): written once.

/** Resolves on the socket's connect (or TLS secureConnect), rejects on its first error. */
export function waitForConnect(socket: net.Socket, event: "connect" | "secureConnect"): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onOk = (): void => {
      socket.off("error", onError);
      resolve();
    };
    const onError = (error: Error): void => {
      socket.off(event, onOk);
      reject(error);
    };
    socket.once(event, onOk);
    socket.once("error", onError);
  });
}

/** The promise, or `onTimeout()`'s error after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
