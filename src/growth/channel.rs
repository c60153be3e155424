//! Channels (渠道活码): a store's, a guide's, an event's or a poster batch's
//! own scene; each scan assigns the new contact to a staff member and
//! tags them; statistics per channel and per guide (`docs/rules.md` §13).
//!
//! - **A channel's scene** is `make_scene` of kind `channel` and the
//!   channel's host-assigned `number` (`C…`), or any scene carrying
//!   `-C number`.
//! - **Assignment** is *smooth weighted round-robin* (nginx's) over one
//!   period of `W` = the staff's total weight, indexed by the counter the
//!   host passes: slot `counter mod W`. In each period every staff member
//!   gets exactly their weight, and the picks are spread out (weights 2, 1
//!   give a, b, a, not a, a, b) — which a plain expansion in list order
//!   would not give. Smooth round-robin is stateful; replaying its period
//!   from the counter (at most [`MAX_CHANNEL_WEIGHT`] steps over at most
//!   [`MAX_CHANNEL_STAFF`] members) keeps the core stateless and the answer
//!   a function of (rules, counter). The answer's `next_counter` is
//!   `(counter + 1) mod W`, so the host's counter never grows past `W`.
//! - **Statistics** fold each contact's compact event list (scanned,
//!   joined, paid, refunded), which the host projects from its logs, over a
//!   range of local days; a contact's orders count for the channel they
//!   came through and for the guide they were assigned to.

use crate::code;
use crate::decode::Decode;
use crate::encode::Encode;
use crate::error::{Error, Problems, Result};
use crate::growth::scene::{self, MAX_CODE_NUMBER};
use crate::growth::Kind;
use crate::ledger::member::MAX_STATE_AMOUNT;
use crate::money::Fen;
use crate::rules::{check_id, in_range, unique_id, Rules};
use crate::sorting::SortedSet;
use crate::time::{Date, Millis, Zone, MAX_MILLIS, MIN_MILLIS};

/// Most channels in the rules.
pub const MAX_CHANNELS: usize = 1_000;
/// Most staff members per channel.
pub const MAX_CHANNEL_STAFF: usize = 100;
/// Largest total weight of a channel's staff (and so its period).
pub const MAX_CHANNEL_WEIGHT: u32 = 1_000;
/// Most tags per channel.
pub const MAX_CHANNEL_TAGS: usize = 20;
/// Most contacts per `channel_stats` call (a host pages through more).
pub const MAX_STATS_CONTACTS: usize = 10_000;
/// Most events per contact in a `channel_stats` call.
pub const MAX_CONTACT_EVENTS: usize = 1_000;

/// What a channel is.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A store's code (门店码).
    Store,
    /// A guide's code (导购码).
    Guide,
    /// An event (活动).
    Event,
    /// A batch of posters (海报批次).
    PosterBatch,
}

/// A channel of the `channels` block.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub id: String,
    pub kind: ChannelKind,
    /// The host's number for the channel: its scene is `make_scene` of kind
    /// `channel` and this number.
    pub number: u64,
    /// Who new contacts are assigned to, by weight (none: nobody).
    #[serde(default)]
    pub staff: Vec<Staff>,
    /// Tags every contact from this channel gets.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A staff member (usually a guide) and their weight.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub id: String,
    /// Contacts per period (0: paused).
    pub weight: u32,
}

impl Channel {
    /// The staff's total weight: the period of the round-robin.
    pub fn total_weight(&self) -> u64 {
        self.staff.iter().map(|s| u64::from(s.weight)).sum()
    }

    /// The staff member of slot `counter mod W`, by smooth weighted
    /// round-robin (ties to the first in the list); `None` when the total
    /// weight is 0. At most W × staff steps.
    pub fn pick(&self, counter: u64) -> Option<&Staff> {
        let w = self.total_weight();
        if w == 0 {
            return None;
        }
        let slot = counter % w;
        let mut current = vec![0i64; self.staff.len()];
        let wi = w as i64;
        let mut chosen = 0;
        for _ in 0..=slot {
            let mut best: Option<(usize, i64)> = None;
            for (i, (c, s)) in current.iter_mut().zip(&self.staff).enumerate() {
                *c += i64::from(s.weight);
                if best.is_none_or(|(_, b)| *c > b) {
                    best = Some((i, *c));
                }
            }
            chosen = best.map_or(0, |(i, _)| i);
            if let Some(c) = current.get_mut(chosen) {
                *c -= wi;
            }
        }
        self.staff.get(chosen)
    }
}

