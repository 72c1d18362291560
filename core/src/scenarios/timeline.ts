import { mysqlDate } from './clock.js';
import {
  assemblePayload,
  customerFacts,
  membershipFacts,
  paymentFacts,
  type CustomerState,
  type Facts,
  type MembershipState,
  type PaymentState,
} from './facts.js';
import { CODE_ALPHABET, type World } from './world.js';

/** One event of a scenario run: what fired, when (in the scenario's time) and why. */
export interface ScenarioStep {
  event: string;
  /** `Y-m-d H:i:s`, UTC: when the plugin would fire it. */
  at: string;
  /** What happened in the plugin, with the code that fires it. */
  cause: string;
  payload: Record<string, unknown>;
}

/**
 * The mutable state of one run: the customer's, membership's and payments' current values, and a
 * clock that only moves forward. Scenarios change the state, then `emit` an event built from it.
 */
export class Timeline {
  readonly steps: ScenarioStep[] = [];
  now: number;
  customer: CustomerState = { verification: 'none', billingSaved: true };
  membership: MembershipState;
  private paymentCount = 0;

  constructor(readonly world: World) {
    this.now = world.start;
    this.membership = { status: 'active', gateway: 'stripe', expiration: null };
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Moves the clock to `ms` (never back). */
  until(ms: number): this {
    this.now = Math.max(this.now, ms);
    return this;
  }

  /** A new payment row: the next id, a fresh reference code, amounts with the plan's tax rate. */
  newPayment(subtotal: number, status: PaymentState['status'], gateway: string): PaymentState {
    const { world } = this;
    const tax = Math.round(subtotal * world.plan.taxRate * 100) / 100;
    return {
      id: world.firstPaymentId + this.paymentCount++,
      reference: world.random.text(10, CODE_ALPHABET),
      status,
      subtotal,
      tax,
      total: Math.round((subtotal + tax) * 100) / 100,
      created: this.now,
      gateway,
      invoiceKey: world.random.text(10, '0123456789abcdef'),
    };
  }

  customerFacts(): Facts {
    return customerFacts(this.world, this.customer);
  }

  membershipFacts(): Facts {
    return membershipFacts(this.world, this.membership);
  }

  paymentFacts(payment: PaymentState): Facts {
    return paymentFacts(this.world, payment);
  }

  /** The customer, membership and (when given) payment blocks plus `extra`, as of now. */
  facts(payment?: PaymentState, extra: Facts = {}): Facts {
    return {
      ...this.customerFacts(),
      ...this.membershipFacts(),
      ...(payment ? this.paymentFacts(payment) : {}),
      ...extra,
    };
  }

  emit(event: string, cause: string, facts: Facts): void {
    this.steps.push({
      event,
      at: mysqlDate(this.now),
      cause,
      payload: assemblePayload(event, facts),
    });
  }

  /** For payloads not built from the flat blocks (demo_site_expiring's nested live shape). */
  emitRaw(event: string, cause: string, payload: Record<string, unknown>): void {
    this.steps.push({ event, at: mysqlDate(this.now), cause, payload });
  }
}
