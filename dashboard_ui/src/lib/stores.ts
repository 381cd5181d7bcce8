// Browser-kept settings read through useSyncExternalStore: the token (sessionStorage, never a URL)
// and the theme (localStorage).
import { useSyncExternalStore } from "react";

type Area = "session" | "local";
const EVENT = "ntx-storage";

function storage(area: Area): Storage | null {
  try {
    return area === "session" ? window.sessionStorage : window.localStorage;
  } catch {
    return null;
  }
}

function subscribe(callback: () => void): () => void {
  window.addEventListener(EVENT, callback);
  window.addEventListener("storage", callback);
  return () => {
    window.removeEventListener(EVENT, callback);
    window.removeEventListener("storage", callback);
  };
}

export function writeStored(area: Area, key: string, value: string | null): void {
  const store = storage(area);
  if (!store) return;
  if (value === null) store.removeItem(key);
  else store.setItem(key, value);
  window.dispatchEvent(new Event(EVENT));
}

export function useStored(area: Area, key: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => storage(area)?.getItem(key) ?? null,
    () => null,
  );
}

export const TOKEN_KEY = "ntx.token";
export const THEME_KEY = "ntx.theme";
export type Theme = "dark" | "light";

export function useToken(): [string | null, (token: string | null) => void] {
  return [useStored("session", TOKEN_KEY), (token) => writeStored("session", TOKEN_KEY, token)];
}

export function useTheme(): [Theme, (theme: Theme) => void] {
  const stored = useStored("local", THEME_KEY);
  const theme: Theme = stored === "light" ? "light" : "dark";
  return [
    theme,
    (next) => {
      document.documentElement.classList.toggle("dark", next === "dark");
      document.documentElement.style.colorScheme = next;
      writeStored("local", THEME_KEY, next);
    },
  ];
}