/// The `channels` block's checks.
pub(crate) fn check(rules: &Rules, p: &mut Problems) {
    let list = &rules.channels;
    if list.len() > MAX_CHANNELS {
        p.push(code::TOO_MANY, "channels", "最多 1000 个渠道", "at most 1,000 channels");
        return;
    }
    let mut ids = SortedSet::default();
    let mut numbers: SortedSet<u64> = SortedSet::default();
    for (k, c) in list.iter().enumerate() {
        unique_id(p, &mut ids, format_args!("channels[{k}].id"), &c.id);
        if c.number > MAX_CODE_NUMBER {
            p.push(
                code::CODE_NUMBER_TOO_LARGE,
                format!("channels[{k}].number"),
                format!("编号超过上限 {MAX_CODE_NUMBER}（2^53 − 1）"),
                format!("the number is over the largest, {MAX_CODE_NUMBER} (2^53 − 1)"),
            );
        } else if !numbers.insert(c.number) {
            p.push(
                code::DUPLICATE_ID,
                format!("channels[{k}].number"),
                format!("渠道编号 {} 重复", c.number),
                format!("channel number {} is used twice", c.number),
            );
        }
        if c.staff.len() > MAX_CHANNEL_STAFF {
            p.push(
                code::TOO_MANY,
                format!("channels[{k}].staff"),
                "每个渠道最多 100 名员工",
                "at most 100 staff per channel",
            );
        } else {
            let mut seen = SortedSet::default();
            for (j, s) in c.staff.iter().enumerate() {
                unique_id(p, &mut seen, format_args!("channels[{k}].staff[{j}].id"), &s.id);
                in_range(p, format_args!("channels[{k}].staff[{j}].weight"), i64::from(s.weight), 0, 1_000);
            }
            let total = c.total_weight();
            if total > u64::from(MAX_CHANNEL_WEIGHT) {
                p.push(
                    code::OUT_OF_RANGE,
                    format!("channels[{k}].staff"),
                    format!("员工权重合计 {total} 超过上限 {MAX_CHANNEL_WEIGHT}"),
                    format!("the staff's weights add up to {total}, over {MAX_CHANNEL_WEIGHT}"),
                );
            }
        }
        if c.tags.len() > MAX_CHANNEL_TAGS {
            p.push(
                code::TOO_MANY,
                format!("channels[{k}].tags"),
                "每个渠道最多 20 个标签",
                "at most 20 tags per channel",
            );
        } else {
            let mut seen = SortedSet::default();
            for (j, t) in c.tags.iter().enumerate() {
                unique_id(p, &mut seen, format_args!("channels[{k}].tags[{j}]"), t);
            }
        }
    }
}

fn unknown(path: &str, zh: String, en: String) -> Error {
    Error::new(code::UNKNOWN_CHANNEL, path, zh, en)
}

/// The channel a scene names: its `-C` part, or the scene of a channel
/// itself.
pub fn by_scene<'r>(rules: &'r Rules, s: &str) -> Result<&'r Channel> {
    let parsed = scene::parse(s)?;
    let number = match (parsed.channel, parsed.kind) {
        (Some(n), _) => n,
        (None, Kind::Channel) => parsed.number,
        (None, _) => {
            return Err(unknown(
                "scene",
                "场景值不含渠道".into(),
                "the scene names no channel (no `C` code, no `-C` part)".into(),
            ))
        }
    };
    rules.channels.iter().find(|c| c.number == number).ok_or_else(|| {
        unknown("scene", format!("没有编号为 {number} 的渠道"), format!("no channel has number {number}"))
    })
}

