/**
 * The admin token as an admin form holds it: the one this tab kept
 * (chaos-admin-token.ts), else the one typed into the form's token field;
 * forgotten on request, and when the edge refuses it so the next try asks
 * again instead of failing the same way.
 */
import { createSignal, type Accessor, type Signal } from "solid-js";
import { EdgeError } from "../data/edge-call.ts";
import { forgetAdminToken, isAdminToken, loadAdminToken, saveAdminToken } from "../views/chaos-admin-token.ts";

export interface AdminTokenField {
  token: Accessor<string | null>;
  /** Reads the kept token again (another form of the page may have kept one). */
  reload(): void;
  /** The kept token, else the form's `field` when it looks like an admin token (kept from then on); null when neither. */
  take(form: HTMLFormElement, field: string): string | null;
  forget(): void;
  /** Whether `err` is the edge refusing the token (401/403); it is then forgotten. */
  refused(err: unknown): err is EdgeError;
}

// one signal per workspace for every form of the page: a token forgotten or refused in one is gone from all
const signals = new Map<string, Signal<string | null>>();

function tokenSignal(workspaceId: string): Signal<string | null> {
  let signal = signals.get(workspaceId);
  if (signal === undefined) signals.set(workspaceId, (signal = createSignal<string | null>(loadAdminToken(workspaceId))));
  return signal;
}

export function createAdminTokenField(workspaceId: () => string): AdminTokenField {
  const token = () => tokenSignal(workspaceId())[0]();
  const setToken = (value: string | null) => tokenSignal(workspaceId())[1](value);
  const forget = () => {
    forgetAdminToken(workspaceId());
    setToken(null);
  };
  return {
    token,
    reload: () => setToken(loadAdminToken(workspaceId())),
    take(form, field) {
      const kept = token();
      if (kept !== null) return kept;
      const input = form.elements.namedItem(field) as HTMLInputElement | null;
      const value = input?.value.trim() ?? "";
      if (!isAdminToken(value)) return null;
      saveAdminToken(workspaceId(), value);
      setToken(value);
      return value;
    },
    forget,
    refused(err): err is EdgeError {
      if (!(err instanceof EdgeError) || (err.status !== 401 && err.status !== 403)) return false;
      forget();
      return true;
    },
  };
}
