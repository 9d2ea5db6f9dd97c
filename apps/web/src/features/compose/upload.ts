import { gatewayHttpUrl } from "@/trpc/client";

export interface UploadResult {
  id: string;
  size: number;
}

/**
 * Streams one file to the gateway (POST /api/upload), reporting progress. XMLHttpRequest,
 * because fetch still cannot report upload progress.
 */
export function uploadFile(
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = gatewayHttpUrl(
      `/api/upload?${new URLSearchParams({ filename: file.name, type: file.type || "application/octet-stream" }).toString()}`,
    );
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as {
          id?: string;
          size?: number;
          error?: { code: string; message: string };
        };
        if (xhr.status === 200 && body.id) resolve({ id: body.id, size: body.size ?? file.size });
        else
          reject(
            Object.assign(new Error(body.error?.message ?? xhr.statusText), {
              code: body.error?.code ?? "INTERNAL",
            }),
          );
      } catch {
        reject(Object.assign(new Error(xhr.statusText), { code: "INTERNAL" }));
      }
    };
    xhr.onerror = () => reject(Object.assign(new Error("network"), { code: "NETWORK" }));
    signal.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}
