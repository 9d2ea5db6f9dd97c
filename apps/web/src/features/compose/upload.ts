import { GatewayError } from "@/lib/errors";
import { errorFromAnswer } from "@/lib/gateway-http";
import { gatewayHttpUrl } from "@/trpc/client";

export interface UploadResult {
  id: string;
  size: number;
}

/**
 * Streams one file to the gateway (POST /api/upload), reporting progress. XMLHttpRequest,
 * because fetch still cannot report upload progress; its failures read like gatewayFetch's.
 */
export function uploadFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    // Stopped: settled, so that whoever waits for it goes on (XMLHttpRequest's abort() fires
    // neither load nor error), also when stopped before it started (a signal fires only once).
    const stopped = () => reject(new DOMException("The upload was stopped", "AbortError"));
    if (signal.aborted) return stopped();
    const xhr = new XMLHttpRequest();
    const url = gatewayHttpUrl(
      `/api/upload?${new URLSearchParams({ filename: file.name, type: file.type || "application/octet-stream" }).toString()}`,
    );
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          const body = JSON.parse(xhr.responseText) as { id?: string; size?: number };
          if (body.id) return resolve({ id: body.id, size: body.size ?? file.size });
        } catch {
          // An answer without an id is a failure like any other.
        }
        return reject(new GatewayError("INTERNAL", xhr.statusText));
      }
      reject(errorFromAnswer(xhr.status, xhr.responseText, xhr.statusText));
    };
    xhr.onerror = () => reject(new GatewayError("NETWORK", "network"));
    xhr.onabort = stopped;
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}
