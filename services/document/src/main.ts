/** Process entry of the document service (roles chosen by ROLE; see @invoice/platform-service). */
import { runMain } from '@invoice/platform-service';
import { service } from './service.ts';

await runMain(service);
