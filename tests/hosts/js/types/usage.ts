// Type-checks the package's generated .d.ts (tsc --noEmit, see tsconfig.json):
// every operation with its precise input and output types. Not run.
import {
  init, wasmBytes, call, quote, applyEvent, replay, memberSummary, pointsHistory, couponWallet,
  eligibleMembers, lifecycleAlerts, validateRules, demoRules, operations, checkRules, isSiyuError, makeScene, parseScene,
  assignContact, channelStats, validatePoster, renderPoster, posterCommands, demoPosters, drawPoster,
} from 'siyu';
import type {
  Rules, Member, Cart, Quote, QuoteInput, Event, Summary, History, WalletEntry, Targeting,
  RulesCheck, OperationInfo, ErrorInfo, SiyuError, Envelope, Fen, Millis, Booked, Effect, ErrorCode,
  CouponTemplate, Campaign, SceneParts, Made, Parsed, Kind, Alerts, Segment, Why, Referral, ReferralBinding, Invites,
  InviteTask, InviteTasks, TaskProgress, TaskView, Standing,
  Distribution, Commissions, Earnings, OrderEarning, Stage, Status, LineMoney,
  Channel, ChannelKind, Assigned, ChannelStats, ChannelCounts,
  PosterTemplate, PosterElement, PosterCheck, PosterSvg, PosterCommands, PosterCommand, PosterInput,
  PosterContext2D, PosterImage, PosterImages, PosterDrawn,
} from 'siyu';

