/** Every request/reply subject the auth service answers. */
import type { Deps } from '../deps.ts';
import { respondOrganizationGet } from './organization-get.responder.ts';

/** The responders run with the API role (they answer on its behalf). */
export function responders(deps: Pick<Deps, 'bus' | 'orm'>): void {
  respondOrganizationGet(deps);
}
