/**
 * NATS JetStream for the services: streams defined in code, publish with `msgID` (JetStream drops
 * duplicates inside the stream's duplicate window), durable pull consumers with explicit ack,
 * nak-with-delay and term, and request/reply under `rpc.…`.
 */
export { Bus, CALLER_HEADER, type BusOptions } from './bus.ts';
export {
  NATS_USERS,
  natsPermissions,
  passwordVariable,
  renderNatsServerConfig,
  servicePermissions,
  subscriberPermissions,
  wire,
  type NatsPermissions,
} from './nats-config.ts';
export { startConsumers, type ConsumerDefinition, type ConsumerContext, PermanentError } from './consumer.ts';
export {
  watchMembershipVersions,
  type MembershipVersionWatch,
  type MembershipVersionOptions,
} from './membership-versions.ts';
export { sealToken, openToken } from './sealed-token.ts';
