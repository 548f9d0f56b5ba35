/**
 * NATS JetStream for the services: streams defined in code, publish with `msgID` (JetStream drops
 * duplicates inside the stream's duplicate window), durable pull consumers with explicit ack,
 * nak-with-delay and term, and request/reply under `rpc.…`.
 */
export { Bus, type BusOptions } from './bus.ts';
export { startConsumers, type ConsumerDefinition, type ConsumerContext, PermanentError } from './consumer.ts';
export {
  watchMembershipVersions,
  type MembershipVersionWatch,
  type MembershipVersionOptions,
} from './membership-versions.ts';
