import { isWatchingInbox, type NotificationText } from "./new-mail";
import { notificationPermission, readPrefs } from "./notification-prefs";

/** Read when mail arrives, not kept in state: a tab can be hidden or blurred at any moment. */
export function currentAttention(viewingInbox: boolean) {
  return {
    visible: document.visibilityState === "visible",
    focused: document.hasFocus(),
    viewingInbox,
  };
}

/** A short two-tone chime made on the spot (Web Audio): no sound file to download. */
function chime(): void {
  try {
    const audio = new AudioContext();
    const start = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.15, start + i * 0.12 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.12);
      osc.stop(start + i * 0.12 + 0.3);
    }
    setTimeout(() => void audio.close(), 1_000);
  } catch {
    // No audio output (or autoplay refused before any user gesture): the notification stays.
  }
}

/**
 * Tells the user about new Inbox mail, unless they are looking at it: a desktop notification
 * when they allowed it, a chime when they chose one. A click on the notification brings the
 * tab forward and opens the message.
 */
export function announceNewMail(
  text: NotificationText | null,
  viewingInbox: boolean,
  onOpen: () => void,
): void {
  if (!text || isWatchingInbox(currentAttention(viewingInbox))) return;
  const prefs = readPrefs();
  if (prefs.sound) chime();
  if (!prefs.desktop || notificationPermission() !== "granted") return;
  const options: NotificationOptions = {
    body: text.body,
    icon: "/icons/icon-192.png",
    // A second arrival replaces the first notification instead of stacking up.
    tag: "pismo-new-mail",
    data: { id: text.open.id },
  };
  try {
    const notification = new Notification(text.title, options);
    notification.onclick = () => {
      window.focus();
      notification.close();
      onOpen();
    };
  } catch {
    // Android Chrome allows notifications only through the service worker.
    void navigator.serviceWorker?.ready.then((registration) =>
      registration.showNotification(text.title, options),
    );
  }
}
