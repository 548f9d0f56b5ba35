/**
 * One-time tokens put into events are sealed for the notification service (`BUS_TOKEN_KEY`, see
 * `sealToken` in @invoice/platform-bus); the key is set once at start-up by createDeps.
 */
import { sealToken } from '@invoice/platform-bus';

let busTokenKey = '';

/** Sets the key every later {@link tokenForBus} seals with. */
export function useBusTokenKey(key: string): void {
  busTokenKey = key;
}

/** The token as it goes into an event: sealed when a key is set. */
export function tokenForBus(token: string): string {
  return sealToken(token, busTokenKey);
}