/// The channel with id `id`.
pub fn by_id<'r>(rules: &'r Rules, id: &str) -> Result<&'r Channel> {
    rules.channels.iter().find(|c| c.id == id).ok_or_else(|| {
        let id = crate::error::clip(id, 64);
        unknown("channel", format!("未知渠道 `{id}`"), format!("unknown channel `{id}`"))
    })
}

/// What `assign_contact` answers.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct Assigned {
    pub channel: String,
    pub kind: ChannelKind,
    /// The channel's own scene (`make_scene` of kind `channel`).
    pub scene: String,
    /// The staff member the contact goes to; `None` if the channel has no
    /// staff of positive weight.
    pub staff: Option<String>,
    /// The tags to apply.
    pub tags: Vec<String>,
    /// The slot used: `counter mod W` (0 without staff).
    pub slot: u64,
    /// The counter to pass next time: `(counter + 1) mod W` (the same
    /// counter without staff).
    pub next_counter: u64,
}

/// Assign a new contact from channel `c` at `counter`.
pub fn assign(c: &Channel, counter: u64) -> Assigned {
    let w = c.total_weight();
    let (slot, next_counter) = if w == 0 { (0, counter) } else { (counter % w, (counter % w + 1) % w) };
    Assigned {
        channel: c.id.clone(),
        kind: c.kind,
        scene: scene::code_of(Kind::Channel, c.number),
        staff: c.pick(counter).map(|s| s.id.clone()),
        tags: c.tags.clone(),
        slot,
        next_counter,
    }
}

/// One contact of a `channel_stats` batch: the channel they came through,
/// the guide they were assigned to, and their events as the host projects
/// them from their log.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ChannelContact {
    pub member: String,
    pub channel: String,
    #[serde(default)]
    pub guide: Option<String>,
    #[serde(default)]
    pub events: Vec<ContactEvent>,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(deny_unknown_fields)]
pub struct ContactEvent {
    pub kind: ContactEventKind,
    pub at: Millis,
    /// Fen paid (`paid`) or refunded (`refunded`); 0 otherwise.
    #[serde(default)]
    pub fen: Fen,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
#[serde(rename_all = "snake_case")]
pub enum ContactEventKind {
    /// Scanned the channel's code.
    Scanned,
    /// Joined (became a member).
    Joined,
    /// Paid an order (`fen` paid).
    Paid,
    /// A refund (`fen` refunded).
    Refunded,
}

/// Counts and sums for a channel, a guide or all.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Encode)]
pub struct ChannelCounts {
    /// `scanned` events in the range.
    pub scans: i64,
    /// `joined` events in the range.
    pub joins: i64,
    /// Contacts whose first `paid` event (of all theirs) is in the range.
    pub first_orders: i64,
    /// `paid` events in the range.
    pub orders: i64,
    /// Fen paid in the range (before refunds).
    pub gmv: Fen,
    /// `refunded` events in the range.
    pub refunds: i64,
    /// Fen refunded in the range.
    pub refunded: Fen,
    /// Contacts with a scan in the range whose first order is in the range
    /// too.
    pub converted: i64,
    /// `converted` × 10,000 ÷ contacts with a scan in the range, rounded
    /// down (0 without scans): basis points, 10,000 = 100 %.
    pub conversion_bp: i64,
    /// Contacts with a scan in the range.
    pub scanned_contacts: i64,
}

impl ChannelCounts {
    fn add(&mut self, o: &ChannelCounts) {
        self.scans += o.scans;
        self.joins += o.joins;
        self.first_orders += o.first_orders;
        self.orders += o.orders;
        self.gmv += o.gmv;
        self.refunds += o.refunds;
        self.refunded += o.refunded;
        self.converted += o.converted;
        self.scanned_contacts += o.scanned_contacts;
    }

