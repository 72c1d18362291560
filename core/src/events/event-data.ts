import type { z } from 'zod';
import type { BlockShape } from './blocks.js';
import type { EventSpec, eventSpecs } from './event-specs.js';
import type { FieldSchema, FieldSpec } from './fields.js';
import type { BlockName } from './types.js';

/*
 * The type of each event's normalized data, computed from the same specs composeEvent builds the
 * zod schemas from: a part's shape type is what blockShape()/fieldSchema() return for it, and the
 * data type is zod's output type of the merged loose object. Nothing here restates a field: a new
 * field in blocks.ts or event-specs.ts changes these types by itself.
 */

type OptionalBlocksOf<S extends EventSpec> = S extends {
  optionalBlocks: readonly (infer B extends BlockName)[];
}
  ? B
  : never;

type PartShape<P, OptionalBlock extends BlockName> = P extends BlockName
  ? BlockShape<P, P extends OptionalBlock ? true : false>
  : P extends FieldSpec
    ? { [K in P['key']]: FieldSchema<P> }
    : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** The zod shape composeEvent builds for a spec: its parts' shapes merged. */
type EventShape<S extends EventSpec> =
  UnionToIntersection<
    PartShape<S['parts'][number], OptionalBlocksOf<S>>
  > extends infer Shape extends z.core.$ZodLooseShape
    ? Shape
    : never;

/**
 * What the event's schema outputs: every field typed by its kind (ids and amounts `number | null`,
 * dates ISO `string | null`, flags `boolean | null`), optional where the plugin may leave the key
 * out, and any other key (`wu_version`, add-on keys) as `unknown`.
 */
export type EventDataOf<S extends EventSpec> = z.output<z.ZodObject<EventShape<S>, z.core.$loose>>;

type Spec = (typeof eventSpecs)[number];

/** Every catalog event id → the type of its normalized data. */
export type EventDataMap = { [S in Spec as S['id']]: EventDataOf<S> };

/** The id of an event in the catalog, e.g. `payment_received`. */
export type UmEventId = keyof EventDataMap;

/** The normalized data of event `E`. */
export type EventData<E extends UmEventId> = EventDataMap[E];

export type PaymentReceivedData = EventDataMap['payment_received'];
export type SitePublishedData = EventDataMap['site_published'];
export type ConfirmEmailAddressData = EventDataMap['confirm_email_address'];
export type DomainCreatedData = EventDataMap['domain_created'];
export type RenewalPaymentCreatedData = EventDataMap['renewal_payment_created'];
export type CustomerCreatedData = EventDataMap['customer_created'];
export type CustomerUpdatedData = EventDataMap['customer_updated'];
export type MembershipCreatedData = EventDataMap['membership_created'];
export type MembershipUpdatedData = EventDataMap['membership_updated'];
export type PaymentCreatedData = EventDataMap['payment_created'];
export type PaymentUpdatedData = EventDataMap['payment_updated'];
export type InvoiceSentData = EventDataMap['invoice_sent'];
export type PaymentFailedData = EventDataMap['payment_failed'];
export type MembershipExpiredData = EventDataMap['membership_expired'];
export type DemoSiteExpiringData = EventDataMap['demo_site_expiring'];
export type CheckoutStartedData = EventDataMap['checkout_started'];
export type CheckoutStepCompletedData = EventDataMap['checkout_step_completed'];
export type CheckoutCompletedData = EventDataMap['checkout_completed'];
export type CheckoutFailedData = EventDataMap['checkout_failed'];
export type SubsitePostCreatedData = EventDataMap['subsite_post_created'];
export type SubsiteCptCreatedData = EventDataMap['subsite_cpt_created'];
export type SubsiteUserRegisteredData = EventDataMap['subsite_user_registered'];
export type SubsiteWoocommerceOrderData = EventDataMap['subsite_woocommerce_order'];