export async function demo(): Promise<void> {
  await init();
  const bytes: Uint8Array | undefined = wasmBytes();
  const rules: Rules = demoRules();
  const ops: OperationInfo[] = operations();
  const check: RulesCheck = validateRules({ rules });
  const fingerprint: string = check.fingerprint;

  const now: Millis = 1767225600000;
  const cart: Cart = {
    lines: [{ sku: 'tea', category: 'tea', unit_price: 6800, quantity: 2 }],
    coupons: 'best',
    points: 'max',
  };
  const events: Event[] = [];
  const member: Member = replay({ rules, events });
  const input: QuoteInput = { rules, member, cart, now };
  const q: Quote = quote(input);
  const payable: Fen = q.totals.payable;
  const lineSum: number = q.lines.reduce((s, l) => s + l.paid, 0);
  const guest: Quote = quote({ rules, cart: { lines: cart.lines, coupons: ['c1', 'c2'], points: 100 }, now });

  const summary: Summary = memberSummary({ rules, member, now });
  const history: History = pointsHistory({ rules, member, now });
  const wallet: WalletEntry[] = couponWallet({ rules, member, now });
  const reach: Targeting = eligibleMembers({ rules, template: 'welcome', members: [member], now });
  const why: Why = summary.lifecycle;
  const alerts: Alerts = lifecycleAlerts({
    rules, since: '2026-09-01', now, members: [{ id: 'm1', joined_at: now - 86_400_000, orders: [{ at: now, paid: 9900 }] }],
  });
  const moved: Segment | null | undefined = alerts.changed[0]?.from;
  const onDay: string | undefined = alerts.changed[0]?.on;
  const task: string | undefined = alerts.changed[0]?.action?.task;
  const risk: number | null = why.days_since_last_order;
  // Channels: a scan's staff member and tags, and statistics per channel and guide.
  const channels: Channel[] | undefined = rules.channels;
  const assigned: Assigned = assignContact({ rules, scene: 'C35Z', counter: 0 });
  const guide: string | null | undefined = assigned.staff;
  const nextCounter: number = assigned.next_counter;
  const channelKind: ChannelKind = assigned.kind;
  const stats: ChannelStats = channelStats({
    rules, from: '2026-11-11', to: '2026-11-12',
    contacts: [{ member: 'm1', channel: 'store-xuhui', guide: 'guide-li', events: [{ kind: 'paid', at: now, fen: 9900 }] }],
  });
  const total: ChannelCounts = stats.total;
  const conversion: number = total.conversion_bp;
  if (events.length) {
    const booked: Booked = applyEvent({ rules, member, event: events[0] });
    const next: Member = booked.member;
    const others: Effect[] = booked.effects;
    const forWhom: string | undefined = others[0]?.member;
  }

  // Referral: bind an invitee; the inviter's reward comes back as an effect,
  // which the host books on the inviter (with its budget count).
  const referral: Referral | null | undefined = rules.referral;
  const bound: Event = {
    id: 'b2', at: now, type: 'referral_bound', inviter: 'm-ann', scene: 'M9V61',
    first_scan_at: now, fingerprints: ['device:d1'], seen: [],
  };
  const bo: Booked = applyEvent({ rules, member, event: bound });
  const binding: ReferralBinding | null | undefined = bo.member.referral;
  for (const fx of bo.effects) {
    const ev: Event = fx.event;
    if (ev.type === 'referral_reward') {
      const invitee: string = ev.invitee;
      const ann: Booked = applyEvent({ rules, member, event: { ...ev, budget_used: 12 } });
      const invites: Invites | null | undefined = ann.member.invites;
      void [invitee, invites];
    }
  }
  void [referral, binding];

  // Invite tasks: a friend follows (an effect steps the inviter); progress
  // for the UI comes with the member summary.
  const tasks: InviteTask[] | undefined = rules.invite_tasks;
  const followed: Booked = applyEvent({ rules, member: bo.member, event: { id: 'b3', at: now, type: 'followed' } });
  for (const fx of followed.effects) {
    if (fx.event.type === 'invite_task_step') {
      const standing: Standing = fx.event.standing;
      const task: string = fx.event.task;
      void [standing, task];
    }
  }
  const mine: InviteTasks | null | undefined = followed.member.invite_tasks;
  const progress: TaskProgress[] | undefined = mine?.progress;
  const views: TaskView[] | undefined = memberSummary({ rules, member: followed.member, now }).invite_tasks;
  const timeLeft: number | undefined = views?.[0]?.time_left_ms;
  const needed: number | undefined = views?.[0]?.needed;
  void [tasks, progress, timeLeft, needed];
  // Distribution: commissions reach the inviter (and theirs) as effects;
  // the distributor's summary shows what is pending, frozen, withdrawable.
  const distribution: Distribution | null | undefined = rules.distribution;
  for (const fx of bo.effects) {
    const ev: Event = fx.event;
    if (ev.type === 'commission') {
      const stage: Stage = ev.stage;
      const lines: LineMoney[] | undefined = ev.lines;
      void [stage, lines];
    }
  }
  const withdraw: Event = { id: 'w1', at: now, type: 'commission_withdrawn', amount: 1000 };
  const ledger: Commissions | null | undefined = bo.member.commissions;
  const earnings: Earnings | null | undefined = memberSummary({ rules, member, now }).commission;
  const perOrder: OrderEarning[] = earnings?.orders ?? [];
  const status: Status | undefined = perOrder[0]?.status;
  void [distribution, withdraw, ledger, status];

  const parts: SceneParts = { kind: 'guide', number: 42, channel: 7 };
  const made: Made = makeScene(parts);
  const shareUrl: string = `/pages/index?scene=${made.url_value}`;
  const read: Parsed = parseScene({ scene: made.scene });
  const kind: Kind = read.kind;
  const channel: number | undefined = read.channel;

  const text: string = call('quote', JSON.stringify(input));
  const env = JSON.parse(text) as Envelope<Quote>;
  if ('error' in env) {
    const e: ErrorInfo = env.error;
    const firstProblem: string | undefined = e.problems?.[0]?.code;
  }
  try {
    quote({ rules, cart: { lines: [] }, now });
  } catch (err) {
    const e = err as SiyuError;
    const fields: [string, string, string, string, string] = [e.code, e.path, e.zh, e.en, e.message];
    const problems: ErrorInfo[] | undefined = e.problems;
  }
  // Rules read from a JSON file: `unknown` in, `Rules` out (or a SiyuError).
  const fromFile: unknown = JSON.parse('{"schema": 1}');
  const checked: Rules = checkRules(fromFile);
  try {
    quote({ rules: checked, cart, now });
  } catch (err: unknown) {
    if (isSiyuError(err)) {
      const code: ErrorCode = err.code;
      const first: ErrorCode | undefined = err.problems?.[0]?.code;
      if (code === 'NOT_INITIALIZED' || code === 'RULES_INVALID') void first;
    } else {
      throw err;
    }
  }
  void [bytes, ops, fingerprint, payable, lineSum, guest, summary, history, wallet, reach];
}