    fn finish(&mut self) {
        self.conversion_bp =
            if self.scanned_contacts == 0 { 0 } else { self.converted * 10_000 / self.scanned_contacts };
    }
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct ChannelRow {
    pub channel: String,
    pub stats: ChannelCounts,
}

#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct GuideRow {
    pub guide: String,
    pub stats: ChannelCounts,
}

/// What `channel_stats` answers.
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Encode)]
pub struct ChannelStats {
    pub fingerprint: String,
    pub from: Date,
    pub to: Date,
    /// Contacts looked at.
    pub contacts: i64,
    /// Every channel of the rules, in their order.
    pub channels: Vec<ChannelRow>,
    /// Every guide a contact names, by id (UTF-8 byte order).
    pub guides: Vec<GuideRow>,
    /// All contacts.
    pub total: ChannelCounts,
}

/// One contact's contribution over local days `from ..= to` (its
/// `conversion_bp` is 0 or 10,000).
pub fn contribution(c: &ChannelContact, zone: Zone, from: Date, to: Date) -> ChannelCounts {
    let (lo, hi) = (zone.start_of(from), zone.end_of(to));
    let inside = |t: Millis| (lo..=hi).contains(&t);
    let mut s = ChannelCounts::default();
    // The first order: the earliest `paid` (the first listed of equal times).
    let mut first: Option<Millis> = None;
    for e in &c.events {
        if e.kind == ContactEventKind::Paid && first.is_none_or(|f| e.at < f) {
            first = Some(e.at);
        }
        if !inside(e.at) {
            continue;
        }
        match e.kind {
            ContactEventKind::Scanned => s.scans += 1,
            ContactEventKind::Joined => s.joins += 1,
            ContactEventKind::Paid => {
                s.orders += 1;
                s.gmv += e.fen;
            }
            ContactEventKind::Refunded => {
                s.refunds += 1;
                s.refunded += e.fen;
            }
        }
    }
    let first_in = first.is_some_and(inside);
    s.first_orders = i64::from(first_in);
    s.scanned_contacts = i64::from(s.scans > 0);
    s.converted = i64::from(s.scans > 0 && first_in);
    s.finish();
    s
}

/// The rules' channels by id, sorted once per call: a batch of 10,000
/// contacts looks its channel up in up to 1,000 channels.
struct ById<'r> {
    channels: &'r [Channel],
    order: Vec<u32>,
}

