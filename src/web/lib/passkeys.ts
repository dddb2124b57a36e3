import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { api } from "./api-client";

/** The WebAuthn library, loaded with the first passkey action (most visits never need it). */
const webauthn = () => import("@simplewebauthn/browser");

/*
 * The browser's side of passkeys (WebAuthn) for every page: asking the server for options,
 * letting the browser and the authenticator answer, and telling failures apart. Passkeys need
 * a secure context: https, or http://localhost in development.
 */

/** True where the browser can use passkeys at all. */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && window.isSecureContext && typeof window.PublicKeyCredential === "function";
}

/** True where the browser offers passkeys in the autofill of a field (`autocomplete="… webauthn"`). */
export async function passkeyAutofillSupported(): Promise<boolean> {
  return passkeysSupported() ? (await webauthn()).browserSupportsWebAuthnAutofill() : false;
}

/** True when the person (or the browser) cancelled the passkey dialog, or another ceremony replaced it: nothing to report. */
export function isPasskeyCancelled(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === "NotAllowedError" || error.name === "AbortError" || code === "ERROR_CEREMONY_ABORTED";
}

/** True when the authenticator already holds a passkey of this person for this site. */
export function isPasskeyAlreadyRegistered(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED";
}

/** Stops a passkey request in progress (e.g. the autofill one, before a button starts another). */
export function cancelPasskeyRequest(): void {
  void webauthn().then((lib) => lib.WebAuthnAbortService.cancelCeremony());
}

/**
 * Asks the server for request options (`POST /auth/passkey/options`: bound to this browser or
 * session) and lets the person pick a passkey. With `autofill`, the browser offers passkeys in
 * the autofill of the field marked `webauthn` and this waits until one is picked.
 */
export async function getPasskeyAssertion(options: { autofill?: boolean } = {}): Promise<AuthenticationResponseJSON> {
  const [lib, optionsJSON] = await Promise.all([
    webauthn(),
    api.post<PublicKeyCredentialRequestOptionsJSON>("/auth/passkey/options"),
  ]);
  return lib.startAuthentication({ optionsJSON, useBrowserAutofill: options.autofill ?? false });
}

/** Confirms it's the person with a passkey (`POST /auth/reauthenticate {passkey}`): the session counts as fresh. */
export async function reauthenticateWithPasskey(): Promise<void> {
  const passkey = await getPasskeyAssertion();
  await api.post<void>("/auth/reauthenticate", { passkey });
}

/** Lets the browser create a passkey for the creation options the server gave. */
export async function createPasskey(optionsJSON: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
  return (await webauthn()).startRegistration({ optionsJSON });
}
