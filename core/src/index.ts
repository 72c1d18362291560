// The public API of @umhooks/core: other packages import only from here.
export type {
  BlockName,
  Candidate,
  Delivery,
  EventDefinition,
  FieldInfo,
  FieldType,
  ParseResult,
  PayloadIssue,
} from './events/types.js';
export { catalog, getEvent, genericEvent, resolveEvent } from './events/catalog.js';
export { parsePayload } from './events/parse.js';
export { identify } from './events/identify.js';
export type {
  EventData,
  EventDataMap,
  UmEventId,
  PaymentReceivedData,
  SitePublishedData,
  ConfirmEmailAddressData,
  DomainCreatedData,
  RenewalPaymentCreatedData,
  CustomerCreatedData,
  CustomerUpdatedData,
  MembershipCreatedData,
  MembershipUpdatedData,
  PaymentCreatedData,
  PaymentUpdatedData,
  InvoiceSentData,
  PaymentFailedData,
  MembershipExpiredData,
  DemoSiteExpiringData,
  CheckoutStartedData,
  CheckoutStepCompletedData,
  CheckoutCompletedData,
  CheckoutFailedData,
  SubsitePostCreatedData,
  SubsiteCptCreatedData,
  SubsiteUserRegisteredData,
  SubsiteWoocommerceOrderData,
} from './events/event-data.js';

// Receiving webhooks in an app: one call from request to typed event.
export { receive, verifyAndReceive } from './receive/receive.js';
export {
  receiveRequest,
  verifyAndReceiveRequest,
  type FetchRequestLike,
} from './receive/request.js';
export { WebhookBodyTooLargeError } from './receive/body.js';
export type {
  Received,
  ReceivedBody,
  ReceivedEvent,
  ReceivedHeaders,
  ReceivedUnknownEvent,
  ReceiveInput,
  ReceiveIssue,
  ReceiveOptions,
  SignatureVerdict,
  ValidSignature,
  Verified,
} from './receive/types.js';

export type {
  Attempt,
  AttemptRequest,
  DeliverOptions,
  DeliveryErrorKind,
  ExchangeResult,
  LocalLimits,
  LocalRoute,
  NextStep,
  Profile,
  RedirectHop,
  RetryPolicy,
} from './delivery/types.js';
export {
  sign,
  verify,
  generateSecret,
  secretKey,
  WebhookVerificationError,
  type HeaderSource,
  type VerificationFailure,
} from './delivery/signature.js';
export { encodePhpJson } from './delivery/php-json.js';
export { buildRequest, deliver } from './delivery/deliver.js';
export { decideNext, defaultRetryPolicy } from './delivery/retry.js';
export {
  buildReplay,
  replayedHeaders,
  replayAttempt,
  replayUrl,
  sendReplay,
  REPLAY_TIMEOUT_MS,
  type CapturedHttpRequest,
  type ReplayAttempt,
  type ReplayOptions,
  type ReplayRequest,
} from './delivery/replay.js';
export { parseRetryAfter } from './delivery/retry-after.js';
export {
  addressCategory,
  createDeliveryAgent,
  isPrivateAddress,
  type BlockedHint,
  type DeliveryAgentOptions,
} from './delivery/network-guard.js';
export type { WireRequest } from './delivery/http-exchange.js';
export { sendRaw, type SendRawOptions } from './delivery/send-raw.js';

export {
  webhookRecordSchema,
  webhookCreateSchema,
  webhookUpdateSchema,
  checkWebhookCreate,
  checkWebhookUpdate,
  formatWebhookRecord,
  unknownWebhookUpdateKeys,
  invalidSetMethodError,
  webhookNotFoundError,
  webhookRuleProblems,
  integrationOrDefault,
  WEBHOOK_MAX_LENGTH,
  WEBHOOK_MIN_LENGTH,
  type WebhookRuleField,
  type WebhookRuleProblem,
  type WpRestErrorBody,
  type WebhookRecord,
  type WebhookCreate,
  type WebhookUpdate,
  type StoredWebhook,
  type WebhookCheck,
  type WpRestError,
} from './webhooks/record.js';

export {
  applyOverrides,
  parseAssignments,
  typeValue,
  type OverrideResult,
  type Overrides,
} from './events/overrides.js';
export {
  getScenario,
  listScenarios,
  runScenario,
  ScenarioError,
  MAX_SEED,
  type ScenarioDefinition,
  type ScenarioRun,
  type ScenarioRunOptions,
  type ScenarioStep,
} from './scenarios/run.js';
export { seededRandom, type Random } from './scenarios/random.js';