impl<'r> ById<'r> {
    fn new(channels: &'r [Channel]) -> ById<'r> {
        let order = crate::sorting::order_by(channels, |a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        ById { channels, order }
    }

    /// The position of the channel with id `id` (ids are unique).
    fn find(&self, id: &str) -> Option<usize> {
        let key = |i: &u32| self.channels.get(*i as usize).map_or(&b""[..], |c| c.id.as_bytes());
        let k = self.order.binary_search_by(|i| key(i).cmp(id.as_bytes())).ok()?;
        self.order.get(k).map(|&i| i as usize)
    }
}

/// Check a `channel_stats` batch: every problem at once, with its path.
pub fn check_batch(rules: &Rules, from: Date, to: Date, contacts: &[ChannelContact]) -> Result<()> {
    let mut p = Problems::new();
    let by_id = ById::new(&rules.channels);
    if to < from {
        p.push(code::WINDOW_ENDS_BEFORE_START, "to", "结束日期早于开始日期", "`to` is before `from`");
    }
    if contacts.len() > MAX_STATS_CONTACTS {
        p.push(
            code::TOO_MANY,
            "contacts",
            "一次最多 10000 个联系人，请分页",
            "at most 10,000 contacts at once; page through them",
        );
    }
    for (k, c) in contacts.iter().enumerate().take(MAX_STATS_CONTACTS) {
        if p.full() {
            break;
        }
        check_id(&mut p, format_args!("contacts[{k}].member"), &c.member);
        if by_id.find(&c.channel).is_none() {
            let id = crate::error::clip(&c.channel, 64);
            p.push(
                code::UNKNOWN_CHANNEL,
                format!("contacts[{k}].channel"),
                format!("未知渠道 `{id}`"),
                format!("unknown channel `{id}`"),
            );
        }
        if let Some(g) = &c.guide {
            check_id(&mut p, format_args!("contacts[{k}].guide"), g);
        }
        if c.events.len() > MAX_CONTACT_EVENTS {
            p.push(
                code::TOO_MANY,
                format!("contacts[{k}].events"),
                "每个联系人最多 1000 个事件",
                "at most 1,000 events per contact",
            );
            continue;
        }
        for (j, e) in c.events.iter().enumerate() {
            if !(MIN_MILLIS..=MAX_MILLIS).contains(&e.at) {
                p.push(
                    code::TIME_OUT_OF_RANGE,
                    format!("contacts[{k}].events[{j}].at"),
                    "时间须在 2000 到 2199 年之间",
                    "time must be within 2000–2199",
                );
            }
            let hi = match e.kind {
                ContactEventKind::Paid | ContactEventKind::Refunded => MAX_STATE_AMOUNT,
                _ => 0,
            };
            in_range(&mut p, format_args!("contacts[{k}].events[{j}].fen"), e.fen, 0, hi);
        }
    }
    p.finish(code::INPUT_INVALID, "输入无效", "the input is invalid")
}

/// Statistics over local days `from ..= to`. The input must have passed
/// [`check_batch`]. Every row is the sum of its contacts' contributions;
/// `conversion_bp` is then computed from the sums, so a host paging
/// through contacts adds the counts and computes it the same way.
pub fn stats(rules: &Rules, from: Date, to: Date, contacts: &[ChannelContact]) -> ChannelStats {
    let zone = rules.zone();
    let mut channels = Vec::with_capacity(rules.channels.len());
    for c in &rules.channels {
        channels.push(ChannelRow { channel: c.id.clone(), stats: ChannelCounts::default() });
    }
    let by_id = ById::new(&rules.channels);
    let mut total = ChannelCounts::default();
    let mut each = Vec::with_capacity(contacts.len());
    for c in contacts {
        let s = contribution(c, zone, from, to);
        total.add(&s);
        if let Some(row) = by_id.find(&c.channel).and_then(|i| channels.get_mut(i)) {
            row.stats.add(&s);
        }
        each.push(s);
    }
    // Guides: the contacts that name one, sorted by it (stably), in runs.
    let guide_of = |i: u32| contacts.get(i as usize).and_then(|c| c.guide.as_deref());
    let mut named = Vec::new();
    for (i, c) in contacts.iter().enumerate() {
        if c.guide.is_some() {
            named.push(i as u32);
        }
    }
    crate::sorting::sort_by(&mut named, |a, b| guide_of(*a).map(str::as_bytes).cmp(&guide_of(*b).map(str::as_bytes)));
    let mut guides: Vec<GuideRow> = Vec::new();
    for i in named {
        let (Some(g), Some(s)) = (guide_of(i), each.get(i as usize)) else { continue };
        match guides.last_mut() {
            Some(r) if r.guide == g => r.stats.add(s),
            _ => guides.push(GuideRow { guide: g.to_string(), stats: *s }),
        }
    }
    total.finish();
    for r in &mut channels {
        r.stats.finish();
    }
    for r in &mut guides {
        r.stats.finish();
    }
    ChannelStats {
        fingerprint: rules.fingerprint().to_string(),
        from,
        to,
        contacts: contacts.len() as i64,
        channels,
        guides,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(weights: &[u32]) -> Channel {
        Channel {
            id: "c".into(),
            kind: ChannelKind::Event,
            number: 7,
            staff: weights.iter().enumerate().map(|(i, &w)| Staff { id: format!("g{i}"), weight: w }).collect(),
            tags: vec![],
        }
    }

    #[test]
    fn smooth_round_robin_spreads_and_counts() {
        let c = channel(&[5, 1, 1]);
        let picks: Vec<String> = (0..7).map(|k| c.pick(k).unwrap().id.clone()).collect();
        assert_eq!(picks, ["g0", "g0", "g1", "g0", "g2", "g0", "g0"]);
        assert_eq!(c.pick(7), c.pick(0));
        assert!(channel(&[]).pick(3).is_none());
        assert!(channel(&[0, 0]).pick(3).is_none());
    }
}