// The codes are a union generated from the Rust list: a typo is an error.
// @ts-expect-error not a code
const typo: ErrorCode = 'RULES_INVALD';
void typo;

// A rule set written by hand in the format of docs/rules.md: every kind is
// tagged `type`, and a coupon's or a campaign's kind sits in the object.
export const handWritten: Rules = {
  schema: 1,
  membership: {
    growth: { per_yuan: 1, window: { type: 'rolling', days: 365 } },
    tiers: [{ id: 'member', name: '会员', threshold: 0 }],
  },
  points: { earn_per_yuan: 1, expiry: { type: 'month_end', months: 12 } },
  coupons: [{
    id: 'full-100-20', name: '满 100 减 20', type: 'amount_off', amount: 2000, threshold: 10000,
    validity: { type: 'window', from: '2026-11-01T00:00', until: '2026-12-01T00:00' },
  }],
  campaigns: [{
    id: 'snacks-3rd-free', name: '零食买二送一', from: '2026-11-01T00:00', until: '2026-12-01T00:00',
    type: 'quantity_discount', scope: { categories: ['snacks'] }, nth: 3, pay_bp: 0,
  }],
};
// The format before issue 15 no longer type-checks: a nested `kind`.
// @ts-expect-error a coupon's kind is not a nested object
const oldCoupon: CouponTemplate = { id: 'c', name: 'c', kind: { type: 'amount_off', amount: 1 }, validity: { type: 'days', days: 1 } };
// @ts-expect-error a quantity discount takes a scope, not a SKU list
const oldCampaign: Campaign = { id: 'q', name: 'q', from: '2026-11-01T00:00', until: '2026-12-01T00:00', type: 'quantity_discount', skus: ['a'], nth: 2, pay_bp: 5000 };
void [oldCoupon, oldCampaign];

// These must NOT type-check: a wrong field name, a float-free string amount,
// a missing `now`.
// @ts-expect-error unknown field
quote({ rules: demoRules(), cart: { lines: [] }, now: 0, surplus: 1 });
// @ts-expect-error unit_price is a number of fen
const badLine: Cart = { lines: [{ sku: 'a', category: 'b', unit_price: '68.00', quantity: 1 }] };
// @ts-expect-error now is required
quote({ rules: demoRules(), cart: { lines: [] } });
void badLine;

// Posters: the demo templates and images, validated, rendered and replayed.
export function posters(): void {
  const demo = demoPosters();
  const template: PosterTemplate = demo.templates.invite;
  const first: PosterElement | undefined = template.elements[0];
  const check: PosterCheck = validatePoster({ template });
  const fields: string[] = check.fields;
  const input: PosterInput = {
    template, fields: { nickname: '茶友小林', store: '山茶小铺', scene: 'M8K2D7', code: 'M8K2D7' },
    images: { avatar: demo.images.avatar },
  };
  const svg: PosterSvg = renderPoster(input);
  const text: string = svg.svg;
  const out: PosterCommands = posterCommands(input);
  for (const c of out.commands as PosterCommand[]) {
    if (c.op === 'qr') {
      const runs: [number, number, number][] = c.runs;
      void runs;
    }
  }
  void first; void fields; void text;
}

// drawPoster on any Canvas 2D context (this file has no DOM types: a
// context and an image declared by hand; types/canvas-dom.ts checks the
// DOM's and @napi-rs/canvas's), at a ratio or at 1.
export function drawn(ctx: PosterContext2D, avatar: PosterImage, input: PosterInput): number {
  const images: PosterImages = { avatar };
  const a: PosterDrawn = drawPoster(ctx, input, images, 2);
  const b: PosterDrawn = drawPoster(ctx, input, {});
  const missing: string[] = a.missing_images;
  // @ts-expect-error a data: URL is not a loaded image
  drawPoster(ctx, input, { avatar: 'data:image/png;base64,' }, 2);
  // @ts-expect-error the ratio is a number
  drawPoster(ctx, input, images, '2');
  // @ts-expect-error not a context
  drawPoster({ fillText() {} }, input, images, 2);
  void missing;
  return a.width * 2 + b.height;
}
